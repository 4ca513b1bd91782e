/* SPDX-License-Identifier: MIT */
/* Records of the nested event model (nested_event.h) made in C, the same
 * ones tests/data/nested/event_rows.py makes in Python (keep the two in
 * step), and a deep comparison of two records of any schema, for round trips
 * through a format or an engine. */
#ifndef LAKE_TEST_NESTED_ROWS_H
#define LAKE_TEST_NESTED_ROWS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nested_event.h"
#include "schema/schema.h"
#include "schema/type_table.h"

/* Where the made records' elements and strings live: a bump allocator over a
 * caller's buffer (the tests make a few hundred records at most). */
typedef struct nested_pool {
    char *at, *end;
} nested_pool;

static inline void *nested_alloc(nested_pool *p, size_t size) {
    size = (size + 15) / 16 * 16;
    if (size > (size_t)(p->end - p->at)) {
        fprintf(stderr, "nested_pool: out of room\n");
        abort();
    }
    void *r = p->at;
    memset(r, 0, size);
    p->at += size;
    return r;
}

__attribute__((format(printf, 2, 3))) static inline lake_str nested_text(nested_pool *p, const char *fmt, ...) {
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *s = nested_alloc(p, (size_t)n + 1);
    memcpy(s, buf, (size_t)n + 1);
    return (lake_str){s, (size_t)n};
}

/* Elements of a list or map: LAKE_EMPTY for none, so the list is empty, not NULL. */
static inline void *nested_items(nested_pool *p, size_t n, size_t size) {
    return n ? nested_alloc(p, n * size) : LAKE_EMPTY;
}

/* Event i: every shape the issue names shows up across a few rows (empty
 * and NULL lists, a list of NULLs, lists of structs, a NULL struct and NULL
 * members, maps of lists, three levels deep). */
static inline void nested_event_make(event *e, int i, nested_pool *p) {
    memset(e, 0, sizeof *e);
    for (int k = 0; k < 16; k++) e->event_id.b[k] = (uint8_t)(i * 7 + k);
    e->kind = i % 2 ? (lake_str){"click", 5} : (lake_str){"view", 4};
    e->at.us = (int64_t)i * 1000000;
    e->items.len = (size_t)(i % 3 + 1); /* the model asks for at least one */
    e->items.ptr = nested_items(p, e->items.len, sizeof *e->items.ptr);
    for (int j = 0; j < i % 3 + 1; j++) {
        ev_item *it = &e->items.ptr[j];
        it->sku = nested_text(p, "s%d-%d", i, j);
        it->qty = j + 1;
        it->price = (lake_dec128){(uint64_t)(i * 100 + j), 0};
        it->tags.len = (size_t)j;
        it->tags.ptr = nested_items(p, it->tags.len, sizeof *it->tags.ptr);
        for (int k = 0; k < j; k++) it->tags.ptr[k] = nested_text(p, "t%d", k);
    }
    if (i % 3) {
        e->shipping = nested_alloc(p, sizeof *e->shipping);
        e->shipping->city = (lake_str){"Utrecht", 7};
        e->shipping->zip = (lake_opt_i32){3500 + i, i % 2 == 0};
    }
    e->attrs.len = (size_t)(i % 3);
    e->attrs.ptr = nested_items(p, e->attrs.len, sizeof *e->attrs.ptr);
    for (int k = 0; k < i % 3; k++) {
        e->attrs.ptr[k].key = nested_text(p, "a%d", k);
        e->attrs.ptr[k].value = nested_text(p, "v%d%d", i, k);
    }
    if (i % 5) {
        lake_str json = nested_text(p, "{\"n\":%d}", i);
        e->payload = (lake_json){json.ptr, json.len};
    }
    e->scores.len = (size_t)(i % 3);
    e->scores.ptr = nested_items(p, e->scores.len, sizeof *e->scores.ptr);
    for (int k = 0; k < i % 3; k++) {
        lake_list_i64 *l = &e->scores.ptr[k];
        l->len = (size_t)k;
        l->ptr = nested_items(p, l->len, sizeof *l->ptr);
        for (int m = 0; m < k; m++) l->ptr[m] = (int64_t)m * i - 1;
    }
    if (i % 4) {
        e->notes.len = (size_t)(i % 3);
        e->notes.ptr = nested_items(p, e->notes.len, sizeof *e->notes.ptr);
        for (int k = 0; k < i % 3; k++)
            if ((i + k) % 2 == 0) e->notes.ptr[k] = nested_text(p, "n%d", k);
    }
    e->labels.len = (size_t)(i % 3);
    e->labels.ptr = nested_items(p, e->labels.len, sizeof *e->labels.ptr);
    for (int k = 0; k < i % 3; k++) {
        e->labels.ptr[k].key = nested_text(p, "l%d", k);
        lake_list_str *l = &e->labels.ptr[k].value;
        l->len = (size_t)k;
        l->ptr = nested_items(p, l->len, sizeof *l->ptr);
        for (int m = 0; m < k; m++) l->ptr[m] = nested_text(p, "x%d", m);
    }
}

/* Whether two records of `s` hold the same values, at every level: NULL and
 * empty stay distinct, strings compare by bytes, fixed values by their bytes
 * (a NULL lake_opt_* value's bytes are not compared). */
static inline bool lake_test_records_equal(const lake_schema *s, const void *a, const void *b) {
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < s->column_count; i++) {
        const lake__column *c = &s->columns[i];
        bool xn = lake__is_null(c, x), yn = lake__is_null(c, y);
        if (xn != yn) return false;
        if (xn) continue;
        const void *u = x + c->pub.offset, *v = y + c->pub.offset;
        switch (c->pub.type) {
        case LAKE_STRING: case LAKE_BYTES: case LAKE_JSON: {
            const lake_str *p = u, *q = v;
            if (p->len != q->len || (p->len && memcmp(p->ptr, q->ptr, p->len))) return false;
            break;
        }
        case LAKE_STRUCT:
            if (!lake_test_records_equal(c->pub.child, lake__struct_at(c, x), lake__struct_at(c, y))) return false;
            break;
        case LAKE_LIST: case LAKE_MAP: {
            const lake__view *p = u, *q = v;
            if (p->len != q->len) return false;
            size_t stride = c->pub.child->record_size;
            for (size_t k = 0; k < p->len; k++)
                if (!lake_test_records_equal(c->pub.child, (const char *)p->ptr + k * stride,
                                             (const char *)q->ptr + k * stride))
                    return false;
            break;
        }
        default:
            if (memcmp(u, v, lake__type_info_of(c->pub.type)->size)) return false;
        }
    }
    return true;
}

#endif
