/* SPDX-License-Identifier: MIT */
/* The client end to end on the embedded engine: migrate, insert both ways,
 * all-or-nothing, staging cleaned up, typed reads, many threads at once. */
#include "client_fixture.h"

static void inserts_both_ways_and_reads_back(void) {
    lake_client *c = open_client();
    CHECK(c != NULL);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err); /* idempotent */
    static order rows[4000];
    make(rows, 4000, 0);
    lake_insert_options direct = LAKE_INSERT_OPTIONS_INIT, staged = LAKE_INSERT_OPTIONS_INIT;
    direct.path = LAKE_PATH_DIRECT;
    staged.path = LAKE_PATH_STAGED;
    lake_insert_result ra = LAKE_INSERT_RESULT_INIT, rb = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema(), rows, 1000, &direct, &ra, &err), &err);
    CHECK_OK(lake_client_insert(c, schema(), rows + 1000, 3000, &staged, &rb, &err), &err);
    lake_uuid a = ra.ingest_id, b = rb.ingest_id;
    CHECK_EQ_INT(ra.path, LAKE_PATH_DIRECT);
    CHECK_EQ_INT(rb.path, LAKE_PATH_STAGED);
    CHECK(rb.bytes_staged > 0 && ra.bytes_staged == 0);
    CHECK(staging_empty());
    CHECK_EQ_INT(lake_uuid_version(&a), 7);
    CHECK(memcmp(a.b, b.b, 16) < 0); /* ingest ids sort by time */
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 4000);
    CHECK_EQ_INT(scalar(c, "SELECT count(DISTINCT _ingest_id) AS n FROM orders"), 2);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE note IS NULL"), 2000);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE total IS NULL"), 1000);
    char sql[160], text[37];
    lake_uuid_format(&b, text);
    snprintf(sql, sizeof sql, "SELECT min(id) AS n FROM orders WHERE _ingest_id = '%s'", text);
    CHECK_EQ_INT(scalar(c, sql), 1000);

    lake_client_close(c);
    lake_error_clear(&err);
}

typedef struct check {
    const order *want;
    size_t seen, bad;
} check;

static int compare(void *ctx, const void *record) {
    check *k = ctx;
    const order *got = record, *w = &k->want[k->seen++];
    bool same = got->id == w->id && got->customer.len == w->customer.len &&
                !memcmp(got->customer.ptr, w->customer.ptr, w->customer.len) && got->total.valid == w->total.valid &&
                (!w->total.valid || got->total.v.lo == w->total.v.lo) && got->placed_at.us == w->placed_at.us &&
                (got->note.ptr == NULL) == (w->note.ptr == NULL);
    k->bad += !same;
    return LAKE_OK;
}

static void queries_decode_into_structs(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    static order rows[500];
    make(rows, 500, 0);
    CHECK_OK(lake_client_insert(c, schema(), rows, 500, NULL, NULL, &err), &err);
    check k = {rows + 100, 0, 0};
    lake_param params[] = {lake_param_int64(100), lake_param_int64(150)};
    lake_source q = LAKE_SQL_PARAMS("SELECT * FROM orders WHERE id >= $1 AND id < $2 ORDER BY id", params, 2);
    CHECK_OK(lake_client_query(c, schema(), &q, compare, &k, &err), &err);
    CHECK_EQ_INT(k.seen, 50);
    CHECK_EQ_INT(k.bad, 0);
    q = LAKE_SQL("SELECT id FROM orders");
    CHECK_STATUS(lake_client_query(c, schema(), &q, compare, &k, &err), LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, "no column \"customer\"");
    lake_client_close(c);
    lake_error_clear(&err);
}

static void a_rejected_request_writes_nothing(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    static order rows[2000];
    make(rows, 2000, 0);
    CHECK_OK(lake_client_insert(c, schema(), rows, 10, NULL, NULL, &err), &err);

    rows[1500].customer = (lake_str){"not an email", 12};
    rows[1700].note = (lake_str){"far too long for twenty", 23};
    CHECK_STATUS(lake_client_insert(c, schema(), rows + 10, 1990, NULL, NULL, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_INT(lake_issues_count(err.issues), 2); /* every problem, not the first */
    CHECK_EQ_INT(lake_issues_get(err.issues, 0)->record, 1490);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 10);

    /* An engine failure mid-request (a duplicate key at the end) rolls everything back, on both paths. */
    make(rows, 2000, 10);
    rows[1999].id = 15;
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        o.path = (lake_write_path)path;
        CHECK_STATUS(lake_client_insert(c, schema(), rows, 2000, &o, NULL, &err), LAKE_EREMOTE, &err);
        CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 10);
        CHECK(staging_empty());
    }
    lake_client_close(c);
    lake_error_clear(&err);
}

typedef struct worker {
    lake_client *c;
    int index;
    int rc;
} worker;

static void *insert_many(void *arg) {
    worker *w = arg;
    static order rows[8][500];
    make(rows[w->index], 500, (int64_t)w->index * 1000);
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.path = w->index % 2 ? LAKE_PATH_STAGED : LAKE_PATH_DIRECT;
    lake_error err = LAKE_ERROR_INIT;
    w->rc = lake_client_insert(w->c, schema(), rows[w->index], 500, &o, NULL, &err);
    if (w->rc) fprintf(stderr, "  thread %d: %s\n", w->index, err.message);
    lake_error_clear(&err);
    return NULL;
}

static void concurrent_inserts_lose_nothing(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    pthread_t t[8];
    worker w[8];
    for (int i = 0; i < 8; i++) {
        w[i] = (worker){c, i, -1};
        pthread_create(&t[i], NULL, insert_many, &w[i]);
    }
    for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < 8; i++) CHECK_EQ_INT(w[i].rc, LAKE_OK);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 4000);
    CHECK_EQ_INT(scalar(c, "SELECT count(DISTINCT _ingest_id) AS n FROM orders"), 8);
    CHECK_EQ_INT(scalar(c, "SELECT sum(id) AS n FROM orders"), 8 * 499 * 500 / 2 + 500 * 1000 * 28);
    CHECK(staging_empty());
    lake_client_close(c);
    lake_error_clear(&err);
}

/* The embedded engine reads memory:// parts through local copies: it stages
 * there when asked, and on its own only where the parts are files already. */
static void memory_staging_is_staged_only_when_asked(void) {
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = "memory://staging";
    o.fast_path_bytes = 1; /* everything would be staged */
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    order rows[3];
    make(rows, 3, 0);
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema(), rows, 3, NULL, &r, &err), &err);
    CHECK_EQ_INT(r.path, LAKE_PATH_DIRECT);
    lake_insert_options staged = LAKE_INSERT_OPTIONS_INIT;
    staged.path = LAKE_PATH_STAGED;
    make(rows, 3, 3);
    CHECK_OK(lake_client_insert(c, schema(), rows, 3, &staged, &r, &err), &err);
    CHECK(r.path == LAKE_PATH_STAGED && r.bytes_staged > 0);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 6);
    lake_client_close(c);
    lake_error_clear(&err);
}

int main(void) {
    fixture_begin();
    LAKE_RUN(inserts_both_ways_and_reads_back);
    LAKE_RUN(queries_decode_into_structs);
    LAKE_RUN(a_rejected_request_writes_nothing);
    LAKE_RUN(concurrent_inserts_lose_nothing);
    LAKE_RUN(memory_staging_is_staged_only_when_asked);
    return fixture_end();
}
