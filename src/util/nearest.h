/* SPDX-License-Identifier: MIT */
/* Did-you-mean: the known name nearest a misspelt one, for messages about
 * unknown keys and options. */
#ifndef LAKE_UTIL_NEAREST_H
#define LAKE_UTIL_NEAREST_H

#include <stddef.h>

/* Levenshtein distance between word[0..len) and name; SIZE_MAX when either
 * is longer than 64 bytes (no name is, and a typo is not much longer). */
size_t lake__edit_distance(const char *word, size_t len, const char *name);

/* The name of names[count] (NULL entries skipped) nearest word[0..len),
 * when within two edits; else NULL. */
const char *lake__nearest(const char *word, size_t len, const char *const *names, size_t count);

#endif
