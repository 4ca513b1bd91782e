/* SPDX-License-Identifier: MIT */
#include "util/workers.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

typedef struct helper {
    unsigned number;
    pthread_t thread;
} helper;

/* The crew lives as long as the process, in static storage: it is no
 * caller's memory, so it takes nothing from the allocator of the day.
 * A round's tasks are two runs: [0, first) the caller takes part in and
 * waits for; [first, tasks) only the helpers take until the caller settles
 * the round (lake__workers_settle), when it joins in. */
static struct crew {
    pthread_mutex_t lock;
    pthread_cond_t start, finished;
    atomic_bool taken; /* a round is in progress: set by its caller, cleared when it ends */
    uint64_t round;    /* bumped to start a round */
    uint64_t ended;    /* the last round all of whose tasks are done */
    unsigned busy;     /* in the current round: helpers still taking tasks, and the caller */
    /* the current round; written under the lock before `round` moves */
    lake__task_fn fn;
    void *ctx;
    size_t first, tasks;
    unsigned threads;
    atomic_size_t next_first, next_rest, first_done;
    helper helpers[LAKE__WORKERS_MAX - 1];
    unsigned count;
} crew;

/* 0: not started; 1: being started, or could not be; 2: serving. */
static atomic_int state;

/* Under the lock: the last one out of a round ends it. */
static void leave_round(void) {
    if (--crew.busy) return;
    crew.ended = crew.round;
    atomic_store(&crew.taken, false);
    pthread_cond_broadcast(&crew.finished);
}

static void take_first(lake__task_fn fn, void *ctx, size_t first, unsigned number) {
    for (size_t t; (t = atomic_fetch_add(&crew.next_first, 1)) < first;) {
        fn(ctx, t, number);
        if (atomic_fetch_add(&crew.first_done, 1) + 1 == first) {
            pthread_mutex_lock(&crew.lock);
            pthread_cond_broadcast(&crew.finished);
            pthread_mutex_unlock(&crew.lock);
        }
    }
}

atomic_ulong lake__workers_helper_rounds;
void (*lake__workers_after_leave)(void);

static void *serve(void *arg) {
    helper *h = arg;
    uint64_t seen = 0;
    pthread_mutex_lock(&crew.lock);
    for (;;) {
        while (crew.round == seen) pthread_cond_wait(&crew.start, &crew.lock);
        seen = crew.round;
        if (h->number >= crew.threads) continue; /* not wanted this round */
        atomic_fetch_add_explicit(&lake__workers_helper_rounds, 1, memory_order_relaxed);
        lake__task_fn fn = crew.fn;
        void *ctx = crew.ctx;
        size_t first = crew.first, tasks = crew.tasks;
        pthread_mutex_unlock(&crew.lock);
        take_first(fn, ctx, first, h->number);
        for (size_t t; (t = atomic_fetch_add(&crew.next_rest, 1)) < tasks;) fn(ctx, t, h->number);
        pthread_mutex_lock(&crew.lock);
        leave_round();
    }
    return NULL;
}

/* A child of fork has none of its parent's threads: it starts its own crew if it needs one. */
static void forget_in_child(void) { atomic_store(&state, 0); }

static bool started(void) {
    int s = atomic_load(&state);
    if (s) return s == 2;
    if (!atomic_compare_exchange_strong(&state, &s, 1)) return false; /* another thread starts it */
    unsigned want = lake__workers_default();
    pthread_mutex_init(&crew.lock, NULL);
    pthread_cond_init(&crew.start, NULL);
    pthread_cond_init(&crew.finished, NULL);
    atomic_store(&crew.taken, false);
    crew.round = crew.ended = 0;
    crew.count = 0;
    static atomic_bool registered;
    if (!atomic_exchange(&registered, true)) pthread_atfork(NULL, NULL, forget_in_child);
    pthread_attr_t attr;
    bool attr_ok = pthread_attr_init(&attr) == 0;
    /* Helpers are never joined: they wait for work until the process ends. */
    if (attr_ok) pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (unsigned i = 1; attr_ok && i < want; i++) {
        helper *h = &crew.helpers[crew.count];
        h->number = crew.count + 1;
        if (pthread_create(&h->thread, &attr, serve, h)) break;
        crew.count++;
    }
    if (attr_ok) pthread_attr_destroy(&attr);
    if (!crew.count) return false; /* state stays 1: the caller works alone from now on */
    atomic_store(&state, 2);
    return true;
}

void lake__workers_run(unsigned threads, size_t tasks, lake__task_fn fn, void *ctx) {
    lake__workers_run_beside(threads, tasks, fn, ctx, NULL, NULL);
}

void lake__workers_run_beside(unsigned threads, size_t tasks, lake__task_fn fn, void *ctx, void (*side)(void *),
                              void *side_ctx) {
    lake__workers_round r;
    lake__workers_run_ahead(&r, threads, tasks, tasks, fn, ctx, side, side_ctx);
    lake__workers_settle(&r);
}

void lake__workers_run_ahead(lake__workers_round *r, unsigned threads, size_t first, size_t tasks, lake__task_fn fn,
                             void *ctx, void (*side)(void *), void *side_ctx) {
    r->open = false;
    if (!threads) threads = lake__workers_default();
    /* with a side job or tasks left running, even one task is worth a helper */
    size_t worth = side || first < tasks ? 1 : 2;
    if (threads < 2 || tasks < worth || !started() || atomic_exchange(&crew.taken, true)) {
        if (side) side(side_ctx);
        for (size_t t = 0; t < tasks; t++) fn(ctx, t, 0);
        return;
    }
    unsigned helpers = threads - 1 < crew.count ? threads - 1 : crew.count;
    pthread_mutex_lock(&crew.lock);
    crew.fn = fn;
    crew.ctx = ctx;
    crew.first = first;
    crew.tasks = tasks;
    crew.threads = helpers + 1;
    atomic_store(&crew.next_first, 0);
    atomic_store(&crew.next_rest, first);
    atomic_store(&crew.first_done, 0);
    crew.busy = helpers + 1;
    r->number = ++crew.round;
    r->fn = fn;
    r->ctx = ctx;
    r->tasks = tasks;
    r->open = true;
    pthread_cond_broadcast(&crew.start);
    pthread_mutex_unlock(&crew.lock);
    if (side) side(side_ctx);
    take_first(fn, ctx, first, 0);
    /* The lock hand-over orders the helpers' writes of the first run before the caller goes on. */
    pthread_mutex_lock(&crew.lock);
    leave_round();
    if (lake__workers_after_leave) {
        pthread_mutex_unlock(&crew.lock);
        lake__workers_after_leave();
        pthread_mutex_lock(&crew.lock);
    }
    /* Once the round has ended its first run is done too, and first_done may
     * already count another caller's round, which starts from zero. */
    while (crew.ended < r->number && atomic_load(&crew.first_done) < first)
        pthread_cond_wait(&crew.finished, &crew.lock);
    pthread_mutex_unlock(&crew.lock);
}

/* Takes the round's tasks nobody has started; then, when `wait`, waits for
 * the rest. Whether every task is done. */
static bool settle(lake__workers_round *r, bool wait) {
    if (!r->open) return true;
    for (;;) {
        /* A task is taken only while the round is still this one: once it
         * ends, another caller's round may reuse the counters. */
        pthread_mutex_lock(&crew.lock);
        if (crew.ended >= r->number) break;
        size_t t = atomic_fetch_add(&crew.next_rest, 1);
        if (t >= r->tasks) {
            while (wait && crew.ended < r->number) pthread_cond_wait(&crew.finished, &crew.lock);
            break;
        }
        pthread_mutex_unlock(&crew.lock);
        r->fn(r->ctx, t, 0);
    }
    r->open = crew.ended < r->number;
    pthread_mutex_unlock(&crew.lock);
    return !r->open;
}

void lake__workers_settle(lake__workers_round *r) { settle(r, true); }

bool lake__workers_try_settle(lake__workers_round *r) { return settle(r, false); }

/* Asked once: every round of every large batch wants it, and a process's
 * processors do not come and go under it. */
static atomic_uint default_threads;

unsigned lake__workers_default(void) {
    unsigned cached = atomic_load_explicit(&default_threads, memory_order_relaxed);
    if (cached) return cached;
    unsigned n = 0;
    cpu_set_t set;
    if (!sched_getaffinity(0, sizeof set, &set)) n = (unsigned)CPU_COUNT(&set);
    if (!n) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        n = online > 0 ? (unsigned)online : 1;
    }
    n = n < LAKE__WORKERS_MAX ? n : LAKE__WORKERS_MAX;
    atomic_store_explicit(&default_threads, n, memory_order_relaxed);
    return n;
}
