/* SPDX-License-Identifier: MIT */
/* The process's crew of helper threads: a caller with a large batch shares
 * numbered tasks out among them and itself, one round at a time, every task
 * done when the round returns. Validation checks records this way and the
 * Parquet writer encodes columns this way, so a batch costs the wall time of
 * its share rather than the sum of all the work. The crew serves one round
 * at a time: a caller that finds it busy (another request's round) does its
 * tasks alone, as it would on a machine with one processor. */
#ifndef LAKE_UTIL_WORKERS_H
#define LAKE_UTIL_WORKERS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Rounds a helper has joined since the process started: tests read it to
 * see that a request kept to its caller's thread shared nothing. */
extern atomic_ulong lake__workers_helper_rounds;

/* Tests only (NULL otherwise): called by a caller that has left its round
 * and is about to wait for the round's first run, without the crew's lock,
 * so a test can start another caller's round in between. */
extern void (*lake__workers_after_leave)(void);

/* task: 0 .. tasks-1; worker: 0 for the calling thread, 1 .. threads-1 for helpers. */
typedef void (*lake__task_fn)(void *ctx, size_t task, unsigned worker);

/* Threads a round may use by default (found once): one per processor this process may run
 * on, at most LAKE__WORKERS_MAX. */
enum { LAKE__WORKERS_MAX = 4 };
unsigned lake__workers_default(void);

/* Runs every task on at most `threads` threads, the caller's included
 * (0: the default); returns when all are done. The crew is started at the
 * first round that wants it; without it (one processor, no threads from the
 * system, a busy crew) the caller runs every task itself. Tasks of one round
 * must not touch the same state. */
void lake__workers_run(unsigned threads, size_t tasks, lake__task_fn fn, void *ctx);

/* The same, the caller first doing side(side_ctx) while the helpers start on
 * the tasks, then joining them: work that must stay on the caller's thread
 * (a sink's write, whose stream or connection is the caller's) overlaps the
 * round instead of waiting for it. side may be NULL. */
void lake__workers_run_beside(unsigned threads, size_t tasks, lake__task_fn fn, void *ctx, void (*side)(void *),
                              void *side_ctx);

/* A round that may outlive the call that starts it. */
typedef struct lake__workers_round {
    bool open;
    uint64_t number;
    lake__task_fn fn;
    void *ctx;
    size_t tasks;
} lake__workers_round;

/* lake__workers_run_beside, but returning once tasks 0 .. first-1 are done:
 * tasks first .. tasks-1 go on on the helpers (the caller takes none of
 * them) until lake__workers_settle(r), which takes a share of what is left
 * and returns when every task is done. ctx must stay valid, and the state the
 * later tasks touch untouched, until then. Work left to the helpers keeps
 * them busy while the caller does something else (its own next batch);
 * until they are done, other callers find the crew busy and work alone.
 * Without helpers every task is done before this returns. */
void lake__workers_run_ahead(lake__workers_round *r, unsigned threads, size_t first, size_t tasks, lake__task_fn fn,
                             void *ctx, void (*side)(void *), void *side_ctx);
void lake__workers_settle(lake__workers_round *r);
/* The same without the wait: false while helpers are still on tasks of the
 * round (then it stays open). */
bool lake__workers_try_settle(lake__workers_round *r);

#endif
