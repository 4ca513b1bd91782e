/* SPDX-License-Identifier: MIT */
/* A fixed crew of threads that share out numbered tasks with the calling
 * thread: one round at a time, every task done when the round returns. The
 * Parquet writer encodes its columns this way, so a record batch costs the
 * wall time of its slowest column rather than the sum of all of them. */
#ifndef LAKE_UTIL_WORKERS_H
#define LAKE_UTIL_WORKERS_H

#include <stddef.h>

typedef struct lake__workers lake__workers;

/* task: 0 .. tasks-1; worker: 0 for the calling thread, 1 .. helpers for the crew. */
typedef void (*lake__task_fn)(void *ctx, size_t task, unsigned worker);

/* Starts up to `helpers` threads besides the caller's. Threads the system
 * refuses are done without: *out may hold fewer, or be NULL (every round then
 * runs on the caller alone). */
void lake__workers_start(lake__workers **out, unsigned helpers);

/* The helpers started (0 for NULL). */
unsigned lake__workers_helpers(const lake__workers *w);

/* Runs every task, the caller taking its share; returns when all are done.
 * w may be NULL. Tasks of one round must not touch the same state. */
void lake__workers_run(lake__workers *w, size_t tasks, lake__task_fn fn, void *ctx);

/* Stops and joins the helpers. */
void lake__workers_free(lake__workers *w);

/* Processors this process may run on (at least 1). */
unsigned lake__processors(void);

#endif
