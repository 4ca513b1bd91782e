/* SPDX-License-Identifier: MIT */
/* UUIDv7 generation with an explicit state, so tests can drive time and randomness. */
#ifndef LAKE_IDS_UUID_H
#define LAKE_IDS_UUID_H

#include <stdint.h>

#include <lakeorm/error.h>
#include <lakeorm/ids.h>

typedef struct lake__uuid7_state {
    int64_t last_ms;   /* timestamp of the previous id */
    uint64_t counter;  /* its 42-bit counter */
} lake__uuid7_state;

/* The next id after st at wall-clock now_ms. random[0..5] seed the counter of a
 * new millisecond, random[6..9] fill the low 32 bits. */
void lake__uuid7_next(lake__uuid7_state *st, int64_t now_ms, const uint8_t random[10], lake_uuid *out);

#endif
