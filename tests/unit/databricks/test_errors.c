/* SPDX-License-Identifier: MIT */
/* The Databricks SQL driver's refusals, classified, against
 * tests/databricks/server.py (the Statement Execution API over the suite's
 * real Spark): a failed statement by its error class and SQLSTATE, the API's
 * own refusals by HTTP status and error code. */
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "drivers/databricks/warehouse.h"
#include "fake_warehouse.h"

static void open_with(lake__dbx *d, const char *token) {
    char url[200];
    snprintf(url, sizeof url, "%s/sql/1.0/warehouses/wh-test;token=%s", warehouse_url, token);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__dbx_open(d, url, &lake__dialect_delta, &err), &err);
}

static int run(lake__dbx *d, const char *sql, lake_error *err) {
    return lake__dbx_sql(d, sql, NULL, 0, NULL, 0, NULL, err);
}

static void missing_table_is_not_found(void) {
    lake__dbx d;
    open_with(&d, "dapi-test");
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(run(&d, "SELECT * FROM spark_catalog.default.no_such_table_anywhere", &err), LAKE_EREMOTE, &err);
    CHECK_EQ_INT(err.kind, LAKE_KIND_NOT_FOUND);
    CHECK_EQ_STR(err.engine_class, "TABLE_OR_VIEW_NOT_FOUND");
    CHECK_EQ_STR(err.sqlstate, "42P01");
    CHECK_STATUS(run(&d, "SELEC 1", &err), LAKE_EREMOTE, &err);
    CHECK_EQ_INT(err.kind, LAKE_KIND_INVALID);
    CHECK_EQ_STR(err.engine_class, "PARSE_SYNTAX_ERROR");
    CHECK_EQ_STR(err.sqlstate, "42601");
    lake_error_clear(&err);
    lake__dbx_close(&d);
}

static void refused_token_is_permission(void) {
    lake__dbx d;
    open_with(&d, "dapi-wrong");
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(run(&d, "SELECT 1", &err), LAKE_EAUTH, &err);
    CHECK_EQ_INT(err.kind, LAKE_KIND_PERMISSION);
    CHECK_EQ_STR(err.engine_class, "UNAUTHENTICATED");
    CHECK_EQ_STR(err.sqlstate, "");
    CHECK_CONTAINS(err.message, "HTTP 401");
    lake_error_clear(&err);
    lake__dbx_close(&d);
}

static size_t discard(char *data, size_t size, size_t n, void *ctx) {
    (void)data;
    (void)ctx;
    return size * n;
}

/* A warehouse answering 503 to every attempt the driver makes (six). */
static void unavailable_warehouse_is_retryable(void) {
    char url[128];
    snprintf(url, sizeof url, "%s/_test/refuse_next/6/503", warehouse_url);
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    CHECK(curl_easy_perform(c) == CURLE_OK);
    curl_easy_cleanup(c);
    lake__dbx d;
    open_with(&d, "dapi-test");
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(run(&d, "SELECT 1", &err), LAKE_EREMOTE, &err);
    CHECK_EQ_INT(err.kind, LAKE_KIND_RETRYABLE);
    CHECK_EQ_STR(err.engine_class, "TEMPORARILY_UNAVAILABLE");
    lake_error_clear(&err);
    lake__dbx_close(&d);
}

int main(void) {
    const char *port = getenv("LAKE_TEST_SPARK_PORT"), *state = getenv("LAKE_TEST_SPARK_STATE");
    if (!port || !state) {
        fprintf(stderr, "LAKE_TEST_SPARK_PORT unset: run through ctest\n");
        return 1;
    }
    if (lake_test_spark_skipped(state)) return 77;
    start_server(port, state, NULL);
    atexit(stop_server); /* also when a case ends the program */
    LAKE_RUN(missing_table_is_not_found);
    LAKE_RUN(refused_token_is_permission);
    LAKE_RUN(unavailable_warehouse_is_retryable);
    return lake_test_summary();
}
