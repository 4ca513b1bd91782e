-- create_table
CREATE TABLE IF NOT EXISTS "events" ("id" BIGINT NOT NULL, "tags" VARCHAR[], "items" STRUCT("sku" VARCHAR, "price" DECIMAL(10,2), "marks" INTEGER[])[] NOT NULL, "attrs" MAP(VARCHAR, BIGINT[]) NOT NULL, "ship" STRUCT("city" VARCHAR), "grid" DOUBLE[][] NOT NULL, "payload" JSON, "_ingest_id" VARCHAR, PRIMARY KEY ("id"));

-- create_table under another name
CREATE TABLE IF NOT EXISTS "copy" ("id" BIGINT NOT NULL, "tags" VARCHAR[], "items" STRUCT("sku" VARCHAR, "price" DECIMAL(10,2), "marks" INTEGER[])[] NOT NULL, "attrs" MAP(VARCHAR, BIGINT[]) NOT NULL, "ship" STRUCT("city" VARCHAR), "grid" DOUBLE[][] NOT NULL, "payload" JSON, "_ingest_id" VARCHAR, PRIMARY KEY ("id"));

-- column id: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT))
-- column id: CAST(NULL AS BIGINT)
-- column tags: VARCHAR[]
-- type_probe
SELECT typeof(CAST(NULL AS VARCHAR[]))
-- column tags: CAST(NULL AS VARCHAR[])
-- column items: STRUCT("sku" VARCHAR, "price" DECIMAL(10,2), "marks" INTEGER[])[]
-- type_probe
SELECT typeof(CAST(NULL AS STRUCT("sku" VARCHAR, "price" DECIMAL(10,2), "marks" INTEGER[])[]))
-- column items: CAST(NULL AS STRUCT("sku" VARCHAR, "price" DECIMAL(10,2), "marks" INTEGER[])[])
-- column attrs: MAP(VARCHAR, BIGINT[])
-- type_probe
SELECT typeof(CAST(NULL AS MAP(VARCHAR, BIGINT[])))
-- column attrs: CAST(NULL AS MAP(VARCHAR, BIGINT[]))
-- column ship: STRUCT("city" VARCHAR)
-- type_probe
SELECT typeof(CAST(NULL AS STRUCT("city" VARCHAR)))
-- column ship: CAST(NULL AS STRUCT("city" VARCHAR))
-- column grid: DOUBLE[][]
-- type_probe
SELECT typeof(CAST(NULL AS DOUBLE[][]))
-- column grid: CAST(NULL AS DOUBLE[][])
-- column payload: JSON
-- type_probe
SELECT typeof(CAST(NULL AS JSON))
-- column payload: CAST(NULL AS JSON)
-- select_all
SELECT * FROM "events"
-- count_rows
SELECT count(*) FROM "events"
-- ingest_landed
SELECT "_ingest_id" AS lake_key FROM "events" WHERE "_ingest_id" = ? LIMIT 1
-- describe
SELECT c.column_name, c.data_type, c.is_nullable = 'YES', coalesce(list_contains(k.constraint_column_names, c.column_name), false) FROM information_schema.columns c LEFT JOIN (SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = ? AND schema_name = current_schema() AND constraint_type = 'PRIMARY KEY') k ON true WHERE c.table_name = ? AND c.table_schema = current_schema() ORDER BY c.ordinal_position
-- describe_json
(none)
-- properties
(none)
-- values_source
(SELECT *, ? AS "_ingest_id" FROM VALUES (?, CAST([?, ?] AS VARCHAR[]), CAST([struct_pack("sku" := ?, "price" := ?, "marks" := CAST([?, ?] AS INTEGER[])), struct_pack("sku" := ?, "price" := ?, "marks" := CAST([?, ?] AS INTEGER[]))] AS STRUCT("sku" VARCHAR, "price" DECIMAL(10,2), "marks" INTEGER[])[]), CAST(MAP {?: CAST([?, ?] AS BIGINT[])} AS MAP(VARCHAR, BIGINT[])), struct_pack("city" := ?), CAST([CAST([?, ?] AS DOUBLE[]), CAST([?, ?] AS DOUBLE[])] AS DOUBLE[][]), ?), (CAST(NULL AS BIGINT), CAST(NULL AS VARCHAR[]), CAST(NULL AS STRUCT("sku" VARCHAR, "price" DECIMAL(10,2), "marks" INTEGER[])[]), CAST(NULL AS MAP(VARCHAR, BIGINT[])), CAST(NULL AS STRUCT("city" VARCHAR)), CAST(NULL AS DOUBLE[][]), CAST(NULL AS JSON)) AS v("id", "tags", "items", "attrs", "ship", "grid", "payload"))
-- move: a plain insert
INSERT INTO "events" ("id", "tags", "items", "attrs", "ship", "grid", "payload", "_ingest_id") SELECT "id", "tags", "items", "attrs", "ship", "grid", "payload", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move: a plain insert into another table
INSERT INTO "other" ("id", "tags", "items", "attrs", "ship", "grid", "payload", "_ingest_id") SELECT "id", "tags", "items", "attrs", "ship", "grid", "payload", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict error
INSERT INTO "events" ("id", "tags", "items", "attrs", "ship", "grid", "payload", "_ingest_id") SELECT "id", "tags", "items", "attrs", "ship", "grid", "payload", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict ignore
INSERT OR IGNORE INTO "events" ("id", "tags", "items", "attrs", "ship", "grid", "payload", "_ingest_id") SELECT "id", "tags", "items", "attrs", "ship", "grid", "payload", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict update
INSERT OR REPLACE INTO "events" ("id", "tags", "items", "attrs", "ship", "grid", "payload", "_ingest_id") SELECT "id", "tags", "items", "attrs", "ship", "grid", "payload", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- duplicate_key on the primary key
SELECT concat_ws(', ', CAST("id" AS VARCHAR)) AS lake_key FROM read_parquet(?) WHERE "_ingest_id" = ? GROUP BY "id" HAVING count(*) > 1 LIMIT 1
-- count_matched on the primary key
SELECT CAST(count(*) AS VARCHAR) AS lake_key FROM (SELECT * FROM read_parquet(?) WHERE "_ingest_id" = ?) AS lake_source WHERE EXISTS (SELECT 1 FROM "events" AS lake_target WHERE lake_target."id" = lake_source."id")
-- parameters: /staging/_staging/0190f6a3 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f
