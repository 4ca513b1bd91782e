/* SPDX-License-Identifier: MIT */
#include "json/render.h"

#include <math.h>
#include <string.h>

#include "json/write.h"
#include "util/base64.h"
#include "values/values.h"

static void write_value(lake__buf *b, const lake__column *c, const unsigned char *rec);

/* A column's value, or null. */
static void write_field(lake__buf *b, const lake__column *c, const unsigned char *rec) {
    if (lake__is_null(c, rec)) lake__buf_puts(b, "null");
    else write_value(b, c, rec);
}

/* A list as an array, a map as an object of its entries. Recursion is
 * bounded by the schema's nesting (LAKE__SCHEMA_NESTING_MAX), not by data. */
static void write_collection(lake__buf *b, const lake__column *c, const unsigned char *rec) {
    const lake__view *v = lake__view_at(c, rec);
    const lake_schema *s = c->pub.child;
    bool map = c->pub.type == LAKE_MAP;
    lake__buf_putc(b, map ? '{' : '[');
    for (size_t i = 0; i < v->len; i++) {
        const unsigned char *e = (const unsigned char *)v->ptr + i * s->record_size;
        if (i) lake__buf_putc(b, ',');
        if (map) {
            const lake_str *key = (const lake_str *)e;
            lake__json_write_string(b, key->ptr, key->len);
            lake__buf_putc(b, ':');
        }
        write_field(b, &s->columns[map], e);
    }
    lake__buf_putc(b, map ? '}' : ']');
}

static void write_value(lake__buf *b, const lake__column *c, const unsigned char *rec) {
    const unsigned char *p = rec + c->pub.offset;
    switch (c->pub.type) {
    case LAKE_STRING: {
        const lake_str *s = (const lake_str *)p;
        lake__json_write_string(b, s->ptr, s->len);
        return;
    }
    case LAKE_BYTES: {
        const lake_bytes *s = (const lake_bytes *)p;
        size_t n = (s->len + 2) / 3 * 4;
        if (lake__buf_grow(b, n + 2)) return;
        b->data[b->len++] = '"';
        b->len += lake__base64_encode(s->ptr, s->len, b->data + b->len);
        lake__buf_putc(b, '"');
        return;
    }
    case LAKE_STRUCT: lake__json_write_record(b, c->pub.child, lake__struct_at(c, rec)); return;
    case LAKE_LIST: case LAKE_MAP: write_collection(b, c, rec); return;
    case LAKE_JSON: lake__buf_put(b, ((const lake_json *)p)->ptr, ((const lake_json *)p)->len); return;
    default: break;
    }
    /* Every other type in its text form (values/values.h): a JSON string for
     * times and ids, and for the float values JSON has no number for. */
    lake__value v;
    char text[LAKE__VALUE_TEXT_MAX];
    lake__value_get(c, rec, &v);
    size_t n = lake__value_text(c->pub.type, c->pub.scale, &v, text);
    bool quoted = lake__value_type_of(c->pub.type)->json_string ||
                  ((c->pub.type == LAKE_FLOAT32 || c->pub.type == LAKE_FLOAT64) && !isfinite(v.f));
    if (quoted) lake__json_write_string(b, text, n);
    else lake__buf_put(b, text, n);
}

int lake__json_write_record(lake__buf *b, const lake_schema *s, const void *record) {
    lake__buf_putc(b, '{');
    for (size_t i = 0; i < s->column_count; i++) {
        const lake__column *c = &s->columns[i];
        if (i) lake__buf_putc(b, ',');
        lake__json_write_string(b, c->pub.json_name, c->pub.json_name_len);
        lake__buf_putc(b, ':');
        write_field(b, c, record);
    }
    lake__buf_putc(b, '}');
    return b->failed;
}

int lake__json_write_cell(lake__buf *b, const lake_schema *s, size_t column, const void *record) {
    const lake__column *c = &s->columns[column];
    const unsigned char *rec = record;
    if (lake__is_null(c, rec)) return 1;
    const unsigned char *p = rec + c->pub.offset;
    switch (c->pub.type) {
    case LAKE_STRING: lake__buf_put(b, ((const lake_str *)p)->ptr, ((const lake_str *)p)->len); return 0;
    case LAKE_BYTES: case LAKE_STRUCT: case LAKE_LIST: case LAKE_MAP: case LAKE_JSON: {
        size_t start = b->len;
        write_value(b, c, rec);
        /* bytes: the base64 text without the JSON string's quotes (it needs no escapes) */
        if (c->pub.type == LAKE_BYTES && !b->failed) {
            memmove(b->data + start, b->data + start + 1, b->len - start - 2);
            b->len -= 2;
        }
        return 0;
    }
    default: break;
    }
    lake__value v;
    char text[LAKE__VALUE_TEXT_MAX];
    lake__value_get(c, rec, &v);
    lake__buf_put(b, text, lake__value_text(c->pub.type, c->pub.scale, &v, text));
    return 0;
}
