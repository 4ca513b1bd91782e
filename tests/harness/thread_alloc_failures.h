/* SPDX-License-Identifier: MIT */
/* An allocator hook (lake_set_allocator) that fails one allocation made off
 * the test's main thread: armed with a count n, the n-th such allocation from
 * then fails, and none after it. What the tests of work shared out among
 * threads (the decoding pipeline, lake_ingest_ndjson) inject a worker's
 * failure with. Install it first thing in main, before any other lakeorm call. */
#ifndef LAKE_TEST_THREAD_ALLOC_FAILURES_H
#define LAKE_TEST_THREAD_ALLOC_FAILURES_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include <lakeorm.h>

static pthread_t alloc_main_thread;
static atomic_long alloc_countdown = -1; /* allocations off the main thread left before one fails; -1: none */

/* One allocation fails, then none: the one whose turn takes the count from 0 to -1. */
static inline bool alloc_fails(void) {
    if (pthread_equal(pthread_self(), alloc_main_thread)) return false;
    long left = atomic_load(&alloc_countdown);
    while (left >= 0 && !atomic_compare_exchange_weak(&alloc_countdown, &left, left - 1)) {}
    return left == 0;
}
static inline void *alloc_failing_malloc(void *ctx, size_t size) {
    (void)ctx;
    return alloc_fails() ? NULL : malloc(size);
}
static inline void *alloc_failing_realloc(void *ctx, void *p, size_t old_size, size_t size) {
    (void)ctx;
    (void)old_size;
    return alloc_fails() ? NULL : realloc(p, size);
}
static inline void alloc_plain_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

/* Installs the hook, which fails nothing until armed; the calling thread is the main one. */
static inline void thread_alloc_failures_install(void) {
    alloc_main_thread = pthread_self();
    static lake_allocator a = {alloc_failing_malloc, alloc_failing_realloc, alloc_plain_free, NULL};
    lake_set_allocator(&a);
}

/* Arms the hook: the n-th allocation off the main thread from now fails; -1 disarms it. */
static inline void thread_alloc_failures_arm(long n) { atomic_store(&alloc_countdown, n); }

#endif
