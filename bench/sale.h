/* SPDX-License-Identifier: MIT */
/* The record the Spark and Databricks benchmarks move: a 9-column sale with
 * strings, an exact decimal, a timestamp, a date, a double, a boolean and a
 * nullable string, the same on every side (the Python peers build it too);
 * and the clock the measures read. */
#ifndef LAKE_BENCH_SALE_H
#define LAKE_BENCH_SALE_H

#include <time.h>

#include <lakeorm.h>

typedef struct sale {
    int64_t id;
    lake_str tenant;
    lake_str product;
    lake_opt_dec128 amount;
    lake_ts at;
    lake_date day;
    double score;
    bool paid;
    lake_str note;
} sale;
static const lake_field sale_fields[] = {
    LAKE_FIELD(sale, id, "id", ""),
    LAKE_FIELD(sale, tenant, "tenant", "required"),
    LAKE_FIELD(sale, product, "product", "required,max=64"),
    LAKE_DECIMAL(sale, amount, 12, 2, "amount", "gte=0"),
    LAKE_FIELD(sale, at, "at", ""),
    LAKE_FIELD(sale, day, "day", ""),
    LAKE_FIELD(sale, score, "score", ""),
    LAKE_FIELD(sale, paid, "paid", ""),
    LAKE_FIELD(sale, note, "note,nullable", ""),
};
static const lake_model sale_model = LAKE_MODEL(sale, "bench_sales", sale_fields);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#endif
