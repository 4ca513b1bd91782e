/* SPDX-License-Identifier: MIT */
/* Running a client: the URL form and options, the in-flight bound, staging
 * cleanup, metrics in the Prometheus format, structured logs. */
#include "client_fixture.h"

#include <lakeorm/backend.h>

static void url_form_and_options(void) {
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    char url[256];
    snprintf(url, sizeof url, "duckdb://:memory:?staging=%s&compression=snappy&pool=2&schema=lake.sales%%20eu",
             staging_url);
    CHECK_STATUS(lake_client_open_url(&c, url, NULL, &err), LAKE_EREMOTE, &err); /* no catalog called lake */
    snprintf(url, sizeof url, "duckdb://:memory:?staging=%s&compression=snappy&pool=2&schema=sales%%20eu", staging_url);
    CHECK_OK(lake_client_open_url(&c, url, NULL, &err), &err);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    static order rows[100];
    make(rows, 100, 0);
    lake_insert_options staged = LAKE_INSERT_OPTIONS_INIT;
    staged.path = LAKE_PATH_STAGED;
    /* Many sessions at once: each one resolves names in the default schema. */
    for (int i = 0; i < 5; i++) CHECK_OK(lake_client_insert(c, schema(), rows + 20 * i, 20, i % 2 ? &staged : NULL, NULL, &err), &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM \"sales eu\".orders"), 100);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'main' AND table_name = 'orders'"), 0);
    lake_client_close(c);

    static const struct {
        const char *url;
        int status;
        const char *says;
    } bad[] = {
        {"duckdb://:memory:?colour=blue", LAKE_EINVAL, "unknown client URL key \"colour\""},
        {"duckdb://:memory:?compression=lz4", LAKE_EINVAL, "compression=lz4"},
        {"duckdb://:memory:?pool=-1", LAKE_EINVAL, "pool=-1"},
        {"duckdb://:memory:?pool", LAKE_EINVAL, "has no value"},
        {"duckdb://x%zz", LAKE_EINVAL, "percent escape"},
        {"spark://host:15002", LAKE_ENOTSUP, "sc://"},
#ifdef LAKE_WITH_SPARK
        {"sc://host:15002?dialect=duckdb", LAKE_ENOTSUP, "iceberg and delta"},
        {"sc://host:15002/;use_ssl=maybe?dialect=delta", LAKE_EINVAL, "use_ssl"},
#else
        {"sc://host:15002", LAKE_ENOTSUP, "LAKE_WITH_SPARK"},
#endif
        {"duckdb://:memory:?dialect=delta", LAKE_ENOTSUP, "dialect"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_STATUS(lake_client_open_url(&c, bad[i].url, NULL, &err), bad[i].status, &err);
        CHECK_CONTAINS(err.message, bad[i].says);
    }
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.driver = "spark"; /* without an address */
#ifdef LAKE_WITH_SPARK
    CHECK_STATUS(lake_client_open(&c, &o, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "sc://");
#else
    CHECK_STATUS(lake_client_open(&c, &o, &err), LAKE_ENOTSUP, &err);
    CHECK_CONTAINS(err.message, "LAKE_WITH_SPARK");
#endif
    o.driver = "hive";
    CHECK_STATUS(lake_client_open(&c, &o, &err), LAKE_ENOTSUP, &err);
    lake_error_clear(&err);
}

static int active, most;
static pthread_mutex_t active_lock = PTHREAD_MUTEX_INITIALIZER;

/* A rule that takes its time and records how many requests run at once. Until
 * two have been seen together it waits for a second one (at most 2 s), so a
 * loaded machine cannot hide the concurrency the bound allows. */
static bool slow(const lake_column *column, const void *value, const char *param, void *ctx) {
    (void)column, (void)value, (void)param, (void)ctx;
    pthread_mutex_lock(&active_lock);
    if (++active > most) most = active;
    for (int waited = 0; most < 2 && waited < 2000; waited++) {
        pthread_mutex_unlock(&active_lock);
        usleep(1000);
        pthread_mutex_lock(&active_lock);
    }
    pthread_mutex_unlock(&active_lock);
    usleep(20000);
    pthread_mutex_lock(&active_lock);
    active--;
    pthread_mutex_unlock(&active_lock);
    return true;
}

typedef struct slow_row {
    int64_t n;
} slow_row;
static const lake_field slow_fields[] = {LAKE_FIELD(slow_row, n, "n", "slow")};
static const lake_model slow_model = LAKE_MODEL(slow_row, "slow_rows", slow_fields);

static void *insert_slowly(void *arg) {
    const lake_schema *s;
    lake_schema_of(&s, &slow_model, NULL);
    slow_row r = {1};
    lake_client_insert(arg, s, &r, 1, NULL, NULL, NULL);
    return NULL;
}

static void in_flight_inserts_are_bounded(void) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_rule_register("slow", slow, NULL, &err), &err);
    const lake_schema *s;
    CHECK_OK(lake_schema_of(&s, &slow_model, &err), &err);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging_url;
    o.max_in_flight = 2;
    lake_client *c;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    CHECK_OK(lake_client_migrate(c, s, &err), &err);
    pthread_t t[8];
    for (int i = 0; i < 8; i++) pthread_create(&t[i], NULL, insert_slowly, c);
    for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
    CHECK_EQ_INT(most, 2);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM slow_rows"), 8);
    lake_client_close(c);
}

/* A UUIDv7 text for a moment `age_ms` ago. */
static void old_id(int64_t age_ms, char out[37]) {
    lake_uuid u;
    lake_uuid7_new(&u);
    int64_t ms = lake_uuid7_unix_ms(&u) - age_ms;
    for (int i = 0; i < 6; i++) u.b[i] = (uint8_t)(ms >> (40 - 8 * i));
    lake_uuid_format(&u, out);
}

static void put(lake_backend *b, const char *key) {
    lake_upload *up;
    lake_sink sink;
    if (lake_backend_put_begin(b, key, &up, &sink, NULL) == LAKE_OK) {
        sink.write(sink.ctx, "PAR1", 4, NULL);
        lake_backend_put_commit(up, NULL);
    }
}

static void cleanup_removes_only_old_ingests(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    lake_backend *b;
    CHECK_OK(lake_backend_open(&b, staging_url, &err), &err);
    char old[37], recent[37], key[128];
    old_id(3 * 3600 * 1000, old);
    old_id(60 * 1000, recent);
    snprintf(key, sizeof key, "_staging/%s/part-00001.parquet", old);
    put(b, key);
    snprintf(key, sizeof key, "_staging/%s/part-00002.parquet", old);
    put(b, key);
    snprintf(key, sizeof key, "_staging/%s/part-00001.parquet", recent);
    put(b, key);
    put(b, "_staging/not-an-ingest/readme.txt");
    lake_cleanup_report r = LAKE_CLEANUP_REPORT_INIT;
    CHECK_OK(lake_client_cleanup_staging(c, (int64_t)3600 * 1000000, &r, &err), &err);
    CHECK_EQ_INT(r.scanned, 3);
    CHECK_EQ_INT(r.deleted, 1);
    CHECK_EQ_INT(r.objects, 2);
    CHECK_EQ_INT(r.failed, 1); /* not ours: reported, left alone */
    char *data;
    size_t len;
    CHECK_OK(lake_backend_get(b, key, &data, &len, &err), &err);
    lake_free(data);
    snprintf(key, sizeof key, "_staging/%s/part-00001.parquet", old);
    CHECK_STATUS(lake_backend_get(b, key, &data, &len, &err), LAKE_ENOTFOUND, &err);
    /* Age zero: everything lakeorm staged goes. */
    CHECK_OK(lake_client_cleanup_staging(c, 0, &r, &err), &err);
    CHECK_EQ_INT(r.deleted, 1);
    CHECK_OK(lake_backend_delete_prefix(b, "_staging/", NULL, &err), &err);
    lake_backend_free(b);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void metrics_in_prometheus_text(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    static order rows[300];
    make(rows, 300, 0);
    lake_insert_options staged = LAKE_INSERT_OPTIONS_INIT;
    staged.path = LAKE_PATH_STAGED;
    CHECK_OK(lake_client_insert(c, schema(), rows, 100, NULL, NULL, &err), &err);
    CHECK_OK(lake_client_insert(c, schema(), rows + 100, 200, &staged, NULL, &err), &err);
    rows[0].customer = (lake_str){"nope", 4};
    CHECK_STATUS(lake_client_insert(c, schema(), rows, 1, NULL, NULL, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 300);
    char *text;
    size_t len;
    CHECK_OK(lake_client_metrics_text(c, "shop", &text, &len), NULL);
    CHECK_EQ_INT(strlen(text), len);
    CHECK_CONTAINS(text, "# TYPE shop_inserts_total counter\n");
    CHECK_CONTAINS(text, "shop_inserts_total{path=\"direct\"} 1\n");
    CHECK_CONTAINS(text, "shop_inserts_total{path=\"staged\"} 1\n");
    CHECK_CONTAINS(text, "shop_rows_written_total 300\n");
    CHECK_CONTAINS(text, "shop_rejected_records_total 1\n");
    CHECK_CONTAINS(text, "shop_errors_total{code=\"validation\"} 1\n");
    CHECK_CONTAINS(text, "shop_phase_seconds_bucket{phase=\"validate\",le=\"+Inf\"} 3\n");
    CHECK_CONTAINS(text, "shop_phase_seconds_count{phase=\"stage\"} 1\n");
    CHECK_CONTAINS(text, "shop_phase_seconds_count{phase=\"commit\"} 2\n");
    CHECK(!strstr(text, "shop_staged_bytes_total 0\n"));
    lake_free(text);
    lake_metrics m = LAKE_METRICS_INIT;
    lake_client_metrics(c, &m);
    CHECK(m.bytes_staged > 100);
    uint64_t total = 0;
    for (int i = 0; i < LAKE_HISTOGRAM_BUCKETS; i++) total += m.phases[LAKE_PHASE_VALIDATE].buckets[i];
    CHECK_EQ_INT(total, 3);
    CHECK(lake_histogram_bounds()[LAKE_HISTOGRAM_BUCKETS - 1] > 1e300);
    lake_client_close(c);
    lake_error_clear(&err);
}

static uint64_t staged_bytes(lake_codec codec) {
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging_url;
    o.compression = codec;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    static order rows[20000];
    make(rows, 20000, 0);
    lake_insert_options staged = LAKE_INSERT_OPTIONS_INIT;
    staged.path = LAKE_PATH_STAGED;
    if (lake_client_open(&c, &o, &err) || lake_client_migrate(c, schema(), &err) ||
        lake_client_insert(c, schema(), rows, 20000, &staged, &r, &err))
        fprintf(stderr, "  %s\n", err.message);
    lake_client_close(c);
    lake_error_clear(&err);
    return r.bytes_staged;
}

/* The Go reference ignores its compression and pool options; here both act. */
static void compression_and_pool_options_take_effect(void) {
    uint64_t none = staged_bytes(LAKE_CODEC_UNCOMPRESSED), zstd = staged_bytes(LAKE_CODEC_ZSTD),
             snappy = staged_bytes(LAKE_CODEC_SNAPPY);
    CHECK(zstd > 0 && snappy > 0);
    CHECK(zstd * 3 / 2 < none);
    CHECK(snappy < none);
    CHECK(zstd != snappy);

    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging_url;
    o.pool_size = 2;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    order rows[1];
    for (int i = 0; i < 50; i++) {
        make(rows, 1, i);
        CHECK_OK(lake_client_insert(c, schema(), rows, 1, NULL, NULL, &err), &err);
    }
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 50);
    lake_metrics m = LAKE_METRICS_INIT;
    lake_client_metrics(c, &m);
    CHECK(m.sessions_opened <= 2); /* 52 calls, one after another: one pooled session serves them */
    lake_client_close(c);
    lake_error_clear(&err);
}

typedef struct log_lines {
    char text[4096];
    int count;
} log_lines;

static void capture(void *ctx, lake_log_level level, const char *event, const lake_log_field *fields, size_t n) {
    log_lines *l = ctx;
    size_t at = strlen(l->text);
    at += (size_t)snprintf(l->text + at, sizeof l->text - at, "%d %s", (int)level, event);
    for (size_t i = 0; i < n && at < sizeof l->text; i++)
        at += (size_t)snprintf(l->text + at, sizeof l->text - at, " %s=%s", fields[i].key, fields[i].value);
    if (at < sizeof l->text - 1) strcat(l->text, "\n");
    l->count++;
}

static void structured_logs_go_to_the_host(void) {
    static log_lines lines;
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging_url;
    o.log = capture;
    o.log_ctx = &lines;
    o.log_level = LAKE_LOG_INFO;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    order rows[3];
    make(rows, 3, 0);
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema(), rows, 3, NULL, &r, &err), &err);
    CHECK_STATUS(lake_client_insert(c, schema(), rows, 3, NULL, NULL, &err), LAKE_EREMOTE, &err);
    char id[37];
    lake_uuid_format(&r.ingest_id, id);
    CHECK_CONTAINS(lines.text, "1 client.open driver=duckdb database=:memory:");
    CHECK_CONTAINS(lines.text, "1 migrate table=orders\n");
    CHECK_CONTAINS(lines.text, "1 insert.done table=orders path=direct rows=3 ingest_id=");
    CHECK_CONTAINS(lines.text, id);
    CHECK_CONTAINS(lines.text, "2 insert.failed table=orders code=rejected by the engine error=");
    lake_client_close(c);
    lake_error_clear(&err);
}

/* The kinds of insert.done's fields, as "table:text rows:integer ...". */
static void capture_kinds(void *ctx, lake_log_level level, const char *event, const lake_log_field *fields, size_t n) {
    (void)level;
    log_lines *l = ctx;
    if (strcmp(event, "insert.done")) return;
    for (size_t i = 0; i < n; i++) {
        size_t at = strlen(l->text);
        snprintf(l->text + at, sizeof l->text - at, "%s:%s ", fields[i].key,
                 fields[i].kind == LAKE_LOG_INTEGER ? "integer" : "text");
    }
}

/* A caller built against options version 3 knew lake_log_field as two members. */
typedef struct field_v3 {
    const char *key, *value;
} field_v3;

static void capture_v3(void *ctx, lake_log_level level, const char *event, const lake_log_field *fields, size_t n) {
    (void)level;
    log_lines *l = ctx;
    if (strcmp(event, "insert.done")) return;
    const field_v3 *old = (const field_v3 *)(const void *)fields;
    for (size_t i = 0; i < n; i++) {
        size_t at = strlen(l->text);
        snprintf(l->text + at, sizeof l->text - at, "%s=%s ", old[i].key, old[i].value);
    }
}

static void log_fields_say_their_kind_and_old_callers_get_pairs(void) {
    static log_lines kinds, old;
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging_url;
    o.log = capture_kinds;
    o.log_ctx = &kinds;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    order rows[3];
    make(rows, 3, 0);
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    CHECK_OK(lake_client_insert(c, schema(), rows, 3, NULL, NULL, &err), &err);
    lake_client_close(c);
    CHECK_EQ_STR(kinds.text, "table:text path:text rows:integer ingest_id:text ");
    o.version = 3;
    o.log = capture_v3;
    o.log_ctx = &old;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    CHECK_OK(lake_client_insert(c, schema(), rows, 3, NULL, NULL, &err), &err);
    lake_client_close(c);
    CHECK_CONTAINS(old.text, "table=orders path=direct rows=3 ingest_id=");
    lake_error_clear(&err);
}

int main(void) {
    fixture_begin();
    LAKE_RUN(url_form_and_options);
    LAKE_RUN(in_flight_inserts_are_bounded);
    LAKE_RUN(cleanup_removes_only_old_ingests);
    LAKE_RUN(metrics_in_prometheus_text);
    LAKE_RUN(structured_logs_go_to_the_host);
    LAKE_RUN(log_fields_say_their_kind_and_old_callers_get_pairs);
    LAKE_RUN(compression_and_pool_options_take_effect);
    return fixture_end();
}
