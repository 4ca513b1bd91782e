/* SPDX-License-Identifier: MIT */
#include "parquet/rle.h"

unsigned lake__bit_width(uint32_t max_value) {
    unsigned w = 0;
    while (max_value) w++, max_value >>= 1;
    return w;
}

static void varint(lake__buf *out, uint64_t v) {
    uint8_t b[10];
    size_t n = 0;
    while (v >= 0x80) b[n++] = (uint8_t)(v | 0x80), v >>= 7;
    b[n++] = (uint8_t)v;
    lake__buf_put(out, b, n);
}

static size_t run_at(const uint32_t *v, size_t n, size_t i) {
    size_t j = i + 1;
    while (j < n && v[j] == v[i]) j++;
    return j - i;
}

static void rle_run(lake__buf *out, uint32_t value, size_t count, unsigned bit_width) {
    varint(out, (uint64_t)count << 1);
    for (unsigned b = 0; b < (bit_width + 7) / 8; b++) lake__buf_putc(out, (char)(value >> (8 * b)));
}

/* Packs values LSB-first; positions past n are zeros. */
static void packed_run(lake__buf *out, const uint32_t *v, size_t n, size_t from, size_t groups,
                       unsigned bit_width) {
    varint(out, (uint64_t)groups << 1 | 1);
    if (lake__buf_grow(out, groups * bit_width)) return;
    uint8_t *p = (uint8_t *)out->data + out->len;
    size_t bytes = groups * bit_width; /* 8 values per group: bit_width bytes */
    uint64_t acc = 0;
    unsigned bits = 0;
    for (size_t k = 0; k < groups * 8; k++) {
        acc |= (uint64_t)(from + k < n ? v[from + k] : 0) << bits;
        bits += bit_width;
        while (bits >= 8) {
            *p++ = (uint8_t)acc;
            acc >>= 8;
            bits -= 8;
        }
    }
    out->len += bytes;
    out->data[out->len] = '\0';
}

int lake__rle_encode(lake__buf *out, const uint32_t *v, size_t n, unsigned bit_width) {
    size_t i = 0;
    while (i < n) {
        size_t run = run_at(v, n, i);
        if (run >= 8) {
            rle_run(out, v[i], run, bit_width);
            i += run;
            continue;
        }
        /* A literal stretch, in whole groups of 8, until a long run starts. */
        size_t j = i;
        do j += 8;
        while (j < n && run_at(v, n, j) < 8);
        size_t end = j < n ? j : n;
        packed_run(out, v, n, i, (end - i + 7) / 8, bit_width);
        i = end;
    }
    return out->failed ? -1 : 0;
}
