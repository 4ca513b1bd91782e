/* SPDX-License-Identifier: MIT */
/* Typed reads over Spark Connect: a query's Arrow batches decoded straight
 * into records, one batch in memory at a time. */
#ifndef LAKE_DRIVERS_SPARK_READ_H
#define LAKE_DRIVERS_SPARK_READ_H

#include <lakeorm/json.h>
#include <lakeorm/schema.h>

#include "drivers/spark/session.h"

/* Runs `sql` (`?` markers bound to typed parameters, in order) as a query in
 * session `s`; cursor_next gives one record at a time (valid until the next
 * call), *record NULL at the end. Columns bind as in lake__arrow_read.
 * Strings go to `arena`, reset before each batch when reset_arena is set (a
 * stream), kept otherwise (the caller's rows). The session is the caller's
 * until close. */
typedef struct lake__spark_cursor lake__spark_cursor;
int lake__spark_cursor_open(lake__spark *sp, lake__spark_session *s, const lake_schema *schema, const char *sql,
                            const lake_param *params, size_t nparams, lake_arena *arena, bool reset_arena,
                            lake__spark_cursor **out, lake_error *err);
int lake__spark_cursor_next(lake__spark_cursor *cur, const void **record, lake_error *err);
void lake__spark_cursor_close(lake__spark_cursor *cur);
/* The schema records are of: the caller's, or with schema NULL at open the
 * result's own (lake__arrow_shape), known once a record was read. */
const lake_schema *lake__spark_cursor_schema(const lake__spark_cursor *cur);

/* The first column of a query's first row, read as text (a one-column
 * query); LAKE_ENOROWS when there is no row or it is NULL. */
int lake__spark_query_text(lake__spark *sp, lake__spark_session *s, const char *sql, const lake_param *params,
                           size_t nparams, char *out, size_t cap, lake_error *err);

#endif
