/* SPDX-License-Identifier: MIT */
/* Delta vacuum: of a table with files removed long ago and lately, live
 * files, orphans lakeorm wrote (old and fresh, by the UUIDv7 in their
 * names), an orphan another engine wrote and hidden files, exactly the
 * expired ones go, on file:// and on S3; a dry run deletes nothing; the
 * table still reads whole in deltalake. Uploads of writers killed half-way
 * go by the same rule. */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>

#include "backends/backend.h"
#include "commit_fixture.h"

#define DAY_MS (86400LL * 1000)
#define RETAIN_US (7 * DAY_MS * 1000)

static char data_dir[128];

/* The table's files, by role: removed long ago, removed lately, live, orphans. */
enum { OLD_REMOVED, FOREIGN_OLD_REMOVED, FRESH_REMOVED, FOREIGN_REMOVED_UNDATED, LIVE_OLD, LIVE_ESCAPED, READDED,
       OLD_ORPHAN, FRESH_ORPHAN, FOREIGN_ORPHAN, HIDDEN_CHANGES, HIDDEN_CHECKSUM, FILES };

typedef struct table {
    fixture f;
    char names[FILES][128]; /* relative to the table, as stored (not encoded) */
    int64_t sizes[FILES];
} table;

static lake__delta_file add_of(const table *t, int i, const char *path) {
    return (lake__delta_file){.path = path, .size = t->sizes[i], .modification_time = fixture_now_ms(),
                              .deletion_timestamp = -1, .data_change = true};
}

static lake__delta_file remove_of(const table *t, int i, int64_t when_ms) {
    return (lake__delta_file){.path = t->names[i], .size = t->sizes[i], .deletion_timestamp = when_ms,
                              .data_change = true};
}

static void put_orphan(table *t, int i) {
    char key[256];
    snprintf(key, sizeof key, "orders/%s", t->names[i]);
    t->sizes[i] = 3;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_put_if_absent(t->f.store, key, "xyz", 3, &err), &err);
}

static void build(table *t, const char *endpoint) {
    int64_t now = fixture_now_ms(), old = now - 10 * DAY_MS, fresh = now - 3600 * 1000;
    CHECK_OK(fixture_open(&t->f, endpoint), NULL);
    CHECK_OK(fixture_create(&t->f), NULL);
    char n[80];
    fixture_name_at(old, n), snprintf(t->names[OLD_REMOVED], 128, "%s", n);
    snprintf(t->names[FOREIGN_OLD_REMOVED], 128, "part-00000-3f2504e0-4f89-41d3-9a0c-0305e82c3301-c000.snappy.parquet");
    fixture_name_at(old, n), snprintf(t->names[FRESH_REMOVED], 128, "%s", n);
    snprintf(t->names[FOREIGN_REMOVED_UNDATED], 128, "part-00001-3f2504e0-4f89-41d3-9a0c-0305e82c3302-c000.snappy.parquet");
    fixture_name_at(old, n), snprintf(t->names[LIVE_OLD], 128, "%s", n);
    fixture_name_at(old, n), snprintf(t->names[LIVE_ESCAPED], 128, "city=S\xC3\xA3o Paulo/%s", n);
    fixture_name_at(old, n), snprintf(t->names[READDED], 128, "%s", n);
    fixture_name_at(old, n), snprintf(t->names[OLD_ORPHAN], 128, "%s", n);
    fixture_name_at(fresh, n), snprintf(t->names[FRESH_ORPHAN], 128, "%s", n);
    snprintf(t->names[FOREIGN_ORPHAN], 128, "orphan.parquet");
    fixture_name_at(old, n), snprintf(t->names[HIDDEN_CHANGES], 128, "_change_data/%s", n);
    fixture_name_at(old, n), snprintf(t->names[HIDDEN_CHECKSUM], 128, ".%s.crc", n);

    /* Version 1 adds every committed file (row id = its role), version 2
     * removes four, version 3 adds one back. */
    lake__delta_file adds[READDED + 1];
    lake__buf escaped = LAKE__BUF_INIT;
    CHECK_EQ_INT(lake__delta_path_encode(&escaped, t->names[LIVE_ESCAPED]), 0);
    CHECK(strchr(escaped.data, '%') != NULL);
    for (int i = 0; i <= READDED; i++) {
        CHECK_OK(fixture_put_data(&t->f, data_dir, i, t->names[i], &t->sizes[i]), NULL);
        adds[i] = add_of(t, i, i == LIVE_ESCAPED ? escaped.data : t->names[i]);
    }
    int64_t v;
    lake_error err = LAKE_ERROR_INIT;
    change c1 = {0, adds, NULL, READDED + 1, 0, NULL};
    CHECK_OK(fixture_commit(&t->f, &c1, &v, &err), &err);
    lake__delta_file removes[] = {remove_of(t, OLD_REMOVED, old), remove_of(t, FOREIGN_OLD_REMOVED, old),
                                  remove_of(t, FRESH_REMOVED, fresh), remove_of(t, FOREIGN_REMOVED_UNDATED, -1),
                                  remove_of(t, READDED, old)};
    change c2 = {1, NULL, removes, 0, sizeof removes / sizeof *removes, NULL};
    CHECK_OK(fixture_commit(&t->f, &c2, &v, &err), &err);
    change c3 = {2, &adds[READDED], NULL, 1, 0, NULL};
    CHECK_OK(fixture_commit(&t->f, &c3, &v, &err), &err);
    CHECK_EQ_INT(v, 3);
    lake__buf_dispose(&escaped);
    for (int i = OLD_ORPHAN; i < FILES; i++) put_orphan(t, i);
}

static bool present(const table *t, int i) {
    char key[256];
    snprintf(key, sizeof key, "orders/%s", t->names[i]);
    char *data = NULL;
    size_t len;
    int rc = lake_backend_get(t->f.store, key, &data, &len, NULL);
    lake_free(data);
    return rc == LAKE_OK;
}

typedef struct heard {
    char keys[FILES][160];
    size_t count;
    int stop_with; /* 0: never stops */
} heard;

static int hear(void *ctx, const char *key, uint64_t size) {
    (void)size;
    heard *h = ctx;
    if (h->count < FILES) snprintf(h->keys[h->count++], 160, "%s", key);
    return h->stop_with;
}

static bool was_heard(const heard *h, const table *t, int i) {
    char key[256];
    snprintf(key, sizeof key, "orders/%s", t->names[i]);
    for (size_t j = 0; j < h->count; j++)
        if (!strcmp(h->keys[j], key)) return true;
    return false;
}

static const int expired[] = {OLD_REMOVED, FOREIGN_OLD_REMOVED, OLD_ORPHAN};

static bool is_expired(int i) {
    for (size_t j = 0; j < sizeof expired / sizeof *expired; j++)
        if (expired[j] == i) return true;
    return false;
}

static void vacuum_on(const char *endpoint) {
    table t = {0};
    build(&t, endpoint);
    uint64_t files = 0, bytes = 0, expected_bytes = 0;
    for (size_t j = 0; j < sizeof expired / sizeof *expired; j++) expected_bytes += (uint64_t)t.sizes[expired[j]];
    lake_error err = LAKE_ERROR_INIT;

    heard dry = {0};
    CHECK_OK(lake__delta_vacuum(&t.f.t, RETAIN_US, true, hear, &dry, &files, &bytes, &err), &err);
    CHECK_EQ_INT(files, 3);
    CHECK_EQ_INT(bytes, expected_bytes);
    CHECK_EQ_INT(dry.count, 3);
    for (int i = 0; i < FILES; i++) {
        CHECK(present(&t, i));
        if (was_heard(&dry, &t, i) != is_expired(i)) LAKE_FAIL_AT("dry run: %s reported wrongly", t.names[i]);
    }

    heard real = {0};
    CHECK_OK(lake__delta_vacuum(&t.f.t, RETAIN_US, false, hear, &real, &files, &bytes, &err), &err);
    CHECK_EQ_INT(files, 3);
    CHECK_EQ_INT(bytes, expected_bytes);
    for (int i = 0; i < FILES; i++)
        if (present(&t, i) == is_expired(i) || was_heard(&real, &t, i) != is_expired(i))
            LAKE_FAIL_AT("%s %s after vacuum", t.names[i], present(&t, i) ? "present" : "gone");
    /* The log is never touched. */
    char *first = NULL;
    size_t len;
    CHECK_OK(lake_backend_get(t.f.store, "orders/_delta_log/00000000000000000000.json", &first, &len, &err), &err);
    lake_free(first);

    /* Nothing left to delete; the live rows all read. */
    CHECK_OK(lake__delta_vacuum(&t.f.t, RETAIN_US, false, NULL, NULL, &files, &bytes, &err), &err);
    CHECK_EQ_INT(files, 0);
    int live[] = {LIVE_OLD, LIVE_ESCAPED, READDED};
    CHECK(fixture_reads(&t.f, live, 3));
    lake_error_clear(&err);
    fixture_close(&t.f);
}

static void only_expired_files_go_on_file(void) { vacuum_on(NULL); }

static void only_expired_files_go_on_s3(void) {
    const char *endpoint = fixture_s3();
    if (endpoint) vacuum_on(endpoint);
}

static void the_callback_stops_it_before_a_deletion(void) {
    table t = {0};
    build(&t, NULL);
    heard stop = {.stop_with = 42};
    uint64_t files = 0, bytes = 0;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake__delta_vacuum(&t.f.t, RETAIN_US, false, hear, &stop, &files, &bytes, &err), 42, &err);
    CHECK_EQ_INT(stop.count, 1);
    CHECK_EQ_INT(files, 0);
    for (int i = 0; i < FILES; i++) CHECK(present(&t, i));
    lake_error_clear(&err);
    fixture_close(&t.f);
}

typedef struct kept_log {
    size_t events;
    char key[160];
} kept_log;

static void note_kept(void *ctx, lake_log_level level, const char *event, const lake_log_field *fields,
                      size_t count) {
    kept_log *k = ctx;
    if (level != LAKE_LOG_INFO || strcmp(event, "delta.vacuum.kept_unknown_age")) return;
    k->events++;
    for (size_t i = 0; i < count; i++)
        if (!strcmp(fields[i].key, "key")) snprintf(k->key, sizeof k->key, "%s", fields[i].value);
}

/* A retention of zero still keeps what the table reads, what its name or
 * remove does not date, and hidden files. */
static void no_retention_keeps_the_undated(void) {
    table t = {0};
    build(&t, NULL);
    kept_log said = {0};
    t.f.delta.cfg.log = note_kept, t.f.delta.cfg.log_ctx = &said, t.f.delta.cfg.log_level = LAKE_LOG_INFO;
    uint64_t files = 0, bytes = 0;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__delta_vacuum(&t.f.t, 0, false, NULL, NULL, &files, &bytes, &err), &err);
    CHECK_EQ_INT(files, 5); /* the expired ones, the fresh removal, the fresh orphan */
    /* The orphan of unknown age is kept, and said so. */
    CHECK_EQ_INT(said.events, 1);
    CHECK_EQ_STR(said.key, "orders/orphan.parquet");
    CHECK(!present(&t, FRESH_REMOVED) && !present(&t, FRESH_ORPHAN));
    int kept[] = {FOREIGN_REMOVED_UNDATED, LIVE_OLD, LIVE_ESCAPED, READDED, FOREIGN_ORPHAN, HIDDEN_CHANGES,
                  HIDDEN_CHECKSUM};
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
        if (!present(&t, kept[i])) LAKE_FAIL_AT("%s was deleted", t.names[kept[i]]);
    lake_error_clear(&err);
    fixture_close(&t.f);
}

typedef struct appender {
    fixture *f;
    atomic_bool done;
    int failed;
} appender;

/* Uploads each data file, pauses (a request still writing), then commits it. */
static void *append_slowly(void *arg) {
    appender *a = arg;
    int64_t version = 0;
    for (int i = 0; i <= READDED && !a->failed; i++) {
        char name[80];
        fixture_name_at(fixture_now_ms(), name);
        lake__delta_file add = {.path = name, .modification_time = fixture_now_ms(), .deletion_timestamp = -1,
                                .data_change = true};
        a->failed = fixture_put_data(a->f, data_dir, i, name, &add.size);
        struct timespec pause = {0, 20 * 1000000};
        nanosleep(&pause, NULL);
        change c = {version, &add, NULL, 1, 0, NULL};
        lake_error err = LAKE_ERROR_INIT;
        if (!a->failed) a->failed = fixture_commit(a->f, &c, &version, &err);
        lake_error_clear(&err);
    }
    atomic_store(&a->done, true);
    return NULL;
}

/* Vacuums running while a writer uploads and commits: its files, uploaded
 * but not committed when a vacuum lists them, or committed after a vacuum
 * read the log, are young by their names and kept. */
static void a_writer_during_vacuums_loses_nothing(void) {
    fixture f;
    CHECK_OK(fixture_open(&f, NULL), NULL);
    CHECK_OK(fixture_create(&f), NULL);
    appender a = {&f, false, 0};
    pthread_t writer;
    CHECK_EQ_INT(pthread_create(&writer, NULL, append_slowly, &a), 0);
    unsigned runs = 0;
    uint64_t deleted = 0;
    int rc = LAKE_OK;
    lake_error err = LAKE_ERROR_INIT;
    for (bool last = false; !rc && !last; runs++) {
        last = atomic_load(&a.done);
        uint64_t files = 0, bytes = 0;
        rc = lake__delta_vacuum(&f.t, 3600LL * 1000 * 1000, false, NULL, NULL, &files, &bytes, &err);
        deleted += files;
    }
    pthread_join(writer, NULL);
    CHECK_OK(rc, &err);
    CHECK_EQ_INT(a.failed, 0);
    CHECK(runs >= 2);
    CHECK_EQ_INT(deleted, 0);
    int all[READDED + 1];
    for (int i = 0; i <= READDED; i++) all[i] = i;
    CHECK(fixture_reads(&f, all, READDED + 1));
    lake_error_clear(&err);
    fixture_close(&f);
}

/* A writer killed half-way through uploading `name` (a child process that
 * never finishes it): on file:// its temporary file, on S3 a multipart
 * upload with parts, are left behind. */
static void abandon_upload(const fixture *f, const char *name, size_t bytes) {
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        fixture mine;
        char key[256];
        snprintf(key, sizeof key, "orders/%s", name);
        lake_upload *up;
        lake_sink sink;
        static char chunk[1 << 16];
        int rc = fixture_attach(&mine, f) || lake_backend_put_begin(mine.store, key, &up, &sink, NULL);
        for (size_t at = 0; !rc && at < bytes; at += sizeof chunk) rc = sink.write(sink.ctx, chunk, sizeof chunk, NULL);
        _exit(rc ? 1 : 0);
    }
    int status;
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static int count_key(void *ctx, const char *key, uint64_t size) {
    (void)size;
    heard *h = ctx;
    if (h->count < FILES) snprintf(h->keys[h->count++], 160, "%s", key);
    return LAKE_OK;
}

static void killed_uploads_go_when_old_on(const char *endpoint, size_t bytes) {
    fixture f;
    CHECK_OK(fixture_open(&f, endpoint), NULL);
    CHECK_OK(fixture_create(&f), NULL);
    char old[80], young[80];
    fixture_name_at(fixture_now_ms() - 10 * DAY_MS, old);
    fixture_name_at(fixture_now_ms(), young);
    abandon_upload(&f, old, bytes);
    abandon_upload(&f, young, bytes);
    lake_error err = LAKE_ERROR_INIT;
    heard left = {0};
    CHECK_OK(lake__backend_list_unfinished(f.store, "orders/", count_key, &left, &err), &err);
    CHECK_EQ_INT(left.count, 2);

    uint64_t files = 0, bytes_gone = 0;
    heard dry = {0};
    CHECK_OK(lake__delta_vacuum(&f.t, RETAIN_US, true, hear, &dry, &files, &bytes_gone, &err), &err);
    CHECK_EQ_INT(files, 1);
    CHECK_EQ_INT(dry.count, 1);
    CHECK(strstr(dry.keys[0], old) != NULL);
    heard still = {0};
    CHECK_OK(lake__backend_list_unfinished(f.store, "orders/", count_key, &still, &err), &err);
    CHECK_EQ_INT(still.count, 2);

    CHECK_OK(lake__delta_vacuum(&f.t, RETAIN_US, false, NULL, NULL, &files, &bytes_gone, &err), &err);
    CHECK_EQ_INT(files, 1);
    heard after = {0};
    CHECK_OK(lake__backend_list_unfinished(f.store, "orders/", count_key, &after, &err), &err);
    CHECK_EQ_INT(after.count, 1);
    CHECK(strstr(after.keys[0], young) != NULL);
    lake_error_clear(&err);
    fixture_close(&f);
}

static void killed_uploads_go_when_old_on_file(void) { killed_uploads_go_when_old_on(NULL, 1 << 16); }

static void killed_uploads_go_when_old_on_s3(void) {
    const char *endpoint = fixture_s3();
    if (endpoint) killed_uploads_go_when_old_on(endpoint, (size_t)9 << 20); /* past one 8 MiB part */
}

static void a_missing_table_or_a_negative_retention_is_refused(void) {
    fixture f;
    CHECK_OK(fixture_open(&f, NULL), NULL);
    uint64_t files = 9, bytes = 9;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake__delta_vacuum(&f.t, RETAIN_US, true, NULL, NULL, &files, &bytes, &err), LAKE_ENOTFOUND, &err);
    CHECK_CONTAINS(err.message, "orders");
    CHECK_EQ_INT(files, 0);
    CHECK_OK(fixture_create(&f), NULL);
    CHECK_STATUS(lake__delta_vacuum(&f.t, -1, true, NULL, NULL, &files, &bytes, &err), LAKE_EINVAL, &err);
    lake_error_clear(&err);
    fixture_close(&f);
}

int main(void) {
    if (fixture_folder("data", data_dir, sizeof data_dir) || fixture_make_data(data_dir, READDED + 1)) {
        fprintf(stderr, "cannot make the data files with pyarrow\n");
        return 1;
    }
    LAKE_RUN(only_expired_files_go_on_file);
    LAKE_RUN(only_expired_files_go_on_s3);
    LAKE_RUN(the_callback_stops_it_before_a_deletion);
    LAKE_RUN(no_retention_keeps_the_undated);
    LAKE_RUN(a_writer_during_vacuums_loses_nothing);
    LAKE_RUN(killed_uploads_go_when_old_on_file);
    LAKE_RUN(killed_uploads_go_when_old_on_s3);
    LAKE_RUN(a_missing_table_or_a_negative_retention_is_refused);
    fixture_finish();
    return lake_test_summary();
}
