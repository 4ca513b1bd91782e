-- create_table
CREATE TABLE IF NOT EXISTS `events` (`seq` BIGINT NOT NULL, `b` BOOLEAN NOT NULL, `i8` TINYINT NOT NULL, `i16` SMALLINT NOT NULL, `i32` INT NOT NULL, `f32` FLOAT NOT NULL, `f64` DOUBLE NOT NULL, `note` STRING, `raw` BINARY, `at` TIMESTAMP NOT NULL, `day` DATE NOT NULL, `amount` DECIMAL(18,2) NOT NULL, `ref` STRING NOT NULL, `sid` STRING NOT NULL, `batch` STRING NOT NULL, `_ingest_id` STRING) USING iceberg;

-- create_table under another name
CREATE TABLE IF NOT EXISTS `copy` (`seq` BIGINT NOT NULL, `b` BOOLEAN NOT NULL, `i8` TINYINT NOT NULL, `i16` SMALLINT NOT NULL, `i32` INT NOT NULL, `f32` FLOAT NOT NULL, `f64` DOUBLE NOT NULL, `note` STRING, `raw` BINARY, `at` TIMESTAMP NOT NULL, `day` DATE NOT NULL, `amount` DECIMAL(18,2) NOT NULL, `ref` STRING NOT NULL, `sid` STRING NOT NULL, `batch` STRING NOT NULL, `_ingest_id` STRING) USING iceberg;

-- column seq: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT)) AS lake_key
-- column b: BOOLEAN
-- type_probe
SELECT typeof(CAST(NULL AS BOOLEAN)) AS lake_key
-- column i8: TINYINT
-- type_probe
SELECT typeof(CAST(NULL AS INT)) AS lake_key
-- column i16: SMALLINT
-- type_probe
SELECT typeof(CAST(NULL AS INT)) AS lake_key
-- column i32: INT
-- type_probe
SELECT typeof(CAST(NULL AS INT)) AS lake_key
-- column f32: FLOAT
-- type_probe
SELECT typeof(CAST(NULL AS FLOAT)) AS lake_key
-- column f64: DOUBLE
-- type_probe
SELECT typeof(CAST(NULL AS DOUBLE)) AS lake_key
-- column note: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column raw: BINARY
-- type_probe
SELECT typeof(CAST(NULL AS BINARY)) AS lake_key
-- column at: TIMESTAMP
-- type_probe
SELECT typeof(CAST(NULL AS TIMESTAMP)) AS lake_key
-- column day: DATE
-- type_probe
SELECT typeof(CAST(NULL AS DATE)) AS lake_key
-- column amount: DECIMAL(18,2)
-- type_probe
SELECT typeof(CAST(NULL AS DECIMAL(18,2))) AS lake_key
-- column ref: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column sid: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column batch: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- select_all
SELECT * FROM `events`
-- count_rows
SELECT CAST(count(*) AS STRING) AS lake_key FROM `events`
-- ingest_landed
SELECT `_ingest_id` AS lake_key FROM `events` WHERE `_ingest_id` = ? LIMIT 1
-- describe
DESCRIBE TABLE `events`
-- move: a plain insert
INSERT INTO `events` (`seq`, `b`, `i8`, `i16`, `i32`, `f32`, `f64`, `note`, `raw`, `at`, `day`, `amount`, `ref`, `sid`, `batch`, `_ingest_id`) SELECT `seq`, `b`, `i8`, `i16`, `i32`, `f32`, `f64`, `note`, `raw`, `at`, `day`, `amount`, `ref`, `sid`, `batch`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move: a plain insert into another table
INSERT INTO `other` (`seq`, `b`, `i8`, `i16`, `i32`, `f32`, `f64`, `note`, `raw`, `at`, `day`, `amount`, `ref`, `sid`, `batch`, `_ingest_id`) SELECT `seq`, `b`, `i8`, `i16`, `i32`, `f32`, `f64`, `note`, `raw`, `at`, `day`, `amount`, `ref`, `sid`, `batch`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- parameters: 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f
