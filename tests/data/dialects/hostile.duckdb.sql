-- create_table
CREATE TABLE IF NOT EXISTS "we""ird`.ta ble" ("i""d" BIGINT NOT NULL, "m`k" VARCHAR NOT NULL, "se-lect" BIGINT NOT NULL, "s""t`r" STRUCT("a""`b" INTEGER) NOT NULL, "café ü" VARCHAR, "_ingest_id" VARCHAR, PRIMARY KEY ("i""d"));

-- create_table under another name
CREATE TABLE IF NOT EXISTS "copy" ("i""d" BIGINT NOT NULL, "m`k" VARCHAR NOT NULL, "se-lect" BIGINT NOT NULL, "s""t`r" STRUCT("a""`b" INTEGER) NOT NULL, "café ü" VARCHAR, "_ingest_id" VARCHAR, PRIMARY KEY ("i""d"));

-- column i"d: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT))
-- column i"d: CAST(NULL AS BIGINT)
-- column m`k: VARCHAR
-- type_probe
SELECT typeof(CAST(NULL AS VARCHAR))
-- column m`k: CAST(NULL AS VARCHAR)
-- column se-lect: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT))
-- column se-lect: CAST(NULL AS BIGINT)
-- column s"t`r: STRUCT("a""`b" INTEGER)
-- type_probe
SELECT typeof(CAST(NULL AS STRUCT("a""`b" INTEGER)))
-- column s"t`r: CAST(NULL AS STRUCT("a""`b" INTEGER))
-- column café ü: VARCHAR
-- type_probe
SELECT typeof(CAST(NULL AS VARCHAR))
-- column café ü: CAST(NULL AS VARCHAR)
-- select_all
SELECT * FROM "we""ird`.ta ble"
-- count_rows
SELECT count(*) FROM "we""ird`.ta ble"
-- ingest_landed
SELECT "_ingest_id" AS lake_key FROM "we""ird`.ta ble" WHERE "_ingest_id" = ? LIMIT 1
-- describe
SELECT c.column_name, c.data_type, c.is_nullable = 'YES', coalesce(list_contains(k.constraint_column_names, c.column_name), false) FROM information_schema.columns c LEFT JOIN (SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = ? AND schema_name = current_schema() AND constraint_type = 'PRIMARY KEY') k ON true WHERE c.table_name = ? AND c.table_schema = current_schema() ORDER BY c.ordinal_position
-- describe_json
(none)
-- properties
(none)
-- values_source
(SELECT *, ? AS "_ingest_id" FROM VALUES (?, ?, ?, struct_pack("a""`b" := ?), ?), (CAST(NULL AS BIGINT), CAST(NULL AS VARCHAR), CAST(NULL AS BIGINT), CAST(NULL AS STRUCT("a""`b" INTEGER)), CAST(NULL AS VARCHAR)) AS v("i""d", "m`k", "se-lect", "s""t`r", "café ü"))
-- move: a plain insert
INSERT INTO "we""ird`.ta ble" ("i""d", "m`k", "se-lect", "s""t`r", "café ü", "_ingest_id") SELECT "i""d", "m`k", "se-lect", "s""t`r", "café ü", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move: a plain insert into another table
INSERT INTO "other" ("i""d", "m`k", "se-lect", "s""t`r", "café ü", "_ingest_id") SELECT "i""d", "m`k", "se-lect", "s""t`r", "café ü", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict error
INSERT INTO "we""ird`.ta ble" ("i""d", "m`k", "se-lect", "s""t`r", "café ü", "_ingest_id") SELECT "i""d", "m`k", "se-lect", "s""t`r", "café ü", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict ignore
INSERT OR IGNORE INTO "we""ird`.ta ble" ("i""d", "m`k", "se-lect", "s""t`r", "café ü", "_ingest_id") SELECT "i""d", "m`k", "se-lect", "s""t`r", "café ü", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict update
INSERT OR REPLACE INTO "we""ird`.ta ble" ("i""d", "m`k", "se-lect", "s""t`r", "café ü", "_ingest_id") SELECT "i""d", "m`k", "se-lect", "s""t`r", "café ü", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- duplicate_key on the primary key
SELECT concat_ws(', ', CAST("i""d" AS VARCHAR)) AS lake_key FROM read_parquet(?) WHERE "_ingest_id" = ? GROUP BY "i""d" HAVING count(*) > 1 LIMIT 1
-- count_matched on the primary key
SELECT CAST(count(*) AS VARCHAR) AS lake_key FROM (SELECT * FROM read_parquet(?) WHERE "_ingest_id" = ?) AS lake_source WHERE EXISTS (SELECT 1 FROM "we""ird`.ta ble" AS lake_target WHERE lake_target."i""d" = lake_source."i""d")
-- move on the merge keys, on conflict error
MERGE INTO "we""ird`.ta ble" AS lake_target USING (SELECT * FROM read_parquet(?) WHERE "_ingest_id" = ?) AS lake_source ON lake_target."m`k" = lake_source."m`k" WHEN MATCHED THEN UPDATE SET "i""d" = lake_source."i""d", "m`k" = lake_source."m`k", "se-lect" = lake_source."se-lect", "s""t`r" = lake_source."s""t`r", "café ü" = lake_source."café ü", "_ingest_id" = lake_source."_ingest_id" WHEN NOT MATCHED THEN INSERT ("i""d", "m`k", "se-lect", "s""t`r", "café ü", "_ingest_id") VALUES (lake_source."i""d", lake_source."m`k", lake_source."se-lect", lake_source."s""t`r", lake_source."café ü", lake_source."_ingest_id")
-- move on the merge keys, on conflict ignore
MERGE INTO "we""ird`.ta ble" AS lake_target USING (SELECT * FROM read_parquet(?) WHERE "_ingest_id" = ?) AS lake_source ON lake_target."m`k" = lake_source."m`k" WHEN MATCHED THEN UPDATE SET "i""d" = lake_source."i""d", "m`k" = lake_source."m`k", "se-lect" = lake_source."se-lect", "s""t`r" = lake_source."s""t`r", "café ü" = lake_source."café ü", "_ingest_id" = lake_source."_ingest_id" WHEN NOT MATCHED THEN INSERT ("i""d", "m`k", "se-lect", "s""t`r", "café ü", "_ingest_id") VALUES (lake_source."i""d", lake_source."m`k", lake_source."se-lect", lake_source."s""t`r", lake_source."café ü", lake_source."_ingest_id")
-- move on the merge keys, on conflict update
MERGE INTO "we""ird`.ta ble" AS lake_target USING (SELECT * FROM read_parquet(?) WHERE "_ingest_id" = ?) AS lake_source ON lake_target."m`k" = lake_source."m`k" WHEN MATCHED THEN UPDATE SET "i""d" = lake_source."i""d", "m`k" = lake_source."m`k", "se-lect" = lake_source."se-lect", "s""t`r" = lake_source."s""t`r", "café ü" = lake_source."café ü", "_ingest_id" = lake_source."_ingest_id" WHEN NOT MATCHED THEN INSERT ("i""d", "m`k", "se-lect", "s""t`r", "café ü", "_ingest_id") VALUES (lake_source."i""d", lake_source."m`k", lake_source."se-lect", lake_source."s""t`r", lake_source."café ü", lake_source."_ingest_id")
-- duplicate_key on the merge keys
SELECT concat_ws(', ', CAST("m`k" AS VARCHAR)) AS lake_key FROM read_parquet(?) WHERE "_ingest_id" = ? GROUP BY "m`k" HAVING count(*) > 1 LIMIT 1
-- count_matched on the merge keys
SELECT CAST(count(*) AS VARCHAR) AS lake_key FROM (SELECT * FROM read_parquet(?) WHERE "_ingest_id" = ?) AS lake_source WHERE EXISTS (SELECT 1 FROM "we""ird`.ta ble" AS lake_target WHERE lake_target."m`k" = lake_source."m`k")
-- parameters: /staging/_staging/0190f6a3 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f
