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
    memset(d, 0, sizeof *d);
}

/* A fast non-cryptographic hash (multiply-xorshift over 8-byte words). */
static uint64_t hash(const void *data, size_t len) {
    const unsigned char *p = data;
    uint64_t h = 0x9E3779B97F4A7C15u ^ (len * 0xC2B2AE3D27D4EB4Fu);
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ (w * 0xBF58476D1CE4E5B9u)) * 0x94D049BB133111EBu;
        h ^= h >> 31;
        p += 8, len -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, len);
    h = (h ^ (w * 0xBF58476D1CE4E5B9u)) * 0x94D049BB133111EBu;
    return h ^ (h >> 29);
}

/* Fixed-width values compare as integers, without a call. */
static inline bool same(const void *a, const void *b, size_t len) {
    switch (len) {
    case 4: {
        uint32_t x, y;
        memcpy(&x, a, 4), memcpy(&y, b, 4);
        return x == y;
    }
    case 8: {
        uint64_t x, y;
        memcpy(&x, a, 8), memcpy(&y, b, 8);
        return x == y;
    }
    case 16: {
        uint64_t x[2], y[2];
        memcpy(x, a, 16), memcpy(y, b, 16);
        return x[0] == y[0] && x[1] == y[1];
    }
    default: return memcmp(a, b, len) == 0;
    }
}

static int grow_slots(lake__dict *d) {
    size_t n = d->slot_count ? d->slot_count * 2 : 1024;
    uint32_t *slots = lake__calloc(n, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < d->count; i++) {
        size_t at = hash(d->plain.data + d->offsets[i], d->lengths[i]) & (n - 1);
        while (slots[at]) at = (at + 1) & (n - 1);
        slots[at] = (uint32_t)i + 1;
    }
    lake__free(d->slots);
    d->slots = slots;
    d->slot_count = n;
    return 0;
}

int64_t lake__dict_index(lake__dict *d, const void *value, size_t len) {
    if (d->count * 2 >= d->slot_count && grow_slots(d)) return -1;
    size_t mask = d->slot_count - 1, at = hash(value, len) & mask;
    for (;;) {
        uint32_t s = d->slots[at];
        if (!s) break;
        size_t i = s - 1;
        if (d->lengths[i] == len && same(d->plain.data + d->offsets[i], value, len)) return (int64_t)i;
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
        d->cap = cap;
    }
    if (d->length_prefixed) {
        uint8_t n[4] = {(uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24)};
        lake__buf_put(&d->plain, n, 4);
    }
    d->offsets[d->count] = d->plain.len;
    d->lengths[d->count] = (uint32_t)len;
    if (lake__buf_put(&d->plain, value, len)) return -1;
    d->slots[at] = (uint32_t)d->count + 1;
    return (int64_t)d->count++;
}
