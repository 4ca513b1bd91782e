/* SPDX-License-Identifier: MIT */
/* lakeorm writing a Delta Lake table with no cluster, through the C API
 * (lake_client_options.warehouse; DuckDB in memory only computes), one
 * operation per run:
 *   append ROWS WAREHOUSE         a new table, then one streaming request of
 *                                 ROWS rows (validated), one commit
 *   append-unruled ROWS WAREHOUSE the same with a model that has no rules:
 *                                 what the write costs without them (values
 *                                 are still checked against their types)
 *   merge ROWS CHANGED WAREHOUSE  into the table `append` left (ROWS rows),
 *                                 one request of CHANGED rows on the merge
 *                                 key, every one an existing key (every
 *                                 ROWS/CHANGED-th) with new values: changed
 *                                 rows spread over the whole table
 * Records are generated in batches of 10,000 (one batch made once, then only
 * ids and values change), so memory measures the write path, not the input.
 * Prints one line: name=... rows=... seconds=... peak_rss_kb=...
 * Credentials for s3:// come from the environment (AWS_ACCESS_KEY_ID, ...). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <lakeorm.h>

#include "../event.h"

/* The same columns as deltalake's and Spark's tables in peers.py; id is the merge key. */
static const lake_field event_fields[] = EVENT_FIELDS("id,mergeKey", EVENT_RULES);
static const lake_model event_model = LAKE_MODEL(event, "events", event_fields);
/* Appends write the same table without its merge key: a blind append. */
static const lake_field append_fields[] = EVENT_FIELDS("id", EVENT_RULES);
static const lake_model append_model = LAKE_MODEL(event, "events", append_fields);
static const lake_field unruled_fields[] = EVENT_FIELDS("id", EVENT_NO_RULES);
static const lake_model unruled_model = LAKE_MODEL(event, "events", unruled_fields);

static void die(const char *what, const lake_error *err) {
    fprintf(stderr, "bench_delta: %s: %s\n", what, err ? err->message : "");
    exit(1);
}

static long peak_rss_kb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* One streaming request of `rows` records with ids 1, 1+stride, ...; returns its result. */
static lake_insert_result request(lake_client *c, const lake_schema *s, size_t rows, size_t stride, uint64_t bump) {
    lake_error err = LAKE_ERROR_INIT;
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    lake_ingest *in;
    if (lake_client_ingest_begin(c, s, &o, &in, &err)) die("begin", &err);
    for (size_t at = 0; at < rows; at += BATCH) {
        size_t n = rows - at < BATCH ? rows - at : BATCH;
        next_batch(at, n, stride);
        for (size_t i = 0; i < n; i++) batch[i].amount.lo = (uint64_t)((at + i) * 37 % 100000) + bump; /* merges change it */
        if (lake_ingest_append(in, batch, n, &err)) die("append", &err);
    }
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    if (lake_ingest_commit(in, &r, &err)) die("commit", &err);
    return r;
}

int main(int argc, char **argv) {
    if (argc < 4 || (!strcmp(argv[1], "merge") && argc < 5)) {
        fprintf(stderr, "usage: bench_delta append|append-unruled ROWS WAREHOUSE | merge ROWS CHANGED WAREHOUSE\n");
        return 2;
    }
    bool merge = !strcmp(argv[1], "merge"), unruled = !strcmp(argv[1], "append-unruled");
    size_t rows = strtoull(argv[2], NULL, 10), changed = merge ? strtoull(argv[3], NULL, 10) : 0;
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *s;
    lake_client *c;
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.driver = "duckdb";
    o.dialect = "delta";
    o.warehouse = argv[merge ? 4 : 3];
    if (lake_schema_of(&s, merge ? &event_model : unruled ? &unruled_model : &append_model, &err) || lake_client_open(&c, &o, &err) ||
        lake_client_migrate(c, s, &err))
        die("setup", &err);
    make_batch();
    double t = now();
    lake_insert_result r;
    if (merge) { /* every (rows/changed)-th key gets new values: changed rows spread over every file */
        r = request(c, s, changed, rows / changed, 7);
        if (r.updated != changed) die("merge: not every row matched", NULL);
    } else {
        r = request(c, s, rows, 1, 0);
        if (r.inserted != rows) die("append: not every row inserted", NULL);
    }
    t = now() - t;
    lake_client_close(c);
    printf("name=lakeorm-%s rows=%zu changed=%zu seconds=%.3f peak_rss_kb=%ld\n", argv[1], rows, changed, t,
           peak_rss_kb());
    return 0;
}
