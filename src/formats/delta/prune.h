/* SPDX-License-Identifier: MIT */
/* Pruning files by the key ranges in their statistics (prune.c). */
#ifndef LAKE_FORMATS_DELTA_PRUNE_H
#define LAKE_FORMATS_DELTA_PRUNE_H

#include "formats/delta/delta.h"

typedef struct lake__delta_key_range lake__delta_key_range;

/* The range of each key column over written files (from their stats). */
int lake__delta_key_range_of(const lake__delta_written *files, size_t count, const char *const *keys, size_t n,
                             lake__delta_key_range **out, lake_error *err);
/* Whether a file with these statistics (NULL: none) may hold a key in the range. */
bool lake__delta_may_hold(const lake__delta_key_range *r, const char *stats, const char *const *keys);
void lake__delta_key_range_free(lake__delta_key_range *r);

#endif
