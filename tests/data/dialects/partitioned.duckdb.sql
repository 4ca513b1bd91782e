-- create_table
CREATE TABLE IF NOT EXISTS "lake.sales.orders" ("id" BIGINT NOT NULL, "placed_at" TIMESTAMPTZ NOT NULL, "shipped" DATE NOT NULL, "booked" TIMESTAMPTZ NOT NULL, "seen" TIMESTAMPTZ NOT NULL, "shard" BIGINT NOT NULL, "sku" VARCHAR NOT NULL, "region" VARCHAR NOT NULL, "_ingest_id" VARCHAR, PRIMARY KEY ("id"));

-- create_table under another name
CREATE TABLE IF NOT EXISTS "copy" ("id" BIGINT NOT NULL, "placed_at" TIMESTAMPTZ NOT NULL, "shipped" DATE NOT NULL, "booked" TIMESTAMPTZ NOT NULL, "seen" TIMESTAMPTZ NOT NULL, "shard" BIGINT NOT NULL, "sku" VARCHAR NOT NULL, "region" VARCHAR NOT NULL, "_ingest_id" VARCHAR, PRIMARY KEY ("id"));

-- column id: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT))
-- column id: CAST(NULL AS BIGINT)
-- column placed_at: TIMESTAMPTZ
-- type_probe
SELECT typeof(CAST(NULL AS TIMESTAMPTZ))
-- column placed_at: CAST(NULL AS TIMESTAMPTZ)
-- column shipped: DATE
-- type_probe
SELECT typeof(CAST(NULL AS DATE))
-- column shipped: CAST(NULL AS DATE)
-- column booked: TIMESTAMPTZ
-- type_probe
SELECT typeof(CAST(NULL AS TIMESTAMPTZ))
-- column booked: CAST(NULL AS TIMESTAMPTZ)
-- column seen: TIMESTAMPTZ
-- type_probe
SELECT typeof(CAST(NULL AS TIMESTAMPTZ))
-- column seen: CAST(NULL AS TIMESTAMPTZ)
-- column shard: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT))
-- column shard: CAST(NULL AS BIGINT)
-- column sku: VARCHAR
-- type_probe
SELECT typeof(CAST(NULL AS VARCHAR))
-- column sku: CAST(NULL AS VARCHAR)
-- column region: VARCHAR
-- type_probe
SELECT typeof(CAST(NULL AS VARCHAR))
-- column region: CAST(NULL AS VARCHAR)
-- select_all
SELECT * FROM "lake.sales.orders"
-- count_rows
SELECT count(*) FROM "lake.sales.orders"
-- ingest_landed
SELECT "_ingest_id" AS lake_key FROM "lake.sales.orders" WHERE "_ingest_id" = ? LIMIT 1
-- describe
SELECT c.column_name, c.data_type, c.is_nullable = 'YES', coalesce(list_contains(k.constraint_column_names, c.column_name), false) FROM information_schema.columns c LEFT JOIN (SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = ? AND schema_name = current_schema() AND constraint_type = 'PRIMARY KEY') k ON true WHERE c.table_name = ? AND c.table_schema = current_schema() ORDER BY c.ordinal_position
-- describe_json
(none)
-- properties
(none)
-- values_source
(SELECT *, ? AS "_ingest_id" FROM VALUES (?, ?, ?, ?, ?, ?, ?, ?), (CAST(NULL AS BIGINT), CAST(NULL AS TIMESTAMPTZ), CAST(NULL AS DATE), CAST(NULL AS TIMESTAMPTZ), CAST(NULL AS TIMESTAMPTZ), CAST(NULL AS BIGINT), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR)) AS v("id", "placed_at", "shipped", "booked", "seen", "shard", "sku", "region"))
-- move: a plain insert
INSERT INTO "lake.sales.orders" ("id", "placed_at", "shipped", "booked", "seen", "shard", "sku", "region", "_ingest_id") SELECT "id", "placed_at", "shipped", "booked", "seen", "shard", "sku", "region", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move: a plain insert into another table
INSERT INTO "other" ("id", "placed_at", "shipped", "booked", "seen", "shard", "sku", "region", "_ingest_id") SELECT "id", "placed_at", "shipped", "booked", "seen", "shard", "sku", "region", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict error
INSERT INTO "lake.sales.orders" ("id", "placed_at", "shipped", "booked", "seen", "shard", "sku", "region", "_ingest_id") SELECT "id", "placed_at", "shipped", "booked", "seen", "shard", "sku", "region", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict ignore
INSERT OR IGNORE INTO "lake.sales.orders" ("id", "placed_at", "shipped", "booked", "seen", "shard", "sku", "region", "_ingest_id") SELECT "id", "placed_at", "shipped", "booked", "seen", "shard", "sku", "region", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move on the primary key, on conflict update
INSERT OR REPLACE INTO "lake.sales.orders" ("id", "placed_at", "shipped", "booked", "seen", "shard", "sku", "region", "_ingest_id") SELECT "id", "placed_at", "shipped", "booked", "seen", "shard", "sku", "region", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- duplicate_key on the primary key
SELECT concat_ws(', ', CAST("id" AS VARCHAR)) AS lake_key FROM read_parquet(?) WHERE "_ingest_id" = ? GROUP BY "id" HAVING count(*) > 1 LIMIT 1
-- count_matched on the primary key
SELECT CAST(count(*) AS VARCHAR) AS lake_key FROM (SELECT * FROM read_parquet(?) WHERE "_ingest_id" = ?) AS lake_source WHERE EXISTS (SELECT 1 FROM "lake.sales.orders" AS lake_target WHERE lake_target."id" = lake_source."id")
-- parameters: /staging/_staging/0190f6a3 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f
