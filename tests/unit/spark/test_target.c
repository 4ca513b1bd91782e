/* SPDX-License-Identifier: MIT */
/* Spark Connect connection strings, including Databricks Connect's: what
 * each key turns into (address, TLS, user, session, headers on every call),
 * and what is refused. No server: the request metadata is what is checked. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "drivers/spark/session.h"
#include "drivers/spark/target.h"
#include "lake_test.h"

static void plain_address_takes_the_default_port(void) {
    lake__spark_target t;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__spark_target_parse("sc://localhost", &t, &err), &err);
    CHECK_EQ_STR(t.address, "localhost:15002");
    CHECK(!t.tls && t.header_count == 0 && !t.session_id[0]);
    lake__spark_target_dispose(&t);
    CHECK_OK(lake__spark_target_parse("sc://[::1]:443/", &t, &err), &err);
    CHECK_EQ_STR(t.address, "[::1]:443");
    lake__spark_target_dispose(&t);
}

static void databricks_connect_sends_bearer_and_cluster_id(void) {
    lake__spark_target t;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__spark_target_parse("sc://dbc-1234.cloud.databricks.com:443/;x-databricks-cluster-id=0123-456789-abcdefgh;"
                                      "token=dapiSECRET;user_id=etl@example.com;user_agent=nightly-load",
                                      &t, &err), &err);
    CHECK_EQ_STR(t.address, "dbc-1234.cloud.databricks.com:443");
    CHECK(t.tls); /* a token turns TLS on */
    CHECK_EQ_INT(t.header_count, 2);
    CHECK_EQ_STR(t.headers[0].key, "authorization"); /* first, wherever the token was written */
    CHECK_EQ_STR(t.headers[0].value, "Bearer dapiSECRET");
    CHECK_EQ_STR(t.headers[1].key, "x-databricks-cluster-id");
    CHECK_EQ_STR(t.headers[1].value, "0123-456789-abcdefgh");
    CHECK_EQ_STR(t.user_id, "etl@example.com");
    CHECK_EQ_STR(t.user_agent, "nightly-load");
    lake__spark_target_dispose(&t);
}

static void reserved_keys_are_checked(void) {
    lake__spark_target t;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__spark_target_parse("sc://h:1/;use_ssl=true;session_id=0190F6A3-5B1C-7D2E-8F00-1A2B3C4D5E6F;"
                                      "grpc_max_message_size=268435456;X-Trace=abc", &t, &err), &err);
    CHECK(t.tls);
    CHECK_EQ_STR(t.session_id, "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f");
    CHECK_EQ_INT(t.max_message_bytes, 268435456);
    CHECK_EQ_STR(t.headers[0].key, "x-trace"); /* HTTP/2 header names are lower case */
    lake__spark_target_dispose(&t);
    CHECK_OK(lake__spark_target_parse("sc://h/;token=t;use_ssl=false", &t, &err), &err);
    CHECK(!t.tls); /* said explicitly, for a local proxy that terminates TLS */
    lake__spark_target_dispose(&t);
}

static void malformed_strings_are_refused_without_the_token(void) {
    static const char *bad[] = {
        "http://h:15002",          "sc://",
        "sc://h:0",                "sc://h:99999",
        "sc://h:15002/path",       "sc://h/;novalue",
        "sc://h/;session_id=nope", "sc://h/;use_ssl=yes",
        "sc://h/;token=",          "sc://h/;token=a;token=b",
        "sc://h/;bad header=1",    "sc://h/;authorization=Bearer x",
        "sc://h/;grpc_max_message_size=12",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        lake__spark_target t;
        lake_error err = LAKE_ERROR_INIT;
        CHECK_STATUS(lake__spark_target_parse(bad[i], &t, &err), LAKE_EINVAL, &err);
        CHECK(err.message[0] != 0);
        CHECK(strstr(err.message, "SECRET") == NULL);
        lake__spark_target_dispose(&t);
        lake_error_clear(&err);
    }
    lake__spark_target t;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake__spark_target_parse("sc://h/;token=SECRET;use_ssl=maybe", &t, &err), LAKE_EINVAL, &err);
    CHECK(strstr(err.message, "SECRET") == NULL);
    lake__spark_target_dispose(&t);
}

/* End to end over real TLS: a gRPC endpoint with a self-signed certificate
 * for 127.0.0.1 (trusted through GRPC_DEFAULT_SSL_ROOTS_FILE_PATH, as
 * docs/spark.md says; an IP, so no resolver runs: c-ares leaks a lookup)
 * answers AnalyzePlan and records what lakeorm sent: the bearer token and the
 * cluster id, as Databricks Connect expects them. */
static void tls_endpoint_receives_bearer_and_cluster_id(void) {
    char dir[] = "/tmp/lake_tls_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char cmd[2048], cert[128], port_file[128], metadata[128];
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(port_file, sizeof port_file, "%s/port", dir);
    snprintf(metadata, sizeof metadata, "%s/metadata", dir);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost "
             "-keyout %s/key.pem -out %s 2>/dev/null", dir, cert);
    CHECK_EQ_INT(system(cmd), 0);
    fflush(NULL);
    pid_t server = fork();
    if (server == 0) {
        char key[128];
        snprintf(key, sizeof key, "%s/key.pem", dir);
        execl(LAKE_PYTHON, LAKE_PYTHON, LAKE_SOURCE_DIR "/tests/spark/tls_server.py", cert, key, port_file, metadata,
              (char *)NULL);
        _exit(127);
    }
    char *port = NULL;
    for (int i = 0; i < 200 && !(port && *port); i++) { /* the server writes its port once it listens */
        free(port);
        usleep(50000);
        port = lake_test_read_file(port_file);
    }
    CHECK(port != NULL);
    char url[256];
    snprintf(url, sizeof url, "sc://127.0.0.1:%.8s/;token=dapiSECRET;x-databricks-cluster-id=0123-456789-abcdefgh", port);
    setenv("GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", cert, 1);
    lake__spark sp;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__spark_open(&sp, url, 1, &err), &err);
    char version[64] = "";
    int rc = lake__spark_version(&sp, version, sizeof version, &err);
    lake__spark_close(&sp);
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    CHECK_OK(rc, &err);
    CHECK_EQ_STR(version, "4.0.1-tls-test");
    char *seen = lake_test_read_file(metadata);
    CHECK(seen != NULL);
    CHECK_CONTAINS(seen, "authorization: Bearer dapiSECRET\n");
    CHECK_CONTAINS(seen, "x-databricks-cluster-id: 0123-456789-abcdefgh\n");
    free(seen);
    free(port);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_EQ_INT(system(cmd), 0);
}

int main(void) {
    LAKE_RUN(plain_address_takes_the_default_port);
    LAKE_RUN(databricks_connect_sends_bearer_and_cluster_id);
    LAKE_RUN(reserved_keys_are_checked);
    LAKE_RUN(malformed_strings_are_refused_without_the_token);
    LAKE_RUN(tls_endpoint_receives_bearer_and_cluster_id);
    return lake_test_summary();
}
