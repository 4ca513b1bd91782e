-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: duckdb
-- The state below is the table after this migration; lakeorm diffs the model with it.
-- lakeorm-state-begin
-- {"version": 1, "table": "accounts", "fields": [
--     {"tag": "id,pk", "type": "int64"},
--     {"tag": "odd", "type": "struct", "fields": [
--     {"tag": "back`tick,nullable", "type": "string"},
--     {"tag": "a-b", "type": "int64"},
--     {"tag": "q\"x,nullable", "type": "string"}]},
--     {"tag": "items", "type": "list<struct>", "fields": [
--     {"tag": "sku", "type": "string"},
--     {"tag": "c.d,nullable", "type": "int32"}]}]}
-- lakeorm-state-end

-- +goose Up
-- Every change below is paid for by every consumer of this table: the
-- readers, dashboards and jobs that know its shape today. Prefer a new
-- table or an added nullable column to a change in place; treat each
-- DESTRUCTIVE line as a reason to rethink the model before merging.

-- odd.back`tick: added, NULL in rows already written
-- odd.a-b: widened to BIGINT
ALTER TABLE "accounts" ALTER COLUMN "odd" TYPE STRUCT("back`tick" VARCHAR, "a-b" BIGINT, "q""x" VARCHAR);

-- items.element.c.d: added, NULL in rows already written
ALTER TABLE "accounts" ALTER COLUMN "items" TYPE STRUCT("sku" VARCHAR, "c.d" INTEGER)[];

-- +goose Down
-- DESTRUCTIVE: data loss: every value of items.element.c.d is deleted, and readers that select it break
ALTER TABLE "accounts" ALTER COLUMN "items" TYPE STRUCT("sku" VARCHAR)[];

-- DESTRUCTIVE: odd.a-b narrows or changes type: values that do not fit fail the migration, and precision may be lost
-- DESTRUCTIVE: data loss: every value of odd.back`tick is deleted, and readers that select it break
ALTER TABLE "accounts" ALTER COLUMN "odd" TYPE STRUCT("a-b" INTEGER, "q""x" VARCHAR);
