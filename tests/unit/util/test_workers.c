/* SPDX-License-Identifier: MIT */
/* The crew of helper threads (src/util/workers.c): every task of a round runs
 * once; a round run ahead returns once its first run is done and leaves the
 * rest to the helpers until it is settled (or, tried, stays open while a
 * helper is still on one); a caller finding the crew busy works alone. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#include "lake_test.h"
#include "util/workers.h"

enum { TASKS = 400 };

typedef struct tally {
    atomic_int runs[TASKS];
    atomic_uint workers[TASKS];
    atomic_bool hold;      /* tasks from `held` on wait for it to clear, on a helper */
    size_t held;
    atomic_int side_runs;
} tally;

static void count(void *ctx, size_t task, unsigned worker) {
    tally *t = ctx;
    if (task >= t->held && worker != 0)
        while (atomic_load(&t->hold)) sched_yield();
    atomic_fetch_add(&t->runs[task], 1);
    atomic_store(&t->workers[task], worker);
}

static void side(void *ctx) {
    tally *t = ctx;
    atomic_fetch_add(&t->side_runs, 1);
}

static void every_task_runs_once(void) {
    static tally t;
    memset(&t, 0, sizeof t);
    t.held = TASKS;
    lake__workers_run_beside(0, TASKS, count, &t, side, &t);
    for (size_t i = 0; i < TASKS; i++) CHECK_EQ_INT(atomic_load(&t.runs[i]), 1);
    CHECK_EQ_INT(atomic_load(&t.side_runs), 1);
}

static void a_round_run_ahead_finishes_its_first_run_then_the_rest_at_settle(void) {
    static tally t;
    memset(&t, 0, sizeof t);
    t.held = 8;
    atomic_store(&t.hold, true); /* the helpers stay in the rest until released */
    lake__workers_round r;
    lake__workers_run_ahead(&r, 0, 8, TASKS, count, &t, NULL, NULL);
    for (size_t i = 0; i < 8; i++) CHECK_EQ_INT(atomic_load(&t.runs[i]), 1);
    if (r.open) {
        /* the crew is busy with the rest: another round is done by its caller alone */
        static tally other;
        memset(&other, 0, sizeof other);
        other.held = TASKS;
        lake__workers_run(0, TASKS, count, &other);
        for (size_t i = 0; i < TASKS; i++) {
            CHECK_EQ_INT(atomic_load(&other.runs[i]), 1);
            CHECK_EQ_INT(atomic_load(&other.workers[i]), 0);
        }
    }
    if (r.open) {
        /* a helper holds a task: trying takes what is unstarted, then leaves the round open */
        CHECK(!lake__workers_try_settle(&r));
        CHECK(r.open);
    }
    atomic_store(&t.hold, false);
    lake__workers_settle(&r);
    CHECK(!r.open);
    CHECK(lake__workers_try_settle(&r));
    for (size_t i = 0; i < TASKS; i++) CHECK_EQ_INT(atomic_load(&t.runs[i]), 1);
    lake__workers_settle(&r); /* settling twice is harmless */
}

static void a_settled_round_frees_the_crew(void) {
    for (int k = 0; k < 50; k++) {
        static tally t;
        memset(&t, 0, sizeof t);
        t.held = TASKS;
        lake__workers_round r;
        lake__workers_run_ahead(&r, 2, 3, 40, count, &t, side, &t);
        lake__workers_settle(&r);
        for (size_t i = 0; i < 40; i++) CHECK_EQ_INT(atomic_load(&t.runs[i]), 1);
        CHECK_EQ_INT(atomic_load(&t.side_runs), 1);
    }
}

/* A caller that has left its round and waits for the round's first run
 * while the round ends and another caller's starts: the shared count of
 * first tasks done starts again from zero for the new round, and must not
 * keep the first caller waiting for its own, which is over. */
static tally other_round;
static lake__workers_round other;

static void start_another_round(void) {
    lake__workers_after_leave = NULL;
    /* The crew is free once this round's helper has left it too: until then another caller works alone. */
    atomic_store(&other_round.hold, true);
    other_round.held = 1;
    for (;;) {
        for (size_t i = 0; i < 2; i++) atomic_store(&other_round.runs[i], 0);
        lake__workers_run_ahead(&other, 2, 1, 2, count, &other_round, NULL, NULL);
        if (other.open) return; /* the helper holds task 1: the round stays open */
        sched_yield();
    }
}

static atomic_bool first_caller_back;

static void *first_caller(void *arg) {
    tally *t = arg;
    lake__workers_after_leave = start_another_round;
    lake__workers_run(2, 8, count, t);
    atomic_store(&first_caller_back, true);
    return NULL;
}

static void a_caller_is_not_stranded_by_the_next_round(void) {
    static tally t;
    memset(&t, 0, sizeof t);
    t.held = TASKS;
    pthread_t a;
    CHECK(pthread_create(&a, NULL, first_caller, &t) == 0);
    for (int waited = 0; waited < 300 && !atomic_load(&first_caller_back); waited++)
        nanosleep(&(struct timespec){0, 100000000}, NULL);
    bool back = atomic_load(&first_caller_back);
    CHECK(back);
    if (!back) { /* it waits for good: nothing here can release it */
        fprintf(stderr, "  the first caller still waits for a round that is over\n");
        exit(1);
    }
    pthread_join(a, NULL);
    for (size_t i = 0; i < 8; i++) CHECK_EQ_INT(atomic_load(&t.runs[i]), 1);
    atomic_store(&other_round.hold, false);
    lake__workers_settle(&other);
    for (size_t i = 0; i < 2; i++) CHECK_EQ_INT(atomic_load(&other_round.runs[i]), 1);
}

int main(void) {
    LAKE_RUN(every_task_runs_once);
    LAKE_RUN(a_round_run_ahead_finishes_its_first_run_then_the_rest_at_settle);
    LAKE_RUN(a_settled_round_frees_the_crew);
    LAKE_RUN(a_caller_is_not_stranded_by_the_next_round);
    return lake_test_summary();
}
