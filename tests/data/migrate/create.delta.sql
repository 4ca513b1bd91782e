-- lakeorm migration of table accounts, generated 2025-11-24T16:00:00Z
-- dialect: delta
-- The state below is the table after this migration; lakeorm diffs the model with it.
-- lakeorm-state-begin
-- {"version": 1, "table": "accounts", "fields": [
--     {"tag": "id,pk", "type": "int64"},
--     {"tag": "email,mergeKey", "type": "string"},
--     {"tag": "opened,partition=day", "type": "timestamp"},
--     {"tag": "balance,nullable", "type": "decimal(18,2)"}]}
-- lakeorm-state-end

-- +goose Up
-- Every change below is paid for by every consumer of this table: the
-- readers, dashboards and jobs that know its shape today. Prefer a new
-- table or an added nullable column to a change in place; treat each
-- DESTRUCTIVE line as a reason to rethink the model before merging.

CREATE TABLE IF NOT EXISTS `accounts` (`id` BIGINT NOT NULL, `email` STRING NOT NULL, `opened` TIMESTAMP NOT NULL, `balance` DECIMAL(18,2), `_ingest_id` STRING) USING delta PARTITIONED BY (`opened`);

-- +goose Down
-- DESTRUCTIVE: the table and every row in it are deleted
DROP TABLE `accounts`;
