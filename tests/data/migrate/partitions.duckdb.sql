-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: duckdb
-- The state below is the table after this migration; lakeorm diffs the model with it.
-- lakeorm-state-begin
-- {"version": 1, "table": "accounts", "fields": [
--     {"tag": "id,pk", "type": "int64"},
--     {"tag": "opened,partition=month", "type": "timestamp"},
--     {"tag": "region", "type": "string"},
--     {"tag": "shard,partition=bucket[16]", "type": "int64"}]}
-- lakeorm-state-end

-- +goose Up
-- Every change below is paid for by every consumer of this table: the
-- readers, dashboards and jobs that know its shape today. Prefer a new
-- table or an added nullable column to a change in place; treat each
-- DESTRUCTIVE line as a reason to rethink the model before merging.

-- partitioning of opened changed: DuckDB tables have none; recorded for the lakehouse engines

-- partitioning of region changed: DuckDB tables have none; recorded for the lakehouse engines

-- DESTRUCTIVE: NOT NULL column shard: rows already in the table get CAST(0 AS BIGINT); review that backfill
ALTER TABLE "accounts" ADD COLUMN "shard" BIGINT DEFAULT CAST(0 AS BIGINT);
ALTER TABLE "accounts" ALTER COLUMN "shard" SET NOT NULL;
ALTER TABLE "accounts" ALTER COLUMN "shard" DROP DEFAULT;

-- partitioning of shard changed: DuckDB tables have none; recorded for the lakehouse engines

-- +goose Down
-- partitioning of shard changed: DuckDB tables have none; recorded for the lakehouse engines

-- DESTRUCTIVE: data loss: every value of shard is deleted, and readers that select it break
ALTER TABLE "accounts" DROP COLUMN "shard";

-- partitioning of region changed: DuckDB tables have none; recorded for the lakehouse engines

-- partitioning of opened changed: DuckDB tables have none; recorded for the lakehouse engines
