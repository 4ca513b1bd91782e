-- create_table
CREATE TABLE IF NOT EXISTS `events` (`id` BIGINT NOT NULL, `tags` ARRAY<STRING>, `items` ARRAY<STRUCT<`sku`: STRING, `price`: DECIMAL(10,2), `marks`: ARRAY<INT>>> NOT NULL, `attrs` MAP<STRING, ARRAY<BIGINT>> NOT NULL, `ship` STRUCT<`city`: STRING>, `grid` ARRAY<ARRAY<DOUBLE>> NOT NULL, `payload` STRING, `_ingest_id` STRING) USING delta;

-- create_table under another name
CREATE TABLE IF NOT EXISTS `copy` (`id` BIGINT NOT NULL, `tags` ARRAY<STRING>, `items` ARRAY<STRUCT<`sku`: STRING, `price`: DECIMAL(10,2), `marks`: ARRAY<INT>>> NOT NULL, `attrs` MAP<STRING, ARRAY<BIGINT>> NOT NULL, `ship` STRUCT<`city`: STRING>, `grid` ARRAY<ARRAY<DOUBLE>> NOT NULL, `payload` STRING, `_ingest_id` STRING) USING delta;

-- column id: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT)) AS lake_key
-- column id: CAST(NULL AS BIGINT)
-- column tags: ARRAY<STRING>
-- type_probe
SELECT typeof(CAST(NULL AS ARRAY<STRING>)) AS lake_key
-- column tags: CAST(NULL AS ARRAY<STRING>)
-- column items: ARRAY<STRUCT<`sku`: STRING, `price`: DECIMAL(10,2), `marks`: ARRAY<INT>>>
-- type_probe
SELECT typeof(CAST(NULL AS ARRAY<STRUCT<`sku`: STRING, `price`: DECIMAL(10,2), `marks`: ARRAY<INT>>>)) AS lake_key
-- column items: CAST(NULL AS ARRAY<STRUCT<`sku`: STRING, `price`: DECIMAL(10,2), `marks`: ARRAY<INT>>>)
-- column attrs: MAP<STRING, ARRAY<BIGINT>>
-- type_probe
SELECT typeof(CAST(NULL AS MAP<STRING, ARRAY<BIGINT>>)) AS lake_key
-- column attrs: CAST(NULL AS MAP<STRING, ARRAY<BIGINT>>)
-- column ship: STRUCT<`city`: STRING>
-- type_probe
SELECT typeof(CAST(NULL AS STRUCT<`city`: STRING>)) AS lake_key
-- column ship: CAST(NULL AS STRUCT<`city`: STRING>)
-- column grid: ARRAY<ARRAY<DOUBLE>>
-- type_probe
SELECT typeof(CAST(NULL AS ARRAY<ARRAY<DOUBLE>>)) AS lake_key
-- column grid: CAST(NULL AS ARRAY<ARRAY<DOUBLE>>)
-- column payload: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column payload: CAST(NULL AS STRING)
-- select_all
SELECT * FROM `events`
-- count_rows
SELECT CAST(count(*) AS STRING) AS lake_key FROM `events`
-- ingest_landed
SELECT `_ingest_id` AS lake_key FROM `events` WHERE `_ingest_id` = ? LIMIT 1
-- describe
DESCRIBE TABLE `events`
-- describe_json
DESCRIBE TABLE EXTENDED `events` AS JSON
-- properties
SHOW TBLPROPERTIES `events`
-- values_source
(SELECT *, ? AS `_ingest_id` FROM VALUES (?, CAST(array(?, ?) AS ARRAY<STRING>), CAST(array(struct(? AS `sku`, ? AS `price`, CAST(array(?, ?) AS ARRAY<INT>) AS `marks`), struct(? AS `sku`, ? AS `price`, CAST(array(?, ?) AS ARRAY<INT>) AS `marks`)) AS ARRAY<STRUCT<`sku`: STRING, `price`: DECIMAL(10,2), `marks`: ARRAY<INT>>>), CAST(map(?, CAST(array(?, ?) AS ARRAY<BIGINT>)) AS MAP<STRING, ARRAY<BIGINT>>), struct(? AS `city`), CAST(array(CAST(array(?, ?) AS ARRAY<DOUBLE>), CAST(array(?, ?) AS ARRAY<DOUBLE>)) AS ARRAY<ARRAY<DOUBLE>>), ?), (CAST(NULL AS BIGINT), CAST(NULL AS ARRAY<STRING>), CAST(NULL AS ARRAY<STRUCT<`sku`: STRING, `price`: DECIMAL(10,2), `marks`: ARRAY<INT>>>), CAST(NULL AS MAP<STRING, ARRAY<BIGINT>>), CAST(NULL AS STRUCT<`city`: STRING>), CAST(NULL AS ARRAY<ARRAY<DOUBLE>>), CAST(NULL AS STRING)) AS v(`id`, `tags`, `items`, `attrs`, `ship`, `grid`, `payload`))
-- move: a plain insert
INSERT INTO `events` (`id`, `tags`, `items`, `attrs`, `ship`, `grid`, `payload`, `_ingest_id`) SELECT `id`, `tags`, `items`, `attrs`, `ship`, `grid`, `payload`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move: a plain insert into another table
INSERT INTO `other` (`id`, `tags`, `items`, `attrs`, `ship`, `grid`, `payload`, `_ingest_id`) SELECT `id`, `tags`, `items`, `attrs`, `ship`, `grid`, `payload`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move on the primary key, on conflict error
INSERT INTO `events` (`id`, `tags`, `items`, `attrs`, `ship`, `grid`, `payload`, `_ingest_id`) SELECT `id`, `tags`, `items`, `attrs`, `ship`, `grid`, `payload`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move on the primary key, on conflict ignore
MERGE INTO `events` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`id` = lake_source.`id` WHEN NOT MATCHED THEN INSERT (`id`, `tags`, `items`, `attrs`, `ship`, `grid`, `payload`, `_ingest_id`) VALUES (lake_source.`id`, lake_source.`tags`, lake_source.`items`, lake_source.`attrs`, lake_source.`ship`, lake_source.`grid`, lake_source.`payload`, lake_source.`_ingest_id`)
-- move on the primary key, on conflict update
MERGE INTO `events` AS lake_target USING (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source ON lake_target.`id` = lake_source.`id` WHEN MATCHED THEN UPDATE SET `id` = lake_source.`id`, `tags` = lake_source.`tags`, `items` = lake_source.`items`, `attrs` = lake_source.`attrs`, `ship` = lake_source.`ship`, `grid` = lake_source.`grid`, `payload` = lake_source.`payload`, `_ingest_id` = lake_source.`_ingest_id` WHEN NOT MATCHED THEN INSERT (`id`, `tags`, `items`, `attrs`, `ship`, `grid`, `payload`, `_ingest_id`) VALUES (lake_source.`id`, lake_source.`tags`, lake_source.`items`, lake_source.`attrs`, lake_source.`ship`, lake_source.`grid`, lake_source.`payload`, lake_source.`_ingest_id`)
-- duplicate_key on the primary key
SELECT concat_ws(', ', CAST(`id` AS STRING)) AS lake_key FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?) GROUP BY `id` HAVING count(*) > 1 LIMIT 1
-- count_matched on the primary key
SELECT CAST(count(*) AS STRING) AS lake_key FROM (SELECT * FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)) AS lake_source WHERE EXISTS (SELECT 1 FROM `events` AS lake_target WHERE lake_target.`id` = lake_source.`id`)
-- parameters: 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f
