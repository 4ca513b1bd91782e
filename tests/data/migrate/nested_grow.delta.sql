-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: delta
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

ALTER TABLE `accounts` ADD COLUMN `home`.`street` STRING FIRST;

-- DESTRUCTIVE: Delta widens types only with the type widening feature: readers without it can no longer read the table
ALTER TABLE `accounts` SET TBLPROPERTIES ('delta.enableTypeWidening' = 'true');
ALTER TABLE `accounts` ALTER COLUMN `home`.`zip` TYPE BIGINT;

ALTER TABLE `accounts` ALTER COLUMN `items`.`element`.`qty` TYPE BIGINT;

ALTER TABLE `accounts` ADD COLUMN `items`.`element`.`note` STRING AFTER `qty`;

ALTER TABLE `accounts` ADD COLUMN `attrs`.`value`.`y` STRING AFTER `x`;

ALTER TABLE `accounts` ALTER COLUMN `marks`.`element` TYPE BIGINT;

ALTER TABLE `accounts` ALTER COLUMN `scores`.`value` TYPE DOUBLE;

ALTER TABLE `accounts` ALTER COLUMN `prices`.`element` TYPE DECIMAL(12,2);

-- +goose Down
-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- prices.element must become DECIMAL(10,2): rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- scores.value must become FLOAT: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- marks.element must become INT: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

-- DESTRUCTIVE: Delta renames and drops columns only with column mapping: the table's protocol is upgraded, and readers without column mapping support can no longer read it
ALTER TABLE `accounts` SET TBLPROPERTIES ('delta.columnMapping.mode' = 'name', 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5');
-- DESTRUCTIVE: data loss: every value of attrs.value.y is deleted, and readers that select it break
ALTER TABLE `accounts` DROP COLUMN `attrs`.`value`.`y`;

-- DESTRUCTIVE: data loss: every value of items.element.note is deleted, and readers that select it break
ALTER TABLE `accounts` DROP COLUMN `items`.`element`.`note`;

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- items.element.qty must become INT: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- home.zip must become INT: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

-- DESTRUCTIVE: data loss: every value of home.street is deleted, and readers that select it break
ALTER TABLE `accounts` DROP COLUMN `home`.`street`;
