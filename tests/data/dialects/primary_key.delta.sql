-- create_table
CREATE TABLE IF NOT EXISTS `accounts` (`tenant` STRING NOT NULL, `id` BIGINT NOT NULL, `email` STRING NOT NULL, `balance` DECIMAL(10,2), `_ingest_id` STRING) USING delta;

-- create_table under another name
CREATE TABLE IF NOT EXISTS `copy` (`tenant` STRING NOT NULL, `id` BIGINT NOT NULL, `email` STRING NOT NULL, `balance` DECIMAL(10,2), `_ingest_id` STRING) USING delta;

-- column tenant: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column tenant: CAST(NULL AS STRING)
-- column id: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT)) AS lake_key
-- column id: CAST(NULL AS BIGINT)
-- column email: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column email: CAST(NULL AS STRING)
-- column balance: DECIMAL(10,2)
-- type_probe
SELECT typeof(CAST(NULL AS DECIMAL(10,2))) AS lake_key
-- column balance: CAST(NULL AS DECIMAL(10,2))
-- select_all
SELECT * FROM `accounts`
-- count_rows
SELECT CAST(count(*) AS STRING) AS lake_key FROM `accounts`
-- ingest_landed
SELECT `_ingest_id` AS lake_key FROM `accounts` WHERE `_ingest_id` = ? LIMIT 1
-- describe
DESCRIBE TABLE `accounts`
-- describe_json
DESCRIBE TABLE EXTENDED `accounts` AS JSON
-- properties
SHOW TBLPROPERTIES `accounts`
-- values_source
(SELECT *, ? AS `_ingest_id` FROM VALUES (?, ?, ?, ?), (CAST(NULL AS STRING), CAST(NULL AS BIGINT), CAST(NULL AS STRING), CAST(NULL AS DECIMAL(10,2))) AS v(`tenant`, `id`, `email`, `balance`))
-- move: a plain insert
INSERT INTO `accounts` (`tenant`, `id`, `email`, `balance`, `_ingest_id`) SELECT `tenant`, `id`, `email`, `balance`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move: a plain insert into another table
INSERT INTO `other` (`tenant`, `id`, `email`, `balance`, `_ingest_id`) SELECT `tenant`, `id`, `email`, `balance`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move on the primary key, on conflict error
INSERT INTO `accounts` (`tenant`, `id`, `email`, `balance`, `_ingest_id`) SELECT `tenant`, `id`, `email`, `balance`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move on the primary key, on conflict ignore
MERGE INTO `accounts` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`tenant` = lake_source.`tenant` AND lake_target.`id` = lake_source.`id` WHEN NOT MATCHED THEN INSERT (`tenant`, `id`, `email`, `balance`, `_ingest_id`) VALUES (lake_source.`tenant`, lake_source.`id`, lake_source.`email`, lake_source.`balance`, lake_source.`_ingest_id`)
-- move on the primary key, on conflict update
MERGE INTO `accounts` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`tenant` = lake_source.`tenant` AND lake_target.`id` = lake_source.`id` WHEN MATCHED THEN UPDATE SET `tenant` = lake_source.`tenant`, `id` = lake_source.`id`, `email` = lake_source.`email`, `balance` = lake_source.`balance`, `_ingest_id` = lake_source.`_ingest_id` WHEN NOT MATCHED THEN INSERT (`tenant`, `id`, `email`, `balance`, `_ingest_id`) VALUES (lake_source.`tenant`, lake_source.`id`, lake_source.`email`, lake_source.`balance`, lake_source.`_ingest_id`)
-- duplicate_key on the primary key
SELECT concat_ws(', ', CAST(`tenant` AS STRING), CAST(`id` AS STRING)) AS lake_key FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?) GROUP BY `tenant`, `id` HAVING count(*) > 1 LIMIT 1
-- count_matched on the primary key
SELECT CAST(count(*) AS STRING) AS lake_key FROM (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source WHERE EXISTS (SELECT 1 FROM `accounts` AS lake_target WHERE lake_target.`tenant` = lake_source.`tenant` AND lake_target.`id` = lake_source.`id`)
-- parameters: 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f
