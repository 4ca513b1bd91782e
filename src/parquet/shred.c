/* SPDX-License-Identifier: MIT */
#include "parquet/shred.h"

#include <string.h>

#include "util/decimal.h"
#include "values/values.h"

/* A non-NULL leaf value as its PLAIN bytes (BYTE_ARRAY: the content):
 * *out points at the record or at buf / the scratch text; returns the length. */
static inline size_t leaf_value(const lake__leaf *l, const unsigned char *p, lake__page_scratch *s, unsigned char buf[16],
                         const void **out) {
    *out = buf;
    switch (l->type) {
    case LAKE_BOOL: *out = p; return 1;
    case LAKE_INT8: { int32_t x = *(const int8_t *)p; memcpy(buf, &x, 4); return 4; }
    case LAKE_INT16: { int32_t x = *(const int16_t *)p; memcpy(buf, &x, 4); return 4; }
    case LAKE_INT32: case LAKE_DATE: case LAKE_FLOAT32: *out = p; return 4;
    case LAKE_INT64: case LAKE_TIMESTAMP: case LAKE_FLOAT64: *out = p; return 8;
    case LAKE_STRING: case LAKE_BYTES: case LAKE_JSON: {
        const lake_str *v = (const lake_str *)p;
        *out = v->ptr;
        return v->len;
    }
    case LAKE_DECIMAL: {
        lake__i128 d = lake__dec_get(*(const lake_dec128 *)p);
        if (l->physical == LAKE__PQ_INT32) { int32_t x = (int32_t)d; memcpy(buf, &x, 4); return 4; }
        if (l->physical == LAKE__PQ_INT64) { int64_t x = (int64_t)d; memcpy(buf, &x, 8); return 8; }
        for (int i = l->type_length - 1; i >= 0; i--, d >>= 8) buf[i] = (unsigned char)d; /* big-endian */
        return (size_t)l->type_length;
    }
    case LAKE_UUID:
        if (!l->text) { *out = p; return 16; }
        /* fall through */
    case LAKE_SORTABLE_ID:
        *out = s->text;
        return lake__value_id_text(l->type, p, s->text);
    case LAKE_STRUCT: case LAKE_LIST: case LAKE_MAP: break; /* not leaves */
    }
    return 0;
}

/* The entries below step `step` of the leaf's path, in `record` (the record
 * that step's column lives in). `rep` is the repetition level of the first
 * entry, `def` the definition level reached above, `lists` the lists and maps
 * above. Structs are stepped through in a loop; only lists and maps recurse,
 * so the depth is bounded by the path (LAKE__PQ_MAX_STEPS). */
static int shred(lake__column_writer *c, lake__page_scratch *s, size_t step, const unsigned char *record,
                 uint32_t rep, uint32_t def, uint32_t lists) {
    for (;; step++) {
        const lake__column *col = c->leaf->steps[step];
        if (lake__is_null(col, record)) {
            if (!col->pub.nullable) return LAKE_EVALIDATION;
            return lake__column_put_null(c, rep, def) ? LAKE_ENOMEM : LAKE_OK;
        }
        def += col->pub.nullable;
        switch (col->pub.type) {
        case LAKE_STRUCT:
            record = lake__struct_at(col, record);
            continue;
        case LAKE_LIST:
        case LAKE_MAP: {
            const lake__view *v = lake__view_at(col, record);
            /* an empty list is defined up to its own level, below its repeated group */
            if (v->len == 0) return lake__column_put_null(c, rep, def) ? LAKE_ENOMEM : LAKE_OK;
            const unsigned char *at = v->ptr;
            size_t stride = col->pub.child->record_size;
            for (size_t k = 0; k < v->len; k++, at += stride) {
                /* the first entry continues whatever the caller continues; the
                 * others continue this list */
                int rc = shred(c, s, step + 1, at, k ? lists + 1 : rep, def + 1, lists + 1);
                if (rc) return rc;
            }
            return LAKE_OK;
        }
        default: {
            unsigned char buf[16];
            const void *v;
            size_t n = leaf_value(c->leaf, record + col->pub.offset, s, buf, &v);
            return lake__column_put_value(c, v, n, rep) ? LAKE_ENOMEM : LAKE_OK;
        }
        }
    }
}

int lake__shred(lake__column_writer *c, lake__page_scratch *s, const unsigned char *records, size_t count,
                size_t record_size, size_t *bad_row) {
    for (size_t r = 0; r < count; r++, records += record_size) {
        if (lake__column_page_due(c) && lake__column_end_page(c, s)) return LAKE_ENOMEM;
        int rc = shred(c, s, 0, records, 0, 0, 0);
        if (rc) {
            *bad_row = r;
            return rc;
        }
    }
    return LAKE_OK;
}

bool lake__shred_may_refuse(const lake__column *c) {
    switch (c->pub.type) {
    case LAKE_STRING: case LAKE_BYTES: case LAKE_JSON: case LAKE_LIST: case LAKE_MAP:
        if (!c->pub.nullable) return true;
        break;
    default: break;
    }
    for (size_t i = 0; c->pub.child && i < c->pub.child->column_count; i++)
        if (lake__shred_may_refuse(&c->pub.child->columns[i])) return true;
    return false;
}

const lake__column *lake__shred_refusal(const lake__column *c, const unsigned char *record) {
    if (lake__is_null(c, record)) return c->pub.nullable ? NULL : c;
    const lake_schema *child = c->pub.child;
    if (!child) return NULL;
    if (c->pub.type == LAKE_STRUCT) {
        const unsigned char *inner = lake__struct_at(c, record);
        for (size_t i = 0; i < child->column_count; i++) {
            const lake__column *bad = lake__shred_refusal(&child->columns[i], inner);
            if (bad) return bad;
        }
        return NULL;
    }
    const lake__view *v = lake__view_at(c, record);
    const unsigned char *at = v->ptr;
    for (size_t k = 0; k < v->len; k++, at += child->record_size)
        for (size_t i = 0; i < child->column_count; i++) {
            const lake__column *bad = lake__shred_refusal(&child->columns[i], at);
            if (bad) return bad;
        }
    return NULL;
}
