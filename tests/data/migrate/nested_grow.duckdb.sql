-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: duckdb
-- The state below is the table after this migration; lakeorm diffs the model with it.
-- lakeorm-state-begin
-- {"version": 1, "table": "accounts", "fields": [
--     {"tag": "id,pk", "type": "int64"},
--     {"tag": "home", "type": "struct", "fields": [
--     {"tag": "street,nullable", "type": "string"},
--     {"tag": "city", "type": "string"},
--     {"tag": "zip,nullable", "type": "int64"},
--     {"tag": "floor,nullable", "type": "int16"}]},
--     {"tag": "items", "type": "list<struct>", "fields": [
--     {"tag": "sku", "type": "string"},
--     {"tag": "qty", "type": "int64"},
--     {"tag": "note,nullable", "type": "string"}]},
--     {"tag": "attrs", "type": "map<string,struct>", "fields": [
--     {"tag": "x,nullable", "type": "int32"},
--     {"tag": "y,nullable", "type": "string"}]},
--     {"tag": "marks", "type": "list<int64>"},
--     {"tag": "scores", "type": "map<string,float64>"},
--     {"tag": "prices", "type": "list<decimal(12,2)>"}]}
-- lakeorm-state-end

-- +goose Up
-- Every change below is paid for by every consumer of this table: the
-- readers, dashboards and jobs that know its shape today. Prefer a new
-- table or an added nullable column to a change in place; treat each
-- DESTRUCTIVE line as a reason to rethink the model before merging.

-- home.street: added, NULL in rows already written
-- home.zip: widened to BIGINT
ALTER TABLE "accounts" ALTER COLUMN "home" TYPE STRUCT("street" VARCHAR, "city" VARCHAR, "zip" BIGINT, "floor" SMALLINT);

-- items.element.qty: widened to BIGINT
-- items.element.note: added, NULL in rows already written
ALTER TABLE "accounts" ALTER COLUMN "items" TYPE STRUCT("sku" VARCHAR, "qty" BIGINT, "note" VARCHAR)[];

-- attrs.value.y: added, NULL in rows already written
ALTER TABLE "accounts" ALTER COLUMN "attrs" TYPE MAP(VARCHAR, STRUCT("x" INTEGER, "y" VARCHAR));

-- marks.element: widened to BIGINT
ALTER TABLE "accounts" ALTER COLUMN "marks" TYPE BIGINT[];

-- scores.value: widened to DOUBLE
ALTER TABLE "accounts" ALTER COLUMN "scores" TYPE MAP(VARCHAR, DOUBLE);

-- prices.element: widened to DECIMAL(12,2)
ALTER TABLE "accounts" ALTER COLUMN "prices" TYPE DECIMAL(12,2)[];

-- +goose Down
-- DESTRUCTIVE: prices.element narrows or changes type: values that do not fit fail the migration, and precision may be lost
ALTER TABLE "accounts" ALTER COLUMN "prices" TYPE DECIMAL(10,2)[];

-- DESTRUCTIVE: scores.value narrows or changes type: values that do not fit fail the migration, and precision may be lost
ALTER TABLE "accounts" ALTER COLUMN "scores" TYPE MAP(VARCHAR, FLOAT);

-- DESTRUCTIVE: marks.element narrows or changes type: values that do not fit fail the migration, and precision may be lost
ALTER TABLE "accounts" ALTER COLUMN "marks" TYPE INTEGER[];

-- DESTRUCTIVE: data loss: every value of attrs.value.y is deleted, and readers that select it break
ALTER TABLE "accounts" ALTER COLUMN "attrs" TYPE MAP(VARCHAR, STRUCT("x" INTEGER));

-- DESTRUCTIVE: data loss: every value of items.element.note is deleted, and readers that select it break
-- DESTRUCTIVE: items.element.qty narrows or changes type: values that do not fit fail the migration, and precision may be lost
ALTER TABLE "accounts" ALTER COLUMN "items" TYPE STRUCT("sku" VARCHAR, "qty" INTEGER)[];

-- DESTRUCTIVE: home.zip narrows or changes type: values that do not fit fail the migration, and precision may be lost
-- DESTRUCTIVE: data loss: every value of home.street is deleted, and readers that select it break
ALTER TABLE "accounts" ALTER COLUMN "home" TYPE STRUCT("city" VARCHAR, "zip" INTEGER, "floor" SMALLINT);
