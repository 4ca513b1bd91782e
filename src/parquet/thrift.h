/* SPDX-License-Identifier: MIT */
/* Thrift compact protocol, write side only: what Parquet's FileMetaData and
 * PageHeader need (thrift/doc/specs/thrift-compact-protocol.md). */
#ifndef LAKE_PARQUET_THRIFT_H
#define LAKE_PARQUET_THRIFT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/buf.h"

enum {
    LAKE__T_BOOL_TRUE = 1,
    LAKE__T_BOOL_FALSE = 2,
    LAKE__T_I8 = 3,
    LAKE__T_I16 = 4,
    LAKE__T_I32 = 5,
    LAKE__T_I64 = 6,
    LAKE__T_DOUBLE = 7,
    LAKE__T_BINARY = 8,
    LAKE__T_LIST = 9,
    LAKE__T_STRUCT = 12,
};

enum { LAKE__THRIFT_MAX_DEPTH = 16 };

typedef struct lake__thrift {
    lake__buf *out;
    int16_t last_id[LAKE__THRIFT_MAX_DEPTH]; /* previous field id per open struct */
    int depth;
} lake__thrift;

void lake__thrift_init(lake__thrift *t, lake__buf *out);

/* Fields of the current struct, in increasing id order. */
void lake__thrift_i32(lake__thrift *t, int16_t id, int32_t v);
void lake__thrift_i64(lake__thrift *t, int16_t id, int64_t v);
void lake__thrift_i8(lake__thrift *t, int16_t id, int8_t v);
void lake__thrift_i16(lake__thrift *t, int16_t id, int16_t v);
void lake__thrift_bool(lake__thrift *t, int16_t id, bool v);
void lake__thrift_binary(lake__thrift *t, int16_t id, const void *data, size_t len);
void lake__thrift_string(lake__thrift *t, int16_t id, const char *s);
/* A struct-valued field: begin, its fields, end. */
void lake__thrift_struct_begin(lake__thrift *t, int16_t id);
/* A list-valued field of `count` elements of elem_type. */
void lake__thrift_list_begin(lake__thrift *t, int16_t id, int elem_type, size_t count);

/* List elements. */
void lake__thrift_elem_i32(lake__thrift *t, int32_t v);
void lake__thrift_elem_string(lake__thrift *t, const char *s);
void lake__thrift_elem_struct_begin(lake__thrift *t);

/* Ends the innermost struct (writes its stop byte); also ends the top-level one. */
void lake__thrift_struct_end(lake__thrift *t);

#endif
