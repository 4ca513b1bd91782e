/* SPDX-License-Identifier: MIT */
/* Bump allocation for values that die together (decoded strings, issues). */
#ifndef LAKE_UTIL_ARENA_H
#define LAKE_UTIL_ARENA_H

#include <stddef.h>

#include <lakeorm/json.h>

void *lake__arena_alloc(lake_arena *arena, size_t size, size_t align);
char *lake__arena_strndup(lake_arena *arena, const char *s, size_t len);
/* Bytes handed out since the last reset, for memory bounds in tests. */
size_t lake__arena_used(const lake_arena *arena);

#endif
