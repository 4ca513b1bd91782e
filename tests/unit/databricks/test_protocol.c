/* SPDX-License-Identifier: MIT */
/* The Databricks SQL driver's pieces that need no server: warehouse
 * addresses, the API's answers, and `?` markers turned into named ones. */
#include <stdlib.h>

#include "lake_test.h"

#include "drivers/databricks/response.h"
#include "drivers/databricks/target.h"
#include "drivers/databricks/warehouse.h"
#include "util/alloc.h"

static void address_takes_host_warehouse_and_keys(void) {
    lake__dbx_target t;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__dbx_target_parse("https://dbc-1.cloud.databricks.com/sql/1.0/warehouses/abc123;token=dapi1;wait=0;"
                                    "timeout=30;links=8", &t, &err), &err);
    CHECK_EQ_STR(t.base, "https://dbc-1.cloud.databricks.com");
    CHECK_EQ_STR(t.warehouse, "abc123");
    CHECK_EQ_STR(t.token, "dapi1");
    CHECK_EQ_INT(t.wait_seconds, 0);
    CHECK(t.timeout_seconds == 30);
    CHECK_EQ_INT(t.links, 8);
    lake__dbx_target_dispose(&t);
    CHECK_OK(lake__dbx_target_parse("http://127.0.0.1:8080/sql/1.0/warehouses/w;client_id=sp;client_secret=s3cret", &t,
                                    &err), &err);
    CHECK_EQ_STR(t.base, "http://127.0.0.1:8080");
    CHECK_EQ_STR(t.client_id, "sp");
    CHECK_EQ_INT(t.wait_seconds, 10);
    CHECK(t.token == NULL);
    lake__dbx_target_dispose(&t);
}

static void address_errors_are_clear_and_keep_secrets(void) {
    static const struct { const char *url, *says; int code; } bad[] = {
        {"sc://h:15002", "https://", LAKE_EINVAL},
        {"http://dbc-1.cloud.databricks.com/sql/1.0/warehouses/w;token=x", "in clear", LAKE_EINVAL},
        {"http://127.0.0.1.nip.example/sql/1.0/warehouses/w;token=x", "in clear", LAKE_EINVAL}, /* a name, not loopback */
        {"https://h/sql/protocolv1/o/1/0123", "HTTP path", LAKE_EINVAL},
        {"https://h/sql/1.0/warehouses/;token=x", "warehouse id", LAKE_EINVAL},
        {"https://h/sql/1.0/warehouses/w;token=topsecret;colour=red", "unknown key \"colour\"", LAKE_EINVAL},
        {"https://h/sql/1.0/warehouses/w;token=topsecret;wait=3", "wait=3", LAKE_EINVAL},
        {"https://h/sql/1.0/warehouses/w;token=topsecret;client_id=a;client_secret=b", "not both", LAKE_EINVAL},
        {"https://h/sql/1.0/warehouses/w;client_id=a", "no credentials", LAKE_EAUTH},
    };
    unsetenv("DATABRICKS_TOKEN");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lake__dbx_target t;
        lake_error err = LAKE_ERROR_INIT;
        CHECK_STATUS(lake__dbx_target_parse(bad[i].url, &t, &err), bad[i].code, &err);
        CHECK_CONTAINS(err.message, bad[i].says);
        CHECK(!strstr(err.message, "topsecret"));
        lake__dbx_target_dispose(&t);
    }
}

static void credentials_come_from_the_environment(void) {
    setenv("DATABRICKS_TOKEN", "dapi-env", 1);
    lake__dbx_target t;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__dbx_target_parse("https://h/sql/1.0/warehouses/w", &t, &err), &err);
    CHECK_EQ_STR(t.token, "dapi-env");
    lake__dbx_target_dispose(&t);
    unsetenv("DATABRICKS_TOKEN");
    setenv("DATABRICKS_CLIENT_ID", "sp-env", 1);
    setenv("DATABRICKS_CLIENT_SECRET", "secret-env", 1);
    CHECK_OK(lake__dbx_target_parse("https://h/sql/1.0/warehouses/w", &t, &err), &err);
    CHECK_EQ_STR(t.client_id, "sp-env");
    CHECK_EQ_STR(t.client_secret, "secret-env");
    lake__dbx_target_dispose(&t);
    unsetenv("DATABRICKS_CLIENT_ID");
    unsetenv("DATABRICKS_CLIENT_SECRET");
}

static void parses_a_statement_with_links_and_headers(void) {
    char *text = lake_test_read_file(LAKE_FUZZ_CORPUS "/links.json");
    lake_arena *arena;
    lake_arena_new(&arena);
    lake__dbx_response r;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__dbx_response_parse(text, strlen(text), false, arena, &r, &err), &err);
    CHECK_EQ_STR(r.statement_id, "01ef-a");
    CHECK(r.state == LAKE__DBX_SUCCEEDED);
    CHECK_EQ_INT(r.total_chunk_count, 2);
    CHECK_EQ_INT(r.total_row_count, 3);
    CHECK_EQ_INT(r.column_count, 2);
    CHECK_EQ_STR(r.columns[1], "name");
    CHECK_EQ_INT(r.link_count, 1);
    CHECK_EQ_STR(r.links[0].url, "https://bucket.s3.amazonaws.com/x?sig=1");
    CHECK_EQ_INT(r.links[0].chunk_index, 0);
    CHECK_EQ_INT(r.links[0].row_count, 2);
    CHECK_EQ_INT(r.links[0].next_chunk_index, 1);
    CHECK_EQ_INT(r.links[0].header_count, 1);
    CHECK_EQ_STR(r.links[0].headers[0], "x-amz-server-side-encryption-customer-key: abc");
    CHECK(!r.has_first_value);
    lake_arena_free(arena);
    free(text);
}

static void parses_inline_rows_failures_chunks_and_tokens(void) {
    lake_arena *arena;
    lake_arena_new(&arena);
    lake__dbx_response r;
    lake_error err = LAKE_ERROR_INIT;
    char *text = lake_test_read_file(LAKE_FUZZ_CORPUS "/inline.json");
    CHECK_OK(lake__dbx_response_parse(text, strlen(text), false, arena, &r, &err), &err);
    CHECK(r.has_first_value);
    CHECK_EQ_STR(r.first_value, "7");
    CHECK_EQ_INT(r.row_count, 2);
    free(text);
    text = lake_test_read_file(LAKE_FUZZ_CORPUS "/failed.json");
    CHECK_OK(lake__dbx_response_parse(text, strlen(text), false, arena, &r, &err), &err);
    CHECK(r.state == LAKE__DBX_FAILED);
    CHECK_EQ_STR(r.error_code, "TABLE_OR_VIEW_NOT_FOUND");
    CHECK_EQ_STR(r.sql_state, "42P01");
    CHECK_CONTAINS(r.message, "cannot be found");
    free(text);
    text = lake_test_read_file(LAKE_FUZZ_CORPUS "/chunk.json");
    CHECK_OK(lake__dbx_response_parse(text, strlen(text), true, arena, &r, &err), &err);
    CHECK_EQ_INT(r.link_count, 1);
    CHECK_EQ_INT(r.links[0].chunk_index, 3);
    CHECK_EQ_INT(r.links[0].next_chunk_index, 4);
    free(text);
    text = lake_test_read_file(LAKE_FUZZ_CORPUS "/token.json");
    CHECK_OK(lake__dbx_response_parse(text, strlen(text), false, arena, &r, &err), &err);
    CHECK_EQ_STR(r.access_token, "eyJ.x.y");
    CHECK_EQ_INT(r.expires_in, 3600);
    free(text);
    static const char *const broken[] = {"", "[]", "{\"statement_id\":", "{\"a\":1} x", "{\"a\":\"\\ud800\"}"};
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        CHECK_STATUS(lake__dbx_response_parse(broken[i], strlen(broken[i]), false, arena, &r, &err), LAKE_EREMOTE, &err);
        lake_error_clear(&err);
    }
    lake_arena_free(arena);
}

static void question_marks_become_named_markers_outside_quotes(void) {
    char names[4][16], *sql = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__dbx_positional("SELECT '?', \"a?\", `c?` -- why?\n, /* ? */ x FROM t WHERE a = ? AND b = 'it''s?' "
                                  "AND c = 'x\\'?' AND d = ?", 2, &sql, names, &err), &err);
    CHECK_EQ_STR(sql, "SELECT '?', \"a?\", `c?` -- why?\n, /* ? */ x FROM t WHERE a = :p1 AND b = 'it''s?' "
                      "AND c = 'x\\'?' AND d = :p2");
    CHECK_EQ_STR(names[1], "p2");
    lake__free(sql);
    CHECK_STATUS(lake__dbx_positional("SELECT ?, ?", 1, &sql, names, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "more than 1");
    CHECK_STATUS(lake__dbx_positional("SELECT ?", 2, &sql, names, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "1 `?` markers for 2");
    lake_error_clear(&err);
}

int main(void) {
    LAKE_RUN(address_takes_host_warehouse_and_keys);
    LAKE_RUN(address_errors_are_clear_and_keep_secrets);
    LAKE_RUN(credentials_come_from_the_environment);
    LAKE_RUN(parses_a_statement_with_links_and_headers);
    LAKE_RUN(parses_inline_rows_failures_chunks_and_tokens);
    LAKE_RUN(question_marks_become_named_markers_outside_quotes);
    return lake_test_summary();
}
