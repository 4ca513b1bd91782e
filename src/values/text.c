/* SPDX-License-Identifier: MIT */
/* The public text forms of timestamps, dates and decimals (lakeorm/values.h):
 * thin wrappers over util/time and util/decimal, the code the JSON decoder and
 * every reader use, so the public forms cannot drift from theirs. */
#include <lakeorm/values.h>

#include <limits.h>
#include <stdio.h>

#include "error/error.h"
#include "util/decimal.h"
#include "util/time.h"

_Static_assert(LAKE_TS_TEXT_MAX == 40 && LAKE_DATE_TEXT_MAX == 16 && LAKE_DEC128_TEXT_MAX == 48,
               "the public buffer sizes are util/time.h's and util/decimal.h's");

/* The text in a message: at most 64 bytes of it, since it may be anything. */
static int refuse(lake_error *err, const char *what, const char *text, size_t len, const char *why) {
    int shown = text ? (int)(len < 64 ? len : 64) : 0;
    return lake__error(err, LAKE_EINVAL, "cannot read \"%.*s%s\" as %s: %s", shown, text ? text : "",
                       len > 64 ? "..." : "", what, why);
}

int lake_ts_parse(lake_ts *out, const char *text, size_t len, lake_error *err) {
    if (!out || (!text && len)) return lake__error(err, LAKE_EINVAL, "lake_ts_parse: out and text must not be NULL");
    int64_t us;
    const char *why = lake__parse_timestamp(text ? text : "", len, &us);
    if (why) return refuse(err, "an RFC 3339 timestamp", text, len, why);
    out->us = us;
    return LAKE_OK;
}

size_t lake_ts_format(lake_ts ts, char out[LAKE_TS_TEXT_MAX]) { return lake__format_timestamp(ts.us, out); }

int lake_date_parse(lake_date *out, const char *text, size_t len, lake_error *err) {
    if (!out || (!text && len)) return lake__error(err, LAKE_EINVAL, "lake_date_parse: out and text must not be NULL");
    int32_t days;
    const char *why = lake__parse_date(text ? text : "", len, &days);
    if (why) return refuse(err, "a date (YYYY-MM-DD)", text, len, why);
    out->days = days;
    return LAKE_OK;
}

size_t lake_date_format(lake_date date, char out[LAKE_DATE_TEXT_MAX]) { return lake__format_date(date.days, out); }

int lake_date_from_civil(lake_date *out, int32_t year, unsigned month, unsigned day) {
    if (!out || month < 1 || month > 12 || day < 1 || day > lake__days_in_month(year, month)) return LAKE_EINVAL;
    int64_t days = lake__days_from_civil(year, month, day);
    if (days < INT32_MIN || days > INT32_MAX) return LAKE_EINVAL;
    out->days = (int32_t)days;
    return LAKE_OK;
}

void lake_date_to_civil(lake_date date, int32_t *year, unsigned *month, unsigned *day) {
    int64_t y;
    unsigned m, d;
    lake__civil_from_days(date.days, &y, &m, &d);
    if (year) *year = (int32_t)y; /* |days| < 2^31 keeps the year within +-5.9 million */
    if (month) *month = m;
    if (day) *day = d;
}

int lake_dec128_parse(lake_dec128 *out, const char *text, size_t len, unsigned precision, unsigned scale,
                      lake_error *err) {
    if (!out || (!text && len)) return lake__error(err, LAKE_EINVAL, "lake_dec128_parse: out and text must not be NULL");
    if (precision < 1 || precision > LAKE_DECIMAL_MAX_PRECISION || scale > precision)
        return lake__error(err, LAKE_EINVAL, "DECIMAL(%u,%u) is not a decimal type: precision is 1-38, scale 0-precision",
                           precision, scale);
    lake__i128 v;
    const char *why = lake__dec_parse(text ? text : "", len, precision, scale, &v);
    if (why) {
        char what[32];
        snprintf(what, sizeof what, "DECIMAL(%u,%u)", precision, scale);
        return refuse(err, what, text, len, why);
    }
    *out = lake__dec_make(v);
    return LAKE_OK;
}

size_t lake_dec128_format(lake_dec128 value, unsigned scale, char out[LAKE_DEC128_TEXT_MAX]) {
    if (scale > LAKE_DECIMAL_MAX_PRECISION) {
        out[0] = '\0';
        return 0;
    }
    return lake__dec_format(lake__dec_get(value), scale, out);
}
