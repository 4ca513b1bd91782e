/* SPDX-License-Identifier: MIT */
/* Bump allocation for values that die together (decoded strings, issues). */
#ifndef LAKE_UTIL_ARENA_H
#define LAKE_UTIL_ARENA_H

#include <stddef.h>

#include <lakeorm/json.h>

#include "util/buf.h"

void *lake__arena_alloc(lake_arena *arena, size_t size, size_t align);
char *lake__arena_strndup(lake_arena *arena, const char *s, size_t len);
/* Bytes handed out since the last reset, for memory bounds in tests. */
size_t lake__arena_used(const lake_arena *arena);
/* A growable buffer for building a value whose size is not known yet (the
 * JSON decoder's list elements, before one copy into the arena). It belongs
 * to whoever holds the arena for the current call, keeps its memory across
 * resets so a reused arena stops allocating, and is freed with the arena. */
lake__buf *lake__arena_scratch(lake_arena *arena);

#endif
