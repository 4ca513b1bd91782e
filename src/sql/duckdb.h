/* SPDX-License-Identifier: MIT */
/* The DuckDB statements under the names client/ calls until it takes the
 * dialect object (lake__dialect_duckdb, dialects/dialect.h); each forwards to
 * the object. */
#ifndef LAKE_SQL_DUCKDB_H
#define LAKE_SQL_DUCKDB_H

#include "dialects/dialect.h"

/* `table` overrides the schema's table name when non-NULL. */

/* lake__dialect_duckdb.create_table without its final ";\n". */
int lake__duckdb_create_table(lake__buf *out, const lake_schema *s, const char *table);

/* lake__dialect_duckdb.move on the primary key with on_conflict. */
int lake__duckdb_insert_select(lake__buf *out, const lake_schema *s, const char *table, lake_on_conflict on_conflict,
                               const char *source);

/* lake__dialect_duckdb.move on the merge keys. */
int lake__duckdb_merge(lake__buf *out, const lake_schema *s, const char *table, const char *source);

/* lake__dialect_duckdb.duplicate_key. */
int lake__duckdb_duplicate_key(lake__buf *out, const lake_schema *s, const char *source, lake__match_on on);

#endif
