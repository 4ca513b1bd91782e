/* SPDX-License-Identifier: MIT */
/* The s3:// backend against a real MinIO on loopback (started by the CTest
 * fixture in tests/s3/minio.sh; LAKE_TEST_S3_ENDPOINT says where): single and
 * multipart uploads, listing past 1,000 keys with spaces and unicode, batched
 * deletion, put-if-absent, credentials from options, the environment and the
 * shared file, errors that name the code and never the secret. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "backends/backend.h"
#include "backends/s3/client.h"
#include "lake_test.h"
#include "store_helpers.h"

static const char *endpoint;
static char url[512];

static lake_backend *open_s3(const char *prefix, uint64_t part_size) {
    lake_s3_options o = LAKE_S3_OPTIONS_INIT;
    o.endpoint = endpoint;
    o.access_key = "lakeorm";
    o.secret_key = "lakeorm-secret";
    o.part_size = part_size;
    o.max_attempts = 2;
    char u[256];
    snprintf(u, sizeof u, "s3://lake/%s", prefix);
    lake_backend *b = NULL;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_backend_open_s3(&b, u, &o, &err)) fprintf(stderr, "  %s\n", err.message);
    lake_error_clear(&err);
    return b;
}

static int make_bucket(void) {
    lake__s3 s;
    lake_s3_options o = LAKE_S3_OPTIONS_INIT;
    o.endpoint = endpoint;
    o.access_key = "lakeorm";
    o.secret_key = "lakeorm-secret";
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake__s3_configure(&s, "lake", &o, &err);
    lake__s3_request r = {"PUT", NULL, false, {{0}}, 0, {{0}}, 0, NULL, 0};
    lake__s3_response resp;
    if (!rc) rc = lake__s3_send(&s, &r, &resp, &err);
    if (!rc || rc == LAKE_ECONFLICT) rc = LAKE_OK; /* it exists already */
    else fprintf(stderr, "creating the bucket: %s\n", err.message);
    lake__buf_dispose(&resp.body);
    lake__s3_dispose(&s);
    lake_error_clear(&err);
    return rc;
}



/* What lake doctor reads: the server's clock from its Date header (MinIO's
 * runs on this machine's, so the skew is a second or two at most), no TLS
 * over http://, and S3's error code as the error's class. */
static void transport_and_error_class_are_reported(void) {
    lake_backend *b = open_s3("transport", 0);
    CHECK(b != NULL);
    lake_backend_transport t = LAKE_BACKEND_TRANSPORT_INIT;
    CHECK_OK(lake_backend_transport_info(b, &t), NULL);
    CHECK(t.http && !t.clock_known); /* nothing asked yet */
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_put_if_absent(b, "probe", "x", 1, &err), &err);
    CHECK_OK(lake_backend_transport_info(b, &t), NULL);
    CHECK(t.clock_known && !t.tls && !t.tls_verified);
    CHECK(t.clock_skew_us > -3000000 && t.clock_skew_us < 3000000);
    lake_backend_transport future = {LAKE_BACKEND_TRANSPORT_VERSION + 1, false, false, 0, false, false, false, 0, {0}};
    CHECK_EQ_INT(lake_backend_transport_info(b, &future), LAKE_EINVAL);
    CHECK_OK(lake_backend_delete_prefix(b, "probe", NULL, &err), &err);
    lake_backend_free(b);

    lake_s3_options o = LAKE_S3_OPTIONS_INIT;
    o.endpoint = endpoint;
    o.access_key = "lakeorm";
    o.secret_key = "lakeorm-secret";
    o.max_attempts = 1;
    CHECK_OK(lake_backend_open_s3(&b, "s3://no-such-bucket/x", &o, &err), &err);
    CHECK_STATUS(lake_backend_put_if_absent(b, "probe", "x", 1, &err), LAKE_ENOTFOUND, &err);
    CHECK_EQ_STR(err.engine_class, "NoSuchBucket");
    CHECK_EQ_INT(err.kind, LAKE_KIND_NOT_FOUND);
    CHECK_OK(lake_backend_transport_info(b, &t), NULL);
    CHECK(t.clock_known); /* a refusal carries the Date too */
    lake_backend_free(b);
    lake_error_clear(&err);

    /* file:// has no transport to speak of. */
    CHECK_OK(lake_backend_open(&b, "memory://transport", &err), &err);
    CHECK_OK(lake_backend_transport_info(b, &t), NULL);
    CHECK(!t.http && !t.clock_known);
    lake_backend_free(b);
}

static void objects_round_trip(void) {
    lake_backend *b = open_s3("round trip/", 0);
    CHECK(b != NULL);
    lake_error err = LAKE_ERROR_INIT;
    const char text[] = "PAR1 hello PAR1";
    CHECK_OK(put(b, "a/caf\xC3\xA9 one.parquet", text, sizeof text - 1, 4), NULL);
    CHECK_OK(put(b, "a/empty", "", 0, 1), NULL);
    char *data;
    size_t len;
    CHECK_OK(lake_backend_get(b, "a/caf\xC3\xA9 one.parquet", &data, &len, &err), &err);
    CHECK(len == sizeof text - 1 && !memcmp(data, text, len));
    lake_free(data);
    CHECK_OK(lake_backend_get(b, "a/empty", &data, &len, &err), &err);
    CHECK_EQ_INT(len, 0);
    lake_free(data);
    CHECK_STATUS(lake_backend_get(b, "a/missing", &data, &len, &err), LAKE_ENOTFOUND, &err);
    CHECK_CONTAINS(err.message, "NoSuchKey");
    listing l = {0};
    CHECK_OK(lake_backend_list(b, "a/", count, &l, &err), &err);
    CHECK_EQ_INT(l.count, 2);
    CHECK_EQ_STR(l.first, "a/caf\xC3\xA9 one.parquet");
    size_t deleted = 0;
    CHECK_OK(lake_backend_delete_prefix(b, "a/", &deleted, &err), &err);
    CHECK_EQ_INT(deleted, 2);
    l = (listing){0};
    CHECK_OK(lake_backend_list(b, "", count, &l, &err), &err);
    CHECK_EQ_INT(l.count, 0);
    lake_backend_free(b);
    lake_error_clear(&err);
}

static void multipart_uploads_stream_in_parallel(void) {
    lake_backend *b = open_s3("multipart", (uint64_t)5 << 20);
    CHECK(b != NULL);
    size_t len = (size_t)23 << 20; /* five parts, the last one short */
    unsigned char *data = malloc(len);
    for (size_t i = 0; i < len; i++) data[i] = (unsigned char)(i * 2654435761u >> 13);
    CHECK_OK(put(b, "big.bin", data, len, 100003), NULL); /* odd-sized writes cross part boundaries */
    char *back;
    size_t back_len;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_get(b, "big.bin", &back, &back_len, &err), &err);
    CHECK_EQ_INT(back_len, len);
    CHECK(!memcmp(back, data, len));
    lake_free(back);
    /* An aborted multipart upload leaves no object and no upload behind. */
    lake_upload *u;
    lake_sink sink;
    CHECK_OK(lake_backend_put_begin(b, "aborted.bin", &u, &sink, &err), &err);
    CHECK_OK(sink.write(sink.ctx, data, (size_t)12 << 20, &err), &err);
    lake_backend_put_abort(u);
    CHECK_STATUS(lake_backend_get(b, "aborted.bin", &back, &back_len, &err), LAKE_ENOTFOUND, &err);
    lake__s3_request r = {"GET", NULL, false, {{"uploads", ""}}, 1, {{0}}, 0, NULL, 0};
    lake__s3_response resp;
    CHECK_OK(lake__s3_send(b->impl, &r, &resp, &err), &err);
    lake__buf_putc(&resp.body, 0);
    CHECK(!strstr(resp.body.data, "aborted.bin"));
    lake__buf_dispose(&resp.body);
    CHECK_OK(lake_backend_delete_prefix(b, "", NULL, &err), &err);
    free(data);
    lake_backend_free(b);
    lake_error_clear(&err);
}

static void listing_pages_past_a_thousand(void) {
    lake_backend *b = open_s3("many", 0);
    CHECK(b != NULL);
    char key[128];
    for (int i = 0; i < 1105; i++) {
        snprintf(key, sizeof key, "part %04d \xE2\x9C\x93.parquet", i);
        CHECK_OK(put(b, key, key, strlen(key), 64), NULL);
    }
    listing l = {0};
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_list(b, "", count, &l, &err), &err);
    CHECK_EQ_INT(l.count, 1105);
    CHECK_EQ_STR(l.first, "part 0000 \xE2\x9C\x93.parquet");
    CHECK_EQ_STR(l.last, "part 1104 \xE2\x9C\x93.parquet");
    size_t deleted = 0;
    CHECK_OK(lake_backend_delete_prefix(b, "", &deleted, &err), &err); /* two DeleteObjects batches */
    CHECK_EQ_INT(deleted, 1105);
    l = (listing){0};
    CHECK_OK(lake_backend_list(b, "", count, &l, &err), &err);
    CHECK_EQ_INT(l.count, 0);
    lake_backend_free(b);
    lake_error_clear(&err);
}

static void put_if_absent_refuses_an_existing_key(void) {
    lake_backend *b = open_s3("conditional", 0);
    CHECK(b != NULL);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_put_if_absent(b, "_delta_log/00000.json", "{}", 2, &err), &err);
    CHECK_STATUS(lake_backend_put_if_absent(b, "_delta_log/00000.json", "{\"x\":1}", 7, &err), LAKE_ECONFLICT, &err);
    char *data;
    size_t len;
    CHECK_OK(lake_backend_get(b, "_delta_log/00000.json", &data, &len, &err), &err);
    CHECK(len == 2 && !memcmp(data, "{}", 2)); /* the first writer's object stands */
    lake_free(data);
    CHECK_OK(lake_backend_delete_prefix(b, "", NULL, &err), &err);
    lake_backend_free(b);
    lake_error_clear(&err);
}

static void credentials_come_from_where_aws_tools_look(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake_backend *b;
    char u[512];
    snprintf(u, sizeof u, "s3://lake/creds?endpoint=%s&region=us-east-1", endpoint);
    /* The environment. */
    setenv("AWS_ACCESS_KEY_ID", "lakeorm", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "lakeorm-secret", 1);
    CHECK_OK(lake_backend_open(&b, u, &err), &err);
    CHECK_OK(lake_backend_put_if_absent(b, "env", "1", 1, &err), &err);
    lake_backend_free(b);
    /* The shared credentials file, under a named profile. */
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    char path[] = "/tmp/lake_aws_credentials_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("[default]\naws_access_key_id = nobody\naws_secret_access_key = wrong\n\n[lake]\n"
          "aws_access_key_id = lakeorm\naws_secret_access_key = lakeorm-secret\n", f);
    fclose(f);
    setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
    setenv("AWS_PROFILE", "lake", 1);
    CHECK_OK(lake_backend_open(&b, u, &err), &err);
    CHECK_OK(lake_backend_put_if_absent(b, "file", "1", 1, &err), &err);
    lake_backend_free(b);
    /* The default profile's wrong secret: refused, and the error never shows it. */
    unsetenv("AWS_PROFILE");
    CHECK_OK(lake_backend_open(&b, u, &err), &err);
    CHECK_STATUS(lake_backend_put_if_absent(b, "denied", "1", 1, &err), LAKE_EAUTH, &err);
    CHECK(strstr(err.message, "InvalidAccessKeyId") || strstr(err.message, "SignatureDoesNotMatch"));
    CHECK(!strstr(err.message, "wrong"));
    CHECK_CONTAINS(err.message, "request id");
    lake_backend_free(b);
    unsetenv("AWS_SHARED_CREDENTIALS_FILE");
    unlink(path);
    b = open_s3("creds", 0);
    CHECK_OK(lake_backend_delete_prefix(b, "", NULL, &err), &err);
    lake_backend_free(b);
    /* No credentials anywhere: a clear refusal at open. */
    setenv("HOME", "/nonexistent", 1);
    CHECK_STATUS(lake_backend_open(&b, u, &err), LAKE_EAUTH, &err);
    CHECK_CONTAINS(err.message, "no credentials");
    lake_error_clear(&err);
}

typedef struct reading {
    int64_t id;
    lake_str site;
    lake_opt_f64 value;
} reading;
static const lake_field reading_fields[] = {
    LAKE_FIELD(reading, id, "id,pk", ""),
    LAKE_FIELD(reading, site, "site", "required"),
    LAKE_FIELD(reading, value, "value", ""),
};
static const lake_model reading_model = LAKE_MODEL(reading, "readings", reading_fields);

typedef struct one {
    int64_t n;
} one;
static const lake_field one_fields[] = {LAKE_FIELD(one, n, "n", "")};
static const lake_model one_model = LAKE_MODEL(one, "x", one_fields);

static int take(void *ctx, const void *record) {
    *(int64_t *)ctx = ((const one *)record)->n;
    return LAKE_OK;
}

static int64_t scalar(lake_client *c, const char *sql) {
    const lake_schema *s;
    lake_schema_of(&s, &one_model, NULL);
    int64_t n = -1;
    lake_source q = LAKE_SQL(sql);
    lake_error err = LAKE_ERROR_INIT;
    if (lake_client_query(c, s, &q, take, &n, &err)) fprintf(stderr, "  %s\n", err.message);
    lake_error_clear(&err);
    return n;
}

/* The embedded client staging on S3: parts go to the server, the engine
 * loads local copies, and nothing is left on the server either way. */
static void the_client_stages_on_s3(void) {
    setenv("AWS_ACCESS_KEY_ID", "lakeorm", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "lakeorm-secret", 1);
    char staging[512];
    snprintf(staging, sizeof staging, "s3://lake/client-stage?endpoint=%s", endpoint);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    const lake_schema *s;
    CHECK_OK(lake_schema_of(&s, &reading_model, &err), &err);
    CHECK_OK(lake_client_migrate(c, s, &err), &err);
    static reading rows[5000];
    static const char *sites[] = {"north", "south \xE2\x9C\x93"};
    for (int i = 0; i < 5000; i++)
        rows[i] = (reading){i, {sites[i % 2], strlen(sites[i % 2])}, {i * 0.5, i % 3 != 0}};
    lake_insert_options staged = LAKE_INSERT_OPTIONS_INIT;
    staged.path = LAKE_PATH_STAGED;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, s, rows, 5000, &staged, &r, &err), &err);
    CHECK_EQ_INT(r.path, LAKE_PATH_STAGED);
    CHECK(r.bytes_staged > 0);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM readings"), 5000);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM readings WHERE value IS NULL"), 1667);
    /* A failing request (a duplicate key) cleans the server too. */
    CHECK_STATUS(lake_client_insert(c, s, rows, 10, &staged, NULL, &err), LAKE_EREMOTE, &err);
    lake_backend *b = open_s3("client-stage", 0);
    listing l = {0};
    CHECK_OK(lake_backend_list(b, "", count, &l, &err), &err);
    CHECK_EQ_INT(l.count, 0);
    /* What a crashed insert leaves on the server, cleanup_staging finds by its UUIDv7 time. */
    CHECK_OK(lake_backend_put_if_absent(b, "_staging/0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f/part-00001.parquet", "PAR1", 4,
                                        &err), &err);
    lake_cleanup_report report = LAKE_CLEANUP_REPORT_INIT;
    CHECK_OK(lake_client_cleanup_staging(c, (int64_t)3600 * 1000000, &report, &err), &err);
    CHECK_EQ_INT(report.deleted, 1);
    CHECK_EQ_INT(report.objects, 1);
    l = (listing){0};
    CHECK_OK(lake_backend_list(b, "", count, &l, &err), &err);
    CHECK_EQ_INT(l.count, 0);
    lake_backend_free(b);
    lake_client_close(c);
    lake_error_clear(&err);
}

/* Cleanup on S3 deletes the old prefix and nothing beside it, above the
 * backend's prefix or in a sibling whose name starts the same. */
/* lake_client_cleanup_staging over s3://lake/<prefix>, for prefixes older than an hour. */
static lake_cleanup_report cleanup_older_than_an_hour(const char *prefix) {
    setenv("AWS_ACCESS_KEY_ID", "lakeorm", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "lakeorm-secret", 1);
    char staging[512];
    snprintf(staging, sizeof staging, "s3://lake/%s?endpoint=%s", prefix, endpoint);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    lake_cleanup_report report = LAKE_CLEANUP_REPORT_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    int rc = lake_client_cleanup_staging(c, (int64_t)3600 * 1000000, &report, &err);
    lake_client_close(c);
    CHECK_OK(rc, &err);
    lake_error_clear(&err);
    return report;
}

static void cleanup_deletes_only_under_the_prefix(void) {
    static const char old_part[] = "_staging/017f22e2-79b0-7000-8000-00000000000a/part-00001.parquet";
    lake_backend *inside = open_s3("bounds", 0), *bucket = open_s3("", 0);
    CHECK(inside && bucket);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_put_if_absent(inside, old_part, "PAR1", 4, &err), &err);
    CHECK_OK(lake_backend_put_if_absent(inside, "tables/users/data.parquet", "keep", 4, &err), &err);
    char key[256];
    snprintf(key, sizeof key, "bounds-sibling/%s", old_part); /* "bounds" is a string prefix of it */
    CHECK_OK(lake_backend_put_if_absent(bucket, key, "keep", 4, &err), &err);
    CHECK_OK(lake_backend_put_if_absent(bucket, old_part, "keep", 4, &err), &err);
    lake_cleanup_report report = cleanup_older_than_an_hour("bounds");
    CHECK_EQ_INT(report.deleted, 1);
    CHECK_EQ_INT(report.objects, 1);
    char *data;
    size_t len;
    CHECK_STATUS(lake_backend_get(inside, old_part, &data, &len, &err), LAKE_ENOTFOUND, &err);
    const char *kept[] = {"bounds/tables/users/data.parquet", key, old_part};
    for (int i = 0; i < 3; i++) {
        CHECK_OK(lake_backend_get(bucket, kept[i], &data, &len, &err), &err);
        lake_free(data);
    }
    size_t n;
    CHECK_OK(lake_backend_delete_prefix(bucket, "bounds", &n, &err), &err);
    CHECK_OK(lake_backend_delete_prefix(bucket, old_part, &n, &err), &err);
    lake_backend_free(inside);
    lake_backend_free(bucket);
    lake_error_clear(&err);
}

/* Addressing: virtual-hosted on AWS, path-style with a custom endpoint, and forced either way. */
static void addressing_follows_the_endpoint(void) {
    lake_s3_options o = LAKE_S3_OPTIONS_INIT;
    o.access_key = "k";
    o.secret_key = "s";
    o.region = "eu-west-1";
    lake__s3 s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__s3_configure(&s, "lake/a/b/", &o, &err), &err);
    CHECK_EQ_STR(s.scheme_host, "https://lake.s3.eu-west-1.amazonaws.com");
    CHECK_EQ_STR(s.host, "lake.s3.eu-west-1.amazonaws.com");
    CHECK_EQ_STR(s.prefix, "a/b/");
    CHECK(!s.http.insecure); /* TLS is verified unless asked otherwise */
    lake__s3_dispose(&s);
    o.endpoint = "http://127.0.0.1:9000/";
    CHECK_OK(lake__s3_configure(&s, "lake", &o, &err), &err);
    CHECK(s.path_style);
    CHECK_EQ_STR(s.scheme_host, "http://127.0.0.1:9000");
    CHECK_EQ_STR(s.prefix, "");
    lake__s3_dispose(&s);
    o.path_style = 0;
    CHECK_OK(lake__s3_configure(&s, "lake", &o, &err), &err);
    CHECK_EQ_STR(s.scheme_host, "http://lake.127.0.0.1:9000");
    lake__s3_dispose(&s);
    CHECK_STATUS(lake__s3_configure(&s, "Bad_Bucket", &o, &err), LAKE_EINVAL, &err);
    lake__s3_dispose(&s);
    o.endpoint = "ftp://x";
    CHECK_STATUS(lake__s3_configure(&s, "lake", &o, &err), LAKE_EINVAL, &err);
    lake__s3_dispose(&s);
    lake_error_clear(&err);
}

/* Staged parts on the server, read back through the backend by an independent reader (pyarrow). */
static void staged_parts_read_back_with_pyarrow(void) {
    lake_backend *b = open_s3("parts", 0);
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &reading_model, &err), &err);
    lake_part_sinks sinks;
    CHECK_OK(lake_backend_part_sinks(b, "_staging/x", &sinks, &err), &err);
    lake_parquet_parts_options po = LAKE_PARQUET_PARTS_OPTIONS_INIT;
    po.part_rows = 3000; /* two parts */
    lake_parquet_parts *parts;
    static reading rows[5000];
    for (int i = 0; i < 5000; i++) rows[i] = (reading){i, {"north \xE2\x9C\x93", 9}, {i * 0.25, i % 4 != 0}};
    CHECK_OK(lake_parquet_parts_open(&parts, s, &sinks, &po, &err), &err);
    CHECK_OK(lake_parquet_parts_append(parts, rows, 5000, &err), &err);
    CHECK_OK(lake_parquet_parts_close(parts, &err), &err);
    lake_parquet_parts_free(parts);
    lake_backend_part_sinks_free(&sinks);
    char dir[] = "/tmp/lake_s3_parts_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    static const char *const names[] = {"part-00001.parquet", "part-00002.parquet"};
    for (int i = 0; i < 2; i++) {
        char key[64], path[128], *data;
        size_t len;
        snprintf(key, sizeof key, "_staging/x/%s", names[i]);
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        CHECK_OK(lake_backend_get(b, key, &data, &len, &err), &err);
        FILE *f = fopen(path, "wb");
        CHECK(f && fwrite(data, 1, len, f) == len);
        fclose(f);
        lake_free(data);
    }
    char cmd[600];
    snprintf(cmd, sizeof cmd, "'%s' -c \"import pyarrow.parquet as pq, sys; t = pq.read_table(sys.argv[1]); "
                              "assert t.num_rows == 5000, t.num_rows; assert t.column('value').null_count == 1250; "
                              "assert t.column('site')[7].as_py() == 'north \u2713'\" '%s'", LAKE_PYTHON, dir);
    CHECK_EQ_INT(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_EQ_INT(system(cmd), 0);
    CHECK_OK(lake_backend_delete_prefix(b, "", NULL, &err), &err);
    lake_backend_free(b);
    lake_error_clear(&err);
}

static void a_dead_server_fails_cleanly(void) {
    lake_s3_options o = LAKE_S3_OPTIONS_INIT;
    o.endpoint = "http://127.0.0.1:1"; /* nothing listens there */
    o.access_key = "lakeorm";
    o.secret_key = "lakeorm-secret";
    o.max_attempts = 3;
    lake_backend *b;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_open_s3(&b, "s3://lake/x", &o, &err), &err);
    CHECK_STATUS(lake_backend_put_if_absent(b, "k", "1", 1, &err), LAKE_EIO, &err);
    CHECK_CONTAINS(err.message, "after 3 attempts");
    lake_backend_free(b);
    lake_error_clear(&err);
}

/* ---- faults, through tests/s3/fault_proxy.py in front of MinIO */

static pid_t proxy_pid;

static int start_proxy(const char *mode, int port) {
    const char *script = getenv("LAKE_TEST_S3_PROXY");
    if (!script) return -1;
    char port_text[16];
    snprintf(port_text, sizeof port_text, "%d", port);
    fflush(NULL); /* the child must not inherit unwritten output */
    proxy_pid = fork();
    if (proxy_pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        execlp("python3", "python3", script, port_text, endpoint, mode, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200; i++) { /* ready when it accepts connections */
        if (listening(port)) return 0;
        struct timespec t = {0, 50000000};
        nanosleep(&t, NULL);
    }
    return -1;
}

static void stop_proxy(void) {
    if (proxy_pid > 0) {
        kill(proxy_pid, SIGTERM);
        waitpid(proxy_pid, NULL, 0);
    }
    proxy_pid = 0;
}

static lake_backend *through_proxy(int port, const char *prefix, unsigned attempts, long timeout_ms) {
    char proxy[64], u[128];
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", port);
    snprintf(u, sizeof u, "s3://lake/%s", prefix);
    lake_s3_options o = LAKE_S3_OPTIONS_INIT;
    o.endpoint = proxy;
    o.access_key = "lakeorm";
    o.secret_key = "lakeorm-secret";
    o.part_size = (uint64_t)5 << 20;
    o.max_attempts = attempts;
    o.timeout_ms = timeout_ms;
    lake_backend *b = NULL;
    lake_backend_open_s3(&b, u, &o, NULL);
    return b;
}

static bool pending_uploads(const char *key) {
    lake_backend *b = open_s3("", 0);
    lake__s3_request r = {"GET", NULL, false, {{"uploads", ""}}, 1, {{0}}, 0, NULL, 0};
    lake__s3_response resp;
    bool found = true;
    if (b && !lake__s3_send(b->impl, &r, &resp, NULL)) {
        lake__buf_putc(&resp.body, 0);
        found = strstr(resp.body.data, key) != NULL;
    }
    lake__buf_dispose(&resp.body);
    lake_backend_free(b);
    return found;
}

static void a_503_storm_is_retried_then_given_up(void) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_INT(start_proxy("storm:3", 19620), 0);
    lake_backend *b = through_proxy(19620, "storm", 5, 5000);
    CHECK_OK(lake_backend_put_if_absent(b, "after-the-storm", "1", 1, &err), &err); /* three 503s, then through */
    lake_backend_free(b);
    stop_proxy();
    CHECK_EQ_INT(start_proxy("storm:all", 19621), 0);
    b = through_proxy(19621, "storm", 3, 5000);
    CHECK_STATUS(lake_backend_put_if_absent(b, "never", "1", 1, &err), LAKE_EREMOTE, &err);
    CHECK_CONTAINS(err.message, "503 SlowDown");
    lake_backend_free(b);
    stop_proxy();
    b = open_s3("storm", 0);
    char *data;
    size_t len;
    CHECK_STATUS(lake_backend_get(b, "never", &data, &len, &err), LAKE_ENOTFOUND, &err);
    CHECK_OK(lake_backend_delete_prefix(b, "", NULL, &err), &err);
    lake_backend_free(b);
    lake_error_clear(&err);
}

static void a_slow_server_times_out(void) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_INT(start_proxy("slow:3", 19622), 0);
    lake_backend *b = through_proxy(19622, "slow", 2, 400);
    CHECK_STATUS(lake_backend_put_if_absent(b, "late", "1", 1, &err), LAKE_ETIMEOUT, &err);
    lake_backend_free(b);
    stop_proxy();
    lake_error_clear(&err);
}

static void a_server_dying_mid_upload_aborts_the_multipart(void) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_INT(start_proxy("cut:1000000", 19623), 0);
    lake_backend *b = through_proxy(19623, "cut", 2, 5000);
    size_t len = (size_t)12 << 20;
    char *data = calloc(1, len);
    lake_upload *u;
    lake_sink sink;
    CHECK_OK(lake_backend_put_begin(b, "cut.bin", &u, &sink, &err), &err);
    int rc = sink.write(sink.ctx, data, len, &err);
    if (!rc) rc = lake_backend_put_commit(u, &err);
    else lake_backend_put_abort(u);
    CHECK_EQ_INT(rc, LAKE_EIO);
    CHECK(!pending_uploads("cut.bin")); /* the abort went through: small requests pass the proxy */
    lake_backend_free(b);
    stop_proxy();
    b = open_s3("cut", 0);
    char *back;
    size_t back_len;
    CHECK_STATUS(lake_backend_get(b, "cut.bin", &back, &back_len, &err), LAKE_ENOTFOUND, &err);
    lake_backend_free(b);
    free(data);
    lake_error_clear(&err);
}

/* Begins a multipart upload of key under prefix and leaves it, as a writer
 * killed mid-upload does. */
static void begin_and_leave(const char *prefix, const char *key) {
    lake_backend *b = open_s3(prefix, 0);
    CHECK(b != NULL);
    lake__s3_request r = {"POST", key, false, {{"uploads", ""}}, 1, {{0}}, 0, NULL, 0};
    lake__s3_response resp;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake__s3_send(b->impl, &r, &resp, &err);
    lake__buf_dispose(&resp.body);
    lake_backend_free(b);
    CHECK_OK(rc, &err);
}

static int discard_one(void *ctx, const char *key, uint64_t size) {
    (void)size;
    return lake__backend_discard_unfinished(ctx, key, NULL);
}

/* Aborts every unfinished upload under the backend prefix. */
static void discard_all(const char *prefix) {
    lake_backend *b = open_s3(prefix, 0);
    lake_error err = LAKE_ERROR_INIT;
    int rc = b ? lake__backend_list_unfinished(b, "", discard_one, b, &err) : LAKE_ERROR;
    lake_backend_free(b);
    CHECK_OK(rc, &err);
}

/* kill -9 mid-upload leaves a multipart upload no object listing shows:
 * cleanup finds its ingest prefix through it and aborts it, and leaves the
 * uploads of younger prefixes and of other keys alone. */
static void cleanup_aborts_the_uploads_a_killed_writer_left(void) {
    static const char old_part[] = "_staging/017f22e2-79b0-7000-8000-00000000000b/part-00001.parquet";
    char young[128], young_part[160];
    lake_uuid id;
    CHECK_OK(lake_uuid7_new(&id), NULL);
    lake_uuid_format(&id, young);
    snprintf(young_part, sizeof young_part, "_staging/%s/part-00001.parquet", young);
    discard_all("killed");
    begin_and_leave("killed", old_part);
    begin_and_leave("killed", old_part); /* two attempts at one key */
    begin_and_leave("killed", young_part);
    begin_and_leave("killed", "tables/users/data.parquet");
    CHECK(pending_uploads("killed/_staging/017f22e2-79b0-7000-8000-00000000000b/"));
    lake_error err = LAKE_ERROR_INIT;
    lake_cleanup_report report = cleanup_older_than_an_hour("killed");
    CHECK_EQ_INT(report.scanned, 2);
    CHECK_EQ_INT(report.deleted, 1);
    CHECK_EQ_INT(report.failed, 0);
    CHECK(!pending_uploads("killed/_staging/017f22e2-79b0-7000-8000-00000000000b/"));
    CHECK(pending_uploads(young_part));
    CHECK(pending_uploads("killed/tables/users/data.parquet"));
    discard_all("killed");
    CHECK(!pending_uploads("killed/"));
    lake_error_clear(&err);
}

/* A request whose staging cannot be written fails whole, and a cleanup
 * removes what the dead server left once it is back. */
static void a_failed_staged_insert_changes_nothing(void) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_INT(start_proxy("cut:1000000", 19624), 0);
    setenv("AWS_ACCESS_KEY_ID", "lakeorm", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "lakeorm-secret", 1);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = "s3://lake/failing?endpoint=http://127.0.0.1:19624&part_size=5242880&max_attempts=2";
    lake_client *c;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    const lake_schema *s;
    CHECK_OK(lake_schema_of(&s, &reading_model, &err), &err);
    CHECK_OK(lake_client_migrate(c, s, &err), &err);
    static reading rows[400000];
    for (int i = 0; i < 400000; i++) rows[i] = (reading){i, {"x", 1}, {(double)i * 1.0000001, true}};
    lake_insert_options staged = LAKE_INSERT_OPTIONS_INIT;
    staged.path = LAKE_PATH_STAGED;
    CHECK_STATUS(lake_client_insert(c, s, rows, 400000, &staged, NULL, &err), LAKE_EIO, &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM readings"), 0);
    stop_proxy();
    lake_client_close(c);
    lake_backend *b = open_s3("failing", 0);
    listing l = {0};
    CHECK_OK(lake_backend_list(b, "", count, &l, &err), &err);
    CHECK_EQ_INT(l.count, 0); /* parts that did land were removed */
    CHECK(!pending_uploads("failing/"));
    lake_backend_free(b);
    lake_error_clear(&err);
}

int main(void) {
    endpoint = getenv("LAKE_TEST_S3_ENDPOINT");
    if (!endpoint) {
        fprintf(stderr, "LAKE_TEST_S3_ENDPOINT is not set: run through ctest, which starts MinIO\n");
        return 1;
    }
    snprintf(url, sizeof url, "s3://lake/?endpoint=%s", endpoint);
    if (make_bucket()) return 1;
    LAKE_RUN(addressing_follows_the_endpoint);
    LAKE_RUN(objects_round_trip);
    LAKE_RUN(transport_and_error_class_are_reported);
    LAKE_RUN(multipart_uploads_stream_in_parallel);
    LAKE_RUN(listing_pages_past_a_thousand);
    LAKE_RUN(put_if_absent_refuses_an_existing_key);
    LAKE_RUN(the_client_stages_on_s3);
    LAKE_RUN(cleanup_deletes_only_under_the_prefix);
    LAKE_RUN(staged_parts_read_back_with_pyarrow);
    LAKE_RUN(credentials_come_from_where_aws_tools_look);
    LAKE_RUN(a_dead_server_fails_cleanly);
    LAKE_RUN(a_503_storm_is_retried_then_given_up);
    LAKE_RUN(a_slow_server_times_out);
    LAKE_RUN(a_server_dying_mid_upload_aborts_the_multipart);
    LAKE_RUN(cleanup_aborts_the_uploads_a_killed_writer_left);
    LAKE_RUN(a_failed_staged_insert_changes_nothing);
    return lake_test_summary();
}
