-- create_table
CREATE TABLE IF NOT EXISTS `profiles` (`id` BIGINT NOT NULL, `email` STRING NOT NULL, `region` STRING NOT NULL, `visits` INT NOT NULL, `_ingest_id` STRING) USING delta;

-- create_table under another name
CREATE TABLE IF NOT EXISTS `copy` (`id` BIGINT NOT NULL, `email` STRING NOT NULL, `region` STRING NOT NULL, `visits` INT NOT NULL, `_ingest_id` STRING) USING delta;

-- column id: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT)) AS lake_key
-- column id: CAST(NULL AS BIGINT)
-- column email: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column email: CAST(NULL AS STRING)
-- column region: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column region: CAST(NULL AS STRING)
-- column visits: INT
-- type_probe
SELECT typeof(CAST(NULL AS INT)) AS lake_key
-- column visits: CAST(NULL AS INT)
-- select_all
SELECT * FROM `profiles`
-- count_rows
SELECT CAST(count(*) AS STRING) AS lake_key FROM `profiles`
-- ingest_landed
SELECT `_ingest_id` AS lake_key FROM `profiles` WHERE `_ingest_id` = ? LIMIT 1
-- describe
DESCRIBE TABLE `profiles`
-- describe_json
DESCRIBE TABLE EXTENDED `profiles` AS JSON
-- properties
SHOW TBLPROPERTIES `profiles`
-- values_source
(SELECT *, ? AS `_ingest_id` FROM VALUES (?, ?, ?, ?), (CAST(NULL AS BIGINT), CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS INT)) AS v(`id`, `email`, `region`, `visits`))
-- move: a plain insert
INSERT INTO `profiles` (`id`, `email`, `region`, `visits`, `_ingest_id`) SELECT `id`, `email`, `region`, `visits`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move: a plain insert into another table
INSERT INTO `other` (`id`, `email`, `region`, `visits`, `_ingest_id`) SELECT `id`, `email`, `region`, `visits`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move on the primary key, on conflict error
INSERT INTO `profiles` (`id`, `email`, `region`, `visits`, `_ingest_id`) SELECT `id`, `email`, `region`, `visits`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move on the primary key, on conflict ignore
MERGE INTO `profiles` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`id` = lake_source.`id` WHEN NOT MATCHED THEN INSERT (`id`, `email`, `region`, `visits`, `_ingest_id`) VALUES (lake_source.`id`, lake_source.`email`, lake_source.`region`, lake_source.`visits`, lake_source.`_ingest_id`)
-- move on the primary key, on conflict update
MERGE INTO `profiles` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`id` = lake_source.`id` WHEN MATCHED THEN UPDATE SET `id` = lake_source.`id`, `email` = lake_source.`email`, `region` = lake_source.`region`, `visits` = lake_source.`visits`, `_ingest_id` = lake_source.`_ingest_id` WHEN NOT MATCHED THEN INSERT (`id`, `email`, `region`, `visits`, `_ingest_id`) VALUES (lake_source.`id`, lake_source.`email`, lake_source.`region`, lake_source.`visits`, lake_source.`_ingest_id`)
-- duplicate_key on the primary key
SELECT concat_ws(', ', CAST(`id` AS STRING)) AS lake_key FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?) GROUP BY `id` HAVING count(*) > 1 LIMIT 1
-- count_matched on the primary key
SELECT CAST(count(*) AS STRING) AS lake_key FROM (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source WHERE EXISTS (SELECT 1 FROM `profiles` AS lake_target WHERE lake_target.`id` = lake_source.`id`)
-- move on the merge keys, on conflict error
MERGE INTO `profiles` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`email` = lake_source.`email` AND lake_target.`region` = lake_source.`region` WHEN MATCHED THEN UPDATE SET `id` = lake_source.`id`, `email` = lake_source.`email`, `region` = lake_source.`region`, `visits` = lake_source.`visits`, `_ingest_id` = lake_source.`_ingest_id` WHEN NOT MATCHED THEN INSERT (`id`, `email`, `region`, `visits`, `_ingest_id`) VALUES (lake_source.`id`, lake_source.`email`, lake_source.`region`, lake_source.`visits`, lake_source.`_ingest_id`)
-- move on the merge keys, on conflict ignore
MERGE INTO `profiles` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`email` = lake_source.`email` AND lake_target.`region` = lake_source.`region` WHEN MATCHED THEN UPDATE SET `id` = lake_source.`id`, `email` = lake_source.`email`, `region` = lake_source.`region`, `visits` = lake_source.`visits`, `_ingest_id` = lake_source.`_ingest_id` WHEN NOT MATCHED THEN INSERT (`id`, `email`, `region`, `visits`, `_ingest_id`) VALUES (lake_source.`id`, lake_source.`email`, lake_source.`region`, lake_source.`visits`, lake_source.`_ingest_id`)
-- move on the merge keys, on conflict update
MERGE INTO `profiles` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`email` = lake_source.`email` AND lake_target.`region` = lake_source.`region` WHEN MATCHED THEN UPDATE SET `id` = lake_source.`id`, `email` = lake_source.`email`, `region` = lake_source.`region`, `visits` = lake_source.`visits`, `_ingest_id` = lake_source.`_ingest_id` WHEN NOT MATCHED THEN INSERT (`id`, `email`, `region`, `visits`, `_ingest_id`) VALUES (lake_source.`id`, lake_source.`email`, lake_source.`region`, lake_source.`visits`, lake_source.`_ingest_id`)
-- duplicate_key on the merge keys
SELECT concat_ws(', ', CAST(`email` AS STRING), CAST(`region` AS STRING)) AS lake_key FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?) GROUP BY `email`, `region` HAVING count(*) > 1 LIMIT 1
-- count_matched on the merge keys
SELECT CAST(count(*) AS STRING) AS lake_key FROM (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source WHERE EXISTS (SELECT 1 FROM `profiles` AS lake_target WHERE lake_target.`email` = lake_source.`email` AND lake_target.`region` = lake_source.`region`)
-- parameters: 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f
