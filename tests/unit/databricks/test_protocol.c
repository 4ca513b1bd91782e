/* SPDX-License-Identifier: MIT */
/* The Databricks SQL driver's pieces that need no server: warehouse
 * addresses, the API's answers, and `?` markers turned into named ones. */
#include <stdio.h>
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

/* Databricks SQL reports a failed statement's Spark error class only at the
 * start of its message ("[CLASS] ..."); anything else there is no class. */
static void failed_statement_names_its_error_class(void) {
    lake_arena *arena;
    lake_arena_new(&arena);
    lake__dbx_response r;
    lake_error err = LAKE_ERROR_INIT;
    static const struct {
        const char *message, *cls;
    } cases[] = {
        {"[TABLE_OR_VIEW_NOT_FOUND] The table or view `t` cannot be found.", "TABLE_OR_VIEW_NOT_FOUND"},
        {"[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column `x` cannot be resolved.", "UNRESOLVED_COLUMN.WITH_SUGGESTION"},
        {"[DELTA_CONCURRENT_APPEND] Files were added", "DELTA_CONCURRENT_APPEND"},
        {"The table `t` cannot be found. [TABLE_OR_VIEW_NOT_FOUND]", NULL},
        {"[not a class] x", NULL},
        {"[] x", NULL},
        {"[.X] x", NULL},
        {"[TABLE_OR_VIEW_NOT_FOUND x", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char doc[400];
        snprintf(doc, sizeof doc, "{\"statement_id\":\"s\",\"status\":{\"state\":\"FAILED\",\"error\":{\"error_code\":"
                                  "\"BAD_REQUEST\",\"message\":\"%s\"}}}", cases[i].message);
        CHECK_OK(lake__dbx_response_parse(doc, strlen(doc), false, arena, &r, &err), &err);
        if (cases[i].cls) CHECK_EQ_STR(r.error_class, cases[i].cls);
        else if (r.error_class) LAKE_FAIL_AT("\"%s\" gave class \"%s\"", cases[i].message, r.error_class);
    }
    CHECK_EQ_INT(lake__dbx_http_kind(401), LAKE_KIND_PERMISSION);
    CHECK_EQ_INT(lake__dbx_http_kind(403), LAKE_KIND_PERMISSION);
    CHECK_EQ_INT(lake__dbx_http_kind(429), LAKE_KIND_RETRYABLE);
    CHECK_EQ_INT(lake__dbx_http_kind(503), LAKE_KIND_RETRYABLE);
    CHECK_EQ_INT(lake__dbx_http_kind(500), LAKE_KIND_NONE);
    CHECK_EQ_INT(lake__dbx_http_kind(404), LAKE_KIND_NONE);
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

/* Every parameter type goes as its own: text with the type's name; bytes as
 * base64 decoded where the marker stood; named ones follow the positional. */
static void parameters_carry_their_types(void) {
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    static const uint8_t raw[] = {0xff, 0x00, 0x41};
    lake_param params[] = {lake_param_int64(-42),
                           lake_param_double(0.5),
                           lake_param_bool(true),
                           lake_param_text("it's"),
                           lake_param_timestamp(86400000001),
                           lake_param_date(-1),
                           lake_param_decimal(-12345, 10, 2),
                           lake_param_bytes(raw, sizeof raw),
                           lake_param_null()};
    enum { N = sizeof params / sizeof params[0] };
    static const struct { const char *value, *type; } want[N] = {
        {"-42", "BIGINT"}, {"0.5", "DOUBLE"}, {"true", "BOOLEAN"}, {"it's", "STRING"},
        {"1970-01-02T00:00:00.000001Z", "TIMESTAMP"}, {"1969-12-31", "DATE"}, {"-123.45", "DECIMAL(10,2)"},
        {"/wBB", "STRING"}, {NULL, "STRING"}};
    lake__dbx_param named[] = {{"v1", "id", "STRING"}};
    const char *text;
    lake__dbx_param *bound;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__dbx_bind(&lake__dialect_delta, "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, :v1", params, N, named, 1, arena, &text, &bound, &err), &err);
    CHECK_EQ_STR(text, "SELECT :p1, :p2, :p3, :p4, :p5, :p6, :p7, unbase64(:p8), :p9, :v1");
    for (size_t i = 0; i < N; i++) {
        char name[8];
        snprintf(name, sizeof name, "p%zu", i + 1);
        CHECK_EQ_STR(bound[i].name, name);
        if (want[i].value) CHECK_EQ_STR(bound[i].value, want[i].value);
        else CHECK(bound[i].value == NULL);
        CHECK_EQ_STR(bound[i].type, want[i].type);
    }
    CHECK_EQ_STR(bound[N].name, "v1");
    lake_param bad[] = {lake_param_decimal(1, 39, 0)};
    CHECK_STATUS(lake__dbx_bind(&lake__dialect_delta, "SELECT ?", bad, 1, NULL, 0, arena, &text, &bound, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "precision");
    lake_param invalid[] = {{LAKE_PARAM_TEXT, {.text = {"\xff", 1}}}};
    CHECK_STATUS(lake__dbx_bind(&lake__dialect_delta, "SELECT ?", invalid, 1, NULL, 0, arena, &text, &bound, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "UTF-8");
    lake_error_clear(&err);
    lake_arena_free(arena);
}

int main(void) {
    LAKE_RUN(address_takes_host_warehouse_and_keys);
    LAKE_RUN(address_errors_are_clear_and_keep_secrets);
    LAKE_RUN(credentials_come_from_the_environment);
    LAKE_RUN(parses_a_statement_with_links_and_headers);
    LAKE_RUN(parses_inline_rows_failures_chunks_and_tokens);
    LAKE_RUN(failed_statement_names_its_error_class);
    LAKE_RUN(question_marks_become_named_markers_outside_quotes);
    LAKE_RUN(parameters_carry_their_types);
    return lake_test_summary();
}
