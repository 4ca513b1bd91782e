/* SPDX-License-Identifier: MIT */
/* The compiled schema shared by models and schema files. */
#ifndef LAKE_SCHEMA_SCHEMA_H
#define LAKE_SCHEMA_SCHEMA_H

#include <lakeorm/schema.h>

#include "validate/rules.h"

typedef struct lake__column {
    lake_column pub;
    size_t name_len;
    size_t size;          /* bytes of the value inside the record */
    bool optional;        /* a lake_opt_* value: NULL when its valid flag is false */
    size_t valid_offset;  /* of that flag, inside the record */
    lake__rules rules;
} lake__column;

struct lake_schema {
    const char *table;
    size_t record_size;
    size_t column_count;
    lake__column *columns;
    lake_arena *arena; /* every string, rule and child schema of this schema */
    bool reads_ingest_id; /* names the system column: a read projection, never written */
    bool positional;      /* read off a result (schema/result.h): column i binds to result column i */
};

static inline const lake__column *lake__schema_col(const lake_schema *s, size_t i) {
    return &s->columns[i];
}

/* Compiles a model (from a C field table or a schema file). */
int lake__schema_compile(lake_schema **out, const lake_model *model, lake_error *err);

/* LAKE_OK when the schema may define or write a table; LAKE_EINVAL (with
 * why) for a read projection, which names the system column _ingest_id in
 * some case: engines compare names without case, so no spelling may pass. */
int lake__schema_check_writable(const lake_schema *s, lake_error *err);

/* Whether the column's value in `record` is NULL. */
static inline bool lake__is_null(const lake__column *c, const void *record) {
    const unsigned char *base = record;
    if (c->optional) return !*(const bool *)(base + c->valid_offset);
    if (c->pub.type == LAKE_STRING || c->pub.type == LAKE_BYTES)
        return ((const lake_str *)(base + c->pub.offset))->ptr == NULL;
    return false;
}

#endif
