/* SPDX-License-Identifier: MIT */
/* lakeorm: the C representation of every column type.
 *
 * Nullability lives in the C type: a lake_opt_* value is NULL when its valid
 * flag is false. Strings and bytes are views whose NULL pointer is SQL NULL, so
 * an empty string and NULL stay distinct; such a column is nullable only when its
 * tag says `nullable`. Values never go through double on their way to an exact
 * type: timestamps are UTC microseconds, dates days since 1970-01-01, decimals
 * unscaled 128-bit integers whose precision and scale live in the field. */
#ifndef LAKEORM_TYPES_H
#define LAKEORM_TYPES_H

#include "common.h"

LAKE_BEGIN_DECL

/* UTF-8 text. Library-made strings are NUL-terminated (len excludes the NUL). */
typedef struct lake_str {
    const char *ptr;
    size_t len;
} lake_str;

typedef struct lake_bytes {
    const uint8_t *ptr;
    size_t len;
} lake_bytes;

/* Microseconds since 1970-01-01T00:00:00Z. */
typedef struct lake_ts {
    int64_t us;
} lake_ts;

/* Days since 1970-01-01 (negative before). */
typedef struct lake_date {
    int32_t days;
} lake_date;

/* Unscaled two's-complement 128-bit integer: value = (hi * 2^64 + lo) / 10^scale. */
typedef struct lake_dec128 {
    uint64_t lo;
    int64_t hi;
} lake_dec128;

/* RFC 9562 UUID in network byte order. */
typedef struct lake_uuid {
    uint8_t b[16];
} lake_uuid;

/* KSUID: 4-byte big-endian seconds since 2014-05-13T16:53:20Z, then 16 random
 * bytes. Stored and exchanged as its 27-character base62 text. */
typedef struct lake_ksuid {
    uint8_t b[20];
} lake_ksuid;

/* A JSON column's value: one JSON value as normalized text (no insignificant
 * whitespace, keys in their input order). A NULL ptr is SQL NULL. */
typedef struct lake_json {
    const char *ptr;
    size_t len;
} lake_json;

/* Lists and maps are typed views: a pointer to `len` elements and the count.
 * A NULL ptr is SQL NULL; an empty list has a non-NULL ptr and len 0
 * (LAKE_EMPTY is one to point at). Elements decoded by lakeorm live in the
 * arena the call was given.
 *
 *     LAKE_LIST_TYPE(lake_list_str, lake_str);   // struct { lake_str *ptr; size_t len; }
 *     LAKE_MAP_TYPE(lake_map_i64, int64_t);      // entries { lake_str key; int64_t value; }
 *
 * A map is its entries in order; keys are strings, unique within a map. */
#define LAKE_LIST_TYPE(name, T) \
    typedef struct name {       \
        T *ptr;                 \
        size_t len;             \
    } name

#define LAKE_MAP_TYPE(name, T)  \
    typedef struct name##_entry {   \
        lake_str key;               \
        T value;                    \
    } name##_entry;                 \
    typedef struct name {           \
        name##_entry *ptr;          \
        size_t len;                 \
    } name;                         \
    LAKE_STATIC_ASSERT(offsetof(name##_entry, value) == sizeof(lake_str) && \
                   sizeof(name##_entry) == (sizeof(lake_str) + sizeof(T) + 7) / 8 * 8, \
                   "a map entry is a lake_str key, then the value at offset 16")

/* Where an empty list or map points: {LAKE_EMPTY, 0}. Never written through. */
LAKE_EXTERN extern char lake_empty_[1];
#define LAKE_EMPTY ((void *)lake_empty_)

#define LAKE__OPT(name, T) \
    typedef struct name {  \
        T v;               \
        bool valid;        \
    } name

LAKE__OPT(lake_opt_bool, bool);
LAKE__OPT(lake_opt_i8, int8_t);
LAKE__OPT(lake_opt_i16, int16_t);
LAKE__OPT(lake_opt_i32, int32_t);
LAKE__OPT(lake_opt_i64, int64_t);
LAKE__OPT(lake_opt_f32, float);
LAKE__OPT(lake_opt_f64, double);
LAKE__OPT(lake_opt_ts, lake_ts);
LAKE__OPT(lake_opt_date, lake_date);
LAKE__OPT(lake_opt_dec128, lake_dec128);
LAKE__OPT(lake_opt_uuid, lake_uuid);
LAKE__OPT(lake_opt_ksuid, lake_ksuid);

#undef LAKE__OPT

/* Views for lists and maps of every scalar type; declare your own for structs
 * (LAKE_LIST_TYPE(item_list, item)) and nested collections. */
LAKE_LIST_TYPE(lake_list_bool, bool);
LAKE_LIST_TYPE(lake_list_i8, int8_t);
LAKE_LIST_TYPE(lake_list_i16, int16_t);
LAKE_LIST_TYPE(lake_list_i32, int32_t);
LAKE_LIST_TYPE(lake_list_i64, int64_t);
LAKE_LIST_TYPE(lake_list_f32, float);
LAKE_LIST_TYPE(lake_list_f64, double);
LAKE_LIST_TYPE(lake_list_str, lake_str);
LAKE_LIST_TYPE(lake_list_bytes, lake_bytes);
LAKE_LIST_TYPE(lake_list_ts, lake_ts);
LAKE_LIST_TYPE(lake_list_date, lake_date);
LAKE_LIST_TYPE(lake_list_dec128, lake_dec128);
LAKE_LIST_TYPE(lake_list_uuid, lake_uuid);
LAKE_LIST_TYPE(lake_list_json, lake_json);
LAKE_MAP_TYPE(lake_map_bool, bool);
LAKE_MAP_TYPE(lake_map_i32, int32_t);
LAKE_MAP_TYPE(lake_map_i64, int64_t);
LAKE_MAP_TYPE(lake_map_f64, double);
LAKE_MAP_TYPE(lake_map_str, lake_str);
LAKE_MAP_TYPE(lake_map_ts, lake_ts);
LAKE_MAP_TYPE(lake_map_json, lake_json);

/* A statement's bound parameter ($1 or ? in the SQL), typed so the engine
 * compares and stores it as the column it meets (no casts in SQL). Every
 * pointer is borrowed for the call that takes the parameter. */
typedef enum lake_param_type {
    LAKE_PARAM_NULL = 0,
    LAKE_PARAM_TEXT,      /* .text: UTF-8 */
    LAKE_PARAM_INT64,     /* .i64 */
    LAKE_PARAM_DOUBLE,    /* .f64 */
    LAKE_PARAM_BOOL,      /* .b */
    LAKE_PARAM_TIMESTAMP, /* .ts: UTC microseconds (TIMESTAMPTZ) */
    LAKE_PARAM_DATE,      /* .date */
    LAKE_PARAM_DECIMAL,   /* .dec: unscaled value, precision 1-38, scale 0-precision */
    LAKE_PARAM_BYTES,     /* .bytes */
} lake_param_type;

typedef struct lake_param {
    lake_param_type type;
    union {
        lake_str text;
        int64_t i64;
        double f64;
        bool b;
        lake_ts ts;
        lake_date date;
        struct {
            lake_dec128 value;
            uint8_t precision, scale;
        } dec;
        lake_bytes bytes;
    } v;
} lake_param;

/* Parameter values. lake_param_text takes a NUL-terminated string (NULL is
 * SQL NULL); a decimal wider than 64 bits is set in .v.dec directly. */
/* Written member by member, not with compound literals, so that C++ takes
 * this header too. */
static inline lake_param lake_param_null(void) {
    lake_param p;
    p.type = LAKE_PARAM_NULL;
    p.v.i64 = 0;
    return p;
}
static inline lake_param lake_param_text(const char *s) {
    lake_param p;
    size_t n = 0;
    while (s && s[n]) n++;
    p.type = s ? LAKE_PARAM_TEXT : LAKE_PARAM_NULL;
    p.v.text.ptr = s;
    p.v.text.len = n;
    return p;
}
static inline lake_param lake_param_int64(int64_t x) {
    lake_param p;
    p.type = LAKE_PARAM_INT64;
    p.v.i64 = x;
    return p;
}
static inline lake_param lake_param_double(double x) {
    lake_param p;
    p.type = LAKE_PARAM_DOUBLE;
    p.v.f64 = x;
    return p;
}
static inline lake_param lake_param_bool(bool x) {
    lake_param p;
    p.type = LAKE_PARAM_BOOL;
    p.v.i64 = 0;
    p.v.b = x;
    return p;
}
static inline lake_param lake_param_timestamp(int64_t us) {
    lake_param p;
    p.type = LAKE_PARAM_TIMESTAMP;
    p.v.ts.us = us;
    return p;
}
static inline lake_param lake_param_date(int32_t days) {
    lake_param p;
    p.type = LAKE_PARAM_DATE;
    p.v.i64 = 0;
    p.v.date.days = days;
    return p;
}
static inline lake_param lake_param_decimal(int64_t unscaled, uint8_t precision, uint8_t scale) {
    lake_param p;
    p.type = LAKE_PARAM_DECIMAL;
    p.v.dec.value.lo = (uint64_t)unscaled;
    p.v.dec.value.hi = unscaled < 0 ? -1 : 0;
    p.v.dec.precision = precision;
    p.v.dec.scale = scale;
    return p;
}
static inline lake_param lake_param_bytes(const void *ptr, size_t len) {
    lake_param p;
    p.type = LAKE_PARAM_BYTES;
    p.v.bytes.ptr = (const uint8_t *)ptr;
    p.v.bytes.len = len;
    return p;
}

LAKE_END_DECL

#endif
