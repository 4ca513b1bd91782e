-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: iceberg
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

-- email is required by the model, but Iceberg cannot make a column required after the fact: the table keeps it optional, and lakeorm's validation keeps NULLs out of what it writes

ALTER TABLE `accounts` ALTER COLUMN `age` DROP NOT NULL;

-- +goose Down
-- age is required by the model, but Iceberg cannot make a column required after the fact: the table keeps it optional, and lakeorm's validation keeps NULLs out of what it writes

ALTER TABLE `accounts` ALTER COLUMN `email` DROP NOT NULL;
