-- ---- a new table: up
CREATE TABLE IF NOT EXISTS "we""ird`.ta ble" ("i""d" BIGINT NOT NULL, "m`k" VARCHAR NOT NULL, "se-lect" BIGINT NOT NULL, "n""um" BIGINT NOT NULL, "new col" VARCHAR, "req`d" BOOLEAN NOT NULL, "_ingest_id" VARCHAR, PRIMARY KEY ("i""d"));

-- ---- a new table: down
-- DESTRUCTIVE: the table and every row in it are deleted
DROP TABLE "we""ird`.ta ble";

-- ---- columns, keys and partitions: up
-- DESTRUCTIVE: data loss: every value of old`col is deleted, and readers that select it break
ALTER TABLE "we""ird`.ta ble" DROP COLUMN "old`col";

-- partitioning of se-lect changed: DuckDB tables have none; recorded for the lakehouse engines

ALTER TABLE "we""ird`.ta ble" ALTER COLUMN "n""um" TYPE BIGINT;

ALTER TABLE "we""ird`.ta ble" ADD COLUMN "new col" VARCHAR;

-- DESTRUCTIVE: NOT NULL column req`d: rows already in the table get false; review that backfill
ALTER TABLE "we""ird`.ta ble" ADD COLUMN "req`d" BOOLEAN DEFAULT false;
ALTER TABLE "we""ird`.ta ble" ALTER COLUMN "req`d" SET NOT NULL;
ALTER TABLE "we""ird`.ta ble" ALTER COLUMN "req`d" DROP DEFAULT;

-- DESTRUCTIVE: upserts match rows on different columns from now on; rows that collide under the new key make a MERGE fail
-- merge keys: ("m`k") -> ()

-- ---- columns, keys and partitions: down
-- DESTRUCTIVE: upserts match rows on different columns from now on; rows that collide under the new key make a MERGE fail
-- merge keys: () -> ("m`k")

-- DESTRUCTIVE: data loss: every value of req`d is deleted, and readers that select it break
ALTER TABLE "we""ird`.ta ble" DROP COLUMN "req`d";

-- DESTRUCTIVE: data loss: every value of new col is deleted, and readers that select it break
ALTER TABLE "we""ird`.ta ble" DROP COLUMN "new col";

-- DESTRUCTIVE: n"um narrows or changes type: values that do not fit fail the migration, and precision may be lost
ALTER TABLE "we""ird`.ta ble" ALTER COLUMN "n""um" TYPE INTEGER;

-- partitioning of se-lect changed: DuckDB tables have none; recorded for the lakehouse engines

ALTER TABLE "we""ird`.ta ble" ADD COLUMN "old`col" VARCHAR;

