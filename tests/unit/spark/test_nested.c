/* SPDX-License-Identifier: MIT */
/* Nested types on the Spark Connect driver, against the real Spark 4.0
 * server of the Spark suite (tests/spark/server.sh), on Delta and Iceberg:
 * the nested event records (nested_rows.h) migrate, go in by the direct path
 * as nested Arrow batches or by the staged path as nested Parquet, and come back typed through every read (array,
 * first, stream) exactly as written; deltalake or pyiceberg, and PySpark's
 * own client, then read the table value by value (tests/spark/read_nested.py). */
#include <stdlib.h>
#include <unistd.h>

#include "lake_test.h"
#include "nested_rows.h"

enum { EVENTS = 40 };
static event events[EVENTS];
static char pool_bytes[1 << 20];
static const char *dialect, *state_dir, *port;
static lake_write_path path;
static char staging_url[160];

static lake_client *open_client(void) {
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    char address[64];
    snprintf(address, sizeof address, "sc://127.0.0.1:%s", port);
    o.driver = "spark";
    o.dialect = dialect;
    o.database = address;
    o.default_schema = !strcmp(dialect, "iceberg") ? "lake.lakeorm" : "lakeorm";
    o.staging = staging_url;
    lake_client *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    return c;
}

static size_t same_as_written(const lake_schema *s, const event *got, size_t n) {
    size_t same = 0;
    for (size_t i = 0; i < n; i++) same += lake_test_records_equal(s, &got[i], &events[i]);
    return same;
}

static void nested_events_round_trip_and_independent_readers_agree(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &event_model, &err), &err);
    lake_client *c = open_client();
    CHECK_OK(lake_client_exec(c, "DROP TABLE IF EXISTS events", NULL, 0, NULL, &err), &err);
    CHECK_OK(lake_client_migrate(c, s, &err), &err);
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.path = path;
    lake_insert_result result = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, s, events, EVENTS, &o, &result, &err), &err);
    CHECK(result.path == path && result.rows == EVENTS);

    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    event *all = NULL;
    size_t n = 0;
    lake_source ordered = LAKE_SQL("SELECT * FROM events ORDER BY at");
    CHECK_OK(lake_client_query_all(c, s, &ordered, arena, (void **)&all, &n, &err), &err);
    CHECK_EQ_INT(n, EVENTS);
    CHECK_EQ_INT(same_as_written(s, all, n), EVENTS);
    lake_free(all);

    event first;
    lake_param p[] = {lake_param_text("click")};
    lake_source one = LAKE_SQL_PARAMS("SELECT * FROM events WHERE kind = ? ORDER BY at LIMIT 1", p, 1);
    CHECK_OK(lake_client_query_first(c, s, &one, arena, &first, &err), &err);
    CHECK(lake_test_records_equal(s, &first, &events[1]));

    lake_rows *r;
    CHECK_OK(lake_client_rows(c, s, &ordered, &r, &err), &err);
    const void *rec;
    size_t streamed = 0, same = 0;
    while (lake_rows_next(r, &rec, &err) == LAKE_OK && rec) {
        same += streamed < EVENTS && lake_test_records_equal(s, rec, &events[streamed]);
        streamed++;
    }
    lake_rows_close(r);
    CHECK_EQ_INT(streamed, EVENTS);
    CHECK_EQ_INT(same, EVENTS);
    lake_arena_free(arena);
    lake_client_close(c);

    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s/tests/spark/read_nested.py %s %s lakeorm events %d %s", LAKE_PYTHON,
             LAKE_SOURCE_DIR, dialect, state_dir, EVENTS, port);
    CHECK(system(cmd) == 0);
    lake_error_clear(&err);
}

int main(void) {
    port = getenv("LAKE_TEST_SPARK_PORT");
    state_dir = getenv("LAKE_TEST_SPARK_STATE");
    if (!port || !state_dir) {
        fprintf(stderr, "LAKE_TEST_SPARK_PORT/STATE unset: run through ctest\n");
        return 1;
    }
    if (lake_test_spark_skipped(state_dir)) return 77;
    nested_pool pool = {pool_bytes, pool_bytes + sizeof pool_bytes};
    for (int i = 0; i < EVENTS; i++) nested_event_make(&events[i], i, &pool);
    char staging_dir[] = "/tmp/lake_spark_nested_XXXXXX";
    if (!mkdtemp(staging_dir)) return 1;
    snprintf(staging_url, sizeof staging_url, "file://%s", staging_dir);
    static const char *dialects[] = {"delta", "iceberg"};
    for (int d = 0; d < 2; d++) {
        for (int p = LAKE_PATH_DIRECT; p <= LAKE_PATH_STAGED; p++) {
            path = (lake_write_path)p;
            dialect = dialects[d];
            printf("-- %s, %s path\n", dialect, path == LAKE_PATH_DIRECT ? "direct" : "staged");
            LAKE_RUN(nested_events_round_trip_and_independent_readers_agree);
        }
    }
    rmdir(staging_dir); /* empty: staging is cleaned after every insert */
    return lake_test_summary();
}
