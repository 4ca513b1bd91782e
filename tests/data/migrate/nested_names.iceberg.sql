-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: iceberg
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

ALTER TABLE `accounts` ADD COLUMN `odd`.`back``tick` STRING FIRST;

ALTER TABLE `accounts` ALTER COLUMN `odd`.`a-b` TYPE BIGINT;

ALTER TABLE `accounts` ADD COLUMN `items`.`element`.`c.d` INT AFTER `sku`;

-- +goose Down
-- DESTRUCTIVE: data loss: every value of items.element.c.d is deleted, and readers that select it break
ALTER TABLE `accounts` DROP COLUMN `items`.`element`.`c.d`;

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- odd.a-b must become INT: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

-- DESTRUCTIVE: data loss: every value of odd.back`tick is deleted, and readers that select it break
ALTER TABLE `accounts` DROP COLUMN `odd`.`back``tick`;
