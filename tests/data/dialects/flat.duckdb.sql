-- create_table
CREATE TABLE IF NOT EXISTS "events" ("seq" BIGINT NOT NULL, "b" BOOLEAN NOT NULL, "i8" TINYINT NOT NULL, "i16" SMALLINT NOT NULL, "i32" INTEGER NOT NULL, "f32" FLOAT NOT NULL, "f64" DOUBLE NOT NULL, "note" VARCHAR, "raw" BLOB, "at" TIMESTAMPTZ NOT NULL, "day" DATE NOT NULL, "amount" DECIMAL(18,2) NOT NULL, "ref" UUID NOT NULL, "sid" VARCHAR NOT NULL, "batch" VARCHAR NOT NULL, "_ingest_id" VARCHAR);

-- create_table under another name
CREATE TABLE IF NOT EXISTS "copy" ("seq" BIGINT NOT NULL, "b" BOOLEAN NOT NULL, "i8" TINYINT NOT NULL, "i16" SMALLINT NOT NULL, "i32" INTEGER NOT NULL, "f32" FLOAT NOT NULL, "f64" DOUBLE NOT NULL, "note" VARCHAR, "raw" BLOB, "at" TIMESTAMPTZ NOT NULL, "day" DATE NOT NULL, "amount" DECIMAL(18,2) NOT NULL, "ref" UUID NOT NULL, "sid" VARCHAR NOT NULL, "batch" VARCHAR NOT NULL, "_ingest_id" VARCHAR);

-- column seq: BIGINT
-- type_probe
SELECT typeof(CAST(NULL AS BIGINT))
-- column seq: CAST(NULL AS BIGINT)
-- column b: BOOLEAN
-- type_probe
SELECT typeof(CAST(NULL AS BOOLEAN))
-- column b: CAST(NULL AS BOOLEAN)
-- column i8: TINYINT
-- type_probe
SELECT typeof(CAST(NULL AS TINYINT))
-- column i8: CAST(NULL AS TINYINT)
-- column i16: SMALLINT
-- type_probe
SELECT typeof(CAST(NULL AS SMALLINT))
-- column i16: CAST(NULL AS SMALLINT)
-- column i32: INTEGER
-- type_probe
SELECT typeof(CAST(NULL AS INTEGER))
-- column i32: CAST(NULL AS INTEGER)
-- column f32: FLOAT
-- type_probe
SELECT typeof(CAST(NULL AS FLOAT))
-- column f32: CAST(NULL AS FLOAT)
-- column f64: DOUBLE
-- type_probe
SELECT typeof(CAST(NULL AS DOUBLE))
-- column f64: CAST(NULL AS DOUBLE)
-- column note: VARCHAR
-- type_probe
SELECT typeof(CAST(NULL AS VARCHAR))
-- column note: CAST(NULL AS VARCHAR)
-- column raw: BLOB
-- type_probe
SELECT typeof(CAST(NULL AS BLOB))
-- column raw: CAST(NULL AS BLOB)
-- column at: TIMESTAMPTZ
-- type_probe
SELECT typeof(CAST(NULL AS TIMESTAMPTZ))
-- column at: CAST(NULL AS TIMESTAMPTZ)
-- column day: DATE
-- type_probe
SELECT typeof(CAST(NULL AS DATE))
-- column day: CAST(NULL AS DATE)
-- column amount: DECIMAL(18,2)
-- type_probe
SELECT typeof(CAST(NULL AS DECIMAL(18,2)))
-- column amount: CAST(NULL AS DECIMAL(18,2))
-- column ref: UUID
-- type_probe
SELECT typeof(CAST(NULL AS UUID))
-- column ref: CAST(NULL AS UUID)
-- column sid: VARCHAR
-- type_probe
SELECT typeof(CAST(NULL AS VARCHAR))
-- column sid: CAST(NULL AS VARCHAR)
-- column batch: VARCHAR
-- type_probe
SELECT typeof(CAST(NULL AS VARCHAR))
-- column batch: CAST(NULL AS VARCHAR)
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
(SELECT *, ? AS "_ingest_id" FROM VALUES (?, ?, ?, ?, ?, ?, ?, ?, from_base64(?), ?, ?, ?, ?, ?, ?), (CAST(NULL AS BIGINT), CAST(NULL AS BOOLEAN), CAST(NULL AS TINYINT), CAST(NULL AS SMALLINT), CAST(NULL AS INTEGER), CAST(NULL AS FLOAT), CAST(NULL AS DOUBLE), CAST(NULL AS VARCHAR), CAST(NULL AS BLOB), CAST(NULL AS TIMESTAMPTZ), CAST(NULL AS DATE), CAST(NULL AS DECIMAL(18,2)), CAST(NULL AS UUID), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR)) AS v("seq", "b", "i8", "i16", "i32", "f32", "f64", "note", "raw", "at", "day", "amount", "ref", "sid", "batch"))
-- move: a plain insert
INSERT INTO "events" ("seq", "b", "i8", "i16", "i32", "f32", "f64", "note", "raw", "at", "day", "amount", "ref", "sid", "batch", "_ingest_id") SELECT "seq", "b", "i8", "i16", "i32", "f32", "f64", "note", "raw", "at", "day", "amount", "ref", "sid", "batch", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- move: a plain insert into another table
INSERT INTO "other" ("seq", "b", "i8", "i16", "i32", "f32", "f64", "note", "raw", "at", "day", "amount", "ref", "sid", "batch", "_ingest_id") SELECT "seq", "b", "i8", "i16", "i32", "f32", "f64", "note", "raw", "at", "day", "amount", "ref", "sid", "batch", "_ingest_id" FROM read_parquet(?) WHERE "_ingest_id" = ?
-- parameters: /staging/_staging/0190f6a3 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f
