/* SPDX-License-Identifier: MIT */
/* A client opened read-only (lake_client_options.read_only, ?read_only=true):
 * it reads, refuses every write of its own with a clear error, and creates
 * nothing (no staging folder, no schema); and reads of any shape
 * (lake_client_query_json), which such a client serves. */
#include <dirent.h>

#include "client_fixture.h"

static char dir[32], db[128], tmp[128];

/* Files in a folder, "." and ".." aside. */
static int entries(const char *path) {
    DIR *d = opendir(path);
    if (!d) return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void seed(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.database = db;
    o.staging = staging_url;
    lake_client *c;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    order rows[3];
    make(rows, 3, 1);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    CHECK_OK(lake_client_insert(c, schema(), rows, 3, NULL, NULL, &err), &err);
    lake_client_close(c);
}

typedef struct lines {
    char text[4][256];
    int n;
} lines;

static int keep_line(void *ctx, const char *json, size_t len) {
    lines *l = ctx;
    if (l->n < 4) snprintf(l->text[l->n], sizeof l->text[0], "%.*s", (int)len, json);
    l->n++;
    return 0;
}

static void reads_and_refuses_writes(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.database = db;
    o.read_only = true;
    o.default_schema = "main"; /* exists: a read-only client uses it, never creates it */
    lake_client *c;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    CHECK_EQ_INT(entries(tmp), 0); /* no default staging folder */

    lines got = {0};
    lake_source q = LAKE_SQL_PARAMS("SELECT id, customer, total, note FROM orders WHERE id >= CAST(? AS BIGINT) ORDER BY id",
                                    (lake_param[]){lake_param_text("2")}, 1);
    CHECK_OK(lake_client_query_json(c, &q, keep_line, &got, &err), &err);
    CHECK_EQ_INT(got.n, 2);
    CHECK_EQ_STR(got.text[0], "{\"id\":2,\"customer\":\"chlo\xC3\xA9@example.fr\",\"total\":2.02,\"note\":null}");
    CHECK_EQ_STR(got.text[1], "{\"id\":3,\"customer\":\"ann@example.com\",\"total\":3.03,\"note\":\"rush\"}");

    order rows[1];
    make(rows, 1, 10);
    CHECK_STATUS(lake_client_insert(c, schema(), rows, 1, NULL, NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "read-only");
    lake_ingest *in = NULL;
    CHECK_STATUS(lake_client_ingest_begin(c, schema(), NULL, &in, &err), LAKE_EINVAL, &err);
    CHECK(in == NULL);
    CHECK_STATUS(lake_client_migrate(c, schema(), &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "read-only");
    lake_cleanup_report report = LAKE_CLEANUP_REPORT_INIT;
    CHECK_STATUS(lake_client_cleanup_staging(c, 0, &report, &err), LAKE_EINVAL, &err);
    /* SQL that writes is the engine's to refuse: the database is open read-only. */
    CHECK_STATUS(lake_client_exec(c, "CREATE TABLE planted (x INT)", NULL, 0, NULL, &err), LAKE_EREMOTE, &err);
    CHECK_CONTAINS(err.message, "read-only");
    lake_client_close(c);
    CHECK_EQ_INT(entries(tmp), 0);
    lake_error_clear(&err);
}

static void url_says_read_only(void) {
    lake_error err = LAKE_ERROR_INIT;
    char url[256];
    snprintf(url, sizeof url, "duckdb://%s?read_only=true", db);
    lake_client *c;
    CHECK_OK(lake_client_open_url(&c, url, NULL, &err), &err);
    CHECK_STATUS(lake_client_migrate(c, schema(), &err), LAKE_EINVAL, &err);
    lake_client_close(c);
    snprintf(url, sizeof url, "duckdb://%s?read_only=yes", db);
    CHECK_STATUS(lake_client_open_url(&c, url, NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "read_only=yes");
    /* A missing file is not created. */
    snprintf(url, sizeof url, "duckdb://%s/missing.duckdb?read_only=true", dir);
    CHECK_STATUS(lake_client_open_url(&c, url, NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "no database file");
    snprintf(url, sizeof url, "%s/missing.duckdb", dir);
    CHECK(access(url, F_OK) != 0);
    /* In memory there is nothing to protect on disk: it opens, and still refuses lakeorm's writes. */
    CHECK_OK(lake_client_open_url(&c, "duckdb://:memory:?read_only=true", NULL, &err), &err);
    CHECK_STATUS(lake_client_migrate(c, schema(), &err), LAKE_EINVAL, &err);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void parameters_must_be_utf8(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake_client *c;
    CHECK_OK(lake_client_open(&c, NULL, &err), &err);
    lines got = {0};
    lake_source q = LAKE_SQL_PARAMS("SELECT ? AS a, ? AS b", ((lake_param[]){lake_param_text("fine"), lake_param_text("bad \xC3(")}), 2);
    CHECK_STATUS(lake_client_query_json(c, &q, keep_line, &got, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "parameter 2 is not valid UTF-8");
    CHECK_EQ_INT(got.n, 0);
    one rec;
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    lake_source typed = LAKE_SQL_PARAMS("SELECT CAST(? AS BIGINT) AS n", ((lake_param[]){lake_param_text("\xFF")}), 1);
    const lake_schema *s;
    CHECK_OK(lake_schema_of(&s, &one_model, &err), &err);
    CHECK_STATUS(lake_client_query_first(c, s, &typed, arena, &rec, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "parameter 1 is not valid UTF-8");
    lake_arena_free(arena);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void any_shape_reads_repeated_names_by_position(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake_client *c;
    CHECK_OK(lake_client_open(&c, NULL, &err), &err);
    lines got = {0};
    lake_source q = LAKE_SQL("SELECT 1 AS a, 'x' AS a, CAST(255 AS UTINYINT) AS \"we\"\"ird, col\", "
                             "CAST(18446744073709551615 AS UBIGINT) AS u, CAST(NULL AS INTEGER) AS z");
    CHECK_OK(lake_client_query_json(c, &q, keep_line, &got, &err), &err);
    CHECK_EQ_INT(got.n, 1);
    CHECK_EQ_STR(got.text[0], "{\"a\":1,\"a\":\"x\",\"we\\\"ird, col\":255,\"u\":18446744073709551615,\"z\":null}");
    /* Empty results print nothing; a stop from the callback is returned. */
    got.n = 0;
    lake_source none = LAKE_SQL("SELECT 1 AS a WHERE false");
    CHECK_OK(lake_client_query_json(c, &none, keep_line, &got, &err), &err);
    CHECK_EQ_INT(got.n, 0);
    lake_source bad = LAKE_SQL("SELECT INTERVAL 1 DAY AS span");
    CHECK_STATUS(lake_client_query_json(c, &bad, keep_line, &got, &err), LAKE_ENOTSUP, &err);
    CHECK_CONTAINS(err.message, "\"span\"");
    lake_client_close(c);
    lake_error_clear(&err);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/lake-ro-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    snprintf(db, sizeof db, "%s/lake.duckdb", dir);
    snprintf(tmp, sizeof tmp, "%s/tmp", dir);
    snprintf(staging_dir, sizeof staging_dir, "%s/stage", dir);
    snprintf(staging_url, sizeof staging_url, "file://%s", staging_dir);
    mkdir(tmp, 0700);
    setenv("TMPDIR", tmp, 1); /* where a default staging folder would appear */
    LAKE_RUN(seed);
    LAKE_RUN(reads_and_refuses_writes);
    LAKE_RUN(url_says_read_only);
    LAKE_RUN(parameters_must_be_utf8);
    LAKE_RUN(any_shape_reads_repeated_names_by_position);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) fprintf(stderr, "could not remove %s\n", dir);
    return lake_test_summary();
}
