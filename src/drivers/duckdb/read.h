/* SPDX-License-Identifier: MIT */
/* Typed reads: DuckDB results decoded straight into records. */
#ifndef LAKE_DRIVERS_DUCKDB_READ_H
#define LAKE_DRIVERS_DUCKDB_READ_H

#include "drivers/duckdb/connection.h"
#include "schema/schema.h"

/* Called once per row with the decoded record (valid until the next call). A
 * non-zero return stops the read and is returned. */
typedef int (*lake__row_fn)(void *ctx, const void *record);

/* Runs `sql` with typed parameters and decodes every row into a record of `s`.
 * Result columns bind to schema columns by name (exactly, else without case);
 * result columns no schema column names are ignored; a schema column the
 * result lacks, or one whose type cannot convert, is LAKE_EMISMATCH naming it.
 * Values that do not fit (an integer out of range, a decimal losing digits,
 * NULL in a non-nullable column) are LAKE_EMISMATCH too. Strings and bytes live
 * in `arena`, which is reset after every chunk of rows. */
int lake__duckdb_read(lake__duckdb *d, const lake_schema *s, const char *sql, const lake_param *params,
                      size_t nparams, lake_arena *arena, lake__row_fn fn, void *ctx, lake_error *err);

/* The same as a cursor: cursor_next gives one record at a time (valid until
 * the next call), *record NULL at the end. Strings go to `arena`, reset before
 * each chunk when reset_arena is set (a stream), kept otherwise (the caller's
 * rows). The cursor uses the connection until closed. */
typedef struct lake__duckdb_cursor lake__duckdb_cursor;
int lake__duckdb_cursor_open(lake__duckdb *d, const lake_schema *s, const char *sql, const lake_param *params,
                             size_t nparams, lake_arena *arena, bool reset_arena, lake__duckdb_cursor **out,
                             lake_error *err);
int lake__duckdb_cursor_next(lake__duckdb_cursor *cur, const void **record, lake_error *err);
/* The schema rows decode into: the caller's, or with `s` NULL at open the
 * result's own (schema/result.h; a column of a type lakeorm does not read is
 * LAKE_ENOTSUP at open). Lives as long as the cursor. */
const lake_schema *lake__duckdb_cursor_schema(const lake__duckdb_cursor *cur);
void lake__duckdb_cursor_close(lake__duckdb_cursor *cur);

#endif
