/* SPDX-License-Identifier: MIT */
/* The SELECT the embedded engine (DuckDB) runs to read a table whose files
 * a table format lists (formats/): the format says which Parquet files hold
 * the table's rows, which values the files' partition columns take, and how
 * each column is typed; this builds the statement. */
#ifndef LAKE_DIALECTS_COMPUTE_SCAN_H
#define LAKE_DIALECTS_COMPUTE_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include <lakeorm/error.h>

#include "util/buf.h"

typedef struct lake__scan_column {
    const char *name;
    /* DuckDB's type for the column ("BIGINT", "STRUCT(\"a\" INTEGER)").
     * A top-level TIMESTAMPTZ is read as the UTC instant the file holds
     * whether the file types it as an instant or as a plain TIMESTAMP
     * (Parquet's INT96, as Spark writes), never through the session's
     * TimeZone. */
    const char *type;
    bool partition; /* not in the files: a value per group of files */
} lake__scan_column;

/* Files whose partition columns take the same values. */
typedef struct lake__scan_group {
    /* One per partition column, in the order of the columns: text DuckDB
     * casts to the column's type (a TIMESTAMPTZ's with its zone), or NULL
     * for a null value. */
    const char *const *values;
    const char *const *paths; /* local files the engine reads */
    size_t path_count;
} lake__scan_group;

typedef struct lake__scan {
    const lake__scan_column *columns;
    size_t column_count;
    const lake__scan_group *groups;
    size_t group_count;
} lake__scan;

/* Appends the SELECT (no trailing ";"): every column in order with its
 * type; columns that some files lack read as NULL there; no groups yield no
 * rows of the same shape. LAKE_ENOTSUP for a path or value that cannot be a
 * literal (lake__sql_literal), LAKE_ENOMEM. */
int lake__compute_scan(lake__buf *out, const lake__scan *scan, lake_error *err);

/* Appends text as a DuckDB string literal, single quotes doubled. For what
 * must sit in the statement's text because it cannot be a bound parameter:
 * a replacement scan hands DuckDB a statement's text alone (the table
 * function query()). Refuses (LAKE_ENOTSUP) text that is not UTF-8 or holds
 * a control character (C0 or DEL), which has no business in a path or a
 * partition value and would make the statement hard to read in logs. */
int lake__sql_literal(lake__buf *out, const char *text, lake_error *err);

#endif
