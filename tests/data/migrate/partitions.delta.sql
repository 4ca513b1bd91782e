-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: delta
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

ALTER TABLE `accounts` ADD COLUMN `shard` BIGINT;
-- DESTRUCTIVE: NOT NULL column shard: Delta refuses SET NOT NULL while NULLs remain in a table with rows; backfill it before this statement
ALTER TABLE `accounts` ALTER COLUMN `shard` SET NOT NULL;

-- DESTRUCTIVE: Delta cannot change partitioning in place: the table is rewritten (a full copy; readers of older versions keep the old layout)
REPLACE TABLE `accounts` USING delta PARTITIONED BY (`opened`, `shard`) AS SELECT * FROM `accounts`;

-- +goose Down
-- DESTRUCTIVE: data loss: every value of shard is deleted, and readers that select it break; Delta needs TBLPROPERTIES ('delta.columnMapping.mode' = 'name') first
ALTER TABLE `accounts` DROP COLUMN `shard`;

-- DESTRUCTIVE: Delta cannot change partitioning in place: the table is rewritten (a full copy; readers of older versions keep the old layout)
REPLACE TABLE `accounts` USING delta PARTITIONED BY (`opened`, `region`) AS SELECT * FROM `accounts`;
