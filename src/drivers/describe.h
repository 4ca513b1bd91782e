/* SPDX-License-Identifier: MIT */
/* A table's columns as an engine that speaks Spark SQL (Spark Connect, a
 * Databricks SQL warehouse) describes them: DESCRIBE TABLE gives names and
 * types; what may be NULL and the primary key come from other statements,
 * each driver's own, and are matched to the columns by name. The statements
 * run through the driver's own operations (cursor_open and the rest). */
#ifndef LAKE_DRIVERS_DESCRIBE_H
#define LAKE_DRIVERS_DESCRIBE_H

#include "drivers/driver.h"

/* The columns read so far; cols is freed with lake__free. */
typedef struct lake__live_columns {
    lake__live_column *cols;
    size_t count, cap;
} lake__live_columns;

/* The columns of DESCRIBE TABLE (the dialect's describe) in order, nullable
 * and key -1 (unknown). None when the table does not exist (the engine's
 * error of kind LAKE_KIND_NOT_FOUND); any other failure is the engine's
 * error, handed over whole. */
int lake__describe_columns(const lake__driver_ops *ops, lake__session *s, const lake__dialect *d, const char *table,
                           lake__live_columns *out, lake_error *err);

/* The primary key from the table's properties where the dialect keeps it
 * there (key_property): 1 for the columns its value lists, 0 for the others.
 * Left -1 where the format keeps no primary key, or when a column's name
 * holds a comma: the list ("[a,b]") cannot tell such a name from two. */
int lake__describe_keys(const lake__driver_ops *ops, lake__session *s, const lake__dialect *d, const char *table,
                        lake__live_columns *l, lake_error *err);

/* Runs a statement without parameters and hands each row (a record of
 * `schema`, its strings valid for the call) to fn. fn returns LAKE_OK to go
 * on, LAKE__ROWS_STOP to end early (then LAKE_OK is returned), or a failure,
 * which is returned. */
enum { LAKE__ROWS_STOP = 1 }; /* no status is positive */
int lake__describe_rows(const lake__driver_ops *ops, lake__session *s, const char *sql, const lake_schema *schema,
                        int (*fn)(void *ctx, const void *row, lake_error *err), void *ctx, lake_error *err);

/* The outcome of a statement run with its own error object `own`: LAKE_OK
 * when it failed with an engine error of kind `answer` (which the caller
 * takes as an answer: no such table, no such syntax), else rc, with own
 * handed over whole to err (message, kind, class, SQLSTATE). own is cleared
 * either way. */
int lake__describe_outcome(int rc, lake_error *own, lake_error_kind answer, lake_error *err);

/* Marks the column called name[0..len) as nullable or not; nothing when
 * no column has the name. */
void lake__live_columns_nullable(lake__live_columns *l, const char *name, size_t len, bool nullable);

/* Hands the columns over as lake__driver_ops.columns returns them (none
 * after a failure rc, which is returned). */
int lake__live_columns_give(lake__live_columns *l, int rc, lake__live_column **out, size_t *count);

#endif
