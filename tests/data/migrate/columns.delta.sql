-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: delta
-- The state below is the table after this migration; lakeorm diffs the model with it.
-- lakeorm-state-begin
-- {"version": 1, "table": "accounts", "fields": [
--     {"tag": "id,pk", "type": "int64"},
--     {"tag": "email", "type": "string"},
--     {"tag": "handle,nullable", "type": "string"},
--     {"tag": "note,nullable", "type": "string"},
--     {"tag": "tier", "type": "int32"},
--     {"tag": "home", "type": "struct", "fields": [
--     {"tag": "city", "type": "string"},
--     {"tag": "zip,nullable", "type": "int32"}]}]}
-- lakeorm-state-end

-- +goose Up
-- Every change below is paid for by every consumer of this table: the
-- readers, dashboards and jobs that know its shape today. Prefer a new
-- table or an added nullable column to a change in place; treat each
-- DESTRUCTIVE line as a reason to rethink the model before merging.

-- DESTRUCTIVE: Delta renames and drops columns only with column mapping: the table's protocol is upgraded, and readers without column mapping support can no longer read it
ALTER TABLE `accounts` SET TBLPROPERTIES ('delta.columnMapping.mode' = 'name', 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5');
-- DESTRUCTIVE: readers and writers that still use the name nick break
ALTER TABLE `accounts` RENAME COLUMN `nick` TO `handle`;

-- DESTRUCTIVE: data loss: every value of legacy is deleted, and readers that select it break
ALTER TABLE `accounts` DROP COLUMN `legacy`;

ALTER TABLE `accounts` ADD COLUMN `note` STRING;

-- tier is required by the model, but Delta on Spark cannot make a column required after the fact: the table keeps it optional, and lakeorm's validation keeps NULLs out of what it writes
ALTER TABLE `accounts` ADD COLUMN `tier` INT;

-- home is required by the model, but Delta on Spark cannot make a column required after the fact: the table keeps it optional, and lakeorm's validation keeps NULLs out of what it writes
ALTER TABLE `accounts` ADD COLUMN `home` STRUCT<`city`: STRING, `zip`: INT>;

-- +goose Down
-- DESTRUCTIVE: Delta renames and drops columns only with column mapping: the table's protocol is upgraded, and readers without column mapping support can no longer read it
ALTER TABLE `accounts` SET TBLPROPERTIES ('delta.columnMapping.mode' = 'name', 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5');
-- DESTRUCTIVE: data loss: every value of home is deleted, and readers that select it break
ALTER TABLE `accounts` DROP COLUMN `home`;

-- DESTRUCTIVE: data loss: every value of tier is deleted, and readers that select it break
ALTER TABLE `accounts` DROP COLUMN `tier`;

-- DESTRUCTIVE: data loss: every value of note is deleted, and readers that select it break
ALTER TABLE `accounts` DROP COLUMN `note`;

ALTER TABLE `accounts` ADD COLUMN `legacy` STRING;

-- DESTRUCTIVE: readers and writers that still use the name handle break
ALTER TABLE `accounts` RENAME COLUMN `handle` TO `nick`;
