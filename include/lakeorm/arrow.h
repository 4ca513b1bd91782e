/* SPDX-License-Identifier: MIT */
/* lakeorm: the Arrow C Data Interface, both ways.
 *
 * Records go out as Arrow struct arrays any Arrow library takes without a
 * copy of its own (pyarrow's RecordBatch._import_from_c, nanoarrow,
 * arrow-rs), and query results as an ArrowArrayStream of record batches
 * (what `__arrow_c_stream__` hands out). Arrow data comes in from any
 * producer (`__arrow_c_array__`, each batch of an `__arrow_c_stream__`):
 * strictly, as the JSON decoder reads JSON, and without copying strings.
 * docs/arrow.md gives every type's mapping both ways and the error rules.
 *
 * The structs below are the ABI the Arrow specification fixes
 * (https://arrow.apache.org/docs/format/CDataInterface.html and
 * CStreamInterface.html), declared under the specification's guards so that
 * this header coexists with nanoarrow's and Arrow C++'s. */
#ifndef LAKEORM_ARROW_H
#define LAKEORM_ARROW_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "common.h"
#include "error.h"
#include "json.h"
#include "schema.h"

LAKE_BEGIN_DECL

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
  // Array type description
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;

  // Release callback
  void (*release)(struct ArrowSchema*);
  // Opaque producer-specific data
  void* private_data;
};

struct ArrowArray {
  // Array data description
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;

  // Release callback
  void (*release)(struct ArrowArray*);
  // Opaque producer-specific data
  void* private_data;
};

#endif  // ARROW_C_DATA_INTERFACE

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
  // Callbacks providing stream functionality
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);
  const char* (*get_last_error)(struct ArrowArrayStream*);

  // Release callback
  void (*release)(struct ArrowArrayStream*);

  // Opaque producer-specific data
  void* private_data;
};

#endif  // ARROW_C_STREAM_INTERFACE

/* ---- in: Arrow data into records */

/* Reads one struct array (a record batch: `__arrow_c_array__`, or one batch
 * of a stream) described by `type` (format "+s") into *count = batch->length
 * records of `schema`, contiguous, in *records (allocated by lakeorm: free it
 * with lake_free, whatever the status, when not NULL).
 *
 * The struct's children bind to columns by name, exactly (a list's element
 * and a map's key and value by position). Schema problems are LAKE_ESCHEMA
 * naming the column and both types, and then no records are made: a child
 * naming no column, a non-nullable column with no child (a nullable one is
 * NULL throughout), an Arrow type that cannot hold the column's type, a
 * timestamp without a time zone.
 *
 * Value problems are issues (LAKE_EVALIDATION, err->issues; rules and paths
 * as the JSON decoder's, docs/json.md): `null` for a NULL where the column or
 * element is not nullable, `range` for a value that does not fit (300 into
 * int8, nanoseconds below the microsecond, decimal digits lost),
 * `format` for text that does not parse (UUIDs, KSUIDs, JSON, invalid UTF-8),
 * `duplicate_key` for a key twice in one map; issue.record is first_record
 * plus the row. Every issue of every row is reported and every record is
 * still filled, the bad values zeroed, so lake_validate can run next.
 * Validation rules are not run here.
 *
 * Zero-copy: string and bytes values point into the Arrow buffers, so the
 * caller keeps `batch` (and whatever owns its buffers) alive, unreleased,
 * while it uses the records; such strings are not NUL-terminated. List and
 * map elements, nullable structs, and values converted on the way (JSON
 * text normalized, UUID text parsed) live in `arena`. `type` and `batch` are
 * borrowed: this call never releases them. */
LAKE_EXTERN int lake_arrow_import(const lake_schema *schema, const struct ArrowSchema *type,
                                  const struct ArrowArray *batch, size_t first_record, lake_arena *arena,
                                  void **records, size_t *count, lake_error *err);

/* ---- out: records into Arrow data */

/* The struct type ("+s") of records of `schema`, one child per column, into
 * *out. The caller owns *out and releases it with out->release (a consumer
 * that imports it does). */
LAKE_EXTERN int lake_arrow_export_schema(const lake_schema *schema, struct ArrowSchema *out, lake_error *err);

/* `count` contiguous records of `schema` into *out: a struct array of
 * lake_arrow_export_schema's type holding copies of every value in buffers
 * of its own, so the records may go as soon as this returns. The caller owns
 * *out and releases it with out->release, which frees everything, children
 * included (a consumer may move children out and release them on their own).
 * A column holding 2^31 or more string bytes or list elements in one batch
 * is LAKE_ENOTSUP (Arrow's utf8 and list offsets are int32): export fewer
 * records at a time. */
LAKE_EXTERN int lake_arrow_export(const lake_schema *schema, const void *records, size_t count,
                                  struct ArrowArray *out, lake_error *err);

/* ---- query results as a stream */

/* Runs src (sql, or a whole table) and hands its rows out as a stream of
 * record batches in the result's own shape (as lake_client_query_json reads
 * it: every column nullable): get_schema, get_next (a released array, its
 * release NULL, at the end), get_last_error, release. A batch holds at most
 * 65536 rows or about 16 MiB of strings, whichever comes first, so memory
 * stays constant whatever the row count. The stream holds one engine session
 * until it is released; release it once, from one thread, also when it
 * stopped early. The query runs (and its first row is read) before this
 * returns, so a bad query fails here; a failure while reading later rows is
 * get_next's errno-style return (EIO, ENOMEM, EINVAL) with get_last_error
 * saying what failed, and the stream ends there. `out` is the caller's; it
 * is filled only on success. */
LAKE_EXTERN int lake_client_query_arrow(lake_client *c, const lake_source *src,
                                        struct ArrowArrayStream *out, lake_error *err);

LAKE_END_DECL

#endif
