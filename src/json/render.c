/* SPDX-License-Identifier: MIT */
#include "json/render.h"

#include <lakeorm/ids.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/write.h"
#include "util/base64.h"
#include "util/decimal.h"
#include "util/time.h"

/* The fewest significant digits that read back to the same value, written
 * as plain decimals where that stays short (as JavaScript does, for
 * exponents -7 to 20) and in exponent form beyond. */
static void write_float(lake__buf *b, double x, bool single) {
    if (isnan(x)) {
        lake__buf_puts(b, "\"NaN\"");
        return;
    }
    if (isinf(x)) {
        lake__buf_puts(b, x < 0 ? "\"-Infinity\"" : "\"Infinity\"");
        return;
    }
    char text[48];
    int digits = 1;
    for (; digits < 17; digits++) {
        snprintf(text, sizeof text, "%.*e", digits - 1, x);
        if (single ? strtof(text, NULL) == (float)x : strtod(text, NULL) == x) break;
    }
    snprintf(text, sizeof text, "%.*e", digits - 1, x);
    int exp = atoi(strchr(text, 'e') + 1);
    if (exp > -7 && exp < 21) snprintf(text, sizeof text, "%.*f", digits - 1 - exp > 0 ? digits - 1 - exp : 0, x);
    lake__buf_puts(b, text);
}

static void write_value(lake__buf *b, const lake__column *c, const unsigned char *rec) {
    const unsigned char *p = rec + c->pub.offset;
    char text[64];
    switch (c->pub.type) {
    case LAKE_BOOL: lake__buf_puts(b, *(const bool *)p ? "true" : "false"); break;
    case LAKE_INT8: lake__buf_printf(b, "%d", *(const int8_t *)p); break;
    case LAKE_INT16: lake__buf_printf(b, "%d", *(const int16_t *)p); break;
    case LAKE_INT32: lake__buf_printf(b, "%ld", (long)*(const int32_t *)p); break;
    case LAKE_INT64: lake__buf_printf(b, "%lld", (long long)*(const int64_t *)p); break;
    case LAKE_FLOAT32: write_float(b, *(const float *)p, true); break;
    case LAKE_FLOAT64: write_float(b, *(const double *)p, false); break;
    case LAKE_DECIMAL: {
        size_t n = lake__dec_format(lake__dec_get(*(const lake_dec128 *)p), c->pub.scale, text);
        lake__buf_put(b, text, n);
        break;
    }
    case LAKE_STRING: {
        const lake_str *s = (const lake_str *)p;
        lake__json_write_string(b, s->ptr, s->len);
        break;
    }
    case LAKE_BYTES: {
        const lake_bytes *s = (const lake_bytes *)p;
        size_t n = (s->len + 2) / 3 * 4;
        if (lake__buf_grow(b, n + 2)) break;
        b->data[b->len++] = '"';
        b->len += lake__base64_encode(s->ptr, s->len, b->data + b->len);
        lake__buf_putc(b, '"');
        break;
    }
    case LAKE_TIMESTAMP: {
        size_t n = lake__format_timestamp(((const lake_ts *)p)->us, text);
        lake__json_write_string(b, text, n);
        break;
    }
    case LAKE_DATE: {
        size_t n = lake__format_date(((const lake_date *)p)->days, text);
        lake__json_write_string(b, text, n);
        break;
    }
    case LAKE_UUID:
        lake_uuid_format((const lake_uuid *)p, text);
        lake__json_write_string(b, text, LAKE_UUID_TEXT_LEN);
        break;
    case LAKE_SORTABLE_ID:
        lake_ksuid_format((const lake_ksuid *)p, text);
        lake__json_write_string(b, text, LAKE_KSUID_TEXT_LEN);
        break;
    case LAKE_STRUCT: lake__json_write_record(b, c->pub.child, p); break;
    }
}

int lake__json_write_record(lake__buf *b, const lake_schema *s, const void *record) {
    lake__buf_putc(b, '{');
    for (size_t i = 0; i < s->column_count; i++) {
        const lake__column *c = &s->columns[i];
        if (i) lake__buf_putc(b, ',');
        lake__json_write_string(b, c->pub.name, c->name_len);
        lake__buf_putc(b, ':');
        if (lake__is_null(c, record)) lake__buf_puts(b, "null");
        else write_value(b, c, record);
    }
    lake__buf_putc(b, '}');
    return b->failed;
}
