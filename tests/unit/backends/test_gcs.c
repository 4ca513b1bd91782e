/* SPDX-License-Identifier: MIT */
/* The gs:// backend against fake-gcs-server on loopback (LAKE_TEST_GCS_ENDPOINT,
 * started by a CTest fixture): media and resumable uploads, create-only
 * writes, listing, deletion, cancelled sessions; the service-account JWT flow
 * against a token endpoint that checks the signature with openssl
 * (tests/gcs/token_server.py); the HMAC route through the S3 code, against
 * MinIO (LAKE_TEST_S3_ENDPOINT); the client staging on GCS. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backends/gcs/auth.h"
#include "lake_test.h"
#include "store_helpers.h"

static const char *endpoint, *s3_endpoint;

static lake_backend *open_gcs(const char *prefix, uint64_t chunk) {
    lake_gcs_options o = LAKE_GCS_OPTIONS_INIT;
    o.endpoint = endpoint;
    o.chunk_size = chunk;
    o.max_attempts = 2;
    char u[256];
    snprintf(u, sizeof u, "gs://lake/%s", prefix);
    lake_backend *b = NULL;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_backend_open_gcs(&b, u, &o, &err)) fprintf(stderr, "  %s\n", err.message);
    lake_error_clear(&err);
    return b;
}



static void objects_round_trip(void) {
    lake_backend *b = open_gcs("round trip", 0);
    CHECK(b != NULL);
    lake_error err = LAKE_ERROR_INIT;
    const char text[] = "PAR1 gcs PAR1";
    CHECK_OK(put(b, "a/caf\xC3\xA9 one.parquet", text, sizeof text - 1, 3), NULL);
    CHECK_OK(put(b, "a/second", "2", 1, 1), NULL);
    char *data;
    size_t len;
    CHECK_OK(lake_backend_get(b, "a/caf\xC3\xA9 one.parquet", &data, &len, &err), &err);
    CHECK(len == sizeof text - 1 && !memcmp(data, text, len));
    lake_free(data);
    CHECK_STATUS(lake_backend_get(b, "a/missing", &data, &len, &err), LAKE_ENOTFOUND, &err);
    listing l = {0};
    CHECK_OK(lake_backend_list(b, "a/", count, &l, &err), &err);
    CHECK_EQ_INT(l.count, 2);
    CHECK_EQ_STR(l.first, "a/caf\xC3\xA9 one.parquet");
    size_t deleted = 0;
    CHECK_OK(lake_backend_delete_prefix(b, "", &deleted, &err), &err);
    CHECK_EQ_INT(deleted, 2);
    l = (listing){0};
    CHECK_OK(lake_backend_list(b, "", count, &l, &err), &err);
    CHECK_EQ_INT(l.count, 0);
    lake_backend_free(b);
    lake_error_clear(&err);
}

static void resumable_uploads_stream(void) {
    lake_backend *b = open_gcs("resumable", 256 * 1024);
    CHECK(b != NULL);
    size_t len = 1300 * 1000; /* five chunks and a short last one */
    unsigned char *data = malloc(len);
    for (size_t i = 0; i < len; i++) data[i] = (unsigned char)(i * 2654435761u >> 11);
    CHECK_OK(put(b, "big.bin", data, len, 70001), NULL);
    char *back;
    size_t back_len;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_get(b, "big.bin", &back, &back_len, &err), &err);
    CHECK_EQ_INT(back_len, len);
    CHECK(!memcmp(back, data, len));
    lake_free(back);
    /* An aborted session leaves nothing. */
    lake_upload *u;
    lake_sink sink;
    CHECK_OK(lake_backend_put_begin(b, "aborted.bin", &u, &sink, &err), &err);
    CHECK_OK(sink.write(sink.ctx, data, 600 * 1000, &err), &err);
    lake_backend_put_abort(u);
    CHECK_STATUS(lake_backend_get(b, "aborted.bin", &back, &back_len, &err), LAKE_ENOTFOUND, &err);
    CHECK_OK(lake_backend_delete_prefix(b, "", NULL, &err), &err);
    free(data);
    lake_backend_free(b);
    lake_error_clear(&err);
}

static void create_only_writes(void) {
    lake_backend *b = open_gcs("conditional", 0);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_put_if_absent(b, "_delta_log/0.json", "{}", 2, &err), &err);
    CHECK_STATUS(lake_backend_put_if_absent(b, "_delta_log/0.json", "{\"x\":1}", 7, &err), LAKE_ECONFLICT, &err);
    char *data;
    size_t len;
    CHECK_OK(lake_backend_get(b, "_delta_log/0.json", &data, &len, &err), &err);
    CHECK(len == 2 && !memcmp(data, "{}", 2));
    lake_free(data);
    CHECK_OK(lake_backend_delete_prefix(b, "", NULL, &err), &err);
    lake_backend_free(b);
    lake_error_clear(&err);
}

static void listing_many(void) {
    lake_backend *b = open_gcs("many", 0);
    char key[64];
    for (int i = 0; i < 1010; i++) {
        snprintf(key, sizeof key, "p %04d \xE2\x9C\x93", i);
        CHECK_OK(put(b, key, "x", 1, 1), NULL);
    }
    listing l = {0};
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_list(b, "", count, &l, &err), &err);
    CHECK_EQ_INT(l.count, 1010);
    CHECK_OK(lake_backend_delete_prefix(b, "", NULL, &err), &err);
    lake_backend_free(b);
    lake_error_clear(&err);
}

/* The JWT flow: a key made with openssl, a token endpoint that verifies it. */
static void service_account_tokens(void) {
    char dir[] = "/tmp/lake_gcs_key_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char cmd[1024], key_pem[128], pub_pem[128], key_json[128];
    snprintf(key_pem, sizeof key_pem, "%s/key.pem", dir);
    snprintf(pub_pem, sizeof pub_pem, "%s/pub.pem", dir);
    snprintf(key_json, sizeof key_json, "%s/key.json", dir);
    snprintf(cmd, sizeof cmd, "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out %s 2>/dev/null && "
                              "openssl pkey -in %s -pubout -out %s", key_pem, key_pem, pub_pem);
    CHECK_EQ_INT(system(cmd), 0);
    /* The key file as Google issues it: the PEM with its newlines escaped. */
    FILE *in = fopen(key_pem, "r"), *out = fopen(key_json, "w");
    CHECK(in && out);
    fprintf(out, "{\"type\":\"service_account\",\"client_email\":\"lake@test.iam.gserviceaccount.com\","
                 "\"token_uri\":\"http://127.0.0.1:19631/token\",\"private_key\":\"");
    for (int ch; (ch = fgetc(in)) != EOF;) {
        if (ch == '\n') fputs("\\n", out);
        else fputc(ch, out);
    }
    fputs("\"}", out);
    fclose(in);
    fclose(out);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        execlp("python3", "python3", getenv("LAKE_TEST_GCS_TOKEN_SERVER"), "19631", pub_pem,
               "lake@test.iam.gserviceaccount.com", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200 && !listening(19631); i++) {
        struct timespec t = {0, 50000000};
        nanosleep(&t, NULL);
    }
    lake_gcs_options o = LAKE_GCS_OPTIONS_INIT;
    o.endpoint = "http://127.0.0.1:19631";
    o.credentials_file = key_json;
    lake_backend *b;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_open_gcs(&b, "gs://lake/x", &o, &err), &err);
    listing l = {0};
    CHECK_OK(lake_backend_list(b, "", count, &l, &err), &err); /* 401 unless the exchanged token is sent */
    CHECK_OK(lake_backend_list(b, "", count, &l, &err), &err); /* the cached token */
    lake_backend_free(b);
    /* A token given as is is sent as is; a wrong one is refused with the server's words. */
    o.credentials_file = NULL;
    o.access_token = "not-the-token";
    CHECK_OK(lake_backend_open_gcs(&b, "gs://lake/x", &o, &err), &err);
    CHECK_STATUS(lake_backend_list(b, "", count, &l, &err), LAKE_EAUTH, &err);
    CHECK_CONTAINS(err.message, "does not have storage.objects.list access");
    CHECK(!strstr(err.message, "not-the-token"));
    lake_backend_free(b);
    /* No credentials for the real service: refused at open. */
    lake_gcs_options none = LAKE_GCS_OPTIONS_INIT;
    none.endpoint = "https://storage.googleapis.com";
    unsetenv("GOOGLE_APPLICATION_CREDENTIALS");
    CHECK_STATUS(lake_backend_open_gcs(&b, "gs://lake/x", &none, &err), LAKE_EAUTH, &err);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_EQ_INT(system(cmd), 0);
    lake_error_clear(&err);
}

/* With HMAC keys, gs:// speaks the S3-compatible XML API: here against MinIO. */
static void hmac_keys_take_the_xml_api(void) {
    lake_gcs_options o = LAKE_GCS_OPTIONS_INIT;
    o.endpoint = s3_endpoint;
    o.hmac_access_id = "lakeorm";
    o.hmac_secret = "lakeorm-secret";
    o.region = "us-east-1";
    lake_backend *b;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_open_gcs(&b, "gs://lake/hmac", &o, &err), &err);
    CHECK_OK(lake_backend_put_if_absent(b, "k", "v", 1, &err), &err);
    char *data;
    size_t len;
    CHECK_OK(lake_backend_get(b, "k", &data, &len, &err), &err);
    CHECK(len == 1 && data[0] == 'v');
    lake_free(data);
    CHECK_OK(lake_backend_delete_prefix(b, "", NULL, &err), &err);
    lake_backend_free(b);
    lake_error_clear(&err);
}

typedef struct reading {
    int64_t id;
    lake_str site;
} reading;
static const lake_field reading_fields[] = {
    LAKE_FIELD(reading, id, "id", ""),
    LAKE_FIELD(reading, site, "site", "required"),
};
static const lake_model reading_model = LAKE_MODEL(reading, "readings", reading_fields);

static void the_client_stages_on_gcs(void) {
    char staging[256];
    snprintf(staging, sizeof staging, "gs://lake/stage?endpoint=%s", endpoint);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    const lake_schema *s;
    CHECK_OK(lake_schema_of(&s, &reading_model, &err), &err);
    CHECK_OK(lake_client_migrate(c, s, &err), &err);
    static reading rows[3000];
    for (int i = 0; i < 3000; i++) rows[i] = (reading){i, {"north", 5}};
    lake_insert_options staged = LAKE_INSERT_OPTIONS_INIT;
    staged.path = LAKE_PATH_STAGED;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, s, rows, 3000, &staged, &r, &err), &err);
    CHECK_EQ_INT(r.rows, 3000);
    lake_metrics m = LAKE_METRICS_INIT;
    lake_client_metrics(c, &m);
    CHECK_EQ_INT(m.rows_written, 3000);
    lake_backend *b = open_gcs("stage", 0);
    listing l = {0};
    CHECK_OK(lake_backend_list(b, "", count, &l, &err), &err);
    CHECK_EQ_INT(l.count, 0); /* staging removed after the commit */
    lake_backend_free(b);
    lake_client_close(c);
    lake_error_clear(&err);
}

int main(void) {
    endpoint = getenv("LAKE_TEST_GCS_ENDPOINT");
    s3_endpoint = getenv("LAKE_TEST_S3_ENDPOINT");
    if (!endpoint || !s3_endpoint || !getenv("LAKE_TEST_GCS_TOKEN_SERVER")) {
        fprintf(stderr, "run through ctest, whose fixtures start fake-gcs-server and MinIO\n");
        return 1;
    }
    LAKE_RUN(objects_round_trip);
    LAKE_RUN(resumable_uploads_stream);
    LAKE_RUN(create_only_writes);
    LAKE_RUN(listing_many);
    LAKE_RUN(service_account_tokens);
    LAKE_RUN(hmac_keys_take_the_xml_api);
    LAKE_RUN(the_client_stages_on_gcs);
    return lake_test_summary();
}
