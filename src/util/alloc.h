/* SPDX-License-Identifier: MIT */
/* Every allocation in lakeorm goes through these, so a host allocator and the
 * fault-injection tests see all of them. */
#ifndef LAKE_UTIL_ALLOC_H
#define LAKE_UTIL_ALLOC_H

#include <stddef.h>

void *lake__malloc(size_t size);
void *lake__calloc(size_t count, size_t size);
void *lake__realloc(void *ptr, size_t old_size, size_t new_size);
void lake__free(void *ptr);
char *lake__strndup(const char *s, size_t len);

/* Overflow-checked size arithmetic: 0 on success, -1 on overflow. */
static inline int lake__add_size(size_t *out, size_t a, size_t b) {
    return __builtin_add_overflow(a, b, out) ? -1 : 0;
}
static inline int lake__mul_size(size_t *out, size_t a, size_t b) {
    return __builtin_mul_overflow(a, b, out) ? -1 : 0;
}

#endif
