/* SPDX-License-Identifier: MIT */
/* Arrow IPC streams, the format Spark Connect speaks for local relations and
 * results: records of a schema written as one stream (Schema, record
 * batches, end marker), and streams read back into records. Every lakeorm
 * type travels: structs as Arrow structs (members depth first, a nullable
 * struct with its validity), lists as lists (large lists read too), maps as
 * maps of a non-null entries struct with a non-null utf8 key, JSON as utf8. */
#ifndef LAKE_ARROW_IPC_H
#define LAKE_ARROW_IPC_H

#include <lakeorm/json.h>
#include <lakeorm/schema.h>

#include "util/buf.h"

/* Appends the stream for `count` contiguous records; with ingest_id, a
 * _ingest_id string column holding it follows the schema's columns. A batch
 * whose list elements or string bytes in one column pass 2^31 is
 * LAKE_ENOTSUP (write fewer records per batch): the schema, written first,
 * says list and utf8, whose offsets are int32. */
int lake__arrow_write(lake__buf *out, const lake_schema *s, const void *records, size_t count, const char *ingest_id,
                      lake_error *err);

/* The same in pieces, for a stream built batch by batch: the schema message,
 * any number of record batches, the end marker. */
typedef struct lake__arrow_options {
    const char *ingest_id; /* NULL: no _ingest_id column */
    bool uuid_as_string;   /* UUID columns as utf8 text (Spark 4.0 refuses fixed-size binary) */
} lake__arrow_options;
int lake__arrow_write_schema(lake__buf *out, const lake_schema *s, const lake__arrow_options *o, lake_error *err);
int lake__arrow_write_batch(lake__buf *out, const lake_schema *s, const void *records, size_t count,
                            const lake__arrow_options *o, lake_error *err);
void lake__arrow_write_end(lake__buf *out);

/* Reads a stream (continuation markers or legacy framing; uncompressed,
 * ZSTD or LZ4_FRAME bodies) and calls fn with each row decoded into a record of `s`:
 * columns bind by name (a list's element and a map's key and value by
 * position), unmapped ones are dropped, a missing one or a value that does
 * not fit is LAKE_EMISMATCH (so are a map with non-string keys or a key twice
 * in one map, and NULL where the field is not nullable, at any level; below
 * the top the message says where, "(at /items/0/tags/1, row 2)"), malformed
 * bytes LAKE_EREMOTE. Strings, list elements, map entries and nullable
 * structs' members live in `arena`, reset after each batch when reset_arena
 * is set (else they stay for the caller). A non-zero return from fn stops. */
typedef int (*lake__arrow_row_fn)(void *ctx, const void *record);
int lake__arrow_read(const void *data, size_t len, const lake_schema *s, lake_arena *arena, bool reset_arena,
                     lake__arrow_row_fn fn, void *ctx, lake_error *err);

/* The schema of a stream's result itself (schema/result.h), for reads of any
 * shape: every field a column, bound by position; a field of a type lakeorm
 * does not read is LAKE_ENOTSUP naming it. Free *shape with lake_schema_free. */
int lake__arrow_shape(const void *data, size_t len, lake_schema **shape, lake_error *err);

#endif
