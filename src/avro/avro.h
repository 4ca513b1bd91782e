/* SPDX-License-Identifier: MIT */
/* Avro object container files (Avro specification 1.11, "Object Container
 * Files" and "Binary Encoding"), the form of Iceberg's manifests and
 * manifest lists: schemas parsed from their JSON with the attributes Iceberg
 * adds (field-id, element-id, key-id, value-id), values as a tree read and
 * written against a schema, and the container around them (header with
 * metadata, blocks with a sync marker, null, deflate and zstandard codecs).
 * Everything read comes from outside and is checked: lengths against what
 * is left, counts against the bytes that could hold them, nesting bounded. */
#ifndef LAKE_AVRO_AVRO_H
#define LAKE_AVRO_AVRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lakeorm/error.h>
#include <lakeorm/json.h>
#include <lakeorm/parquet.h>

#include "util/buf.h"

typedef enum lake__avro_kind {
    LAKE__AVRO_NULL,
    LAKE__AVRO_BOOLEAN,
    LAKE__AVRO_INT,
    LAKE__AVRO_LONG,
    LAKE__AVRO_FLOAT,
    LAKE__AVRO_DOUBLE,
    LAKE__AVRO_BYTES,
    LAKE__AVRO_STRING,
    LAKE__AVRO_RECORD,
    LAKE__AVRO_ENUM,
    LAKE__AVRO_ARRAY,
    LAKE__AVRO_MAP,
    LAKE__AVRO_UNION,
    LAKE__AVRO_FIXED,
} lake__avro_kind;

typedef struct lake__avro_schema lake__avro_schema;

typedef struct lake__avro_field {
    const char *name;
    int32_t field_id; /* Iceberg's "field-id"; -1 when absent */
    const lake__avro_schema *type;
} lake__avro_field;

struct lake__avro_schema {
    lake__avro_kind kind;
    const char *name;    /* records, enums and fixed: the full name (namespace.name) */
    const char *logical; /* "logicalType", or NULL */
    int32_t element_id;  /* arrays: Iceberg's "element-id"; -1 when absent */
    int32_t key_id, value_id; /* maps (and Iceberg's arrays of key-value records): -1 when absent */
    size_t size;         /* fixed: bytes */
    size_t count;        /* record fields, enum symbols, union branches */
    const lake__avro_field *fields;
    const char *const *symbols;
    const lake__avro_schema *const *branches;
    const lake__avro_schema *items; /* arrays: the items; maps: the values */
};

/* Parses a schema (JSON text, any of the forms the specification allows:
 * a primitive's name, an object, a union's array; named types referenced by
 * name once defined). Nodes live in `arena`. LAKE_ESCHEMA with the reason. */
int lake__avro_schema_parse(const char *json, size_t len, lake_arena *arena, const lake__avro_schema **out,
                            lake_error *err);

/* A value of a schema: the tree lake__avro_encode writes and the reader
 * builds. Records hold their fields' values in schema order (list.items),
 * arrays their items, maps their values with list.keys; a union holds the
 * chosen branch's value in *list.items with its index in `branch`. */
typedef struct lake__avro_value {
    lake__avro_kind kind;
    uint32_t branch; /* unions; enums: the symbol's index */
    union {
        bool b;
        int64_t l;  /* int and long */
        double d;   /* float and double */
        struct {
            const unsigned char *ptr;
            size_t len;
        } bytes; /* bytes, string and fixed */
        struct {
            struct lake__avro_value *items;
            const char *const *keys; /* maps: the keys (NUL-terminated), or NULL */
            const size_t *key_lens;
            size_t count;
        } list; /* records, arrays, maps and unions (one item) */
    } u;
} lake__avro_value;

/* Appends v's binary encoding as `schema` to out: LAKE_EINVAL naming the
 * path of the first value that does not fit its schema. */
int lake__avro_encode(const lake__avro_schema *schema, const lake__avro_value *v, lake__buf *out, lake_error *err);

/* A record's field value by name, or NULL. */
const lake__avro_value *lake__avro_field_value(const lake__avro_schema *record, const lake__avro_value *v,
                                               const char *name);

/* ---- container files */

typedef enum lake__avro_codec { LAKE__AVRO_CODEC_NULL, LAKE__AVRO_CODEC_DEFLATE, LAKE__AVRO_CODEC_ZSTD } lake__avro_codec;

typedef struct lake__avro_writer lake__avro_writer;

/* Starts a container file on `sink` for records of `schema_json` (written
 * into the header as given, so attributes Iceberg reads stay), with the
 * codec and `pairs` extra metadata entries (key, value, ...). */
int lake__avro_writer_open(lake__avro_writer **out, const char *schema_json, lake__avro_codec codec,
                           const char *const *metadata, size_t pairs, const lake_sink *sink, lake_error *err);
/* The schema parsed from schema_json, for building values. */
const lake__avro_schema *lake__avro_writer_schema(const lake__avro_writer *w);
int lake__avro_writer_append(lake__avro_writer *w, const lake__avro_value *record, lake_error *err);
/* Writes the last block. The writer can only be freed after. */
int lake__avro_writer_close(lake__avro_writer *w, lake_error *err);
void lake__avro_writer_free(lake__avro_writer *w);

typedef struct lake__avro_file {
    const lake__avro_schema *schema; /* the writer's */
    const char *schema_json;
    size_t metadata_count;
    const char *const *keys; /* metadata, NUL-terminated keys */
    const unsigned char *const *values;
    const size_t *value_lens;
    lake__avro_value *records;
    size_t record_count;
} lake__avro_file;

/* Reads a whole container file held in memory: its metadata, schema and
 * every record, all in `arena` (values may point into `data`, which must
 * outlive them). LAKE_EIO with the reason and the byte offset. */
int lake__avro_read(const void *data, size_t len, lake_arena *arena, lake__avro_file *out, lake_error *err);

/* A metadata value by key (NUL-terminated in the arena), or NULL. */
const char *lake__avro_file_meta(const lake__avro_file *f, const char *key);

#endif
