/* The client end to end on the embedded engine: migrate, insert both ways,
 * all-or-nothing, staging cleaned up, typed reads, many threads at once. */
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lake_test.h"

typedef struct order {
    int64_t id;
    lake_str customer;
    lake_opt_dec128 total;
    lake_ts placed_at;
    lake_str note;
} order;
static const lake_field order_fields[] = {
    LAKE_FIELD(order, id, "id,pk", ""),
    LAKE_FIELD(order, customer, "customer", "required,email"),
    LAKE_DECIMAL(order, total, 12, 2, "total", "gte=0"),
    LAKE_FIELD(order, placed_at, "placed_at", ""),
    LAKE_FIELD(order, note, "note,nullable", "max=20"),
};
static const lake_model order_model = LAKE_MODEL(order, "orders", order_fields);

static char staging_dir[64], staging_url[96];

static const lake_schema *schema(void) {
    const lake_schema *s;
    lake_schema_of(&s, &order_model, NULL);
    return s;
}

static void make(order *rows, size_t n, int64_t first) {
    static const char *customers[] = {"ann@example.com", "bob@example.org", "chlo\xC3\xA9@example.fr"};
    for (size_t i = 0; i < n; i++) {
        int64_t id = first + (int64_t)i;
        const char *cu = customers[id % 3];
        rows[i] = (order){id, {cu, strlen(cu)}, {{(uint64_t)(id * 101), 0}, id % 4 != 0},
                          {1700000000000000LL + id}, id % 2 ? (lake_str){"rush", 4} : (lake_str){NULL, 0}};
    }
}

typedef struct counter {
    int64_t n;
} counter;
typedef struct one {
    int64_t n;
} one;
static const lake_field one_fields[] = {LAKE_FIELD(one, n, "n", "")};
static const lake_model one_model = LAKE_MODEL(one, "x", one_fields);

static int take(void *ctx, const void *record) {
    ((counter *)ctx)->n = ((const one *)record)->n;
    return LAKE_OK;
}

static int64_t scalar(lake_client *c, const char *sql) {
    const lake_schema *s;
    lake_schema_of(&s, &one_model, NULL);
    counter k = {-1};
    lake_error err = LAKE_ERROR_INIT;
    if (lake_client_query(c, s, sql, NULL, 0, take, &k, &err)) fprintf(stderr, "  %s: %s\n", sql, err.message);
    lake_error_clear(&err);
    return k.n;
}

static bool staging_empty(void) {
    char cmd[160];
    snprintf(cmd, sizeof cmd, "test -z \"$(find '%s' -mindepth 1 2>/dev/null)\"", staging_dir);
    return system(cmd) == 0;
}

static lake_client *open_client(void) {
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging_url;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_client_open(&c, &o, &err)) {
        fprintf(stderr, "  %s\n", err.message);
        return NULL;
    }
    return c;
}

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
    lake_uuid a, b;
    CHECK_OK(lake_client_insert(c, schema(), rows, 1000, &direct, &a, &err), &err);
    CHECK_OK(lake_client_insert(c, schema(), rows + 1000, 3000, &staged, &b, &err), &err);
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
    const char *params[] = {"100", "150"};
    CHECK_OK(lake_client_query(c, schema(), "SELECT * FROM orders WHERE id >= $1::BIGINT AND id < $2::BIGINT ORDER BY id",
                               params, 2, compare, &k, &err), &err);
    CHECK_EQ_INT(k.seen, 50);
    CHECK_EQ_INT(k.bad, 0);
    CHECK_STATUS(lake_client_query(c, schema(), "SELECT id FROM orders", NULL, 0, compare, &k, &err), LAKE_EMISMATCH, &err);
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
    w->rc = lake_client_insert(w->c, schema(), rows[w->index], 500, &o, NULL, NULL);
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

static void memory_staging_sends_inserts_direct(void) {
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = "memory://staging";
    o.fast_path_bytes = 1; /* everything would be staged */
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    order rows[3];
    make(rows, 3, 0);
    CHECK_OK(lake_client_insert(c, schema(), rows, 3, NULL, NULL, &err), &err);
    lake_insert_options staged = LAKE_INSERT_OPTIONS_INIT;
    staged.path = LAKE_PATH_STAGED;
    make(rows, 3, 3);
    CHECK_STATUS(lake_client_insert(c, schema(), rows, 3, &staged, NULL, &err), LAKE_ENOTSUP, &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 3);
    lake_client_close(c);
    lake_error_clear(&err);
}

int main(void) {
    snprintf(staging_dir, sizeof staging_dir, "/tmp/lake_client_XXXXXX");
    if (!mkdtemp(staging_dir)) return 1;
    snprintf(staging_url, sizeof staging_url, "file://%s", staging_dir);
    LAKE_RUN(inserts_both_ways_and_reads_back);
    LAKE_RUN(queries_decode_into_structs);
    LAKE_RUN(a_rejected_request_writes_nothing);
    LAKE_RUN(concurrent_inserts_lose_nothing);
    LAKE_RUN(memory_staging_sends_inserts_direct);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", staging_dir);
    if (system(cmd)) return 1;
    return lake_test_summary();
}
