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
 * caller's memory, so it takes nothing from the allocator of the day. */
static struct crew {
    pthread_mutex_t lock;
    pthread_cond_t start, finished;
    pthread_mutex_t round_lock; /* held by the caller whose round it is */
    uint64_t round;             /* bumped to start a round */
    unsigned busy;              /* helpers still in the current round */
    /* the current round; written under the lock before `round` moves */
    lake__task_fn fn;
    void *ctx;
    size_t tasks;
    unsigned threads;
    atomic_size_t next;
    helper helpers[LAKE__WORKERS_MAX - 1];
    unsigned count;
} crew;

/* 0: not started; 1: being started, or could not be; 2: serving. */
static atomic_int state;

static void take_tasks(lake__task_fn fn, void *ctx, size_t tasks, unsigned number) {
    for (size_t t; (t = atomic_fetch_add_explicit(&crew.next, 1, memory_order_relaxed)) < tasks;) fn(ctx, t, number);
}

static void *serve(void *arg) {
    helper *h = arg;
    uint64_t seen = 0;
    pthread_mutex_lock(&crew.lock);
    for (;;) {
        while (crew.round == seen) pthread_cond_wait(&crew.start, &crew.lock);
        seen = crew.round;
        if (h->number >= crew.threads) continue; /* not wanted this round */
        lake__task_fn fn = crew.fn;
        void *ctx = crew.ctx;
        size_t tasks = crew.tasks;
        pthread_mutex_unlock(&crew.lock);
        take_tasks(fn, ctx, tasks, h->number);
        pthread_mutex_lock(&crew.lock);
        if (--crew.busy == 0) pthread_cond_signal(&crew.finished);
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
    pthread_mutex_init(&crew.round_lock, NULL);
    pthread_cond_init(&crew.start, NULL);
    pthread_cond_init(&crew.finished, NULL);
    crew.round = 0;
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
    if (!threads) threads = lake__workers_default();
    /* with a side job, even one task is worth a helper: it runs beside the job */
    size_t worth = side ? 1 : 2;
    if (threads < 2 || tasks < worth || !started() || pthread_mutex_trylock(&crew.round_lock)) {
        if (side) side(side_ctx);
        for (size_t t = 0; t < tasks; t++) fn(ctx, t, 0);
        return;
    }
    unsigned helpers = threads - 1 < crew.count ? threads - 1 : crew.count;
    pthread_mutex_lock(&crew.lock);
    crew.fn = fn;
    crew.ctx = ctx;
    crew.tasks = tasks;
    crew.threads = helpers + 1;
    atomic_store_explicit(&crew.next, 0, memory_order_relaxed);
    crew.busy = helpers;
    crew.round++;
    pthread_cond_broadcast(&crew.start);
    pthread_mutex_unlock(&crew.lock);
    if (side) side(side_ctx);
    take_tasks(fn, ctx, tasks, 0);
    /* The lock hand-over orders every helper's writes before the caller goes on. */
    pthread_mutex_lock(&crew.lock);
    while (crew.busy) pthread_cond_wait(&crew.finished, &crew.lock);
    pthread_mutex_unlock(&crew.lock);
    pthread_mutex_unlock(&crew.round_lock);
}

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
