/* SPDX-License-Identifier: MIT */
/* Records of the nested event model (nested_event.h) with every nested
 * shape, and an exact comparison of two records of any schema, for the
 * round-trip tests of every driver and path. */
#ifndef LAKE_TEST_NESTED_RECORDS_H
#define LAKE_TEST_NESTED_RECORDS_H

#include <string.h>

#include "nested_event.h"
#include "schema/schema.h"
#include "schema/type_table.h"

#define S(text) ((lake_str){text, sizeof(text) - 1})

static lake_str nr_tags_a[] = {S("red"), S("xl")};
static lake_str nr_tags_b[] = {S("\xC3\xA9t\xC3\xA9")};
static ev_item nr_items_0[] = {
    {S("sku-1"), 2, {1999, 0}, {nr_tags_a, 2}},
    {S("sku-2"), 1, {0, 0}, {LAKE_EMPTY, 0}}, /* an empty list three levels down */
};
static ev_item nr_items_1[] = {{S("sku-3"), 7, {5, 0}, {nr_tags_b, 1}}};
static ev_address nr_home = {S("Utrecht"), {3511, true}};
static ev_address nr_nozip = {S("Lyon"), {0, false}}; /* a struct with a NULL member */
static lake_map_str_entry nr_attrs[] = {{S("color"), S("blue")}, {S("size"), S("")}};
static int64_t nr_row_a[] = {1, -2, INT64_MAX}, nr_row_b[] = {INT64_MIN};
static lake_list_i64 nr_scores[] = {{nr_row_a, 3}, {LAKE_EMPTY, 0}, {nr_row_b, 1}};
static lake_str nr_notes_nulls[] = {{NULL, 0}, S(""), {NULL, 0}}; /* a list of NULLs (and an empty string) */
static lake_str nr_label_x[] = {S("a"), S("b")};
static ev_label_map_entry nr_labels[] = {{S("x"), {nr_label_x, 2}}, {S("empty"), {LAKE_EMPTY, 0}}};

/* Event i (0..NR_EVENTS-1): each nested column takes each of its shapes in
 * some event. */
enum { NR_EVENTS = 4 };
static inline event nr_event(int i) {
    event e;
    memset(&e, 0, sizeof e);
    e.event_id.b[0] = 0x01;
    e.event_id.b[6] = 0x70; /* a v7 UUID */
    e.event_id.b[8] = 0x80;
    e.event_id.b[15] = (uint8_t)(i + 1);
    e.kind = i % 2 ? S("refund") : S("order");
    e.at.us = 1700000000000000LL + i;
    e.items = i % 2 ? (ev_item_list){nr_items_1, 1} : (ev_item_list){nr_items_0, 2};
    e.shipping = i == 0 ? &nr_home : i == 1 ? &nr_nozip : NULL;
    e.attrs = i == 0 ? (lake_map_str){nr_attrs, 2} : (lake_map_str){LAKE_EMPTY, 0};
    static const char *const payloads[] = {"{\"a\":[1,2,{\"b\":null}],\"c\":\"d\"}", "null", "\"text\"", NULL};
    e.payload = (lake_json){payloads[i], payloads[i] ? strlen(payloads[i]) : 0}; /* JSON null is not SQL NULL */
    e.scores = i == 0 ? (ev_i64_lists){nr_scores, 3} : (ev_i64_lists){LAKE_EMPTY, 0};
    e.notes = i == 0 ? (lake_list_str){nr_notes_nulls, 3} : i == 1 ? (lake_list_str){LAKE_EMPTY, 0} : (lake_list_str){NULL, 0};
    e.labels = i == 2 ? (ev_label_map){nr_labels, 2} : (ev_label_map){LAKE_EMPTY, 0};
    return e;
}

static bool nr_same_record(const lake_schema *s, const unsigned char *a, const unsigned char *b);

/* Whether a column's values in two records are the same value: NULL and
 * empty apart, strings byte for byte, lists and maps element by element. */
static bool nr_same_column(const lake__column *c, const unsigned char *a, const unsigned char *b) {
    bool na = lake__is_null(c, a), nb = lake__is_null(c, b);
    if (na || nb) return na == nb;
    const unsigned char *pa = a + c->pub.offset, *pb = b + c->pub.offset;
    switch (c->pub.type) {
    case LAKE_STRING: case LAKE_BYTES: case LAKE_JSON: {
        const lake_str *x = (const lake_str *)pa, *y = (const lake_str *)pb;
        return x->len == y->len && (!x->len || !memcmp(x->ptr, y->ptr, x->len));
    }
    case LAKE_STRUCT: return nr_same_record(c->pub.child, lake__struct_at(c, a), lake__struct_at(c, b));
    case LAKE_LIST: case LAKE_MAP: {
        const lake__view *x = lake__view_at(c, a), *y = lake__view_at(c, b);
        size_t stride = c->pub.child->record_size;
        if (x->len != y->len) return false;
        for (size_t i = 0; i < x->len; i++)
            if (!nr_same_record(c->pub.child, (const unsigned char *)x->ptr + i * stride,
                                (const unsigned char *)y->ptr + i * stride))
                return false;
        return true;
    }
    default: return !memcmp(pa, pb, lake__type_info_of(c->pub.type)->size); /* the value, before any valid flag */
    }
}

static bool nr_same_record(const lake_schema *s, const unsigned char *a, const unsigned char *b) {
    for (size_t i = 0; i < s->column_count; i++)
        if (!nr_same_column(&s->columns[i], a, b)) return false;
    return true;
}

static inline const lake_schema *nr_schema(void) {
    const lake_schema *s;
    lake_schema_of(&s, &event_model, NULL);
    return s;
}

#undef S

#endif
