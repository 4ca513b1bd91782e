/* SPDX-License-Identifier: MIT */
/* The REST catalog client (formats/iceberg/rest_catalog.c) against Iceberg's
 * own REST catalog server (tests/iceberg/rest_server.sh, started by CTest):
 * namespaces, a missing table, create and its conflict, a snapshot commit
 * over a real manifest list and its stale twin, a schema update; then
 * pyiceberg's RestCatalog reads the table through the same server
 * (tests/iceberg/rest_check.py). */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "formats/iceberg/catalog.h"
#include "formats/iceberg/metadata.h"
#include "util/arena.h"
#include "lake_test.h"

typedef struct item {
    int64_t id;
    lake_str name;
    lake_str note;
} item;
static const lake_field item_fields[] = {
    LAKE_FIELD(item, id, "id,partition=bucket[4]", ""),
    LAKE_FIELD(item, name, "name", ""),
    LAKE_FIELD(item, note, "note,nullable", ""),
};
static const lake_model item_model = LAKE_MODEL(item, "items", item_fields);

/* The same model a release later: one more nullable column. */
static const lake__iceberg_catalog_ops *ops = &lake__iceberg_rest_catalog_ops;
static char url[64], state[512], table[32];
static const char *ns = "lake ns"; /* a blank: names are percent-encoded into paths */
static lake_arena *scratch;         /* what loads vend (this server vends nothing) */
static lake__iceberg_storage vended;
static lake_backend *warehouse;

static void *open_catalog(void) {
    void *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(ops->open(url, warehouse, &c, &err), &err);
    return c;
}

static void namespaces_are_ensured_twice(void) {
    void *c = open_catalog();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(ops->namespace_ensure(c, ns, &err), &err);
    CHECK_OK(ops->namespace_ensure(c, ns, &err), &err); /* exists: still fine */
    ops->close(c);
}

static void a_missing_table_is_not_found(void) {
    void *c = open_catalog();
    lake_error err = LAKE_ERROR_INIT;
    lake__buf where = LAKE__BUF_INIT, json = LAKE__BUF_INIT;
    CHECK_STATUS(ops->load(c, ns, "no_such_table", &where, &json, scratch, &vended, &err), LAKE_ENOTFOUND, &err);
    CHECK_EQ_INT(err.kind, LAKE_KIND_NOT_FOUND);
    CHECK_EQ_STR(err.engine_class, "NoSuchTableException");
    CHECK_CONTAINS(err.message, "no_such_table");
    CHECK(!strstr(err.message, "\tat ")); /* the server's stack trace stays out */
    lake__buf_dispose(&where);
    lake__buf_dispose(&json);
    lake_error_clear(&err);
    ops->close(c);
}

/* The table's metadata as the catalog answered it, read back. */
static lake__iceberg_loaded read_back(const lake__buf *json, lake_arena *arena) {
    lake__iceberg_loaded t;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__iceberg_metadata_read(json->data, json->len, arena, &t, &err), &err);
    return t;
}

static void a_table_is_created_loaded_and_committed(void) {
    void *c = open_catalog();
    lake_error err = LAKE_ERROR_INIT;
    lake_arena *arena;
    CHECK_EQ_INT(lake_arena_new(&arena), 0);
    const lake_schema *schema;
    CHECK_OK(lake_schema_of(&schema, &item_model, &err), &err);
    char location[640], meta_dir[640];
    snprintf(location, sizeof location, "file://%s/warehouse/lake_ns/%s", state, table);
    snprintf(meta_dir, sizeof meta_dir, "%s/warehouse/lake_ns/%s/metadata", state, table);

    /* create, then load: the same metadata file, lakeorm's field ids */
    lake__buf created = LAKE__BUF_INIT, json = LAKE__BUF_INIT, where = LAKE__BUF_INIT, loaded = LAKE__BUF_INIT;
    CHECK_OK(ops->create(c, ns, table, schema, location, &created, &json, &err), &err);
    CHECK(!strncmp(created.data, "file:///", 8));
    CHECK_OK(ops->load(c, ns, table, &where, &loaded, scratch, &vended, &err), &err);
    CHECK(!vended.access_key && !vended.gcs_token); /* this server vends no credentials */
    CHECK_EQ_STR(where.data, created.data);
    CHECK_CONTAINS(loaded.data, "{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"}");
    CHECK_CONTAINS(loaded.data, "{\"id\":3,\"name\":\"note\",\"required\":false,\"type\":\"string\"}");
    CHECK_CONTAINS(loaded.data, "{\"id\":4,\"name\":\"_ingest_id\",\"required\":false,\"type\":\"string\"}");
    CHECK_CONTAINS(loaded.data, "\"transform\":\"bucket[4]\"");
    lake__iceberg_loaded t = read_back(&loaded, arena);
    CHECK_EQ_INT(t.current_snapshot_id, -1);
    CHECK_EQ_STR(t.location, location);

    CHECK_STATUS(ops->create(c, ns, table, schema, location, &where, &loaded, &err), LAKE_ECONFLICT, &err);
    CHECK_EQ_INT(err.kind, LAKE_KIND_CONFLICT);

    /* a snapshot over a real (empty) manifest list in the warehouse */
    int64_t id = 4242424242424242LL;
    char list_path[700], list_uri[720];
    snprintf(list_path, sizeof list_path, "%s/snap-%lld-1.avro", meta_dir, (long long)id);
    snprintf(list_uri, sizeof list_uri, "file://%s", list_path);
    FILE *f = fopen(list_path, "wb");
    CHECK(f != NULL);
    lake_sink sink = lake_sink_stdio(f);
    CHECK_OK(lake__iceberg_manifest_list_write(id, -1, 1, NULL, 0, &sink, &err), &err);
    fclose(f);
    const char *summary[] = {"added-records", "0", "total-records", "0"};
    lake__iceberg_snapshot snap = {id, -1, 1, (int64_t)time(NULL) * 1000, list_uri, "append", summary, 2, 0};
    lake__iceberg_update u = {.snapshot = &snap};
    lake__buf committed = LAKE__BUF_INIT, after = LAKE__BUF_INIT;
    CHECK_OK(ops->commit(c, ns, table, where.data, json.data, json.len, &u, &committed, &after, &err), &err);
    CHECK(strcmp(committed.data, created.data) != 0);
    t = read_back(&after, arena);
    CHECK_EQ_INT(t.current_snapshot_id, id);
    CHECK_EQ_STR(t.current_manifest_list, list_uri);

    /* the same append again, made over the table before it: main has moved */
    snap.id = id + 1;
    CHECK_STATUS(ops->commit(c, ns, table, created.data, json.data, json.len, &u, &where, &loaded, &err), LAKE_ECONFLICT,
                 &err);
    CHECK_EQ_INT(err.kind, LAKE_KIND_CONFLICT);
    CHECK_EQ_STR(err.engine_class, "CommitFailedException");

    /* the table's columns and one more, its id after the table's last (4: _ingest_id) */
    static const char evolved_json[] =
        "{\"type\":\"struct\",\"schema-id\":1,\"fields\":[{\"id\":1,\"name\":\"id\",\"required\":true,\"type\":\"long\"},"
        "{\"id\":2,\"name\":\"name\",\"required\":true,\"type\":\"string\"},"
        "{\"id\":3,\"name\":\"note\",\"required\":false,\"type\":\"string\"},"
        "{\"id\":4,\"name\":\"_ingest_id\",\"required\":false,\"type\":\"string\"},"
        "{\"id\":5,\"name\":\"color\",\"required\":false,\"type\":\"string\"}]}";
    lake__iceberg_update evolve = {.schema_json = evolved_json, .schema_id = 1, .last_column_id = 5};
    lake__buf evolved = LAKE__BUF_INIT;
    CHECK_OK(ops->commit(c, ns, table, committed.data, after.data, after.len, &evolve, &evolved, &json, &err), &err);
    CHECK_OK(ops->load(c, ns, table, &where, &loaded, scratch, &vended, &err), &err);
    CHECK_EQ_STR(where.data, evolved.data);
    CHECK_CONTAINS(loaded.data, "\"current-schema-id\":1");
    CHECK_CONTAINS(loaded.data, "{\"id\":5,\"name\":\"color\",\"required\":false,\"type\":\"string\"}");
    t = read_back(&loaded, arena);
    CHECK_EQ_INT(t.current_snapshot_id, id);

    /* pyiceberg, through the same server */
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "%s %s/iceberg/rest_check.py %s '%s' %s %lld", LAKE_PYTHON, LAKE_TESTS_DIR,
             url + strlen("rest+"), ns, table, (long long)id);
    CHECK_EQ_INT(system(cmd), 0);

    lake__buf *bufs[] = {&created, &json, &where, &loaded, &committed, &after, &evolved};
    for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) lake__buf_dispose(bufs[i]);
    lake_arena_free(arena);
    lake_error_clear(&err);
    ops->close(c);
}

/* OAuth2 client credentials: Iceberg's server hands out a token for any
 * client; every request then carries it. */
static bool ns_seen;
static int seen_ns(void *ctx, const char *name) {
    (void)ctx;
    ns_seen |= !strcmp(name, ns);
    return 0;
}

static void a_dropped_table_is_not_found(void) {
    void *c = open_catalog();
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *schema;
    CHECK_OK(lake_schema_of(&schema, &item_model, &err), &err);
    char name[48], location[700];
    snprintf(name, sizeof name, "%s_dropped", table);
    snprintf(location, sizeof location, "file://%s/warehouse/lake_ns/%s", state, name);
    lake__buf created = LAKE__BUF_INIT, json = LAKE__BUF_INIT;
    CHECK_OK(ops->namespace_ensure(c, ns, &err), &err);
    CHECK_OK(ops->create(c, ns, name, schema, location, &created, &json, &err), &err);
    CHECK_OK(ops->namespaces(c, seen_ns, NULL, &err), &err);
    CHECK(ns_seen);
    CHECK_OK(ops->drop(c, ns, name, &err), &err);
    CHECK_STATUS(ops->load(c, ns, name, &created, &json, scratch, &vended, &err), LAKE_ENOTFOUND, &err);
    CHECK_STATUS(ops->drop(c, ns, name, &err), LAKE_ENOTFOUND, &err); /* gone: said so, not ignored */
    lake__buf_dispose(&created);
    lake__buf_dispose(&json);
    lake_error_clear(&err);
    ops->close(c);
}

static void client_credentials_fetch_a_token(void) {
    setenv("LAKEORM_ICEBERG_CLIENT_ID", "lakeorm-test", 1);
    setenv("LAKEORM_ICEBERG_CLIENT_SECRET", "not-a-real-secret", 1);
    void *c = open_catalog();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(ops->namespace_ensure(c, ns, &err), &err);
    lake__buf where = LAKE__BUF_INIT, json = LAKE__BUF_INIT;
    CHECK_STATUS(ops->load(c, ns, "no_such_table", &where, &json, scratch, &vended, &err), LAKE_ENOTFOUND, &err);
    CHECK(!strstr(err.message, "not-a-real-secret"));
    lake__buf_dispose(&where);
    lake__buf_dispose(&json);
    lake_error_clear(&err);
    ops->close(c);
    unsetenv("LAKEORM_ICEBERG_CLIENT_SECRET");
    CHECK_STATUS(ops->open(url, warehouse, &c, &err), LAKE_EAUTH, &err); /* an id alone */
    unsetenv("LAKEORM_ICEBERG_CLIENT_ID");
    lake_error_clear(&err);
}

static void bad_urls_are_refused(void) {
    void *c;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(ops->open("http://127.0.0.1:1", warehouse, &c, &err), LAKE_EINVAL, &err);
    CHECK_STATUS(ops->open("rest+http://user:hunter2@127.0.0.1:1/x?y=1", warehouse, &c, &err), LAKE_EINVAL, &err);
    CHECK(!strstr(err.message, "hunter2"));
    lake_error_clear(&err);
}

int main(void) {
    if (lake_arena_new(&scratch)) return 1;
    const char *port = getenv("LAKE_TEST_ICEBERG_REST_PORT"), *dir = getenv("LAKE_TEST_ICEBERG_REST_STATE");
    if (!port || !dir) {
        fprintf(stderr, "LAKE_TEST_ICEBERG_REST_PORT and _STATE name the server tests/iceberg/rest_server.sh started\n");
        return 1;
    }
    snprintf(url, sizeof url, "rest+http://127.0.0.1:%s/", port);
    snprintf(state, sizeof state, "%s", dir);
    snprintf(table, sizeof table, "items_%ld", (long)getpid()); /* a rerun against the same server makes its own */
    char wh[600];
    snprintf(wh, sizeof wh, "file://%s/warehouse", state);
    lake_error err = LAKE_ERROR_INIT;
    if (lake_backend_open(&warehouse, wh, &err)) {
        fprintf(stderr, "warehouse %s: %s\n", wh, err.message);
        return 1;
    }
    LAKE_RUN(namespaces_are_ensured_twice);
    LAKE_RUN(a_missing_table_is_not_found);
    LAKE_RUN(a_table_is_created_loaded_and_committed);
    LAKE_RUN(a_dropped_table_is_not_found);
    LAKE_RUN(client_credentials_fetch_a_token);
    LAKE_RUN(bad_urls_are_refused);
    lake_backend_free(warehouse);
    lake_arena_free(scratch);
    return lake_test_summary();
}
