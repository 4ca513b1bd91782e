/* SPDX-License-Identifier: MIT */
#include "parquet/column.h"

#include <math.h>
#include <string.h>

#include "parquet/rle.h"
#include "parquet/thrift.h"
#include "util/alloc.h"
#include "util/decimal.h"
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
    lake__free(c->levels);
    lake__free(c->indices);
    lake__free(c->seen);
    lake__buf_dispose(&c->plain);
    lake__buf_dispose(&c->pages);
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

static void stats_merge(const lake__leaf *l, lake__stats *into, const lake__stats *from) {
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

/* Makes room for `more` entries; appends then need no checks (pages only shrink the arrays). */
static int reserve_u32(uint32_t **arr, size_t n, size_t *cap, size_t more) {
    if (n + more <= *cap) return 0;
    size_t nc = *cap ? *cap : 4096;
    while (nc < n + more) nc *= 2;
    uint32_t *p = lake__realloc(*arr, *cap * sizeof *p, nc * sizeof *p);
    if (!p) return -1;
    *arr = p, *cap = nc;
    return 0;
}

static int reserve(lake__column_writer *c, size_t count) {
    if (c->leaf->nullable && reserve_u32(&c->levels, c->nlevels, &c->levels_cap, count)) return -1;
    if (c->dict_mode && reserve_u32(&c->indices, c->nindices, &c->indices_cap, count)) return -1;
    return 0;
}

static int flush_page(lake__column_writer *c, lake__page_scratch *s);

static size_t page_size(const lake__column_writer *c) {
    size_t v = c->dict_mode ? c->nindices * 4 : c->plain.len;
    return v + c->nlevels / 8;
}

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

/* Appends one non-null value given as its PLAIN bytes (for BYTE_ARRAY: the content). */
static int put_value(lake__column_writer *c, lake__page_scratch *s, const void *v, size_t n) {
    const lake__leaf *l = c->leaf;
    if (l->physical == LAKE__PQ_BOOLEAN) {
        /* PLAIN booleans are bit-packed, least significant bit first */
        if (c->bool_bits % 8 == 0 && lake__buf_putc(&c->plain, 0)) return -1;
        if (*(const bool *)v) c->plain.data[c->plain.len - 1] |= (char)(1 << (c->bool_bits % 8));
        c->bool_bits++;
        value_stats(c, v, n);
    } else {
        if (c->dict_mode) {
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
    if (c->dict_mode && c->dict.count == DICTIONARY_PROBE && !c->probed) {
        /* Nearly every value new so far: a dictionary would only cost time and
         * bytes (ids, emails, timestamps), so the chunk goes PLAIN from here. */
        c->probed = true;
        if (c->dict.count * 5 > (c->meta.num_values + c->page_values) * 4) {
            if (flush_page(c, s)) return -1;
            c->dict_mode = false;
            return 0;
        }
    }
    if (c->dict_mode && c->dict.plain.len > c->dictionary_bytes) {
        /* Too many distinct values: this page keeps its indices, the rest of the chunk is PLAIN. */
        if (flush_page(c, s)) return -1;
        c->dict_mode = false;
    } else if (page_size(c) >= c->page_bytes) {
        return flush_page(c, s);
    }
    return 0;
}

static inline int put_level(lake__column_writer *c, bool defined) {
    if (c->leaf->nullable) c->levels[c->nlevels++] = defined;
    return 0;
}

/* Reads the leaf's value from one record into its PLAIN bytes. Returns the
 * length, 0 for NULL, (size_t)-1 for a NULL that the column cannot hold. */
static size_t read_value(const lake__leaf *l, const unsigned char *rec, lake__page_scratch *s,
                         unsigned char buf[16], const void **out) {
    const unsigned char *p = rec + l->offset;
    if (l->optional_value && !*(const bool *)(rec + l->valid_offset)) return 0;
    *out = buf;
    switch (l->type) {
    case LAKE_BOOL: *out = p; return 1;
    case LAKE_INT8: { int32_t x = *(const int8_t *)p; memcpy(buf, &x, 4); return 4; }
    case LAKE_INT16: { int32_t x = *(const int16_t *)p; memcpy(buf, &x, 4); return 4; }
    case LAKE_INT32: case LAKE_DATE: case LAKE_FLOAT32: *out = p; return 4;
    case LAKE_INT64: case LAKE_TIMESTAMP: case LAKE_FLOAT64: *out = p; return 8;
    case LAKE_STRING: case LAKE_BYTES: case LAKE_JSON: {
        const lake_str *v = (const lake_str *)p;
        if (!v->ptr) return l->nullable ? 0 : (size_t)-1;
        *out = v->len ? v->ptr : "";
        return v->len ? v->len : (size_t)-2; /* an empty value, not NULL */
    }
    case LAKE_DECIMAL: {
        lake__i128 d = lake__dec_get(*(const lake_dec128 *)p);
        if (l->physical == LAKE__PQ_INT32) { int32_t x = (int32_t)d; memcpy(buf, &x, 4); return 4; }
        if (l->physical == LAKE__PQ_INT64) { int64_t x = (int64_t)d; memcpy(buf, &x, 8); return 8; }
        for (int i = l->type_length - 1; i >= 0; i--, d >>= 8) buf[i] = (unsigned char)d; /* big-endian */
        return (size_t)l->type_length;
    }
    case LAKE_UUID:
        if (!l->text) { *out = p; return 16; }
        /* fall through */
    case LAKE_SORTABLE_ID:
        *out = s->text;
        return lake__value_id_text(l->type, p, s->text);
    case LAKE_STRUCT: case LAKE_LIST: case LAKE_MAP: break; /* not leaves */
    }
    return 0;
}

int lake__column_append(lake__column_writer *c, lake__page_scratch *s, const unsigned char *records,
                        size_t count, size_t record_size, size_t *bad_row) {
    unsigned char buf[16];
    if (reserve(c, count)) return LAKE_ENOMEM;
    for (size_t r = 0; r < count; r++) {
        const void *v = NULL;
        size_t n = read_value(c->leaf, records + r * record_size, s, buf, &v);
        if (n == (size_t)-1) {
            *bad_row = r;
            return LAKE_EVALIDATION;
        }
        if (n == 0) {
            c->page_stats.nulls++;
            c->page_values++;
            if (put_level(c, false)) return LAKE_ENOMEM;
            if (page_size(c) >= c->page_bytes && flush_page(c, s)) return LAKE_ENOMEM;
            continue;
        }
        if (n == (size_t)-2) n = 0;
        if (put_level(c, true) || put_value(c, s, v, n)) return LAKE_ENOMEM;
    }
    return LAKE_OK;
}

int lake__column_append_constant(lake__column_writer *c, lake__page_scratch *s, const char *text, size_t count) {
    size_t n = strlen(text);
    if (reserve(c, count)) return LAKE_ENOMEM;
    for (size_t r = 0; r < count; r++)
        if (put_level(c, true) || put_value(c, s, text, n)) return LAKE_ENOMEM;
    return LAKE_OK;
}

size_t lake__column_buffered(const lake__column_writer *c) {
    return (size_t)c->meta.uncompressed + page_size(c) + c->dict.plain.len;
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

/* Compresses s->raw followed by `body` and appends header + payload to `out`. */
static int emit_page(lake__column_writer *c, lake__page_scratch *s, int type, int encoding, const void *body,
                     size_t body_len, lake__buf *out) {
    s->compressed.len = 0;
    if (lake__codec_compress2(&s->codec, s->raw.data, s->raw.len, body, body_len, &s->joined, &s->compressed))
        return -1;
    size_t raw_len = s->raw.len + body_len;
    s->header.len = 0;
    lake__thrift t;
    lake__thrift_init(&t, &s->header);
    lake__thrift_i32(&t, 1, type);
    lake__thrift_i32(&t, 2, (int32_t)raw_len);
    lake__thrift_i32(&t, 3, (int32_t)s->compressed.len);
    if (type == PAGE_DATA) {
        lake__thrift_struct_begin(&t, 5);
        lake__thrift_i32(&t, 1, (int32_t)c->page_values);
        lake__thrift_i32(&t, 2, encoding);
        lake__thrift_i32(&t, 3, ENC_RLE);
        lake__thrift_i32(&t, 4, ENC_RLE);
        lake__write_statistics(&t, 5, c->leaf, &c->page_stats);
        lake__thrift_struct_end(&t);
    } else {
        lake__thrift_struct_begin(&t, 7);
        lake__thrift_i32(&t, 1, (int32_t)c->dict.count);
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

static int flush_page(lake__column_writer *c, lake__page_scratch *s) {
    if (c->page_values == 0) return 0;
    lake__buf *raw = &s->raw;
    raw->len = 0;
    if (c->leaf->nullable) {
        /* definition levels: a 4-byte length, then the hybrid encoding at bit width 1 */
        lake__buf_put(raw, "\0\0\0\0", 4);
        size_t start = raw->len;
        lake__rle_encode(raw, c->levels, c->nlevels, 1);
        uint32_t n = (uint32_t)(raw->len - start);
        for (int i = 0; i < 4; i++) raw->data[start - 4 + i] = (char)(n >> (8 * i));
    }
    bool dict = c->dict_mode && c->nindices > 0;
    if (dict) {
        unsigned bw = lake__bit_width(c->dict.count > 1 ? (uint32_t)(c->dict.count - 1) : 1);
        lake__buf_putc(raw, (char)bw);
        lake__rle_encode(raw, c->indices, c->nindices, bw);
        c->meta.dictionary = true;
    } else {
        c->meta.plain = true;
    }
    if (raw->failed || emit_page(c, s, PAGE_DATA, dict ? ENC_RLE_DICTIONARY : ENC_PLAIN, dict ? NULL : c->plain.data,
                                 dict ? 0 : c->plain.len, &c->pages))
        return -1;
    c->meta.num_values += (int64_t)c->page_values;
    stats_merge(c->leaf, &c->meta.stats, &c->page_stats);
    stats_clear(&c->page_stats);
    c->nlevels = c->nindices = 0;
    c->plain.len = 0;
    c->bool_bits = 0;
    c->page_values = 0;
    c->page_no++;
    return 0;
}

int lake__column_finish(lake__column_writer *c, lake__page_scratch *s, int64_t at, lake__emit_fn emit, void *ctx) {
    if (flush_page(c, s)) return LAKE_ENOMEM;
    c->meta.dictionary_page_offset = -1;
    if (c->meta.dictionary) {
        lake__buf dict_page = LAKE__BUF_INIT;
        s->raw.len = 0;
        if (emit_page(c, s, PAGE_DICTIONARY, ENC_PLAIN, c->dict.plain.data, c->dict.plain.len, &dict_page)) {
            lake__buf_dispose(&dict_page);
            return LAKE_ENOMEM;
        }
        c->meta.dictionary_page_offset = at;
        at += (int64_t)dict_page.len;
        int rc = emit(ctx, dict_page.data, dict_page.len);
        lake__buf_dispose(&dict_page);
        if (rc) return rc;
    }
    c->meta.data_page_offset = at;
    int rc = c->pages.len ? emit(ctx, c->pages.data, c->pages.len) : 0;
    c->pages.len = 0;
    c->dict.plain.len = 0; /* fully emitted */
    lake__dict_reset(&c->dict);
    c->dict_mode = c->leaf->physical != LAKE__PQ_BOOLEAN;
    c->probed = false;
    c->page_no++; /* stale marks of the old dictionary never match */
    return rc;
}

void lake__column_take_meta(lake__column_writer *c, lake__chunk_meta *out) {
    *out = c->meta;
    memset(&c->meta, 0, sizeof c->meta);
    c->meta.dictionary_page_offset = -1;
}
