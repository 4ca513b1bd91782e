/* SPDX-License-Identifier: MIT */
/* The RLE/bit-packed hybrid encoding (Parquet Encodings.md), used for
 * definition levels and dictionary indices. */
#ifndef LAKE_PARQUET_RLE_H
#define LAKE_PARQUET_RLE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Bits needed to store values up to max_value (0 for 0). */
unsigned lake__bit_width(uint32_t max_value);

/* Appends `n` values of `bit_width` bits: runs of 8 or more equal values as RLE
 * runs, the rest bit-packed in groups of 8 (the last group zero-padded). */
int lake__rle_encode(lake__buf *out, const uint32_t *values, size_t n, unsigned bit_width);

#endif
