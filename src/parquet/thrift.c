/* SPDX-License-Identifier: MIT */
#include "parquet/thrift.h"

#include <string.h>

void lake__thrift_init(lake__thrift *t, lake__buf *out) {
    t->out = out;
    t->depth = 0;
    t->last_id[0] = 0;
}

static void varint(lake__thrift *t, uint64_t v) {
    uint8_t b[10];
    size_t n = 0;
    while (v >= 0x80) {
        b[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    b[n++] = (uint8_t)v;
    lake__buf_put(t->out, b, n);
}

static uint64_t zigzag(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }

static void header(lake__thrift *t, int16_t id, int type) {
    int16_t delta = (int16_t)(id - t->last_id[t->depth]);
    if (delta > 0 && delta <= 15) {
        lake__buf_putc(t->out, (char)((delta << 4) | type));
    } else {
        lake__buf_putc(t->out, (char)type);
        varint(t, zigzag(id));
    }
    t->last_id[t->depth] = id;
}

void lake__thrift_i32(lake__thrift *t, int16_t id, int32_t v) {
    header(t, id, LAKE__T_I32);
    varint(t, zigzag(v));
}

void lake__thrift_i64(lake__thrift *t, int16_t id, int64_t v) {
    header(t, id, LAKE__T_I64);
    varint(t, zigzag(v));
}

void lake__thrift_i16(lake__thrift *t, int16_t id, int16_t v) {
    header(t, id, LAKE__T_I16);
    varint(t, zigzag(v));
}

void lake__thrift_i8(lake__thrift *t, int16_t id, int8_t v) {
    header(t, id, LAKE__T_I8);
    lake__buf_putc(t->out, (char)v);
}

void lake__thrift_bool(lake__thrift *t, int16_t id, bool v) {
    header(t, id, v ? LAKE__T_BOOL_TRUE : LAKE__T_BOOL_FALSE);
}

void lake__thrift_binary(lake__thrift *t, int16_t id, const void *data, size_t len) {
    header(t, id, LAKE__T_BINARY);
    varint(t, len);
    lake__buf_put(t->out, data, len);
}

void lake__thrift_string(lake__thrift *t, int16_t id, const char *s) {
    lake__thrift_binary(t, id, s, strlen(s));
}

static void push(lake__thrift *t) {
    if (t->depth + 1 < LAKE__THRIFT_MAX_DEPTH) t->last_id[++t->depth] = 0;
    else t->out->failed = 1; /* Parquet's structures are never this deep */
}

void lake__thrift_struct_begin(lake__thrift *t, int16_t id) {
    header(t, id, LAKE__T_STRUCT);
    push(t);
}

void lake__thrift_list_begin(lake__thrift *t, int16_t id, int elem_type, size_t count) {
    header(t, id, LAKE__T_LIST);
    if (count < 15) {
        lake__buf_putc(t->out, (char)((count << 4) | (size_t)elem_type));
    } else {
        lake__buf_putc(t->out, (char)(0xF0 | elem_type));
        varint(t, count);
    }
}

void lake__thrift_elem_i32(lake__thrift *t, int32_t v) { varint(t, zigzag(v)); }

void lake__thrift_elem_string(lake__thrift *t, const char *s) {
    size_t n = strlen(s);
    varint(t, n);
    lake__buf_put(t->out, s, n);
}

void lake__thrift_elem_struct_begin(lake__thrift *t) { push(t); }

void lake__thrift_struct_end(lake__thrift *t) {
    lake__buf_putc(t->out, 0);
    if (t->depth > 0) t->depth--;
}
