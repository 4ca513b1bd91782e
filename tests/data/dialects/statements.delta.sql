-- dialect delta (delta), enforces primary keys: no, key property: (none)
-- ident
`plain`
-- table
`plain`
-- ident
`we"ird`
-- table
`we"ird`
-- ident
`back``tick`
-- table
`back``tick`
-- ident
`cat.schema.table`
-- table
`cat`.`schema`.`table`
-- ident
`a."b``.c`
-- table
`a`.`"b```.`c`
-- create_schema
CREATE NAMESPACE IF NOT EXISTS `analytics`
-- create_schema in a catalog
CREATE NAMESPACE IF NOT EXISTS `main``cat`.`ana"lytics`
-- use_schema
USE `analytics`
-- use_schema in a catalog
USE `main``cat`.`ana"lytics`
-- begin
(none)
-- commit
(none)
-- rollback
(none)
-- staged_source
(SELECT * FROM parquet.`/tmp/stage``d/_staging/id` WHERE `_ingest_id` = ?)
-- parameters: id-1
-- staged_source, this request's rows only
(SELECT * FROM parquet.`/tmp/stage``d/_staging/id` WHERE `_ingest_id` = ?)
-- parameters: id-1
-- create_temp_like
(none)
-- drop_temp
(none)
-- drop_view
DROP VIEW IF EXISTS `lake_batch_1_0`
-- from_base64
unbase64(?)
-- from_base64 of a named marker
unbase64(:p1)
-- union_all of one
`lake_batch_1_0`
-- union_all of three
(SELECT * FROM `lake_batch_1_0` UNION ALL SELECT * FROM `lake_batch_1_1` UNION ALL SELECT * FROM `we``ird"view`)
-- ingests_create
CREATE TABLE IF NOT EXISTS `_lakeorm_ingests` (idempotency_key STRING, ingest_id STRING, table_name STRING, created_at TIMESTAMP, fingerprint STRING) USING delta
-- ingests_probe_fingerprint
SELECT fingerprint AS lake_key FROM `_lakeorm_ingests` LIMIT 0
-- ingests_add_fingerprint
ALTER TABLE `_lakeorm_ingests` ADD COLUMNS (fingerprint STRING)
-- ingests_find
SELECT concat_ws(' ', ingest_id, coalesce(fingerprint, '-'), table_name) AS lake_key FROM `_lakeorm_ingests` WHERE idempotency_key = ? AND created_at > ? ORDER BY created_at DESC LIMIT 1
-- ingests_claim
MERGE INTO `_lakeorm_ingests` AS t USING (SELECT ? AS idempotency_key, ? AS ingest_id, ? AS table_name, current_timestamp() AS created_at, ? AS fingerprint) AS s ON t.idempotency_key = s.idempotency_key WHEN MATCHED THEN UPDATE SET ingest_id = s.ingest_id, table_name = s.table_name, created_at = s.created_at, fingerprint = s.fingerprint WHEN NOT MATCHED THEN INSERT (idempotency_key, ingest_id, table_name, created_at, fingerprint) VALUES (s.idempotency_key, s.ingest_id, s.table_name, s.created_at, s.fingerprint)
