/* SPDX-License-Identifier: MIT */
/* Typed reads: all rows, the first row, a stream, a whole table, the native
 * handle; strings and NULLs exactly as written. */
#include "client_fixture.h"

#include <duckdb.h>

static lake_client *loaded(size_t n) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    static order rows[20000];
    make(rows, n, 0);
    if (lake_client_migrate(c, schema(), &err) || lake_client_insert(c, schema(), rows, n, NULL, NULL, &err)) {
        fprintf(stderr, "  %s\n", err.message);
        lake_error_clear(&err);
        lake_client_close(c);
        return NULL;
    }
    return c;
}

static void all_rows_into_an_array(void) {
    lake_client *c = loaded(1000);
    CHECK(c != NULL);
    lake_error err = LAKE_ERROR_INIT;
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    void *out;
    size_t n;
    lake_source q = LAKE_SQL("SELECT * FROM orders ORDER BY id");
    CHECK_OK(lake_client_query_all(c, schema(), &q, arena, &out, &n, &err), &err);
    CHECK_EQ_INT(n, 1000);
    order want[1000];
    make(want, 1000, 0);
    const order *got = out;
    size_t same = 0;
    for (size_t i = 0; i < n; i++)
        same += got[i].id == want[i].id && got[i].customer.len == want[i].customer.len &&
                !memcmp(got[i].customer.ptr, want[i].customer.ptr, want[i].customer.len) &&
                got[i].total.valid == want[i].total.valid && (got[i].note.ptr == NULL) == (want[i].note.ptr == NULL) &&
                (!want[i].note.ptr || (got[i].note.len == 4 && !memcmp(got[i].note.ptr, "rush", 4)));
    CHECK_EQ_INT(same, 1000); /* every string survives past the chunk it came in */
    lake_free(out);
    lake_arena_free(arena);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void first_row_or_no_rows(void) {
    lake_client *c = loaded(10);
    lake_error err = LAKE_ERROR_INIT;
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    order o;
    lake_param params[] = {lake_param_int64(7)};
    lake_source q = LAKE_SQL_PARAMS("SELECT * FROM orders WHERE id = ?", params, 1);
    CHECK_OK(lake_client_query_first(c, schema(), &q, arena, &o, &err), &err);
    CHECK_EQ_INT(o.id, 7);
    CHECK(o.customer.len == 15 && !memcmp(o.customer.ptr, "bob@example.org", 15));
    params[0] = lake_param_int64(70);
    CHECK_STATUS(lake_client_query_first(c, schema(), &q, arena, &o, &err), LAKE_ENOROWS, &err);
    /* Bad SQL, bad binding: errors of their own. */
    q = LAKE_SQL("SELEC nonsense");
    CHECK_STATUS(lake_client_query_first(c, schema(), &q, arena, &o, &err), LAKE_EREMOTE, &err);
    q = LAKE_SQL("SELECT id, customer, total, placed_at, 300::INT AS note FROM orders");
    CHECK_STATUS(lake_client_query_first(c, schema(), &q, arena, &o, &err), LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, "note");
    lake_arena_free(arena);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void streams_and_whole_tables(void) {
    lake_client *c = loaded(20000);
    lake_error err = LAKE_ERROR_INIT;
    lake_rows *rows;
    lake_source whole = LAKE_TABLE(NULL);
    CHECK_OK(lake_client_rows(c, schema(), &whole, &rows, &err), &err);
    const void *rec;
    int64_t n = 0, sum = 0;
    while (lake_rows_next(rows, &rec, &err) == LAKE_OK && rec) {
        n++;
        sum += ((const order *)rec)->id;
    }
    lake_rows_close(rows);
    CHECK_EQ_INT(n, 20000);
    CHECK_EQ_INT(sum, 19999LL * 20000 / 2);
    /* Closing early is fine, and the session goes back to the pool. */
    CHECK_OK(lake_client_rows(c, schema(), &whole, &rows, &err), &err);
    CHECK_OK(lake_rows_next(rows, &rec, &err), &err);
    CHECK(rec != NULL);
    lake_rows_close(rows);
    lake_source missing = LAKE_TABLE("no_such_table");
    CHECK_STATUS(lake_client_rows(c, schema(), &missing, &rows, &err), LAKE_EREMOTE, &err);
    lake_metrics m = LAKE_METRICS_INIT;
    lake_client_metrics(c, &m);
    CHECK_EQ_INT(m.rows_read, 20001);
    CHECK_EQ_INT(m.queries, 3);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void the_native_handle_reaches_the_same_database(void) {
    lake_client *c = loaded(5);
    const char *driver;
    duckdb_database *db = lake_client_native(c, &driver);
    CHECK_EQ_STR(driver, "duckdb");
    duckdb_connection con;
    CHECK(duckdb_connect(*db, &con) == DuckDBSuccess);
    duckdb_result res;
    CHECK(duckdb_query(con, "SELECT count(*) FROM orders", &res) == DuckDBSuccess);
    CHECK_EQ_INT(duckdb_value_int64(&res, 0, 0), 5);
    duckdb_destroy_result(&res);
    duckdb_disconnect(&con);
    lake_client_close(c);
}

int main(void) {
    fixture_begin();
    LAKE_RUN(all_rows_into_an_array);
    LAKE_RUN(first_row_or_no_rows);
    LAKE_RUN(streams_and_whole_tables);
    LAKE_RUN(the_native_handle_reaches_the_same_database);
    return fixture_end();
}
