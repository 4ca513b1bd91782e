/* SPDX-License-Identifier: MIT */
/* Snapshots by log replay: tables delta-rs wrote (tests/delta/log_make_tables.py)
 * read the same as delta-rs reads them, through classic and multi-part
 * checkpoints read with the embedded DuckDB engine; broken logs name the
 * version; what lakeorm may write. */
#include <stdlib.h>
#include <unistd.h>

#include "formats/delta/delta.h"
#include "lake_test.h"
#include "util/alloc.h"

static char root[] = "/tmp/lake-delta-snapshot-XXXXXX";
static char *expected; /* what delta-rs said of the tables */
static lake_backend *store;
static lake__delta delta;

/* What a script of tests/delta prints given `arg`; NULL when it fails. */
static char *run_python(const char *script, const char *arg) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s/%s %s", LAKE_PYTHON, LAKE_DELTA_SCRIPTS, script, arg);
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    lake__buf out = LAKE__BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) lake__buf_put(&out, chunk, n);
    int status = pclose(p);
    char *text = lake__buf_detach(&out, NULL);
    if (status == 0) return text;
    fprintf(stderr, "  %s exited with %d\n", cmd, status);
    lake__free(text);
    return NULL;
}

static void open_engine(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake__driver_config cfg = {.dialect = &lake__dialect_duckdb, .pool_size = 1};
    CHECK_OK(lake__duckdb_driver.open(&cfg, &delta.cfg.engine.impl, &err), &err);
    delta.cfg.engine.ops = &lake__duckdb_driver;
}

static lake__delta_table table(const char *name) {
    lake__delta_table t = {.delta = &delta, .store = store};
    snprintf(t.root, sizeof t.root, "%s/", name);
    snprintf(t.name, sizeof t.name, "%s", name);
    return t;
}

static void put(const char *key, const lake__buf *text) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_put_if_absent(store, key, text->data, text->len, &err), &err);
}

static int compare_strings(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The lines log_make_tables.py prints for a table, from our snapshot. */
static void describe(lake__buf *out, const char *name, int64_t at) {
    lake_error err = LAKE_ERROR_INIT;
    lake__delta_table t = table(name);
    lake__delta_snapshot *s;
    CHECK_OK(lake__delta_snapshot_load(&t, at, &s, &err), &err);
    lake__buf_printf(out, "table %s %lld\nversion %lld\n", name, (long long)at, (long long)s->version);
    char **paths = calloc(s->file_count + 1, sizeof *paths);
    for (size_t i = 0; i < s->file_count; i++) {
        lake__buf decoded = LAKE__BUF_INIT;
        CHECK_EQ_INT(lake__delta_path_decode(&decoded, s->files[i].path), 0);
        paths[i] = lake__buf_detach(&decoded, NULL);
    }
    qsort(paths, s->file_count, sizeof *paths, compare_strings);
    for (size_t i = 0; i < s->file_count; i++) {
        lake__buf_printf(out, "file %s\n", paths[i]);
        lake__free(paths[i]);
    }
    free(paths);
    const char *apps[] = {"app-a", "app-b"};
    for (size_t a = 0; a < 2; a++)
        for (size_t i = 0; i < s->txn_count; i++)
            if (!strcmp(s->txns[i].app_id, apps[a]))
                lake__buf_printf(out, "txn %s %lld\n", apps[a], (long long)s->txns[i].version);
    lake__delta_snapshot_free(s);
}

static void reads_tables_as_delta_rs_does(void) {
    lake__buf ours = LAKE__BUF_INIT;
    for (const char *line = expected; line && *line;) {
        const char *nl = strchr(line, '\n');
        char name[64];
        long long at;
        if (sscanf(line, "table %63s %lld", name, &at) == 2) describe(&ours, name, at);
        line = nl ? nl + 1 : NULL;
    }
    if (!ours.data || strcmp(ours.data, expected)) fprintf(stderr, "  lakeorm read:\n%s", ours.data ? ours.data : "");
    CHECK(ours.data && !strcmp(ours.data, expected));
    lake__buf_dispose(&ours);
}

static lake__delta_snapshot *load(const char *name, int64_t at) {
    lake_error err = LAKE_ERROR_INIT;
    lake__delta_table t = table(name);
    lake__delta_snapshot *s = NULL;
    CHECK_OK(lake__delta_snapshot_load(&t, at, &s, &err), &err);
    return s;
}

static void starts_from_the_newest_checkpoint(void) {
    lake__delta_snapshot *s = load("checkpointed", -1);
    CHECK_EQ_INT(s->checkpoint_version, 4);
    CHECK_EQ_INT(s->version, 6);
    CHECK(s->tombstone_count > 0); /* the overwrite's removes, kept by the checkpoint */
    lake__delta_snapshot_free(s);
    s = load("checkpointed", 2);
    CHECK_EQ_INT(s->checkpoint_version, -1);
    lake__delta_snapshot_free(s);
    s = load("multipart", -1);
    CHECK_EQ_INT(s->checkpoint_version, 3);
    CHECK_EQ_INT(s->column_count, 2);
    CHECK(s->columns[0].partition && !s->columns[1].partition);
    lake__delta_snapshot_free(s);
    s = load("nan_stats", -1);
    CHECK_EQ_INT(s->checkpoint_version, 0);
    CHECK_EQ_INT(s->file_count, 1);
    lake__delta_snapshot_free(s);
}

/* A checkpoint cut short: the commits before it still give the table. */
static void replays_past_a_broken_checkpoint(void) {
    lake__buf good = LAKE__BUF_INIT, bad = LAKE__BUF_INIT;
    describe(&good, "checkpointed", -1);
    describe(&bad, "bad_checkpoint", -1);
    CHECK(good.data && bad.data);
    CHECK_EQ_STR(bad.data + strlen("table bad_checkpoint -1\n"), good.data + strlen("table checkpointed -1\n"));
    lake__delta_snapshot *s = load("bad_checkpoint", -1);
    CHECK_EQ_INT(s->checkpoint_version, -1);
    lake__delta_snapshot_free(s);
    lake__buf_dispose(&good);
    lake__buf_dispose(&bad);
}

static void keeps_metadata_tombstones_and_partition_values(void) {
    lake__delta_snapshot *s = load("overwrite", -1);
    CHECK_EQ_INT(s->protocol.reader, 1);
    CHECK_EQ_INT(s->protocol.writer, 2);
    CHECK(s->metadata.id && strlen(s->metadata.id) == 36);
    CHECK_EQ_INT(s->column_count, 2);
    CHECK_EQ_STR(s->columns[0].name, "id");
    CHECK_EQ_STR(s->columns[0].type_json, "\"long\"");
    CHECK_EQ_STR(s->columns[1].type_json, "\"double\"");
    CHECK_EQ_INT(s->tombstone_count, 2);
    for (size_t i = 0; i < s->tombstone_count; i++) CHECK(s->tombstones[i].deletion_timestamp > 0);
    lake__delta_snapshot_free(s);

    s = load("partitioned", -1);
    bool odd = false, null = false;
    for (size_t i = 0; i < s->file_count; i++) {
        CHECK_EQ_INT(s->files[i].partition_count, 1);
        const char *v = s->files[i].partition_values[0].value;
        if (!v) {
            null = true;
            CHECK_CONTAINS(s->files[i].path, "__HIVE_DEFAULT_PARTITION__");
        } else if (!strcmp(v, "a b:c/d%e")) {
            odd = true;
            CHECK_EQ_STR(s->files[i].path + strlen("p=a%2520b%253Ac%252Fd%2525e/"), strchr(s->files[i].path, '/') + 1);
        }
        CHECK(s->files[i].size > 0 && s->files[i].stats);
    }
    CHECK(odd && null);
    lake__delta_snapshot_free(s);
}

static void names_the_version_of_a_broken_log(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake__delta_snapshot *s = NULL;
    lake__delta_table t = table("corrupt");
    CHECK_STATUS(lake__delta_snapshot_load(&t, -1, &s, &err), LAKE_EIO, &err);
    CHECK_CONTAINS(err.message, "corrupt");
    CHECK_CONTAINS(err.message, "version 1");
    CHECK(!s);
    /* Before the damage, the table reads. */
    CHECK_OK(lake__delta_snapshot_load(&t, 0, &s, &err), &err);
    CHECK_EQ_INT(s->version, 0);
    lake__delta_snapshot_free(s);
    s = NULL;

    t = table("gap");
    CHECK_STATUS(lake__delta_snapshot_load(&t, -1, &s, &err), LAKE_EIO, &err);
    CHECK_CONTAINS(err.message, "has no version 1");
    lake_error_clear(&err);
    lake__delta_commit_file *c;
    size_t n;
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    CHECK_STATUS(lake__delta_commits_since(&t, 0, arena, &c, &n, &err), LAKE_EIO, &err);
    CHECK_CONTAINS(err.message, "has no version 1");
    CHECK_OK(lake__delta_commits_since(&t, 1, arena, &c, &n, &err), &err);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(c[0].version, 2);
    lake__free(c);
    lake_arena_free(arena);

    t = table("appends");
    CHECK_STATUS(lake__delta_snapshot_load(&t, 3, &s, &err), LAKE_ENOTFOUND, &err);
    CHECK_CONTAINS(err.message, "has no version 3: its newest is 2");
    lake_error_clear(&err);
}

static void check_load_fails(const char *name, const char *log, const char *message) {
    lake__buf b = LAKE__BUF_INIT;
    char key[128];
    snprintf(key, sizeof key, "%s/_delta_log/00000000000000000000.json", name);
    lake__buf_puts(&b, log);
    put(key, &b);
    lake__buf_dispose(&b);
    lake_error err = LAKE_ERROR_INIT;
    lake__delta_table t = table(name);
    lake__delta_snapshot *s = NULL;
    CHECK_STATUS(lake__delta_snapshot_load(&t, -1, &s, &err), LAKE_EIO, &err);
    CHECK_CONTAINS(err.message, message);
    CHECK(!s);
}

static void refuses_logs_without_what_a_table_needs(void) {
    const char *proto = "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n";
    const char *meta = "{\"metaData\":{\"id\":\"x\",\"schemaString\":\"{\\\"type\\\":\\\"struct\\\","
                       "\\\"fields\\\":[]}\",\"partitionColumns\":[],\"configuration\":{}}}\n";
    const char *bad_schema = "{\"metaData\":{\"id\":\"x\",\"schemaString\":\"[]\"}}\n";
    const char *bad_path = "{\"add\":{\"path\":\"a%zz.parquet\",\"size\":1,\"partitionValues\":{},"
                           "\"modificationTime\":1,\"dataChange\":true}}\n";
    char log[1024];
    check_load_fails("no_protocol", meta, "version 0 has no protocol");
    check_load_fails("no_metadata", proto, "version 0 has no metaData");
    snprintf(log, sizeof log, "%s%s", proto, bad_schema);
    check_load_fails("bad_schema", log, "malformed Delta schemaString");
    snprintf(log, sizeof log, "%s%s%s", proto, meta, bad_path);
    check_load_fails("bad_path", log, "malformed path a%zz.parquet");
}

static void reads_no_table_as_version_minus_one(void) {
    lake__delta_snapshot *s = load("nothing", -1);
    CHECK_EQ_INT(s->version, -1);
    CHECK_EQ_INT(s->file_count, 0);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__delta_check_writable(s, &err), &err);
    lake__delta_snapshot_free(s);
}

static void lists_the_commits_a_writer_lost_to(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    lake__delta_table t = table("appends");
    lake__delta_commit_file *c;
    size_t n;
    CHECK_OK(lake__delta_commits_since(&t, 0, arena, &c, &n, &err), &err);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(c[0].version, 1);
    CHECK_EQ_INT(c[1].version, 2);
    CHECK_EQ_INT(c[1].txn_count, 2);
    CHECK_EQ_STR(c[0].operation, "WRITE");
    lake__free(c);
    CHECK_OK(lake__delta_commits_since(&t, 2, arena, &c, &n, &err), &err);
    CHECK_EQ_INT(n, 0);
    lake__free(c);
    lake_arena_free(arena);
}

/* A log lakeorm rendered: a remove and an add of one path in one commit keep
 * the file (as when its deletion vector changes); a later remove makes it a
 * tombstone. */
static void replays_a_log_lakeorm_wrote(void) {
    lake__buf b = LAKE__BUF_INIT;
    lake__delta_protocol p = {1, 2, NULL, NULL, 0, 0};
    lake__delta_metadata m = {"id-1", NULL, NULL,
                              "{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\",\"nullable\":true,"
                              "\"metadata\":{}}]}", NULL, 0, NULL, 0, 1};
    lake__delta_file f = {.path = "a%20b.parquet", .size = 10, .modification_time = 1, .deletion_timestamp = -1,
                          .data_change = true};
    lake__delta_lakeorm_info info = {"ing", NULL, NULL, "ours"};
    lake__delta_render_commit_info(&b, 1, "CREATE TABLE", NULL, -1, true, &info);
    lake__delta_render_protocol(&b, &p);
    lake__delta_render_metadata(&b, &m);
    lake__delta_render_add(&b, &f);
    put("ours/_delta_log/00000000000000000000.json", &b);
    b.len = 0;
    lake__delta_file g = f;
    g.path = "a b.parquet"; /* the same file, spelled otherwise: paths compare decoded */
    g.deletion_timestamp = 2;
    lake__delta_render_remove(&b, &g);
    f.size = 11;
    lake__delta_render_add(&b, &f);
    lake__delta_txn txn = {"app-a", 4, 2};
    lake__delta_render_txn(&b, &txn);
    put("ours/_delta_log/00000000000000000001.json", &b);
    b.len = 0;
    lake__delta_render_remove(&b, &f);
    put("ours/_delta_log/00000000000000000002.json", &b);
    CHECK(!b.failed);
    lake__buf_dispose(&b);

    lake__delta_snapshot *s = load("ours", 1);
    CHECK_EQ_INT(s->file_count, 1);
    CHECK_EQ_INT(s->files[0].size, 11);
    CHECK_EQ_INT(s->tombstone_count, 0);
    CHECK_EQ_INT(s->txn_count, 1);
    CHECK_EQ_INT(s->txns[0].version, 4);
    CHECK_EQ_INT(s->metadata.created_time, 1);
    lake__delta_snapshot_free(s);
    s = load("ours", -1);
    CHECK_EQ_INT(s->version, 2);
    CHECK_EQ_INT(s->file_count, 0);
    CHECK_EQ_INT(s->tombstone_count, 1);
    CHECK_EQ_STR(s->tombstones[0].path, "a%20b.parquet");
    lake__delta_snapshot_free(s);
}

typedef struct copy_ctx {
    lake_backend *to;
    int rc;
} copy_ctx;

static int copy_object(void *ctx, const char *key, uint64_t size) {
    (void)size;
    copy_ctx *c = ctx;
    char *data;
    size_t len;
    c->rc = lake_backend_get(store, key, &data, &len, NULL);
    if (!c->rc) c->rc = lake_backend_put_if_absent(c->to, key, data, len, NULL);
    if (!c->rc) lake_free(data);
    return c->rc;
}

/* A store the engine cannot read in place: checkpoints go through the cache folder. */
static void fetches_checkpoints_of_a_remote_store(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake_backend *memory;
    CHECK_OK(lake_backend_open(&memory, "memory://delta-snapshot", &err), &err);
    copy_ctx c = {memory, 0};
    CHECK_OK(lake_backend_list(store, "multipart/", copy_object, &c, &err), &err);
    char cache[] = "/tmp/lake-delta-cache-XXXXXX";
    CHECK(mkdtemp(cache));
    lake__delta remote = {.cfg = {.warehouse = memory, .engine = delta.cfg.engine, .cache_dir = cache}};
    lake__delta_table t = {.delta = &remote, .store = memory, .root = "multipart/", .name = "multipart"};
    lake__delta_snapshot *s = NULL;
    int rc = lake__delta_snapshot_load(&t, -1, &s, &err);
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf %s", cache);
    CHECK_EQ_INT(system(rm), 0);
    lake_backend_free(memory);
    CHECK_OK(rc, &err);
    CHECK_EQ_INT(s->checkpoint_version, 3);
    CHECK_EQ_INT(s->file_count, 5);
    lake__delta_snapshot_free(s);

    /* Without a cache folder the engine has no way to the checkpoint: an error, not a wrong table. */
    CHECK_OK(lake_backend_open(&memory, "memory://delta-snapshot-2", &err), &err);
    c.to = memory;
    CHECK_OK(lake_backend_list(store, "multipart/", copy_object, &c, &err), &err);
    remote.cfg.cache_dir = NULL;
    remote.cfg.warehouse = t.store = memory;
    rc = lake__delta_snapshot_load(&t, -1, &s, &err);
    lake_backend_free(memory);
    CHECK_STATUS(rc, LAKE_ENOTSUP, &err);
    CHECK_CONTAINS(err.message, "no cache folder");
}

typedef struct data_files {
    char keys[4][256];
    uint64_t sizes[4];
    size_t count;
} data_files;

static int on_data_file(void *ctx, const char *key, uint64_t size) {
    data_files *d = ctx;
    if (strstr(key, "/_delta_log/") || d->count == 4) return 0;
    snprintf(d->keys[d->count], sizeof d->keys[0], "%s", key);
    d->sizes[d->count++] = size;
    return 0;
}

static void copy_file(const char *from, const char *to) {
    lake_error err = LAKE_ERROR_INIT;
    char *data;
    size_t len;
    CHECK_OK(lake_backend_get(store, from, &data, &len, &err), &err);
    int rc = lake_backend_put_if_absent(store, to, data, len, &err);
    lake_free(data);
    CHECK_OK(rc, &err);
}

/* Every action lakeorm renders, in a log delta-rs then reads: data files in
 * a Hive-escaped folder with a space in their names, a remove, txns,
 * lakeorm's commitInfo. (No commit adds and removes one path: the protocol
 * forbids it without deletion vectors, and delta-rs then drops the file.) */
static void delta_rs_reads_a_log_lakeorm_wrote(void) {
    lake_error err = LAKE_ERROR_INIT;
    data_files d = {.count = 0};
    CHECK_OK(lake_backend_list(store, "appends/", on_data_file, &d, &err), &err);
    CHECK_EQ_INT(d.count, 3);
    const char *names[] = {"d=a%20b%3Ac/part 0.parquet", "d=a%20b%3Ac/part 1.parquet", "d=a%20b%3Ac/part 2.parquet",
                           "d=a%20b%3Ac/part 1 again.parquet"};
    lake__delta_file files[4];
    lake__buf encoded[4] = {LAKE__BUF_INIT, LAKE__BUF_INIT, LAKE__BUF_INIT, LAKE__BUF_INIT};
    for (size_t i = 0; i < 4; i++) {
        char key[512];
        snprintf(key, sizeof key, "rendered/%s", names[i]);
        copy_file(d.keys[i == 3 ? 1 : i], key);
        CHECK_EQ_INT(lake__delta_path_encode(&encoded[i], names[i]), 0);
        files[i] = (lake__delta_file){.path = encoded[i].data, .size = (int64_t)d.sizes[i == 3 ? 1 : i],
                                      .modification_time = 1700000000000, .deletion_timestamp = 1700000001000,
                                      .data_change = true};
    }
    lake__delta_snapshot *appends = load("appends", -1);
    lake__buf b = LAKE__BUF_INIT;
    lake__delta_lakeorm_info info = {"ingest-1", "key-1", "fp-1", "rendered"};
    lake__delta_render_commit_info(&b, 1700000000000, "WRITE", "{\"mode\":\"Append\"}", -1, true, &info);
    lake__delta_render_protocol(&b, &appends->protocol);
    lake__delta_metadata m = appends->metadata;
    m.id = "0b8f0d9e-2f4e-4c61-9a3f-5d1f6c7e8a90";
    lake__delta_render_metadata(&b, &m);
    for (size_t i = 0; i < 3; i++) lake__delta_render_add(&b, &files[i]);
    lake__delta_txn txn = {"app-a", 1, 1700000000000};
    lake__delta_render_txn(&b, &txn);
    put("rendered/_delta_log/00000000000000000000.json", &b);
    lake__delta_snapshot_free(appends);

    b.len = 0;
    lake__delta_render_commit_info(&b, 1700000001000, "WRITE", NULL, 0, true, &info);
    lake__delta_render_add(&b, &files[3]);
    txn = (lake__delta_txn){"app-a", 2, 1700000001000};
    lake__delta_render_txn(&b, &txn);
    txn = (lake__delta_txn){"app-b", 5, -1};
    lake__delta_render_txn(&b, &txn);
    put("rendered/_delta_log/00000000000000000001.json", &b);

    b.len = 0;
    lake__delta_render_commit_info(&b, 1700000002000, "MERGE", NULL, 1, false, NULL);
    lake__delta_render_remove(&b, &files[1]);
    put("rendered/_delta_log/00000000000000000002.json", &b);
    CHECK(!b.failed);
    lake__buf_dispose(&b);
    for (size_t i = 0; i < 4; i++) lake__buf_dispose(&encoded[i]);

    char path[128];
    snprintf(path, sizeof path, "%s/rendered", root);
    char *got = run_python("log_read_table.py", path);
    CHECK(got);
    const char *want = "version 2\nrows 7\nfile d=a%20b%3Ac/part 0.parquet\nfile d=a%20b%3Ac/part 1 again.parquet\n"
                       "file d=a%20b%3Ac/part 2.parquet\ntxn app-a 2\ntxn app-b 5\n";
    if (strcmp(got, want)) fprintf(stderr, "  delta-rs read:\n%s", got);
    bool same = !strcmp(got, want);
    lake__free(got);
    CHECK(same);

    lake__buf ours = LAKE__BUF_INIT;
    describe(&ours, "rendered", -1);
    CHECK_EQ_STR(ours.data, "table rendered -1\nversion 2\nfile d=a%20b%3Ac/part 0.parquet\n"
                            "file d=a%20b%3Ac/part 1 again.parquet\nfile d=a%20b%3Ac/part 2.parquet\n"
                            "txn app-a 2\ntxn app-b 5\n");
    lake__buf_dispose(&ours);
}

static lake__delta_snapshot with_protocol(int reader, int writer, const char **rf, size_t rn, const char **wf,
                                          size_t wn, lake__delta_pair *conf, size_t cn, const char *schema) {
    lake__delta_snapshot s = {.version = 3};
    s.protocol = (lake__delta_protocol){reader, writer, rf, wf, rn, wn};
    s.metadata.configuration = conf;
    s.metadata.configuration_count = cn;
    s.metadata.schema_string = schema ? schema : "{\"type\":\"struct\",\"fields\":[]}";
    return s;
}

static void check_refused(lake__delta_snapshot s, const char *feature) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake__delta_check_writable(&s, &err), LAKE_ENOTSUP, &err);
    CHECK_CONTAINS(err.message, feature);
}

static void check_allowed(lake__delta_snapshot s) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__delta_check_writable(&s, &err), &err);
}

static void writes_only_tables_it_understands(void) {
    const char *dv[] = {"deletionVectors"}, *ntz[] = {"timestampNtz"}, *cm[] = {"columnMapping"};
    const char *plain[] = {"appendOnly", "invariants", "checkConstraints", "timestampNtz"};
    const char *rows[] = {"appendOnly", "rowTracking", "domainMetadata"};
    const char *v2[] = {"v2Checkpoint"}, *widen[] = {"typeWidening"};
    lake__delta_pair append_only[] = {{"delta.appendOnly", "true"}};
    lake__delta_pair constraint[] = {{"delta.constraints.positive", "a > 0"}};
    lake__delta_pair cdf[] = {{"delta.enableChangeDataFeed", "true"}};
    lake__delta_pair names[] = {{"delta.columnMapping.mode", "name"}};
    lake__delta_pair no_mapping[] = {{"delta.columnMapping.mode", "none"}};
    const char *invariant = "{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\",\"nullable\":true,"
                            "\"metadata\":{\"delta.invariants\":\"{\\\"expression\\\":{\\\"expression\\\":\\\"a>0\\\"}}\"}}]}";
    const char *generated = "{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\",\"nullable\":true,"
                            "\"metadata\":{\"delta.generationExpression\":\"1\"}}]}";
    const char *identity = "{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\",\"nullable\":true,"
                           "\"metadata\":{\"delta.identity.start\":1}}]}";

    check_allowed(with_protocol(1, 2, NULL, 0, NULL, 0, append_only, 1, NULL));
    check_allowed(with_protocol(1, 7, NULL, 0, plain, 4, NULL, 0, NULL));
    check_allowed(with_protocol(3, 7, ntz, 1, ntz, 1, NULL, 0, NULL));
    check_allowed(with_protocol(1, 4, NULL, 0, NULL, 0, NULL, 0, NULL));
    check_allowed(with_protocol(2, 5, NULL, 0, NULL, 0, no_mapping, 1, NULL));
    check_allowed(with_protocol(1, 7, NULL, 0, cm, 1, no_mapping, 1, NULL));
    check_refused(with_protocol(3, 7, dv, 1, dv, 1, NULL, 0, NULL), "deletionVectors");
    check_refused(with_protocol(1, 7, NULL, 0, rows, 3, NULL, 0, NULL), "rowTracking");
    check_refused(with_protocol(3, 7, v2, 1, v2, 1, NULL, 0, NULL), "v2Checkpoint");
    check_refused(with_protocol(1, 7, NULL, 0, widen, 1, NULL, 0, NULL), "typeWidening");
    check_refused(with_protocol(1, 7, NULL, 0, plain, 4, NULL, 0, invariant), "invariants");
    check_refused(with_protocol(1, 7, NULL, 0, plain, 4, constraint, 1, NULL), "checkConstraints");
    check_refused(with_protocol(1, 2, NULL, 0, NULL, 0, NULL, 0, invariant), "invariants");
    check_refused(with_protocol(1, 3, NULL, 0, NULL, 0, constraint, 1, NULL), "checkConstraints");
    check_refused(with_protocol(1, 4, NULL, 0, NULL, 0, cdf, 1, NULL), "changeDataFeed");
    check_refused(with_protocol(1, 4, NULL, 0, NULL, 0, NULL, 0, generated), "generatedColumns");
    check_refused(with_protocol(2, 5, NULL, 0, NULL, 0, names, 1, NULL), "columnMapping");
    check_refused(with_protocol(3, 7, cm, 1, cm, 1, names, 1, NULL), "columnMapping");
    check_refused(with_protocol(1, 6, NULL, 0, NULL, 0, NULL, 0, identity), "identityColumns");
    check_refused(with_protocol(4, 7, NULL, 0, NULL, 0, NULL, 0, NULL), "readers of version 4");
    check_refused(with_protocol(1, 8, NULL, 0, NULL, 0, NULL, 0, NULL), "writers of version 8");
}

int main(void) {
    if (!mkdtemp(root)) return 1;
    expected = run_python("log_make_tables.py", root);
    char url[128];
    snprintf(url, sizeof url, "file://%s", root);
    lake_error err = LAKE_ERROR_INIT;
    if (!expected || lake_backend_open(&store, url, &err)) {
        fprintf(stderr, "setup failed: %s\n", err.message);
        return 1;
    }
    delta.cfg.warehouse = store;
    LAKE_RUN(open_engine);
    LAKE_RUN(reads_tables_as_delta_rs_does);
    LAKE_RUN(starts_from_the_newest_checkpoint);
    LAKE_RUN(replays_past_a_broken_checkpoint);
    LAKE_RUN(keeps_metadata_tombstones_and_partition_values);
    LAKE_RUN(names_the_version_of_a_broken_log);
    LAKE_RUN(reads_no_table_as_version_minus_one);
    LAKE_RUN(refuses_logs_without_what_a_table_needs);
    LAKE_RUN(lists_the_commits_a_writer_lost_to);
    LAKE_RUN(replays_a_log_lakeorm_wrote);
    LAKE_RUN(fetches_checkpoints_of_a_remote_store);
    LAKE_RUN(delta_rs_reads_a_log_lakeorm_wrote);
    LAKE_RUN(writes_only_tables_it_understands);
    if (delta.cfg.engine.ops) delta.cfg.engine.ops->close(delta.cfg.engine.impl);
    lake_backend_free(store);
    lake__free(expected);
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf %s", root);
    if (system(rm)) return 1;
    return lake_test_summary();
}
