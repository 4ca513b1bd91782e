-- ---- a new table: up
CREATE TABLE IF NOT EXISTS `we"ird```.`ta ble` (`i"d` BIGINT NOT NULL, `m``k` STRING NOT NULL, `se-lect` BIGINT NOT NULL, `n"um` BIGINT NOT NULL, `new col` STRING, `req``d` BOOLEAN NOT NULL, `_ingest_id` STRING) USING delta PARTITIONED BY (`se-lect`);

-- ---- a new table: down
-- DESTRUCTIVE: the table and every row in it are deleted
DROP TABLE `we"ird```.`ta ble`;

-- ---- columns, keys and partitions: up
-- DESTRUCTIVE: Delta widens types only with the type widening feature: readers without it can no longer read the table
ALTER TABLE `we"ird```.`ta ble` SET TBLPROPERTIES ('delta.enableTypeWidening' = 'true');
ALTER TABLE `we"ird```.`ta ble` ALTER COLUMN `n"um` TYPE BIGINT;

ALTER TABLE `we"ird```.`ta ble` ADD COLUMN `new col` STRING;

-- req`d is required by the model, but Delta on Spark cannot make a column required after the fact: the table keeps it optional, and lakeorm's validation keeps NULLs out of what it writes
ALTER TABLE `we"ird```.`ta ble` ADD COLUMN `req``d` BOOLEAN;

-- DESTRUCTIVE: upserts match rows on different columns from now on; rows that collide under the new key make a MERGE fail
-- merge keys: (`m``k`) -> ()

-- DESTRUCTIVE: Delta cannot change partitioning in place: the table is rewritten (a full copy; readers of older versions keep the old layout)
REPLACE TABLE `we"ird```.`ta ble` USING delta PARTITIONED BY (`se-lect`) AS SELECT * FROM `we"ird```.`ta ble`;

-- DESTRUCTIVE: Delta renames and drops columns only with column mapping: the table's protocol is upgraded, and readers without column mapping support can no longer read it
ALTER TABLE `we"ird```.`ta ble` SET TBLPROPERTIES ('delta.columnMapping.mode' = 'name', 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5');
-- DESTRUCTIVE: data loss: every value of old`col is deleted, and readers that select it break
ALTER TABLE `we"ird```.`ta ble` DROP COLUMN `old``col`;

-- ---- columns, keys and partitions: down
-- DESTRUCTIVE: upserts match rows on different columns from now on; rows that collide under the new key make a MERGE fail
-- merge keys: () -> (`m``k`)

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- n"um must become INT: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

ALTER TABLE `we"ird```.`ta ble` ADD COLUMN `old``col` STRING;

-- DESTRUCTIVE: Delta cannot change partitioning in place: the table is rewritten (a full copy; readers of older versions keep the old layout)
REPLACE TABLE `we"ird```.`ta ble` USING delta PARTITIONED BY (`se-lect`) AS SELECT * FROM `we"ird```.`ta ble`;

-- DESTRUCTIVE: Delta renames and drops columns only with column mapping: the table's protocol is upgraded, and readers without column mapping support can no longer read it
ALTER TABLE `we"ird```.`ta ble` SET TBLPROPERTIES ('delta.columnMapping.mode' = 'name', 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5');
-- DESTRUCTIVE: data loss: every value of req`d is deleted, and readers that select it break
ALTER TABLE `we"ird```.`ta ble` DROP COLUMN `req``d`;

-- DESTRUCTIVE: data loss: every value of new col is deleted, and readers that select it break
ALTER TABLE `we"ird```.`ta ble` DROP COLUMN `new col`;

