-- create_table
CREATE TABLE IF NOT EXISTS `people` (`id` BIGINT NOT NULL, `home` STRUCT<`city`: STRING, `geo`: STRUCT<`lat`: DOUBLE, `lon`: DOUBLE>, `zip`: INT> NOT NULL, `cost` DECIMAL(38,10) NOT NULL, `_ingest_id` STRING) USING delta;

-- create_table under another name
CREATE TABLE IF NOT EXISTS `copy` (`id` BIGINT NOT NULL, `home` STRUCT<`city`: STRING, `geo`: STRUCT<`lat`: DOUBLE, `lon`: DOUBLE>, `zip`: INT> NOT NULL, `cost` DECIMAL(38,10) NOT NULL, `_ingest_id` STRING) USING delta;

-- column id: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT)) AS lake_key
-- column id: CAST(NULL AS BIGINT)
-- column home: STRUCT<`city`: STRING, `geo`: STRUCT<`lat`: DOUBLE, `lon`: DOUBLE>, `zip`: INT>
-- type_probe
SELECT typeof(CAST(NULL AS STRUCT<`city`: STRING, `geo`: STRUCT<`lat`: DOUBLE, `lon`: DOUBLE>, `zip`: INT>)) AS lake_key
-- column home: CAST(NULL AS STRUCT<`city`: STRING, `geo`: STRUCT<`lat`: DOUBLE, `lon`: DOUBLE>, `zip`: INT>)
-- column cost: DECIMAL(38,10)
-- type_probe
SELECT typeof(CAST(NULL AS DECIMAL(38,10))) AS lake_key
-- column cost: CAST(NULL AS DECIMAL(38,10))
-- select_all
SELECT * FROM `people`
-- count_rows
SELECT CAST(count(*) AS STRING) AS lake_key FROM `people`
-- ingest_landed
SELECT `_ingest_id` AS lake_key FROM `people` WHERE `_ingest_id` = ? LIMIT 1
-- describe
DESCRIBE TABLE `people`
-- describe_json
DESCRIBE TABLE EXTENDED `people` AS JSON
-- properties
SHOW TBLPROPERTIES `people`
-- values_source
(SELECT *, ? AS `_ingest_id` FROM VALUES (?, struct(? AS `city`, struct(? AS `lat`, ? AS `lon`) AS `geo`, ? AS `zip`), ?), (CAST(NULL AS BIGINT), CAST(NULL AS STRUCT<`city`: STRING, `geo`: STRUCT<`lat`: DOUBLE, `lon`: DOUBLE>, `zip`: INT>), CAST(NULL AS DECIMAL(38,10))) AS v(`id`, `home`, `cost`))
-- move: a plain insert
INSERT INTO `people` (`id`, `home`, `cost`, `_ingest_id`) SELECT `id`, `home`, `cost`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move: a plain insert into another table
INSERT INTO `other` (`id`, `home`, `cost`, `_ingest_id`) SELECT `id`, `home`, `cost`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move on the merge keys, on conflict error
MERGE INTO `people` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`id` = lake_source.`id` WHEN MATCHED THEN UPDATE SET `id` = lake_source.`id`, `home` = lake_source.`home`, `cost` = lake_source.`cost`, `_ingest_id` = lake_source.`_ingest_id` WHEN NOT MATCHED THEN INSERT (`id`, `home`, `cost`, `_ingest_id`) VALUES (lake_source.`id`, lake_source.`home`, lake_source.`cost`, lake_source.`_ingest_id`)
-- move on the merge keys, on conflict ignore
MERGE INTO `people` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`id` = lake_source.`id` WHEN MATCHED THEN UPDATE SET `id` = lake_source.`id`, `home` = lake_source.`home`, `cost` = lake_source.`cost`, `_ingest_id` = lake_source.`_ingest_id` WHEN NOT MATCHED THEN INSERT (`id`, `home`, `cost`, `_ingest_id`) VALUES (lake_source.`id`, lake_source.`home`, lake_source.`cost`, lake_source.`_ingest_id`)
-- move on the merge keys, on conflict update
MERGE INTO `people` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`id` = lake_source.`id` WHEN MATCHED THEN UPDATE SET `id` = lake_source.`id`, `home` = lake_source.`home`, `cost` = lake_source.`cost`, `_ingest_id` = lake_source.`_ingest_id` WHEN NOT MATCHED THEN INSERT (`id`, `home`, `cost`, `_ingest_id`) VALUES (lake_source.`id`, lake_source.`home`, lake_source.`cost`, lake_source.`_ingest_id`)
-- duplicate_key on the merge keys
SELECT concat_ws(', ', CAST(`id` AS STRING)) AS lake_key FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?) GROUP BY `id` HAVING count(*) > 1 LIMIT 1
-- count_matched on the merge keys
SELECT CAST(count(*) AS STRING) AS lake_key FROM (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source WHERE EXISTS (SELECT 1 FROM `people` AS lake_target WHERE lake_target.`id` = lake_source.`id`)
-- parameters: 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f
