/* SPDX-License-Identifier: MIT */
/* lakeorm: shared declarations for every public header. */
#ifndef LAKEORM_COMMON_H
#define LAKEORM_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LAKE_VERSION_MAJOR 0
#define LAKE_VERSION_MINOR 1
#define LAKE_VERSION_PATCH 0
#define LAKE_VERSION_STRING "0.1.0"
#define LAKE_VERSION_NUMBER \
    (LAKE_VERSION_MAJOR * 10000 + LAKE_VERSION_MINOR * 100 + LAKE_VERSION_PATCH)

#if defined(LAKE_BUILDING_SHARED) && defined(__GNUC__)
#define LAKE_EXTERN __attribute__((visibility("default")))
#else
#define LAKE_EXTERN
#endif

#ifdef __cplusplus
#define LAKE_BEGIN_DECL extern "C" {
#define LAKE_END_DECL }
#else
#define LAKE_BEGIN_DECL
#define LAKE_END_DECL
#endif

/* A compile-time check in both languages (C's _Static_assert is not C++'s). */
#ifdef __cplusplus
#define LAKE_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define LAKE_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

/* A value of struct type T from an initializer list, in an expression: C's
 * compound literal, C++'s list-initialised temporary. */
#ifdef __cplusplus
#define LAKE__LITERAL(T, ...) (T{__VA_ARGS__})
#else
#define LAKE__LITERAL(T, ...) ((T){__VA_ARGS__})
#endif

LAKE_BEGIN_DECL

/* The library version at run time, e.g. "0.1.0". Static storage; never NULL. */
LAKE_EXTERN const char *lake_version(void);

/* The libraries this build of lakeorm runs with ("duckdb", "libcurl",
 * "OpenSSL", "zstd", ...), each with the version its own version function
 * reports: what is loaded now, not what the build saw. fn is called once per
 * library, in a fixed order; the strings are static. Libraries of parts the
 * build left out (LAKE_WITH_SPARK, ...) are not named. */
typedef void (*lake_component_fn)(void *ctx, const char *name, const char *version);
LAKE_EXTERN void lake_components(lake_component_fn fn, void *ctx);

/* Frees memory that a lakeorm function handed to the caller and documented as
 * "free with lake_free". NULL is ignored. */
LAKE_EXTERN void lake_free(void *ptr);

/* The allocator every lakeorm allocation goes through. realloc receives the old
 * size so arenas and fault-injection allocators need no bookkeeping. */
typedef struct lake_allocator {
    void *(*malloc)(void *ctx, size_t size);
    void *(*realloc)(void *ctx, void *ptr, size_t old_size, size_t new_size);
    void (*free)(void *ctx, void *ptr);
    void *ctx;
} lake_allocator;

/* Replaces the process-wide allocator (NULL restores the C library's). Call it
 * before any other lakeorm function and never while lakeorm memory is alive:
 * memory must be freed by the allocator that made it. Not thread-safe. */
LAKE_EXTERN void lake_set_allocator(const lake_allocator *allocator);

LAKE_END_DECL

#endif
