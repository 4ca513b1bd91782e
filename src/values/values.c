/* SPDX-License-Identifier: MIT */
/* The value table and the conversions every reader and writer shares. */
#include "values/values.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/time.h"

#define FROM(k) (1u << LAKE__V_##k)

/* kind, integer range, text is a JSON string, the source kinds a reader
 * converts from, and the type in messages. */
const lake__value_type lake__value_types[LAKE_JSON + 1] = {
    [LAKE_BOOL] = {LAKE__V_BOOL, 0, 0, false, FROM(BOOL), "a boolean"},
    [LAKE_INT8] = {LAKE__V_INT, INT8_MIN, INT8_MAX, false, FROM(INT), "an integer"},
    [LAKE_INT16] = {LAKE__V_INT, INT16_MIN, INT16_MAX, false, FROM(INT), "an integer"},
    [LAKE_INT32] = {LAKE__V_INT, INT32_MIN, INT32_MAX, false, FROM(INT), "an integer"},
    [LAKE_INT64] = {LAKE__V_INT, INT64_MIN, INT64_MAX, false, FROM(INT), "an integer"},
    [LAKE_FLOAT32] = {LAKE__V_FLOAT, 0, 0, false, FROM(FLOAT), "a number"},
    [LAKE_FLOAT64] = {LAKE__V_FLOAT, 0, 0, false, FROM(FLOAT), "a number"},
    /* A UUID column reads into a string field as its text. */
    [LAKE_STRING] = {LAKE__V_TEXT, 0, 0, true, FROM(TEXT) | FROM(UUID), "a string"},
    [LAKE_BYTES] = {LAKE__V_BINARY, 0, 0, true, FROM(BINARY), "bytes"},
    [LAKE_TIMESTAMP] = {LAKE__V_TIMESTAMP, 0, 0, true, FROM(TIMESTAMP), "a timestamp"},
    [LAKE_DATE] = {LAKE__V_DATE, 0, 0, true, FROM(DATE), "a date"},
    /* An integer is a decimal of scale 0 (COUNT(*) into a decimal field). */
    [LAKE_DECIMAL] = {LAKE__V_DECIMAL, 0, 0, false, FROM(DECIMAL) | FROM(INT), "a decimal"},
    /* Spark has no UUID type: UUIDs come back as their text. */
    [LAKE_UUID] = {LAKE__V_UUID, 0, 0, true, FROM(UUID) | FROM(TEXT), "a UUID"},
    [LAKE_SORTABLE_ID] = {LAKE__V_KSUID, 0, 0, true, FROM(KSUID) | FROM(TEXT), "a KSUID"},
    [LAKE_STRUCT] = {LAKE__V_STRUCT, 0, 0, false, FROM(STRUCT), "a struct"},
    [LAKE_LIST] = {LAKE__V_LIST, 0, 0, false, FROM(LIST), "a list"},
    [LAKE_MAP] = {LAKE__V_MAP, 0, 0, false, FROM(MAP), "a map"},
    /* JSON is text that is one JSON value; it renders as itself, not as a string. */
    [LAKE_JSON] = {LAKE__V_TEXT, 0, 0, false, FROM(TEXT), "JSON"},
};

const lake__value_type *lake__value_type_of(lake_type type) {
    if (type <= 0 || type > LAKE_JSON) return NULL;
    return &lake__value_types[type];
}

/* ---- records */

void lake__value_get(const lake__column *c, const void *record, lake__value *out) {
    const unsigned char *p = (const unsigned char *)record + c->pub.offset;
    switch (c->pub.type) {
    case LAKE_BOOL: out->b = *(const bool *)p; break;
    case LAKE_INT8: out->i = *(const int8_t *)p; break;
    case LAKE_INT16: out->i = *(const int16_t *)p; break;
    case LAKE_INT32: out->i = *(const int32_t *)p; break;
    case LAKE_INT64: out->i = *(const int64_t *)p; break;
    case LAKE_FLOAT32: out->f = *(const float *)p; break;
    case LAKE_FLOAT64: out->f = *(const double *)p; break;
    case LAKE_DECIMAL: out->i = lake__dec_get(*(const lake_dec128 *)p); break;
    case LAKE_STRING:
    case LAKE_BYTES:
    case LAKE_JSON:
        out->s.ptr = ((const lake_str *)p)->ptr;
        out->s.len = ((const lake_str *)p)->len;
        break;
    case LAKE_TIMESTAMP: out->t = ((const lake_ts *)p)->us; break;
    case LAKE_DATE: out->t = ((const lake_date *)p)->days; break;
    case LAKE_UUID: memcpy(out->id, p, sizeof(lake_uuid)); break;
    case LAKE_SORTABLE_ID: memcpy(out->id, p, sizeof(lake_ksuid)); break;
    case LAKE_STRUCT: case LAKE_LIST: case LAKE_MAP: break;
    }
}

uint64_t lake__value_float_bits(const lake__column *c, const void *record) {
    const unsigned char *p = (const unsigned char *)record + c->pub.offset;
    if (c->pub.type == LAKE_FLOAT32) {
        uint32_t bits;
        memcpy(&bits, p, sizeof bits);
        return bits;
    }
    uint64_t bits;
    memcpy(&bits, p, sizeof bits);
    return bits;
}

lake__fit lake__value_rescale_into(const lake__column *c, lake__i128 unscaled, int scale, void *record) {
    lake__dec_fit f = lake__dec_rescale(&unscaled, scale, c->pub.scale, c->pub.precision);
    if (f != LAKE__DEC_FITS) return f == LAKE__DEC_LOSES_DIGITS ? LAKE__LOSES_DIGITS : LAKE__TOO_BIG;
    *(lake_dec128 *)((unsigned char *)record + c->pub.offset) = lake__dec_make(unscaled);
    lake__value_mark(c, record);
    return LAKE__FITS;
}

lake__fit lake__value_units_into(const lake__column *c, int64_t x, lake__unit unit, void *record) {
    unsigned char *p = (unsigned char *)record + c->pub.offset;
    lake__fit fit = c->pub.type == LAKE_DATE ? (unit == LAKE__UNIT_MS ? lake__date_from_ms(x, &((lake_date *)p)->days)
                                                                     : lake__value_set_date(c, x, LAKE__UNIT_DAY, record))
                                             : lake__ts_to_us(x, unit, &((lake_ts *)p)->us);
    if (fit == LAKE__FITS) lake__value_mark(c, record);
    return fit;
}

lake__fit lake__value_parse_into(const lake__column *c, const char *s, size_t len, void *record) {
    unsigned char *p = (unsigned char *)record + c->pub.offset;
    int bad = c->pub.type == LAKE_UUID ? lake_uuid_parse((lake_uuid *)p, s, len)
                                       : lake_ksuid_parse((lake_ksuid *)p, s, len);
    if (bad) return LAKE__BAD_TEXT;
    lake__value_mark(c, record);
    return LAKE__FITS;
}

lake__fit lake__value_set_id(const lake__column *c, const uint8_t *id, void *record, lake_arena *arena) {
    unsigned char *p = (unsigned char *)record + c->pub.offset;
    if (c->pub.type == LAKE_STRING) {
        char text[LAKE__VALUE_TEXT_MAX];
        return lake__value_set_text(c, text, lake__value_id_text(LAKE_UUID, id, text), record, arena);
    }
    memcpy(p, id, c->pub.type == LAKE_UUID ? sizeof(lake_uuid) : sizeof(lake_ksuid));
    lake__value_mark(c, record);
    return LAKE__FITS;
}

lake__fit lake__value_set(const lake__column *c, const lake__source *from, const lake__value *v, void *record,
                          lake_arena *arena) {
    switch (from->kind) {
    case LAKE__V_BOOL: return lake__value_set_bool(c, v->b, record);
    case LAKE__V_INT: return lake__value_set_int(c, v->i, record);
    case LAKE__V_FLOAT: return lake__value_set_float(c, v->f, record);
    case LAKE__V_DECIMAL: return lake__value_set_decimal(c, v->i, from->scale, record);
    case LAKE__V_TEXT: case LAKE__V_BINARY: return lake__value_set_text(c, v->s.ptr, v->s.len, record, arena);
    case LAKE__V_TIMESTAMP: return lake__value_set_timestamp(c, v->t, from->unit, record);
    case LAKE__V_DATE: return lake__value_set_date(c, v->t, from->unit, record);
    case LAKE__V_UUID: case LAKE__V_KSUID: return lake__value_set_id(c, v->id, record, arena);
    case LAKE__V_STRUCT: case LAKE__V_LIST: case LAKE__V_MAP:
        return LAKE__FITS; /* their members are set one by one */
    case LAKE__V_NONE: break;
    }
    return LAKE__TOO_BIG;
}

/* ---- text */

static size_t put(char out[LAKE__VALUE_TEXT_MAX], const char *s) {
    size_t n = strlen(s);
    memcpy(out, s, n + 1);
    return n;
}

/* The fewest significant digits that read back to the same value, written
 * as plain decimals where that stays short (as JavaScript does, for
 * exponents -7 to 20) and in exponent form beyond. Spark and JSON readers
 * both read the special values by these names. */
static size_t float_text(double x, bool single, char out[LAKE__VALUE_TEXT_MAX]) {
    if (isnan(x)) return put(out, "NaN");
    if (isinf(x)) return put(out, x < 0 ? "-Infinity" : "Infinity");
    int digits = 1;
    for (; digits < 17; digits++) {
        snprintf(out, LAKE__VALUE_TEXT_MAX, "%.*e", digits - 1, x);
        if (single ? strtof(out, NULL) == (float)x : strtod(out, NULL) == x) break;
    }
    int n = snprintf(out, LAKE__VALUE_TEXT_MAX, "%.*e", digits - 1, x);
    int exp = atoi(strchr(out, 'e') + 1);
    if (exp > -7 && exp < 21)
        n = snprintf(out, LAKE__VALUE_TEXT_MAX, "%.*f", digits - 1 - exp > 0 ? digits - 1 - exp : 0, x);
    return (size_t)n;
}

size_t lake__value_text(lake_type type, unsigned scale, const lake__value *v, char out[LAKE__VALUE_TEXT_MAX]) {
    switch (type) {
    case LAKE_BOOL: return put(out, v->b ? "true" : "false");
    case LAKE_INT8: case LAKE_INT16: case LAKE_INT32: case LAKE_INT64:
        return (size_t)snprintf(out, LAKE__VALUE_TEXT_MAX, "%lld", (long long)v->i);
    case LAKE_FLOAT32: return float_text(v->f, true, out);
    case LAKE_FLOAT64: return float_text(v->f, false, out);
    case LAKE_DECIMAL: return lake__dec_format(v->i, scale, out);
    case LAKE_TIMESTAMP: return lake__format_timestamp(v->t, out);
    case LAKE_DATE: return lake__format_date((int32_t)v->t, out);
    case LAKE_UUID: case LAKE_SORTABLE_ID: return lake__value_id_text(type, v->id, out);
    case LAKE_STRING: case LAKE_BYTES: case LAKE_JSON: case LAKE_STRUCT: case LAKE_LIST: case LAKE_MAP: break;
    }
    out[0] = '\0';
    return 0;
}

const char *lake__value_parse(const lake_column *c, const char *text, size_t len, lake__value *out) {
    switch (c->type) {
    case LAKE_DECIMAL: return lake__dec_parse(text, len, c->precision, c->scale, &out->i);
    case LAKE_TIMESTAMP: return lake__parse_timestamp(text, len, &out->t);
    case LAKE_DATE: {
        int32_t days;
        const char *why = lake__parse_date(text, len, &days);
        out->t = days;
        return why;
    }
    case LAKE_UUID:
        return lake_uuid_parse((lake_uuid *)out->id, text, len) ? "expected a UUID such as 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f"
                                                                : NULL;
    case LAKE_SORTABLE_ID:
        return lake_ksuid_parse((lake_ksuid *)out->id, text, len) ? "expected a 27-character base62 KSUID" : NULL;
    default: return "this type has no text form to parse";
    }
}

/* ---- units */

static const int64_t per_second[] = {[LAKE__UNIT_S] = 1, [LAKE__UNIT_MS] = 1000, [LAKE__UNIT_US] = 1000000,
                                     [LAKE__UNIT_NS] = 1000000000};

lake__fit lake__ts_to_us(int64_t x, lake__unit unit, int64_t *us) {
    if (unit == LAKE__UNIT_NS) {
        *us = x / 1000 - (x % 1000 < 0); /* floor: C division truncates toward zero */
        return LAKE__FITS;
    }
    if (unit > LAKE__UNIT_US) return LAKE__TOO_BIG;
    int64_t y;
    if (__builtin_mul_overflow(x, 1000000 / per_second[unit], &y)) return LAKE__TOO_BIG;
    *us = y;
    return LAKE__FITS;
}

lake__fit lake__ts_from_us(int64_t us, lake__unit unit, int64_t *x) {
    if (unit == LAKE__UNIT_NS) return __builtin_mul_overflow(us, 1000, x) ? LAKE__TOO_BIG : LAKE__FITS;
    if (unit > LAKE__UNIT_US) return LAKE__TOO_BIG;
    int64_t step = 1000000 / per_second[unit];
    if (us % step) return LAKE__LOSES_DIGITS;
    *x = us / step;
    return LAKE__FITS;
}

enum { MS_PER_DAY = 86400000 };

lake__fit lake__date_from_ms(int64_t ms, int32_t *days) {
    int64_t d = ms / MS_PER_DAY - (ms % MS_PER_DAY < 0);
    if (d < INT32_MIN || d > INT32_MAX) return LAKE__TOO_BIG;
    *days = (int32_t)d;
    return LAKE__FITS;
}

/* Days past +-106751991 (about 292,000 years) have no microsecond instant. */
lake__fit lake__date_to_us(int32_t days, int64_t *us) {
    return __builtin_mul_overflow((int64_t)days, (int64_t)MS_PER_DAY * 1000, us) ? LAKE__TOO_BIG : LAKE__FITS;
}

/* |us| / 86400e6 < 1.1e8: always an int32. */
int32_t lake__date_of_us(int64_t us) {
    int64_t per_day = (int64_t)MS_PER_DAY * 1000;
    return (int32_t)(us / per_day - (us % per_day < 0));
}

/* Where empty lists and maps point (LAKE_EMPTY): a view's NULL pointer is SQL NULL. */
char lake_empty_[1];
