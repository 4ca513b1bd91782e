/* SPDX-License-Identifier: MIT */
/* The DuckDB dialect: the SQL text lakeorm sends to the embedded engine. */
#ifndef LAKE_DIALECTS_DUCKDB_H
#define LAKE_DIALECTS_DUCKDB_H

#include <lakeorm/client.h>
#include <lakeorm/schema.h>

#include "sql/move.h"
#include "util/buf.h"

/* `table` overrides the schema's table name when non-NULL. */

/* CREATE TABLE IF NOT EXISTS with every column, NOT NULL where the schema
 * says so, the system column _ingest_id, and the primary key. */
int lake__duckdb_create_table(lake__buf *out, const lake_schema *s, const char *table);

/* INSERT [OR IGNORE | OR REPLACE] INTO <table> (<columns>, _ingest_id)
 * SELECT the same columns FROM <source>. `source` is a FROM-clause fragment
 * lakeorm built: read_parquet(?) for the staged path, a quoted temporary table
 * for the direct path when conflicts are ignored or updated. */
int lake__duckdb_insert_select(lake__buf *out, const lake_schema *s, const char *table, lake_on_conflict on_conflict,
                               const char *source);

/* MERGE INTO <table> USING (SELECT * FROM <source>) ON the merge keys: matched
 * rows take every column of the source, others are inserted. `source` is a
 * FROM-clause fragment lakeorm built (a staging table, or read_parquet(?)
 * filtered by _ingest_id). */
int lake__duckdb_merge(lake__buf *out, const lake_schema *s, const char *table, const char *source);

/* SELECT the first key (its values joined by ", ") that appears more than
 * once in <source>: a MERGE, or an insert resolving conflicts, needs each key
 * once per request. */
int lake__duckdb_duplicate_key(lake__buf *out, const lake_schema *s, const char *source, lake__match_on on);

#endif
