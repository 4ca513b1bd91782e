-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: duckdb
-- The state below is the table after this migration; lakeorm diffs the model with it.
-- lakeorm-state-begin
-- {"version": 1, "table": "accounts", "fields": [
--     {"tag": "id,pk", "type": "int64"},
--     {"tag": "region,mergeKey", "type": "string"},
--     {"tag": "email,mergeKey", "type": "string"}]}
-- lakeorm-state-end

-- +goose Up
-- Every change below is paid for by every consumer of this table: the
-- readers, dashboards and jobs that know its shape today. Prefer a new
-- table or an added nullable column to a change in place; treat each
-- DESTRUCTIVE line as a reason to rethink the model before merging.

-- DESTRUCTIVE: a new primary key: the migration fails on duplicate keys, and writers of colliding rows start failing
-- primary key: () -> ("id")
ALTER TABLE "accounts" ADD PRIMARY KEY ("id");

-- DESTRUCTIVE: upserts match rows on different columns from now on; rows that collide under the new key make a MERGE fail
-- merge keys: ("region") -> ("region", "email")

-- +goose Down
-- DESTRUCTIVE: DuckDB cannot change a primary key, or a key column's type, in place: the table is rebuilt into the new shape (a full copy; values that do not fit fail it)
CREATE TABLE IF NOT EXISTS "accounts__lakeorm_rebuild" ("id" BIGINT NOT NULL, "region" VARCHAR NOT NULL, "email" VARCHAR NOT NULL, "_ingest_id" VARCHAR);
INSERT INTO "accounts__lakeorm_rebuild" SELECT CAST("id" AS BIGINT), CAST("region" AS VARCHAR), CAST("email" AS VARCHAR), "_ingest_id" FROM "accounts";
DROP TABLE "accounts";
ALTER TABLE "accounts__lakeorm_rebuild" RENAME TO "accounts";

-- DESTRUCTIVE: upserts match rows on different columns from now on; rows that collide under the new key make a MERGE fail
-- merge keys: ("region", "email") -> ("region")
