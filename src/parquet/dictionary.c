/* SPDX-License-Identifier: MIT */
#include "parquet/dictionary.h"

#include <string.h>

#include "util/alloc.h"

void lake__dict_init(lake__dict *d, bool length_prefixed) {
    memset(d, 0, sizeof *d);
    d->length_prefixed = length_prefixed;
}

void lake__dict_reset(lake__dict *d) {
    d->plain.len = 0;
    d->count = 0;
    if (d->slots) memset(d->slots, 0, d->slot_count * sizeof *d->slots);
}

void lake__dict_dispose(lake__dict *d) {
    lake__buf_dispose(&d->plain);
    lake__free(d->slots);
    lake__free(d->offsets);
    lake__free(d->lengths);
    lake__free(d->short_values);
    memset(d, 0, sizeof *d);
}

/* Up to 8 bytes as one integer, zero-padded. Fixed-size copies become single
 * loads; building the value in registers avoids store-forwarding stalls. */
static inline uint64_t load_short(const unsigned char *p, size_t len) {
    switch (len) {
    case 8: { uint64_t x; memcpy(&x, p, 8); return x; }
    case 4: { uint32_t x; memcpy(&x, p, 4); return x; }
    case 2: { uint16_t x; memcpy(&x, p, 2); return x; }
    default: {
        uint64_t x = 0;
        for (size_t i = 0; i < len; i++) x |= (uint64_t)p[i] << (8 * i);
        return x;
    }
    }
}

static inline uint64_t mix(uint64_t h, uint64_t w) {
    h = (h ^ (w * 0xBF58476D1CE4E5B9u)) * 0x94D049BB133111EBu;
    return h ^ (h >> 31);
}

/* A fast non-cryptographic hash (multiply-xorshift over 8-byte words). */
static uint64_t hash(const void *data, size_t len) {
    const unsigned char *p = data;
    uint64_t h = 0x9E3779B97F4A7C15u ^ (len * 0xC2B2AE3D27D4EB4Fu);
    while (len > 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = mix(h, w);
        p += 8, len -= 8;
    }
    h = mix(h, load_short(p, len));
    return h ^ (h >> 29);
}

static int grow_slots(lake__dict *d) {
    size_t n = d->slot_count ? d->slot_count * 2 : 1024;
    uint64_t *slots = lake__calloc(n, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < d->count; i++) {
        uint64_t h = hash(d->plain.data + d->offsets[i], d->lengths[i]);
        size_t at = h & (n - 1);
        while (slots[at]) at = (at + 1) & (n - 1);
        slots[at] = (h >> 32 << 32) | (i + 1);
    }
    lake__free(d->slots);
    d->slots = slots;
    d->slot_count = n;
    return 0;
}

int64_t lake__dict_index(lake__dict *d, const void *value, size_t len) {
    if (d->count * 2 >= d->slot_count && grow_slots(d)) return -1;
    uint64_t h = hash(value, len), tag = h >> 32 << 32;
    bool is_short = len <= 8;
    uint64_t sv = is_short ? load_short(value, len) : 0;
    size_t mask = d->slot_count - 1, at = h & mask;
    for (;;) {
        uint64_t s = d->slots[at];
        if (!s) break;
        if ((s & 0xFFFFFFFF00000000u) == tag) {
            size_t i = (size_t)(s & 0xFFFFFFFFu) - 1;
            if (d->lengths[i] == len &&
                (is_short ? d->short_values[i] == sv : memcmp(d->plain.data + d->offsets[i], value, len) == 0))
                return (int64_t)i;
        }
        at = (at + 1) & mask;
    }
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        uint64_t *o = lake__realloc(d->offsets, d->cap * sizeof *o, cap * sizeof *o);
        if (!o) return -1;
        d->offsets = o;
        uint32_t *l = lake__realloc(d->lengths, d->cap * sizeof *l, cap * sizeof *l);
        if (!l) return -1;
        d->lengths = l;
        uint64_t *sv2 = lake__realloc(d->short_values, d->cap * sizeof *sv2, cap * sizeof *sv2);
        if (!sv2) return -1;
        d->short_values = sv2;
        d->cap = cap;
    }
    if (d->length_prefixed) {
        uint8_t n[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24)};
        lake__buf_put(&d->plain, n, 4);
    }
    d->offsets[d->count] = d->plain.len;
    d->lengths[d->count] = (uint32_t)len;
    d->short_values[d->count] = sv;
    if (lake__buf_put(&d->plain, value, len)) return -1;
    d->slots[at] = tag | (d->count + 1);
    return (int64_t)d->count++;
}
