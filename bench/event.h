/* SPDX-License-Identifier: MIT */
/* The record the insert and Delta benchmarks write: a 7-column event (an id,
 * an email, a country out of 8, a nullable age, a time, a DECIMAL(18,2), a
 * nullable note), made in batches of 10,000 once and then given new ids and
 * times per batch, so memory measures the write path, not the input; and
 * the clock the measures read. */
#ifndef LAKE_BENCH_EVENT_H
#define LAKE_BENCH_EVENT_H

#include <stdio.h>
#include <time.h>

#include <lakeorm.h>

typedef struct event {
    int64_t id;
    lake_str email;
    lake_str country;
    lake_opt_i32 age;
    lake_ts created_at;
    lake_dec128 amount;
    lake_str note;
} event;

/* The fields, the id tagged `id_tag`; RULES(text) is the rule text, or ""
 * for a model without validation rules (EVENT_RULES, EVENT_NO_RULES). */
#define EVENT_RULES(text) text
#define EVENT_NO_RULES(text) ""
#define EVENT_FIELDS(id_tag, RULES)                                                                 \
    {                                                                                               \
        LAKE_FIELD(event, id, id_tag, RULES("min=1")),                                              \
        LAKE_FIELD(event, email, "email", RULES("required,email")),                                 \
        LAKE_FIELD(event, country, "country", RULES("required,oneof=UK US DE FR NL ES IT SE")),     \
        LAKE_FIELD(event, age, "age", RULES("omitempty,gte=0,lte=150")),                            \
        LAKE_FIELD(event, created_at, "created_at", ""),                                            \
        LAKE_DECIMAL(event, amount, 18, 2, "amount", RULES("gte=0")),                               \
        LAKE_FIELD(event, note, "note,nullable", RULES("max=64")),                                  \
    }

enum { BATCH = 10000 };
static event batch[BATCH];
static char emails[BATCH][32];

static inline void make_batch(void) {
    static const char *countries[] = {"UK", "US", "DE", "FR", "NL", "ES", "IT", "SE"};
    for (int i = 0; i < BATCH; i++) {
        int n = snprintf(emails[i], sizeof emails[i], "user%d@example.com", i);
        batch[i] = (event){0, {emails[i], (size_t)n}, {countries[i % 8], 2}, {i % 90, i % 5 != 0}, {0},
                           {(uint64_t)(i * 37 % 100000), 0}, i % 2 ? (lake_str){"gift", 4} : (lake_str){NULL, 0}};
    }
}

/* Rows first .. first+n-1 of the run: ids 1 + k * stride and a time per row. */
static inline void next_batch(size_t first, size_t n, size_t stride) {
    for (size_t i = 0; i < n; i++) {
        size_t k = first + i;
        batch[i].id = (int64_t)(k * stride + 1);
        batch[i].created_at.us = 1700000000000000LL + (int64_t)k * 1000;
    }
}

static inline double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
