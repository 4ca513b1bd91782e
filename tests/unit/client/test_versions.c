/* SPDX-License-Identifier: MIT */
/* Struct versions (src/util/version.h): an options or output struct is taken
 * when 1 <= version <= the library's, refused with a message naming its _INIT
 * macro otherwise, and an output struct keeps the caller's version. */
#include "client_fixture.h"
#include "client/client.h"

static void options_of_a_known_version_are_taken(void) {
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    /* An older version's struct ends before the later fields: version 5's threads is not read from a 4. */
    lake_client_options read;
    o.threads = 3;
    for (unsigned v = 4; v <= 5; v++) {
        o.version = v;
        CHECK_OK(lake__client_options_read(&read, &o, &err), &err);
        CHECK_EQ_INT(read.threads, v == 5 ? 3 : 0);
    }
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    lake_client_close(c);
    lake_decode_options d = LAKE_DECODE_OPTIONS_INIT;
    order rec;
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    const char *json = "{\"id\":1,\"customer\":\"ann@example.com\",\"placed_at\":\"2024-01-01T00:00:00Z\"}";
    CHECK_OK(lake_json_decode(schema(), json, strlen(json), &rec, arena, 0, &d, &err), &err);
    lake_arena_free(arena);
}

static int discard(void *ctx, const void *data, size_t len, lake_error *err) {
    (void)ctx, (void)data, (void)len, (void)err;
    return LAKE_OK;
}

static void options_of_an_unknown_version_are_refused(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake_client *c = NULL;
    unsigned versions[] = {0, LAKE_CLIENT_OPTIONS_VERSION + 1};
    for (size_t i = 0; i < 2; i++) {
        lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
        o.version = versions[i];
        CHECK_STATUS(lake_client_open(&c, &o, &err), LAKE_EINVAL, &err);
        CHECK(c == NULL);
        char expected[160];
        snprintf(expected, sizeof expected,
                 "lake_client_options.version is %u; this library knows 1..%d (initialise it with "
                 "LAKE_CLIENT_OPTIONS_INIT)", versions[i], LAKE_CLIENT_OPTIONS_VERSION);
        CHECK_EQ_STR(err.message, expected);
        CHECK_STATUS(lake_client_open_url(&c, "duckdb://:memory:", &o, &err), LAKE_EINVAL, &err);
        CHECK_CONTAINS(err.message, "LAKE_CLIENT_OPTIONS_INIT");
    }
    lake_parquet_options p = LAKE_PARQUET_OPTIONS_INIT;
    p.version = 0;
    lake_parquet_writer *w;
    lake_sink sink = {discard, NULL};
    CHECK_STATUS(lake_parquet_writer_open(&w, schema(), &sink, &p, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "(initialise it with LAKE_PARQUET_OPTIONS_INIT)");
    lake_s3_options s3 = LAKE_S3_OPTIONS_INIT;
    s3.version = 7;
    lake_backend *b;
    CHECK_STATUS(lake_backend_open_s3(&b, "s3://lake/x", &s3, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "lake_s3_options.version is 7; this library knows 1..1 (initialise it with "
                                "LAKE_S3_OPTIONS_INIT)");
    lake_migrate_options m = LAKE_MIGRATE_OPTIONS_INIT;
    m.version = 0;
    lake_client *mc = open_client();
    CHECK_STATUS(lake_client_migrate_with(mc, schema(), &m, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "(initialise it with LAKE_MIGRATE_OPTIONS_INIT)");
    /* refused before the table was made */
    CHECK_EQ_INT(scalar(mc, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'orders'"), 0);
    m.version = LAKE_MIGRATE_OPTIONS_VERSION;
    CHECK_OK(lake_client_migrate_with(mc, schema(), &m, &err), &err);
    CHECK_OK(lake_client_migrate_with(mc, schema(), NULL, &err), &err);
    lake_client_close(mc);
    lake_error_clear(&err);
}

static void an_insert_result_keeps_its_version(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    order rows[3];
    make(rows, 3, 1);
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema(), rows, 3, NULL, &r, &err), &err);
    CHECK_EQ_INT(r.version, LAKE_INSERT_RESULT_VERSION);
    CHECK_EQ_INT(r.rows, 3);
    CHECK_EQ_INT(r.inserted, 3);
    /* NULL stays allowed: the caller does not want to know. */
    make(rows, 3, 10);
    CHECK_OK(lake_client_insert(c, schema(), rows, 3, NULL, NULL, &err), &err);

    lake_metrics m = LAKE_METRICS_INIT;
    CHECK_OK(lake_client_metrics(c, &m), NULL);
    CHECK_EQ_INT(m.version, LAKE_METRICS_VERSION);
    CHECK_EQ_INT(m.rows_written, 6);

    lake_cleanup_report report = LAKE_CLEANUP_REPORT_INIT;
    CHECK_OK(lake_client_cleanup_staging(c, 3600 * (int64_t)1000000, &report, &err), &err);
    CHECK_EQ_INT(report.version, LAKE_CLEANUP_REPORT_VERSION);
    CHECK_EQ_INT(report.deleted, 0);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void an_output_struct_of_an_unknown_version_is_refused_before_anything_is_done(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    order rows[2];
    make(rows, 2, 1);
    lake_insert_result r = {0}; /* not initialised with LAKE_INSERT_RESULT_INIT */
    CHECK_STATUS(lake_client_insert(c, schema(), rows, 2, NULL, &r, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "lake_insert_result.version is 0; this library knows 1..1 (initialise it with "
                                "LAKE_INSERT_RESULT_INIT)");
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 0);

    /* A streaming request is ended, nothing written, when its commit is given one. */
    lake_ingest *in;
    CHECK_OK(lake_client_ingest_begin(c, schema(), NULL, &in, &err), &err);
    CHECK_OK(lake_ingest_append(in, rows, 2, &err), &err);
    r.version = LAKE_INSERT_RESULT_VERSION + 1;
    CHECK_STATUS(lake_ingest_commit(in, &r, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "lake_insert_result.version is 2");
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 0);

    lake_metrics m = LAKE_METRICS_INIT;
    m.version = 0;
    m.queries = 99;
    CHECK_STATUS(lake_client_metrics(c, &m), LAKE_EINVAL, NULL);
    CHECK_EQ_INT(m.queries, 99); /* left alone */
    CHECK_STATUS(lake_client_metrics(c, NULL), LAKE_EINVAL, NULL);

    lake_cleanup_report report = LAKE_CLEANUP_REPORT_INIT;
    report.version = 0;
    CHECK_STATUS(lake_client_cleanup_staging(c, 0, &report, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "LAKE_CLEANUP_REPORT_INIT");
    lake_client_close(c);
    lake_error_clear(&err);
}

static void collect(void *ctx, const char *name, const char *version) {
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 1024 - n, "%s=%s;", name, version);
}

/* lake_components: the library first, then what it links, each with a version. */
static void components_are_named_with_their_versions(void) {
    char all[1024] = "";
    lake_components(collect, all);
    char first[64];
    snprintf(first, sizeof first, "lakeorm=%s;duckdb=v", lake_version());
    CHECK(!strncmp(all, first, strlen(first)));
    CHECK_CONTAINS(all, ";zstd=1.");
    CHECK_CONTAINS(all, ";OpenSSL=OpenSSL ");
    CHECK(!strstr(all, "=;")); /* none without a version */
    lake_components(NULL, NULL); /* no callback: nothing */
}

int main(void) {
    fixture_begin();
    LAKE_RUN(options_of_a_known_version_are_taken);
    LAKE_RUN(options_of_an_unknown_version_are_refused);
    LAKE_RUN(an_insert_result_keeps_its_version);
    LAKE_RUN(an_output_struct_of_an_unknown_version_is_refused_before_anything_is_done);
    LAKE_RUN(components_are_named_with_their_versions);
    return fixture_end();
}
