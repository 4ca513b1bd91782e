/* SPDX-License-Identifier: MIT */
/* THE value table: how a value of each column type moves between its C form
 * inside a record and the forms the readers and writers exchange (JSON text,
 * parameter text, Arrow and DuckDB columns, Parquet pages).
 *
 * schema/type_table.h says what each engine and format calls a type; this
 * says how its values convert, with checked arithmetic, so that every path
 * accepts and refuses the same values. Each path keeps only what is its own
 * format's (Arrow buffers, DuckDB vector layouts, Parquet encodings) and goes
 * through here for the rest:
 *
 *   record --lake__value_get--> lake__value --lake__value_text--> text
 *   text   --lake__value_parse-> lake__value --lake__value_set--> record
 *   engine column: lake__source (its kind, width, scale, unit), once per
 *   column lake__value_converts (may it bind?), then per value the setter
 *   of its kind, lake__value_set_int/_decimal/_text/... (does it fit?), and
 *   lake__value_error for the one wording of what does not.
 *
 * A new type is a row in values.c (and in schema/type_table.h), and at most
 * a codec in the one format that lays it out differently. */
#ifndef LAKE_VALUES_VALUES_H
#define LAKE_VALUES_VALUES_H

#include <float.h>
#include <math.h>

#include <lakeorm/ids.h>

#include "schema/schema.h"
#include "util/arena.h"
#include "util/decimal.h"

/* The canonical forms values take between a record and a format. */
typedef enum lake__vkind {
    LAKE__V_NONE = 0, /* an engine type lakeorm does not read */
    LAKE__V_BOOL,
    LAKE__V_INT,       /* any width, signed or not: .i */
    LAKE__V_FLOAT,     /* .f (a float widened exactly) */
    LAKE__V_DECIMAL,   /* unscaled: .i */
    LAKE__V_TEXT,      /* UTF-8: .s */
    LAKE__V_BINARY,    /* .s */
    LAKE__V_TIMESTAMP, /* .t, in the source's unit (microseconds in a record) */
    LAKE__V_DATE,      /* .t, days (or milliseconds, the source's unit) */
    LAKE__V_UUID,      /* .id[0..16) */
    LAKE__V_KSUID,     /* .id[0..20) */
    LAKE__V_STRUCT,    /* members travel on their own */
    LAKE__V_LIST,      /* elements travel on their own */
    LAKE__V_MAP,       /* entries travel on their own, string keys */
} lake__vkind;

typedef enum lake__unit {
    LAKE__UNIT_S = 0,
    LAKE__UNIT_MS,
    LAKE__UNIT_US,
    LAKE__UNIT_NS,
    LAKE__UNIT_DAY,
} lake__unit;

typedef struct lake__value {
    union {
        bool b;
        lake__i128 i;
        double f;
        int64_t t;
        struct {
            const char *ptr; /* not NUL-terminated; NULL only with len 0 */
            size_t len;
        } s;
        uint8_t id[20];
    };
} lake__value;

/* What a result column holds, in engine-neutral terms: each reader maps its
 * engine's types to this once per column, and nothing else of the engine's
 * type system reaches the conversions. */
typedef struct lake__source {
    lake__vkind kind;
    uint8_t bits;      /* INT: 8, 16, 32, 64 or 128; FLOAT: 32 or 64 */
    bool is_signed;    /* INT */
    uint8_t precision; /* DECIMAL */
    int8_t scale;      /* DECIMAL */
    lake__unit unit;   /* TIMESTAMP: S..NS; DATE: DAY or MS */
} lake__source;

/* Whether a value fits where it goes; anything but FITS leaves the record as it was. */
typedef enum lake__fit {
    LAKE__FITS = 0,
    LAKE__TOO_BIG,      /* out of the field's range (integers, floats, decimal precision, time units) */
    LAKE__LOSES_DIGITS, /* a decimal's non-zero digits below the field's scale */
    LAKE__BAD_TEXT,     /* text that is not a UUID / KSUID */
    LAKE__NO_MEMORY,
} lake__fit;

/* One row per lake_type: what the paths share about its values. */
typedef struct lake__value_type {
    lake__vkind kind;  /* its canonical form */
    int64_t min, max;  /* INT: the C type's range */
    bool json_string;  /* its text form travels as a JSON string (timestamps, dates, ids) */
    unsigned accepts;  /* bit (1u << kind) per source kind a reader converts into it */
    const char *what;  /* its text, for messages: "a UUID" */
} lake__value_type;

/* The rows, indexed by lake_type (lake__value_type_of checks the index). */
extern const lake__value_type lake__value_types[LAKE_JSON + 1];

/* The row of a type; NULL for values that are no lake_type. */
const lake__value_type *lake__value_type_of(lake_type type);

/* ---- records */

/* The column's value in `record` (the column's offset applied) in canonical
 * form. Strings and bytes are borrowed from the record. The caller checks
 * lake__is_null first; a struct, list or map gives nothing (their members
 * are columns of their own: pub.child). */
void lake__value_get(const lake__column *c, const void *record, lake__value *out);

/* A float column's value as the field holds it (32 or 64 bits, zero-extended):
 * where the bits themselves count (a digest), not the number. Widening a
 * float to .f would make a signalling NaN quiet. */
uint64_t lake__value_float_bits(const lake__column *c, const void *record);

/* Stores a value read from a result column of kind `from` into the
 * column's field of `record` and marks it valid: integers and floats narrow
 * checked, decimals rescale from the source's scale (lake__dec_rescale),
 * timestamps convert to microseconds, dates from milliseconds, UUID and KSUID
 * text is parsed, UUIDs become text in a string field. Text and bytes are
 * copied into `arena`. The caller has checked lake__value_converts. */
lake__fit lake__value_set(const lake__column *c, const lake__source *from, const lake__value *v, void *record,
                          lake_arena *arena);

/* The same, one source kind at a time, for readers that already switch on
 * it to read their layout (inline: they run per value; the common cases,
 * numbers and instants already in the record's unit, never leave them). The
 * field's type is one lake__value_converts accepts for that kind. */
static inline lake__fit lake__value_set_bool(const lake__column *c, bool x, void *record);
static inline lake__fit lake__value_set_int(const lake__column *c, lake__i128 x, void *record);
static inline lake__fit lake__value_set_float(const lake__column *c, double x, void *record);
static inline lake__fit lake__value_set_decimal(const lake__column *c, lake__i128 unscaled, int scale, void *record);
static inline lake__fit lake__value_set_timestamp(const lake__column *c, int64_t x, lake__unit unit, void *record);
static inline lake__fit lake__value_set_date(const lake__column *c, int64_t x, lake__unit unit, void *record);
/* Text (kind TEXT) and bytes (BINARY): copied into the arena, or parsed into a UUID / KSUID. */
static inline lake__fit lake__value_set_text(const lake__column *c, const char *s, size_t len, void *record,
                                             lake_arena *arena);
/* A UUID's 16 bytes or a KSUID's 20 (kind UUID or KSUID); into a string field as text. */
lake__fit lake__value_set_id(const lake__column *c, const uint8_t *id, void *record, lake_arena *arena);

/* ---- text: JSON output, parameters, and the text inside engine columns */

enum { LAKE__VALUE_TEXT_MAX = 48 };

/* The text form of a value of a type with one (every type but string, bytes
 * and struct; 0 for those): "true", "-12", "1.5", "NaN", "Infinity", "12.30",
 * "2024-03-05T12:34:56.5Z", "2024-03-05", UUID and KSUID text. Floats take
 * the fewest digits that read back to the same value. NUL-terminated. */
size_t lake__value_text(lake_type type, unsigned scale, const lake__value *v, char out[LAKE__VALUE_TEXT_MAX]);

/* The reverse, for the types that arrive as text (decimal, timestamp, date,
 * uuid, sortable id): NULL on success or a static reason ("expected a UUID
 * such as ..."). A decimal is unscaled at the column's scale and checked
 * against its precision; a timestamp is microseconds, a date days. */
const char *lake__value_parse(const lake_column *c, const char *text, size_t len, lake__value *out);

/* UUID or KSUID text of the id at p (a lake_uuid or lake_ksuid); its length.
 * Inline: the writers call it per value. */
static inline size_t lake__value_id_text(lake_type type, const void *p, char out[LAKE__VALUE_TEXT_MAX]) {
    if (type == LAKE_UUID) {
        lake_uuid_format((const lake_uuid *)p, out);
        return LAKE_UUID_TEXT_LEN;
    }
    lake_ksuid_format((const lake_ksuid *)p, out);
    return LAKE_KSUID_TEXT_LEN;
}

/* ---- units: checked, so no reader multiplies past 64 bits */

/* A timestamp of `unit` (S..NS) in microseconds; coarser units that
 * overflow are LAKE__TOO_BIG. Nanoseconds are floored to the microsecond
 * that holds the instant, so its text loses only its last digits
 * (1969-12-31T23:59:59.999999999Z reads as ...59.999999Z, not as
 * 1970-01-01T00:00:00Z). Floor is what Spark does (DateTimeUtils.
 * instantToMicros) and what lakeorm does for dates (lake__date_of_us,
 * lake__date_from_ms); pyarrow's cast truncates toward zero and DuckDB's
 * rounds half away from zero, so for a negative instant with sub-microsecond
 * digits (and, for DuckDB, from 500 ns up) they may differ by one
 * microsecond. docs/schema.md, "Timestamps of other units". */
lake__fit lake__ts_to_us(int64_t x, lake__unit unit, int64_t *us);
/* Microseconds in `unit`: LAKE__TOO_BIG when nanoseconds overflow,
 * LAKE__LOSES_DIGITS when a coarser unit cannot hold the value exactly. */
lake__fit lake__ts_from_us(int64_t us, lake__unit unit, int64_t *x);
/* Days of a date held as milliseconds (Arrow date64): floor, checked to int32. */
lake__fit lake__date_from_ms(int64_t ms, int32_t *days);
/* Midnight UTC of a date: LAKE__TOO_BIG past +-106751991 days. */
lake__fit lake__date_to_us(int32_t days, int64_t *us);
/* The date of an instant (floor); always fits. */
int32_t lake__date_of_us(int64_t us);

/* ---- readers: binding a result column, and the one wording of their errors */

/* Whether a result column of `from` converts into a field of `to`. */
bool lake__value_converts(lake_type to, const lake__source *from);
/* The type a column of `from` reads as when the caller gave no schema
 * (schema/result.h): integers widen (unsigned ones to the next signed width,
 * 64-bit unsigned and 128-bit ones to decimals). 0 when there is none. */
lake_type lake__value_natural(const lake__source *from, uint8_t *precision, uint8_t *scale);
/* "int64", "uint8", "decimal(10,2)", "timestamp[ns]", "date[ms]", "text" ... */
void lake__source_name(const lake__source *from, char *out, size_t cap);

/* LAKE_EMISMATCH naming the column, for a value that does not fit (fit != FITS). */
int lake__value_error(lake_error *err, const lake_column *c, lake__fit fit);
/* LAKE_EMISMATCH: NULL in a column whose field is not nullable. */
int lake__value_null_error(lake_error *err, const lake_column *c);
/* LAKE_EMISMATCH: result column `name` of `from` does not convert into c's
 * type. `engine_type` describes an engine type lakeorm does not read
 * (from->kind NONE), e.g. "DuckDB type 24". */
int lake__value_type_error(lake_error *err, const char *name, const lake__source *from, const char *engine_type,
                           const lake_column *c);
/* LAKE_EMISMATCH: the result lacks the column (`where`: the struct it was
 * looked for in, "" at the top). */
int lake__value_missing_error(lake_error *err, const lake_schema *s, const char *column, const char *where);

/* ---- nested values: where one sits, for the errors above */

/* A value's place below its result column, built on the stack as a reader
 * descends and rendered only when something fails: "items[3].sku",
 * "attrs[\"color\"]", "scores[1][0]" (indexes from 0, as in the record's
 * view; "[]" for any element, when binding before rows are read). */
typedef struct lake__place {
    const struct lake__place *up;
    const char *name; /* a result column or struct member */
    const char *key;  /* else a map value's key (key_len bytes) */
    size_t key_len;
    size_t index;     /* else a list element's index, when has_index */
    bool has_index;
} lake__place;

/* A column as the errors name it: its place. */
typedef struct lake__named {
    lake_column col;
    char name[200];
} lake__named;

/* c named by its place, for the error functions; lives as long as *out. */
const lake_column *lake__place_name(lake__named *out, const lake__column *c, const lake__place *at);
/* LAKE_EMISMATCH: a map result column whose keys (`key`; `engine_type` when
 * lakeorm does not read them) are not text, for a map field. */
int lake__value_map_key_error(lake_error *err, const lake_column *c, const lake__source *key, const char *engine_type);
/* LAKE_EMISMATCH: a map result holding `key` twice. */
int lake__value_duplicate_key_error(lake_error *err, const lake_column *c, const lake_str *key);
/* A key that appears twice among a map's n entries read into a record (each
 * entry a lake_str key first, `stride` bytes apart), or NULL; *no_memory
 * when it could not tell. */
const lake_str *lake__map_duplicate_key(const void *entries, size_t n, size_t stride, bool *no_memory);

/* ---- the inline halves of the setters; what converts is out of line */

lake__fit lake__value_rescale_into(const lake__column *c, lake__i128 unscaled, int scale, void *record);
lake__fit lake__value_units_into(const lake__column *c, int64_t x, lake__unit unit, void *record);
lake__fit lake__value_parse_into(const lake__column *c, const char *s, size_t len, void *record);

static inline void lake__value_mark(const lake__column *c, unsigned char *record) {
    if (c->optional) *(bool *)(record + c->valid_offset) = true;
}

static inline lake__fit lake__value_set_bool(const lake__column *c, bool x, void *record) {
    *(bool *)((unsigned char *)record + c->pub.offset) = x;
    lake__value_mark(c, record);
    return LAKE__FITS;
}

static inline lake__fit lake__value_set_int(const lake__column *c, lake__i128 x, void *record) {
    unsigned char *p = (unsigned char *)record + c->pub.offset;
    if (c->pub.type == LAKE_DECIMAL) return lake__value_set_decimal(c, x, 0, record);
    const lake__value_type *t = &lake__value_types[c->pub.type];
    if (x < t->min || x > t->max) return LAKE__TOO_BIG;
    switch (c->pub.type) {
    case LAKE_INT8: *(int8_t *)p = (int8_t)x; break;
    case LAKE_INT16: *(int16_t *)p = (int16_t)x; break;
    case LAKE_INT32: *(int32_t *)p = (int32_t)x; break;
    default: *(int64_t *)p = (int64_t)x; break;
    }
    lake__value_mark(c, record);
    return LAKE__FITS;
}

static inline lake__fit lake__value_set_float(const lake__column *c, double x, void *record) {
    unsigned char *p = (unsigned char *)record + c->pub.offset;
    if (c->pub.type == LAKE_FLOAT64) {
        *(double *)p = x;
    } else {
        /* Infinities and NaN are values; a finite double that rounds past FLT_MAX would become one.
         * Below FLT_MAX + half an ulp (0x1.ffffffp127) it rounds to FLT_MAX: "3.4028235e+38", the
         * shortest text of FLT_MAX that lakeorm prints, is above FLT_MAX and must read back. */
        if (isfinite(x) && fabs(x) >= 0x1.ffffffp127) return LAKE__TOO_BIG;
        *(float *)p = (float)x;
    }
    lake__value_mark(c, record);
    return LAKE__FITS;
}

static inline lake__fit lake__value_set_decimal(const lake__column *c, lake__i128 unscaled, int scale, void *record) {
    if (scale != c->pub.scale) return lake__value_rescale_into(c, unscaled, scale, record);
    /* already at the field's scale: only the precision to check */
    if (unscaled >= lake__pow10[c->pub.precision] || unscaled <= -lake__pow10[c->pub.precision]) return LAKE__TOO_BIG;
    *(lake_dec128 *)((unsigned char *)record + c->pub.offset) = lake__dec_make(unscaled);
    lake__value_mark(c, record);
    return LAKE__FITS;
}

static inline lake__fit lake__value_set_timestamp(const lake__column *c, int64_t x, lake__unit unit, void *record) {
    if (unit != LAKE__UNIT_US) return lake__value_units_into(c, x, unit, record);
    ((lake_ts *)((unsigned char *)record + c->pub.offset))->us = x;
    lake__value_mark(c, record);
    return LAKE__FITS;
}

static inline lake__fit lake__value_set_date(const lake__column *c, int64_t x, lake__unit unit, void *record) {
    if (unit != LAKE__UNIT_DAY) return lake__value_units_into(c, x, unit, record);
    if (x < INT32_MIN || x > INT32_MAX) return LAKE__TOO_BIG;
    ((lake_date *)((unsigned char *)record + c->pub.offset))->days = (int32_t)x;
    lake__value_mark(c, record);
    return LAKE__FITS;
}

static inline lake__fit lake__value_set_text(const lake__column *c, const char *s, size_t len, void *record,
                                             lake_arena *arena) {
    if (c->pub.type != LAKE_STRING && c->pub.type != LAKE_BYTES && c->pub.type != LAKE_JSON)
        return lake__value_parse_into(c, s, len, record);
    char *copy = lake__arena_strndup(arena, s, len);
    if (!copy) return LAKE__NO_MEMORY;
    lake_str *p = (lake_str *)((unsigned char *)record + c->pub.offset);
    p->ptr = copy; /* an empty value stays non-NULL: it is not SQL NULL */
    p->len = len;
    return LAKE__FITS; /* strings, bytes and JSON are never lake_opt_* */
}

#endif
