/* SPDX-License-Identifier: MIT */
/* Nested reads on the Databricks SQL driver, against the fake warehouse
 * (fake_warehouse.h) over the suite's real Spark: the nested event records
 * (nested_rows.h) are written to a Delta table through the Spark Connect
 * driver's direct path, then read back typed through the warehouse's Arrow
 * results, in chunks behind links (array, first, stream), exactly as written.
 * Writes through the warehouse's own paths wait for nested Parquet (staged)
 * and array()/map() in the VALUES of the direct path. */
#include <curl/curl.h>
#include <sys/stat.h>

#include "fake_warehouse.h"
#include "nested_rows.h"

enum { EVENTS = 40 };
static event events[EVENTS];
static char pool_bytes[1 << 20];
static const char *spark_port;

static lake_client *open_spark(void) {
    char address[64];
    snprintf(address, sizeof address, "sc://127.0.0.1:%s", spark_port);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.driver = "spark";
    o.dialect = "delta";
    o.database = address;
    o.default_schema = "lakeorm_dbx_nested";
    lake_client *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    return c;
}

static lake_client *open_warehouse(void) {
    char database[400];
    snprintf(database, sizeof database, "%s/sql/1.0/warehouses/wh-test;token=dapi-test", warehouse_url);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.driver = "databricks";
    o.database = database;
    o.default_schema = "spark_catalog.lakeorm_dbx_nested";
    lake_client *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    return c;
}

/* The whole table, ordered as written, equals what was written. */
static void reads_back_every_event(lake_client *c, const lake_schema *s, lake_arena *arena) {
    lake_error err = LAKE_ERROR_INIT;
    event *all = NULL;
    size_t n = 0, same = 0;
    lake_source ordered = LAKE_SQL("SELECT * FROM events ORDER BY at");
    CHECK_OK(lake_client_query_all(c, s, &ordered, arena, (void **)&all, &n, &err), &err);
    CHECK_EQ_INT(n, EVENTS);
    for (size_t i = 0; i < n && i < EVENTS; i++) same += lake_test_records_equal(s, &all[i], &events[i]);
    CHECK_EQ_INT(same, EVENTS);
    lake_free(all);
}

static void nested_results_read_back_typed(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &event_model, &err), &err);
    lake_client *spark = open_spark();
    CHECK_OK(lake_client_exec(spark, "DROP TABLE IF EXISTS events", NULL, 0, NULL, &err), &err);
    CHECK_OK(lake_client_migrate(spark, s, &err), &err);
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    CHECK_OK(lake_client_insert(spark, s, events, EVENTS, &o, NULL, &err), &err);
    lake_client_close(spark);

    lake_client *c = open_warehouse();
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    reads_back_every_event(c, s, arena);

    event first;
    lake_param p[] = {lake_param_text("click")};
    lake_source one = LAKE_SQL_PARAMS("SELECT * FROM events WHERE kind = ? ORDER BY at LIMIT 1", p, 1);
    CHECK_OK(lake_client_query_first(c, s, &one, arena, &first, &err), &err);
    CHECK(lake_test_records_equal(s, &first, &events[1]));

    lake_rows *r;
    lake_source ordered = LAKE_SQL("SELECT * FROM events ORDER BY at");
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

    /* A map read into a list, or a list into a map, is named. */
    lake_source swapped = LAKE_SQL("SELECT event_id, kind, at, items, shipping, labels AS attrs, payload, scores, "
                                   "notes, attrs AS labels FROM events");
    CHECK_STATUS(lake_client_query_first(c, s, &swapped, arena, &first, &err), LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, "cannot be read into a string field");
    lake_error_clear(&err);
    lake_arena_free(arena);
    lake_client_close(c);
}

/* The warehouse's own direct path: every nested value a typed parameter inside
 * array(...), map(...) and struct(...) of the one INSERT (dialects/spark.c). */
static void nested_rows_write_directly(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &event_model, &err), &err);
    lake_client *c = open_warehouse();
    CHECK_OK(lake_client_exec(c, "DROP TABLE IF EXISTS events", NULL, 0, NULL, &err), &err);
    CHECK_OK(lake_client_migrate(c, s, &err), &err);
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.path = LAKE_PATH_DIRECT;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, s, events, EVENTS, &o, &r, &err), &err);
    CHECK_EQ_INT(r.path, LAKE_PATH_DIRECT);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    reads_back_every_event(c, s, arena);
    lake_arena_free(arena);
    lake_client_close(c);
}

int main(void) {
    const char *port = getenv("LAKE_TEST_SPARK_PORT"), *state = getenv("LAKE_TEST_SPARK_STATE");
    if (!port || !state) {
        fprintf(stderr, "LAKE_TEST_SPARK_PORT/STATE unset: run through ctest\n");
        return 1;
    }
    if (lake_test_spark_skipped(state)) return 77;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    static const char *const options[] = {"--chunk-rows", "7", NULL}; /* several chunks, each its own stream */
    start_server(port, state, options);
    atexit(stop_server);
    nested_pool pool = {pool_bytes, pool_bytes + sizeof pool_bytes};
    for (int i = 0; i < EVENTS; i++) nested_event_make(&events[i], i, &pool);
    spark_port = port;
    LAKE_RUN(nested_results_read_back_typed);
    LAKE_RUN(nested_rows_write_directly);
    stop_server();
    curl_global_cleanup();
    return lake_test_summary();
}
