/* SPDX-License-Identifier: MIT */
/* Per-file statistics as Spark's Delta writer collects them
 * (StatisticsCollection): min and max for the types data skipping uses
 * (numbers, dates, timestamps, strings), none for booleans, binary, lists
 * and maps; a NULL count for every leaf and for each list or map as a
 * whole. Values take Spark's JSON forms: decimals at their scale,
 * timestamps in UTC cut to milliseconds (PROTOCOL.md: readers widen the
 * maximum by a millisecond), strings cut to 32 characters. */
#include "formats/delta/stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json/write.h"
#include "util/alloc.h"
#include "util/decimal.h"
#include "util/time.h"
#include "values/values.h"

enum { PREFIX = 32 }; /* delta.dataSkippingStringPrefixLength's default */

/* ---- nests */

static int find(const lake_schema *s, const bool *omit, lake__delta_nest *path, size_t depth, lake__delta_nests *out,
                size_t *cap) {
    for (size_t i = 0; i < s->column_count; i++) {
        if (omit && omit[i]) continue;
        const lake__column *c = &s->columns[i];
        path->steps[depth] = c;
        if (c->pub.type == LAKE_STRUCT) {
            if (find(c->pub.child, NULL, path, depth + 1, out, cap)) return -1;
        } else if (c->pub.type == LAKE_LIST || c->pub.type == LAKE_MAP) {
            if (out->count == *cap) {
                size_t n = *cap ? *cap * 2 : 4;
                lake__delta_nest *p = lake__realloc(out->at, *cap * sizeof *p, n * sizeof *p);
                if (!p) return -1;
                out->at = p, *cap = n;
            }
            path->depth = depth + 1;
            out->at[out->count++] = *path;
        }
    }
    return 0;
}

int lake__delta_nests_find(const lake_schema *s, const bool *omit, lake__delta_nests *out) {
    memset(out, 0, sizeof *out);
    lake__delta_nest path;
    memset(&path, 0, sizeof path);
    size_t cap = 0;
    if (find(s, omit, &path, 0, out, &cap)) {
        lake__delta_nests_free(out);
        return -1;
    }
    return 0;
}

void lake__delta_nests_free(lake__delta_nests *n) {
    lake__free(n->at);
    n->at = NULL;
    n->count = 0;
}

void lake__delta_nests_count(const lake__delta_nests *n, const unsigned char *records, size_t count,
                             size_t record_size, uint64_t *nulls) {
    for (size_t i = 0; i < n->count; i++) {
        const lake__delta_nest *p = &n->at[i];
        for (size_t r = 0; r < count; r++) {
            const void *rec = records + r * record_size;
            size_t k = 0;
            for (; k + 1 < p->depth && rec; k++) rec = lake__is_null(p->steps[k], rec) ? NULL : lake__struct_at(p->steps[k], rec);
            nulls[i] += !rec || lake__is_null(p->steps[k], rec);
        }
    }
}

/* ---- strings */

/* Bytes of the UTF-8 sequence starting with b, and the UTF-16 units it makes. */
static size_t utf8_step(unsigned char b, size_t *units) {
    *units = b >= 0xF0 ? 2 : 1;
    return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

/* The prefix of at least PREFIX units that does not split a character
 * (Java's take, widened over a surrogate pair as Delta does); *units gets
 * its units, len when the string is no longer. */
static size_t prefix_bytes(const char *s, size_t len, size_t *units) {
    size_t at = 0, u = 0, step;
    while (at < len && u < PREFIX) {
        at += utf8_step((unsigned char)s[at], &step);
        u += step;
    }
    *units = u;
    return at < len ? at : len;
}

void lake__delta_string_min(const char *s, size_t len, size_t *out_len) {
    size_t units;
    *out_len = prefix_bytes(s, len, &units);
}

bool lake__delta_string_max(const char *s, size_t len, lake__buf *out) {
    static const char top[] = "\xF4\x8F\xBF\xBF"; /* U+10FFFF, above every character in UTF-8 order */
    size_t units, at = prefix_bytes(s, len, &units);
    /* Past the prefix, the bound must exceed the character cut off: 0x7F
     * exceeds any ASCII below it, U+10FFFF anything but itself, so runs of
     * U+10FFFF are kept; past twice the prefix Delta gives up. */
    while (units <= 2 * PREFIX) {
        if (at >= len) {
            lake__buf_put(out, s, len);
            return true;
        }
        if (len - at >= 4 && memcmp(s + at, top, 4) == 0) {
            at += 4, units += 2;
            continue;
        }
        lake__buf_put(out, s, at);
        if ((unsigned char)s[at] < 0x7F) lake__buf_putc(out, 0x7F);
        else lake__buf_put(out, top, 4);
        return true;
    }
    return false;
}

/* ---- values */

static bool eligible(lake_type t) {
    return t != LAKE_BOOL && t != LAKE_BYTES && !lake__type_is_composite(t);
}

/* Whether a struct holds a column with min and max somewhere outside lists and maps. */
static bool has_bounds(const lake_schema *s) {
    for (size_t i = 0; i < s->column_count; i++) {
        const lake__column *c = &s->columns[i];
        if (c->pub.type == LAKE_STRUCT ? has_bounds(c->pub.child) : eligible(c->pub.type)) return true;
    }
    return false;
}

static int timestamp_ms(lake__buf *out, int64_t us) {
    int64_t ms = us / 1000 - (us % 1000 < 0);
    int64_t days = ms / 86400000 - (ms % 86400000 < 0), rest = ms - days * 86400000;
    int64_t year;
    unsigned month, day;
    lake__civil_from_days(days, &year, &month, &day);
    return lake__buf_printf(out, "\"%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ\"", (long long)year, month, day,
                            (int)(rest / 3600000), (int)(rest / 60000 % 60), (int)(rest / 1000 % 60),
                            (int)(rest % 1000));
}

static int number(lake__buf *out, lake_type type, double x, bool is_max) {
    char text[LAKE__VALUE_TEXT_MAX];
    /* A zero bound covers both zeros, as the Parquet footer's does. */
    if (x == 0) return lake__buf_puts(out, is_max ? "0.0" : "-0.0");
    lake__value v = {.f = x};
    lake__value_text(type, 0, &v, text);
    if (lake__buf_puts(out, text)) return -1;
    return strpbrk(text, ".e") ? 0 : lake__buf_puts(out, ".0");
}

/* Appends a leaf's bound, or returns 1 (nothing appended) when it has none. */
static int bound(lake__buf *out, const lake__leaf *l, const lake__stats *st, bool is_max) {
    if (!st->any) return 1;
    char text[48];
    switch (l->physical) {
    case LAKE__PQ_FLOAT:
    case LAKE__PQ_DOUBLE: {
        double x = is_max ? st->fmax : st->fmin;
        return isfinite(x) ? number(out, l->type, x, is_max) : 1; /* JSON has no infinities */
    }
    case LAKE__PQ_INT32:
    case LAKE__PQ_INT64: {
        int64_t x = is_max ? st->imax : st->imin;
        if (l->type == LAKE_TIMESTAMP) return timestamp_ms(out, x);
        if (l->type == LAKE_DATE) {
            lake__format_date((int32_t)x, text);
            return lake__buf_printf(out, "\"%s\"", text);
        }
        if (l->type == LAKE_DECIMAL) {
            lake__dec_format(x, l->col->pub.scale, text);
            return lake__buf_puts(out, text);
        }
        return lake__buf_printf(out, "%lld", (long long)x);
    }
    case LAKE__PQ_FIXED_LEN_BYTE_ARRAY: {
        if (l->type != LAKE_DECIMAL) return 1;
        const lake__buf *b = is_max ? &st->bmax : &st->bmin;
        const unsigned char *p = (const unsigned char *)b->data;
        lake__i128 x = b->len && (p[0] & 0x80) ? -1 : 0; /* big-endian two's complement */
        for (size_t i = 0; i < b->len; i++) x = (lake__i128)(((unsigned __int128)x << 8) | p[i]);
        lake__dec_format(x, l->col->pub.scale, text);
        return lake__buf_puts(out, text);
    }
    case LAKE__PQ_BYTE_ARRAY: {
        if (!eligible(l->type)) return 1;
        const lake__buf *b = is_max ? &st->bmax : &st->bmin;
        if (!is_max) {
            size_t n;
            lake__delta_string_min(b->data, b->len, &n);
            return lake__json_write_string(out, b->data, n);
        }
        lake__buf cut = LAKE__BUF_INIT;
        if (!lake__delta_string_max(b->data, b->len, &cut)) return 1;
        int rc = cut.failed ? -1 : lake__json_write_string(out, cut.data ? cut.data : "", cut.len);
        lake__buf_dispose(&cut);
        return rc;
    }
    default: return 1;
    }
}

/* ---- the JSON */

enum section { MIN, MAX, NULLS };

typedef struct writer {
    lake__buf *out;
    const lake__leaf_summary *leaves;
    size_t leaf_count;
    const lake__delta_nests *nests;
    const uint64_t *nest_nulls;
    enum section section;
} writer;

static const lake__leaf_summary *summary_of(const writer *w, const lake__column *c) {
    for (size_t i = 0; i < w->leaf_count; i++)
        if (w->leaves[i].leaf->col == c) return &w->leaves[i];
    return NULL;
}

static uint64_t nest_nulls(const writer *w, const lake__column *c) {
    for (size_t i = 0; i < w->nests->count; i++)
        if (w->nests->at[i].steps[w->nests->at[i].depth - 1] == c) return w->nest_nulls[i];
    return 0;
}

static int key(writer *w, bool *first, const char *name) {
    if (!*first && lake__buf_putc(w->out, ',')) return -1;
    *first = false;
    if (lake__json_write_string(w->out, name, strlen(name))) return -1;
    return lake__buf_putc(w->out, ':');
}

/* A leaf's entry: its bound or NULL count, under `name`. */
static int leaf(writer *w, bool *first, const char *name, const lake__leaf_summary *ls) {
    if (w->section == NULLS) {
        if (key(w, first, name)) return -1;
        return lake__buf_printf(w->out, "%llu", (unsigned long long)ls->stats.nulls);
    }
    /* Render after the key, and take both back when there is no bound. */
    size_t mark = w->out->len;
    bool was_first = *first;
    if (key(w, first, name)) return -1;
    int rc = bound(w->out, ls->leaf, &ls->stats, w->section == MAX);
    if (rc == 1) {
        w->out->len = mark;
        if (w->out->data) w->out->data[mark] = '\0';
        *first = was_first;
        return 0;
    }
    return rc;
}

static int members(writer *w, const lake_schema *s, const bool *omit) {
    bool first = true;
    for (size_t i = 0; i < s->column_count; i++) {
        if (omit && omit[i]) continue;
        const lake__column *c = &s->columns[i];
        switch (c->pub.type) {
        case LAKE_STRUCT:
            if (w->section != NULLS && !has_bounds(c->pub.child)) break;
            if (key(w, &first, c->pub.name) || lake__buf_putc(w->out, '{') || members(w, c->pub.child, NULL) ||
                lake__buf_putc(w->out, '}'))
                return -1;
            break;
        case LAKE_LIST:
        case LAKE_MAP:
            if (w->section != NULLS) break;
            if (key(w, &first, c->pub.name) ||
                lake__buf_printf(w->out, "%llu", (unsigned long long)nest_nulls(w, c)))
                return -1;
            break;
        default: {
            const lake__leaf_summary *ls = summary_of(w, c);
            if (ls && leaf(w, &first, c->pub.name, ls)) return -1;
        }
        }
    }
    return 0;
}

static int section(writer *w, const char *name, enum section which, const lake_schema *s, const bool *omit) {
    w->section = which;
    if (lake__buf_printf(w->out, ",\"%s\":{", name)) return -1;
    size_t mark = w->out->len;
    if (members(w, s, omit)) return -1;
    /* The stamped _ingest_id (no column of the schema) is the file's last. */
    const lake__leaf_summary *last = w->leaf_count ? &w->leaves[w->leaf_count - 1] : NULL;
    if (last && !last->leaf->col) {
        bool first = w->out->len == mark;
        if (leaf(w, &first, "_ingest_id", last)) return -1;
    }
    return lake__buf_putc(w->out, '}');
}

int lake__delta_stats_json(lake__buf *out, const lake_schema *s, const bool *omit, const lake__leaf_summary *leaves,
                           size_t leaf_count, const lake__delta_nests *nests, const uint64_t *nest_nulls,
                           uint64_t rows) {
    writer w = {out, leaves, leaf_count, nests, nest_nulls, MIN};
    if (lake__buf_printf(out, "{\"numRecords\":%llu", (unsigned long long)rows) ||
        section(&w, "minValues", MIN, s, omit) || section(&w, "maxValues", MAX, s, omit) ||
        section(&w, "nullCount", NULLS, s, omit) || lake__buf_putc(out, '}'))
        return -1;
    return out->failed ? -1 : 0;
}
