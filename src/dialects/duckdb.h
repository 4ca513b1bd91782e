/* SPDX-License-Identifier: MIT */
/* The DuckDB dialect's statements under the names client/ and migrate/ call
 * until they take the dialect object (lake__dialect_duckdb, dialect.h). */
#ifndef LAKE_DIALECTS_DUCKDB_H
#define LAKE_DIALECTS_DUCKDB_H

#include "dialects/dialect.h"

/* `table` overrides the schema's table name when non-NULL. */

/* CREATE TABLE IF NOT EXISTS with every column, NOT NULL where the schema
 * says so, the system column _ingest_id, and the primary key; unterminated
 * (the object's create_table ends it in ";\n"). */
int lake__duckdb_create_table(lake__buf *out, const lake_schema *s, const char *table);

/* lake__dialect_duckdb.move on the primary key with on_conflict. */
int lake__duckdb_insert_select(lake__buf *out, const lake_schema *s, const char *table, lake_on_conflict on_conflict,
                               const char *source);

/* lake__dialect_duckdb.move on the merge keys. */
int lake__duckdb_merge(lake__buf *out, const lake_schema *s, const char *table, const char *source);

/* lake__dialect_duckdb.duplicate_key. */
int lake__duckdb_duplicate_key(lake__buf *out, const lake_schema *s, const char *source, lake__match_on on);

#endif
