/* SPDX-License-Identifier: MIT */
/* lakeorm appending to an Apache Iceberg table with no cluster, through the
 * C API (lake_client_options.warehouse and .catalog; DuckDB in memory only
 * computes), one operation per run:
 *   append ROWS WAREHOUSE CATALOG          a new table (migrate, untimed),
 *                                          then one streaming request of
 *                                          ROWS rows (validated): data
 *                                          files, then one snapshot committed
 *                                          through the catalog
 *   append-unruled ROWS WAREHOUSE CATALOG  the same with a model that has no
 *                                          rules: what the write costs
 *                                          without them (values are still
 *                                          checked against their types)
 * WAREHOUSE is a backend URL (file:///abs, s3://bucket/prefix?endpoint=...);
 * CATALOG is sqlite:///abs/catalog.db. The table is default.events.
 * Records are bench/event.h's, generated in batches of 10,000 (one batch
 * made once, then only ids and times change), so memory measures the write
 * path, not the input.
 * Prints one line: name=... rows=... seconds=... cpu_seconds=... peak_rss_kb=...
 * (cpu_seconds: user + system time of every thread over the timed part, a
 * figure other processes on the machine do not stretch as they do the wall
 * time).
 * Credentials for s3:// come from the environment (AWS_ACCESS_KEY_ID, ...). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <lakeorm.h>

#include "../event.h"

/* The same columns as pyiceberg's and Spark's tables in peers.py. */
static const lake_field ruled_fields[] = EVENT_FIELDS("id", EVENT_RULES);
static const lake_model ruled_model = LAKE_MODEL(event, "events", ruled_fields);
static const lake_field unruled_fields[] = EVENT_FIELDS("id", EVENT_NO_RULES);
static const lake_model unruled_model = LAKE_MODEL(event, "events", unruled_fields);

static void die(const char *what, const lake_error *err) {
    fprintf(stderr, "bench_iceberg: %s: %s\n", what, err ? err->message : "");
    exit(1);
}

static long peak_rss_kb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 5 || (strcmp(argv[1], "append") && strcmp(argv[1], "append-unruled"))) {
        fprintf(stderr, "usage: bench_iceberg append|append-unruled ROWS WAREHOUSE CATALOG\n");
        return 2;
    }
    bool unruled = !strcmp(argv[1], "append-unruled");
    size_t rows = strtoull(argv[2], NULL, 10);
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *s;
    lake_client *c;
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.driver = "duckdb";
    o.dialect = "iceberg";
    o.warehouse = argv[3];
    o.catalog = argv[4];
    if (lake_schema_of(&s, unruled ? &unruled_model : &ruled_model, &err) || lake_client_open(&c, &o, &err) ||
        lake_client_migrate(c, s, &err))
        die("setup", &err);
    make_batch();
    double t = now(), cpu = cpu_seconds();
    lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
    lake_ingest *in;
    if (lake_client_ingest_begin(c, s, &io, &in, &err)) die("begin", &err);
    for (size_t at = 0; at < rows; at += BATCH) {
        size_t n = rows - at < BATCH ? rows - at : BATCH;
        next_batch(at, n, 1);
        for (size_t i = 0; i < n; i++) batch[i].amount.lo = (uint64_t)((at + i) * 37 % 100000);
        if (lake_ingest_append(in, batch, n, &err)) die("append", &err);
    }
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    if (lake_ingest_commit(in, &r, &err)) die("commit", &err);
    t = now() - t, cpu = cpu_seconds() - cpu;
    if (r.inserted != rows) die("append: not every row inserted", NULL);
    lake_client_close(c);
    printf("name=lakeorm-%s rows=%zu seconds=%.3f cpu_seconds=%.3f peak_rss_kb=%ld\n", argv[1], rows, t, cpu,
           peak_rss_kb());
    return 0;
}
