/* SPDX-License-Identifier: MIT */
/* Inserting N records into an embedded DuckDB table, one way per run:
 *   lakeorm-direct   lakeorm's streaming request on the direct path (validation included)
 *   lakeorm-staged   the same on the staged path (Parquet parts, then one INSERT ... SELECT)
 *   raw-appender     a hand-written DuckDB Appender loop, no validation: the limit we chase
 *   read-json FILE   DuckDB's own INSERT INTO t SELECT * FROM read_json(FILE), no validation
 * Records are generated in batches of 10,000 (one batch made once, then only
 * ids and times change), so memory measures the insert path, not the input.
 * Prints one line: name=... rows=... seconds=... peak_rss_kb=... [rss_before_commit_kb=...]
 * Usage: bench_insert MODE ROWS DIR [NDJSON] */
#include <duckdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <lakeorm.h>

#include "../event.h"

static const lake_field event_fields[] = EVENT_FIELDS("id", EVENT_RULES);
static const lake_model event_model = LAKE_MODEL(event, "events", event_fields);

static void die(const char *what, const lake_error *err) {
    fprintf(stderr, "bench_insert: %s: %s\n", what, err ? err->message : "");
    exit(1);
}

static void exec_sql(duckdb_connection con, const char *sql) {
    duckdb_result r;
    if (duckdb_query(con, sql, &r) == DuckDBError) {
        fprintf(stderr, "bench_insert: %s: %s\n", sql, duckdb_result_error(&r));
        exit(1);
    }
    duckdb_destroy_result(&r);
}

static void raw_appender(duckdb_connection con, size_t rows) {
    exec_sql(con, "BEGIN TRANSACTION");
    duckdb_appender a;
    if (duckdb_appender_create(con, NULL, "events", &a) == DuckDBError) die("appender", NULL);
    const char *id = "01a22da7-0c9d-7244-94b3-0372e6c92cd5";
    for (size_t at = 0; at < rows; at += BATCH) {
        size_t n = rows - at < BATCH ? rows - at : BATCH;
        next_batch(at, n, 1);
        for (size_t i = 0; i < n; i++) {
            const event *e = &batch[i];
            duckdb_append_int64(a, e->id);
            duckdb_append_varchar_length(a, e->email.ptr, e->email.len);
            duckdb_append_varchar_length(a, e->country.ptr, e->country.len);
            if (e->age.valid) duckdb_append_int32(a, e->age.v);
            else duckdb_append_null(a);
            duckdb_append_timestamp(a, (duckdb_timestamp){e->created_at.us});
            duckdb_value d = duckdb_create_decimal((duckdb_decimal){18, 2, {e->amount.lo, e->amount.hi}});
            duckdb_append_value(a, d);
            duckdb_destroy_value(&d);
            if (e->note.ptr) duckdb_append_varchar_length(a, e->note.ptr, e->note.len);
            else duckdb_append_null(a);
            duckdb_append_varchar(a, id);
            if (duckdb_appender_end_row(a) == DuckDBError) die(duckdb_appender_error(a), NULL);
        }
    }
    if (duckdb_appender_destroy(&a) == DuckDBError) die("appender close", NULL);
    exec_sql(con, "COMMIT");
}

static long rss_before_commit; /* lakeorm's own side: records in, parts or appender out */

static long peak_rss_kb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void lakeorm(lake_client *c, const lake_schema *s, size_t rows, lake_write_path path) {
    lake_error err = LAKE_ERROR_INIT;
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.path = path;
    lake_ingest *in;
    if (lake_client_ingest_begin(c, s, &o, &in, &err)) die("begin", &err);
    for (size_t at = 0; at < rows; at += BATCH) {
        size_t n = rows - at < BATCH ? rows - at : BATCH;
        next_batch(at, n, 1);
        if (lake_ingest_append(in, batch, n, &err)) die("append", &err);
    }
    rss_before_commit = peak_rss_kb();
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    if (lake_ingest_commit(in, &r, &err)) die("commit", &err);
    if (r.rows != rows) die("row count", NULL);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: bench_insert lakeorm-direct|lakeorm-staged|raw-appender|read-json ROWS DIR [NDJSON]\n");
        return 2;
    }
    const char *mode = argv[1], *dir = argv[3];
    size_t rows = strtoull(argv[2], NULL, 10);
    char db[4096], staging[4200];
    snprintf(db, sizeof db, "%s/%s.duckdb", dir, mode);
    snprintf(staging, sizeof staging, "file://%s/staging", dir);
    remove(db);
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *s;
    lake_client *c;
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.database = db;
    o.staging = staging;
    if (lake_schema_of(&s, &event_model, &err) || lake_client_open(&c, &o, &err) || lake_client_migrate(c, s, &err))
        die("setup", &err);
    make_batch();
    duckdb_connection con;
    if (duckdb_connect(*(duckdb_database *)lake_client_native(c, NULL), &con) == DuckDBError) die("connect", NULL);
    double t = now();
    if (!strcmp(mode, "lakeorm-direct")) lakeorm(c, s, rows, LAKE_PATH_DIRECT);
    else if (!strcmp(mode, "lakeorm-staged")) lakeorm(c, s, rows, LAKE_PATH_STAGED);
    else if (!strcmp(mode, "raw-appender")) raw_appender(con, rows);
    else if (!strcmp(mode, "read-json") && argc > 4) {
        char sql[4300];
        snprintf(sql, sizeof sql,
                 "INSERT INTO events SELECT *, NULL AS _ingest_id FROM read_json('%s', format = 'newline_delimited', "
                 "columns = {id: 'BIGINT', email: 'VARCHAR', country: 'VARCHAR', age: 'INTEGER', created_at: "
                 "'TIMESTAMPTZ', amount: 'DECIMAL(18,2)', note: 'VARCHAR'})",
                 argv[4]);
        exec_sql(con, sql);
    } else {
        die("unknown mode", NULL);
    }
    t = now() - t;
    duckdb_result r;
    duckdb_query(con, "SELECT count(*) FROM events", &r);
    long long n = duckdb_value_int64(&r, 0, 0);
    duckdb_destroy_result(&r);
    duckdb_disconnect(&con);
    lake_client_close(c);
    if (n != (long long)rows) die("the table does not hold every row", NULL);
    printf("name=%s rows=%zu seconds=%.3f peak_rss_kb=%ld", mode, rows, t, peak_rss_kb());
    if (rss_before_commit) printf(" rss_before_commit_kb=%ld", rss_before_commit);
    printf(" engine=%s\n", duckdb_library_version());
    remove(db);
    return 0;
}
