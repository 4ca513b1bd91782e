/* SPDX-License-Identifier: MIT */
/* Typed reads from a SQL warehouse: a query's result as Arrow IPC streams
 * behind pre-signed links (EXTERNAL_LINKS, ARROW_STREAM), chunk after chunk
 * by next_chunk_index, up to target.links downloads at once, each decoded
 * straight into records. Links get no Authorization header (the storage
 * behind them refuses a second credential); an expired one is asked for
 * again. At most `links` chunks are in memory. */
#ifndef LAKE_DRIVERS_DATABRICKS_READ_H
#define LAKE_DRIVERS_DATABRICKS_READ_H

#include <lakeorm/schema.h>

#include "drivers/databricks/warehouse.h"

/* Runs `sql` (`?` markers bound to typed parameters, in order, and the
 * `named` ones as well); cursor_next gives one record at a time (valid until
 * the next call), *record NULL at the end. Columns bind by name as in
 * lake__arrow_read; strings go to `arena`, reset before each chunk when
 * reset_arena is set. */
typedef struct lake__dbx_cursor lake__dbx_cursor;
int lake__dbx_cursor_open(lake__dbx *d, const lake_schema *schema, const char *sql, const lake_param *params,
                          size_t nparams, const lake__dbx_param *named, size_t nnamed, lake_arena *arena,
                          bool reset_arena, lake__dbx_cursor **out, lake_error *err);
int lake__dbx_cursor_next(lake__dbx_cursor *cur, const void **record, lake_error *err);
void lake__dbx_cursor_close(lake__dbx_cursor *cur);
/* The schema records are of: the caller's, or with schema NULL at open the
 * result's own (lake__arrow_shape), known once a record was read. */
const lake_schema *lake__dbx_cursor_schema(const lake__dbx_cursor *cur);

/* Link downloads that had to ask for a fresh link, for tests and logs (atomic). */
extern unsigned long lake__dbx_links_renewed;

#endif
