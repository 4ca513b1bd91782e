/* SPDX-License-Identifier: MIT */
/* The fake warehouse the Databricks tests talk to: tests/databricks/server.py,
 * the Statement Execution API over the suite's real Spark, started as a
 * child process on a port it picks and writes to a file. */
#ifndef LAKE_TEST_FAKE_WAREHOUSE_H
#define LAKE_TEST_FAKE_WAREHOUSE_H

#include <curl/curl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lake_test.h"
#include "util/alloc.h"
#include "util/buf.h"

extern char **environ;

static pid_t server = -1;
static char warehouse_url[64]; /* http://127.0.0.1:<port> */

/* Starts the server over the Spark Connect server on spark_port (NULL: none,
 * only the Files API then); `extra`: more of its options (NULL-terminated,
 * may be NULL). `state` is a folder for its port file. Exits when it does
 * not come up. */
static void start_server(const char *spark_port, const char *state, const char *const *extra) {
    char spark[64], port_file[300], script[400];
    snprintf(spark, sizeof spark, "sc://127.0.0.1:%s", spark_port ? spark_port : "");
    snprintf(port_file, sizeof port_file, "%s/dbx-port-%d", state, (int)getpid());
    snprintf(script, sizeof script, "%s/tests/databricks/server.py", LAKE_SOURCE_DIR);
    unlink(port_file);
    char *argv[32] = {(char *)LAKE_PYTHON, script, "--port-file", port_file, "--warehouse", "wh-test", "--pat",
                      "dapi-test"};
    size_t n = 8;
    if (spark_port) argv[n++] = "--spark", argv[n++] = spark;
    for (size_t i = 0; extra && extra[i] && n < 31; i++) argv[n++] = (char *)extra[i];
    if (posix_spawn(&server, LAKE_PYTHON, NULL, NULL, argv, environ)) {
        fprintf(stderr, "cannot start %s\n", script);
        exit(1);
    }
    for (int i = 0; i < 600; i++) {
        char *text = lake_test_read_file(port_file);
        if (text && *text) {
            snprintf(warehouse_url, sizeof warehouse_url, "http://127.0.0.1:%d", atoi(text));
            free(text);
            unlink(port_file);
            return;
        }
        free(text);
        struct timespec t = {0, 100000000};
        nanosleep(&t, NULL);
    }
    fprintf(stderr, "the fake warehouse did not start\n");
    kill(server, SIGTERM);
    exit(1);
}

static void stop_server(void) {
    if (server <= 0) return;
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    server = -1;
}

static inline size_t fake_into_buf(char *data, size_t size, size_t n, void *ctx) {
    lake__buf_put(ctx, data, size * n);
    return size * n;
}

/* POSTs to (body "") or GETs a test-only endpoint; the answer, NUL-terminated (free it). */
static inline char *server_call(const char *path, bool post) {
    char url[200];
    snprintf(url, sizeof url, "%s%s", warehouse_url, path);
    lake__buf b = LAKE__BUF_INIT;
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, fake_into_buf);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    if (post) curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
    CHECK(curl_easy_perform(c) == CURLE_OK);
    curl_easy_cleanup(c);
    lake__buf_putc(&b, 0);
    return lake__buf_detach(&b, NULL);
}

/* One counter of the server's /_test/stats, or -1. */
static inline long stat_of(const char *name) {
    char *text = server_call("/_test/stats", false), key[64];
    snprintf(key, sizeof key, "\"%s\":", name);
    const char *at = text ? strstr(text, key) : NULL;
    long v = at ? strtol(at + strlen(key), NULL, 10) : -1;
    lake__free(text);
    return v;
}

#endif
