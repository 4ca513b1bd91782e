-- create_table
CREATE TABLE IF NOT EXISTS "profiles" ("id" BIGINT NOT NULL, "email" VARCHAR NOT NULL, "region" VARCHAR NOT NULL, "visits" INTEGER NOT NULL, "_ingest_id" VARCHAR, PRIMARY KEY ("id"));

-- create_table under another name
CREATE TABLE IF NOT EXISTS "copy" ("id" BIGINT NOT NULL, "email" VARCHAR NOT NULL, "region" VARCHAR NOT NULL, "visits" INTEGER NOT NULL, "_ingest_id" VARCHAR, PRIMARY KEY ("id"));

-- column id: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT))
-- column id: CAST(NULL AS BIGINT)
-- column email: VARCHAR
-- type_probe
SELECT typeof(CAST(NULL AS VARCHAR))
-- column email: CAST(NULL AS VARCHAR)
-- column region: VARCHAR
-- type_probe
SELECT typeof(CAST(NULL AS VARCHAR))
-- column region: CAST(NULL AS VARCHAR)
-- column visits: INTEGER
-- type_probe
SELECT typeof(CAST(NULL AS INTEGER))
-- column visits: CAST(NULL AS INTEGER)
-- select_all
SELECT * FROM "profiles"
-- count_rows
SELECT count(*) FROM "profiles"
-- ingest_landed
SELECT "_ingest_id" AS lake_key FROM "profiles" WHERE "_ingest_id" = ? LIMIT 1
-- describe
SELECT c.column_name, c.data_type, c.is_nullable = 'YES', coalesce(list_contains(k.constraint_column_names, c.column_name), false) FROM information_schema.columns c LEFT JOIN (SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = ? AND schema_name = current_schema() AND constraint_type = 'PRIMARY KEY') k ON true WHERE c.table_name = ? AND c.table_schema = current_schema() ORDER BY c.ordinal_position
-- describe_json
(none)
-- properties
(none)
-- values_source
(SELECT *, ? AS "_ingest_id" FROM VALUES (?, ?, ?, ?), (CAST(NULL AS BIGINT), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS INTEGER)) AS v("id", "email", "region", "visits"))
-- move: a plain insert
INSERT INTO "profiles" ("id", "email", "region", "visits", "_ingest_id") SELECT "id", "email", "region", "visits", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move: a plain insert into another table
INSERT INTO "other" ("id", "email", "region", "visits", "_ingest_id") SELECT "id", "email", "region", "visits", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict error
INSERT INTO "profiles" ("id", "email", "region", "visits", "_ingest_id") SELECT "id", "email", "region", "visits", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict ignore
INSERT OR IGNORE INTO "profiles" ("id", "email", "region", "visits", "_ingest_id") SELECT "id", "email", "region", "visits", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict update
INSERT OR REPLACE INTO "profiles" ("id", "email", "region", "visits", "_ingest_id") SELECT "id", "email", "region", "visits", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- duplicate_key on the primary key
SELECT concat_ws(', ', CAST("id" AS VARCHAR)) AS lake_key FROM read_parquet(?) WHERE "_ingest_id" = ? GROUP BY "id" HAVING count(*) > 1 LIMIT 1
-- count_matched on the primary key
SELECT CAST(count(*) AS VARCHAR) AS lake_key FROM (SELECT * FROM read_parquet(?) WHERE "_ingest_id" = ?) AS lake_source WHERE EXISTS (SELECT 1 FROM "profiles" AS lake_target WHERE lake_target."id" = lake_source."id")
-- move on the merge keys, on conflict error
MERGE INTO "profiles" AS lake_target USING (SELECT * FROM read_parquet(?) WHERE "_ingest_id" = ?) AS lake_source ON lake_target."email" = lake_source."email" AND lake_target."region" = lake_source."region" WHEN MATCHED THEN UPDATE SET "id" = lake_source."id", "email" = lake_source."email", "region" = lake_source."region", "visits" = lake_source."visits", "_ingest_id" = lake_source."_ingest_id" WHEN NOT MATCHED THEN INSERT ("id", "email", "region", "visits", "_ingest_id") VALUES (lake_source."id", lake_source."email", lake_source."region", lake_source."visits", lake_source."_ingest_id")
-- move on the merge keys, on conflict ignore
MERGE INTO "profiles" AS lake_target USING (SELECT * FROM read_parquet(?) WHERE "_ingest_id" = ?) AS lake_source ON lake_target."email" = lake_source."email" AND lake_target."region" = lake_source."region" WHEN MATCHED THEN UPDATE SET "id" = lake_source."id", "email" = lake_source."email", "region" = lake_source."region", "visits" = lake_source."visits", "_ingest_id" = lake_source."_ingest_id" WHEN NOT MATCHED THEN INSERT ("id", "email", "region", "visits", "_ingest_id") VALUES (lake_source."id", lake_source."email", lake_source."region", lake_source."visits", lake_source."_ingest_id")
-- move on the merge keys, on conflict update
MERGE INTO "profiles" AS lake_target USING (SELECT * FROM read_parquet(?) WHERE "_ingest_id" = ?) AS lake_source ON lake_target."email" = lake_source."email" AND lake_target."region" = lake_source."region" WHEN MATCHED THEN UPDATE SET "id" = lake_source."id", "email" = lake_source."email", "region" = lake_source."region", "visits" = lake_source."visits", "_ingest_id" = lake_source."_ingest_id" WHEN NOT MATCHED THEN INSERT ("id", "email", "region", "visits", "_ingest_id") VALUES (lake_source."id", lake_source."email", lake_source."region", lake_source."visits", lake_source."_ingest_id")
-- duplicate_key on the merge keys
SELECT concat_ws(', ', CAST("email" AS VARCHAR), CAST("region" AS VARCHAR)) AS lake_key FROM read_parquet(?) WHERE "_ingest_id" = ? GROUP BY "email", "region" HAVING count(*) > 1 LIMIT 1
-- count_matched on the merge keys
SELECT CAST(count(*) AS VARCHAR) AS lake_key FROM (SELECT * FROM read_parquet(?) WHERE "_ingest_id" = ?) AS lake_source WHERE EXISTS (SELECT 1 FROM "profiles" AS lake_target WHERE lake_target."email" = lake_source."email" AND lake_target."region" = lake_source."region")
-- parameters: /staging/_staging/0190f6a3 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f
