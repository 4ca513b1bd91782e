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
    char filter[512]; /* the filter the last scan got, as describe() writes it; "-" for none */
} served;

static void describe(const lake__scan_filter *f, char *out, size_t cap) {
    static const char *const ops[] = {"=", "<", "<=", ">", ">=", " IN ", " IS NULL", " IS NOT NULL"};
    size_t n = (size_t)snprintf(out, cap, "%s", f ? "" : "-");
    for (size_t i = 0; f && i < f->term_count && n < cap; i++) {
        const lake__filter_term *t = &f->terms[i];
        n += (size_t)snprintf(out + n, cap - n, "%s%s%s", i ? "; " : "", t->column, ops[t->op]);
        for (size_t v = 0; v < t->value_count && n < cap; v++) {
            const lake_param *p = &t->values[v];
            const char *sep = v ? "," : "";
            switch (p->type) {
            case LAKE_PARAM_INT64: n += (size_t)snprintf(out + n, cap - n, "%s%lld", sep, (long long)p->v.i64); break;
            case LAKE_PARAM_TEXT: n += (size_t)snprintf(out + n, cap - n, "%s'%.*s'", sep, (int)p->v.text.len, p->v.text.ptr); break;
            case LAKE_PARAM_BOOL: n += (size_t)snprintf(out + n, cap - n, "%s%s", sep, p->v.b ? "true" : "false"); break;
            case LAKE_PARAM_DATE: n += (size_t)snprintf(out + n, cap - n, "%sdate:%d", sep, (int)p->v.date.days); break;
            case LAKE_PARAM_TIMESTAMP: n += (size_t)snprintf(out + n, cap - n, "%sts:%lld", sep, (long long)p->v.ts.us); break;
            case LAKE_PARAM_DECIMAL:
                n += (size_t)snprintf(out + n, cap - n, "%sdec:%lld/%u", sep, (long long)p->v.dec.value.lo, (unsigned)p->v.dec.scale);
                break;
            default: n += (size_t)snprintf(out + n, cap - n, "%s?", sep);
            }
        }
    }
}

static int resolve(void *ctx, const char *name, const lake__scan_filter *filter, lake__buf *sql, bool *found,
                   lake_error *err) {
    served *s = ctx;
    s->calls++;
    describe(filter, s->filter, sizeof s->filter);
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
    /* Each statement asks once per table: its run reads what its preparation typed. */
    unsigned before = s.calls;
    CHECK_OK(ops->query_text(e.session, &bound, out, sizeof out, &err), &err);
    CHECK_EQ_INT(s.calls, before + 1);
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

/* What the statement's WHERE clause asks of the table reaches its scan:
 * conjuncts comparing a column of it with a literal or a parameter, and
 * nothing when the statement reads more than the one table. */
static void the_scan_gets_the_statements_filter(void) {
    served s = {0};
    engine e;
    open_engine(&e, &s);
    char out[256];
    lake_error err = LAKE_ERROR_INIT;
    static const struct { const char *sql, *filter; } cases[] = {
        {"SELECT count(*) FROM orders WHERE id = 2 AND name = 'b''s' AND amount > 1.5",
         "id=2; name='b's'; amount>dec:15/1"},
        {"SELECT count(*) FROM orders WHERE 2 < id AND id IN (1, 3) AND id BETWEEN 1 AND 3 AND name IS NOT NULL",
         "id>2; id IN 1,3; id>=1; id<=3; name IS NOT NULL"},
        {"SELECT count(*) FROM orders AS o WHERE o.id <= 2 AND x.id = 9 AND (o.name IS NULL OR o.id = 1)", "id<=2"},
        {"SELECT count(*) FROM orders WHERE id = 1 OR id = 2", "-"},
        {"SELECT count(*) FROM orders WHERE id + 1 = 2 AND name = upper('x') AND id = NULL", "-"},
        {"SELECT count(*) FROM orders WHERE CAST(id AS DATE) = DATE '2024-01-02' AND id = true", "id=true"},
        {"SELECT count(*) FROM orders WHERE name > TIMESTAMPTZ '1970-01-01 00:00:01+01'", "name>ts:-3599000000"},
        {"SELECT count(*) FROM orders WHERE name = DATE '1970-01-03' AND name < TIMESTAMP '2024-01-01'", "name=date:2"},
        {"SELECT count(*) FROM orders o JOIN orders p USING (id) WHERE p.id < 3", "-"},
        {"SELECT count(*) FROM orders WHERE id IN (SELECT id FROM orders WHERE id = 1)", "-"},
        {"WITH x AS (SELECT 1 AS id) SELECT count(*) FROM orders WHERE id = 1", "-"},
        {"SELECT count(*) FROM (SELECT * FROM orders) WHERE id = 1", "-"},
        {"SELECT count(*) FROM orders WHERE id = 1 UNION ALL SELECT 1", "-"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(s.filter, sizeof s.filter, "(no scan)");
        ask(&e, cases[i].sql, out, sizeof out, &err); /* the scan is bound whether or not the values compare */
        lake_error_clear(&err);
        CHECK_EQ_STR(s.filter, cases[i].filter);
    }
    /* Parameters, typed as bound; a NULL one says nothing. */
    lake_param params[] = {lake_param_int64(2), lake_param_text("b's"), lake_param_null(), lake_param_int64(3)};
    lake__stmt bound = {.sql = "SELECT count(*) FROM orders WHERE id = ? AND name >= ? AND amount = ? AND $4 > id",
                        .params = params, .nparams = 4};
    CHECK_OK(ops->query_text(e.session, &bound, out, sizeof out, &err), &err);
    CHECK_EQ_STR(s.filter, "id=2; name>='b's'; id<3");
    /* As the CLI binds them: text, cast in the statement. */
    lake_param texts[] = {lake_param_text("2"), lake_param_text("1970-01-02"), lake_param_text("x1"), lake_param_text("yes")};
    lake__stmt cast = {.sql = "SELECT count(*) FROM orders WHERE id = CAST(? AS BIGINT) AND CAST($2 AS DATE) < name "
                              "AND id = ?::INTEGER AND name = $4::BOOLEAN",
                       .params = texts, .nparams = 4};
    ops->query_text(e.session, &cast, out, sizeof out, &err);
    lake_error_clear(&err);
    CHECK_EQ_STR(s.filter, "id=2; name>date:1");
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
    LAKE_RUN(the_scan_gets_the_statements_filter);
    LAKE_RUN(catalog_tables_are_not_offered);
    LAKE_RUN(unknown_names_keep_duckdbs_error);
    LAKE_RUN(resolve_refusals_fail_the_statement);
    LAKE_RUN(without_resolve_no_name_is_offered);
    return lake_test_summary();
}
