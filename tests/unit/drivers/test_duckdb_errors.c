/* SPDX-License-Identifier: MIT */
/* DuckDB's refusals classified from its own error type, against the real
 * engine: two connections to one database play the concurrent requests the
 * client must tell apart (a conflict to retry, a key that is simply taken),
 * and the single-connection failures (syntax, a missing table). The messages
 * stay DuckDB's own, caret and all. */
#include "drivers/duckdb/append.h"
#include "drivers/duckdb/connection.h"
#include "drivers/duckdb/errors.h"
#include "drivers/duckdb/read.h"
#include "lake_test.h"
#include "util/arena.h"

/* The table the client records idempotency keys in (client/insert.c). */
static const char INGESTS[] =
    "CREATE TABLE \"_lakeorm_ingests\" (idempotency_key VARCHAR PRIMARY KEY, ingest_id VARCHAR NOT NULL, "
    "table_name VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL, fingerprint VARCHAR)";

typedef struct two {
    lake__duckdb a, b; /* b shares a's in-memory database */
} two;

static void open_two(two *t) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__duckdb_open(&t->a, NULL, &err), &err);
    CHECK_OK(lake__duckdb_connect(&t->a, &t->b, &err), &err);
    CHECK_OK(lake__duckdb_exec(&t->a, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER); "
                                      "INSERT INTO t VALUES (1, 0), (2, 0)", &err), &err);
    CHECK_OK(lake__duckdb_exec(&t->a, INGESTS, &err), &err);
}

static void close_two(two *t) {
    lake__duckdb_close(&t->b);
    lake__duckdb_close(&t->a);
}

static void exec_ok(lake__duckdb *d, const char *sql) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__duckdb_exec(d, sql, &err), &err);
}

/* A statement through the prepared path (the client's parameterised one). */
static int prepared(lake__duckdb *d, const char *sql, lake_error *err) {
    duckdb_prepared_statement stmt;
    duckdb_result res;
    int rc = lake__duckdb_run(d, sql, NULL, 0, &stmt, &res, err);
    duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

static void check_kind(const lake_error *err, lake_error_kind kind, const char *cls, const char *state) {
    CHECK_EQ_INT(err->code, LAKE_EREMOTE);
    if (err->kind != kind)
        LAKE_FAIL_AT("kind %s, expected %s: %s", lake_error_kind_name(err->kind), lake_error_kind_name(kind),
                     err->message);
    CHECK_EQ_STR(err->engine_class, cls);
    CHECK_EQ_STR(err->sqlstate, state);
}

/* (a) Two open transactions write the same row: the second writer's
 * statement fails at once. */
static void concurrent_writes_to_one_row_conflict(void) {
    two t;
    open_two(&t);
    lake_error err = LAKE_ERROR_INIT;
    exec_ok(&t.a, "BEGIN TRANSACTION");
    exec_ok(&t.b, "BEGIN TRANSACTION");
    exec_ok(&t.a, "UPDATE t SET v = 1 WHERE id = 1");
    CHECK_STATUS(lake__duckdb_exec(&t.b, "UPDATE t SET v = 2 WHERE id = 1", &err), LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_CONFLICT, "TransactionContext", "40001");
    CHECK_CONTAINS(err.message, "duckdb: TransactionContext Error: ");
    exec_ok(&t.b, "ROLLBACK");
    /* The same through the prepared path, both deleting one row. */
    exec_ok(&t.a, "DELETE FROM t WHERE id = 2");
    exec_ok(&t.b, "BEGIN TRANSACTION");
    CHECK_STATUS(prepared(&t.b, "DELETE FROM t WHERE id = 2", &err), LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_CONFLICT, "TransactionContext", "40001");
    exec_ok(&t.b, "ROLLBACK");
    exec_ok(&t.a, "COMMIT");
    lake_error_clear(&err);
    close_two(&t);
}

/* (b) Two open transactions insert the same primary key: both statements
 * pass, the second COMMIT fails on the key, and it is a conflict. */
static void commit_losing_a_concurrent_key_race_conflicts(void) {
    two t;
    open_two(&t);
    lake_error err = LAKE_ERROR_INIT;
    exec_ok(&t.a, "BEGIN TRANSACTION");
    exec_ok(&t.b, "BEGIN TRANSACTION");
    exec_ok(&t.a, "INSERT INTO t VALUES (5, 1)");
    exec_ok(&t.b, "INSERT INTO t VALUES (5, 2)");
    exec_ok(&t.a, "COMMIT");
    CHECK_STATUS(lake__duckdb_exec(&t.b, "COMMIT", &err), LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_CONFLICT, "TransactionContext", "40001");
    lake_error_clear(&err);
    close_two(&t);
}

/* (c) A key claim in _lakeorm_ingests racing a concurrent open transaction's
 * claim of the same key: plain INSERT and INSERT OR REPLACE both lose at
 * COMMIT; replacing a recorded key another open transaction replaced loses
 * at the statement. All conflicts. */
static void racing_idempotency_key_claims_conflict(void) {
    static const char *const claims[] = {
        "INSERT INTO \"_lakeorm_ingests\" (idempotency_key, ingest_id, table_name, created_at, fingerprint) "
        "VALUES ('k1', 'i', 't', now(), 'f')",
        "INSERT OR REPLACE INTO \"_lakeorm_ingests\" (idempotency_key, ingest_id, table_name, created_at, fingerprint) "
        "VALUES ('k2', 'i', 't', now(), 'f')",
    };
    two t;
    open_two(&t);
    lake_error err = LAKE_ERROR_INIT;
    for (size_t i = 0; i < 2; i++) {
        exec_ok(&t.a, "BEGIN TRANSACTION");
        exec_ok(&t.b, "BEGIN TRANSACTION");
        CHECK_OK(prepared(&t.a, claims[i], &err), &err);
        CHECK_OK(prepared(&t.b, claims[i], &err), &err);
        exec_ok(&t.a, "COMMIT");
        CHECK_STATUS(lake__duckdb_exec(&t.b, "COMMIT", &err), LAKE_EREMOTE, &err);
        check_kind(&err, LAKE_KIND_CONFLICT, "TransactionContext", "40001");
    }
    /* k2 is recorded now: both replace it. */
    exec_ok(&t.a, "BEGIN TRANSACTION");
    exec_ok(&t.b, "BEGIN TRANSACTION");
    CHECK_OK(prepared(&t.a, claims[1], &err), &err);
    CHECK_STATUS(prepared(&t.b, claims[1], &err), LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_CONFLICT, "TransactionContext", "40001");
    exec_ok(&t.b, "ROLLBACK");
    exec_ok(&t.a, "COMMIT");
    lake_error_clear(&err);
    close_two(&t);
}

/* (d) The same key twice in one statement, in or out of a transaction, or a
 * key committed before the statement began: the values are wrong, nothing
 * concurrent happened, no retry helps. */
static void duplicate_key_without_concurrency_is_invalid(void) {
    two t;
    open_two(&t);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake__duckdb_exec(&t.a, "INSERT INTO t VALUES (10, 1), (10, 2)", &err), LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_INVALID, "Constraint", "23000");
    exec_ok(&t.a, "BEGIN TRANSACTION");
    CHECK_STATUS(prepared(&t.a, "INSERT INTO t VALUES (11, 1), (11, 2)", &err), LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_INVALID, "Constraint", "23000");
    exec_ok(&t.a, "ROLLBACK");
    CHECK_STATUS(prepared(&t.a, "INSERT INTO t VALUES (1, 1)", &err), LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_INVALID, "Constraint", "23000");
    lake_error_clear(&err);
    close_two(&t);
}

/* A syntax error, through duckdb_query and through the prepared path (where
 * the C API gives text only); the message keeps DuckDB's one caret block. */
static void syntax_error_is_invalid(void) {
    lake__duckdb d;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__duckdb_open(&d, NULL, &err), &err);
    CHECK_STATUS(lake__duckdb_exec(&d, "SELEC 1", &err), LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_INVALID, "Parser", "42601");
    CHECK_STATUS(prepared(&d, "SELEC 1", &err), LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_INVALID, "Parser", "42601");
    CHECK_CONTAINS(err.message, "duckdb: Parser Error: syntax error at or near \"SELEC\"");
    CHECK_CONTAINS(err.message, "LINE 1: SELEC 1");
    lake_error_clear(&err);
    lake__duckdb_close(&d);
}

static void missing_table_is_not_found(void) {
    lake__duckdb d;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__duckdb_open(&d, NULL, &err), &err);
    CHECK_STATUS(lake__duckdb_exec(&d, "SELECT * FROM no_such_table", &err), LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_NOT_FOUND, "Catalog", "");
    CHECK_STATUS(prepared(&d, "SELECT count(*) FROM no_such_table", &err), LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_NOT_FOUND, "Catalog", "");
    CHECK_CONTAINS(err.message, "duckdb: Catalog Error: Table with name no_such_table does not exist");
    /* A cursor (extract, prepare, then a streaming result) and the appender. */
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    lake__duckdb_cursor *cur = NULL;
    CHECK_STATUS(lake__duckdb_cursor_open(&d, NULL, "SELECT * FROM no_such_table", NULL, 0, arena, true, &cur, &err),
                 LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_NOT_FOUND, "Catalog", "");
    static const char fields[] = "{\"version\": 1, \"table\": \"no_such_table\", \"fields\": "
                                 "[{\"tag\": \"id\", \"type\": \"int64\"}]}";
    lake_schema *schema;
    CHECK_OK(lake_schema_parse(&schema, fields, sizeof fields - 1, &err), &err);
    lake__duckdb_appender *ap = NULL;
    CHECK_STATUS(lake__duckdb_appender_open(&d, schema, NULL, NULL, &ap, &err), LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_NOT_FOUND, "Catalog", "");
    CHECK_CONTAINS(err.message, "duckdb: cannot append to \"no_such_table\": ");
    lake_schema_free(schema);
    lake_arena_free(arena);
    lake_error_clear(&err);
    lake__duckdb_close(&d);
}

/* An error met while rows stream (a value that does not cast) comes from
 * the result, with its type. */
static void error_while_streaming_keeps_its_type(void) {
    lake__duckdb d;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__duckdb_open(&d, NULL, &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    lake__duckdb_cursor *cur = NULL;
    int rc = lake__duckdb_cursor_open(&d, NULL, "SELECT CAST(CASE WHEN i < 5000 THEN '1' ELSE 'x' END AS INTEGER) AS n "
                                      "FROM range(10000) r(i)", NULL, 0, arena, true, &cur, &err);
    const void *rec = NULL;
    while (!rc && !(rc = lake__duckdb_cursor_next(cur, &rec, &err)) && rec) {
    }
    lake__duckdb_cursor_close(cur);
    CHECK_EQ_INT(rc, LAKE_EREMOTE);
    check_kind(&err, LAKE_KIND_INVALID, "Conversion", "22018");
    lake_arena_free(arena);
    lake_error_clear(&err);
    lake__duckdb_close(&d);
}

/* Every type has DuckDB's name, and a text failure finds its type only by
 * that name at the start: "Invalid Input Error" is not "Invalid Error". */
static void text_failures_read_the_leading_type_name(void) {
    lake_error err = LAKE_ERROR_INIT;
    for (int t = DUCKDB_ERROR_INVALID; t <= DUCKDB_INVALID_CONFIGURATION; t++)
        CHECK(lake__duckdb_error_name((duckdb_error_type)t)[0] != '\0');
    CHECK_EQ_STR(lake__duckdb_error_name((duckdb_error_type)999), "");
    CHECK_STATUS(lake__duckdb_fail_text(&err, "Invalid Input Error: nope", "x: "), LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_INVALID, "Invalid Input", "");
    CHECK_EQ_STR(err.message, "x: Invalid Input Error: nope");
    CHECK_STATUS(lake__duckdb_fail_text(&err, "something Catalog Error: x", "x: "), LAKE_EREMOTE, &err);
    check_kind(&err, LAKE_KIND_NONE, "", "");
    CHECK_STATUS(lake__duckdb_fail_text(&err, NULL, "x: "), LAKE_EREMOTE, &err);
    CHECK_EQ_STR(err.message, "x: unknown error");
    CHECK_EQ_INT(lake__duckdb_fail_text(NULL, "Catalog Error: x", "x"), LAKE_EREMOTE);
    CHECK_EQ_INT(lake__duckdb_fail(NULL, DUCKDB_ERROR_TRANSACTION, "x", "x"), LAKE_EREMOTE);
    lake_error_clear(&err);
}

int main(void) {
    LAKE_RUN(concurrent_writes_to_one_row_conflict);
    LAKE_RUN(commit_losing_a_concurrent_key_race_conflicts);
    LAKE_RUN(racing_idempotency_key_claims_conflict);
    LAKE_RUN(duplicate_key_without_concurrency_is_invalid);
    LAKE_RUN(syntax_error_is_invalid);
    LAKE_RUN(missing_table_is_not_found);
    LAKE_RUN(error_while_streaming_keeps_its_type);
    LAKE_RUN(text_failures_read_the_leading_type_name);
    return lake_test_summary();
}
