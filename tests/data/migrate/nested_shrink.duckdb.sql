-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: duckdb
-- The state below is the table after this migration; lakeorm diffs the model with it.
-- lakeorm-state-begin
-- {"version": 1, "table": "accounts", "fields": [
--     {"tag": "id,pk", "type": "int64"},
--     {"tag": "home", "type": "struct", "fields": [
--     {"tag": "city", "type": "string"},
--     {"tag": "zip,nullable", "type": "int32"}]},
--     {"tag": "items", "type": "list<struct>", "fields": [
--     {"tag": "sku", "type": "string"},
--     {"tag": "qty", "type": "int64"},
--     {"tag": "batch", "type": "int32"}]},
--     {"tag": "tags", "type": "list<string>"},
--     {"tag": "codes", "type": "list<string?>"},
--     {"tag": "labels", "type": "map<string,string>"},
--     {"tag": "payload,nullable", "type": "json"}]}
-- lakeorm-state-end

-- +goose Up
-- Every change below is paid for by every consumer of this table: the
-- readers, dashboards and jobs that know its shape today. Prefer a new
-- table or an added nullable column to a change in place; treat each
-- DESTRUCTIVE line as a reason to rethink the model before merging.

-- DESTRUCTIVE: data loss: every value of home.legacy is deleted, and readers that select it break
-- DESTRUCTIVE: home.zip narrows or changes type: values that do not fit fail the migration, and precision may be lost
ALTER TABLE "accounts" ALTER COLUMN "home" TYPE STRUCT("city" VARCHAR, "zip" INTEGER);

-- DESTRUCTIVE: items.element.sku is required by the model from now on, but a table cannot say NOT NULL inside a column: rows already written may hold NULL there, which reads into the model refuse; check or backfill them before merging
-- items.element.batch: added, NULL in rows already written
-- DESTRUCTIVE: items.element.batch is required by the model from now on, but a table cannot say NOT NULL inside a column: rows already written may hold NULL there, which reads into the model refuse; check or backfill them before merging
ALTER TABLE "accounts" ALTER COLUMN "items" TYPE STRUCT("sku" VARCHAR, "qty" BIGINT, "batch" INTEGER)[];

-- DESTRUCTIVE: tags.element is required by the model from now on, but a table cannot say NOT NULL inside a column: rows already written may hold NULL there, which reads into the model refuse; check or backfill them before merging

-- codes.element may be NULL from now on: nullability inside a column is lakeorm's, nothing to alter

-- DESTRUCTIVE: labels.value narrows or changes type: values that do not fit fail the migration, and precision may be lost
ALTER TABLE "accounts" ALTER COLUMN "labels" TYPE MAP(VARCHAR, VARCHAR);

-- DESTRUCTIVE: payload narrows or changes type: values that do not fit fail the migration, and precision may be lost
ALTER TABLE "accounts" ALTER COLUMN "payload" TYPE JSON;

-- +goose Down
-- DESTRUCTIVE: payload narrows or changes type: values that do not fit fail the migration, and precision may be lost
ALTER TABLE "accounts" ALTER COLUMN "payload" TYPE VARCHAR;

-- DESTRUCTIVE: labels.value narrows or changes type: values that do not fit fail the migration, and precision may be lost
ALTER TABLE "accounts" ALTER COLUMN "labels" TYPE MAP(VARCHAR, INTEGER);

-- DESTRUCTIVE: codes.element is required by the model from now on, but a table cannot say NOT NULL inside a column: rows already written may hold NULL there, which reads into the model refuse; check or backfill them before merging

-- tags.element may be NULL from now on: nullability inside a column is lakeorm's, nothing to alter

-- DESTRUCTIVE: data loss: every value of items.element.batch is deleted, and readers that select it break
-- items.element.sku may be NULL from now on: nullability inside a column is lakeorm's, nothing to alter
ALTER TABLE "accounts" ALTER COLUMN "items" TYPE STRUCT("sku" VARCHAR, "qty" BIGINT)[];

-- home.zip: widened to BIGINT
-- home.legacy: added, NULL in rows already written
ALTER TABLE "accounts" ALTER COLUMN "home" TYPE STRUCT("city" VARCHAR, "zip" BIGINT, "legacy" VARCHAR);
