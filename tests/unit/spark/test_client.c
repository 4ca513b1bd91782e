/* SPDX-License-Identifier: MIT */
/* The client on the Spark Connect driver, against a real Spark 4.0 server with
 * Iceberg and Delta (tests/spark/server.sh), for both dialects and both write
 * paths: migrate, insert, merge on composite keys, typed reads, on-conflict
 * strategies, all-or-nothing on a failing write, idempotent retries. The
 * tables are then read by independent readers (deltalake, pyiceberg). */
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../remote_fixture.h"

static const lake_model event_model = LAKE_MODEL(event, "events", event_fields);

static const char *dialect, *state_dir;
static char staging_dir[128], staging_url[160], address[64];

static lake_client *open_client(void) {
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.row_group_bytes = 16 << 10; /* small: a direct request of a few hundred rows spans several views */
    o.driver = "spark";
    o.dialect = dialect;
    o.database = address;
    o.default_schema = !strcmp(dialect, "iceberg") ? "lake.lakeorm" : "lakeorm";
    o.staging = staging_url;
    o.pool_size = 2;
    lake_client *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    return c;
}

static bool staging_empty(void) { return staging_empty_at(staging_dir); }
static bool keeps_primary_keys(void) { return !strcmp(dialect, "iceberg"); }

static void fresh_tables(lake_client *c) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_exec(c, "DROP TABLE IF EXISTS items", NULL, 0, NULL, &err), &err);
    CHECK_OK(lake_client_exec(c, "DROP TABLE IF EXISTS events", NULL, 0, NULL, &err), &err);
    CHECK_OK(lake_client_exec(c, "DROP TABLE IF EXISTS _lakeorm_ingests", NULL, 0, NULL, &err), &err);
    CHECK_OK(lake_client_migrate(c, schema_of(&item_model), &err), &err);
    CHECK_OK(lake_client_migrate(c, schema_of(&event_model), &err), &err);
}

static void both_paths_write_and_read_back_typed(void) {
    lake_client *c = open_client();
    fresh_tables(c);
    lake_error err = LAKE_ERROR_INIT;
    enum { DIRECT = 500, STAGED = 3000 };
    item *rows = calloc(STAGED, sizeof *rows);
    make(rows, DIRECT, 1);
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    lake_insert_result direct = LAKE_INSERT_RESULT_INIT, staged = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema_of(&item_model), rows, DIRECT, &o, &direct, &err), &err);
    CHECK(direct.path == LAKE_PATH_DIRECT && direct.rows == DIRECT);
    make(rows, STAGED, 10001);
    o.path = LAKE_PATH_STAGED;
    CHECK_OK(lake_client_insert(c, schema_of(&item_model), rows, STAGED, &o, &staged, &err), &err);
    CHECK(staged.path == LAKE_PATH_STAGED && staged.bytes_staged > 0);
    CHECK(staging_empty());
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items", NULL), DIRECT + STAGED);
    char id[LAKE_UUID_TEXT_LEN + 1];
    lake_uuid_format(&staged.ingest_id, id);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items WHERE _ingest_id = ?", id), STAGED);

    /* Every row and type comes back as written: the whole table, in order. */
    lake_arena *arena;
    lake_arena_new(&arena);
    item *all = NULL;
    size_t n = 0;
    lake_source q = LAKE_SQL("SELECT * FROM items ORDER BY id");
    CHECK_OK(lake_client_query_all(c, schema_of(&item_model), &q, arena, (void **)&all, &n, &err), &err);
    CHECK_EQ_INT(n, DIRECT + STAGED);
    char direct_id[LAKE_UUID_TEXT_LEN + 1];
    lake_uuid_format(&direct.ingest_id, direct_id);
    item want[1];
    for (size_t i = 0; i < n; i++) {
        make(want, 1, i < DIRECT ? (int64_t)i + 1 : 10001 + (int64_t)(i - DIRECT));
        same_item(&all[i], want, i < DIRECT ? direct_id : id);
    }
    lake_free(all);

    /* First row with a bound parameter; none is LAKE_ENOROWS. */
    item first;
    lake_param p[] = {lake_param_int64(10005)};
    lake_source by_id = LAKE_SQL_PARAMS("SELECT * FROM items WHERE id = ?", p, 1);
    CHECK_OK(lake_client_query_first(c, schema_of(&item_model), &by_id, arena, &first, &err), &err);
    make(want, 1, 10005);
    same_item(&first, want, id);
    lake_param missing[] = {lake_param_int64(-1)};
    lake_source none = LAKE_SQL_PARAMS("SELECT * FROM items WHERE id = ?", missing, 1);
    CHECK_STATUS(lake_client_query_first(c, schema_of(&item_model), &none, arena, &first, &err), LAKE_ENOROWS, &err);
    lake_error_clear(&err);

    /* A stream over the whole table, one record at a time. */
    lake_rows *r;
    lake_source table = LAKE_TABLE(NULL);
    CHECK_OK(lake_client_rows(c, schema_of(&item_model), &table, &r, &err), &err);
    const void *rec;
    size_t streamed = 0;
    int64_t sum = 0;
    while (lake_rows_next(r, &rec, &err) == LAKE_OK && rec) {
        streamed++;
        sum += ((const item *)rec)->id;
    }
    lake_rows_close(r);
    CHECK_EQ_INT(streamed, DIRECT + STAGED);
    CHECK_EQ_INT(sum, (int64_t)DIRECT * (DIRECT + 1) / 2 + (int64_t)STAGED * 10001 + (int64_t)STAGED * (STAGED - 1) / 2);

    /* A field the result lacks is named. */
    lake_source narrow = LAKE_SQL("SELECT id FROM items");
    CHECK_STATUS(lake_client_query_first(c, schema_of(&item_model), &narrow, arena, &first, &err), LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, "name");
    lake_error_clear(&err);
    lake_arena_free(arena);
    free(rows);
    lake_client_close(c);
}

/* A direct request sent as several views lands in one statement: whole, or,
 * when a row in its last view breaks a NOT NULL column, not at all (the
 * views before it reached the server first). */
static void multi_view_direct_requests_land_whole_or_not_at_all(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    int64_t before = scalar(c, "SELECT count(*) AS n FROM items", NULL);
    enum { APPENDS = 3, EACH = 400 }; /* each append is one record batch, past the 16 KiB view bound */
    item rows[APPENDS * EACH];
    make(rows, APPENDS * EACH, 90001);
    rows[APPENDS * EACH - 1].name = (lake_str){NULL, 0};
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.path = LAKE_PATH_DIRECT;
    for (int round = 0; round < 2; round++) {
        lake_ingest *in;
        CHECK_OK(lake_client_ingest_begin(c, schema_of(&loose_model), &o, &in, &err), &err);
        for (int a = 0; a < APPENDS; a++) CHECK_OK(lake_ingest_append(in, rows + a * EACH, EACH, &err), &err);
        lake_insert_result r = LAKE_INSERT_RESULT_INIT;
        if (round == 0) {
            CHECK_STATUS(lake_ingest_commit(in, &r, &err), LAKE_EREMOTE, &err);
            lake_error_clear(&err);
            CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items", NULL), before);
            rows[APPENDS * EACH - 1].name = (lake_str){"last", 4};
        } else {
            CHECK_OK(lake_ingest_commit(in, &r, &err), &err);
            CHECK(r.path == LAKE_PATH_DIRECT && r.rows == APPENDS * EACH);
        }
    }
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items", NULL), before + APPENDS * EACH);
    CHECK_EQ_INT(scalar(c, "SELECT count(DISTINCT batch) AS n FROM items WHERE id >= 90001", NULL), 1);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items WHERE id >= 90001 AND name = 'last'", NULL), 1);
    lake_client_close(c);
}

static void merge_upserts_on_composite_keys(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    static const char *tenants[] = {"acme", "globex"};
    event rows[200];
    for (int i = 0; i < 200; i++)
        rows[i] = (event){{tenants[i % 2], strlen(tenants[i % 2])}, i / 2, i, {"first", 5}, {{"api", 3}, {i, i % 4 != 0}}};
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    CHECK_OK(lake_client_insert(c, schema_of(&event_model), rows, 200, &o, NULL, &err), &err);
    /* Half the keys again, half new, through each path. */
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        for (int i = 0; i < 200; i++)
            rows[i] = (event){{tenants[i % 2], strlen(tenants[i % 2])}, 50 + i / 2 + (path - 1) * 50, 1000 * path + i,
                              {path == LAKE_PATH_DIRECT ? "direct" : "staged", 6},
                              {{path == LAKE_PATH_DIRECT ? "arrow" : "parquet", path == LAKE_PATH_DIRECT ? 5 : 7}, {i, i % 3 != 0}}};
        o.path = (lake_write_path)path;
        CHECK_OK(lake_client_insert(c, schema_of(&event_model), rows, 200, &o, NULL, &err), &err);
        CHECK(staging_empty());
    }
    /* ids 0..99 first; 50..149 direct; 100..199 staged: each tenant keeps 0..49 first, 50..99 direct. */
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events", NULL), 2 * 200);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE label = 'first'", NULL), 2 * 50);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE label = 'direct'", NULL), 2 * 50);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE label = 'staged'", NULL), 2 * 100);
    CHECK_EQ_INT(scalar(c, "SELECT value AS n FROM events WHERE tenant = 'globex' AND id = 120", NULL), 2000 + 41);
    /* The struct column round trips through both paths and the MERGE. */
    lake_arena *arena;
    lake_arena_new(&arena);
    event got;
    lake_source q = LAKE_SQL("SELECT * FROM events WHERE tenant = 'globex' AND id = 120");
    CHECK_OK(lake_client_query_first(c, schema_of(&event_model), &q, arena, &got, &err), &err);
    CHECK(got.meta.source.len == 7 && !memcmp(got.meta.source.ptr, "parquet", 7) && got.meta.weight.valid && got.meta.weight.v == 41);
    lake_source q2 = LAKE_SQL("SELECT * FROM events WHERE tenant = 'acme' AND id = 50");
    CHECK_OK(lake_client_query_first(c, schema_of(&event_model), &q2, arena, &got, &err), &err);
    CHECK(got.meta.source.len == 5 && !memcmp(got.meta.source.ptr, "arrow", 5) && !got.meta.weight.valid); /* i = 0 */
    lake_arena_free(arena);

    /* The same key twice in one request is refused, nothing written. */
    event twice[2] = {{{"acme", 4}, 7, 1, {"dup", 3}, {{"x", 1}, {0, false}}}, {{"acme", 4}, 7, 2, {"dup", 3}, {{"x", 1}, {0, false}}}};
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        o.path = (lake_write_path)path;
        CHECK_STATUS(lake_client_insert(c, schema_of(&event_model), twice, 2, &o, NULL, &err), LAKE_EINVAL, &err);
        CHECK_CONTAINS(err.message, "acme, 7");
        lake_error_clear(&err);
    }
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE label = 'dup'", NULL), 0);
    CHECK(staging_empty());
    lake_client_close(c);
}

typedef struct upserter {
    lake_client *c;
    int64_t base;
    int failures;
    lake_error err;
} upserter;

static void count_retries(void *ctx, lake_log_level level, const char *name, const lake_log_field *fields, size_t n) {
    (void)level, (void)fields, (void)n;
    if (!strcmp(name, "insert.commit_conflict_retried")) __atomic_add_fetch((unsigned *)ctx, 1, __ATOMIC_RELAXED);
}

static void *upsert_rounds(void *arg) {
    upserter *u = arg;
    event rows[100];
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 100; i++)
            rows[i] = (event){{"hooli", 5}, 5000 + i, u->base + round, {"race", 4}, {{"thread", 6}, {round, true}}};
        lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
        if (lake_client_insert(u->c, schema_of(&event_model), rows, 100, &o, NULL, &u->err)) {
            u->failures++;
            fprintf(stderr, "  concurrent upsert: %s\n", u->err.message);
        }
    }
    return NULL;
}

/* Two writers upsert the same keys at once: a commit the table refuses for a
 * concurrent change is retried (the statement is filtered by its ingest id),
 * so every request lands, and each row holds one writer's last values. */
static void concurrent_merges_retry_commit_conflicts(void) {
    unsigned retries = 0;
    upserter u[2];
    pthread_t t[2];
    for (int k = 0; k < 2; k++) {
        lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
        o.driver = "spark";
        o.dialect = dialect;
        o.database = address;
        o.default_schema = !strcmp(dialect, "iceberg") ? "lake.lakeorm" : "lakeorm";
        o.staging = staging_url;
        o.log = count_retries;
        o.log_ctx = &retries;
        u[k] = (upserter){NULL, 1000 * (k + 1), 0, LAKE_ERROR_INIT};
        CHECK_OK(lake_client_open(&u[k].c, &o, &u[k].err), &u[k].err);
    }
    for (int k = 0; k < 2; k++) pthread_create(&t[k], NULL, upsert_rounds, &u[k]);
    for (int k = 0; k < 2; k++) pthread_join(t[k], NULL);
    CHECK_EQ_INT(u[0].failures + u[1].failures, 0);
    CHECK_EQ_INT(scalar(u[0].c, "SELECT count(*) AS n FROM events WHERE tenant = 'hooli'", NULL), 100);
    CHECK_EQ_INT(scalar(u[0].c, "SELECT count(*) AS n FROM events WHERE tenant = 'hooli' AND value NOT IN (1002, 2002)", NULL), 0);
    printf("  %u commit conflicts retried\n", retries);
    for (int k = 0; k < 2; k++) lake_client_close(u[k].c);
}

static int count_key(void *ctx, const char *key, uint64_t size) {
    (void)key, (void)size;
    ++*(size_t *)ctx;
    return 0;
}

/* Parts staged on S3 (MinIO), read by Spark through S3A: merged, then gone. */
static void staged_parts_on_s3_are_read_through_s3a(void) {
    const char *endpoint = getenv("LAKE_TEST_S3_ENDPOINT");
    CHECK(endpoint != NULL);
    setenv("AWS_ACCESS_KEY_ID", "lakeorm", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "lakeorm-secret", 1);
    char s3[256];
    snprintf(s3, sizeof s3, "s3://lake/spark-%s-%d?endpoint=%s", dialect, (int)getpid(), endpoint);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.driver = "spark";
    o.dialect = dialect;
    o.database = address;
    o.default_schema = !strcmp(dialect, "iceberg") ? "lake.lakeorm" : "lakeorm";
    o.staging = s3;
    lake_client *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    int64_t before = scalar(c, "SELECT count(*) AS n FROM events", NULL);
    event rows[300];
    for (int i = 0; i < 300; i++)
        rows[i] = (event){{"initech", 7}, 1000 + i, i, {"s3", 2}, {{"minio", 5}, {i, true}}};
    lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
    io.path = LAKE_PATH_STAGED;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema_of(&event_model), rows, 300, &io, &r, &err), &err);
    CHECK(r.path == LAKE_PATH_STAGED && r.bytes_staged > 0);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events", NULL), before + 300);
    CHECK_EQ_INT(scalar(c, "SELECT sum(value) AS n FROM events WHERE label = 's3'", NULL), 299 * 300 / 2);
    /* Again: the MERGE updates the same 300 keys, and the parts are removed after each request. */
    CHECK_OK(lake_client_insert(c, schema_of(&event_model), rows, 300, &io, &r, &err), &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events", NULL), before + 300);
    lake_client_close(c);
    lake_backend *b;
    CHECK_OK(lake_backend_open(&b, s3, &err), &err);
    size_t left = 0;
    CHECK_OK(lake_backend_list(b, "", count_key, &left, &err), &err);
    CHECK_EQ_INT(left, 0);
    lake_backend_free(b);
}

/* deltalake or pyiceberg reads the table's files without Spark: same rows. */
static void independent_reader_agrees(void) {
    lake_client *c = open_client();
    int64_t count = scalar(c, "SELECT count(*) AS n FROM items", NULL);
    int64_t sum = scalar(c, "SELECT sum(id) AS n FROM items", NULL);
    lake_client_close(c);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s/tests/spark/read_table.py %s %s lakeorm items %lld %lld %s", LAKE_PYTHON,
             LAKE_SOURCE_DIR, dialect, state_dir, (long long)count, (long long)sum, getenv("LAKE_TEST_SPARK_PORT"));
    CHECK(system(cmd) == 0);
}

int main(void) {
    const char *port = getenv("LAKE_TEST_SPARK_PORT");
    state_dir = getenv("LAKE_TEST_SPARK_STATE");
    if (!port || !state_dir) {
        fprintf(stderr, "LAKE_TEST_SPARK_PORT/STATE unset: run through ctest\n");
        return 1;
    }
    if (lake_test_spark_skipped(getenv("LAKE_TEST_SPARK_STATE"))) return 77;
    snprintf(address, sizeof address, "sc://127.0.0.1:%s", port);
    /* Staging Spark reads: a folder beside the server's, on the filesystem both share. */
    snprintf(staging_dir, sizeof staging_dir, "%s/staging-%d", state_dir, (int)getpid());
    mkdir(staging_dir, 0700);
    snprintf(staging_url, sizeof staging_url, "file://%s", staging_dir);
    static const char *dialects[] = {"delta", "iceberg"};
    for (int d = 0; d < 2; d++) {
        dialect = dialects[d];
        printf("-- %s\n", dialect);
        LAKE_RUN(both_paths_write_and_read_back_typed);
        LAKE_RUN(merge_upserts_on_composite_keys);
        LAKE_RUN(multi_view_direct_requests_land_whole_or_not_at_all);
        LAKE_RUN(failed_write_leaves_table_and_staging_clean);
        LAKE_RUN(conflicts_and_idempotent_retries);
        LAKE_RUN(idempotency_keys_name_one_request);
        LAKE_RUN(counts_and_calls_without_an_error_object);
        LAKE_RUN(assert_schema_compares_what_the_engine_keeps);
        LAKE_RUN(staged_parts_on_s3_are_read_through_s3a);
        LAKE_RUN(concurrent_merges_retry_commit_conflicts);
        LAKE_RUN(independent_reader_agrees);
    }
    return lake_test_summary();
}
