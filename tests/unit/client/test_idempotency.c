/* SPDX-License-Identifier: MIT */
/* Idempotency keys name one request: a key is used only when rows were
 * written, the same request again is a replay, another request with the key
 * is refused; what an insert reports it did (inserted, updated, ignored);
 * and every call works without an error object. */
#include "client_fixture.h"

static const lake_model archive_model = LAKE_MODEL(order, "orders_archive", order_fields);

static const lake_schema *archive(void) {
    const lake_schema *s;
    lake_schema_of(&s, &archive_model, NULL);
    return s;
}

static lake_client *fresh(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK(c != NULL);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    CHECK_OK(lake_client_migrate(c, archive(), &err), &err);
    return c;
}

static void a_request_of_rejected_records_leaves_its_key(void) {
    lake_client *c = fresh();
    lake_error err = LAKE_ERROR_INIT;
    order rows[5];
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
        o.path = (lake_write_path)path;
        o.idempotency_key = path == LAKE_PATH_DIRECT ? "corrected/direct" : "corrected/staged";
        make(rows, 5, path * 100);
        for (int i = 0; i < 5; i++) rows[i].customer = (lake_str){"not an email", 12};
        lake_ingest *in;
        CHECK_OK(lake_client_ingest_begin(c, schema(), &o, &in, &err), &err);
        CHECK_STATUS(lake_ingest_append(in, rows, 5, &err), LAKE_EVALIDATION, &err);
        lake_insert_result r = LAKE_INSERT_RESULT_INIT;
        CHECK_OK(lake_ingest_commit(in, &r, &err), &err);
        CHECK(!r.replayed);
        CHECK_EQ_INT(r.rows, 0);
        CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM _lakeorm_ingests"), path - LAKE_PATH_DIRECT);
        /* The corrected retry writes. */
        make(rows, 5, path * 100);
        CHECK_OK(lake_client_insert(c, schema(), rows, 5, &o, &r, &err), &err);
        CHECK(!r.replayed);
        CHECK_EQ_INT(r.rows, 5);
        CHECK_EQ_INT(r.inserted, 5);
        CHECK(staging_empty());
    }
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 10);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void the_same_request_again_is_a_replay(void) {
    lake_client *c = fresh();
    lake_error err = LAKE_ERROR_INIT;
    static order rows[3000];
    static const void *ptrs[3000];
    make(rows, 3000, 0);
    for (size_t i = 0; i < 3000; i++) ptrs[i] = &rows[i];
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.path = LAKE_PATH_DIRECT;
    o.idempotency_key = "nightly-2024-03-05";
    lake_insert_result first = LAKE_INSERT_RESULT_INIT, again = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema(), rows, 3000, &o, &first, &err), &err);
    CHECK(!first.replayed);
    /* The fingerprint is of values: another path, pointers, other batches, copies of the strings. */
    o.path = LAKE_PATH_STAGED;
    CHECK_OK(lake_client_insert_ptrs(c, schema(), ptrs, 3000, &o, &again, &err), &err);
    CHECK(again.replayed && !memcmp(again.ingest_id.b, first.ingest_id.b, 16));
    CHECK_EQ_INT(again.rows, 0);
    CHECK_EQ_INT(again.inserted + again.updated + again.ignored, 0);
    char copy[3][32];
    lake_ingest *in;
    CHECK_OK(lake_client_ingest_begin(c, schema(), &o, &in, &err), &err);
    for (int batch = 0; batch < 3; batch++) {
        order part[1000];
        memcpy(part, rows + batch * 1000, sizeof part);
        snprintf(copy[batch], sizeof copy[batch], "%.*s", (int)part[0].customer.len, part[0].customer.ptr);
        part[0].customer.ptr = copy[batch];
        CHECK_OK(lake_ingest_append(in, part, 1000, &err), &err);
    }
    CHECK_OK(lake_ingest_commit(in, &again, &err), &err);
    CHECK(again.replayed && !memcmp(again.ingest_id.b, first.ingest_id.b, 16));
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 3000);
    CHECK(staging_empty());
    lake_client_close(c);
    lake_error_clear(&err);
}

static void another_request_with_the_key_is_refused(void) {
    lake_client *c = fresh();
    lake_error err = LAKE_ERROR_INIT;
    order rows[20];
    make(rows, 20, 0);
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.idempotency_key = "import-42";
    CHECK_OK(lake_client_insert(c, schema(), rows, 10, &o, NULL, &err), &err);
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        o.path = (lake_write_path)path;
        /* Other records for the same table: one more row, or one value changed. */
        CHECK_STATUS(lake_client_insert(c, schema(), rows, 11, &o, NULL, &err), LAKE_EKEYREUSED, &err);
        CHECK_CONTAINS(err.message, "\"import-42\"");
        CHECK_CONTAINS(err.message, "other records for orders");
        order changed[10];
        memcpy(changed, rows, sizeof changed);
        changed[9].placed_at.us++;
        CHECK_STATUS(lake_client_insert(c, schema(), changed, 10, &o, NULL, &err), LAKE_EKEYREUSED, &err);
        /* The same records for another table. */
        CHECK_STATUS(lake_client_insert(c, archive(), rows, 10, &o, NULL, &err), LAKE_EKEYREUSED, &err);
        CHECK_CONTAINS(err.message, "\"import-42\"");
        CHECK_CONTAINS(err.message, "table orders");
        /* An empty request is another request too. */
        CHECK_STATUS(lake_client_insert(c, schema(), rows, 0, &o, NULL, &err), LAKE_EKEYREUSED, &err);
        CHECK(staging_empty());
    }
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 10);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders_archive"), 0);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM _lakeorm_ingests"), 1);
    lake_metrics m = LAKE_METRICS_INIT;
    lake_client_metrics(c, &m);
    CHECK_EQ_INT(m.errors_by_code[-LAKE_EKEYREUSED], 8);
    char *text = NULL;
    size_t len = 0;
    CHECK_OK(lake_client_metrics_text(c, NULL, &text, &len), NULL);
    CHECK_CONTAINS(text, "code=\"keyreused\"} 8");
    lake_free(text);
    CHECK_EQ_INT(m.rows_written, 10);
    lake_client_close(c);
    lake_error_clear(&err);
}

/* A database written by a version without fingerprints: its table gains the
 * column, and its keys are honoured for their own table as that version did. */
static void keys_recorded_before_fingerprints(void) {
    char path[128];
    snprintf(path, sizeof path, "%s/legacy.duckdb", staging_dir);
    lake_client_options opts = LAKE_CLIENT_OPTIONS_INIT;
    opts.database = path;
    opts.staging = staging_url;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &opts, &err), &err);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    CHECK_OK(lake_client_migrate(c, archive(), &err), &err);
    CHECK_OK(lake_client_exec(c, "CREATE TABLE \"_lakeorm_ingests\" (idempotency_key VARCHAR PRIMARY KEY, "
                                 "ingest_id VARCHAR NOT NULL, table_name VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL); "
                                 "INSERT INTO \"_lakeorm_ingests\" VALUES ('old', '018e1f2a-0000-7000-8000-000000000001', "
                                 "'orders', now())", NULL, 0, NULL, &err), &err);
    order rows[3];
    make(rows, 3, 0);
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.idempotency_key = "old";
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema(), rows, 3, &o, &r, &err), &err);
    CHECK(r.replayed);
    char id[LAKE_UUID_TEXT_LEN + 1];
    lake_uuid_format(&r.ingest_id, id);
    CHECK_EQ_STR(id, "018e1f2a-0000-7000-8000-000000000001");
    CHECK_STATUS(lake_client_insert(c, archive(), rows, 3, &o, &r, &err), LAKE_EKEYREUSED, &err);
    o.idempotency_key = "new";
    CHECK_OK(lake_client_insert(c, schema(), rows, 3, &o, &r, &err), &err);
    CHECK_OK(lake_client_insert(c, schema(), rows, 3, &o, &r, &err), &err);
    CHECK(r.replayed);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM _lakeorm_ingests WHERE length(fingerprint) = 64"), 1);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 3);
    lake_client_close(c);
    lake_error_clear(&err);
    unlink(path);
}

static void counts_say_what_the_engine_did(void) {
    lake_client *c = fresh();
    lake_error err = LAKE_ERROR_INIT;
    order rows[10];
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        CHECK_OK(lake_client_exec(c, "DELETE FROM orders", NULL, 0, NULL, &err), &err);
        lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
        o.path = (lake_write_path)path;
        lake_insert_result r = LAKE_INSERT_RESULT_INIT;
        make(rows, 10, 0);
        CHECK_OK(lake_client_insert(c, schema(), rows, 10, &o, &r, &err), &err);
        CHECK(r.rows == 10 && r.inserted == 10 && r.updated == 0 && r.ignored == 0);
        make(rows, 10, 6); /* 6..9 exist, 10..15 are new */
        o.on_conflict = LAKE_CONFLICT_IGNORE;
        CHECK_OK(lake_client_insert(c, schema(), rows, 10, &o, &r, &err), &err);
        CHECK_EQ_INT(r.rows, 10);
        CHECK_EQ_INT(r.inserted, 6);
        CHECK_EQ_INT(r.ignored, 4);
        CHECK_EQ_INT(r.updated, 0);
        make(rows, 10, 12); /* 12..15 exist, 16..21 are new */
        o.on_conflict = LAKE_CONFLICT_UPDATE;
        CHECK_OK(lake_client_insert(c, schema(), rows, 10, &o, &r, &err), &err);
        CHECK_EQ_INT(r.inserted, 6);
        CHECK_EQ_INT(r.updated, 4);
        CHECK_EQ_INT(r.ignored, 0);
        CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 22);
    }
    lake_client_close(c);
    lake_error_clear(&err);
}

static void a_key_twice_under_update_or_ignore_is_refused(void) {
    lake_client *c = fresh();
    lake_error err = LAKE_ERROR_INIT;
    order rows[4];
    make(rows, 4, 0);
    rows[3].id = 1;
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        for (int strategy = LAKE_CONFLICT_IGNORE; strategy <= LAKE_CONFLICT_UPDATE; strategy++) {
            lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
            o.path = (lake_write_path)path;
            o.on_conflict = (lake_on_conflict)strategy;
            CHECK_STATUS(lake_client_insert(c, schema(), rows, 4, &o, NULL, &err), LAKE_EINVAL, &err);
            CHECK_CONTAINS(err.message, "primary key (1) appears more than once");
            CHECK(staging_empty());
        }
    }
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 0);
    lake_client_close(c);
    lake_error_clear(&err);
}

/* Two requests with one key, both under way: the second to commit learns of
 * the first as a conflict to retry, also without an error object; and the
 * one-shot insert resolves such races itself. */
static void key_races_without_an_error_object(void) {
    lake_client *c = fresh();
    const lake_schema *x; /* no primary key: the requests collide on their key only */
    lake_schema_of(&x, &one_model, NULL);
    CHECK_OK(lake_client_migrate(c, x, NULL), NULL);
    one rows[5] = {{1}, {2}, {3}, {4}, {5}};
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.path = LAKE_PATH_DIRECT;
    o.idempotency_key = "race";
    lake_ingest *a, *b;
    CHECK_OK(lake_client_ingest_begin(c, x, &o, &a, NULL), NULL);
    CHECK_OK(lake_client_ingest_begin(c, x, &o, &b, NULL), NULL);
    CHECK_OK(lake_ingest_append(a, rows, 5, NULL), NULL);
    CHECK_OK(lake_ingest_append(b, rows, 5, NULL), NULL);
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_ingest_commit(a, &r, NULL), NULL);
    CHECK(!r.replayed);
    CHECK_STATUS(lake_ingest_commit(b, NULL, NULL), LAKE_ECONFLICT, NULL);
    CHECK_OK(lake_client_insert(c, x, rows, 5, &o, &r, NULL), NULL);
    CHECK(r.replayed);
    CHECK_STATUS(lake_client_insert(c, x, rows, 4, &o, NULL, NULL), LAKE_EKEYREUSED, NULL);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM x"), 5);
    lake_client_close(c);
}

/* Two requests replacing the same rows, both under way: the second learns
 * of the first as a conflict to retry, also without an error object (the
 * engine's message tells it); the one-shot insert retries it itself. */
static void row_conflicts_without_an_error_object(void) {
    lake_client *c = fresh();
    order rows[5];
    make(rows, 5, 0);
    CHECK_OK(lake_client_insert(c, schema(), rows, 5, NULL, NULL, NULL), NULL);
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.path = LAKE_PATH_DIRECT;
    o.on_conflict = LAKE_CONFLICT_UPDATE;
    lake_ingest *a, *b;
    CHECK_OK(lake_client_ingest_begin(c, schema(), &o, &a, NULL), NULL);
    CHECK_OK(lake_client_ingest_begin(c, schema(), &o, &b, NULL), NULL);
    CHECK_OK(lake_ingest_append(a, rows, 5, NULL), NULL);
    CHECK_OK(lake_ingest_append(b, rows, 5, NULL), NULL);
    CHECK_OK(lake_ingest_commit(a, NULL, NULL), NULL);
    CHECK_STATUS(lake_ingest_commit(b, NULL, NULL), LAKE_ECONFLICT, NULL);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 5);
    lake_client_close(c);
}

int main(void) {
    fixture_begin();
    LAKE_RUN(a_request_of_rejected_records_leaves_its_key);
    LAKE_RUN(the_same_request_again_is_a_replay);
    LAKE_RUN(another_request_with_the_key_is_refused);
    LAKE_RUN(keys_recorded_before_fingerprints);
    LAKE_RUN(counts_say_what_the_engine_did);
    LAKE_RUN(a_key_twice_under_update_or_ignore_is_refused);
    LAKE_RUN(key_races_without_an_error_object);
    LAKE_RUN(row_conflicts_without_an_error_object);
    return fixture_end();
}
