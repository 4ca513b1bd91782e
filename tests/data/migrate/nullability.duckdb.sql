-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: duckdb
-- The state below is the table after this migration; lakeorm diffs the model with it.
-- lakeorm-state-begin
-- {"version": 1, "table": "accounts", "fields": [
--     {"tag": "id,pk", "type": "int64"},
--     {"tag": "email", "type": "string"},
--     {"tag": "age,nullable", "type": "int32"}]}
-- lakeorm-state-end

-- +goose Up
-- Every change below is paid for by every consumer of this table: the
-- readers, dashboards and jobs that know its shape today. Prefer a new
-- table or an added nullable column to a change in place; treat each
-- DESTRUCTIVE line as a reason to rethink the model before merging.

-- DESTRUCTIVE: email becomes NOT NULL: the migration fails if any row holds NULL there
ALTER TABLE "accounts" ALTER COLUMN "email" SET NOT NULL;

ALTER TABLE "accounts" ALTER COLUMN "age" DROP NOT NULL;

-- +goose Down
-- DESTRUCTIVE: age becomes NOT NULL: the migration fails if any row holds NULL there
ALTER TABLE "accounts" ALTER COLUMN "age" SET NOT NULL;

ALTER TABLE "accounts" ALTER COLUMN "email" DROP NOT NULL;
