-- create_table
CREATE TABLE IF NOT EXISTS `lake`.`sales`.`orders` (`id` BIGINT NOT NULL, `placed_at` TIMESTAMP NOT NULL, `shipped` DATE NOT NULL, `booked` TIMESTAMP NOT NULL, `seen` TIMESTAMP NOT NULL, `shard` BIGINT NOT NULL, `sku` STRING NOT NULL, `region` STRING NOT NULL, `_ingest_id` STRING) USING iceberg PARTITIONED BY (days(`placed_at`), months(`shipped`), years(`booked`), hours(`seen`), bucket(16, `shard`), truncate(4, `sku`), `region`);
ALTER TABLE `lake`.`sales`.`orders` SET IDENTIFIER FIELDS `id`;

-- create_table under another name
CREATE TABLE IF NOT EXISTS `copy` (`id` BIGINT NOT NULL, `placed_at` TIMESTAMP NOT NULL, `shipped` DATE NOT NULL, `booked` TIMESTAMP NOT NULL, `seen` TIMESTAMP NOT NULL, `shard` BIGINT NOT NULL, `sku` STRING NOT NULL, `region` STRING NOT NULL, `_ingest_id` STRING) USING iceberg PARTITIONED BY (days(`placed_at`), months(`shipped`), years(`booked`), hours(`seen`), bucket(16, `shard`), truncate(4, `sku`), `region`);
ALTER TABLE `copy` SET IDENTIFIER FIELDS `id`;

-- column id: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT)) AS lake_key
-- column id: CAST(NULL AS BIGINT)
-- column placed_at: TIMESTAMP
-- type_probe
SELECT typeof(CAST(NULL AS TIMESTAMP)) AS lake_key
-- column placed_at: CAST(NULL AS TIMESTAMP)
-- column shipped: DATE
-- type_probe
SELECT typeof(CAST(NULL AS DATE)) AS lake_key
-- column shipped: CAST(NULL AS DATE)
-- column booked: TIMESTAMP
-- type_probe
SELECT typeof(CAST(NULL AS TIMESTAMP)) AS lake_key
-- column booked: CAST(NULL AS TIMESTAMP)
-- column seen: TIMESTAMP
-- type_probe
SELECT typeof(CAST(NULL AS TIMESTAMP)) AS lake_key
-- column seen: CAST(NULL AS TIMESTAMP)
-- column shard: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT)) AS lake_key
-- column shard: CAST(NULL AS BIGINT)
-- column sku: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column sku: CAST(NULL AS STRING)
-- column region: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column region: CAST(NULL AS STRING)
-- select_all
SELECT * FROM `lake`.`sales`.`orders`
-- count_rows
SELECT CAST(count(*) AS STRING) AS lake_key FROM `lake`.`sales`.`orders`
-- ingest_landed
SELECT `_ingest_id` AS lake_key FROM `lake`.`sales`.`orders` WHERE `_ingest_id` = ? LIMIT 1
-- describe
DESCRIBE TABLE `lake`.`sales`.`orders`
-- describe_json
DESCRIBE TABLE EXTENDED `lake`.`sales`.`orders` AS JSON
-- properties
SHOW TBLPROPERTIES `lake`.`sales`.`orders`
-- values_source
(SELECT *, ? AS `_ingest_id` FROM VALUES (?, ?, ?, ?, ?, ?, ?, ?), (CAST(NULL AS BIGINT), CAST(NULL AS TIMESTAMP), CAST(NULL AS DATE), CAST(NULL AS TIMESTAMP), CAST(NULL AS TIMESTAMP), CAST(NULL AS BIGINT), CAST(NULL AS STRING), CAST(NULL AS STRING)) AS v(`id`, `placed_at`, `shipped`, `booked`, `seen`, `shard`, `sku`, `region`))
-- move: a plain insert
INSERT INTO `lake`.`sales`.`orders` (`id`, `placed_at`, `shipped`, `booked`, `seen`, `shard`, `sku`, `region`, `_ingest_id`) SELECT `id`, `placed_at`, `shipped`, `booked`, `seen`, `shard`, `sku`, `region`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move: a plain insert into another table
INSERT INTO `other` (`id`, `placed_at`, `shipped`, `booked`, `seen`, `shard`, `sku`, `region`, `_ingest_id`) SELECT `id`, `placed_at`, `shipped`, `booked`, `seen`, `shard`, `sku`, `region`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move on the primary key, on conflict error
INSERT INTO `lake`.`sales`.`orders` (`id`, `placed_at`, `shipped`, `booked`, `seen`, `shard`, `sku`, `region`, `_ingest_id`) SELECT `id`, `placed_at`, `shipped`, `booked`, `seen`, `shard`, `sku`, `region`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move on the primary key, on conflict ignore
MERGE INTO `lake`.`sales`.`orders` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`id` = lake_source.`id` WHEN NOT MATCHED THEN INSERT (`id`, `placed_at`, `shipped`, `booked`, `seen`, `shard`, `sku`, `region`, `_ingest_id`) VALUES (lake_source.`id`, lake_source.`placed_at`, lake_source.`shipped`, lake_source.`booked`, lake_source.`seen`, lake_source.`shard`, lake_source.`sku`, lake_source.`region`, lake_source.`_ingest_id`)
-- move on the primary key, on conflict update
MERGE INTO `lake`.`sales`.`orders` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`id` = lake_source.`id` WHEN MATCHED THEN UPDATE SET `id` = lake_source.`id`, `placed_at` = lake_source.`placed_at`, `shipped` = lake_source.`shipped`, `booked` = lake_source.`booked`, `seen` = lake_source.`seen`, `shard` = lake_source.`shard`, `sku` = lake_source.`sku`, `region` = lake_source.`region`, `_ingest_id` = lake_source.`_ingest_id` WHEN NOT MATCHED THEN INSERT (`id`, `placed_at`, `shipped`, `booked`, `seen`, `shard`, `sku`, `region`, `_ingest_id`) VALUES (lake_source.`id`, lake_source.`placed_at`, lake_source.`shipped`, lake_source.`booked`, lake_source.`seen`, lake_source.`shard`, lake_source.`sku`, lake_source.`region`, lake_source.`_ingest_id`)
-- duplicate_key on the primary key
SELECT concat_ws(', ', CAST(`id` AS STRING)) AS lake_key FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?) GROUP BY `id` HAVING count(*) > 1 LIMIT 1
-- count_matched on the primary key
SELECT CAST(count(*) AS STRING) AS lake_key FROM (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source WHERE EXISTS (SELECT 1 FROM `lake`.`sales`.`orders` AS lake_target WHERE lake_target.`id` = lake_source.`id`)
-- parameters: 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f
