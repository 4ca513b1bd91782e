/* SPDX-License-Identifier: MIT */
/* Records into Arrow columns: the one walk that lays a schema's values out
 * as Arrow buffers (validity bitmaps, offsets, values), shared by the IPC
 * writer (which copies them into a message body) and the C Data Interface
 * exporter (which hands them to a consumer as ArrowArrays).
 *
 * The walk reports each field's node (its length and null count) and then
 * its buffers, fields depth first in schema order: a struct's members after
 * it, a list's element, a map's entries struct (never NULL, no validity of
 * its own) and then its key and value. This is the order of an IPC record
 * batch's FieldNodes and Buffers (Arrow columnar format, "Record batch
 * body structure"). Every field has a validity buffer, empty when none of
 * its values is NULL; a list's or map's offsets are int32, strings' too. */
#ifndef LAKE_ARROW_COLUMNS_H
#define LAKE_ARROW_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema/schema.h"

/* Where the walk puts what it lays out. The data is borrowed for the call. */
typedef struct lake__arrow_sink {
    void (*node)(void *ctx, size_t length, int64_t nulls);
    void (*buffer)(void *ctx, const void *data, size_t len);
    void *ctx;
} lake__arrow_sink;

typedef struct lake__arrow_columns {
    lake__arrow_sink sink;
    bool uuid_as_string;   /* UUID columns as utf8 text (Spark 4.0 refuses fixed-size binary) */
    const char *ingest_id; /* stamped in auto=ingestID columns; NULL: their values */
    bool failed;           /* out of memory */
    bool too_many;         /* a column's offsets past int32 */
} lake__arrow_columns;

/* Lays out column c of the n records recs (a NULL record is a value under a
 * NULL parent: NULL too). */
void lake__arrow_column(lake__arrow_columns *w, const lake__column *c, const unsigned char *const *recs, size_t n);
/* A non-null utf8 column holding `value` in each of n rows: its node and buffers. */
void lake__arrow_constant_text(lake__arrow_columns *w, const char *value, size_t n);

#endif
