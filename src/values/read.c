/* SPDX-License-Identifier: MIT */
/* What both readers (DuckDB results, Arrow streams from Spark Connect and
 * Databricks) share once they have said what a result column holds: whether
 * it binds to a field, what it reads as without a schema, and the wording of
 * every value error, so the same value meets the same answer on any driver. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error/error.h"
#include "util/alloc.h"
#include "values/values.h"

bool lake__value_converts(lake_type to, const lake__source *from) {
    const lake__value_type *t = lake__value_type_of(to);
    return t && from->kind != LAKE__V_NONE && (t->accepts >> from->kind & 1u);
}

lake_type lake__value_natural(const lake__source *from, uint8_t *precision, uint8_t *scale) {
    *precision = *scale = 0;
    switch (from->kind) {
    case LAKE__V_BOOL: return LAKE_BOOL;
    case LAKE__V_INT: {
        /* The narrowest signed type holding every value; past 64 bits, an exact decimal. */
        if (from->bits > 64 || (from->bits == 64 && !from->is_signed)) {
            *precision = from->bits > 64 ? 38 : 20;
            return LAKE_DECIMAL;
        }
        static const lake_type widths[] = {LAKE_INT8, LAKE_INT16, LAKE_INT32, LAKE_INT64, LAKE_INT64};
        int w = from->bits <= 8 ? 0 : from->bits <= 16 ? 1 : from->bits <= 32 ? 2 : 3;
        return widths[w + !from->is_signed];
    }
    case LAKE__V_FLOAT: return from->bits == 32 ? LAKE_FLOAT32 : LAKE_FLOAT64;
    case LAKE__V_DECIMAL:
        if (from->precision < 1 || from->precision > LAKE_DECIMAL_MAX_PRECISION || from->scale < 0 ||
            from->scale > from->precision)
            return 0;
        *precision = from->precision;
        *scale = (uint8_t)from->scale;
        return LAKE_DECIMAL;
    case LAKE__V_TEXT: return LAKE_STRING;
    case LAKE__V_BINARY: return LAKE_BYTES;
    case LAKE__V_TIMESTAMP: return LAKE_TIMESTAMP;
    case LAKE__V_DATE: return LAKE_DATE;
    case LAKE__V_UUID: return LAKE_UUID;
    case LAKE__V_KSUID: return LAKE_SORTABLE_ID;
    case LAKE__V_STRUCT: return LAKE_STRUCT;
    case LAKE__V_LIST: return LAKE_LIST;
    case LAKE__V_MAP: return LAKE_MAP;
    case LAKE__V_NONE: break;
    }
    return 0;
}

void lake__source_name(const lake__source *from, char *out, size_t cap) {
    static const char *const units[] = {"s", "ms", "us", "ns", "day"};
    switch (from->kind) {
    case LAKE__V_BOOL: snprintf(out, cap, "bool"); break;
    case LAKE__V_INT: snprintf(out, cap, "%sint%u", from->is_signed ? "" : "u", (unsigned)from->bits); break;
    case LAKE__V_FLOAT: snprintf(out, cap, "float%u", (unsigned)from->bits); break;
    case LAKE__V_DECIMAL: snprintf(out, cap, "decimal(%u,%d)", (unsigned)from->precision, (int)from->scale); break;
    case LAKE__V_TEXT: snprintf(out, cap, "text"); break;
    case LAKE__V_BINARY: snprintf(out, cap, "binary"); break;
    case LAKE__V_TIMESTAMP: snprintf(out, cap, "timestamp[%s]", units[from->unit]); break;
    case LAKE__V_DATE: snprintf(out, cap, from->unit == LAKE__UNIT_MS ? "date[ms]" : "date"); break;
    case LAKE__V_UUID: snprintf(out, cap, "uuid"); break;
    case LAKE__V_KSUID: snprintf(out, cap, "ksuid"); break;
    case LAKE__V_STRUCT: snprintf(out, cap, "struct"); break;
    case LAKE__V_LIST: snprintf(out, cap, "list"); break;
    case LAKE__V_MAP: snprintf(out, cap, "map"); break;
    case LAKE__V_NONE: snprintf(out, cap, "a type lakeorm does not read"); break;
    }
}

int lake__value_error(lake_error *err, const lake_column *c, lake__fit fit) {
    switch (fit) {
    case LAKE__FITS: return LAKE_OK;
    case LAKE__NO_MEMORY: return lake__error(err, LAKE_ENOMEM, "out of memory");
    case LAKE__LOSES_DIGITS:
        return lake__error(err, LAKE_EMISMATCH, "result column \"%s\" has more decimal places than its field "
                           "(DECIMAL(%u,%u))", c->name, c->precision, c->scale);
    case LAKE__BAD_TEXT:
        return lake__error(err, LAKE_EMISMATCH, "result column \"%s\" holds a string that is not %s", c->name,
                           lake__value_type_of(c->type)->what);
    case LAKE__TOO_BIG: break;
    }
    if (c->type == LAKE_DECIMAL)
        return lake__error(err, LAKE_EMISMATCH, "result column \"%s\" holds a value that does not fit its field "
                           "(DECIMAL(%u,%u))", c->name, c->precision, c->scale);
    return lake__error(err, LAKE_EMISMATCH, "result column \"%s\" holds a value that does not fit its %s field",
                       c->name, lake_type_name(c->type));
}

int lake__value_null_error(lake_error *err, const lake_column *c) {
    return lake__error(err, LAKE_EMISMATCH, "NULL in result column \"%s\", but its field is not nullable", c->name);
}

int lake__value_type_error(lake_error *err, const char *name, const lake__source *from, const char *engine_type,
                           const lake_column *c) {
    char what[64];
    lake__source_name(from, what, sizeof what);
    return lake__error(err, LAKE_EMISMATCH, "result column \"%s\" (%s) cannot be read into a %s field", name,
                       from->kind == LAKE__V_NONE ? engine_type : what, lake_type_name(c->type));
}

int lake__value_missing_error(lake_error *err, const lake_schema *s, const char *column, const char *where) {
    return lake__error(err, LAKE_EMISMATCH, "the result has no column \"%s\"%s%s (model %s)", column,
                       *where ? " in " : "", where, s->table);
}

/* ---- nested values */

static void place_render(const lake__place *at, char *out, size_t cap, size_t *len) {
    if (at->up) place_render(at->up, out, cap, len);
    int n;
    if (at->name) n = snprintf(out + *len, cap - *len, "%s%s", at->up ? "." : "", at->name);
    else if (at->key) n = snprintf(out + *len, cap - *len, "[\"%.*s\"]", (int)(at->key_len > 64 ? 64 : at->key_len), at->key);
    else if (at->has_index) n = snprintf(out + *len, cap - *len, "[%zu]", at->index);
    else n = snprintf(out + *len, cap - *len, "[]");
    if (n > 0) *len = *len + (size_t)n < cap ? *len + (size_t)n : cap - 1;
}

const lake_column *lake__place_name(lake__named *out, const lake__column *c, const lake__place *at) {
    size_t len = 0;
    out->name[0] = '\0';
    place_render(at, out->name, sizeof out->name, &len);
    out->col = c->pub;
    out->col.name = out->name;
    return &out->col;
}

int lake__value_map_key_error(lake_error *err, const lake_column *c, const lake__source *key, const char *engine_type) {
    char what[64];
    lake__source_name(key, what, sizeof what);
    return lake__error(err, LAKE_EMISMATCH, "result column \"%s\" is a map with %s keys, but a map field's keys are "
                       "strings: cast the keys to text in the SQL", c->name,
                       key->kind == LAKE__V_NONE ? engine_type : what);
}

int lake__value_duplicate_key_error(lake_error *err, const lake_column *c, const lake_str *key) {
    return lake__error(err, LAKE_EMISMATCH, "result column \"%s\" holds a map with the key \"%.*s\" twice; a map's "
                       "keys are unique", c->name, (int)(key->len > 64 ? 64 : key->len), key->ptr);
}

static int key_order(const void *x, const void *y) {
    const lake_str *a = *(const lake_str *const *)x, *b = *(const lake_str *const *)y;
    size_t n = a->len < b->len ? a->len : b->len;
    int d = n ? memcmp(a->ptr, b->ptr, n) : 0;
    return d ? d : (a->len > b->len) - (a->len < b->len);
}

/* Maps are small: a few keys are compared pairwise, more are sorted. */
const lake_str *lake__map_duplicate_key(const void *entries, size_t n, size_t stride, bool *no_memory) {
    enum { PAIRWISE = 16 };
    const unsigned char *at = entries;
    *no_memory = false;
    if (n <= PAIRWISE) {
        for (size_t i = 1; i < n; i++) {
            const lake_str *k = (const lake_str *)(at + i * stride);
            for (size_t j = 0; j < i; j++)
                if (!key_order(&k, &(const lake_str *){(const lake_str *)(at + j * stride)})) return k;
        }
        return NULL;
    }
    const lake_str **keys = lake__calloc(n, sizeof *keys);
    if (!keys) {
        *no_memory = true;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) keys[i] = (const lake_str *)(at + i * stride);
    qsort(keys, n, sizeof *keys, key_order);
    const lake_str *dup = NULL;
    for (size_t i = 1; i < n && !dup; i++)
        if (!key_order(&keys[i - 1], &keys[i])) dup = keys[i];
    lake__free(keys);
    return dup;
}
