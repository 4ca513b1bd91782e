/* SPDX-License-Identifier: MIT */
/* The client's threads option reaches every writer a request runs: with 1,
 * checking, staged parts and the data files lakeorm writes for Delta and
 * Iceberg all stay on the caller's thread (no helper joins a round); with 2,
 * the same requests share work with a helper and write the same rows. */
#include "client_fixture.h"
#include "util/workers.h"

enum { ROWS = 40000 }; /* well above the 4,096 records a round is shared from */

static order rows[ROWS];

/* A client on DuckDB alone (dialect NULL) or on a Delta or Iceberg
 * warehouse of its own under the staging folder. */
static lake_client *open_with(const char *dialect, unsigned threads) {
    char warehouse[160];
    snprintf(warehouse, sizeof warehouse, "file://%s/%s-%u", staging_dir, dialect ? dialect : "duckdb", threads);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging_url;
    o.threads = threads;
    if (dialect) o.dialect = dialect, o.warehouse = warehouse;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_client_open(&c, &o, &err)) {
        fprintf(stderr, "  %s\n", err.message);
        c = NULL;
    }
    lake_error_clear(&err);
    return c;
}

/* Helper rounds one request of ROWS rows, then an update of half of them,
 * took; the table holds every row, the updated ones changed. */
static unsigned long write_and_count(const char *dialect, unsigned threads) {
    lake_client *c = open_with(dialect, threads);
    CHECK(c != NULL);
    if (!c) return 0;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    unsigned long before = atomic_load(&lake__workers_helper_rounds);
    lake_insert_options staged = LAKE_INSERT_OPTIONS_INIT;
    staged.path = LAKE_PATH_STAGED;
    make(rows, ROWS, 0);
    CHECK_OK(lake_client_insert(c, schema(), rows, ROWS, &staged, NULL, &err), &err);
    for (size_t i = 0; i < ROWS / 2; i++) rows[i].note = (lake_str){"changed", 7};
    staged.on_conflict = LAKE_CONFLICT_UPDATE;
    CHECK_OK(lake_client_insert(c, schema(), rows, ROWS / 2, &staged, NULL, &err), &err);
    unsigned long rounds = atomic_load(&lake__workers_helper_rounds) - before;
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), ROWS);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE note = 'changed'"), ROWS / 2);
    CHECK_EQ_INT(scalar(c, "SELECT sum(id) AS n FROM orders"), (int64_t)ROWS * (ROWS - 1) / 2);
    lake_client_close(c);
    lake_error_clear(&err);
    return rounds;
}

static const char *const dialects[] = {NULL, "delta", "iceberg"};

static void one_thread_keeps_every_writer_on_the_caller(void) {
    for (size_t i = 0; i < sizeof dialects / sizeof *dialects; i++) {
        unsigned long rounds = write_and_count(dialects[i], 1);
        if (rounds) fprintf(stderr, "  %s: %lu helper rounds at threads = 1\n", dialects[i] ? dialects[i] : "duckdb", rounds);
        CHECK_EQ_INT(rounds, 0);
    }
}

static void two_threads_share_the_same_writes(void) {
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2) return; /* one processor: the crew never starts */
    for (size_t i = 0; i < sizeof dialects / sizeof *dialects; i++) {
        unsigned long rounds = write_and_count(dialects[i], 2);
        if (!rounds) fprintf(stderr, "  %s: no helper round at threads = 2\n", dialects[i] ? dialects[i] : "duckdb");
        CHECK(rounds > 0);
    }
}

int main(void) {
    fixture_begin();
    LAKE_RUN(one_thread_keeps_every_writer_on_the_caller);
    LAKE_RUN(two_threads_share_the_same_writes);
    return fixture_end();
}
