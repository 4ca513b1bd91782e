-- create_table
CREATE TABLE IF NOT EXISTS "accounts" ("tenant" VARCHAR NOT NULL, "id" BIGINT NOT NULL, "email" VARCHAR NOT NULL, "balance" DECIMAL(10,2), "_ingest_id" VARCHAR, PRIMARY KEY ("tenant", "id"));

-- create_table under another name
CREATE TABLE IF NOT EXISTS "copy" ("tenant" VARCHAR NOT NULL, "id" BIGINT NOT NULL, "email" VARCHAR NOT NULL, "balance" DECIMAL(10,2), "_ingest_id" VARCHAR, PRIMARY KEY ("tenant", "id"));

-- column tenant: VARCHAR
-- type_probe
SELECT typeof(CAST(NULL AS VARCHAR))
-- column tenant: CAST(NULL AS VARCHAR)
-- column id: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT))
-- column id: CAST(NULL AS BIGINT)
-- column email: VARCHAR
-- type_probe
SELECT typeof(CAST(NULL AS VARCHAR))
-- column email: CAST(NULL AS VARCHAR)
-- column balance: DECIMAL(10,2)
-- type_probe
SELECT typeof(CAST(NULL AS DECIMAL(10,2)))
-- column balance: CAST(NULL AS DECIMAL(10,2))
-- select_all
SELECT * FROM "accounts"
-- count_rows
SELECT count(*) FROM "accounts"
-- ingest_landed
SELECT "_ingest_id" AS lake_key FROM "accounts" WHERE "_ingest_id" = ? LIMIT 1
-- describe
SELECT c.column_name, c.data_type, c.is_nullable = 'YES', coalesce(list_contains(k.constraint_column_names, c.column_name), false) FROM information_schema.columns c LEFT JOIN (SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = ? AND schema_name = current_schema() AND constraint_type = 'PRIMARY KEY') k ON true WHERE c.table_name = ? AND c.table_schema = current_schema() ORDER BY c.ordinal_position
-- describe_json
(none)
-- properties
(none)
-- values_source
(SELECT *, ? AS "_ingest_id" FROM VALUES (?, ?, ?, ?), (CAST(NULL AS VARCHAR), CAST(NULL AS BIGINT), CAST(NULL AS VARCHAR), CAST(NULL AS DECIMAL(10,2))) AS v("tenant", "id", "email", "balance"))
-- move: a plain insert
INSERT INTO "accounts" ("tenant", "id", "email", "balance", "_ingest_id") SELECT "tenant", "id", "email", "balance", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move: a plain insert into another table
INSERT INTO "other" ("tenant", "id", "email", "balance", "_ingest_id") SELECT "tenant", "id", "email", "balance", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict error
INSERT INTO "accounts" ("tenant", "id", "email", "balance", "_ingest_id") SELECT "tenant", "id", "email", "balance", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict ignore
INSERT OR IGNORE INTO "accounts" ("tenant", "id", "email", "balance", "_ingest_id") SELECT "tenant", "id", "email", "balance", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict update
INSERT OR REPLACE INTO "accounts" ("tenant", "id", "email", "balance", "_ingest_id") SELECT "tenant", "id", "email", "balance", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- duplicate_key on the primary key
SELECT concat_ws(', ', CAST("tenant" AS VARCHAR), CAST("id" AS VARCHAR)) AS lake_key FROM read_parquet(?) WHERE "_ingest_id" = ? GROUP BY "tenant", "id" HAVING count(*) > 1 LIMIT 1
-- count_matched on the primary key
SELECT CAST(count(*) AS VARCHAR) AS lake_key FROM (SELECT * FROM read_parquet(?) WHERE "_ingest_id" = ?) AS lake_source WHERE EXISTS (SELECT 1 FROM "accounts" AS lake_target WHERE lake_target."tenant" = lake_source."tenant" AND lake_target."id" = lake_source."id")
-- parameters: /staging/_staging/0190f6a3 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f
