/* SPDX-License-Identifier: MIT */
/* No error message or log line holds a credential: every entry point that
 * takes a URL or a connection string (lake_backend_open and its s3/gs forms,
 * lake_client_open_url, lake_client_open's staging and database, the Spark and
 * Databricks addresses) is fed a secret in each place one can be put, and what
 * comes back (the error, and every log field at debug) must not hold it. */
#include <stdlib.h>
#include <unistd.h>

#include "lake_test.h"

#define SECRET "hunter2SECRET"

static char logged[16384];

static void capture(void *ctx, lake_log_level level, const char *event, const lake_log_field *fields, size_t n) {
    (void)ctx, (void)level;
    size_t len = strlen(logged);
    len += (size_t)snprintf(logged + len, sizeof logged - len, "%s", event);
    for (size_t i = 0; i < n && len < sizeof logged; i++)
        len += (size_t)snprintf(logged + len, sizeof logged - len, " %s=%s", fields[i].key, fields[i].value);
    if (len < sizeof logged - 1) logged[len++] = '\n', logged[len] = 0;
}

#define CHECK_HIDDEN(text)                                                                        \
    do {                                                                                          \
        const char *t_ = (text);                                                                  \
        if (strstr(t_, SECRET) || strstr(t_, "hunter2")) LAKE_FAIL_AT("the secret leaked: %s", t_); \
    } while (0)

static const char where_credentials_go[] = "credentials go in the environment or the shared credentials file";

static void backend_urls_never_echo_a_secret(void) {
    static const struct {
        const char *url;
        int status;
        const char *says; /* NULL: only that the secret is absent */
    } cases[] = {
        {"s3://lake/p?region=us-east-1&secret_access_key=" SECRET, LAKE_EINVAL, where_credentials_go},
        {"s3://lake/p?aws_session_token=" SECRET, LAKE_EINVAL, where_credentials_go},
        {"s3://lake/p?access_key_id=AKID&region=x", LAKE_EINVAL, where_credentials_go},
        {"s3://AKID:" SECRET "@lake/p", LAKE_EINVAL, where_credentials_go},
        {"s3://AKID:hunter2/SECRET@lake/p", LAKE_EINVAL, where_credentials_go},
        {"s3://lake/p?" SECRET, LAKE_EINVAL, "has no value"},
        {"s3://lake/p?colour=" SECRET, LAKE_EINVAL, "\"colour\" is not an option"},
        {"s3://lake/p?endpoint=http://AKID:" SECRET "@127.0.0.1:9", LAKE_EINVAL, where_credentials_go},
        {"s3://lake/p?endpoint=http%3A%2F%2FAKID%3A" SECRET "%40127.0.0.1", LAKE_EINVAL, "not an http://"},
        {"s3://lake/p?endpoint=http://127.0.0.1:9/path;token=" SECRET, LAKE_EINVAL, "has a path"},
        {"gs://AKID:" SECRET "@lake/p", LAKE_EINVAL, where_credentials_go},
        {"gs://lake/p?access_token=" SECRET, LAKE_EINVAL, where_credentials_go},
        {"gs://lake/p?hmac_secret=" SECRET, LAKE_EINVAL, where_credentials_go},
        {"gs://lake/p?endpoint=http://u:" SECRET "@127.0.0.1:9", LAKE_EINVAL, where_credentials_go},
        {"ftp://u:" SECRET "@host/x", LAKE_ENOTSUP, "ftp://***@host/x"},
    };
    setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV", 1); /* so that only the URL can fail */
    setenv("AWS_SECRET_ACCESS_KEY", "from-the-environment", 1);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lake_backend *b = NULL;
        lake_error err = LAKE_ERROR_INIT;
        int rc = lake_backend_open(&b, cases[i].url, &err);
        lake_backend_free(b);
        if (rc != cases[i].status) LAKE_FAIL_AT("%s: status %d, expected %d (%s)", cases[i].url, rc, cases[i].status, err.message);
        CHECK_HIDDEN(err.message);
        if (cases[i].says) CHECK_CONTAINS(err.message, cases[i].says);
        lake_error_clear(&err);
    }
    lake_backend *b = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake_backend_open_s3(&b, "gs://u:" SECRET "@lake/p", NULL, &err), LAKE_EINVAL, &err);
    CHECK_HIDDEN(err.message);
    CHECK_STATUS(lake_backend_open_gcs(&b, "s3://lake/p?token=" SECRET, NULL, &err), LAKE_EINVAL, &err);
    CHECK_HIDDEN(err.message);
    lake_error_clear(&err);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
}

static void client_urls_never_echo_a_secret(void) {
    static const char *const urls[] = {
        "duckdb://:memory:?staging=s3%3A%2F%2Flake%2Fp%3Fsecret_access_key%3D" SECRET,
        "duckdb://:memory:?staging=s3%3A%2F%2FAKID%3A" SECRET "%40lake%2Fp",
        "duckdb://:memory:?" SECRET,
        "duckdb://:memory:?token=" SECRET,
        "ftp://u:" SECRET "@host/x",
        "sc://u:" SECRET "@127.0.0.1:15002",
        "sc://127.0.0.1:15002/;" SECRET,
        "https://u:" SECRET "@127.0.0.1/sql/1.0/warehouses/abc;token=t",
        "https://127.0.0.1/sql/1.0/warehouses/abc;" SECRET,
    };
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        lake_client *c = NULL;
        lake_error err = LAKE_ERROR_INIT;
        lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
        o.log = capture;
        o.log_level = LAKE_LOG_DEBUG;
        logged[0] = 0;
        int rc = lake_client_open_url(&c, urls[i], &o, &err);
        lake_client_close(c);
        if (rc == LAKE_OK) LAKE_FAIL_AT("%s opened", urls[i]);
        CHECK_HIDDEN(err.message);
        CHECK_HIDDEN(logged);
        lake_error_clear(&err);
    }
}

/* What opens must log where it went without the secret. */
static void open_logs_no_secret(void) {
    char dir[64], database[128], wal[160];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/lake-secrets-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    CHECK(mkdtemp(dir) != NULL);
    snprintf(database, sizeof database, "%s/lake.duckdb;token=" SECRET, dir);
    snprintf(wal, sizeof wal, "%s.wal", database);
    static const char *const databases[] = {"http://127.0.0.1:9/sql/1.0/warehouses/abc;token=" SECRET, NULL};
    int opened[2];
    char seen[2][sizeof logged];
    for (int i = 0; i < 2; i++) {
        lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
        o.log = capture;
        o.log_level = LAKE_LOG_DEBUG;
        o.driver = databases[i] ? "databricks" : NULL;
        o.database = databases[i] ? databases[i] : database;
        logged[0] = 0;
        lake_client *c = NULL;
        opened[i] = lake_client_open(&c, &o, NULL);
        lake_client_close(c);
        memcpy(seen[i], logged, sizeof logged);
    }
    unlink(database); /* before the checks: a failed one leaves nothing behind */
    unlink(wal);
    CHECK(rmdir(dir) == 0);
    for (int i = 0; i < 2; i++) {
        CHECK_EQ_INT(opened[i], LAKE_OK);
        CHECK_CONTAINS(seen[i], "client.open");
        CHECK_HIDDEN(seen[i]);
    }
}

/* An endpoint's userinfo in the staging URL: before, the client opened and logged it whole. */
static void staging_endpoint_userinfo_is_refused_unlogged(void) {
    setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "from-the-environment", 1);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.log = capture;
    o.log_level = LAKE_LOG_DEBUG;
    o.staging = "s3://lake/p?endpoint=http://AKID:" SECRET "@127.0.0.1:9&region=us-east-1";
    logged[0] = 0;
    lake_client *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake_client_open(&c, &o, &err);
    lake_client_close(c);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    CHECK_HIDDEN(logged);
    CHECK_HIDDEN(err.message);
    CHECK_STATUS(rc, LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, where_credentials_go);
    lake_error_clear(&err);
}

int main(void) {
    LAKE_RUN(backend_urls_never_echo_a_secret);
    LAKE_RUN(client_urls_never_echo_a_secret);
    LAKE_RUN(open_logs_no_secret);
    LAKE_RUN(staging_endpoint_userinfo_is_refused_unlogged);
    return lake_test_summary();
}
