/* SPDX-License-Identifier: MIT */
/* lakeorm: strict JSON decoding straight into records.
 *
 * Strict means: an object key that names no column is an error (also inside
 * nested structs); so are duplicate keys, a JSON type that does not match the
 * column, a number that does not fit it (300 into int8, 1.5 into an integer),
 * null for a non-nullable column, a missing non-nullable column, invalid UTF-8,
 * and anything but whitespace after the value. Every problem of a record is
 * reported, not just the first; then the record's validation rules run.
 * docs/json.md gives each verdict. */
#ifndef LAKEORM_JSON_H
#define LAKEORM_JSON_H

#include "common.h"
#include "error.h"
#include "schema.h"

LAKE_BEGIN_DECL

/* Memory for decoded strings, bytes, elements and nested structs, released
 * in one call. Not thread-safe: one arena per thread. */
typedef struct lake_arena lake_arena;

LAKE_EXTERN int lake_arena_new(lake_arena **out);
/* Releases everything allocated so far but keeps one block for reuse. */
LAKE_EXTERN void lake_arena_reset(lake_arena *arena);
LAKE_EXTERN void lake_arena_free(lake_arena *arena);

typedef struct lake_decode_options {
    unsigned version;
    bool skip_validation; /* decode only; run lake_validate later */
    unsigned max_depth;   /* objects and arrays nested at most this deep, the record
                             itself and json values included; 0 = 64, at most 1024 */
} lake_decode_options;

#define LAKE_DECODE_OPTIONS_VERSION 1
#define LAKE_DECODE_OPTIONS_INIT {LAKE_DECODE_OPTIONS_VERSION, false, 0}

/* Decodes one JSON object into *record (lake_schema_record_size bytes, zeroed
 * first). Strings, bytes, json text, list and map elements and nullable
 * structs in the record point into `arena` and stay valid until it is reset
 * or freed; keep one arena across calls, as it also holds the decoder's
 * scratch memory. Returns LAKE_OK, or LAKE_EVALIDATION with every
 * decode and validation problem in err->issues, each with issue.record set to
 * `record_index`. opts may be NULL for the defaults. */
LAKE_EXTERN int lake_json_decode(const lake_schema *schema, const char *json, size_t len,
                                 void *record, lake_arena *arena, size_t record_index,
                                 const lake_decode_options *opts, lake_error *err);

/* Good records of an NDJSON batch, with the arena their strings live in. */
typedef struct lake_records lake_records;

/* Decodes every line of an NDJSON buffer. Blank lines are skipped. Good records
 * land in *out in input order even when other lines are rejected: then the
 * result is LAKE_EVALIDATION and err->issues holds each rejected line's
 * problems with issue.record = its 1-based line number. Free *out with
 * lake_records_free. */
LAKE_EXTERN int lake_ndjson_decode(lake_records **out, const lake_schema *schema,
                                   const char *data, size_t len,
                                   const lake_decode_options *opts, lake_error *err);

LAKE_EXTERN size_t lake_records_count(const lake_records *records);
/* The records, contiguous, lake_schema_record_size bytes each. Borrowed. */
LAKE_EXTERN const void *lake_records_data(const lake_records *records);
/* The 1-based input line of record i. */
LAKE_EXTERN size_t lake_records_line(const lake_records *records, size_t index);
LAKE_EXTERN void lake_records_free(lake_records *records);

/* Writes text as a JSON string literal, quotes included; bytes that are not
 * UTF-8 become U+FFFD. *out is NUL-terminated; free it with lake_free. */
LAKE_EXTERN int lake_json_quote(const char *text, size_t len, char **out, size_t *out_len);

LAKE_END_DECL

#endif
