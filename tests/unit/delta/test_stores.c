/* SPDX-License-Identifier: MIT */
/* Delta tables kept by lakeorm on object stores: MinIO (s3://, If-None-Match)
 * and fake-gcs-server (gs://, ifGenerationMatch=0). Writers in threads race
 * for versions through the stores' own put-if-absent; the engine reads the
 * files through the client's cache. */
#include "../client/client_fixture.h"

enum { WRITERS = 4, INSERTS = 5, ROWS = 40 };

static lake_client *open_store(const char *warehouse) {
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging_url;
    o.dialect = "delta";
    o.warehouse = warehouse;
    o.max_in_flight = WRITERS;
    lake_client *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_client_open(&c, &o, &err)) fprintf(stderr, "  %s: %s\n", warehouse, err.message);
    lake_error_clear(&err);
    return c;
}

typedef struct writer {
    lake_client *c;
    int64_t first;
    int failures;
} writer;

static void *append(void *arg) {
    writer *w = arg;
    order rows[ROWS];
    for (int i = 0; i < INSERTS; i++) {
        make(rows, ROWS, w->first + (int64_t)i * ROWS);
        lake_error err = LAKE_ERROR_INIT;
        if (lake_client_insert(w->c, schema(), rows, ROWS, NULL, NULL, &err)) {
            fprintf(stderr, "  writer at %lld: %s\n", (long long)w->first, err.message);
            w->failures++;
        }
        lake_error_clear(&err);
    }
    return NULL;
}

/* Versions 0 (create) to WRITERS * INSERTS, one commit each, none missing. */
static bool versions_contiguous(lake_client *c, const char *warehouse) {
    (void)c;
    lake_backend *b;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_backend_open(&b, warehouse, &err)) return false;
    char key[64];
    bool ok = true;
    for (int v = 0; v <= WRITERS * INSERTS; v++) {
        snprintf(key, sizeof key, "orders/_delta_log/%020d.json", v);
        char *data = NULL;
        size_t len;
        ok &= lake_backend_get(b, key, &data, &len, &err) == LAKE_OK;
        lake_free(data);
    }
    snprintf(key, sizeof key, "orders/_delta_log/%020d.json", WRITERS * INSERTS + 1);
    char *data = NULL;
    size_t len;
    ok &= lake_backend_get(b, key, &data, &len, &err) == LAKE_ENOTFOUND;
    lake_backend_free(b);
    lake_error_clear(&err);
    return ok;
}

static void racing_writers_on(const char *warehouse) {
    lake_client *c = open_store(warehouse);
    CHECK(c != NULL);
    if (!c) return;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    pthread_t threads[WRITERS];
    writer w[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        w[i] = (writer){c, (int64_t)i * 100000, 0};
        pthread_create(&threads[i], NULL, append, &w[i]);
    }
    for (int i = 0; i < WRITERS; i++) {
        pthread_join(threads[i], NULL);
        CHECK_EQ_INT(w[i].failures, 0);
    }
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), WRITERS * INSERTS * ROWS);
    CHECK_EQ_INT(scalar(c, "SELECT count(DISTINCT _ingest_id) AS n FROM orders"), WRITERS * INSERTS);
    CHECK(versions_contiguous(c, warehouse));
    /* An update rewrites a file in place of the old one, and vacuum finds the old one. */
    order rows[3];
    make(rows, 3, 100000);
    for (int i = 0; i < 3; i++) rows[i].note = (lake_str){"changed", 7};
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.on_conflict = LAKE_CONFLICT_UPDATE;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema(), rows, 3, &o, &r, &err), &err);
    CHECK_EQ_INT(r.updated, 3);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE note = 'changed'"), 3);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), WRITERS * INSERTS * ROWS);
    lake_vacuum_report v = LAKE_VACUUM_REPORT_INIT;
    CHECK_OK(lake_client_vacuum(c, "orders", 0, false, NULL, NULL, &v, &err), &err);
    CHECK_EQ_INT(v.files, 1);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), WRITERS * INSERTS * ROWS);
    lake_client_close(c);
    lake_error_clear(&err);
}

static char store_url[512];
static void racing_writers(void) { racing_writers_on(store_url); }

int main(void) {
    const char *s3 = getenv("LAKE_TEST_S3_ENDPOINT"), *gcs = getenv("LAKE_TEST_GCS_ENDPOINT");
    if (!s3 || !gcs) {
        fprintf(stderr, "LAKE_TEST_S3_ENDPOINT and LAKE_TEST_GCS_ENDPOINT name the test servers\n");
        return 1;
    }
    fixture_begin();
    setenv("AWS_ACCESS_KEY_ID", "lakeorm", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "lakeorm-secret", 1);
    char prefix[40];
    snprintf(prefix, sizeof prefix, "delta-%d", (int)getpid());
    snprintf(store_url, sizeof store_url, "s3://lake/%s?endpoint=%s&region=us-east-1", prefix, s3);
    LAKE_RUN(racing_writers);
    snprintf(store_url, sizeof store_url, "gs://lake/%s?endpoint=%s", prefix, gcs);
    LAKE_RUN(racing_writers);
    return fixture_end();
}
