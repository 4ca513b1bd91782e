/* SPDX-License-Identifier: MIT */
/* The Spark Connect driver against a real Spark Connect server (the CTest
 * fixture in tests/spark/server.sh): versions, commands, bound parameters,
 * local relations as views, server errors with their class, SQL state and kind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/ipc.h"
#include "drivers/spark/read.h"
#include "drivers/spark/session.h"
#include "lake_test.h"
#include "util/arena.h"

static char url[256];

static void version_is_spark_4(void) {
    lake__spark sp;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__spark_open(&sp, url, 2, &err), &err);
    char v[64] = "";
    CHECK_OK(lake__spark_version(&sp, v, sizeof v, &err), &err);
    CHECK(v[0] == '4');
    lake__spark_close(&sp);
}

static void command_reports_affected_rows(void) {
    lake__spark sp;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__spark_open(&sp, url, 2, &err), &err);
    lake__spark_session s;
    CHECK_OK(lake__spark_session_get(&sp, &s, &err), &err);
    CHECK_OK(lake__spark_sql(&sp, &s, "DROP TABLE IF EXISTS t_cmd", NULL, 0, NULL, 0, &err), &err);
    CHECK_OK(lake__spark_sql(&sp, &s, "CREATE TABLE IF NOT EXISTS t_cmd (id BIGINT, name STRING) USING delta", NULL, 0, NULL, 0, &err), &err);
    lake_param params[] = {lake_param_int64(7), lake_param_text("it's \"quoted\"; DROP TABLE t_cmd")};
    char n[32];
    CHECK_OK(lake__spark_sql(&sp, &s, "INSERT INTO t_cmd SELECT ?, ?", params, 2, n, sizeof n, &err), &err);
    CHECK_EQ_STR(n, ""); /* Spark 4.0 answers an INSERT with no count */
    /* The values arrived intact and typed (bound, not pasted): deleting by both finds the row. */
    CHECK_OK(lake__spark_sql(&sp, &s, "DELETE FROM t_cmd WHERE id = ? AND name = ?", params, 2, n, sizeof n, &err), &err);
    CHECK_EQ_STR(n, "1");
    CHECK_OK(lake__spark_sql(&sp, &s, "DROP TABLE t_cmd", NULL, 0, NULL, 0, &err), &err);
    lake__spark_session_put(&sp, &s);
    lake__spark_close(&sp);
}

/* Every parameter type binds as a literal of its own type. */
static void parameters_keep_their_types(void) {
    lake__spark sp;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__spark_open(&sp, url, 2, &err), &err);
    lake__spark_session s;
    CHECK_OK(lake__spark_session_get(&sp, &s, &err), &err);
    static const uint8_t raw[] = {'h', 'i'};
    static const struct {
        lake_param p;
        const char *sql, *want;
    } cases[] = {
        {{LAKE_PARAM_INT64, {.i64 = -42}}, "SELECT concat_ws(' ', typeof(?), CAST(? AS STRING)) AS v", "bigint -42"},
        {{LAKE_PARAM_DOUBLE, {.f64 = 0.5}}, "SELECT concat_ws(' ', typeof(?), CAST(? AS STRING)) AS v", "double 0.5"},
        {{LAKE_PARAM_BOOL, {.b = true}}, "SELECT concat_ws(' ', typeof(?), CAST(? AS STRING)) AS v", "boolean true"},
        {{LAKE_PARAM_TEXT, {.text = {"it's", 4}}}, "SELECT concat_ws(' ', typeof(?), ?) AS v", "string it's"},
        {{LAKE_PARAM_TIMESTAMP, {.ts = {86400000001}}}, "SELECT concat_ws(' ', typeof(?), CAST(unix_micros(?) AS STRING)) AS v",
         "timestamp 86400000001"},
        {{LAKE_PARAM_DATE, {.date = {-1}}}, "SELECT concat_ws(' ', typeof(?), CAST(? AS STRING)) AS v", "date 1969-12-31"},
        {{LAKE_PARAM_DECIMAL, {.dec = {{(uint64_t)-12345, -1}, 10, 2}}},
         "SELECT concat_ws(' ', typeof(?), CAST(? AS STRING)) AS v", "decimal(10,2) -123.45"},
        {{LAKE_PARAM_BYTES, {.bytes = {raw, 2}}}, "SELECT concat_ws(' ', typeof(?), CAST(? AS STRING)) AS v", "binary hi"},
        {{LAKE_PARAM_NULL, {.i64 = 0}}, "SELECT concat_ws(' ', typeof(?), CAST(? AS STRING)) AS v", "void"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lake_param two[] = {cases[i].p, cases[i].p};
        char got[64] = "";
        CHECK_OK(lake__spark_query_text(&sp, &s, cases[i].sql, two, 2, got, sizeof got, &err), &err);
        CHECK_EQ_STR(got, cases[i].want);
    }
    lake__spark_session_put(&sp, &s);
    lake__spark_close(&sp);
}

static void server_error_carries_class_and_state(void) {
    lake__spark sp;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__spark_open(&sp, url, 2, &err), &err);
    lake__spark_session s;
    CHECK_OK(lake__spark_session_get(&sp, &s, &err), &err);
    CHECK_STATUS(lake__spark_sql(&sp, &s, "SELECT * FROM no_such_table_anywhere", NULL, 0, NULL, 0, &err), LAKE_EREMOTE, &err);
    CHECK(strstr(err.message, "TABLE_OR_VIEW_NOT_FOUND") != NULL);
    CHECK(strstr(err.message, "42P01") != NULL);
    /* Classified from the status details, not the message. */
    CHECK_EQ_INT(err.kind, LAKE_KIND_NOT_FOUND);
    CHECK_EQ_STR(err.engine_class, "TABLE_OR_VIEW_NOT_FOUND");
    CHECK_EQ_STR(err.sqlstate, "42P01");
    /* The same through a query's cursor. */
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    lake__spark_cursor *cur = NULL;
    CHECK_STATUS(lake__spark_cursor_open(&sp, &s, NULL, "SELECT id FROM no_such_table_anywhere", NULL, 0, arena, true,
                                         &cur, &err), LAKE_EREMOTE, &err);
    CHECK_EQ_INT(err.kind, LAKE_KIND_NOT_FOUND);
    CHECK_EQ_STR(err.engine_class, "TABLE_OR_VIEW_NOT_FOUND");
    lake_arena_free(arena);
    CHECK_STATUS(lake__spark_sql(&sp, &s, "SELEC 1", NULL, 0, NULL, 0, &err), LAKE_EREMOTE, &err);
    CHECK_EQ_INT(err.kind, LAKE_KIND_INVALID);
    CHECK_EQ_STR(err.engine_class, "PARSE_SYNTAX_ERROR");
    CHECK_EQ_STR(err.sqlstate, "42601");
    lake_error_clear(&err);
    lake__spark_session_put(&sp, &s);
    lake__spark_close(&sp);
}

/* The test server cuts result streams after 2 MiB: a 30 MB result arrives
 * whole only through reattaching, in order, each row once. */
static void long_results_survive_cut_streams(void) {
    static const char fields[] = "{\"version\": 1, \"table\": \"r\", \"fields\": [{\"tag\": \"id\", \"type\": \"int64\"}, "
                                 "{\"tag\": \"pad\", \"type\": \"string\"}]}";
    lake_schema *schema;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_parse(&schema, fields, sizeof fields - 1, &err), &err);
    lake__spark sp;
    CHECK_OK(lake__spark_open(&sp, url, 2, &err), &err);
    lake__spark_session s;
    CHECK_OK(lake__spark_session_get(&sp, &s, &err), &err);
    lake_arena *arena;
    lake_arena_new(&arena);
    lake__spark_cursor *cur;
    lake_param n[] = {lake_param_int64(300000)};
    CHECK_OK(lake__spark_cursor_open(&sp, &s, schema, "SELECT id, repeat('x', 100) AS pad FROM range(?) ORDER BY id",
                                     n, 1, arena, true, &cur, &err), &err);
    int64_t expect = 0;
    bool in_order = true;
    const void *rec;
    while (lake__spark_cursor_next(cur, &rec, &err) == LAKE_OK && rec) {
        in_order &= *(const int64_t *)rec == expect;
        expect++;
    }
    CHECK_EQ_INT(err.code, LAKE_OK);
    lake__spark_cursor_close(cur);
    CHECK_EQ_INT(expect, 300000);
    CHECK(in_order);
    CHECK(sp.reattaches > 0);
    lake_arena_free(arena);
    lake__spark_session_put(&sp, &s);
    lake__spark_close(&sp);
    lake_schema_free(schema);
}

/* A configuration list grows by an item once, and keeps what it held. */
static void conf_list_add_keeps_the_list_and_adds_once(void) {
    lake__spark sp;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__spark_open(&sp, url, 2, &err), &err);
    lake__spark_session s;
    CHECK_OK(lake__spark_session_get(&sp, &s, &err), &err);
    const char *key = "spark.lakeorm.test.rules";
    CHECK_OK(lake__spark_conf_list_add(&sp, &s, key, "a.B", &err), &err);
    CHECK_OK(lake__spark_conf_list_add(&sp, &s, key, "c.D", &err), &err);
    CHECK_OK(lake__spark_conf_list_add(&sp, &s, key, "a.B", &err), &err);
    CHECK_OK(lake__spark_conf_list_add(&sp, &s, key, "a", &err), &err); /* a prefix of an item is another item */
    char v[256];
    /* Spark substitutes ${key} with the session's value before parsing. */
    CHECK_OK(lake__spark_query_text(&sp, &s, "SELECT '${spark.lakeorm.test.rules}' AS v", NULL, 0, v, sizeof v, &err), &err);
    CHECK_EQ_STR(v, "a.B,c.D,a");
    lake__spark_session_put(&sp, &s);
    lake__spark_close(&sp);
}

static void unreachable_server_is_eio_after_retries(void) {
    lake__spark sp;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__spark_open(&sp, "sc://127.0.0.1:1", 1, &err), &err);
    sp.retry_seconds = 0.5;
    char v[64];
    CHECK_STATUS(lake__spark_version(&sp, v, sizeof v, &err), LAKE_EIO, &err);
    CHECK(strstr(err.message, "unavailable") != NULL);
    CHECK_EQ_INT(err.kind, LAKE_KIND_RETRYABLE);
    lake_error_clear(&err);
    lake__spark_close(&sp);
}

int main(void) {
    const char *port = getenv("LAKE_TEST_SPARK_PORT");
    if (!port) {
        fprintf(stderr, "LAKE_TEST_SPARK_PORT unset: run through ctest\n");
        return 1;
    }
    if (lake_test_spark_skipped(getenv("LAKE_TEST_SPARK_STATE"))) return 77;
    snprintf(url, sizeof url, "sc://127.0.0.1:%s", port);
    LAKE_RUN(version_is_spark_4);
    LAKE_RUN(command_reports_affected_rows);
    LAKE_RUN(parameters_keep_their_types);
    LAKE_RUN(server_error_carries_class_and_state);
    LAKE_RUN(long_results_survive_cut_streams);
    LAKE_RUN(conf_list_add_keeps_the_list_and_adds_once);
    LAKE_RUN(unreachable_server_is_eio_after_retries);
    return lake_test_summary();
}
