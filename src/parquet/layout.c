/* SPDX-License-Identifier: MIT */
#include "parquet/layout.h"

#include <string.h>

#include "util/alloc.h"

int lake__decimal_bytes(unsigned precision) {
    /* the smallest n with 10^precision - 1 < 2^(8n - 1) */
    long double limit = 1;
    for (unsigned i = 0; i < precision; i++) limit *= 10;
    int n = 1;
    long double cap = 128; /* 2^(8*1-1) */
    while (cap < limit) cap *= 256, n++;
    return n;
}

void lake__leaf_types(lake__leaf *leaf, const lake_column *c, bool uuid_as_string) {
    const lake__type_info *info = lake__type_info_of(c->type);
    leaf->type = c->type;
    leaf->physical = info->parquet_physical;
    leaf->logical = info->parquet_logical;
    leaf->type_length = 0;
    leaf->text = false;
    if (c->type == LAKE_DECIMAL) {
        leaf->physical = c->precision <= 9 ? LAKE__PQ_INT32 : c->precision <= 18 ? LAKE__PQ_INT64
                                                                                 : LAKE__PQ_FIXED_LEN_BYTE_ARRAY;
        if (leaf->physical == LAKE__PQ_FIXED_LEN_BYTE_ARRAY) leaf->type_length = lake__decimal_bytes(c->precision);
    } else if (c->type == LAKE_UUID && !uuid_as_string) {
        leaf->type_length = 16;
    } else if (c->type == LAKE_UUID || c->type == LAKE_SORTABLE_ID) {
        leaf->physical = LAKE__PQ_BYTE_ARRAY;
        leaf->logical = LAKE__PL_STRING;
        leaf->text = true;
    }
}

typedef struct walker {
    lake__leaf *leaves;
    size_t count, cap;
    bool uuid_as_string;
    bool oom;
    /* the path so far */
    const lake__column *steps[LAKE__PQ_MAX_STEPS];
    const char *path[LAKE__PQ_MAX_PATH];
    size_t path_len;
    uint32_t def, rep;
} walker;

static bool reserve_leaf(walker *w) {
    if (w->count < w->cap) return true;
    size_t cap = w->cap ? w->cap * 2 : 16;
    lake__leaf *p = lake__realloc(w->leaves, w->cap * sizeof *p, cap * sizeof *p);
    if (!p) return false;
    w->leaves = p, w->cap = cap;
    return true;
}

static void walk(walker *w, const lake_schema *s, const bool *omit, size_t depth) {
    for (size_t i = 0; i < s->column_count && !w->oom; i++) {
        if (omit && omit[i]) continue;
        const lake__column *c = &s->columns[i];
        size_t path_len = w->path_len;
        uint32_t def = w->def, rep = w->rep;
        w->steps[depth] = c;
        w->path[w->path_len++] = c->pub.name;
        w->def += c->pub.nullable;
        if (c->pub.type == LAKE_LIST || c->pub.type == LAKE_MAP) {
            w->path[w->path_len++] = lake__repeated_name(c->pub.type);
            w->def++, w->rep++;
        }
        if (c->pub.child) {
            walk(w, c->pub.child, NULL, depth + 1);
        } else if (!reserve_leaf(w)) {
            w->oom = true;
        } else {
            lake__leaf *leaf = &w->leaves[w->count++];
            memset(leaf, 0, sizeof *leaf);
            leaf->col = c;
            lake__leaf_types(leaf, &c->pub, w->uuid_as_string);
            leaf->nullable = c->pub.nullable;
            leaf->field_id = c->pub.field_id;
            memcpy(leaf->steps, w->steps, (depth + 1) * sizeof *w->steps);
            leaf->step_count = depth + 1;
            memcpy(leaf->path, w->path, w->path_len * sizeof *w->path);
            leaf->path_len = w->path_len;
            leaf->max_def = w->def;
            leaf->max_rep = w->rep;
        }
        w->path_len = path_len, w->def = def, w->rep = rep;
    }
}

lake__leaf *lake__leaves(const lake_schema *s, bool uuid_as_string, bool ingest_id, size_t *count) {
    return lake__leaves_except(s, NULL, uuid_as_string, ingest_id, count);
}

lake__leaf *lake__leaves_except(const lake_schema *s, const bool *omit, bool uuid_as_string, bool ingest_id,
                                size_t *count) {
    walker w = {.uuid_as_string = uuid_as_string};
    walk(&w, s, omit, 0);
    if (!w.oom && ingest_id) {
        lake__leaf *p = lake__realloc(w.leaves, w.cap * sizeof *p, (w.count + 1) * sizeof *p);
        if (!p) {
            w.oom = true;
        } else {
            w.leaves = p;
            lake__leaf *leaf = &w.leaves[w.count++];
            memset(leaf, 0, sizeof *leaf);
            leaf->type = LAKE_STRING;
            leaf->physical = LAKE__PQ_BYTE_ARRAY;
            leaf->logical = LAKE__PL_STRING;
            leaf->nullable = true; /* the system column is nullable in every table */
            leaf->max_def = 1;
            leaf->path[0] = "_ingest_id";
            leaf->path_len = 1;
            leaf->field_id = 0; /* set by the writer: after the schema's own ids */
        }
    }
    if (w.oom) {
        lake__free(w.leaves);
        return NULL;
    }
    *count = w.count;
    return w.leaves ? w.leaves : lake__calloc(1, sizeof(lake__leaf));
}
