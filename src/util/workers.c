/* SPDX-License-Identifier: MIT */
#include "util/workers.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include "util/alloc.h"

typedef struct helper {
    struct lake__workers *crew;
    unsigned number;
    pthread_t thread;
} helper;

struct lake__workers {
    pthread_mutex_t lock;
    pthread_cond_t start, finished;
    uint64_t round; /* bumped to start a round */
    bool quit;
    unsigned busy; /* helpers still in the current round */
    /* the current round; written under the lock before `round` moves */
    lake__task_fn fn;
    void *ctx;
    size_t tasks;
    atomic_size_t next;
    helper *helpers;
    unsigned count;
};

static void take_tasks(lake__workers *w, lake__task_fn fn, void *ctx, size_t tasks, unsigned number) {
    for (size_t t; (t = atomic_fetch_add_explicit(&w->next, 1, memory_order_relaxed)) < tasks;) fn(ctx, t, number);
}

static void *serve(void *arg) {
    helper *h = arg;
    lake__workers *w = h->crew;
    uint64_t seen = 0;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->quit && w->round == seen) pthread_cond_wait(&w->start, &w->lock);
        if (w->quit) break;
        seen = w->round;
        lake__task_fn fn = w->fn;
        void *ctx = w->ctx;
        size_t tasks = w->tasks;
        pthread_mutex_unlock(&w->lock);
        take_tasks(w, fn, ctx, tasks, h->number);
        pthread_mutex_lock(&w->lock);
        if (--w->busy == 0) pthread_cond_signal(&w->finished);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

void lake__workers_start(lake__workers **out, unsigned helpers) {
    *out = NULL;
    if (!helpers) return;
    lake__workers *w = lake__calloc(1, sizeof *w);
    if (!w) return;
    if (!(w->helpers = lake__calloc(helpers, sizeof *w->helpers))) {
        lake__free(w);
        return;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->start, NULL);
    pthread_cond_init(&w->finished, NULL);
    for (unsigned i = 0; i < helpers; i++) {
        helper *h = &w->helpers[w->count];
        h->crew = w;
        h->number = w->count + 1;
        if (pthread_create(&h->thread, NULL, serve, h)) break;
        w->count++;
    }
    if (!w->count) {
        lake__workers_free(w);
        return;
    }
    *out = w;
}

unsigned lake__workers_helpers(const lake__workers *w) { return w ? w->count : 0; }

void lake__workers_run(lake__workers *w, size_t tasks, lake__task_fn fn, void *ctx) {
    if (!w || tasks < 2) {
        for (size_t t = 0; t < tasks; t++) fn(ctx, t, 0);
        return;
    }
    pthread_mutex_lock(&w->lock);
    w->fn = fn;
    w->ctx = ctx;
    w->tasks = tasks;
    atomic_store_explicit(&w->next, 0, memory_order_relaxed);
    w->busy = w->count;
    w->round++;
    pthread_cond_broadcast(&w->start);
    pthread_mutex_unlock(&w->lock);
    take_tasks(w, fn, ctx, tasks, 0);
    /* The lock hand-over orders every helper's writes before the caller goes on. */
    pthread_mutex_lock(&w->lock);
    while (w->busy) pthread_cond_wait(&w->finished, &w->lock);
    pthread_mutex_unlock(&w->lock);
}

void lake__workers_free(lake__workers *w) {
    if (!w) return;
    pthread_mutex_lock(&w->lock);
    w->quit = true;
    pthread_cond_broadcast(&w->start);
    pthread_mutex_unlock(&w->lock);
    for (unsigned i = 0; i < w->count; i++) pthread_join(w->helpers[i].thread, NULL);
    pthread_cond_destroy(&w->finished);
    pthread_cond_destroy(&w->start);
    pthread_mutex_destroy(&w->lock);
    lake__free(w->helpers);
    lake__free(w);
}

unsigned lake__processors(void) {
    cpu_set_t set;
    if (!sched_getaffinity(0, sizeof set, &set)) {
        int n = CPU_COUNT(&set);
        if (n > 0) return (unsigned)n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}
