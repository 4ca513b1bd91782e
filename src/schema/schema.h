/* SPDX-License-Identifier: MIT */
/* The compiled schema shared by models and schema files. */
#ifndef LAKE_SCHEMA_SCHEMA_H
#define LAKE_SCHEMA_SCHEMA_H

#include <lakeorm/schema.h>

#include "validate/rules.h"

/* Structs and collections nest at most this deep: the top-level record's
 * columns are level 0, so a path into a record meets at most this many
 * records (the record, structs, list elements, map entries). */
enum { LAKE__SCHEMA_NESTING_MAX = 16 };

typedef struct lake__column {
    lake_column pub;
    size_t name_len;
    size_t size;          /* bytes of the value inside the record */
    bool optional;        /* a lake_opt_* value: NULL when its valid flag is false */
    size_t valid_offset;  /* of that flag, inside the record */
    lake__rules rules;
    /* A list's element, a map's key or value: its path is the index or key
     * the walker pushed, not a member name (lake__column_leaf). */
    bool unnamed;
} lake__column;

struct lake_schema {
    const char *table;
    size_t record_size;
    size_t column_count;
    lake__column *columns;
    lake_arena *arena; /* every string, rule and child schema of this schema */
    bool reads_ingest_id; /* names the system column: a read projection, never written */
    bool positional;      /* read off a result (schema/result.h): column i binds to result column i */
    int32_t ingest_field_id; /* the _ingest_id column's field id; 0: the one after every column's */
};

static inline const lake__column *lake__schema_col(const lake_schema *s, size_t i) {
    return &s->columns[i];
}

/* Compiles a model (from a C field table or a schema file). */
int lake__schema_compile(lake_schema **out, const lake_model *model, lake_error *err);

/* s's columns and then "_ingest_id", a lake_str member at the end of a
 * longer record (extend.c). It borrows s's nested schemas and strings: free
 * it with lake__schema_extended_free, before s. */
int lake__schema_with_ingest_id(const lake_schema *s, lake_schema **out, lake_error *err);
void lake__schema_extended_free(lake_schema *x);
/* s without its top-level "_ingest_id" column (if any), the record's layout
 * unchanged: what a reader that leaves the system column out reads. The same
 * borrowing; free it with lake__schema_extended_free, before s. */
int lake__schema_without_ingest_id(const lake_schema *s, lake_schema **out, lake_error *err);

/* The largest field id of the schema's columns, nested ones included: the
 * _ingest_id column a writer stamps takes the next one. */
int32_t lake__schema_max_field_id(const lake_schema *s);

/* The _ingest_id column's field id: the schema's own, or the next after its columns'. */
static inline int32_t lake__schema_ingest_field_id(const lake_schema *s) {
    return s->ingest_field_id ? s->ingest_field_id : lake__schema_max_field_id(s) + 1;
}

/* A copy of s whose columns (nested ones included) carry the field ids a
 * table gives them (field_ids.c): id_of names each column's id from its
 * path of columns, top-level first; the copy's _ingest_id takes
 * ingest_field_id. It borrows s's strings and rules: free it with
 * lake__schema_renumbered_free, before s. */
typedef int32_t (*lake__field_id_fn)(void *ctx, const lake_column *const *path, size_t depth);
int lake__schema_renumbered(const lake_schema *s, lake__field_id_fn id_of, void *ctx, int32_t ingest_field_id,
                            lake_schema **out, lake_error *err);
void lake__schema_renumbered_free(lake_schema *x);

/* LAKE_OK when the schema may define or write a table; LAKE_EINVAL (with
 * why) for a read projection, which names the system column _ingest_id in
 * some case: engines compare names without case, so no spelling may pass. */
int lake__schema_check_writable(const lake_schema *s, lake_error *err);

/* The last part of the column's path in an issue: its JSON key, or none
 * for an element, whose index or key the walker pushed. */
static inline const char *lake__column_leaf(const lake__column *c, size_t *len) {
    *len = c->unnamed ? 0 : c->pub.json_name_len;
    return c->unnamed ? NULL : c->pub.json_name;
}

/* A list's or map's value inside a record: every LAKE_LIST_TYPE and
 * LAKE_MAP_TYPE view has this layout. Elements are `len` records of the
 * column's child schema, child->record_size apart. */
typedef struct lake__view {
    void *ptr;
    size_t len;
} lake__view;

/* Types whose values are made of other columns' values (pub.child). */
static inline bool lake__type_is_composite(lake_type t) {
    return t == LAKE_STRUCT || t == LAKE_LIST || t == LAKE_MAP;
}

/* Whether the column's value in `record` is NULL: a lake_opt_* flag, a NULL
 * view (string, bytes, json, list, map) or a NULL struct pointer. */
static inline bool lake__is_null(const lake__column *c, const void *record) {
    const unsigned char *base = record;
    switch (c->pub.type) {
    case LAKE_STRING: case LAKE_BYTES: case LAKE_JSON: case LAKE_LIST: case LAKE_MAP:
        return ((const lake__view *)(base + c->pub.offset))->ptr == NULL;
    case LAKE_STRUCT:
        return c->optional && *(void *const *)(base + c->pub.offset) == NULL;
    default:
        return c->optional && !*(const bool *)(base + c->valid_offset);
    }
}

/* The record a struct column's members live in: inline, or behind the
 * pointer of a nullable struct (NULL when the struct is NULL). */
static inline const void *lake__struct_at(const lake__column *c, const void *record) {
    const unsigned char *p = (const unsigned char *)record + c->pub.offset;
    return c->optional ? *(void *const *)p : p;
}

/* A list's or map's view in `record`. */
static inline const lake__view *lake__view_at(const lake__column *c, const void *record) {
    return (const lake__view *)((const unsigned char *)record + c->pub.offset);
}

#endif
