/* SPDX-License-Identifier: MIT */
/* Delta commits by put-if-absent: writers in threads and in processes
 * appending to one table on file:// and on S3 (the MinIO fixture) leave
 * versions 0..N with every commit once, which deltalake reads whole; a
 * writer that loses reads the winners and refuses the ones that conflict
 * (a new schema or protocol, its own transaction, its check's verdict); a
 * commit the store applied but whose answer was lost is known for its own
 * (tests/delta/commit_lost_answer.py in front of MinIO). */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "commit_fixture.h"
#include "util/alloc.h"

enum { THREADS = 2, PROCESSES = 4, EACH = 5, WRITERS = THREADS + PROCESSES, ROWS = WRITERS * EACH };

static char data_dir[128];

typedef struct writer {
    fixture *f;
    int first; /* its ids: first .. first + EACH - 1 */
    int failed;
} writer;

/* EACH appends of one data file each, every one against the snapshot the
 * writer last committed (so most of them lose a race and retry). */
static void *append_all(void *arg) {
    writer *w = arg;
    int64_t read_version = 0;
    for (int i = 0; i < EACH && !w->failed; i++) {
        char name[80];
        fixture_name_at(fixture_now_ms(), name);
        lake__delta_file add = {.path = name, .modification_time = fixture_now_ms(), .deletion_timestamp = -1,
                                .data_change = true};
        lake_error err = LAKE_ERROR_INIT;
        int rc = fixture_put_data(w->f, data_dir, w->first + i, name, &add.size);
        change c = {read_version, &add, NULL, 1, 0, NULL};
        if (!rc) rc = fixture_commit(w->f, &c, &read_version, &err);
        if (rc) fprintf(stderr, "  writer %d, append %d: %s\n", w->first / EACH, i, err.message);
        lake_error_clear(&err);
        w->failed = rc != 0;
    }
    return NULL;
}

/* A process of its own, with its own store handle, like another machine. */
static pid_t append_in_process(const fixture *parent, int first) {
    fflush(NULL); /* or the child's copy of unwritten output is written twice */
    pid_t pid = fork();
    if (pid) return pid;
    fixture f;
    int rc = fixture_attach(&f, parent);
    if (!rc) {
        writer w = {&f, first, 0};
        append_all(&w);
        rc = w.failed;
        lake_backend_free(f.store);
    }
    _exit(rc ? 1 : 0);
}

typedef struct log_listing {
    int64_t next; /* the version the next key must be */
    bool gap;
} log_listing;

static int expect_next(void *ctx, const char *key, uint64_t size) {
    (void)size;
    log_listing *l = ctx;
    char want[64];
    snprintf(want, sizeof want, "orders/_delta_log/%020lld.json", (long long)l->next++);
    if (strcmp(key, want)) {
        fprintf(stderr, "  the log holds %s where %s was expected\n", key, want);
        l->gap = true;
    }
    return 0;
}

/* Versions 0..ROWS, each commit after the first holding one add, no file twice. */
static void check_log(fixture *f) {
    log_listing l = {0, false};
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_list(f->store, "orders/_delta_log/", expect_next, &l, &err), &err);
    CHECK(!l.gap);
    CHECK_EQ_INT(l.next, ROWS + 1);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    lake__delta_commit_file *commits = NULL;
    size_t count = 0;
    int rc = lake__delta_commits_since(&f->t, 0, arena, &commits, &count, &err);
    const char *paths[ROWS] = {0};
    size_t adds = 0;
    bool once = true;
    for (size_t i = 0; !rc && i < count; i++) {
        once = once && commits[i].add_count == 1 && commits[i].version == (int64_t)i + 1;
        for (size_t j = 0; j < adds && commits[i].add_count; j++)
            once = once && strcmp(paths[j], commits[i].adds[0].path);
        if (commits[i].add_count && adds < ROWS) paths[adds++] = commits[i].adds[0].path;
    }
    lake__free(commits);
    lake_arena_free(arena);
    CHECK_OK(rc, &err);
    CHECK_EQ_INT(count, ROWS);
    CHECK(once);
}

static void run_writers(const char *endpoint) {
    fixture f;
    CHECK_OK(fixture_open(&f, endpoint), NULL);
    CHECK_OK(fixture_create(&f), NULL);
    pid_t children[PROCESSES];
    for (int p = 0; p < PROCESSES; p++) children[p] = append_in_process(&f, (THREADS + p) * EACH);
    writer threads[THREADS];
    pthread_t ids[THREADS];
    for (int i = 0; i < THREADS; i++) {
        threads[i] = (writer){&f, i * EACH, 0};
        CHECK_EQ_INT(pthread_create(&ids[i], NULL, append_all, &threads[i]), 0);
    }
    int failed = 0;
    for (int i = 0; i < THREADS; i++) pthread_join(ids[i], NULL), failed += threads[i].failed;
    for (int p = 0; p < PROCESSES; p++) {
        int status = 0;
        waitpid(children[p], &status, 0);
        failed += !WIFEXITED(status) || WEXITSTATUS(status);
    }
    CHECK_EQ_INT(failed, 0);
    check_log(&f);
    int expected[ROWS];
    for (int i = 0; i < ROWS; i++) expected[i] = i;
    CHECK(fixture_reads(&f, expected, ROWS));
    fixture_close(&f);
}

static void threads_and_processes_append_on_file(void) { run_writers(NULL); }

static void threads_and_processes_append_on_s3(void) {
    const char *endpoint = fixture_s3();
    if (endpoint) run_writers(endpoint);
}

/* A table at version 1 whose second commit is `winner`'s. */
static void table_with_winner(fixture *f, const change *winner) {
    CHECK_OK(fixture_open(f, NULL), NULL);
    CHECK_OK(fixture_create(f), NULL);
    int64_t v = -1;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(fixture_commit(f, winner, &v, &err), &err);
    CHECK_EQ_INT(v, 1);
}

static const lake__delta_file one_add = {.path = "part-00001-a.parquet", .size = 10, .deletion_timestamp = -1,
                                         .data_change = true};
static const lake__delta_file other_add = {.path = "part-00002-b.parquet", .size = 10, .deletion_timestamp = -1,
                                           .data_change = true};

static int64_t refused_at = -1;
static size_t refused_adds;

static int refuse(void *ctx, const lake__delta_commit_file *winner, lake_error *err) {
    (void)ctx;
    refused_at = winner->version, refused_adds = winner->add_count;
    return lake__error(err, LAKE_ECONFLICT, "the rows this request read changed at version %lld",
                       (long long)winner->version);
}

static char *entry(fixture *f, int64_t version) {
    char key[64];
    snprintf(key, sizeof key, "orders/_delta_log/%020lld.json", (long long)version);
    char *data = NULL;
    size_t len;
    lake_backend_get(f->store, key, &data, &len, NULL);
    return data;
}

static void check_refusing_a_winner_conflicts(void) {
    fixture f;
    change winner = {0, &one_add, NULL, 1, 0, NULL};
    table_with_winner(&f, &winner);
    char *before = entry(&f, 1);
    change mine = {0, &other_add, NULL, 1, 0, NULL};
    lake__delta_commit_spec spec = {0, render_change, refuse, &mine, NULL, 0};
    int64_t v = -1;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake__delta_commit(&f.t, &spec, &v, &err), LAKE_ECONFLICT, &err);
    CHECK_CONTAINS(err.message, "changed at version 1");
    CHECK_EQ_INT(refused_at, 1);
    CHECK_EQ_INT(refused_adds, 1);
    CHECK_EQ_INT(v, -1);
    char *after = entry(&f, 1), *next = entry(&f, 2);
    CHECK(before && after && !strcmp(before, after)); /* never overwritten */
    CHECK(next == NULL);                               /* and nothing written past it */
    lake_free(before), lake_free(after);
    lake_error_clear(&err);
    fixture_close(&f);
}

static int render_new_schema(void *ctx, int64_t version, lake__buf *out, lake_error *err) {
    (void)ctx, (void)version;
    lake__delta_metadata m = {.id = "0c9f3b46-6f44-4f0e-9a54-5d1f1a3c9a10", .schema_string = FIXTURE_SCHEMA,
                              .created_time = -1};
    return lake__delta_render_metadata(out, &m) ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

static void a_winner_with_metadata_conflicts(void) {
    fixture f;
    CHECK_OK(fixture_open(&f, NULL), NULL);
    CHECK_OK(fixture_create(&f), NULL);
    lake__delta_commit_spec schema = {0, render_new_schema, NULL, NULL, NULL, 0};
    int64_t v = -1;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__delta_commit(&f.t, &schema, &v, &err), &err);
    CHECK_EQ_INT(v, 1);
    change blind = {0, &one_add, NULL, 1, 0, NULL};
    CHECK_STATUS(fixture_commit(&f, &blind, &v, &err), LAKE_ECONFLICT, &err);
    CHECK_CONTAINS(err.message, "table orders: version 1 changed the table's schema or protocol");
    CHECK(entry(&f, 2) == NULL);
    lake_error_clear(&err);
    fixture_close(&f);
}

static void the_same_transaction_conflicts(void) {
    fixture f;
    change winner = {0, &one_add, NULL, 1, 0, "app-7"};
    table_with_winner(&f, &winner);
    change same = {0, &other_add, NULL, 1, 0, "app-7"};
    int64_t v = -1;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(fixture_commit(&f, &same, &v, &err), LAKE_ECONFLICT, &err);
    CHECK_CONTAINS(err.message, "app-7");
    /* Another application's transaction, and a blind append, go after it. */
    change other = {0, &other_add, NULL, 1, 0, "app-8"};
    CHECK_OK(fixture_commit(&f, &other, &v, &err), &err);
    CHECK_EQ_INT(v, 2);
    change blind = {0, &other_add, NULL, 1, 0, NULL};
    CHECK_OK(fixture_commit(&f, &blind, &v, &err), &err);
    CHECK_EQ_INT(v, 3);
    lake_error_clear(&err);
    fixture_close(&f);
}

static void a_loser_goes_to_the_next_free_version(void) {
    fixture f;
    change winner = {0, &one_add, NULL, 1, 0, NULL};
    table_with_winner(&f, &winner);
    int64_t v = -1;
    lake_error err = LAKE_ERROR_INIT;
    change second = {0, &other_add, NULL, 1, 0, NULL};
    CHECK_OK(fixture_commit(&f, &second, &v, &err), &err);
    CHECK_EQ_INT(v, 2);
    /* Read at 0: version 1 is taken, the winners 1 and 2 are read, 3 is free. */
    change late = {0, &other_add, NULL, 1, 0, NULL};
    lake__delta_commit_spec spec = {0, render_change, NULL, &late, NULL, 2};
    CHECK_OK(lake__delta_commit(&f.t, &spec, &v, &err), &err);
    CHECK_EQ_INT(v, 3);
    /* One attempt only: losing it is the end. */
    spec.max_attempts = 1;
    CHECK_STATUS(lake__delta_commit(&f.t, &spec, &v, &err), LAKE_ECONFLICT, &err);
    CHECK_CONTAINS(err.message, "table orders: other writers won each of 1 attempts");
    CHECK(entry(&f, 4) == NULL);
    lake_error_clear(&err);
    fixture_close(&f);
}

static void a_corrupt_winner_is_an_error_naming_it(void) {
    fixture f;
    CHECK_OK(fixture_open(&f, NULL), NULL);
    CHECK_OK(fixture_create(&f), NULL);
    lake_error err = LAKE_ERROR_INIT;
    const char torn[] = "{\"add\":{\"path\":\"part-0";
    CHECK_OK(lake_backend_put_if_absent(f.store, "orders/_delta_log/00000000000000000001.json", torn,
                                        sizeof torn - 1, &err), &err);
    change blind = {0, &one_add, NULL, 1, 0, NULL};
    int64_t v = -1;
    CHECK_STATUS(fixture_commit(&f, &blind, &v, &err), LAKE_EIO, &err);
    CHECK_CONTAINS(err.message, "version 1");
    CHECK(entry(&f, 2) == NULL);
    lake_error_clear(&err);
    fixture_close(&f);
}

static int render_fails(void *ctx, int64_t version, lake__buf *out, lake_error *err) {
    (void)ctx, (void)out;
    return lake__error(err, LAKE_EINVAL, "nothing to commit at %lld", (long long)version);
}

static void a_failing_render_writes_nothing(void) {
    fixture f;
    CHECK_OK(fixture_open(&f, NULL), NULL);
    CHECK_OK(fixture_create(&f), NULL);
    lake__delta_commit_spec spec = {0, render_fails, NULL, NULL, NULL, 0};
    int64_t v = -1;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake__delta_commit(&f.t, &spec, &v, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "nothing to commit at 1");
    CHECK(entry(&f, 1) == NULL);
    lake_error_clear(&err);
    fixture_close(&f);
}

/* A store that cannot be reached fails the put: returned as it is, not
 * taken for a lost race. */
/* tests/delta/crash_check.py, which the client's crash test trusts, passes
 * a whole table and fails on what a killed writer must never leave. */
static int crash_check(const fixture *f, const char *args) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' '%s/delta/crash_check.py' '%s' %s", LAKE_PYTHON, LAKE_TESTS_DIR, f->reader, args);
    return system(cmd);
}

static void crash_check_holds_a_table_to_its_invariants(void) {
    fixture f;
    CHECK_OK(fixture_open(&f, NULL), NULL);
    CHECK_OK(fixture_create(&f), NULL);
    int64_t v = 0;
    lake_error err = LAKE_ERROR_INIT;
    for (int i = 0; i < 2; i++) {
        char name[80];
        fixture_name_at(fixture_now_ms(), name);
        lake__delta_file add = {.path = name, .deletion_timestamp = -1, .data_change = true};
        CHECK_OK(fixture_put_data(&f, data_dir, i, name, &add.size), NULL);
        change c = {v, &add, NULL, 1, 0, NULL};
        CHECK_OK(fixture_commit(&f, &c, &v, &err), &err);
    }
    CHECK_EQ_INT(crash_check(&f, "--rows 2 --orphans 0"), 0);
    CHECK(crash_check(&f, "--rows 3") != 0);
    /* A killed writer's data file: unreferenced, and the table still whole. */
    char orphan[80];
    fixture_name_at(fixture_now_ms(), orphan);
    int64_t size;
    CHECK_OK(fixture_put_data(&f, data_dir, 2, orphan, &size), NULL);
    CHECK_EQ_INT(crash_check(&f, "--rows 2 --orphans 1"), 0);
    CHECK(crash_check(&f, "--orphans 0") != 0);
    /* What put-if-absent rules out: a torn entry, and a file a version reads gone. */
    const char torn[] = "{\"add\":{\"path\":\"x";
    CHECK_OK(lake_backend_put_if_absent(f.store, "orders/_delta_log/00000000000000000003.json", torn,
                                        sizeof torn - 1, &err), &err);
    CHECK(crash_check(&f, "") != 0);
    lake_error_clear(&err);
    fixture_close(&f);
}

#ifdef LAKE_WITH_S3
/* The store applies a commit and its answer is lost (500); the backend's
 * retry then meets the entry: the writer must know it for its own, not
 * commit the same actions again one version later. */
static void a_lost_answer_is_our_own_commit(void) {
    const char *endpoint = fixture_s3();
    if (!endpoint) return;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "exec '%s' '%s/delta/commit_lost_answer.py' '%s'", LAKE_PYTHON, LAKE_TESTS_DIR, endpoint);
    fflush(NULL);
    FILE *proxy = popen(cmd, "r");
    int port = 0, pid = 0;
    CHECK(proxy != NULL);
    if (fscanf(proxy, "%d %d", &port, &pid) != 2) {
        pclose(proxy);
        LAKE_FAIL_AT("the proxy did not start");
    }
    /* Every step runs before the proxy stops; the checks come after. */
    char through[64];
    snprintf(through, sizeof through, "http://127.0.0.1:%d", port);
    fixture f;
    int opened = fixture_open(&f, through), created = opened ? opened : fixture_create(&f);
    change append = {0, &one_add, NULL, 1, 0, NULL};
    int64_t v = -1;
    lake_error err = LAKE_ERROR_INIT;
    int appended = created ? created : fixture_commit(&f, &append, &v, &err);
    char *taken = opened ? NULL : entry(&f, 2);
    if (!opened) fixture_close(&f);
    kill(pid, SIGTERM);
    pclose(proxy);
    CHECK_OK(created, NULL);
    CHECK_OK(appended, &err);
    CHECK_EQ_INT(v, 1);
    CHECK(taken == NULL);
    lake_error_clear(&err);
}

static void a_store_failure_is_not_a_conflict(void) {
    lake_s3_options o = LAKE_S3_OPTIONS_INIT;
    o.endpoint = "http://127.0.0.1:1";
    o.access_key = "lakeorm";
    o.secret_key = "lakeorm-secret";
    o.max_attempts = 1;
    lake_backend *b = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_open_s3(&b, "s3://lake/nowhere", &o, &err), &err);
    lake__delta d = {{0}};
    lake__delta_table t = {&d, b, "orders/", "orders"};
    lake__delta_commit_spec spec = {-1, render_create, NULL, NULL, NULL, 0};
    int64_t v = -1;
    int rc = lake__delta_commit(&t, &spec, &v, &err);
    lake_backend_free(b);
    CHECK(rc != LAKE_OK && rc != LAKE_ECONFLICT);
    CHECK_EQ_INT(v, -1);
    lake_error_clear(&err);
}
#endif

int main(void) {
    if (fixture_folder("data", data_dir, sizeof data_dir) || fixture_make_data(data_dir, ROWS)) {
        fprintf(stderr, "cannot make the data files with pyarrow\n");
        return 1;
    }
    LAKE_RUN(threads_and_processes_append_on_file);
    LAKE_RUN(threads_and_processes_append_on_s3);
    LAKE_RUN(check_refusing_a_winner_conflicts);
    LAKE_RUN(a_winner_with_metadata_conflicts);
    LAKE_RUN(the_same_transaction_conflicts);
    LAKE_RUN(a_loser_goes_to_the_next_free_version);
    LAKE_RUN(a_corrupt_winner_is_an_error_naming_it);
    LAKE_RUN(a_failing_render_writes_nothing);
    LAKE_RUN(crash_check_holds_a_table_to_its_invariants);
#ifdef LAKE_WITH_S3
    LAKE_RUN(a_lost_answer_is_our_own_commit);
    LAKE_RUN(a_store_failure_is_not_a_conflict);
#endif
    fixture_finish();
    return lake_test_summary();
}
