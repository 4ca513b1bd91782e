/* SPDX-License-Identifier: MIT */
/* The client on the Databricks SQL driver, against tests/databricks/server.py:
 * a local server speaking the Statement Execution API that runs every
 * statement on the suite's real Spark (Delta). Migrate, insert on both paths,
 * merge on composite keys, typed reads over multi-chunk Arrow results behind
 * links, OAuth refresh, polling, cancel, a failed write leaving the
 * table and staging as they were, and staging on S3 and on a Unity Catalog
 * volume. */
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../remote_fixture.h"
#include "fake_warehouse.h"

#include "client/client.h"
#include "drivers/databricks/read.h"
#include "util/alloc.h"

/* Unity Catalog's three-part name: catalog.schema.table. */
static const lake_model event_model = LAKE_MODEL(event, "spark_catalog.lakeorm_dbx.events", event_fields);

static char staging_dir[256], staging_url[300];

static lake_client *open_with(const char *keys, const char *staging) {
    char database[400];
    snprintf(database, sizeof database, "%s/sql/1.0/warehouses/wh-test;%s", warehouse_url, keys);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.driver = "databricks";
    o.database = database;
    o.default_schema = "spark_catalog.lakeorm_dbx";
    o.staging = staging;
    lake_client *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    return c;
}

static lake_client *open_client(void) { return open_with("token=dapi-test", staging_url); }

/* The warehouse cannot read what this process alone holds: with memory://
 * staging an insert goes direct, and the staged path is refused up front. */
static void staging_only_this_process_reaches_is_refused(void) {
    lake_client *c = open_with("token=dapi-test", "memory://staging");
    lake_error err = LAKE_ERROR_INIT;
    item rows[3];
    make(rows, 3, 96001);
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.path = LAKE_PATH_STAGED;
    CHECK_STATUS(lake_client_insert(c, schema_of(&item_model), rows, 3, &o, NULL, &err), LAKE_ENOTSUP, &err);
    CHECK_CONTAINS(err.message, "memory://staging keeps its objects in this process");
    o.path = LAKE_PATH_AUTO;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema_of(&item_model), rows, 3, &o, &r, &err), &err);
    CHECK_EQ_INT(r.path, LAKE_PATH_DIRECT);
    CHECK_OK(lake_client_exec(c, "DELETE FROM items WHERE id > 96000", NULL, 0, NULL, &err), &err); /* the suite counts items */
    lake_error_clear(&err);
    lake_client_close(c);
}

static bool staging_empty(void) { return staging_empty_at(staging_dir); }
static bool keeps_primary_keys(void) { return false; } /* Delta keeps none */

/* ---- the cases */

static void migrate_and_both_paths_read_back_typed(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_exec(c, "DROP TABLE IF EXISTS items;\nDROP TABLE IF EXISTS spark_catalog.lakeorm_dbx.events;\n"
                                 "DROP TABLE IF EXISTS _lakeorm_ingests", NULL, 0, NULL, &err), &err);
    CHECK_OK(lake_client_migrate(c, schema_of(&item_model), &err), &err);
    CHECK_OK(lake_client_migrate(c, schema_of(&event_model), &err), &err);
    enum { DIRECT = 500, STAGED = 3000 };
    item *rows = calloc(STAGED, sizeof *rows);
    make(rows, DIRECT, 1);
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    lake_insert_result direct = LAKE_INSERT_RESULT_INIT, staged = LAKE_INSERT_RESULT_INIT;
    long statements = stat_of("statements");
    CHECK_OK(lake_client_insert(c, schema_of(&item_model), rows, DIRECT, &o, &direct, &err), &err);
    CHECK(direct.path == LAKE_PATH_DIRECT && direct.rows == DIRECT);
    /* One parameterised INSERT, after the primary-key checks Delta does not make itself (LAKE_CONFLICT_ERROR):
     * a key twice in the request, a key the table holds. */
    CHECK_EQ_INT(stat_of("statements") - statements, 3);
    make(rows, STAGED, 10001);
    o.path = LAKE_PATH_STAGED;
    CHECK_OK(lake_client_insert(c, schema_of(&item_model), rows, STAGED, &o, &staged, &err), &err);
    CHECK(staged.path == LAKE_PATH_STAGED && staged.bytes_staged > 0);
    CHECK(staging_empty());
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items", NULL), DIRECT + STAGED);
    char id[LAKE_UUID_TEXT_LEN + 1], direct_id[LAKE_UUID_TEXT_LEN + 1];
    lake_uuid_format(&staged.ingest_id, id);
    lake_uuid_format(&direct.ingest_id, direct_id);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items WHERE _ingest_id = ?", id), STAGED);

    /* The whole table, 7 chunks of 500 rows behind links, decoded in order. */
    long fetched = stat_of("link_fetches");
    lake_arena *arena;
    lake_arena_new(&arena);
    item *all = NULL;
    size_t n = 0;
    lake_source q = LAKE_SQL("SELECT * FROM items ORDER BY id");
    CHECK_OK(lake_client_query_all(c, schema_of(&item_model), &q, arena, (void **)&all, &n, &err), &err);
    CHECK_EQ_INT(n, DIRECT + STAGED);
    item want[1];
    for (size_t i = 0; i < n; i++) {
        make(want, 1, i < DIRECT ? (int64_t)i + 1 : 10001 + (int64_t)(i - DIRECT));
        same_item(&all[i], want, i < DIRECT ? direct_id : id);
    }
    lake_free(all);
    CHECK_EQ_INT(stat_of("link_fetches") - fetched, 7);
    CHECK_EQ_INT(stat_of("links_refused_auth"), 0);

    /* First row with a bound parameter; none is LAKE_ENOROWS; a missing column is named. */
    item first;
    lake_param p[] = {lake_param_int64(10005)};
    lake_source by_id = LAKE_SQL_PARAMS("SELECT * FROM items WHERE id = ? AND name <> '?'", p, 1);
    CHECK_OK(lake_client_query_first(c, schema_of(&item_model), &by_id, arena, &first, &err), &err);
    make(want, 1, 10005);
    same_item(&first, want, id);
    lake_param missing[] = {lake_param_int64(-1)};
    lake_source none = LAKE_SQL_PARAMS("SELECT * FROM items WHERE id = ?", missing, 1);
    CHECK_STATUS(lake_client_query_first(c, schema_of(&item_model), &none, arena, &first, &err), LAKE_ENOROWS, &err);
    lake_source narrow = LAKE_SQL("SELECT id FROM items");
    CHECK_STATUS(lake_client_query_first(c, schema_of(&item_model), &narrow, arena, &first, &err), LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, "name");
    lake_source narrow_empty = LAKE_SQL("SELECT id FROM items WHERE id < 0");
    CHECK_STATUS(lake_client_query_first(c, schema_of(&item_model), &narrow_empty, arena, &first, &err), LAKE_EMISMATCH,
                 &err);
    lake_error_clear(&err);

    /* A stream over the whole table (by name), one record at a time. */
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
    lake_arena_free(arena);
    free(rows);
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
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        for (int i = 0; i < 200; i++)
            rows[i] = (event){{tenants[i % 2], strlen(tenants[i % 2])}, 50 + i / 2 + (path - 1) * 50, 1000 * path + i,
                              {path == LAKE_PATH_DIRECT ? "direct" : "staged", 6},
                              {{path == LAKE_PATH_DIRECT ? "values" : "parquet", 6 + (path != LAKE_PATH_DIRECT)},
                               {i, i % 3 != 0}}};
        o.path = (lake_write_path)path;
        CHECK_OK(lake_client_insert(c, schema_of(&event_model), rows, 200, &o, NULL, &err), &err);
        CHECK(staging_empty());
    }
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM spark_catalog.lakeorm_dbx.events", NULL), 2 * 200);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE label = 'first'", NULL), 2 * 50);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE label = 'direct'", NULL), 2 * 50);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE label = 'staged'", NULL), 2 * 100);
    CHECK_EQ_INT(scalar(c, "SELECT value AS n FROM events WHERE tenant = 'globex' AND id = 120", NULL), 2000 + 41);
    lake_arena *arena;
    lake_arena_new(&arena);
    event got;
    lake_source q = LAKE_SQL("SELECT * FROM events WHERE tenant = 'acme' AND id = 50");
    CHECK_OK(lake_client_query_first(c, schema_of(&event_model), &q, arena, &got, &err), &err);
    CHECK(got.meta.source.len == 6 && !memcmp(got.meta.source.ptr, "values", 6) && !got.meta.weight.valid);
    lake_arena_free(arena);
    event twice[2] = {{{"acme", 4}, 7, 1, {"dup", 3}, {{"x", 1}, {0, false}}}, {{"acme", 4}, 7, 2, {"dup", 3}, {{"x", 1}, {0, false}}}};
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        o.path = (lake_write_path)path;
        CHECK_STATUS(lake_client_insert(c, schema_of(&event_model), twice, 2, &o, NULL, &err), LAKE_EINVAL, &err);
        CHECK_CONTAINS(err.message, "acme, 7");
        lake_error_clear(&err);
    }
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE label = 'dup'", NULL), 0);
    lake_client_close(c);
}

/* A service principal's token (8 s here) is fetched once, reused, and
 * refreshed before it expires: no request is ever refused. */
static void oauth_token_is_cached_and_refreshed(void) {
    long issued = stat_of("tokens_issued"), refused = stat_of("unauthorized");
    lake_client *c = open_with("client_id=sp-test;client_secret=sp-secret", staging_url); /* opening runs DDL */
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items WHERE id < ?", "10"), 9);
    CHECK_EQ_INT(scalar(c, "SELECT 1 AS n", NULL), 1);
    CHECK_EQ_INT(stat_of("tokens_issued") - issued, 1);
    sleep(7); /* past the refresh point (3/4 of the lifetime), before expiry */
    CHECK_EQ_INT(scalar(c, "SELECT 2 AS n", NULL), 2);
    CHECK_EQ_INT(stat_of("tokens_issued") - issued, 2);
    CHECK_EQ_INT(stat_of("unauthorized") - refused, 0);
    lake_client_close(c);
    lake_client *bad = NULL;
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    char database[300];
    snprintf(database, sizeof database, "%s/sql/1.0/warehouses/wh-test;client_id=sp-test;client_secret=wrong", warehouse_url);
    o.driver = "databricks";
    o.database = database;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&bad, &o, &err), &err);
    CHECK_STATUS(lake_client_exec(bad, "SELECT 1", NULL, 0, NULL, &err), LAKE_EAUTH, &err);
    CHECK_CONTAINS(err.message, "sp-test");
    CHECK(!strstr(err.message, "wrong"));
    lake_error_clear(&err);
    lake_client_close(bad);
}

/* The driver's warehouse handle: its operations table keeps it first in the client's impl. */
static lake__dbx *warehouse(lake_client *c) { return (lake__dbx *)c->impl; }

/* A statement that outlives the submission's wait is polled to its end.
 * count(r), not count(*): Spark prunes an unused column and never sleeps. */
static void slow_statement_is_polled(void) {
    lake_client *c = open_with("token=dapi-test;wait=0", staging_url);
    long polls = stat_of("polls");
    CHECK_EQ_INT(scalar(c, "SELECT count(r) AS n FROM (SELECT reflect('java.lang.Thread', 'sleep', CAST(2000 AS BIGINT)) AS r)", NULL), 1);
    CHECK(stat_of("polls") - polls >= 2);
    CHECK(warehouse(c)->polls >= 2);
    lake_client_close(c);
}

/* Past the timeout the statement is canceled on the warehouse. (5 s: the
 * schema DDL run at open must fit too, on a loaded test machine.) */
static void timeout_cancels_the_statement(void) {
    lake_client *c = open_with("token=dapi-test;wait=0;timeout=5", staging_url);
    long canceled = stat_of("canceled_statements");
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake_client_exec(c, "SELECT reflect('java.lang.Thread', 'sleep', CAST(30000 AS BIGINT))", NULL, 0, NULL, &err),
                 LAKE_ETIMEOUT, &err);
    CHECK_CONTAINS(err.message, "canceled");
    lake_error_clear(&err);
    CHECK_EQ_INT(stat_of("canceled_statements") - canceled, 1);
    lake_client_close(c);
}

/* Only what never ran is retried: 429 (waiting the Retry-After it names)
 * and 503. Any other failure is reported at once, never sent again. */
static void only_refusals_are_retried(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    long statements = stat_of("statements"), refused = stat_of("refused");
    lake__free(server_call("/_test/refuse_next/2/429", true));
    CHECK_EQ_INT(scalar(c, "SELECT 41 + 1 AS n", NULL), 42);
    CHECK_EQ_INT(stat_of("refused_early"), 0); /* the server's Retry-After was waited out */
    lake__free(server_call("/_test/refuse_next/1/503", true));
    CHECK_EQ_INT(scalar(c, "SELECT 7 AS n", NULL), 7);
    CHECK_EQ_INT(stat_of("refused") - refused, 3);
    CHECK_EQ_INT(stat_of("statements") - statements, 2);
    lake__free(server_call("/_test/refuse_next/1/500", true));
    CHECK_STATUS(lake_client_exec(c, "SELECT 1", NULL, 0, NULL, &err), LAKE_EREMOTE, &err);
    CHECK_CONTAINS(err.message, "HTTP 500");
    CHECK_CONTAINS(err.message, "INTERNAL_ERROR");
    lake_error_clear(&err);
    CHECK_EQ_INT(stat_of("refused") - refused, 4);
    CHECK_EQ_INT(stat_of("statements") - statements, 2);
    lake_client_close(c);
}

typedef struct slow_run {
    lake_client *c;
    int rc;
    lake_error err;
} slow_run;

static void *run_slow(void *arg) {
    slow_run *s = arg;
    s->rc = lake_client_exec(s->c, "SELECT reflect('java.lang.Thread', 'sleep', CAST(30000 AS BIGINT))", NULL, 0, NULL, &s->err);
    return NULL;
}

/* What the client cancels at close: every statement still running. */
static void running_statements_are_canceled(void) {
    lake_client *c = open_with("token=dapi-test;wait=0", staging_url);
    slow_run s = {c, 0, LAKE_ERROR_INIT};
    long canceled = stat_of("canceled_statements");
    pthread_t t;
    pthread_create(&t, NULL, run_slow, &s);
    for (int i = 0; i < 100 && !warehouse(c)->running_count; i++) usleep(50000);
    usleep(300000);
    lake__dbx_cancel_running(warehouse(c));
    pthread_join(t, NULL);
    CHECK_EQ_INT(s.rc, LAKE_EREMOTE);
    CHECK_CONTAINS(s.err.message, "CANCELED");
    lake_error_clear(&s.err);
    CHECK_EQ_INT(stat_of("canceled_statements") - canceled, 1);
    lake_client_close(c);
}

/* A link that expired before its download is asked for again. */
static void expired_links_are_renewed(void) {
    lake_client *c = open_client();
    unsigned long renewed = lake__dbx_links_renewed;
    char *answer = server_call("/_test/expire_next_links/3", true);
    lake__free(answer);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items", NULL), 3000 + 500 + 10 + 40);
    lake_arena *arena;
    lake_arena_new(&arena);
    lake_error err = LAKE_ERROR_INIT;
    item *all = NULL;
    size_t n = 0;
    lake_source q = LAKE_SQL("SELECT * FROM items");
    CHECK_OK(lake_client_query_all(c, schema_of(&item_model), &q, arena, (void **)&all, &n, &err), &err);
    CHECK_EQ_INT(n, 3550);
    CHECK(lake__dbx_links_renewed - renewed >= 2);
    CHECK(stat_of("links_expired") >= 2);
    lake_free(all);
    lake_arena_free(arena);
    lake_client_close(c);

    /* One download at a time, so one slot serves every chunk, and links
     * expire all along: the slot's renewals are counted per chunk and never
     * add up to a failure. Before each chunk's first row the next link issued
     * is made expired: for odd chunks that is their own renewal (they renew
     * twice), for even ones the next chunk's link. 4 odd chunks: 8 renewals. */
    c = open_with("token=dapi-test;links=1", staging_url);
    lake_rows *stream = NULL;
    lake_source ordered = LAKE_SQL("SELECT * FROM items ORDER BY id");
    CHECK_OK(lake_client_rows(c, schema_of(&item_model), &ordered, &stream, &err), &err);
    renewed = lake__dbx_links_renewed;
    size_t streamed = 0;
    for (const void *rec = NULL;; streamed++) {
        if (streamed % 500 == 0) lake__free(server_call("/_test/expire_next_links/1", true));
        if (lake_rows_next(stream, &rec, &err) || !rec) break;
    }
    CHECK_OK(err.code, &err);
    CHECK_EQ_INT(streamed, 3550);
    CHECK_EQ_INT(lake__dbx_links_renewed - renewed, 8);
    lake_rows_close(stream);
    lake__free(server_call("/_test/expire_next_links/0", true));
    lake_client_close(c);
}

static int count_key(void *ctx, const char *key, uint64_t size) {
    (void)key, (void)size;
    ++*(size_t *)ctx;
    return 0;
}

/* Parts staged on S3 (MinIO) are read by the warehouse as s3:// paths: merged, then gone. */
static void staged_parts_on_s3(void) {
    const char *endpoint = getenv("LAKE_TEST_S3_ENDPOINT");
    CHECK(endpoint != NULL);
    setenv("AWS_ACCESS_KEY_ID", "lakeorm", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "lakeorm-secret", 1);
    char s3[256];
    snprintf(s3, sizeof s3, "s3://lake/databricks-%d?endpoint=%s", (int)getpid(), endpoint);
    lake_client *c = open_with("token=dapi-test", s3);
    lake_error err = LAKE_ERROR_INIT;
    int64_t before = scalar(c, "SELECT count(*) AS n FROM events", NULL);
    event rows[300];
    for (int i = 0; i < 300; i++) rows[i] = (event){{"initech", 7}, 1000 + i, i, {"s3", 2}, {{"minio", 5}, {i, true}}};
    lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
    io.path = LAKE_PATH_STAGED;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    for (int round = 0; round < 2; round++) {
        CHECK_OK(lake_client_insert(c, schema_of(&event_model), rows, 300, &io, &r, &err), &err);
        CHECK(r.path == LAKE_PATH_STAGED && r.bytes_staged > 0);
        CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events", NULL), before + 300);
    }
    CHECK_EQ_INT(scalar(c, "SELECT sum(value) AS n FROM events WHERE label = 's3'", NULL), 299 * 300 / 2);
    lake_client_close(c);
    lake_backend *b;
    CHECK_OK(lake_backend_open(&b, s3, &err), &err);
    size_t left = 0;
    CHECK_OK(lake_backend_list(b, "", count_key, &left, &err), &err);
    CHECK_EQ_INT(left, 0);
    lake_backend_free(b);
}

/* Parts staged on a Unity Catalog volume go up through the Files API and are
 * read by the warehouse at their /Volumes path (the fake hands Spark its
 * folder): merged, then gone with their folders; a refused write leaves the
 * table and the volume as they were. */
static char volumes_dir[256];

static void staged_parts_on_a_volume(void) {
    char volume[128], saved_url[sizeof staging_url], saved_dir[sizeof staging_dir];
    snprintf(volume, sizeof volume, "/Volumes/main/lakeorm/staging/dbx-%d", (int)getpid());
    lake_client *c = open_with("token=dapi-test", volume);
    lake_error err = LAKE_ERROR_INIT;
    int64_t before = scalar(c, "SELECT count(*) AS n FROM events", NULL);
    long puts = stat_of("files_put");
    event rows[300];
    for (int i = 0; i < 300; i++) rows[i] = (event){{"umbrella", 8}, 5000 + i, i, {"uc", 2}, {{"volume", 6}, {i, true}}};
    lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
    io.path = LAKE_PATH_STAGED;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema_of(&event_model), rows, 300, &io, &r, &err), &err);
    CHECK(r.path == LAKE_PATH_STAGED && r.bytes_staged > 0);
    CHECK(stat_of("files_put") > puts);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events", NULL), before + 300);
    CHECK_EQ_INT(scalar(c, "SELECT sum(value) AS n FROM events WHERE label = 'uc'", NULL), 299 * 300 / 2);
    lake_client_close(c);
    char local[512];
    snprintf(local, sizeof local, "%s/main/lakeorm/staging/dbx-%d", volumes_dir, (int)getpid());
    CHECK(staging_empty_at(local));
    char staged[600];
    snprintf(staged, sizeof staged, "%s/_staging", local);
    CHECK(access(staged, F_OK) != 0); /* the ingest's folder went with its parts */

    memcpy(saved_url, staging_url, sizeof saved_url);
    memcpy(saved_dir, staging_dir, sizeof saved_dir);
    snprintf(staging_url, sizeof staging_url, "%s", volume);
    snprintf(staging_dir, sizeof staging_dir, "%.200s", local);
    failed_write_leaves_table_and_staging_clean();
    CHECK(access(staged, F_OK) != 0);
    memcpy(staging_url, saved_url, sizeof saved_url);
    memcpy(staging_dir, saved_dir, sizeof saved_dir);
    lake_error_clear(&err);
}

int main(void) {
    const char *port = getenv("LAKE_TEST_SPARK_PORT"), *state = getenv("LAKE_TEST_SPARK_STATE");
    if (!port || !state) {
        fprintf(stderr, "LAKE_TEST_SPARK_PORT/STATE unset: run through ctest\n");
        return 1;
    }
    if (lake_test_spark_skipped(state)) return 77;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    snprintf(volumes_dir, sizeof volumes_dir, "%s/dbx-volumes-%d", state, (int)getpid());
    const char *const options[] = {"--client-id", "sp-test", "--client-secret", "sp-secret", "--token-ttl", "8",
                                   "--chunk-rows", "500", "--volumes", volumes_dir, NULL};
    start_server(port, state, options);
    snprintf(staging_dir, sizeof staging_dir, "%s/dbx-staging-%d", state, (int)getpid());
    mkdir(staging_dir, 0700);
    snprintf(staging_url, sizeof staging_url, "file://%s", staging_dir);
    LAKE_RUN(migrate_and_both_paths_read_back_typed);
    LAKE_RUN(merge_upserts_on_composite_keys);
    LAKE_RUN(failed_write_leaves_table_and_staging_clean);
    LAKE_RUN(conflicts_and_idempotent_retries);
    LAKE_RUN(idempotency_keys_name_one_request);
    LAKE_RUN(counts_and_calls_without_an_error_object);
    LAKE_RUN(assert_schema_compares_what_the_engine_keeps);
    LAKE_RUN(staging_only_this_process_reaches_is_refused);
    LAKE_RUN(staged_parts_on_s3);
    LAKE_RUN(staged_parts_on_a_volume);
    LAKE_RUN(oauth_token_is_cached_and_refreshed);
    LAKE_RUN(slow_statement_is_polled);
    LAKE_RUN(only_refusals_are_retried);
    LAKE_RUN(timeout_cancels_the_statement);
    LAKE_RUN(running_statements_are_canceled);
    LAKE_RUN(expired_links_are_renewed);
    stop_server();
    curl_global_cleanup();
    return lake_test_summary();
}
