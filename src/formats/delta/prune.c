/* SPDX-License-Identifier: MIT */
/* Which files may hold a request's keys, from the statistics in their add
 * actions: a file whose key range misses the request's on some key column
 * holds none of its keys. Statistics are truncated (timestamps to the
 * millisecond, strings to a prefix), and truncation keeps order, so a
 * strict miss on the truncated values is a miss on the real ones; an
 * absent statistic is a possible hit. */
#include <stdlib.h>
#include <string.h>

#include "error/error.h"
#include "formats/delta/prune.h"
#include "json/scan.h"
#include "util/alloc.h"

enum { MAX_DEPTH = 64 };

/* A statistic's value: a number, or a string's decoded bytes. */
typedef struct bound {
    bool known, number;
    long double n;
    char *s; /* owned */
    size_t len;
} bound;

struct lake__delta_key_range {
    size_t keys;
    bound *min, *max; /* per key column */
};

static bool same(const char *s, size_t len, const char *name) { return len == strlen(name) && !memcmp(s, name, len); }

/* Reads the value at j into b when it is a number or a string; skips it otherwise. */
static bool read_bound(lake__json *j, lake_arena *arena, bound *b) {
    lake__json_kind kind = lake__json_peek(j);
    if (kind == LAKE__J_NUMBER) {
        lake__json_num num;
        if (!lake__json_number(j, &num)) return false;
        char text[64];
        if (num.len >= sizeof text) return true; /* unknown: a possible hit */
        memcpy(text, num.text, num.len);
        text[num.len] = 0;
        b->n = strtold(text, NULL);
        b->known = b->number = true;
        return true;
    }
    if (kind == LAKE__J_STRING) {
        const char *s;
        size_t len;
        if (!lake__json_string(j, arena, &s, &len)) return false;
        if (!(b->s = lake__strndup(s, len))) return false;
        b->len = len;
        b->known = true;
        return true;
    }
    return lake__json_skip(j, MAX_DEPTH);
}

/* Reads stats's minValues and maxValues for each key column. False: not
 * statistics (every bound stays unknown). */
static bool read_bounds(const char *stats, const char *const *keys, size_t n, bound *min, bound *max) {
    lake_arena *arena = NULL;
    if (lake_arena_new(&arena)) return false;
    lake__json j;
    lake__json_init(&j, stats, strlen(stats));
    bool ok = lake__json_expect(&j, '{', "statistics");
    for (bool first = true; ok; first = false) {
        lake__json_ws(&j);
        if (j.p < j.end && *j.p == '}') break;
        const char *name;
        size_t len;
        if ((!first && !lake__json_expect(&j, ',', "','")) || !lake__json_string(&j, arena, &name, &len) ||
            !lake__json_expect(&j, ':', "':'")) {
            ok = false;
            break;
        }
        bound *into = same(name, len, "minValues") ? min : same(name, len, "maxValues") ? max : NULL;
        if (!into || lake__json_peek(&j) != LAKE__J_OBJECT) {
            ok = lake__json_skip(&j, MAX_DEPTH);
            continue;
        }
        ok = lake__json_expect(&j, '{', "values");
        for (bool f = true; ok; f = false) {
            lake__json_ws(&j);
            if (j.p < j.end && *j.p == '}') {
                j.p++;
                break;
            }
            const char *column;
            size_t clen;
            if ((!f && !lake__json_expect(&j, ',', "','")) || !lake__json_string(&j, arena, &column, &clen) ||
                !lake__json_expect(&j, ':', "':'")) {
                ok = false;
                break;
            }
            size_t k = 0;
            while (k < n && !same(column, clen, keys[k])) k++;
            ok = k < n && !into[k].known ? read_bound(&j, arena, &into[k]) : lake__json_skip(&j, MAX_DEPTH);
        }
    }
    lake_arena_free(arena);
    return ok;
}

/* -1, 0, 1; `known` false when the two cannot be compared. */
static int compare(const bound *a, const bound *b, bool *known) {
    *known = a->known && b->known && a->number == b->number;
    if (!*known) return 0;
    if (a->number) return a->n < b->n ? -1 : a->n > b->n;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, n);
    return c ? (c < 0 ? -1 : 1) : a->len < b->len ? -1 : a->len > b->len;
}

static void bounds_clear(bound *b, size_t n) {
    for (size_t i = 0; i < n; i++) lake__free(b[i].s);
    memset(b, 0, n * sizeof *b);
}

int lake__delta_key_range_of(const lake__delta_written *files, size_t count, const char *const *keys, size_t n,
                             lake__delta_key_range **out, lake_error *err) {
    lake__delta_key_range *r = lake__calloc(1, sizeof *r);
    bound *min = lake__calloc(n ? n : 1, sizeof *min), *max = lake__calloc(n ? n : 1, sizeof *max);
    bound *fmin = lake__calloc(n ? n : 1, sizeof *fmin), *fmax = lake__calloc(n ? n : 1, sizeof *fmax);
    if (!r || !min || !max || !fmin || !fmax) {
        lake__free(r), lake__free(min), lake__free(max), lake__free(fmin), lake__free(fmax);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    r->keys = n, r->min = min, r->max = max;
    /* The union of the files' ranges: unknown as soon as one file's is. */
    bool *unbounded_min = lake__calloc(n ? n : 1, sizeof *unbounded_min), *unbounded_max = lake__calloc(n ? n : 1, sizeof *unbounded_max);
    for (size_t f = 0; f < count && unbounded_min && unbounded_max; f++) {
        bool parsed = files[f].stats && read_bounds(files[f].stats, keys, n, fmin, fmax);
        for (size_t k = 0; k < n; k++) {
            bool known;
            if (!parsed || !fmin[k].known) unbounded_min[k] = true;
            else if (!unbounded_min[k] && (!min[k].known || (compare(&fmin[k], &min[k], &known) < 0 && known)))
                lake__free(min[k].s), min[k] = fmin[k], fmin[k] = (bound){0};
            if (!parsed || !fmax[k].known) unbounded_max[k] = true;
            else if (!unbounded_max[k] && (!max[k].known || (compare(&fmax[k], &max[k], &known) > 0 && known)))
                lake__free(max[k].s), max[k] = fmax[k], fmax[k] = (bound){0};
        }
        bounds_clear(fmin, n);
        bounds_clear(fmax, n);
    }
    for (size_t k = 0; k < n && unbounded_min && unbounded_max; k++) {
        if (unbounded_min[k]) lake__free(min[k].s), min[k] = (bound){0};
        if (unbounded_max[k]) lake__free(max[k].s), max[k] = (bound){0};
    }
    int rc = unbounded_min && unbounded_max ? LAKE_OK : lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__free(unbounded_min), lake__free(unbounded_max), lake__free(fmin), lake__free(fmax);
    if (rc) lake__delta_key_range_free(r);
    else *out = r;
    return rc;
}

bool lake__delta_may_hold(const lake__delta_key_range *r, const char *stats, const char *const *keys) {
    if (!stats || !r->keys) return true;
    bound *min = lake__calloc(r->keys, sizeof *min), *max = lake__calloc(r->keys, sizeof *max);
    bool hit = true;
    if (min && max && read_bounds(stats, keys, r->keys, min, max))
        for (size_t k = 0; k < r->keys && hit; k++) {
            bool known;
            /* A miss: the file's largest key is below the request's smallest, or its smallest above the largest. */
            if (compare(&max[k], &r->min[k], &known) < 0 && known) hit = false;
            if (compare(&min[k], &r->max[k], &known) > 0 && known) hit = false;
        }
    if (min) bounds_clear(min, r->keys);
    if (max) bounds_clear(max, r->keys);
    lake__free(min), lake__free(max);
    return hit;
}

void lake__delta_key_range_free(lake__delta_key_range *r) {
    if (!r) return;
    bounds_clear(r->min, r->keys);
    bounds_clear(r->max, r->keys);
    lake__free(r->min), lake__free(r->max), lake__free(r);
}
