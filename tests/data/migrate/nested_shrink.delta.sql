-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: delta
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

-- DESTRUCTIVE: Delta renames and drops columns only with column mapping: the table's protocol is upgraded, and readers without column mapping support can no longer read it
ALTER TABLE `accounts` SET TBLPROPERTIES ('delta.columnMapping.mode' = 'name', 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5');
-- DESTRUCTIVE: data loss: every value of home.legacy is deleted, and readers that select it break
ALTER TABLE `accounts` DROP COLUMN `home`.`legacy`;

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- home.zip must become INT: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

-- DESTRUCTIVE: items.element.sku is required by the model from now on, but a table cannot say NOT NULL inside a column: rows already written may hold NULL there, which reads into the model refuse; check or backfill them before merging

-- DESTRUCTIVE: items.element.batch is required by the model from now on, but a table cannot say NOT NULL inside a column: rows already written may hold NULL there, which reads into the model refuse; check or backfill them before merging
ALTER TABLE `accounts` ADD COLUMN `items`.`element`.`batch` INT AFTER `qty`;

-- DESTRUCTIVE: tags.element is required by the model from now on, but a table cannot say NOT NULL inside a column: rows already written may hold NULL there, which reads into the model refuse; check or backfill them before merging

-- codes.element may be NULL from now on: nullability inside a column is lakeorm's, nothing to alter

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- labels.value must become STRING: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

-- payload: string -> json, the same STRING in Spark: nothing to alter

-- +goose Down
-- payload: json -> string, the same STRING in Spark: nothing to alter

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- labels.value must become INT: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

-- DESTRUCTIVE: codes.element is required by the model from now on, but a table cannot say NOT NULL inside a column: rows already written may hold NULL there, which reads into the model refuse; check or backfill them before merging

-- tags.element may be NULL from now on: nullability inside a column is lakeorm's, nothing to alter

-- DESTRUCTIVE: Delta renames and drops columns only with column mapping: the table's protocol is upgraded, and readers without column mapping support can no longer read it
ALTER TABLE `accounts` SET TBLPROPERTIES ('delta.columnMapping.mode' = 'name', 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5');
-- DESTRUCTIVE: data loss: every value of items.element.batch is deleted, and readers that select it break
ALTER TABLE `accounts` DROP COLUMN `items`.`element`.`batch`;

-- items.element.sku may be NULL from now on: nullability inside a column is lakeorm's, nothing to alter

-- DESTRUCTIVE: Delta widens types only with the type widening feature: readers without it can no longer read the table
ALTER TABLE `accounts` SET TBLPROPERTIES ('delta.enableTypeWidening' = 'true');
ALTER TABLE `accounts` ALTER COLUMN `home`.`zip` TYPE BIGINT;

ALTER TABLE `accounts` ADD COLUMN `home`.`legacy` STRING AFTER `zip`;
