/* The direct path: records straight into a table through DuckDB's Appender. */
#ifndef LAKE_DRIVERS_DUCKDB_APPEND_H
#define LAKE_DRIVERS_DUCKDB_APPEND_H

#include "drivers/duckdb/connection.h"
#include "schema/schema.h"

/* Appends `count` records (contiguous in `records`, or through `ptrs` when
 * non-NULL) to `table` (NULL: the schema's), naming every column, with
 * `ingest_id` in _ingest_id and in auto=ingestID columns, inside the
 * connection's current transaction: the caller begins, commits or rolls back. */
int lake__duckdb_append(lake__duckdb *d, const lake_schema *s, const char *table, const void *records,
                        const void *const *ptrs, size_t count, const char *ingest_id, lake_error *err);

#endif
