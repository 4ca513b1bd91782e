/* The DuckDB dialect: the SQL text lakeorm sends to the embedded engine. */
#ifndef LAKE_DIALECTS_DUCKDB_H
#define LAKE_DIALECTS_DUCKDB_H

#include <lakeorm/schema.h>

#include "util/buf.h"

/* `table` overrides the schema's table name when non-NULL. */

/* CREATE TABLE IF NOT EXISTS with every column, NOT NULL where the schema
 * says so, the system column _ingest_id, and the primary key. */
int lake__duckdb_create_table(lake__buf *out, const lake_schema *s, const char *table);

/* INSERT INTO <table> (<columns>, _ingest_id) SELECT <columns>, _ingest_id
 * FROM read_parquet(?): the staged path; the files are the statement's one
 * parameter (a path or a glob). */
int lake__duckdb_insert_from_parquet(lake__buf *out, const lake_schema *s, const char *table);

#endif
