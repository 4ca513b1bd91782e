/* SPDX-License-Identifier: MIT */
/* Delta data files (formats/delta/files.c): Hive-style partition folders
 * and values, one writer per partition with a bound on those open, files
 * rolled at the size target, deletion of a request's files, and what
 * pyarrow reads in them (tests/delta/files_check.py). */
#include <dirent.h>
#include <sys/stat.h>

#include "files_fixture.h"

typedef struct ev {
    int64_t id;
    lake_str region;
    lake_opt_ts at;
    lake_uuid uid;
    lake_opt_f64 score;
} ev;

static const lake_field ev_fields[] = {
    LAKE_FIELD(ev, id, "id", ""),
    LAKE_FIELD(ev, region, "region,nullable", ""),
    LAKE_FIELD(ev, at, "at", ""),
    LAKE_FIELD(ev, uid, "uid", ""),
    LAKE_FIELD(ev, score, "score", ""),
};
static const lake_model ev_model = LAKE_MODEL(ev, "events", ev_fields);

static const lake_schema *ev_schema(void) {
    const lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &ev_model, &err), &err);
    return s;
}

static const char *parts[] = {"region", "at"};

static lake__delta_files_spec spec_of(const lake_schema *s, size_t partitions) {
    lake__delta_files_spec spec = {s, parts, partitions, "ing-1", "ing-1", LAKE_CODEC_ZSTD, 0, 0, 0};
    return spec;
}

static ev event(int64_t id, const char *region, int64_t at_us, bool has_at) {
    ev e = {.id = id, .region = {region, region ? strlen(region) : 0}, .at = {{at_us}, has_at}};
    for (int i = 0; i < 16; i++) e.uid.b[i] = (uint8_t)(id * 16 + i);
    e.score = (lake_opt_f64){(double)id / 2, id % 3 != 0};
    return e;
}

static const lake__delta_written *find_dir(const lake__delta_written *w, size_t n, const char *dir) {
    for (size_t i = 0; i < n; i++)
        if (strncmp(w[i].path, dir, strlen(dir)) == 0 && !strchr(w[i].path + strlen(dir), '/')) return &w[i];
    return NULL;
}

static void partition_folders_escape_values_as_hive_does(void) {
    fixture fx;
    fixture_open(&fx);
    const int64_t at = 1704164645123456; /* 2024-01-02T03:04:05.123456Z */
    ev rows[] = {
        event(1, "a/b=c:d", at, true), event(2, "", at, true), event(3, NULL, at, true),
        event(4, "plain", 0, false), event(5, "a/b=c:d", at, true), event(6, "50% {x}", at, true),
    };
    lake_error err = LAKE_ERROR_INIT;
    lake__delta_files_spec spec = spec_of(ev_schema(), 2);
    lake__delta_files *f;
    CHECK_OK(lake__delta_files_open(&fx.table, &spec, &f, &err), &err);
    CHECK_OK(lake__delta_files_add(f, rows, 6, &err), &err);
    const lake__delta_written *w;
    size_t n;
    CHECK_OK(lake__delta_files_close(f, &w, &n, &err), &err);
    CHECK_EQ_INT(n, 4);

    const lake__delta_written *x = find_dir(w, n, "region=a%2Fb%3Dc%3Ad/at=2024-01-02 03%3A04%3A05.123456/");
    CHECK(x != NULL);
    CHECK_EQ_INT(x->rows, 2);
    CHECK_EQ_INT(x->partition_count, 2);
    CHECK_EQ_STR(x->partition_values[0].key, "region");
    CHECK_EQ_STR(x->partition_values[0].value, "a/b=c:d");
    CHECK_EQ_STR(x->partition_values[1].key, "at");
    CHECK_EQ_STR(x->partition_values[1].value, "2024-01-02 03:04:05.123456");
    CHECK_CONTAINS(x->path, "/part-");
    CHECK_CONTAINS(x->path, "-ing-1.c000.zstd.parquet");
    CHECK_CONTAINS(x->stats, "\"numRecords\":2,");

    /* "" and NULL are one partition: the protocol reads an empty value as null. */
    x = find_dir(w, n, "region=__HIVE_DEFAULT_PARTITION__/at=2024-01-02 03%3A04%3A05.123456/");
    CHECK(x != NULL);
    CHECK_EQ_INT(x->rows, 2);
    CHECK(x->partition_values[0].value == NULL);

    x = find_dir(w, n, "region=plain/at=__HIVE_DEFAULT_PARTITION__/");
    CHECK(x != NULL);
    CHECK(x->partition_values[1].value == NULL);

    x = find_dir(w, n, "region=50%25 %7Bx}/at=2024-01-02 03%3A04%3A05.123456/");
    CHECK(x != NULL);
    CHECK_EQ_STR(x->partition_values[0].value, "50% {x}");

    for (size_t i = 0; i < n; i++) {
        CHECK(w[i].size > 0);
        CHECK(w[i].modification_time > 1700000000000);
        char path[1024];
        snprintf(path, sizeof path, "%s/t/%s", fx.dir, w[i].path);
        struct stat st;
        CHECK_EQ_INT(stat(path, &st), 0);
        CHECK_EQ_INT(st.st_size, w[i].size);
    }
    fixture_manifest(&fx, w, n);
    CHECK_EQ_INT(fixture_python(&fx, "files_check.py", "layout"), 0);
    lake__delta_files_free(f, false);
    fixture_close(&fx);
}

/* Records of a partition keep their order across batches and files. */
static void files_roll_past_the_size_target(void) {
    fixture fx;
    fixture_open(&fx);
    enum { N = 20000 };
    ev *rows = calloc(N, sizeof *rows);
    for (int i = 0; i < N; i++) rows[i] = event(i, i % 2 ? "odd" : "even", 0, true);
    lake_error err = LAKE_ERROR_INIT;
    lake__delta_files_spec spec = spec_of(ev_schema(), 1);
    spec.row_group_bytes = 4 << 10;
    spec.file_bytes = 8 << 10;
    lake__delta_files *f;
    CHECK_OK(lake__delta_files_open(&fx.table, &spec, &f, &err), &err);
    CHECK_OK(lake__delta_files_add(f, rows, N / 2, &err), &err);
    CHECK(lake__delta_files_bytes(f) > 0);
    CHECK_OK(lake__delta_files_add(f, rows + N / 2, N / 2, &err), &err);
    const lake__delta_written *w;
    size_t n;
    CHECK_OK(lake__delta_files_close(f, &w, &n, &err), &err);
    CHECK(n > 4);
    uint64_t total = 0, bytes = 0;
    for (size_t i = 0; i < n; i++) total += w[i].rows, bytes += (uint64_t)w[i].size;
    CHECK_EQ_INT(total, N);
    CHECK_EQ_INT(lake__delta_files_bytes(f), bytes);
    fixture_manifest(&fx, w, n);
    CHECK_EQ_INT(fixture_python(&fx, "files_check.py", "rolled"), 0);
    lake__delta_files_free(f, false);
    free(rows);
    fixture_close(&fx);
}

static size_t count_files(const char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "find %s -name '*.parquet' 2>/dev/null | wc -l", dir);
    FILE *p = popen(cmd, "r");
    size_t n = 0;
    if (p && fscanf(p, "%zu", &n) != 1) n = (size_t)-1;
    if (p) pclose(p);
    return n;
}

/* More partitions than writers may stay open: the least recently used
 * ones finish, and every row lands once. */
static void many_partitions_keep_few_writers_open(void) {
    fixture fx;
    fixture_open(&fx);
    enum { N = 1000, P = 150 };
    static char names[P][8];
    ev *rows = calloc(N, sizeof *rows);
    for (int i = 0; i < P; i++) snprintf(names[i], sizeof names[i], "r%03d", i);
    for (int i = 0; i < N; i++) rows[i] = event(i, names[i % P], 0, true);
    lake_error err = LAKE_ERROR_INIT;
    lake__delta_files_spec spec = spec_of(ev_schema(), 1);
    lake__delta_files *f;
    CHECK_OK(lake__delta_files_open(&fx.table, &spec, &f, &err), &err);
    /* One batch: each partition's group is written whole, one file each. */
    CHECK_OK(lake__delta_files_add(f, rows, N, &err), &err);
    /* The last 64 partitions are still open: their files take more rows... */
    CHECK_OK(lake__delta_files_add(f, rows + P - 10, 10, &err), &err);
    /* ...and the first one's finished: it starts a second file. */
    CHECK_OK(lake__delta_files_add(f, rows, 1, &err), &err);
    const lake__delta_written *w;
    size_t n;
    CHECK_OK(lake__delta_files_close(f, &w, &n, &err), &err);
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) total += w[i].rows;
    CHECK_EQ_INT(total, N + 11);
    CHECK_EQ_INT(n, P + 1);
    char root[300];
    fixture_path(&fx, root, sizeof root);
    CHECK_EQ_INT(count_files(root), n);
    lake__delta_files_free(f, true); /* not committed: every file goes */
    CHECK_EQ_INT(count_files(root), 0);
    free(rows);
    fixture_close(&fx);
}

/* A failed request's files go, open ones included. */
static void freeing_deletes_files_written_and_open(void) {
    fixture fx;
    fixture_open(&fx);
    ev rows[] = {event(1, "a", 0, true), event(2, "b", 0, true)};
    lake_error err = LAKE_ERROR_INIT;
    lake__delta_files_spec spec = spec_of(ev_schema(), 1);
    spec.file_bytes = 1; /* every append finishes its file */
    lake__delta_files *f;
    CHECK_OK(lake__delta_files_open(&fx.table, &spec, &f, &err), &err);
    CHECK_OK(lake__delta_files_add(f, rows, 2, &err), &err);
    spec.file_bytes = 0;
    char root[300];
    fixture_path(&fx, root, sizeof root);
    CHECK_EQ_INT(count_files(root), 2);
    lake__delta_files_free(f, true);
    CHECK_EQ_INT(count_files(root), 0);

    CHECK_OK(lake__delta_files_open(&fx.table, &spec, &f, &err), &err);
    CHECK_OK(lake__delta_files_add(f, rows, 2, &err), &err);
    lake__delta_files_free(f, true); /* still open: aborted, nothing stored */
    CHECK_EQ_INT(count_files(root), 0);
    fixture_close(&fx);
}

static void refuses_partitions_it_cannot_write(void) {
    fixture fx;
    fixture_open(&fx);
    lake_error err = LAKE_ERROR_INIT;
    const char *bad[] = {"nope"};
    lake__delta_files_spec spec = spec_of(ev_schema(), 1);
    spec.partition_columns = bad;
    lake__delta_files *f = NULL;
    CHECK_STATUS(lake__delta_files_open(&fx.table, &spec, &f, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "\"nope\"");
    CHECK(f == NULL);
    fixture_close(&fx);
}

/* Rows rewritten by a merge keep their own ingest ids: the schema carries
 * _ingest_id and no stamp is asked for. */
typedef struct kept {
    int64_t id;
    lake_str ingest;
} kept;
static const lake_field kept_fields[] = {
    LAKE_FIELD(kept, id, "id", ""),
    LAKE_FIELD(kept, ingest, "_ingest_id,nullable", ""),
};
static const lake_model kept_model = LAKE_MODEL(kept, "kept", kept_fields);

static void rows_can_carry_their_own_ingest_ids(void) {
    fixture fx;
    fixture_open(&fx);
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &kept_model, &err), &err);
    kept rows[] = {{1, {"first", 5}}, {2, {"second", 6}}, {3, {NULL, 0}}};
    lake__delta_files_spec spec = {s, NULL, 0, NULL, "merge-7", LAKE_CODEC_SNAPPY, 0, 0, 0};
    lake__delta_files *f;
    CHECK_OK(lake__delta_files_open(&fx.table, &spec, &f, &err), &err);
    CHECK_OK(lake__delta_files_add(f, rows, 3, &err), &err);
    const lake__delta_written *w;
    size_t n;
    CHECK_OK(lake__delta_files_close(f, &w, &n, &err), &err);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_STR(w[0].path, "part-00001-merge-7.c000.snappy.parquet");
    CHECK_CONTAINS(w[0].stats, "\"minValues\":{\"id\":1,\"_ingest_id\":\"first\"}");
    CHECK_CONTAINS(w[0].stats, "\"nullCount\":{\"id\":0,\"_ingest_id\":1}");
    fixture_manifest(&fx, w, n);
    CHECK_EQ_INT(fixture_python(&fx, "files_check.py", "own_ingest"), 0);
    lake__delta_files_free(f, false);
    fixture_close(&fx);
}

/* An allocator that fails its n-th call (0: none). */
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

/* Every allocation failing in turn: the request fails with an error, or
 * writes exactly what it writes with memory to spare, and freeing it leaves
 * no file behind. (One failure goes unreported, harmlessly:
 * lake_schema_to_json, schema/schema_file.c, drops a column's tag when it
 * cannot grow a buffer, and only the footer's lakeorm.schema shows it.) */
static void every_allocation_failure_is_reported_and_cleaned_up(void) {
    fixture fx;
    fixture_open(&fx);
    const lake_schema *s = ev_schema();
    ev rows[] = {event(1, "a", 0, true), event(2, "b", 5, true), event(3, "a", 0, false)};
    char root[300];
    fixture_path(&fx, root, sizeof root);
    lake_allocator failing = {failing_malloc, failing_realloc, plain_free, NULL};
    char want[3][2][600]; /* each file's path and stats with memory to spare */
    bool done = false;
    for (fail_at = 0; !done && fail_at < 5000; fail_at++) {
        lake__delta_files_spec spec = spec_of(s, 2);
        lake__delta_files *f = NULL;
        const lake__delta_written *w;
        size_t n = 0;
        lake_error err = LAKE_ERROR_INIT;
        calls = 0;
        lake_set_allocator(&failing);
        int rc = lake__delta_files_open(&fx.table, &spec, &f, &err);
        if (!rc) rc = lake__delta_files_add(f, rows, 3, &err);
        if (!rc) rc = lake__delta_files_close(f, &w, &n, &err);
        lake_set_allocator(NULL);
        done = fail_at && calls < fail_at;
        if (!fail_at || done) CHECK_OK(rc, &err);
        if (rc == LAKE_OK) {
            CHECK_EQ_INT(n, 3);
            for (size_t i = 0; i < n; i++) {
                if (!fail_at) {
                    snprintf(want[i][0], sizeof want[i][0], "%s", w[i].path);
                    snprintf(want[i][1], sizeof want[i][1], "%s", w[i].stats);
                }
                CHECK_EQ_STR(w[i].path, want[i][0]);
                CHECK_EQ_STR(w[i].stats, want[i][1]);
            }
        }
        lake__delta_files_free(f, true);
        lake_error_clear(&err);
        CHECK_EQ_INT(count_files(root), 0);
    }
    CHECK(done);
    fixture_close(&fx);
}

int main(void) {
    LAKE_RUN(partition_folders_escape_values_as_hive_does);
    LAKE_RUN(files_roll_past_the_size_target);
    LAKE_RUN(many_partitions_keep_few_writers_open);
    LAKE_RUN(freeing_deletes_files_written_and_open);
    LAKE_RUN(refuses_partitions_it_cannot_write);
    LAKE_RUN(rows_can_carry_their_own_ingest_ids);
    LAKE_RUN(every_allocation_failure_is_reported_and_cleaned_up);
    return lake_test_summary();
}
