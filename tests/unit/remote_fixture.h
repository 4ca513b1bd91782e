/* SPDX-License-Identifier: MIT */
/* What the client suites on remote engines (Spark Connect, Databricks SQL)
 * share: an items model with every column kind, the same table seen through a
 * looser model, events with composite merge keys and a struct column, rows
 * made from their id and compared field by field, and helpers reading one
 * number back. Each suite names its own events table (Unity Catalog's
 * three-part names on Databricks). */
#ifndef LAKE_REMOTE_FIXTURE_H
#define LAKE_REMOTE_FIXTURE_H

#include <stdlib.h>

#include "lake_test.h"

/* Each suite defines these: a client on its engine, whether its staging
 * folder holds no Parquet part, and whether its table format keeps a
 * primary key the catalog reports (Iceberg's identifier fields; Delta keeps
 * none). */
static lake_client *open_client(void);
static bool staging_empty(void);
static bool keeps_primary_keys(void);

typedef struct item {
    int64_t id;
    lake_str name;
    lake_opt_dec128 amount;
    lake_ts at;
    lake_date day;
    lake_uuid uid;
    double score;
    bool flag;
    int8_t tiny;
    lake_str note;
    lake_bytes blob;
    lake_str batch;
} item;
static const lake_field item_fields[] = {
    LAKE_FIELD(item, id, "id,pk", ""),
    LAKE_FIELD(item, name, "name", "required"),
    LAKE_DECIMAL(item, amount, 12, 2, "amount", ""),
    LAKE_FIELD(item, at, "at", ""),
    LAKE_FIELD(item, day, "day", ""),
    LAKE_FIELD(item, uid, "uid", ""),
    LAKE_FIELD(item, score, "score", ""),
    LAKE_FIELD(item, flag, "flag", ""),
    LAKE_FIELD(item, tiny, "tiny", ""),
    LAKE_FIELD(item, note, "note,nullable", ""),
    LAKE_FIELD(item, blob, "blob,nullable", ""),
    LAKE_FIELD(item, batch, "batch,auto=ingestID", ""),
};
static const lake_model item_model = LAKE_MODEL(item, "items", item_fields);
/* The same table seen by a model whose name may be NULL: the table refuses such rows. */
static const lake_field loose_fields[] = {
    LAKE_FIELD(item, id, "id,pk", ""),
    LAKE_FIELD(item, name, "name,nullable", ""),
    LAKE_DECIMAL(item, amount, 12, 2, "amount", ""),
    LAKE_FIELD(item, at, "at", ""),
    LAKE_FIELD(item, day, "day", ""),
    LAKE_FIELD(item, uid, "uid", ""),
    LAKE_FIELD(item, score, "score", ""),
    LAKE_FIELD(item, flag, "flag", ""),
    LAKE_FIELD(item, tiny, "tiny", ""),
    LAKE_FIELD(item, note, "note,nullable", ""),
    LAKE_FIELD(item, blob, "blob,nullable", ""),
    LAKE_FIELD(item, batch, "batch,auto=ingestID", ""),
};
static const lake_model loose_model = LAKE_MODEL(item, "items", loose_fields);
/* The same table seen by a model with another key (tiny, not id) and name nullable. */
static const lake_field rekeyed_fields[] = {
    LAKE_FIELD(item, id, "id", ""),
    LAKE_FIELD(item, name, "name,nullable", ""),
    LAKE_DECIMAL(item, amount, 12, 2, "amount", ""),
    LAKE_FIELD(item, at, "at", ""),
    LAKE_FIELD(item, day, "day", ""),
    LAKE_FIELD(item, uid, "uid", ""),
    LAKE_FIELD(item, score, "score", ""),
    LAKE_FIELD(item, flag, "flag", ""),
    LAKE_FIELD(item, tiny, "tiny,pk", ""),
    LAKE_FIELD(item, note, "note,nullable", ""),
    LAKE_FIELD(item, blob, "blob,nullable", ""),
    LAKE_FIELD(item, batch, "batch,auto=ingestID", ""),
};
static const lake_model rekeyed_model = LAKE_MODEL(item, "items", rekeyed_fields);

typedef struct origin {
    lake_str source;
    lake_opt_i32 weight;
} origin;
static const lake_field origin_fields[] = {LAKE_FIELD(origin, source, "source", ""), LAKE_FIELD(origin, weight, "weight", "")};
static const lake_model origin_model = LAKE_MODEL(origin, "origin", origin_fields);

typedef struct event {
    lake_str tenant;
    int64_t id;
    int64_t value;
    lake_str label;
    origin meta; /* a struct column: Arrow and Parquet both carry it */
} event;
static const lake_field event_fields[] = {
    LAKE_FIELD(event, tenant, "tenant,mergeKey", "required"),
    LAKE_FIELD(event, id, "id,mergeKey", ""),
    LAKE_FIELD(event, value, "value", ""),
    LAKE_FIELD(event, label, "label", ""),
    LAKE_STRUCT(event, meta, origin, origin_model, "meta", ""),
};
typedef struct one {
    int64_t n;
} one;
static const lake_field one_fields[] = {LAKE_FIELD(one, n, "n", "")};
static const lake_model one_model = LAKE_MODEL(one, "x", one_fields);

static const lake_schema *schema_of(const lake_model *m) {
    const lake_schema *s;
    lake_schema_of(&s, m, NULL);
    return s;
}

static int64_t scalar(lake_client *c, const char *sql, const char *param) {
    one r = {-1};
    lake_arena *arena;
    lake_arena_new(&arena);
    lake_error err = LAKE_ERROR_INIT;
    lake_param params[] = {lake_param_text(param)};
    lake_source q = LAKE_SQL_PARAMS(sql, params, param ? 1 : 0);
    if (lake_client_query_first(c, schema_of(&one_model), &q, arena, &r, &err))
        fprintf(stderr, "  %s: %s\n", sql, err.message);
    lake_error_clear(&err);
    lake_arena_free(arena);
    return r.n;
}

/* No Parquet part is left under dir. */
static bool staging_empty_at(const char *dir) {
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "test -z \"$(find '%s' -name '*.parquet' 2>/dev/null)\"", dir);
    return system(cmd) == 0;
}

static const uint8_t blob_bytes[] = {0, 1, 2, 0xff, 'x', 0x80};

static void make(item *rows, size_t n, int64_t first) {
    static const char *notes[] = {"r\xC3\xA9sum\xC3\xA9", "it's :v1 ?", "\"quoted\"\n"};
    for (size_t i = 0; i < n; i++) {
        int64_t id = first + (int64_t)i;
        memset(&rows[i], 0, sizeof rows[i]);
        rows[i].id = id;
        rows[i].name = (lake_str){"item", 4};
        rows[i].amount = (lake_opt_dec128){{(uint64_t)(id * 7 + 1), 0}, id % 5 != 0};
        rows[i].at = (lake_ts){1700000000000000LL + id * 1000003};
        rows[i].day = (lake_date){19000 + (int32_t)(id % 365)};
        for (int k = 0; k < 16; k++) rows[i].uid.b[k] = (uint8_t)(id * 31 + k);
        rows[i].score = id % 7 == 0 ? 0.1 * (double)id : (double)id / 4.0;
        rows[i].flag = id % 3 == 0;
        rows[i].tiny = (int8_t)(id % 100 - 50);
        if (id % 2) rows[i].note = (lake_str){notes[id % 3], strlen(notes[id % 3])};
        if (id % 4) rows[i].blob = (lake_bytes){blob_bytes, (size_t)(id % 4) + 2};
    }
}

static void same_item(const item *got, const item *want, const char *batch) {
    CHECK(got->id == want->id);
    CHECK(got->name.len == want->name.len && !memcmp(got->name.ptr, want->name.ptr, got->name.len));
    CHECK(got->amount.valid == want->amount.valid);
    if (want->amount.valid) CHECK(got->amount.v.lo == want->amount.v.lo && got->amount.v.hi == want->amount.v.hi);
    CHECK(got->at.us == want->at.us);
    CHECK(got->day.days == want->day.days);
    CHECK(!memcmp(got->uid.b, want->uid.b, 16));
    CHECK(got->score == want->score);
    CHECK(got->flag == want->flag);
    CHECK(got->tiny == want->tiny);
    CHECK((got->note.ptr == NULL) == (want->note.ptr == NULL));
    if (want->note.ptr) CHECK(got->note.len == want->note.len && !memcmp(got->note.ptr, want->note.ptr, got->note.len));
    CHECK((got->blob.ptr == NULL) == (want->blob.ptr == NULL));
    if (want->blob.ptr) CHECK(got->blob.len == want->blob.len && !memcmp(got->blob.ptr, want->blob.ptr, got->blob.len));
    CHECK(got->batch.len == 36 && !memcmp(got->batch.ptr, batch, 36));
}

/* ---- cases every remote engine passes alike (the items table holds ids 1..500 first) */

static void failed_write_leaves_table_and_staging_clean(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    int64_t before = scalar(c, "SELECT count(*) AS n FROM items", NULL);
    item rows[50];
    make(rows, 50, 50001);
    rows[37].name = (lake_str){NULL, 0}; /* the table's name is NOT NULL: the engine refuses the write */
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        o.path = (lake_write_path)path;
        CHECK_STATUS(lake_client_insert(c, schema_of(&loose_model), rows, 50, &o, NULL, &err), LAKE_EREMOTE, &err);
        CHECK_CONTAINS(err.message, "SQLSTATE"); /* the engine's own words reach the caller */
        lake_error_clear(&err);
        CHECK(staging_empty());
    }
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items", NULL), before);
    lake_client_close(c);
}

static void conflicts_and_idempotent_retries(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    int64_t before = scalar(c, "SELECT count(*) AS n FROM items", NULL);
    item rows[20];
    make(rows, 20, 491); /* ids 491..500 exist (the suites write 1..500 first), 501..510 are new */
    for (int i = 0; i < 20; i++) rows[i].score = -1;
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.on_conflict = LAKE_CONFLICT_IGNORE;
    CHECK_OK(lake_client_insert(c, schema_of(&item_model), rows, 20, &o, NULL, &err), &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items", NULL), before + 10);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items WHERE score = -1", NULL), 10);
    o.on_conflict = LAKE_CONFLICT_UPDATE;
    o.path = LAKE_PATH_STAGED;
    CHECK_OK(lake_client_insert(c, schema_of(&item_model), rows, 20, &o, NULL, &err), &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items WHERE score = -1", NULL), 20);

    /* A retried request with the same key writes nothing and answers the first ingest id. */
    make(rows, 20, 70001);
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        lake_insert_options k = LAKE_INSERT_OPTIONS_INIT;
        k.path = (lake_write_path)path;
        k.idempotency_key = path == LAKE_PATH_DIRECT ? "order-7/direct" : "order-7/staged";
        lake_insert_result first = LAKE_INSERT_RESULT_INIT, again = LAKE_INSERT_RESULT_INIT;
        int64_t count = scalar(c, "SELECT count(*) AS n FROM items", NULL);
        CHECK_OK(lake_client_insert(c, schema_of(&item_model), rows, 20, &k, &first, &err), &err);
        CHECK(!first.replayed);
        CHECK_OK(lake_client_insert(c, schema_of(&item_model), rows, 20, &k, &again, &err), &err);
        CHECK(again.replayed && !memcmp(&again.ingest_id, &first.ingest_id, sizeof first.ingest_id));
        CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items", NULL), count + 20);
        for (int i = 0; i < 20; i++) rows[i].id += 100;
    }
    lake_client_close(c);
}

/* A key is used only when rows were written; the same request again is a
 * replay whichever path it takes; other records, or the same records into
 * another table, are refused with the key named and nothing written. */
static void idempotency_keys_name_one_request(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    const char *key = "fingerprinted/1";
    item rows[10];
    make(rows, 10, 80001);
    lake_insert_options k = LAKE_INSERT_OPTIONS_INIT;
    k.idempotency_key = key;
    lake_ingest *in;
    CHECK_OK(lake_client_ingest_begin(c, schema_of(&item_model), &k, &in, &err), &err);
    rows[0].name = (lake_str){NULL, 0};
    CHECK_STATUS(lake_ingest_append(in, rows, 1, &err), LAKE_EVALIDATION, &err);
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_ingest_commit(in, &r, &err), &err);
    CHECK_EQ_INT(r.rows, 0);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM _lakeorm_ingests WHERE idempotency_key = ?", key), 0);
    make(rows, 10, 80001);
    lake_insert_result first = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema_of(&item_model), rows, 10, &k, &first, &err), &err);
    CHECK(!first.replayed && first.inserted == 10);
    k.path = LAKE_PATH_STAGED;
    CHECK_OK(lake_client_insert(c, schema_of(&item_model), rows, 10, &k, &r, &err), &err);
    CHECK(r.replayed && !memcmp(&r.ingest_id, &first.ingest_id, sizeof r.ingest_id));
    rows[4].score = -4;
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        k.path = (lake_write_path)path;
        CHECK_STATUS(lake_client_insert(c, schema_of(&item_model), rows, 10, &k, NULL, &err), LAKE_EKEYREUSED, &err);
        CHECK_CONTAINS(err.message, key);
        CHECK_STATUS(lake_client_insert(c, schema_of(&item_model), rows, 10, &k, NULL, NULL), LAKE_EKEYREUSED, NULL);
        CHECK(staging_empty());
    }
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items WHERE id > 80000 AND id <= 80010", NULL), 10);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items WHERE id > 80000 AND score = -4", NULL), 0);
    CHECK_OK(lake_client_exec(c, "DELETE FROM items WHERE id > 80000", NULL, 0, NULL, &err), &err); /* the suites count items */
    lake_error_clear(&err);
    lake_client_close(c);
}

/* Inserted, updated and ignored rows as the statement did them; a primary
 * key twice under update is refused; failures need no error object. */
static void counts_and_calls_without_an_error_object(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    item rows[10];
    make(rows, 10, 90001);
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema_of(&item_model), rows, 10, &o, &r, &err), &err);
    CHECK(r.inserted == 10 && r.updated == 0 && r.ignored == 0);
    make(rows, 10, 90006); /* 90006..90010 exist */
    o.on_conflict = LAKE_CONFLICT_IGNORE;
    CHECK_OK(lake_client_insert(c, schema_of(&item_model), rows, 10, &o, &r, &err), &err);
    CHECK_EQ_INT(r.inserted, 5);
    CHECK_EQ_INT(r.ignored, 5);
    CHECK_EQ_INT(r.updated, 0);
    make(rows, 10, 90011); /* 90011..90015 exist */
    o.on_conflict = LAKE_CONFLICT_UPDATE;
    o.path = LAKE_PATH_STAGED;
    CHECK_OK(lake_client_insert(c, schema_of(&item_model), rows, 10, &o, &r, &err), &err);
    CHECK_EQ_INT(r.inserted, 5);
    CHECK_EQ_INT(r.updated, 5);
    CHECK_EQ_INT(r.ignored, 0);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items WHERE id > 90000", NULL), 20);
    rows[9].id = rows[0].id;
    CHECK_STATUS(lake_client_insert(c, schema_of(&item_model), rows, 10, &o, NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "primary key (90011) appears more than once");
    /* The engine refuses a NULL name: the failure comes back without an error object. */
    make(rows, 10, 95001);
    rows[3].name = (lake_str){NULL, 0};
    o = (lake_insert_options)LAKE_INSERT_OPTIONS_INIT;
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        o.path = (lake_write_path)path;
        CHECK_STATUS(lake_client_insert(c, schema_of(&loose_model), rows, 10, &o, NULL, NULL), LAKE_EREMOTE, NULL);
        CHECK(staging_empty());
    }
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM items WHERE id > 95000", NULL), 0);
    CHECK_OK(lake_client_exec(c, "DELETE FROM items WHERE id > 90000", NULL, 0, NULL, &err), &err);
    lake_error_clear(&err);
    lake_client_close(c);
}

/* The table agrees with its model; a model with another key and another
 * nullability differs in what the engine reports: nullability always, the
 * key where the format keeps one. */
static void assert_schema_compares_what_the_engine_keeps(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *same = schema_of(&item_model), *other = schema_of(&rekeyed_model);
    CHECK_OK(lake_client_assert_schema(c, &same, 1, &err), &err);
    CHECK_STATUS(lake_client_assert_schema(c, &other, 1, &err), LAKE_EMISMATCH, &err);
    static const char *const expected[][2] = {{"id", "primary_key"}, {"name", "nullable"}, {"tiny", "primary_key"}};
    size_t n = 0;
    for (size_t i = 0; i < 3; i++) {
        if (!keeps_primary_keys() && !strcmp(expected[i][1], "primary_key")) continue;
        const lake_issue *issue = lake_issues_get(err.issues, n++);
        CHECK(issue != NULL);
        if (!issue) break;
        CHECK_EQ_STR(issue->column, expected[i][0]);
        CHECK_EQ_STR(issue->rule, expected[i][1]);
    }
    CHECK_EQ_INT(lake_issues_count(err.issues), n);
    lake_error_clear(&err);
    lake_client_close(c);
}

#endif
