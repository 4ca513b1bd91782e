/* SPDX-License-Identifier: MIT */
#include "parquet/column.h"

#include <math.h>
#include <string.h>

#include "parquet/rle.h"
#include "parquet/thrift.h"
#include "util/alloc.h"
#include "values/values.h"

enum { PAGE_DATA = 0, PAGE_DICTIONARY = 2 };
enum { ENC_PLAIN = 0, ENC_RLE = 3, ENC_RLE_DICTIONARY = 8 };
enum { MAX_STAT_BYTES = 64 };
enum { DICTIONARY_PROBE = 16384 }; /* distinct values after which a chunk checks its dictionary pays */

int lake__column_init(lake__column_writer *c, const lake__leaf *leaf, size_t page_bytes, size_t dictionary_bytes) {
    memset(c, 0, sizeof *c);
    c->leaf = leaf;
    c->page_bytes = page_bytes;
    c->dictionary_bytes = dictionary_bytes;
    c->dict_mode = leaf->physical != LAKE__PQ_BOOLEAN;
    c->def_bits = lake__bit_width(leaf->max_def);
    c->rep_bits = lake__bit_width(leaf->max_rep);
    lake__dict_init(&c->dict, leaf->physical == LAKE__PQ_BYTE_ARRAY);
    c->meta.dictionary_page_offset = -1;
    c->page_no = 1;
    return 0;
}

void lake__stats_dispose(lake__stats *st) {
    lake__buf_dispose(&st->bmin);
    lake__buf_dispose(&st->bmax);
}

static void stats_clear(lake__stats *st) {
    st->any = false;
    st->nulls = 0;
    st->bmin.len = st->bmax.len = 0;
}

void lake__column_dispose(lake__column_writer *c) {
    lake__free(c->defs);
    lake__free(c->reps);
    lake__free(c->indices);
    lake__free(c->seen);
    lake__buf_dispose(&c->plain);
    lake__buf_dispose(&c->pages);
    lake__buf_dispose(&c->dict_page);
    for (int k = 0; k < 2; k++) {
        lake__stage *st = &c->stages[k];
        for (size_t i = 0; i < st->cap; i++) lake__stats_dispose(&st->pages[i].stats);
        lake__free(st->pages);
        lake__buf_dispose(&st->raw);
    }
    lake__dict_dispose(&c->dict);
    lake__stats_dispose(&c->page_stats);
    lake__stats_dispose(&c->meta.stats);
}

/* ---- statistics */

/* Byte order of a leaf's values: FLBA decimals compare as signed big-endian
 * integers, everything else in bytes compares unsigned. */
static int compare_bytes(const lake__leaf *l, const void *a, size_t an, const void *b, size_t bn) {
    const unsigned char *x = a, *y = b;
    if (l->type == LAKE_DECIMAL && an && bn && (x[0] ^ y[0]) & 0x80) return (x[0] & 0x80) ? -1 : 1;
    size_t n = an < bn ? an : bn;
    if (n >= 8) { /* most orderings are settled by the first 8 bytes: compare them as one integer */
        uint64_t p, q;
        memcpy(&p, x, 8), memcpy(&q, y, 8);
        if (p != q) return __builtin_bswap64(p) < __builtin_bswap64(q) ? -1 : 1;
    }
    int r = n ? memcmp(x, y, n) : 0;
    return r ? r : (an > bn) - (an < bn);
}

static void stats_bytes(const lake__leaf *l, lake__stats *st, const void *v, size_t n) {
    if (!st->any) {
        lake__buf_put(&st->bmin, v, n);
        lake__buf_put(&st->bmax, v, n);
        st->any = true;
        return;
    }
    if (compare_bytes(l, v, n, st->bmin.data, st->bmin.len) < 0) st->bmin.len = 0, lake__buf_put(&st->bmin, v, n);
    else if (compare_bytes(l, v, n, st->bmax.data, st->bmax.len) > 0) st->bmax.len = 0, lake__buf_put(&st->bmax, v, n);
}

static void stats_int(lake__stats *st, int64_t v) {
    if (!st->any) st->imin = st->imax = v, st->any = true;
    else if (v < st->imin) st->imin = v;
    else if (v > st->imax) st->imax = v;
}

static void stats_float(lake__stats *st, double v) {
    if (isnan(v)) return; /* NaN has no place in an ordering */
    if (!st->any) {
        st->fmin = st->fmax = v;
        st->any = true;
        return;
    }
    if (v < st->fmin) st->fmin = v;
    if (v > st->fmax) st->fmax = v;
}

void lake__stats_merge(const lake__leaf *l, lake__stats *into, const lake__stats *from) {
    into->nulls += from->nulls;
    if (!from->any) return;
    switch (l->physical) {
    case LAKE__PQ_FLOAT:
    case LAKE__PQ_DOUBLE:
        stats_float(into, from->fmin);
        stats_float(into, from->fmax);
        break;
    case LAKE__PQ_BYTE_ARRAY:
    case LAKE__PQ_FIXED_LEN_BYTE_ARRAY:
        stats_bytes(l, into, from->bmin.data, from->bmin.len);
        stats_bytes(l, into, from->bmax.data, from->bmax.len);
        break;
    default:
        stats_int(into, from->imin);
        stats_int(into, from->imax);
    }
}

/* ---- values */

/* Makes room for `more` entries; the arrays keep their size from page to page. */
static inline int reserve_u32(uint32_t **arr, size_t n, size_t *cap, size_t more) {
    if (n + more <= *cap) return 0;
    size_t nc = *cap ? *cap : 4096;
    while (nc < n + more) nc *= 2;
    uint32_t *p = lake__realloc(*arr, *cap * sizeof *p, nc * sizeof *p);
    if (!p) return -1;
    *arr = p, *cap = nc;
    return 0;
}

static int flush_page(lake__column_writer *c, lake__page_scratch *s);

/* Counts one value (PLAIN bytes; BYTE_ARRAY content) in the page statistics. */
static void value_stats(lake__column_writer *c, const void *v, size_t n) {
    const lake__leaf *l = c->leaf;
    switch (l->physical) {
    case LAKE__PQ_BOOLEAN: stats_int(&c->page_stats, *(const bool *)v); break;
    case LAKE__PQ_INT32: {
        int32_t x;
        memcpy(&x, v, 4);
        stats_int(&c->page_stats, x);
        break;
    }
    case LAKE__PQ_INT64: {
        int64_t x;
        memcpy(&x, v, 8);
        stats_int(&c->page_stats, x);
        break;
    }
    case LAKE__PQ_FLOAT: {
        float x;
        memcpy(&x, v, 4);
        stats_float(&c->page_stats, x);
        break;
    }
    case LAKE__PQ_DOUBLE: {
        double x;
        memcpy(&x, v, 8);
        stats_float(&c->page_stats, x);
        break;
    }
    default: stats_bytes(l, &c->page_stats, v, n);
    }
}

static inline int put_levels(lake__column_writer *c, uint32_t rep, uint32_t def);

int lake__column_put_value(lake__column_writer *c, const void *v, size_t n, uint32_t rep) {
    const lake__leaf *l = c->leaf;
    if (put_levels(c, rep, l->max_def)) return -1;
    if (l->physical == LAKE__PQ_BOOLEAN) {
        /* PLAIN booleans are bit-packed, least significant bit first */
        if (c->bool_bits % 8 == 0 && lake__buf_putc(&c->plain, 0)) return -1;
        if (*(const bool *)v) c->plain.data[c->plain.len - 1] |= (char)(1 << (c->bool_bits % 8));
        c->bool_bits++;
        value_stats(c, v, n);
    } else {
        if (c->dict_mode) {
            if (reserve_u32(&c->indices, c->nindices, &c->indices_cap, 1)) return -1;
            int64_t i = lake__dict_index(&c->dict, v, n);
            if (i < 0) return -1;
            c->indices[c->nindices++] = (uint32_t)i;
            /* A dictionary entry already counted in this page's statistics adds nothing. */
            if ((size_t)i >= c->seen_cap) {
                size_t cap = c->seen_cap ? c->seen_cap * 2 : 1024;
                while (cap <= (size_t)i) cap *= 2;
                uint32_t *p = lake__realloc(c->seen, c->seen_cap * sizeof *p, cap * sizeof *p);
                if (!p) return -1;
                memset(p + c->seen_cap, 0, (cap - c->seen_cap) * sizeof *p);
                c->seen = p, c->seen_cap = cap;
            }
            if (c->seen[i] != c->page_no) {
                c->seen[i] = c->page_no;
                value_stats(c, v, n);
            }
        } else {
            value_stats(c, v, n);
            if (l->physical == LAKE__PQ_BYTE_ARRAY) {
                uint8_t len[4] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24)};
                lake__buf_put(&c->plain, len, 4);
            }
            if (lake__buf_put(&c->plain, v, n)) return -1;
        }
    }
    c->page_values++;
    /* Switching to PLAIN needs a new page, and a page ends only between
     * records (lake__column_page_due): until then the page keeps its indices. */
    if (c->dict_mode && c->dict.count == DICTIONARY_PROBE && !c->probed) {
        /* Nearly every value new so far: a dictionary would only cost time and
         * bytes (ids, emails, timestamps), so the chunk goes PLAIN from here. */
        c->probed = true;
        if (c->dict.count * 5 > (c->meta.num_values + c->page_values) * 4) c->plain_due = true;
    }
    /* Too many distinct values: this page keeps its indices, the rest of the chunk is PLAIN. */
    if (c->dict_mode && c->dict.plain.len > c->dictionary_bytes) c->plain_due = true;
    return 0;
}

static inline int put_levels(lake__column_writer *c, uint32_t rep, uint32_t def) {
    if (c->def_bits) {
        if (reserve_u32(&c->defs, c->nlevels, &c->defs_cap, 1)) return -1;
        c->defs[c->nlevels] = def;
    }
    if (c->rep_bits) {
        if (reserve_u32(&c->reps, c->nlevels, &c->reps_cap, 1)) return -1;
        c->reps[c->nlevels] = rep;
    }
    c->nlevels++;
    return 0;
}

int lake__column_put_null(lake__column_writer *c, uint32_t rep, uint32_t def) {
    c->page_stats.nulls++;
    c->page_values++;
    return put_levels(c, rep, def);
}

int lake__column_end_page(lake__column_writer *c, lake__page_scratch *s) {
    if (flush_page(c, s)) return -1;
    if (c->plain_due) c->dict_mode = false, c->plain_due = false;
    return 0;
}

int lake__column_append_constant(lake__column_writer *c, lake__page_scratch *s, const char *text, size_t count) {
    size_t n = strlen(text);
    for (size_t r = 0; r < count;) {
        /* the first of a page's run takes the whole path (dictionary, statistics, probes) */
        if ((lake__column_page_due(c) && lake__column_end_page(c, s)) || lake__column_put_value(c, text, n, 0))
            return LAKE_ENOMEM;
        r++;
        if (!c->dict_mode) continue;
        /* the same value again, to the page's end: its levels and its index, already looked up and counted */
        uint32_t index = c->indices[c->nindices - 1];
        for (; r < count && !lake__column_page_due(c); r++) {
            if (put_levels(c, 0, c->leaf->max_def) || reserve_u32(&c->indices, c->nindices, &c->indices_cap, 1))
                return LAKE_ENOMEM;
            c->indices[c->nindices++] = index;
            c->page_values++;
        }
    }
    return LAKE_OK;
}

size_t lake__column_buffered(const lake__column_writer *c) {
    /* deferred, meta.uncompressed grows on the thread compressing the pages */
    size_t pages = c->deferred ? c->staged_bytes : (size_t)c->meta.uncompressed;
    return pages + lake__column_page_size(c) + c->dict.plain.len;
}

/* ---- pages */

void lake__write_statistics(lake__thrift *t, int16_t id, const lake__leaf *l, const lake__stats *st) {
    lake__thrift_struct_begin(t, id);
    unsigned char min[8], max[8];
    const void *pmin = min, *pmax = max;
    size_t nmin = 0, nmax = 0;
    bool exact_min = true, exact_max = true, have_max = st->any;
    unsigned char trunc_max[MAX_STAT_BYTES];
    if (st->any) {
        switch (l->physical) {
        case LAKE__PQ_BOOLEAN: min[0] = (unsigned char)st->imin, max[0] = (unsigned char)st->imax, nmin = nmax = 1; break;
        case LAKE__PQ_INT32: { int32_t a = (int32_t)st->imin, b = (int32_t)st->imax; memcpy(min, &a, 4); memcpy(max, &b, 4); nmin = nmax = 4; break; }
        case LAKE__PQ_INT64: memcpy(min, &st->imin, 8); memcpy(max, &st->imax, 8); nmin = nmax = 8; break;
        case LAKE__PQ_FLOAT: {
            /* Readers expect -0 as a zero minimum and +0 as a zero maximum. */
            float a = st->fmin == 0 ? -0.0f : (float)st->fmin, b = st->fmax == 0 ? 0.0f : (float)st->fmax;
            memcpy(min, &a, 4), memcpy(max, &b, 4), nmin = nmax = 4;
            break;
        }
        case LAKE__PQ_DOUBLE: {
            double a = st->fmin == 0 ? -0.0 : st->fmin, b = st->fmax == 0 ? 0.0 : st->fmax;
            memcpy(min, &a, 8), memcpy(max, &b, 8), nmin = nmax = 8;
            break;
        }
        default:
            pmin = st->bmin.data, nmin = st->bmin.len;
            pmax = st->bmax.data, nmax = st->bmax.len;
            if (l->physical == LAKE__PQ_BYTE_ARRAY && nmin > MAX_STAT_BYTES) nmin = MAX_STAT_BYTES, exact_min = false;
            if (l->physical == LAKE__PQ_BYTE_ARRAY && nmax > MAX_STAT_BYTES) {
                /* A shorter upper bound: the prefix with its last byte that can grow, grown. */
                memcpy(trunc_max, pmax, MAX_STAT_BYTES);
                size_t k = MAX_STAT_BYTES;
                while (k > 0 && trunc_max[k - 1] == 0xFF) k--;
                have_max = k > 0;
                if (k) trunc_max[k - 1]++;
                pmax = trunc_max, nmax = k, exact_max = false;
            }
        }
    }
    lake__thrift_i64(t, 3, (int64_t)st->nulls);
    if (st->any && have_max) lake__thrift_binary(t, 5, pmax, nmax);
    if (st->any) lake__thrift_binary(t, 6, pmin, nmin);
    if (st->any && have_max) lake__thrift_bool(t, 7, exact_max);
    if (st->any) lake__thrift_bool(t, 8, exact_min);
    lake__thrift_struct_end(t);
}

/* What a data page's header says besides its sizes. */
typedef struct page_info {
    int type, encoding;
    size_t values;
    const lake__stats *stats;
} page_info;

/* Compresses a followed by b (the page's bytes) and appends header + payload to `out`. */
static int emit_page(lake__column_writer *c, lake__page_scratch *s, const page_info *p, const void *a, size_t alen,
                     const void *b, size_t blen, lake__buf *out) {
    s->compressed.len = 0;
    if (lake__codec_compress2(&s->codec, a, alen, b, blen, &s->joined, &s->compressed)) return -1;
    size_t raw_len = alen + blen;
    s->header.len = 0;
    lake__thrift t;
    lake__thrift_init(&t, &s->header);
    lake__thrift_i32(&t, 1, p->type);
    lake__thrift_i32(&t, 2, (int32_t)raw_len);
    lake__thrift_i32(&t, 3, (int32_t)s->compressed.len);
    if (p->type == PAGE_DATA) {
        lake__thrift_struct_begin(&t, 5);
        lake__thrift_i32(&t, 1, (int32_t)p->values);
        lake__thrift_i32(&t, 2, p->encoding);
        lake__thrift_i32(&t, 3, ENC_RLE);
        lake__thrift_i32(&t, 4, ENC_RLE);
        lake__write_statistics(&t, 5, c->leaf, p->stats);
        lake__thrift_struct_end(&t);
    } else {
        lake__thrift_struct_begin(&t, 7);
        lake__thrift_i32(&t, 1, (int32_t)p->values);
        lake__thrift_i32(&t, 2, ENC_PLAIN);
        lake__thrift_struct_end(&t);
    }
    lake__thrift_struct_end(&t);
    if (s->header.failed) return -1;
    c->meta.uncompressed += (int64_t)(s->header.len + raw_len);
    c->meta.compressed += (int64_t)(s->header.len + s->compressed.len);
    if (lake__buf_put(out, s->header.data, s->header.len) || lake__buf_put(out, s->compressed.data, s->compressed.len))
        return -1;
    return 0;
}

/* Holds a data page, uncompressed, in the stage being filled: its bytes are
 * copied, its statistics swapped in (the page's own start empty). */
static int stage_page(lake__column_writer *c, const page_info *p, const void *a, size_t alen, const void *b,
                      size_t blen) {
    lake__stage *st = &c->stages[c->filling];
    if (st->count == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 4;
        lake__staged_page *q = lake__realloc(st->pages, st->cap * sizeof *q, cap * sizeof *q);
        if (!q) return -1;
        memset(q + st->cap, 0, (cap - st->cap) * sizeof *q);
        st->pages = q, st->cap = cap;
    }
    /* a page may have no second part (b NULL): memcpy must not see NULL, even for 0 bytes */
    if ((alen && lake__buf_put(&st->raw, a, alen)) || (blen && lake__buf_put(&st->raw, b, blen))) return -1;
    lake__staged_page *sp = &st->pages[st->count++];
    sp->encoding = p->encoding;
    sp->values = p->values;
    sp->len = alen + blen;
    lake__stats t = sp->stats;
    sp->stats = c->page_stats;
    c->page_stats = t;
    stats_clear(&c->page_stats);
    c->staged_bytes += sp->len;
    return 0;
}

/* Compresses one stage's pages, in order, onto the chunk. */
static int compress_stage(lake__column_writer *c, lake__page_scratch *s, lake__stage *st) {
    size_t at = 0;
    for (size_t i = 0; i < st->count; i++) {
        lake__staged_page *sp = &st->pages[i];
        page_info p = {PAGE_DATA, sp->encoding, sp->values, &sp->stats};
        if (emit_page(c, s, &p, st->raw.data + at, sp->len, NULL, 0, &c->pages)) return -1;
        at += sp->len;
        stats_clear(&sp->stats);
    }
    st->count = 0;
    st->raw.len = 0;
    return 0;
}

int lake__column_compress_staged(lake__column_writer *c, lake__page_scratch *s) {
    return compress_stage(c, s, &c->stages[!c->filling]) ? LAKE_ENOMEM : LAKE_OK;
}

static void put_levels_run(lake__buf *raw, const uint32_t *levels, size_t n, unsigned bits) {
    lake__buf_put(raw, "\0\0\0\0", 4);
    size_t start = raw->len;
    lake__rle_encode(raw, levels, n, bits);
    if (raw->failed) return;
    uint32_t len = (uint32_t)(raw->len - start);
    for (int i = 0; i < 4; i++) raw->data[start - 4 + i] = (char)(len >> (8 * i));
}

static int flush_page(lake__column_writer *c, lake__page_scratch *s) {
    if (c->page_values == 0) return 0;
    /* A bound whose copy ran out of memory is a wrong bound: fail, here
     * rather than per value, instead of writing it. */
    if (c->page_stats.bmin.failed || c->page_stats.bmax.failed) return -1;
    lake__buf *raw = &s->raw;
    raw->len = 0;
    /* repetition levels, then definition levels: each a 4-byte length, then the
     * hybrid encoding at the bit width of the leaf's maximum level */
    if (c->rep_bits) put_levels_run(raw, c->reps, c->nlevels, c->rep_bits);
    if (c->def_bits) put_levels_run(raw, c->defs, c->nlevels, c->def_bits);
    bool dict = c->dict_mode && c->nindices > 0;
    if (dict) {
        unsigned bw = lake__bit_width(c->dict.count > 1 ? (uint32_t)(c->dict.count - 1) : 1);
        lake__buf_putc(raw, (char)bw);
        lake__rle_encode(raw, c->indices, c->nindices, bw);
        c->meta.dictionary = true;
    } else {
        c->meta.plain = true;
    }
    if (raw->failed) return -1;
    page_info p = {PAGE_DATA, dict ? ENC_RLE_DICTIONARY : ENC_PLAIN, c->page_values, &c->page_stats};
    const void *body = dict ? NULL : c->plain.data;
    size_t body_len = dict ? 0 : c->plain.len;
    lake__stats_merge(c->leaf, &c->meta.stats, &c->page_stats);
    if (c->meta.stats.bmin.failed || c->meta.stats.bmax.failed) return -1;
    if (c->deferred ? stage_page(c, &p, raw->data, raw->len, body, body_len)
                    : emit_page(c, s, &p, raw->data, raw->len, body, body_len, &c->pages))
        return -1;
    c->meta.num_values += (int64_t)c->page_values;
    stats_clear(&c->page_stats);
    c->nlevels = c->nindices = 0;
    c->plain.len = 0;
    c->bool_bits = 0;
    c->page_values = 0;
    c->page_no++;
    return 0;
}

int lake__column_seal(lake__column_writer *c, lake__page_scratch *s) {
    /* the stage waiting for compression holds the older pages */
    if (flush_page(c, s) || compress_stage(c, s, &c->stages[!c->filling]) ||
        compress_stage(c, s, &c->stages[c->filling]))
        return LAKE_ENOMEM;
    c->dict_page.len = 0;
    if (!c->meta.dictionary) return LAKE_OK;
    page_info p = {PAGE_DICTIONARY, ENC_PLAIN, c->dict.count, NULL};
    return emit_page(c, s, &p, NULL, 0, c->dict.plain.data, c->dict.plain.len, &c->dict_page) ? LAKE_ENOMEM : LAKE_OK;
}

void lake__column_take_meta(lake__column_writer *c, int64_t at, lake__chunk_meta *out) {
    c->meta.dictionary_page_offset = c->meta.dictionary ? at : -1;
    c->meta.data_page_offset = at + (int64_t)c->dict_page.len;
    *out = c->meta;
    memset(&c->meta, 0, sizeof c->meta);
    c->meta.dictionary_page_offset = -1;
    c->staged_bytes = 0;
    lake__dict_reset(&c->dict);
    c->dict_mode = c->leaf->physical != LAKE__PQ_BOOLEAN;
    c->plain_due = c->probed = false;
    c->page_no++; /* stale marks of the old dictionary never match */
}
