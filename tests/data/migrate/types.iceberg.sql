-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: iceberg
-- The state below is the table after this migration; lakeorm diffs the model with it.
-- lakeorm-state-begin
-- {"version": 1, "table": "accounts", "fields": [
--     {"tag": "id,pk", "type": "int64"},
--     {"tag": "visits", "type": "int64"},
--     {"tag": "score", "type": "float64"},
--     {"tag": "amount", "type": "decimal(18,2)"},
--     {"tag": "rank", "type": "int16"},
--     {"tag": "code", "type": "int32"}]}
-- lakeorm-state-end

-- +goose Up
-- Every change below is paid for by every consumer of this table: the
-- readers, dashboards and jobs that know its shape today. Prefer a new
-- table or an added nullable column to a change in place; treat each
-- DESTRUCTIVE line as a reason to rethink the model before merging.

ALTER TABLE `accounts` ALTER COLUMN `visits` TYPE BIGINT;

ALTER TABLE `accounts` ALTER COLUMN `score` TYPE DOUBLE;

ALTER TABLE `accounts` ALTER COLUMN `amount` TYPE DECIMAL(18,2);

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- rank must become SMALLINT: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- code must become INT: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

-- +goose Down
-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- code must become STRING: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

ALTER TABLE `accounts` ALTER COLUMN `rank` TYPE BIGINT;

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- amount must become DECIMAL(10,2): rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- score must become FLOAT: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost

-- DESTRUCTIVE: a narrowing or converting type change, which neither Iceberg nor Delta makes in place
-- visits must become INT: rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values that do not fit are lost
