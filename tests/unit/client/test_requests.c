/* SPDX-License-Identifier: MIT */
/* Insert requests: idempotent retries, the ingest id in auto=ingestID columns
 * and read back through a projection model, arrays of pointers, and the
 * all-or-nothing rule when the staging backend fails. */
#include "client_fixture.h"

typedef struct event {
    int64_t seq;
    lake_str kind;
    lake_str batch;
} event;
static const lake_field event_fields[] = {
    LAKE_FIELD(event, seq, "seq", ""),
    LAKE_FIELD(event, kind, "kind", "required,oneof=click view"),
    LAKE_FIELD(event, batch, "batch,auto=ingestID", "required,uuid"), /* checked after lakeorm fills it */
};
static const lake_model event_model = LAKE_MODEL(event, "events", event_fields);

/* The same records keyed by seq: a racer that commits second meets the
 * first's rows before it reaches the key. */
static const lake_field keyed_event_fields[] = {
    LAKE_FIELD(event, seq, "seq,pk", ""),
    LAKE_FIELD(event, kind, "kind", "required,oneof=click view"),
    LAKE_FIELD(event, batch, "batch,auto=ingestID", "required,uuid"),
};
static const lake_model keyed_event_model = LAKE_MODEL(event, "keyed_events", keyed_event_fields);

/* A read-side projection: the system column by name. */
typedef struct event_row {
    int64_t seq;
    lake_str batch;
    lake_str ingest; /* _ingest_id as text */
    lake_uuid ingest_uuid;
} event_row;
static const lake_field event_row_fields[] = {
    LAKE_FIELD(event_row, seq, "seq", ""),
    LAKE_FIELD(event_row, batch, "batch", ""),
    LAKE_FIELD(event_row, ingest, "_ingest_id", ""),
    LAKE_FIELD(event_row, ingest_uuid, "ingest_uuid", ""),
};
static const lake_model event_row_model = LAKE_MODEL(event_row, "events", event_row_fields);

static const lake_schema *events(void) {
    const lake_schema *s;
    lake_schema_of(&s, &event_model, NULL);
    return s;
}

static void make_events(event *e, size_t n, int64_t first) {
    for (size_t i = 0; i < n; i++)
        e[i] = (event){first + (int64_t)i, i % 2 ? (lake_str){"click", 5} : (lake_str){"view", 4}, {NULL, 0}};
}

static void idempotent_retries_write_once(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, events(), &err), &err);
    static event e[3000];
    make_events(e, 3000, 0);
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
        o.path = (lake_write_path)path;
        o.idempotency_key = path == LAKE_PATH_DIRECT ? "request-1" : "request-2";
        lake_insert_result first = LAKE_INSERT_RESULT_INIT, again = LAKE_INSERT_RESULT_INIT;
        CHECK_OK(lake_client_insert(c, events(), e, 3000, &o, &first, &err), &err);
        CHECK(!first.replayed);
        CHECK_OK(lake_client_insert(c, events(), e, 3000, &o, &again, &err), &err);
        CHECK(again.replayed);
        CHECK_EQ_INT(again.rows, 0);
        CHECK(!memcmp(first.ingest_id.b, again.ingest_id.b, 16)); /* the caller learns the original id */
        CHECK(staging_empty());
    }
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), 6000);
    /* A failed request does not use its key up: its retry writes. */
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.idempotency_key = "request-3";
    e[10].kind = (lake_str){"scroll", 6};
    CHECK_STATUS(lake_client_insert(c, events(), e, 20, &o, NULL, &err), LAKE_EVALIDATION, &err);
    e[10].kind = (lake_str){"view", 4};
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, events(), e, 20, &o, &r, &err), &err);
    CHECK(!r.replayed);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), 6020);
    lake_metrics m = LAKE_METRICS_INIT;
    lake_client_metrics(c, &m);
    CHECK_EQ_INT(m.inserts_replayed, 2);
    CHECK_EQ_INT(m.records_rejected, 1);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void keys_expire_after_the_ttl(void) {
    lake_client_options opts = LAKE_CLIENT_OPTIONS_INIT;
    opts.staging = staging_url;
    opts.idempotency_ttl_us = 50000; /* 50 ms */
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &opts, &err), &err);
    CHECK_OK(lake_client_migrate(c, events(), &err), &err);
    event e[2];
    make_events(e, 2, 0);
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.idempotency_key = "nightly";
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, events(), e, 2, &o, &r, &err), &err);
    usleep(120000);
    CHECK_OK(lake_client_insert(c, events(), e, 2, &o, &r, &err), &err);
    CHECK(!r.replayed); /* remembered no longer */
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), 4);
    lake_client_close(c);
    lake_error_clear(&err);
}

typedef struct racer {
    lake_client *c;
    const lake_schema *schema;
    const char *key;
    lake_insert_result result;
    int rc;
} racer;

static event race_rows[100];

static void *race(void *arg) {
    racer *r = arg;
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.idempotency_key = r->key;
    lake_error err = LAKE_ERROR_INIT;
    r->rc = lake_client_insert(r->c, r->schema, race_rows, 100, &o, &r->result, &err);
    if (r->rc) fprintf(stderr, "  racer: %s\n", err.message);
    lake_error_clear(&err);
    return NULL;
}

/* Eight threads send one request (one key, the same rows) at once: one
 * writes, seven replay it, whether the table has a primary key or not. */
static void eight_threads_one_key_one_write_into(const lake_schema *schema, const char *table, unsigned rounds) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, schema, &err), &err);
    make_events(race_rows, 100, 0);
    for (unsigned round = 0; round < rounds; round++) {
        char key[32];
        snprintf(key, sizeof key, "same-request-%u", round);
        pthread_t t[8];
        racer r[8];
        for (int i = 0; i < 8; i++) {
            r[i] = (racer){.c = c, .schema = schema, .key = key, .result = LAKE_INSERT_RESULT_INIT, .rc = -1};
            pthread_create(&t[i], NULL, race, &r[i]);
        }
        for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
        int written = 0;
        for (int i = 0; i < 8; i++) {
            CHECK_EQ_INT(r[i].rc, LAKE_OK);
            written += !r[i].result.replayed;
            CHECK(!memcmp(r[i].result.ingest_id.b, r[0].result.ingest_id.b, 16));
        }
        CHECK_EQ_INT(written, 1);
        char sql[64];
        snprintf(sql, sizeof sql, "SELECT count(*) AS n FROM %s", table);
        CHECK_EQ_INT(scalar(c, sql), 100);
        snprintf(sql, sizeof sql, "DELETE FROM %s", table);
        CHECK_OK(lake_client_exec(c, sql, NULL, 0, NULL, &err), &err);
    }
    lake_client_close(c);
    lake_error_clear(&err);
}

static void eight_threads_one_key_one_write(void) { eight_threads_one_key_one_write_into(events(), "events", 1); }

static void eight_threads_one_key_one_write_over_a_primary_key(void) {
    const lake_schema *s;
    CHECK_OK(lake_schema_of(&s, &keyed_event_model, NULL), NULL);
    eight_threads_one_key_one_write_into(s, "keyed_events", 10);
    /* Rows really taken, under another key, are the engine's refusal, not a race. */
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    CHECK_OK(lake_client_migrate(c, s, &err), &err);
    o.idempotency_key = "first";
    CHECK_OK(lake_client_insert(c, s, race_rows, 100, &o, NULL, &err), &err);
    o.idempotency_key = "second";
    CHECK_EQ_INT(lake_client_insert(c, s, race_rows, 100, &o, NULL, &err), LAKE_EREMOTE);
    CHECK_CONTAINS(err.message, "Duplicate key");
    lake_client_close(c);
    lake_error_clear(&err);
}

typedef struct seen {
    size_t rows, same;
    char want[37];
} seen;

static int check_projection(void *ctx, const void *record) {
    seen *k = ctx;
    const event_row *r = record;
    char text[37];
    lake_uuid_format(&r->ingest_uuid, text);
    k->rows++;
    k->same += r->batch.len == 36 && !memcmp(r->batch.ptr, k->want, 36) && r->ingest.len == 36 &&
               !memcmp(r->ingest.ptr, k->want, 36) && !strcmp(text, k->want);
    return LAKE_OK;
}

static void ingest_ids_fill_auto_columns_and_read_back(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, events(), &err), &err);
    const lake_schema *rows;
    CHECK_OK(lake_schema_of(&rows, &event_row_model, &err), &err);
    event e[50];
    make_events(e, 50, 0);
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
        o.path = (lake_write_path)path;
        lake_insert_result r = LAKE_INSERT_RESULT_INIT;
        CHECK_OK(lake_client_insert(c, events(), e, 50, &o, &r, &err), &err);
        CHECK(e[0].batch.ptr == NULL); /* the caller's records are left as they were */
        seen k = {0, 0, ""};
        lake_uuid_format(&r.ingest_id, k.want);
        lake_param params[] = {lake_param_text(k.want)};
        lake_source q = LAKE_SQL_PARAMS("SELECT *, _ingest_id::UUID AS ingest_uuid FROM events WHERE _ingest_id = ?",
                                        params, 1);
        CHECK_OK(lake_client_query(c, rows, &q, check_projection, &k, &err), &err);
        CHECK_EQ_INT(k.rows, 50);
        CHECK_EQ_INT(k.same, 50);
    }
    /* A projection model reads; it never writes or defines a table. */
    event_row x = {0, {"b", 1}, {"i", 1}, {{0}}};
    CHECK_STATUS(lake_client_insert(c, rows, &x, 1, NULL, NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "system column _ingest_id");
    CHECK_STATUS(lake_client_migrate(c, rows, &err), LAKE_EINVAL, &err);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void arrays_of_pointers(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, events(), &err), &err);
    static event e[3000];
    static const void *p[3000];
    make_events(e, 3000, 0);
    for (size_t i = 0; i < 3000; i++) p[i] = &e[2999 - i]; /* any order, anywhere */
    lake_insert_options staged = LAKE_INSERT_OPTIONS_INIT;
    staged.path = LAKE_PATH_STAGED;
    CHECK_OK(lake_client_insert_ptrs(c, events(), p, 3000, &staged, NULL, &err), &err);
    CHECK_OK(lake_client_insert_ptrs(c, events(), p, 10, NULL, NULL, &err), &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), 3010);
    CHECK_EQ_INT(scalar(c, "SELECT sum(seq) AS n FROM events"), 2999 * 3000 / 2 + (2999 + 2990) * 10 / 2);
    p[5] = NULL;
    CHECK_STATUS(lake_client_insert_ptrs(c, events(), p, 10, NULL, NULL, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_INT(lake_issues_get(err.issues, 0)->record, 5);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), 3010);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void a_failing_backend_leaves_the_table_unchanged(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, events(), &err), &err);
    event e[100];
    make_events(e, 100, 0);
    CHECK_OK(lake_client_insert(c, events(), e, 100, NULL, NULL, &err), &err);
    /* A file where the staging folder should be: every part write fails, even as root. */
    char path[128];
    snprintf(path, sizeof path, "%s/_staging", staging_dir);
    rmdir(path);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fclose(f);
    lake_insert_options staged = LAKE_INSERT_OPTIONS_INIT;
    staged.path = LAKE_PATH_STAGED;
    staged.idempotency_key = "will-fail";
    CHECK_STATUS(lake_client_insert(c, events(), e, 100, &staged, NULL, &err), LAKE_EIO, &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), 100);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM _lakeorm_ingests"), 0);
    unlink(path);
    CHECK_OK(lake_client_insert(c, events(), e, 100, &staged, NULL, &err), &err); /* the key is still free */
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), 200);
    lake_metrics m = LAKE_METRICS_INIT;
    lake_client_metrics(c, &m);
    CHECK_EQ_INT(m.errors_by_code[-LAKE_EIO], 1);
    CHECK_EQ_INT(m.inserts_staged, 1);
    CHECK_EQ_INT(m.inserts_direct, 1);
    CHECK_EQ_INT(m.rows_written, 200);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void streaming_requests(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, events(), &err), &err);
    static event e[1000];
    for (int path = LAKE_PATH_AUTO; path <= LAKE_PATH_STAGED; path++) {
        CHECK_OK(lake_client_exec(c, "DELETE FROM events", NULL, 0, NULL, &err), &err);
        lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
        o.path = (lake_write_path)path;
        lake_ingest *in;
        CHECK_OK(lake_client_ingest_begin(c, events(), &o, &in, &err), &err);
        for (int batch = 0; batch < 5; batch++) {
            make_events(e, 1000, batch * 1000);
            if (batch == 2) e[7].kind = (lake_str){"scroll", 6};
            int rc = lake_ingest_append(in, e, 1000, &err);
            if (batch == 2) {
                CHECK_EQ_INT(rc, LAKE_EVALIDATION);
                CHECK_EQ_INT(lake_issues_get(err.issues, 0)->record, 2007); /* counted from the request's start */
            } else {
                CHECK_OK(rc, &err);
            }
        }
        CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), 0); /* nothing visible before commit */
        lake_insert_result r = LAKE_INSERT_RESULT_INIT;
        CHECK_OK(lake_ingest_commit(in, &r, &err), &err);
        CHECK_EQ_INT(r.rows, 4000);
        CHECK_EQ_INT(r.path, path == LAKE_PATH_DIRECT ? LAKE_PATH_DIRECT : LAKE_PATH_STAGED);
        CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), 4000);
        CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE seq BETWEEN 2000 AND 2999"), 0);
        CHECK(staging_empty());

        CHECK_OK(lake_client_ingest_begin(c, events(), &o, &in, &err), &err);
        CHECK_OK(lake_ingest_append(in, e, 1000, &err), &err);
        lake_ingest_abort(in);
        CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), 4000);
        CHECK(staging_empty());
    }
    lake_client_close(c);
    lake_error_clear(&err);
}

int main(void) {
    fixture_begin();
    LAKE_RUN(idempotent_retries_write_once);
    LAKE_RUN(keys_expire_after_the_ttl);
    LAKE_RUN(eight_threads_one_key_one_write);
    LAKE_RUN(eight_threads_one_key_one_write_over_a_primary_key);
    LAKE_RUN(ingest_ids_fill_auto_columns_and_read_back);
    LAKE_RUN(arrays_of_pointers);
    LAKE_RUN(a_failing_backend_leaves_the_table_unchanged);
    LAKE_RUN(streaming_requests);
    return fixture_end();
}
