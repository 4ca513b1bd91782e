/* SPDX-License-Identifier: MIT */
/* The DuckDB driver's replacement scan: a table name DuckDB's catalog lacks
 * is offered to the configured resolve callback, and the SELECT it gives is
 * read in the table's place by plain SQL; names it does not know keep
 * DuckDB's own error, and its refusals become the statement's error. */
#include <string.h>

#include "dialects/dialect.h"
#include "drivers/driver.h"
#include "lake_test.h"

typedef struct served {
    unsigned calls;
    char last[64];
} served;

static int resolve(void *ctx, const char *name, lake__buf *sql, bool *found, lake_error *err) {
    served *s = ctx;
    s->calls++;
    snprintf(s->last, sizeof s->last, "%s", name);
    if (!strcmp(name, "orders")) {
        *found = true;
        lake__buf_puts(sql, "SELECT * FROM (VALUES (1, 'a', 10.5), (2, 'b''s', 3.0), (3, NULL, 7.25)) t(id, name, amount)");
        return sql->failed ? lake_error_set(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
    }
    if (!strcmp(name, "broken")) return lake_error_set(err, LAKE_EIO, "the log of broken lacks version 3");
    *found = false;
    return LAKE_OK;
}

typedef struct engine {
    void *impl;
    lake__session *session;
} engine;

static const lake__driver_ops *ops = &lake__duckdb_driver;

static void open_engine(engine *e, served *s) {
    lake_error err = LAKE_ERROR_INIT;
    lake__driver_config cfg = {.dialect = &lake__dialect_duckdb, .pool_size = 2};
    if (s) cfg.resolve = resolve, cfg.resolve_ctx = s;
    CHECK_OK(ops->open(&cfg, &e->impl, &err), &err);
    bool opened = false;
    CHECK_OK(ops->session_get(e->impl, &e->session, &opened, &err), &err);
}

static void close_engine(engine *e) {
    ops->session_put(e->impl, e->session, false);
    ops->close(e->impl);
}

static int ask(engine *e, const char *sql, char *out, size_t cap, lake_error *err) {
    lake__stmt st = {.sql = sql};
    return ops->query_text(e->session, &st, out, cap, err);
}

static void the_driver_says_it_resolves_tables(void) { CHECK(ops->caps.resolves_tables); }

static void plain_sql_reads_a_resolved_table(void) {
    served s = {0};
    engine e;
    open_engine(&e, &s);
    char out[256];
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(ask(&e, "SELECT count(*) FROM orders WHERE amount > 5", out, sizeof out, &err), &err);
    CHECK_EQ_STR(out, "2");
    CHECK_EQ_STR(s.last, "orders");
    CHECK_OK(ask(&e, "SELECT string_agg(o.name, ',' ORDER BY o.id) FROM orders o JOIN orders p USING (id) WHERE p.id < 3",
                 out, sizeof out, &err),
             &err);
    CHECK_EQ_STR(out, "a,b's");
    /* Prepared with parameters, as the client runs its reads. */
    lake_param params[] = {lake_param_int64(2), lake_param_text("b's")};
    lake__stmt bound = {.sql = "SELECT amount FROM orders WHERE id = ? AND name = ?", .params = params, .nparams = 2};
    CHECK_OK(ops->query_text(e.session, &bound, out, sizeof out, &err), &err);
    CHECK_EQ_STR(out, "3.00");
    /* A second session of the pool reads it too: the scan belongs to the database. */
    lake__session *other;
    bool opened = false;
    CHECK_OK(ops->session_get(e.impl, &other, &opened, &err), &err);
    lake__stmt st = {.sql = "SELECT sum(id) FROM orders"};
    CHECK_OK(ops->query_text(other, &st, out, sizeof out, &err), &err);
    CHECK_EQ_STR(out, "6");
    ops->session_put(e.impl, other, false);
    close_engine(&e);
}

static void catalog_tables_are_not_offered(void) {
    served s = {0};
    engine e;
    open_engine(&e, &s);
    lake_error err = LAKE_ERROR_INIT;
    lake__stmt create = {.sql = "CREATE TABLE orders AS SELECT 42 AS id"};
    CHECK_OK(ops->exec(e.session, &create, NULL, &err), &err);
    unsigned before = s.calls;
    char out[64];
    CHECK_OK(ask(&e, "SELECT sum(id) FROM orders", out, sizeof out, &err), &err);
    CHECK_EQ_STR(out, "42");
    CHECK_EQ_INT(s.calls, before);
    close_engine(&e);
}

static void unknown_names_keep_duckdbs_error(void) {
    served s = {0};
    engine e;
    open_engine(&e, &s);
    char out[64];
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(ask(&e, "SELECT * FROM nosuch", out, sizeof out, &err), LAKE_EREMOTE, &err);
    CHECK_CONTAINS(err.message, "nosuch does not exist");
    CHECK_EQ_INT(err.kind, LAKE_KIND_NOT_FOUND);
    CHECK_EQ_STR(s.last, "nosuch");
    lake_error_clear(&err);
    close_engine(&e);
}

static void resolve_refusals_fail_the_statement(void) {
    served s = {0};
    engine e;
    open_engine(&e, &s);
    char out[64];
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(ask(&e, "SELECT count(*) FROM broken", out, sizeof out, &err), LAKE_EREMOTE, &err);
    CHECK_CONTAINS(err.message, "reading table broken: the log of broken lacks version 3");
    lake_error_clear(&err);
    /* The session is still usable. */
    CHECK_OK(ask(&e, "SELECT count(*) FROM orders", out, sizeof out, &err), &err);
    CHECK_EQ_STR(out, "3");
    close_engine(&e);
}

static void without_resolve_no_name_is_offered(void) {
    engine e;
    open_engine(&e, NULL);
    char out[64];
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(ask(&e, "SELECT count(*) FROM orders", out, sizeof out, &err), LAKE_EREMOTE, &err);
    CHECK_CONTAINS(err.message, "orders does not exist");
    lake_error_clear(&err);
    close_engine(&e);
}

int main(void) {
    LAKE_RUN(the_driver_says_it_resolves_tables);
    LAKE_RUN(plain_sql_reads_a_resolved_table);
    LAKE_RUN(catalog_tables_are_not_offered);
    LAKE_RUN(unknown_names_keep_duckdbs_error);
    LAKE_RUN(resolve_refusals_fail_the_statement);
    LAKE_RUN(without_resolve_no_name_is_offered);
    return lake_test_summary();
}
