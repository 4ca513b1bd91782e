/* SPDX-License-Identifier: MIT */
/* The direct path: records straight into a table through DuckDB's Appender. */
#ifndef LAKE_DRIVERS_DUCKDB_APPEND_H
#define LAKE_DRIVERS_DUCKDB_APPEND_H

#include "drivers/duckdb/connection.h"
#include "schema/schema.h"

/* Where to append: NULL members mean the connection's default catalog and
 * schema (the Appender does not follow USE), and the schema's table. */
typedef struct lake__table_ref {
    const char *catalog, *schema, *table;
} lake__table_ref;

/* Appends `count` records (contiguous in `records`, or through `ptrs` when
 * non-NULL) to `where` (NULL: the schema's table), naming every column, with
 * `ingest_id` in _ingest_id and in auto=ingestID columns, inside the
 * connection's current transaction: the caller begins, commits or rolls back. */
int lake__duckdb_append(lake__duckdb *d, const lake_schema *s, const lake__table_ref *where, const void *records,
                        const void *const *ptrs, size_t count, const char *ingest_id, lake_error *err);

/* The same over time: rows go in batch by batch through one Appender, which
 * close flushes (free discards what was not flushed). */
typedef struct lake__duckdb_appender lake__duckdb_appender;
int lake__duckdb_appender_open(lake__duckdb *d, const lake_schema *s, const lake__table_ref *where,
                               const char *ingest_id, lake__duckdb_appender **out, lake_error *err);
int lake__duckdb_appender_add(lake__duckdb_appender *ap, const void *records, const void *const *ptrs, size_t count,
                              lake_error *err);
/* Flushes and frees, whatever the outcome. */
int lake__duckdb_appender_close(lake__duckdb_appender *ap, lake_error *err);
void lake__duckdb_appender_free(lake__duckdb_appender *ap);

#endif
