-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: iceberg
-- The state below is the table after this migration; lakeorm diffs the model with it.
-- lakeorm-state-begin
-- {"version": 1, "table": "accounts", "fields": [
--     {"tag": "id", "type": "int64"},
--     {"tag": "email,pk", "type": "string"},
--     {"tag": "plan", "type": "string"}]}
-- lakeorm-state-end

-- +goose Up
-- Every change below is paid for by every consumer of this table: the
-- readers, dashboards and jobs that know its shape today. Prefer a new
-- table or an added nullable column to a change in place; treat each
-- DESTRUCTIVE line as a reason to rethink the model before merging.

ALTER TABLE `accounts` ALTER COLUMN `id` TYPE BIGINT;

-- plan is required by the model, but Iceberg cannot make a column required after the fact: the table keeps it optional, and lakeorm's validation keeps NULLs out of what it writes
ALTER TABLE `accounts` ADD COLUMN `plan` STRING;

-- primary key: (`id`) -> (`email`)
-- DESTRUCTIVE: new identifier fields: equality deletes and upserts match rows on them
ALTER TABLE `accounts` SET IDENTIFIER FIELDS `email`;

-- +goose Down
-- primary key: (`email`) -> (`id`)
-- DESTRUCTIVE: new identifier fields: equality deletes and upserts match rows on them
ALTER TABLE `accounts` SET IDENTIFIER FIELDS `id`;

-- DESTRUCTIVE: data loss: every value of plan is deleted, and readers that select it break
ALTER TABLE `accounts` DROP COLUMN `plan`;

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- id must become INT: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost
