/* SPDX-License-Identifier: MIT */
/* A column chunk's dictionary: distinct values in first-seen order, already
 * PLAIN-encoded for the dictionary page, with a hash index. */
#ifndef LAKE_PARQUET_DICTIONARY_H
#define LAKE_PARQUET_DICTIONARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

typedef struct lake__dict {
    lake__buf plain;        /* the dictionary page payload */
    uint64_t *slots;        /* 0: empty, else the hash's top 32 bits, then entry index + 1 */
    size_t slot_count;      /* a power of two */
    uint64_t *offsets;      /* per entry: where its bytes start in plain (after any length prefix) */
    uint32_t *lengths;
    uint64_t *short_values; /* per entry: values of up to 8 bytes, zero-padded, compared whole */
    size_t count, cap;
    bool length_prefixed;   /* BYTE_ARRAY: PLAIN puts a 4-byte length before each value */
} lake__dict;

void lake__dict_init(lake__dict *d, bool length_prefixed);
void lake__dict_reset(lake__dict *d);
void lake__dict_dispose(lake__dict *d);

/* The entry index of the value, adding it when new; -1 when out of memory. */
int64_t lake__dict_index(lake__dict *d, const void *value, size_t len);

#endif
