/* Typed reads: DuckDB results decoded straight into records. */
#ifndef LAKE_DRIVERS_DUCKDB_READ_H
#define LAKE_DRIVERS_DUCKDB_READ_H

#include "drivers/duckdb/connection.h"
#include "schema/schema.h"

/* Called once per row with the decoded record (valid until the next call). A
 * non-zero return stops the read and is returned. */
typedef int (*lake__row_fn)(void *ctx, const void *record);

/* Runs `sql` with text parameters and decodes every row into a record of `s`.
 * Result columns bind to schema columns by name (exactly, else without case);
 * result columns no schema column names are ignored; a schema column the
 * result lacks, or one whose type cannot convert, is LAKE_EMISMATCH naming it.
 * Values that do not fit (an integer out of range, a decimal losing digits,
 * NULL in a non-nullable column) are LAKE_EMISMATCH too. Strings and bytes live
 * in `arena`, which is reset after every chunk of rows. */
int lake__duckdb_read(lake__duckdb *d, const lake_schema *s, const char *sql, const char *const *params,
                      size_t nparams, lake_arena *arena, lake__row_fn fn, void *ctx, lake_error *err);

#endif
