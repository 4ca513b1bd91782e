/* SPDX-License-Identifier: MIT */
/* Arrow C Data Interface format strings (arrow/c_format.h). */
#include "arrow/c_format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *lake__arrow_format_of(const lake_column *c, char buf[LAKE__ARROW_FORMAT_MAX], const char **extension) {
    /* Formats by lake_type, in the order of schema.h's enum; a decimal's is built. */
    static const char *const formats[LAKE_JSON + 1] = {
        [LAKE_BOOL] = "b",        [LAKE_INT8] = "c",        [LAKE_INT16] = "s",     [LAKE_INT32] = "i",
        [LAKE_INT64] = "l",       [LAKE_FLOAT32] = "f",     [LAKE_FLOAT64] = "g",   [LAKE_STRING] = "u",
        [LAKE_BYTES] = "z",       [LAKE_TIMESTAMP] = "tsu:UTC", [LAKE_DATE] = "tdD", [LAKE_UUID] = "w:16",
        [LAKE_SORTABLE_ID] = "u", [LAKE_STRUCT] = "+s",     [LAKE_LIST] = "+l",     [LAKE_MAP] = "+m",
        [LAKE_JSON] = "u",
    };
    *extension = c->type == LAKE_UUID ? "arrow.uuid" : c->type == LAKE_JSON ? "arrow.json" : NULL;
    if (c->type == LAKE_DECIMAL) {
        snprintf(buf, LAKE__ARROW_FORMAT_MAX, "d:%u,%u", (unsigned)c->precision, (unsigned)c->scale);
        return buf;
    }
    return c->type > 0 && c->type <= LAKE_JSON && formats[c->type] ? formats[c->type] : "n";
}

/* A non-negative decimal number ending at a NUL or at `stop`; *end past it. */
static bool number(const char *s, char stop, int64_t max, int64_t *out, const char **end) {
    int64_t v = 0;
    const char *p = s;
    while (*p >= '0' && *p <= '9' && p - s < 19) {
        v = v * 10 + (*p++ - '0');
        if (v > max) return false;
    }
    if (p == s || (*p != '\0' && *p != stop)) return false;
    *out = v;
    *end = p;
    return true;
}

static bool fixed(lake__arrow_type *t, int64_t width, lake__source src) {
    t->layout = LAKE__AL_FIXED;
    t->width = width;
    t->src = src;
    return true;
}

static bool parse_decimal(const char *args, lake__arrow_type *t) {
    int64_t precision, scale, bits = 128;
    const char *p;
    if (!number(args, ',', 1000, &precision, &p) || *p != ',') return false;
    bool neg = p[1] == '-'; /* a negative scale is legal Arrow; lakeorm reads none */
    if (neg || !number(p + 1, ',', 1000, &scale, &p)) return false;
    if (*p == ',' && !number(p + 1, '\0', 1024, &bits, &p)) return false;
    if (*p || bits != 128 || precision < 1 || precision > LAKE_DECIMAL_MAX_PRECISION || scale > precision) return false;
    return fixed(t, 16, (lake__source){.kind = LAKE__V_DECIMAL, .precision = (uint8_t)precision, .scale = (int8_t)scale});
}

static bool parse_time(const char *f, lake__arrow_type *t) {
    static const char units[] = "smun";
    if (!strcmp(f, "tdD")) return fixed(t, 4, (lake__source){.kind = LAKE__V_DATE, .unit = LAKE__UNIT_DAY});
    if (!strcmp(f, "tdm")) return fixed(t, 8, (lake__source){.kind = LAKE__V_DATE, .unit = LAKE__UNIT_MS});
    if (f[1] != 's' || !f[2] || !strchr(units, f[2]) || f[3] != ':') return false;
    t->zoned = f[4] != '\0';
    return fixed(t, 8, (lake__source){.kind = LAKE__V_TIMESTAMP, .unit = (lake__unit)(strchr(units, f[2]) - units)});
}

bool lake__arrow_format_parse(const char *f, lake__arrow_type *t) {
    memset(t, 0, sizeof *t);
    if (!f || !f[0]) return false;
    static const char ints[] = "csilCSIL";
    if (!f[1] && strchr(ints, f[0])) {
        size_t at = (size_t)(strchr(ints, f[0]) - ints);
        return fixed(t, 1 << (at % 4),
                     (lake__source){.kind = LAKE__V_INT, .bits = (uint8_t)(8 << (at % 4)), .is_signed = at < 4});
    }
    if (!strcmp(f, "b")) {
        t->layout = LAKE__AL_BOOL;
        t->src.kind = LAKE__V_BOOL;
        return true;
    }
    if (!strcmp(f, "f")) return fixed(t, 4, (lake__source){.kind = LAKE__V_FLOAT, .bits = 32});
    if (!strcmp(f, "g")) return fixed(t, 8, (lake__source){.kind = LAKE__V_FLOAT, .bits = 64});
    static const struct { const char *f; lake__arrow_layout layout; bool text; } strings[] = {
        {"u", LAKE__AL_BINARY, true},       {"U", LAKE__AL_LARGE_BINARY, true}, {"vu", LAKE__AL_VIEW, true},
        {"z", LAKE__AL_BINARY, false},      {"Z", LAKE__AL_LARGE_BINARY, false}, {"vz", LAKE__AL_VIEW, false},
        {"+s", LAKE__AL_STRUCT, false},     {"+l", LAKE__AL_LIST, false},       {"+L", LAKE__AL_LARGE_LIST, false},
        {"+m", LAKE__AL_MAP, false},
    };
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
        if (strcmp(f, strings[i].f)) continue;
        t->layout = strings[i].layout;
        t->text = strings[i].text;
        t->src.kind = f[0] != '+' ? (t->text ? LAKE__V_TEXT : LAKE__V_BINARY)
                    : f[1] == 's' ? LAKE__V_STRUCT : f[1] == 'm' ? LAKE__V_MAP : LAKE__V_LIST;
        return true;
    }
    const char *p;
    int64_t n;
    if (f[0] == 'w' && f[1] == ':' && number(f + 2, '\0', INT32_MAX, &n, &p) && n > 0) {
        t->layout = LAKE__AL_FIXED_BINARY;
        t->width = n;
        t->src.kind = n == 16 ? LAKE__V_UUID : LAKE__V_BINARY;
        return true;
    }
    if (f[0] == '+' && f[1] == 'w' && f[2] == ':' && number(f + 3, '\0', INT32_MAX, &n, &p)) {
        t->layout = LAKE__AL_FIXED_LIST;
        t->width = n;
        t->src.kind = LAKE__V_LIST;
        return true;
    }
    if (f[0] == 'd' && f[1] == ':') return parse_decimal(f + 2, t);
    if (f[0] == 't') return parse_time(f, t);
    memset(t, 0, sizeof *t);
    return false;
}

int lake__arrow_layout_buffers(lake__arrow_layout layout) {
    switch (layout) {
    case LAKE__AL_BINARY: case LAKE__AL_LARGE_BINARY: return 3;
    case LAKE__AL_VIEW: return 3; /* validity, views, the sizes of the variadic buffers; data buffers between */
    case LAKE__AL_STRUCT: case LAKE__AL_FIXED_LIST: return 1;
    case LAKE__AL_NONE: return 0;
    default: return 2;
    }
}
