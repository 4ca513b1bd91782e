/* SPDX-License-Identifier: MIT */
#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>

#include <lakeorm/common.h>

static void *libc_malloc(void *ctx, size_t size) {
    (void)ctx;
    return malloc(size);
}
static void *libc_realloc(void *ctx, void *ptr, size_t old_size, size_t new_size) {
    (void)ctx;
    (void)old_size;
    return realloc(ptr, new_size);
}
static void libc_free(void *ctx, void *ptr) {
    (void)ctx;
    free(ptr);
}

static const lake_allocator libc_allocator = {libc_malloc, libc_realloc, libc_free, NULL};
static lake_allocator current = {libc_malloc, libc_realloc, libc_free, NULL};

void lake_set_allocator(const lake_allocator *allocator) {
    current = allocator ? *allocator : libc_allocator;
}

void *lake__malloc(size_t size) { return current.malloc(current.ctx, size ? size : 1); }

void *lake__calloc(size_t count, size_t size) {
    size_t total;
    if (lake__mul_size(&total, count, size)) return NULL;
    void *p = lake__malloc(total);
    if (p) memset(p, 0, total);
    return p;
}

void *lake__realloc(void *ptr, size_t old_size, size_t new_size) {
    if (!ptr) return lake__malloc(new_size);
    return current.realloc(current.ctx, ptr, old_size, new_size ? new_size : 1);
}

void lake__free(void *ptr) {
    if (ptr) current.free(current.ctx, ptr);
}

void lake_free(void *ptr) { lake__free(ptr); }

char *lake__strndup(const char *s, size_t len) {
    char *p = lake__malloc(len + 1);
    if (!p) return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

const char *lake_version(void) { return LAKE_VERSION_STRING; }
