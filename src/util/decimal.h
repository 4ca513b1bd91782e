/* SPDX-License-Identifier: MIT */
/* Exact decimals: unscaled 128-bit integers with precision and scale. */
#ifndef LAKE_UTIL_DECIMAL_H
#define LAKE_UTIL_DECIMAL_H

#include <stddef.h>

#include <lakeorm/types.h>

#define LAKE_DECIMAL_MAX_PRECISION 38

__extension__ typedef __int128 lake__i128;

static inline lake__i128 lake__dec_get(lake_dec128 d) {
    return (lake__i128)(((unsigned __int128)(uint64_t)d.hi << 64) | d.lo);
}
static inline lake_dec128 lake__dec_make(lake__i128 v) {
    lake_dec128 d = {(uint64_t)v, (int64_t)(v >> 64)};
    return d;
}

/* 10^0 .. 10^38: a DECIMAL(p, s) holds exactly the unscaled values with
 * |v| < lake__pow10[p]. */
extern const lake__i128 lake__pow10[LAKE_DECIMAL_MAX_PRECISION + 1];

/* Parses JSON-number syntax (optionally with an exponent) exactly into a
 * DECIMAL(precision, scale). Digits that the scale cannot hold must be zeros.
 * Returns NULL on success or a static reason. */
const char *lake__dec_parse(const char *s, size_t len, unsigned precision, unsigned scale,
                            lake__i128 *out);
/* Moves an unscaled value from scale `from` to scale `to` and checks it fits
 * DECIMAL(precision, to): every reader converting an engine's integer or
 * decimal into a field goes through here, so none multiplies unchecked. */
typedef enum lake__dec_fit {
    LAKE__DEC_FITS = 0,
    LAKE__DEC_TOO_BIG,        /* more integer digits than the precision allows */
    LAKE__DEC_LOSES_DIGITS,   /* non-zero digits below the target scale */
} lake__dec_fit;
lake__dec_fit lake__dec_rescale(lake__i128 *x, int from, int to, unsigned precision);

/* Writes the decimal text ("-12.30" for -1230 at scale 2); returns its length. */
size_t lake__dec_format(lake__i128 v, unsigned scale, char out[48]);

#endif
