/* SPDX-License-Identifier: MIT */
/* Classic checkpoints (formats/delta/checkpoint.c): a table whose log
 * before the checkpoint is gone still loads in deltalake at the right
 * version with the right files and rows, and pyarrow reads the checkpoint's
 * actions (tests/delta/files_checkpoint.py). */
#include <time.h>
#include <unistd.h>

#include "files_fixture.h"

typedef struct item {
    int64_t id;
    lake_str name;
    lake_str part;
} item;
static const lake_field item_fields[] = {
    LAKE_FIELD(item, id, "id", ""),
    LAKE_FIELD(item, name, "name", ""),
    LAKE_FIELD(item, part, "part,nullable", ""),
};
static const lake_model item_model = LAKE_MODEL(item, "items", item_fields);

static const char SCHEMA_STRING[] =
    "{\"type\":\"struct\",\"fields\":["
    "{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
    "{\"name\":\"name\",\"type\":\"string\",\"nullable\":false,\"metadata\":{}},"
    "{\"name\":\"part\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},"
    "{\"name\":\"_ingest_id\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}";

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Writes rows [from, to) through files.c as one request; its files are appended to *out. */
static lake__delta_files *write_rows(fixture *fx, int from, int to, const char *tag) {
    static char names[64][24];
    item rows[64];
    for (int i = from; i < to; i++) {
        snprintf(names[i], sizeof names[i], "name-%d", i);
        rows[i - from] = (item){i, {names[i], strlen(names[i])}, {i % 2 ? "b" : "a", 1}};
    }
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &item_model, &err), &err);
    const char *parts[] = {"part"};
    lake__delta_files_spec spec = {s, parts, 1, tag, tag, LAKE_CODEC_ZSTD, 0, 0, 0};
    lake__delta_files *f;
    CHECK_OK(lake__delta_files_open(&fx->table, &spec, &f, &err), &err);
    CHECK_OK(lake__delta_files_add(f, rows, (size_t)(to - from), &err), &err);
    return f;
}

static void add_line(lake__buf *b, const lake__delta_written *w) {
    lake__buf_puts(b, "{\"add\":{\"path\":");
    lake__json_write_string(b, w->path, strlen(w->path));
    lake__buf_printf(b, ",\"partitionValues\":{\"part\":\"%s\"},\"size\":%lld,\"modificationTime\":%lld,"
                        "\"dataChange\":true,\"stats\":",
                     w->partition_values[0].value, (long long)w->size, (long long)w->modification_time);
    lake__json_write_string(b, w->stats, strlen(w->stats));
    lake__buf_puts(b, "}}\n");
}

static void put_commit(fixture *fx, int version, const lake__buf *b) {
    char key[128];
    snprintf(key, sizeof key, "t/_delta_log/%020d.json", version);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_put_if_absent(fx->store, key, b->data, b->len, &err), &err);
}

static lake__delta_file file_of(const lake__delta_written *w) {
    lake__delta_file f = {w->path, w->partition_values, w->partition_count, w->size, w->modification_time, -1,
                          true, w->stats, false};
    return f;
}

static void a_checkpoint_replaces_the_log_before_it(void) {
    fixture fx;
    fixture_open(&fx);
    lake_error err = LAKE_ERROR_INIT;
    int64_t now = now_ms();

    /* v0: the table; v1: rows 0-9 (a file per part); v2: rows 10-15, and
     * part a's first file removed, with an old tombstone of a file long
     * gone; v3: rows 16-19 and a transaction. */
    lake__buf b = LAKE__BUF_INIT;
    lake__buf_puts(&b, "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n"
                       "{\"metaData\":{\"id\":\"6b3c9f1e-0000-4000-8000-000000000001\",\"format\":{\"provider\":"
                       "\"parquet\",\"options\":{}},\"schemaString\":");
    lake__json_write_string(&b, SCHEMA_STRING, strlen(SCHEMA_STRING));
    lake__buf_printf(&b, ",\"partitionColumns\":[\"part\"],\"configuration\":{\"delta.appendOnly\":\"false\"},"
                         "\"createdTime\":%lld}}\n",
                     (long long)now);
    put_commit(&fx, 0, &b);

    const lake__delta_written *w1, *w2, *w3;
    size_t n1, n2, n3;
    lake__delta_files *f1 = write_rows(&fx, 0, 10, "req-1");
    CHECK_OK(lake__delta_files_close(f1, &w1, &n1, &err), &err);
    CHECK_EQ_INT(n1, 2);
    b.len = 0;
    for (size_t i = 0; i < n1; i++) add_line(&b, &w1[i]);
    put_commit(&fx, 1, &b);

    lake__delta_files *f2 = write_rows(&fx, 10, 16, "req-2");
    CHECK_OK(lake__delta_files_close(f2, &w2, &n2, &err), &err);
    const lake__delta_written *gone = strcmp(w1[0].partition_values[0].value, "a") == 0 ? &w1[0] : &w1[1];
    const lake__delta_written *kept = gone == &w1[0] ? &w1[1] : &w1[0];
    b.len = 0;
    for (size_t i = 0; i < n2; i++) add_line(&b, &w2[i]);
    lake__buf_printf(&b, "{\"remove\":{\"path\":\"%s\",\"deletionTimestamp\":%lld,\"dataChange\":true,"
                         "\"extendedFileMetadata\":true,\"partitionValues\":{\"part\":\"a\"},\"size\":%lld}}\n",
                     gone->path, (long long)now, (long long)gone->size);
    lake__buf_puts(&b, "{\"remove\":{\"path\":\"part=a/old.parquet\",\"deletionTimestamp\":1000,\"dataChange\":true}}\n");
    put_commit(&fx, 2, &b);

    lake__delta_files *f3 = write_rows(&fx, 16, 20, "req-3");
    CHECK_OK(lake__delta_files_close(f3, &w3, &n3, &err), &err);
    b.len = 0;
    for (size_t i = 0; i < n3; i++) add_line(&b, &w3[i]);
    lake__buf_printf(&b, "{\"txn\":{\"appId\":\"loader\",\"version\":5,\"lastUpdated\":%lld}}\n", (long long)now);
    put_commit(&fx, 3, &b);
    CHECK(!b.failed);
    lake__buf_dispose(&b);

    /* The snapshot at v3, as a log replay would make it. */
    lake__delta_file files[8], tombstones[2];
    size_t nf = 0;
    files[nf++] = file_of(kept);
    for (size_t i = 0; i < n2; i++) files[nf++] = file_of(&w2[i]);
    for (size_t i = 0; i < n3; i++) files[nf++] = file_of(&w3[i]);
    tombstones[0] = file_of(gone);
    tombstones[0].deletion_timestamp = now;
    tombstones[1] = (lake__delta_file){"part=a/old.parquet", NULL, 0, -1, 0, 1000, true, NULL, false};
    const char *partition_columns[] = {"part"};
    lake__delta_pair configuration[] = {{"delta.appendOnly", "false"}};
    lake__delta_txn txn = {"loader", 5, now};
    lake__delta_snapshot s = {
        .version = 3,
        .protocol = {1, 2, NULL, NULL, 0, 0},
        .metadata = {"6b3c9f1e-0000-4000-8000-000000000001", NULL, NULL, SCHEMA_STRING, partition_columns, 1,
                     configuration, 1, now},
        .files = files,
        .file_count = nf,
        .tombstones = tombstones,
        .tombstone_count = 2,
        .txns = &txn,
        .txn_count = 1,
        .checkpoint_version = -1,
    };
    CHECK_OK(lake__delta_checkpoint_write(&fx.table, &s, &err), &err);

    /* Readers must not need the commits before the checkpoint. */
    char path[400];
    for (int v = 0; v < 3; v++) {
        snprintf(path, sizeof path, "%s/t/_delta_log/%020d.json", fx.dir, v);
        CHECK_EQ_INT(unlink(path), 0);
    }
    char args[64];
    snprintf(args, sizeof args, "%zu", nf);
    CHECK_EQ_INT(fixture_python(&fx, "files_checkpoint.py", args), 0);
    lake__delta_files_free(f1, false);
    lake__delta_files_free(f2, false);
    lake__delta_files_free(f3, false);
    fixture_close(&fx);
}

/* A table keeping tombstones for no time drops them all. */
static void tombstones_older_than_the_retention_go(void) {
    fixture fx;
    fixture_open(&fx);
    lake__delta_pair configuration[] = {{"delta.deletedFileRetentionDuration", "interval 0 hours"}};
    lake__delta_file tombstone = {"x.parquet", NULL, 0, 10, 0, now_ms() - 1, true, NULL, false};
    lake__delta_snapshot s = {
        .version = 7,
        .protocol = {1, 2, NULL, NULL, 0, 0},
        .metadata = {"id", NULL, NULL, SCHEMA_STRING, NULL, 0, configuration, 1, -1},
        .tombstones = &tombstone,
        .tombstone_count = 1,
        .checkpoint_version = -1,
    };
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__delta_checkpoint_write(&fx.table, &s, &err), &err);
    char *data;
    size_t len;
    CHECK_OK(lake_backend_get(fx.store, "t/_delta_log/_last_checkpoint", &data, &len, &err), &err);
    CHECK(strncmp(data, "{\"version\":7,\"size\":2,\"sizeInBytes\":", 36) == 0);
    CHECK_CONTAINS(data, ",\"numOfAddFiles\":0}");
    lake_free(data);

    configuration[0].value = "a fortnight";
    CHECK_STATUS(lake__delta_checkpoint_write(&fx.table, &s, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "delta.deletedFileRetentionDuration");
    fixture_close(&fx);
}

static size_t calls, fail_at;
static void *failing_malloc(void *ctx, size_t n) {
    (void)ctx;
    return ++calls == fail_at ? NULL : malloc(n);
}
static void *failing_realloc(void *ctx, void *p, size_t old, size_t n) {
    (void)ctx, (void)old;
    return ++calls == fail_at ? NULL : realloc(p, n);
}
static void plain_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

/* Every allocation failing in turn: an error, and no checkpoint claimed that is not whole. */
static void every_allocation_failure_is_reported(void) {
    fixture fx;
    fixture_open(&fx);
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &item_model, &err), &err); /* compiled once, before the sweep */
    lake__delta_pair values[] = {{"part", "a"}};
    lake__delta_file file = {"part=a/f.parquet", values, 1, 10, 5, -1, true, "{\"numRecords\":1}", false};
    const char *partition_columns[] = {"part"};
    lake__delta_txn txn = {"loader", 5, 1};
    lake__delta_snapshot snap = {
        .version = 4,
        .protocol = {1, 2, NULL, NULL, 0, 0},
        .metadata = {"id", "name", NULL, SCHEMA_STRING, partition_columns, 1, NULL, 0, 1},
        .files = &file,
        .file_count = 1,
        .txns = &txn,
        .txn_count = 1,
        .checkpoint_version = -1,
    };
    lake_allocator failing = {failing_malloc, failing_realloc, plain_free, NULL};
    bool done = false;
    for (fail_at = 1; !done && fail_at < 5000; fail_at++) {
        calls = 0;
        lake_set_allocator(&failing);
        int rc = lake__delta_checkpoint_write(&fx.table, &snap, &err);
        lake_set_allocator(NULL);
        done = calls < fail_at;
        char *data = NULL;
        size_t len = 0;
        int found = lake_backend_get(fx.store, "t/_delta_log/_last_checkpoint", &data, &len, NULL);
        /* A pointer is only ever to the whole checkpoint (a store may fail after publishing it). */
        if (rc == LAKE_OK) CHECK_OK(found, &err);
        static const char head[] = "{\"version\":4,\"size\":4,"; /* protocol, metadata, txn, add */
        if (found == LAKE_OK) CHECK(len > sizeof head && strncmp(data, head, sizeof head - 1) == 0);
        CHECK_OK(lake_backend_delete_prefix(fx.store, "t/_delta_log/", NULL, NULL), NULL);
        lake_free(data);
        lake_error_clear(&err);
    }
    CHECK(done);
    fixture_close(&fx);
}

int main(void) {
    LAKE_RUN(a_checkpoint_replaces_the_log_before_it);
    LAKE_RUN(tombstones_older_than_the_retention_go);
    LAKE_RUN(every_allocation_failure_is_reported);
    return lake_test_summary();
}
