/* SPDX-License-Identifier: MIT */
/* The fake warehouse the Databricks tests talk to: tests/databricks/server.py,
 * the Statement Execution API over the suite's real Spark, started as a
 * child process on a port it picks and writes to a file. */
#ifndef LAKE_TEST_FAKE_WAREHOUSE_H
#define LAKE_TEST_FAKE_WAREHOUSE_H

#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lake_test.h"

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

#endif
