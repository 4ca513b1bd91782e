/* SPDX-License-Identifier: MIT */
/* A JSON value read whole into an arena (tree.c), over the scanner, for
 * documents small enough to hold and too irregular to stream through, such
 * as the engine's serialized statements. */
#ifndef LAKE_JSON_TREE_H
#define LAKE_JSON_TREE_H

#include "json/scan.h"
#include "util/arena.h"

typedef struct lake__json_value {
    lake__json_kind kind;
    const char *text; /* a string (NUL-terminated) or a number's token */
    size_t len;
    /* An array's items, or an object's member values with their keys (keys
     * NULL for an array), in input order. */
    const struct lake__json_value *items;
    const char *const *keys;
    size_t count;
} lake__json_value;

/* Reads one value, containers nested at most max_depth deep (deeper is a
 * syntax error). False on a syntax error (j->error) or out of memory (j->oom). */
bool lake__json_tree(lake__json *j, lake_arena *arena, unsigned max_depth, lake__json_value *out);

/* An object's member named key (the first, if repeated), or NULL: also when v
 * is NULL or not an object. */
const lake__json_value *lake__json_get(const lake__json_value *v, const char *key);
/* Whether v is a string equal to text. */
bool lake__json_is(const lake__json_value *v, const char *text);

#endif
