/* SPDX-License-Identifier: MIT */
#include "validate/compare.h"

#include <string.h>

#include "util/alloc.h"
#include "util/utf8.h"

void lake__compare_read(const lake__column *c, const void *record, lake__value *out) {
    memset(out, 0, sizeof *out);
    if (c->pub.type == LAKE_LIST || c->pub.type == LAKE_MAP) out->i = (lake__i128)lake__view_at(c, record)->len;
    else lake__value_get(c, record, out);
}

static int order_of(lake__i128 a, lake__i128 b) { return a < b ? -1 : a > b; }

bool lake__compare_equal(lake__vkind kind, const lake__value *a, const lake__value *b) {
    switch (kind) {
    case LAKE__V_BOOL: return a->b == b->b;
    case LAKE__V_FLOAT: return a->f == b->f;
    case LAKE__V_TEXT:
    case LAKE__V_BINARY: return a->s.len == b->s.len && (a->s.len == 0 || memcmp(a->s.ptr, b->s.ptr, a->s.len) == 0);
    case LAKE__V_TIMESTAMP:
    case LAKE__V_DATE: return a->t == b->t;
    case LAKE__V_UUID: return memcmp(a->id, b->id, sizeof(lake_uuid)) == 0;
    case LAKE__V_KSUID: return memcmp(a->id, b->id, sizeof(lake_ksuid)) == 0;
    case LAKE__V_INT:
    case LAKE__V_DECIMAL:
    case LAKE__V_LIST:
    case LAKE__V_MAP: return a->i == b->i;
    default: return false;
    }
}

int lake__compare_order(lake__vkind kind, const lake__value *a, const lake__value *b) {
    switch (kind) {
    case LAKE__V_FLOAT:
        if (a->f != a->f || b->f != b->f) return 2;
        return a->f < b->f ? -1 : a->f > b->f;
    case LAKE__V_TEXT:
        return order_of((lake__i128)lake__utf8_count(a->s.ptr, a->s.len), (lake__i128)lake__utf8_count(b->s.ptr, b->s.len));
    case LAKE__V_BINARY: return order_of((lake__i128)a->s.len, (lake__i128)b->s.len);
    case LAKE__V_TIMESTAMP:
    case LAKE__V_DATE: return order_of(a->t, b->t);
    case LAKE__V_INT:
    case LAKE__V_DECIMAL:
    case LAKE__V_LIST:
    case LAKE__V_MAP: return order_of(a->i, b->i);
    default: return 2;
    }
}

/* FNV-1a over the bytes lake__compare_equal compares. */
static uint64_t hash(lake__vkind kind, const lake__value *v) {
    const unsigned char *p;
    size_t n;
    double zero = 0.0;
    switch (kind) {
    case LAKE__V_BOOL: p = (const unsigned char *)&v->b, n = sizeof v->b; break;
    case LAKE__V_FLOAT: /* -0.0 == 0.0: one hash for both */
        p = (const unsigned char *)(v->f == 0.0 ? &zero : &v->f), n = sizeof v->f; break;
    case LAKE__V_TEXT: case LAKE__V_BINARY: p = (const unsigned char *)v->s.ptr, n = v->s.len; break;
    case LAKE__V_TIMESTAMP: case LAKE__V_DATE: p = (const unsigned char *)&v->t, n = sizeof v->t; break;
    case LAKE__V_UUID: p = v->id, n = sizeof(lake_uuid); break;
    case LAKE__V_KSUID: p = v->id, n = sizeof(lake_ksuid); break;
    default: p = (const unsigned char *)&v->i, n = sizeof v->i; break;
    }
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211u;
    return h;
}

/* Up to this many elements every pair is compared: no allocation, and fewer
 * steps than hashing for the short lists most records hold. */
enum { PAIRWISE_MAX = 32 };

bool lake__each_duplicate(size_t n, lake__vkind kind, lake__element_value get, const void *ctx,
                          bool (*found)(void *found_ctx, size_t i), void *found_ctx) {
    lake__value a, b;
    if (n <= PAIRWISE_MAX) {
        for (size_t i = 1; i < n; i++) {
            if (!get(ctx, i, &a)) continue;
            for (size_t j = 0; j < i; j++) {
                if (!get(ctx, j, &b) || !lake__compare_equal(kind, &a, &b)) continue;
                if (!found(found_ctx, i)) return true;
                break;
            }
        }
        return true;
    }
    /* Open addressing over element indexes, at most half full. */
    size_t cap = 64;
    while (cap < 2 * n) cap *= 2;
    size_t *slots = lake__malloc(cap * sizeof *slots);
    if (!slots) return false;
    memset(slots, 0xff, cap * sizeof *slots);
    for (size_t i = 0; i < n; i++) {
        if (!get(ctx, i, &a)) continue;
        size_t at = (size_t)hash(kind, &a) & (cap - 1);
        bool dup = false;
        for (; slots[at] != SIZE_MAX; at = (at + 1) & (cap - 1)) {
            get(ctx, slots[at], &b);
            if ((dup = lake__compare_equal(kind, &a, &b))) break;
        }
        if (!dup) {
            slots[at] = i;
        } else if (!found(found_ctx, i)) {
            break;
        }
    }
    lake__free(slots);
    return true;
}
