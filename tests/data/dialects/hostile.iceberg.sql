-- create_table
CREATE TABLE IF NOT EXISTS `we"ird```.`ta ble` (`i"d` BIGINT NOT NULL, `m``k` STRING NOT NULL, `se-lect` BIGINT NOT NULL, `s"t``r` STRUCT<`a"``b`: INT> NOT NULL, `café ü` STRING, `_ingest_id` STRING) USING iceberg PARTITIONED BY (bucket(2, `se-lect`));
ALTER TABLE `we"ird```.`ta ble` SET IDENTIFIER FIELDS `i"d`;

-- create_table under another name
CREATE TABLE IF NOT EXISTS `copy` (`i"d` BIGINT NOT NULL, `m``k` STRING NOT NULL, `se-lect` BIGINT NOT NULL, `s"t``r` STRUCT<`a"``b`: INT> NOT NULL, `café ü` STRING, `_ingest_id` STRING) USING iceberg PARTITIONED BY (bucket(2, `se-lect`));
ALTER TABLE `copy` SET IDENTIFIER FIELDS `i"d`;

-- column i"d: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT)) AS lake_key
-- column i"d: CAST(NULL AS BIGINT)
-- column m`k: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column m`k: CAST(NULL AS STRING)
-- column se-lect: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT)) AS lake_key
-- column se-lect: CAST(NULL AS BIGINT)
-- column s"t`r: STRUCT<`a"``b`: INT>
-- type_probe
SELECT typeof(CAST(NULL AS STRUCT<`a"``b`: INT>)) AS lake_key
-- column s"t`r: CAST(NULL AS STRUCT<`a"``b`: INT>)
-- column café ü: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column café ü: CAST(NULL AS STRING)
-- select_all
SELECT * FROM `we"ird```.`ta ble`
-- count_rows
SELECT CAST(count(*) AS STRING) AS lake_key FROM `we"ird```.`ta ble`
-- ingest_landed
SELECT `_ingest_id` AS lake_key FROM `we"ird```.`ta ble` WHERE `_ingest_id` = ? LIMIT 1
-- describe
DESCRIBE TABLE `we"ird```.`ta ble`
-- describe_json
DESCRIBE TABLE EXTENDED `we"ird```.`ta ble` AS JSON
-- properties
SHOW TBLPROPERTIES `we"ird```.`ta ble`
-- values_source
(SELECT *, ? AS `_ingest_id` FROM VALUES (?, ?, ?, struct(? AS `a"``b`), ?), (CAST(NULL AS BIGINT), CAST(NULL AS STRING), CAST(NULL AS BIGINT), CAST(NULL AS STRUCT<`a"``b`: INT>), CAST(NULL AS STRING)) AS v(`i"d`, `m``k`, `se-lect`, `s"t``r`, `café ü`))
-- move: a plain insert
INSERT INTO `we"ird```.`ta ble` (`i"d`, `m``k`, `se-lect`, `s"t``r`, `café ü`, `_ingest_id`) SELECT `i"d`, `m``k`, `se-lect`, `s"t``r`, `café ü`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move: a plain insert into another table
INSERT INTO `other` (`i"d`, `m``k`, `se-lect`, `s"t``r`, `café ü`, `_ingest_id`) SELECT `i"d`, `m``k`, `se-lect`, `s"t``r`, `café ü`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move on the primary key, on conflict error
INSERT INTO `we"ird```.`ta ble` (`i"d`, `m``k`, `se-lect`, `s"t``r`, `café ü`, `_ingest_id`) SELECT `i"d`, `m``k`, `se-lect`, `s"t``r`, `café ü`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move on the primary key, on conflict ignore
MERGE INTO `we"ird```.`ta ble` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`i"d` = lake_source.`i"d` WHEN NOT MATCHED THEN INSERT (`i"d`, `m``k`, `se-lect`, `s"t``r`, `café ü`, `_ingest_id`) VALUES (lake_source.`i"d`, lake_source.`m``k`, lake_source.`se-lect`, lake_source.`s"t``r`, lake_source.`café ü`, lake_source.`_ingest_id`)
-- move on the primary key, on conflict update
MERGE INTO `we"ird```.`ta ble` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`i"d` = lake_source.`i"d` WHEN MATCHED THEN UPDATE SET `i"d` = lake_source.`i"d`, `m``k` = lake_source.`m``k`, `se-lect` = lake_source.`se-lect`, `s"t``r` = lake_source.`s"t``r`, `café ü` = lake_source.`café ü`, `_ingest_id` = lake_source.`_ingest_id` WHEN NOT MATCHED THEN INSERT (`i"d`, `m``k`, `se-lect`, `s"t``r`, `café ü`, `_ingest_id`) VALUES (lake_source.`i"d`, lake_source.`m``k`, lake_source.`se-lect`, lake_source.`s"t``r`, lake_source.`café ü`, lake_source.`_ingest_id`)
-- duplicate_key on the primary key
SELECT concat_ws(', ', CAST(`i"d` AS STRING)) AS lake_key FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?) GROUP BY `i"d` HAVING count(*) > 1 LIMIT 1
-- count_matched on the primary key
SELECT CAST(count(*) AS STRING) AS lake_key FROM (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source WHERE EXISTS (SELECT 1 FROM `we"ird```.`ta ble` AS lake_target WHERE lake_target.`i"d` = lake_source.`i"d`)
-- move on the merge keys, on conflict error
MERGE INTO `we"ird```.`ta ble` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`m``k` = lake_source.`m``k` WHEN MATCHED THEN UPDATE SET `i"d` = lake_source.`i"d`, `m``k` = lake_source.`m``k`, `se-lect` = lake_source.`se-lect`, `s"t``r` = lake_source.`s"t``r`, `café ü` = lake_source.`café ü`, `_ingest_id` = lake_source.`_ingest_id` WHEN NOT MATCHED THEN INSERT (`i"d`, `m``k`, `se-lect`, `s"t``r`, `café ü`, `_ingest_id`) VALUES (lake_source.`i"d`, lake_source.`m``k`, lake_source.`se-lect`, lake_source.`s"t``r`, lake_source.`café ü`, lake_source.`_ingest_id`)
-- move on the merge keys, on conflict ignore
MERGE INTO `we"ird```.`ta ble` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`m``k` = lake_source.`m``k` WHEN MATCHED THEN UPDATE SET `i"d` = lake_source.`i"d`, `m``k` = lake_source.`m``k`, `se-lect` = lake_source.`se-lect`, `s"t``r` = lake_source.`s"t``r`, `café ü` = lake_source.`café ü`, `_ingest_id` = lake_source.`_ingest_id` WHEN NOT MATCHED THEN INSERT (`i"d`, `m``k`, `se-lect`, `s"t``r`, `café ü`, `_ingest_id`) VALUES (lake_source.`i"d`, lake_source.`m``k`, lake_source.`se-lect`, lake_source.`s"t``r`, lake_source.`café ü`, lake_source.`_ingest_id`)
-- move on the merge keys, on conflict update
MERGE INTO `we"ird```.`ta ble` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`m``k` = lake_source.`m``k` WHEN MATCHED THEN UPDATE SET `i"d` = lake_source.`i"d`, `m``k` = lake_source.`m``k`, `se-lect` = lake_source.`se-lect`, `s"t``r` = lake_source.`s"t``r`, `café ü` = lake_source.`café ü`, `_ingest_id` = lake_source.`_ingest_id` WHEN NOT MATCHED THEN INSERT (`i"d`, `m``k`, `se-lect`, `s"t``r`, `café ü`, `_ingest_id`) VALUES (lake_source.`i"d`, lake_source.`m``k`, lake_source.`se-lect`, lake_source.`s"t``r`, lake_source.`café ü`, lake_source.`_ingest_id`)
-- duplicate_key on the merge keys
SELECT concat_ws(', ', CAST(`m``k` AS STRING)) AS lake_key FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?) GROUP BY `m``k` HAVING count(*) > 1 LIMIT 1
-- count_matched on the merge keys
SELECT CAST(count(*) AS STRING) AS lake_key FROM (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source WHERE EXISTS (SELECT 1 FROM `we"ird```.`ta ble` AS lake_target WHERE lake_target.`m``k` = lake_source.`m``k`)
-- parameters: 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f
