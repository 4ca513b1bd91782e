-- dialect duckdb (duckdb), enforces primary keys: yes, key property: (none)
-- ident
"plain"
-- table
"plain"
-- ident
"we""ird"
-- table
"we""ird"
-- ident
"back`tick"
-- table
"back`tick"
-- ident
"cat.schema.table"
-- table
"cat.schema.table"
-- ident
"a.""b`.c"
-- table
"a.""b`.c"
-- create_schema
CREATE SCHEMA IF NOT EXISTS "analytics"
-- create_schema in a catalog
CREATE SCHEMA IF NOT EXISTS "main`cat"."ana""lytics"
-- use_schema
USE "analytics"
-- use_schema in a catalog
USE "main`cat"."ana""lytics"
-- begin
BEGIN TRANSACTION
-- commit
COMMIT
-- rollback
ROLLBACK
-- staged_source
read_parquet(?)
-- parameters: /tmp/stage`d/_staging/id
-- staged_source, this request's rows only
read_parquet(?) WHERE "_ingest_id" = ?
-- parameters: /tmp/stage`d/_staging/id id-1
-- create_temp_like
CREATE TEMP TABLE "lake_batch_1" AS SELECT * FROM "ev""ents" LIMIT 0
-- drop_temp
DROP TABLE "lake_batch_1"
-- drop_view
DROP VIEW IF EXISTS "lake_batch_1_0"
-- from_base64
from_base64(?)
-- from_base64 of a named marker
from_base64(:p1)
-- union_all of one
"lake_batch_1_0"
-- union_all of three
(SELECT * FROM "lake_batch_1_0" UNION ALL SELECT * FROM "lake_batch_1_1" UNION ALL SELECT * FROM "we`ird""view")
-- ingests_create
CREATE TABLE IF NOT EXISTS "_lakeorm_ingests" (idempotency_key VARCHAR PRIMARY KEY, ingest_id VARCHAR NOT NULL, table_name VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL, fingerprint VARCHAR)
-- ingests_probe_fingerprint
SELECT fingerprint FROM "_lakeorm_ingests" LIMIT 0
-- ingests_add_fingerprint
ALTER TABLE "_lakeorm_ingests" ADD COLUMN IF NOT EXISTS fingerprint VARCHAR
-- ingests_find
SELECT concat_ws(' ', ingest_id, coalesce(fingerprint, '-'), table_name) AS lake_key FROM "_lakeorm_ingests" WHERE idempotency_key = ? AND created_at > ?
-- ingests_claim
INSERT OR REPLACE INTO "_lakeorm_ingests" (idempotency_key, ingest_id, table_name, created_at, fingerprint) VALUES (?, ?, ?, now(), ?)
