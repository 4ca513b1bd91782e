-- lakeorm migration of table accounts, generated 2025-11-24T16:00:01Z
-- dialect: delta
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

-- primary key: () -> (`id`)
-- Delta tables have no primary key: lakeorm enforces it on insert

-- DESTRUCTIVE: upserts match rows on different columns from now on; rows that collide under the new key make a MERGE fail
-- merge keys: (`region`) -> (`region`, `email`)

-- +goose Down
-- DESTRUCTIVE: upserts match rows on different columns from now on; rows that collide under the new key make a MERGE fail
-- merge keys: (`region`, `email`) -> (`region`)

-- primary key: (`id`) -> ()
-- Delta tables have no primary key: lakeorm enforces it on insert
