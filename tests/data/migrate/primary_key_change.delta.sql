-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: delta
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

-- Delta widens types with TBLPROPERTIES ('delta.enableTypeWidening' = 'true')
ALTER TABLE `accounts` ALTER COLUMN `id` TYPE BIGINT;

ALTER TABLE `accounts` ADD COLUMN `plan` STRING;
-- DESTRUCTIVE: NOT NULL column plan: Delta refuses SET NOT NULL while NULLs remain in a table with rows; backfill it before this statement
ALTER TABLE `accounts` ALTER COLUMN `plan` SET NOT NULL;

-- primary key: (`id`) -> (`email`)
-- Delta tables have no primary key: lakeorm enforces it on insert

-- +goose Down
-- primary key: (`email`) -> (`id`)
-- Delta tables have no primary key: lakeorm enforces it on insert

-- DESTRUCTIVE: data loss: every value of plan is deleted, and readers that select it break; Delta needs TBLPROPERTIES ('delta.columnMapping.mode' = 'name') first
ALTER TABLE `accounts` DROP COLUMN `plan`;

-- DESTRUCTIVE: id narrows or changes type, which Delta allows only by rewriting the table; values that do not fit are lost
ALTER TABLE `accounts` ALTER COLUMN `id` TYPE INT;
