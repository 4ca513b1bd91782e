/* SPDX-License-Identifier: MIT */
/* lakeorm: building values and their text forms.
 *
 * The text forms are the ones lakeorm reads and writes everywhere (JSON input,
 * query results as JSON, the CLI): the same code, so a value that
 * lake_ts_parse accepts is one the JSON decoder accepts, and the reverse.
 * UUID and KSUID text live in ids.h (lake_uuid_parse/format,
 * lake_ksuid_parse/format).
 *
 *     lake_str email = LAKE_STR("ann@example.com");   // length known at compile time
 *     lake_ts at;
 *     lake_ts_parse(&at, "2024-03-05T12:34:56.5+01:00", 27, &err);
 *     char text[LAKE_TS_TEXT_MAX];
 *     lake_ts_format(at, text);                         // "2024-03-05T11:34:56.500000Z"
 *     lake_dec128 balance;
 *     lake_dec128_parse(&balance, "10.5", 4, 18, 2, &err);  // unscaled 1050
 */
#ifndef LAKEORM_VALUES_H
#define LAKEORM_VALUES_H

#include <string.h>

#include "common.h"
#include "error.h"
#include "types.h"

LAKE_BEGIN_DECL

/* A lake_str of a string literal, its length counted by the compiler (the
 * literal may hold NUL bytes; they count). Only a literal compiles: the ""
 * around it reject a pointer. LAKE_STR_INIT is the same as an initializer, for
 * static tables: `static const lake_str k = LAKE_STR_INIT("id");`. */
#define LAKE_STR_INIT(literal) {"" literal "", sizeof("" literal "") - 1}
#define LAKE_STR(literal) LAKE__LITERAL(lake_str, "" literal "", sizeof("" literal "") - 1)

/* A view of a NUL-terminated string, borrowed: it stays valid as long as s
 * does. NULL gives {NULL, 0}, which is SQL NULL; "" gives an empty string. */
static inline lake_str lake_str_of(const char *s) {
    lake_str v;
    v.ptr = s;
    v.len = s ? strlen(s) : 0;
    return v;
}

/* Buffer sizes for the formatters below, the terminating NUL included. */
#define LAKE_TS_TEXT_MAX 40     /* "-290308-12-21T19:59:05.224192Z" and shorter */
#define LAKE_DATE_TEXT_MAX 16   /* "-5877641-06-23" and shorter */
#define LAKE_DEC128_TEXT_MAX 48 /* a sign, 38 digits, a point, a leading 0 */

/* ---- timestamps: UTC microseconds ---- */

/* RFC 3339 date-time text to a timestamp: "2024-03-05T12:34:56Z", an optional
 * fraction of up to 6 digits (more only when they are zeros: precision is never
 * dropped), 'Z' or an offset such as "+01:00" (converted to UTC); 't' and 'z'
 * are accepted, a space for 'T' is not. Exactly the JSON decoder's rules.
 * LAKE_OK, or LAKE_EINVAL with the reason in err (NULL-tolerant); *out is
 * written only on success. */
LAKE_EXTERN int lake_ts_parse(lake_ts *out, const char *text, size_t len, lake_error *err);

/* Writes "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" in UTC (the fraction only when it is
 * not zero) and a NUL into out; returns the length without the NUL. Years
 * before 0000 or after 9999 are written with as many digits as they take. */
LAKE_EXTERN size_t lake_ts_format(lake_ts ts, char out[LAKE_TS_TEXT_MAX]);

/* Seconds since the Unix epoch as a timestamp (no overflow check: |seconds|
 * must stay below 9.2e12, about 292,000 years). */
static inline lake_ts lake_ts_from_unix(int64_t seconds) {
    lake_ts t;
    t.us = seconds * 1000000;
    return t;
}

/* ---- dates: days since 1970-01-01 ---- */

/* "YYYY-MM-DD" (a real day of the proleptic Gregorian calendar) to a date.
 * LAKE_OK, or LAKE_EINVAL with the reason in err; *out is written only on success. */
LAKE_EXTERN int lake_date_parse(lake_date *out, const char *text, size_t len, lake_error *err);

/* Writes "YYYY-MM-DD" and a NUL into out; returns the length without the NUL. */
LAKE_EXTERN size_t lake_date_format(lake_date date, char out[LAKE_DATE_TEXT_MAX]);

/* The date of a civil day (month 1-12, day 1-31): LAKE_OK, or LAKE_EINVAL for
 * a day the month does not have or a date outside lake_date's range. */
LAKE_EXTERN int lake_date_from_civil(lake_date *out, int32_t year, unsigned month, unsigned day);

/* The civil day of a date. Any pointer may be NULL. */
LAKE_EXTERN void lake_date_to_civil(lake_date date, int32_t *year, unsigned *month, unsigned *day);

/* ---- decimals: unscaled 128-bit integers ---- */

/* Decimal text ("-12.5", "1e3", JSON-number syntax, exponent allowed) into the
 * unscaled value of a DECIMAL(precision, scale): "12.5" at scale 2 is 1250.
 * Never through double. Digits the scale cannot hold must be zeros ("1.005" at
 * scale 2 is refused, not rounded), and the value must have at most
 * precision - scale integer digits. 1 <= precision <= 38, scale <= precision.
 * LAKE_OK, or LAKE_EINVAL with the reason in err; *out is written only on success. */
LAKE_EXTERN int lake_dec128_parse(lake_dec128 *out, const char *text, size_t len, unsigned precision,
                                  unsigned scale, lake_error *err);

/* Writes the unscaled value at `scale` (0-38) as decimal text ("-12.50" for
 * -1250 at scale 2; "0.05" for 5) and a NUL into out; returns the length
 * without the NUL. A scale above 38 writes "" and returns 0. */
LAKE_EXTERN size_t lake_dec128_format(lake_dec128 value, unsigned scale, char out[LAKE_DEC128_TEXT_MAX]);

/* An unscaled value from a 64-bit integer (sign-extended). */
static inline lake_dec128 lake_dec128_from_i64(int64_t unscaled) {
    lake_dec128 d;
    d.lo = (uint64_t)unscaled;
    d.hi = unscaled < 0 ? -1 : 0;
    return d;
}

LAKE_END_DECL

#endif
