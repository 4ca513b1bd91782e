-- ---- a new table: up
CREATE TABLE IF NOT EXISTS `we"ird```.`ta ble` (`i"d` BIGINT NOT NULL, `m``k` STRING NOT NULL, `se-lect` BIGINT NOT NULL, `n"um` BIGINT NOT NULL, `new col` STRING, `req``d` BOOLEAN NOT NULL, `_ingest_id` STRING) USING iceberg PARTITIONED BY (bucket(4, `se-lect`));
ALTER TABLE `we"ird```.`ta ble` SET IDENTIFIER FIELDS `i"d`;

-- ---- a new table: down
-- DESTRUCTIVE: the table and every row in it are deleted
DROP TABLE `we"ird```.`ta ble`;

-- ---- columns, keys and partitions: up
-- DESTRUCTIVE: data loss: every value of old`col is deleted, and readers that select it break
ALTER TABLE `we"ird```.`ta ble` DROP COLUMN `old``col`;

-- partition evolution: files already written keep their layout
ALTER TABLE `we"ird```.`ta ble` DROP PARTITION FIELD bucket(2, `se-lect`);
ALTER TABLE `we"ird```.`ta ble` ADD PARTITION FIELD bucket(4, `se-lect`);

ALTER TABLE `we"ird```.`ta ble` ALTER COLUMN `n"um` TYPE BIGINT;

ALTER TABLE `we"ird```.`ta ble` ADD COLUMN `new col` STRING;

-- req`d is required by the model, but Iceberg cannot make a column required after the fact: the table keeps it optional, and lakeorm's validation keeps NULLs out of what it writes
ALTER TABLE `we"ird```.`ta ble` ADD COLUMN `req``d` BOOLEAN;

-- DESTRUCTIVE: upserts match rows on different columns from now on; rows that collide under the new key make a MERGE fail
-- merge keys: (`m``k`) -> ()

-- ---- columns, keys and partitions: down
-- DESTRUCTIVE: upserts match rows on different columns from now on; rows that collide under the new key make a MERGE fail
-- merge keys: () -> (`m``k`)

-- DESTRUCTIVE: data loss: every value of req`d is deleted, and readers that select it break
ALTER TABLE `we"ird```.`ta ble` DROP COLUMN `req``d`;

-- DESTRUCTIVE: data loss: every value of new col is deleted, and readers that select it break
ALTER TABLE `we"ird```.`ta ble` DROP COLUMN `new col`;

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- n"um must become INT: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

-- partition evolution: files already written keep their layout
ALTER TABLE `we"ird```.`ta ble` DROP PARTITION FIELD bucket(4, `se-lect`);
ALTER TABLE `we"ird```.`ta ble` ADD PARTITION FIELD bucket(2, `se-lect`);

ALTER TABLE `we"ird```.`ta ble` ADD COLUMN `old``col` STRING;

