/* SPDX-License-Identifier: MIT */
/* Typed parameters: every lake_param type binds as its own type (no casts in
 * the SQL), statements report the rows they changed, and bad parameters are
 * refused before the engine sees them. */
#include "client_fixture.h"

static int keep_json(void *ctx, const char *json, size_t len) {
    char *out = ctx;
    snprintf(out, 1024, "%.*s", (int)len, json);
    return 0;
}

static void every_type_binds_as_itself(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    static const uint8_t blob[] = {0, 1, 0xFF};
    lake_param p[] = {
        lake_param_text("caf\xC3\xA9"), lake_param_int64(-9007199254740993LL), lake_param_double(0.5),
        lake_param_bool(true), lake_param_timestamp(1700000000123456LL), lake_param_date(-1),
        lake_param_decimal(-12345, 12, 2), lake_param_bytes(blob, sizeof blob), lake_param_null(),
    };
    char row[1024] = "";
    /* typeof() shows what the engine received: nothing arrived as text and was cast. */
    lake_source q = LAKE_SQL_PARAMS("SELECT ? AS t, typeof(?) AS i, ? * 2 AS d, NOT ? AS b, ? AS ts, ? AS dt, "
                                    "typeof(?) AS dec, octet_length(?) AS n, ? IS NULL AS isnull",
                                    p, 9);
    CHECK_OK(lake_client_query_json(c, &q, keep_json, row, &err), &err);
    CHECK_CONTAINS(row, "\"t\":\"caf\xC3\xA9\"");
    CHECK_CONTAINS(row, "\"i\":\"BIGINT\"");
    CHECK_CONTAINS(row, "\"d\":1");
    CHECK_CONTAINS(row, "\"b\":false");
    CHECK_CONTAINS(row, "\"ts\":\"2023-11-14T22:13:20.123456Z\"");
    CHECK_CONTAINS(row, "\"dt\":\"1969-12-31\"");
    CHECK_CONTAINS(row, "\"dec\":\"DECIMAL(12,2)\"");
    CHECK_CONTAINS(row, "\"n\":3");
    CHECK_CONTAINS(row, "\"isnull\":true");
    /* The exact values, compared by the engine. */
    lake_param same[] = {lake_param_int64(-9007199254740993LL), lake_param_decimal(-12345, 12, 2)};
    q = LAKE_SQL_PARAMS("SELECT (? = -9007199254740993 AND ? = -123.45) AS exact", same, 2);
    CHECK_OK(lake_client_query_json(c, &q, keep_json, row, &err), &err);
    CHECK_CONTAINS(row, "\"exact\":true");
    lake_client_close(c);
    lake_error_clear(&err);
}

static void exec_binds_and_counts_rows(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    int64_t changed = 0;
    CHECK_OK(lake_client_exec(c, "CREATE TABLE t (id BIGINT, \"at\" TIMESTAMPTZ, amount DECIMAL(10,2));\n"
                                 "CREATE TABLE u (x INT)", NULL, 0, NULL, &err), &err);
    lake_param rows[] = {lake_param_int64(1), lake_param_timestamp(0), lake_param_decimal(150, 10, 2),
                         lake_param_int64(2), lake_param_timestamp(1000000), lake_param_decimal(-1, 10, 2)};
    CHECK_OK(lake_client_exec(c, "INSERT INTO t VALUES (?, ?, ?), (?, ?, ?)", rows, 6, &changed, &err), &err);
    CHECK_EQ_INT(changed, 2);
    lake_param cut = lake_param_timestamp(1);
    CHECK_OK(lake_client_exec(c, "DELETE FROM t WHERE \"at\" >= ?", &cut, 1, &changed, &err), &err);
    CHECK_EQ_INT(changed, 1);
    CHECK_OK(lake_client_exec(c, "CREATE TABLE v (x INT)", NULL, 0, &changed, &err), &err);
    CHECK_EQ_INT(changed, -1); /* DDL changes no rows the engine counts */
    /* Too few or too many parameters: the engine is not guessed at. */
    CHECK_STATUS(lake_client_exec(c, "DELETE FROM t WHERE id = ?", NULL, 0, NULL, &err), LAKE_EREMOTE, &err);
    CHECK_STATUS(lake_client_exec(c, "DELETE FROM t WHERE id = ?", rows, 2, NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "takes 1 parameter");
    lake_client_close(c);
    lake_error_clear(&err);
}

static void bad_parameters_are_refused(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    char row[1024];
    lake_param bad_text = lake_param_text("\xFF");
    lake_source q = LAKE_SQL_PARAMS("SELECT ? AS a", &bad_text, 1);
    CHECK_STATUS(lake_client_query_json(c, &q, keep_json, row, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "parameter 1");
    lake_param wide = lake_param_decimal(1, 39, 0);
    q = (lake_source)LAKE_SQL_PARAMS("SELECT ? AS a", &wide, 1);
    CHECK_STATUS(lake_client_query_json(c, &q, keep_json, row, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "precision");
    lake_param odd = {(lake_param_type)99, {.i64 = 0}};
    q = (lake_source)LAKE_SQL_PARAMS("SELECT ? AS a", &odd, 1);
    CHECK_STATUS(lake_client_query_json(c, &q, keep_json, row, &err), LAKE_EINVAL, &err);
    q = (lake_source)LAKE_SQL_PARAMS("SELECT ? AS a", NULL, 1);
    CHECK_STATUS(lake_client_query_json(c, &q, keep_json, row, &err), LAKE_EINVAL, &err);
    lake_client_close(c);
    lake_error_clear(&err);
}

int main(void) {
    fixture_begin();
    LAKE_RUN(every_type_binds_as_itself);
    LAKE_RUN(exec_binds_and_counts_rows);
    LAKE_RUN(bad_parameters_are_refused);
    return fixture_end();
}
