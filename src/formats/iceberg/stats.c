/* SPDX-License-Identifier: MIT */
#include "formats/iceberg/stats.h"

#include <math.h>
#include <string.h>

#include "error/error.h"
#include "formats/iceberg/transform.h"
#include "util/arena.h"
#include "util/utf8.h"

size_t lake__iceberg_upper_text(const unsigned char *s, size_t len, size_t n, bool binary, unsigned char *out) {
    size_t keep = binary ? (len < n ? len : n) : lake__iceberg_truncate_text((const char *)s, len, (int32_t)n);
    if (keep == len) {
        memcpy(out, s, len); /* nothing cut: the value itself bounds */
        return len;
    }
    memcpy(out, s, keep);
    while (keep) {
        if (binary) {
            if (out[keep - 1] < 0xff) {
                out[keep - 1]++;
                return keep;
            }
            keep--;
            continue;
        }
        size_t start = keep - 1;
        while (start && (out[start] & 0xc0) == 0x80) start--;
        uint32_t cp;
        lake__utf8_decode(out + start, keep - start, &cp);
        /* the next code point that is a character (not a surrogate), if any */
        uint32_t next = cp + 1 == 0xd800 ? 0xe000 : cp + 1;
        if (next <= 0x10ffff) {
            unsigned char buf[4];
            size_t w = next < 0x80 ? 1 : next < 0x800 ? 2 : next < 0x10000 ? 3 : 4;
            if (w == 1) buf[0] = (unsigned char)next;
            else if (w == 2) buf[0] = (unsigned char)(0xc0 | next >> 6), buf[1] = (unsigned char)(0x80 | (next & 0x3f));
            else if (w == 3)
                buf[0] = (unsigned char)(0xe0 | next >> 12), buf[1] = (unsigned char)(0x80 | ((next >> 6) & 0x3f)),
                buf[2] = (unsigned char)(0x80 | (next & 0x3f));
            else
                buf[0] = (unsigned char)(0xf0 | next >> 18), buf[1] = (unsigned char)(0x80 | ((next >> 12) & 0x3f)),
                buf[2] = (unsigned char)(0x80 | ((next >> 6) & 0x3f)), buf[3] = (unsigned char)(0x80 | (next & 0x3f));
            memcpy(out + start, buf, w);
            return start + w;
        }
        keep = start;
    }
    return 0;
}

/* One bound of a leaf into out (room for 64 bytes): its length, or 0 for none. */
static size_t bound(const lake__leaf *l, const lake__stats *st, bool is_max, unsigned char *out) {
    if (!st->any) return 0;
    switch (l->physical) {
    case LAKE__PQ_BOOLEAN: out[0] = (is_max ? st->imax : st->imin) != 0; return 1;
    case LAKE__PQ_FLOAT: case LAKE__PQ_DOUBLE: {
        double x = is_max ? st->fmax : st->fmin;
        if (isnan(x)) return 0;
        if (l->physical == LAKE__PQ_FLOAT) {
            float f = (float)x;
            uint32_t bits;
            memcpy(&bits, &f, 4);
            return lake__iceberg_le(out, bits, 4);
        }
        uint64_t bits;
        memcpy(&bits, &x, 8);
        return lake__iceberg_le(out, bits, 8);
    }
    case LAKE__PQ_INT32: case LAKE__PQ_INT64: {
        int64_t x = is_max ? st->imax : st->imin;
        if (l->type == LAKE_DECIMAL) return lake__iceberg_decimal_bytes(x, out);
        return lake__iceberg_le(out, (uint64_t)x, l->physical == LAKE__PQ_INT32 ? 4 : 8);
    }
    case LAKE__PQ_FIXED_LEN_BYTE_ARRAY: {
        const lake__buf *b = is_max ? &st->bmax : &st->bmin;
        const unsigned char *p = (const unsigned char *)b->data;
        if (l->type == LAKE_DECIMAL) {
            lake__i128 x = b->len && (p[0] & 0x80) ? -1 : 0;
            for (size_t i = 0; i < b->len; i++) x = (lake__i128)(((unsigned __int128)x << 8) | p[i]);
            return lake__iceberg_decimal_bytes(x, out);
        }
        if (b->len > 16) return 0;
        memcpy(out, p, b->len); /* a UUID's 16 bytes */
        return b->len;
    }
    case LAKE__PQ_BYTE_ARRAY: {
        const lake__buf *b = is_max ? &st->bmax : &st->bmin;
        const unsigned char *p = (const unsigned char *)(b->data ? b->data : "");
        bool binary = l->type == LAKE_BYTES;
        if (!is_max) {
            size_t n = binary ? (b->len < LAKE__ICEBERG_TRUNCATE ? b->len : LAKE__ICEBERG_TRUNCATE)
                              : lake__iceberg_truncate_text((const char *)p, b->len, LAKE__ICEBERG_TRUNCATE);
            memcpy(out, p, n);
            return n ? n : (size_t)-1; /* an empty lower bound is a bound */
        }
        size_t n = lake__iceberg_upper_text(p, b->len, LAKE__ICEBERG_TRUNCATE, binary, out);
        return n ? n : (b->len ? 0 : (size_t)-1);
    }
    default: return 0;
    }
}

int lake__iceberg_file_stats(const lake__leaf_summary *leaves, size_t count, lake_arena *arena,
                             lake__iceberg_data_file *out, lake_error *err) {
    size_t n = 0;
    for (size_t i = 0; i < count; i++) n += leaves[i].leaf->field_id > 0;
    int32_t *ids = lake__arena_alloc(arena, (n ? n : 1) * sizeof *ids, _Alignof(int32_t));
    int64_t *values = lake__arena_alloc(arena, (n ? n : 1) * sizeof *values, _Alignof(int64_t));
    int64_t *nulls = lake__arena_alloc(arena, (n ? n : 1) * sizeof *nulls, _Alignof(int64_t));
    const unsigned char **lower = lake__arena_alloc(arena, (n ? n : 1) * sizeof *lower, _Alignof(void *));
    const unsigned char **upper = lake__arena_alloc(arena, (n ? n : 1) * sizeof *upper, _Alignof(void *));
    size_t *lower_lens = lake__arena_alloc(arena, (n ? n : 1) * sizeof *lower_lens, _Alignof(size_t));
    size_t *upper_lens = lake__arena_alloc(arena, (n ? n : 1) * sizeof *upper_lens, _Alignof(size_t));
    if (!ids || !values || !nulls || !lower || !upper || !lower_lens || !upper_lens)
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        const lake__leaf *l = leaves[i].leaf;
        if (l->field_id <= 0) continue;
        ids[k] = l->field_id;
        values[k] = leaves[i].values;
        nulls[k] = (int64_t)leaves[i].stats.nulls;
        for (int side = 0; side < 2; side++) {
            unsigned char buf[4 * LAKE__ICEBERG_TRUNCATE + 8];
            size_t len = bound(l, &leaves[i].stats, side == 1, buf);
            const unsigned char **slot = side ? &upper[k] : &lower[k];
            size_t *slot_len = side ? &upper_lens[k] : &lower_lens[k];
            *slot = NULL, *slot_len = 0;
            if (!len) continue;
            if (len == (size_t)-1) len = 0;
            unsigned char *copy = lake__arena_alloc(arena, len ? len : 1, 1);
            if (!copy) return lake__error(err, LAKE_ENOMEM, "out of memory");
            memcpy(copy, buf, len);
            *slot = copy, *slot_len = len;
        }
        k++;
    }
    out->column_count = k;
    out->field_ids = ids;
    out->value_counts = values, out->null_counts = nulls;
    out->lower = lower, out->upper = upper;
    out->lower_lens = lower_lens, out->upper_lens = upper_lens;
    return LAKE_OK;
}
