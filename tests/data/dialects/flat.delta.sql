-- create_table
CREATE TABLE IF NOT EXISTS `events` (`seq` BIGINT NOT NULL, `b` BOOLEAN NOT NULL, `i8` TINYINT NOT NULL, `i16` SMALLINT NOT NULL, `i32` INT NOT NULL, `f32` FLOAT NOT NULL, `f64` DOUBLE NOT NULL, `note` STRING, `raw` BINARY, `at` TIMESTAMP NOT NULL, `day` DATE NOT NULL, `amount` DECIMAL(18,2) NOT NULL, `ref` STRING NOT NULL, `sid` STRING NOT NULL, `batch` STRING NOT NULL, `_ingest_id` STRING) USING delta;

-- create_table under another name
CREATE TABLE IF NOT EXISTS `copy` (`seq` BIGINT NOT NULL, `b` BOOLEAN NOT NULL, `i8` TINYINT NOT NULL, `i16` SMALLINT NOT NULL, `i32` INT NOT NULL, `f32` FLOAT NOT NULL, `f64` DOUBLE NOT NULL, `note` STRING, `raw` BINARY, `at` TIMESTAMP NOT NULL, `day` DATE NOT NULL, `amount` DECIMAL(18,2) NOT NULL, `ref` STRING NOT NULL, `sid` STRING NOT NULL, `batch` STRING NOT NULL, `_ingest_id` STRING) USING delta;

-- column seq: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT)) AS lake_key
-- column seq: CAST(NULL AS BIGINT)
-- column b: BOOLEAN
-- type_probe
SELECT typeof(CAST(NULL AS BOOLEAN)) AS lake_key
-- column b: CAST(NULL AS BOOLEAN)
-- column i8: TINYINT
-- type_probe
SELECT typeof(CAST(NULL AS TINYINT)) AS lake_key
-- column i8: CAST(NULL AS TINYINT)
-- column i16: SMALLINT
-- type_probe
SELECT typeof(CAST(NULL AS SMALLINT)) AS lake_key
-- column i16: CAST(NULL AS SMALLINT)
-- column i32: INT
-- type_probe
SELECT typeof(CAST(NULL AS INT)) AS lake_key
-- column i32: CAST(NULL AS INT)
-- column f32: FLOAT
-- type_probe
SELECT typeof(CAST(NULL AS FLOAT)) AS lake_key
-- column f32: CAST(NULL AS FLOAT)
-- column f64: DOUBLE
-- type_probe
SELECT typeof(CAST(NULL AS DOUBLE)) AS lake_key
-- column f64: CAST(NULL AS DOUBLE)
-- column note: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column note: CAST(NULL AS STRING)
-- column raw: BINARY
-- type_probe
SELECT typeof(CAST(NULL AS BINARY)) AS lake_key
-- column raw: CAST(NULL AS BINARY)
-- column at: TIMESTAMP
-- type_probe
SELECT typeof(CAST(NULL AS TIMESTAMP)) AS lake_key
-- column at: CAST(NULL AS TIMESTAMP)
-- column day: DATE
-- type_probe
SELECT typeof(CAST(NULL AS DATE)) AS lake_key
-- column day: CAST(NULL AS DATE)
-- column amount: DECIMAL(18,2)
-- type_probe
SELECT typeof(CAST(NULL AS DECIMAL(18,2))) AS lake_key
-- column amount: CAST(NULL AS DECIMAL(18,2))
-- column ref: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column ref: CAST(NULL AS STRING)
-- column sid: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column sid: CAST(NULL AS STRING)
-- column batch: STRING
-- type_probe
SELECT typeof(CAST(NULL AS STRING)) AS lake_key
-- column batch: CAST(NULL AS STRING)
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
(SELECT *, ? AS `_ingest_id` FROM VALUES (?, ?, ?, ?, ?, ?, ?, ?, unbase64(?), ?, ?, ?, ?, ?, ?), (CAST(NULL AS BIGINT), CAST(NULL AS BOOLEAN), CAST(NULL AS TINYINT), CAST(NULL AS SMALLINT), CAST(NULL AS INT), CAST(NULL AS FLOAT), CAST(NULL AS DOUBLE), CAST(NULL AS STRING), CAST(NULL AS BINARY), CAST(NULL AS TIMESTAMP), CAST(NULL AS DATE), CAST(NULL AS DECIMAL(18,2)), CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING)) AS v(`seq`, `b`, `i8`, `i16`, `i32`, `f32`, `f64`, `note`, `raw`, `at`, `day`, `amount`, `ref`, `sid`, `batch`))
-- move: a plain insert
INSERT INTO `events` (`seq`, `b`, `i8`, `i16`, `i32`, `f32`, `f64`, `note`, `raw`, `at`, `day`, `amount`, `ref`, `sid`, `batch`, `_ingest_id`) SELECT `seq`, `b`, `i8`, `i16`, `i32`, `f32`, `f64`, `note`, `raw`, `at`, `day`, `amount`, `ref`, `sid`, `batch`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- move: a plain insert into another table
INSERT INTO `other` (`seq`, `b`, `i8`, `i16`, `i32`, `f32`, `f64`, `note`, `raw`, `at`, `day`, `amount`, `ref`, `sid`, `batch`, `_ingest_id`) SELECT `seq`, `b`, `i8`, `i16`, `i32`, `f32`, `f64`, `note`, `raw`, `at`, `day`, `amount`, `ref`, `sid`, `batch`, `_ingest_id` FROM (SELECT * FROM parquet.`/staging/_staging/0190f6a3` WHERE `_ingest_id` = ?)
-- parameters: 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f
