/* SPDX-License-Identifier: MIT */
/* What the Delta commit and vacuum tests share: a table on a file:// or
 * s3:// (the MinIO fixture) store, its first commit, hand-written appends of
 * real Parquet files (made by pyarrow, tests/delta/commit_table.py), and
 * the independent reader's verdict (deltalake). */
#ifndef LAKE_COMMIT_FIXTURE_H
#define LAKE_COMMIT_FIXTURE_H

#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error/error.h"
#include "formats/delta/delta.h"
#include "ids/random.h"
#include "ids/uuid.h"
#include "lake_test.h"

#define FIXTURE_SCHEMA "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}"

typedef struct fixture {
    lake_backend *store;
    lake__delta delta;
    lake__delta_table t;
    char url[300];     /* the store's */
    char local[256];   /* file://: the store's folder; "" on s3:// */
    char reader[512];  /* the table's URI for deltalake */
    char endpoint[256]; /* s3://: the server; "" on file:// */
} fixture;

/* Every folder a test run makes lies in one, removed at its end even when a
 * case failed half-way. */
static char fixture_root[64];

/* A new folder "<what>-XXXXXX" in the run's folder, into out. */
static inline int fixture_folder(const char *what, char *out, size_t size) {
    if (!*fixture_root) {
        snprintf(fixture_root, sizeof fixture_root, "/tmp/lake-delta-test-XXXXXX");
        if (!mkdtemp(fixture_root)) return *fixture_root = 0, LAKE_EIO;
    }
    snprintf(out, size, "%s/%s-XXXXXX", fixture_root, what);
    return mkdtemp(out) ? LAKE_OK : LAKE_EIO;
}

static inline void fixture_finish(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fixture_root);
    if (*fixture_root && system(cmd)) fprintf(stderr, "could not remove %s\n", fixture_root);
}

static inline int64_t fixture_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A handle of its own on `of`'s store (another process's, say): f's store. */
static inline int fixture_attach(fixture *f, const fixture *of) {
    if (f != of) *f = *of;
    lake_error err = LAKE_ERROR_INIT;
    int rc;
    if (*f->endpoint) {
        lake_s3_options o = LAKE_S3_OPTIONS_INIT;
        o.endpoint = f->endpoint;
        o.access_key = "lakeorm";
        o.secret_key = "lakeorm-secret";
        rc = lake_backend_open_s3(&f->store, f->url, &o, &err);
    } else {
        rc = lake_backend_open(&f->store, f->url, &err);
    }
    if (rc) fprintf(stderr, "  opening %s: %s\n", f->url, err.message);
    lake_error_clear(&err);
    f->delta.cfg.warehouse = f->store;
    f->t = (lake__delta_table){&f->delta, f->store, "orders/", "orders"};
    return rc;
}

/* The MinIO fixture's endpoint, or NULL (and a word why) when the S3 cases
 * cannot run. */
static inline const char *fixture_s3(void) {
#ifdef LAKE_WITH_S3
    const char *endpoint = getenv("LAKE_TEST_S3_ENDPOINT");
#else
    const char *endpoint = NULL;
#endif
    if (!endpoint) printf("  (no LAKE_TEST_S3_ENDPOINT, or no s3:// in this build: not run)\n");
    return endpoint;
}

/* A store for one table "orders": a fresh folder, or a fresh prefix of the
 * bucket "lake" when endpoint is given. */
static inline int fixture_open(fixture *f, const char *endpoint) {
    memset(f, 0, sizeof *f);
    if (!endpoint) {
        if (fixture_folder("table", f->local, sizeof f->local)) return LAKE_EIO;
        snprintf(f->url, sizeof f->url, "file://%s", f->local);
        snprintf(f->reader, sizeof f->reader, "%s/orders", f->local);
    } else {
        lake_uuid id;
        char text[LAKE_UUID_TEXT_LEN + 1];
        lake_uuid7_new(&id);
        lake_uuid_format(&id, text);
        snprintf(f->url, sizeof f->url, "s3://lake/delta-%s", text);
        snprintf(f->reader, sizeof f->reader, "%s/orders", f->url);
        snprintf(f->endpoint, sizeof f->endpoint, "%s", endpoint);
    }
    return fixture_attach(f, f);
}

static inline void fixture_close(fixture *f) {
    if (f->store) {
        lake_backend_delete_prefix(f->store, "", NULL, NULL);
        lake_backend_free(f->store);
    }
    if (*f->local) {
        char cmd[300];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->local);
        if (system(cmd)) fprintf(stderr, "  could not remove %s\n", f->local);
    }
}

/* The first commit: protocol 1/2 and a table of one column, id. */
static inline int render_create(void *ctx, int64_t version, lake__buf *out, lake_error *err) {
    (void)ctx;
    lake__delta_protocol p = {1, 2, NULL, NULL, 0, 0};
    lake__delta_metadata m = {.id = "0c9f3b46-6f44-4f0e-9a54-5d1f1a3c9a10", .schema_string = FIXTURE_SCHEMA,
                              .created_time = fixture_now_ms()};
    int rc = lake__delta_render_protocol(out, &p) || lake__delta_render_metadata(out, &m) ||
             lake__delta_render_commit_info(out, fixture_now_ms(), "CREATE TABLE", NULL, version - 1, false, NULL);
    return rc ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

/* One commit: these adds and removes (paths as in the log), an optional txn. */
typedef struct change {
    int64_t read_version;
    const lake__delta_file *adds, *removes;
    size_t add_count, remove_count;
    const char *app_id;
} change;

static inline int render_change(void *ctx, int64_t version, lake__buf *out, lake_error *err) {
    const change *c = ctx;
    int rc = 0;
    for (size_t i = 0; i < c->add_count; i++) rc = rc || lake__delta_render_add(out, &c->adds[i]);
    for (size_t i = 0; i < c->remove_count; i++) rc = rc || lake__delta_render_remove(out, &c->removes[i]);
    if (c->app_id) {
        lake__delta_txn txn = {c->app_id, version, fixture_now_ms()};
        rc = rc || lake__delta_render_txn(out, &txn);
    }
    rc = rc || lake__delta_render_commit_info(out, fixture_now_ms(), "WRITE", NULL, c->read_version,
                                              !c->remove_count, NULL);
    return rc ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

static inline int fixture_commit(fixture *f, const change *c, int64_t *version, lake_error *err) {
    lake__delta_commit_spec spec = {c->read_version, render_change, NULL, (void *)c, c->app_id, 0};
    return lake__delta_commit(&f->t, &spec, version, err);
}

static inline int fixture_create(fixture *f) {
    lake__delta_commit_spec spec = {-1, render_create, NULL, NULL, NULL, 0};
    int64_t v = -1;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake__delta_commit(&f->t, &spec, &v, &err);
    if (rc) fprintf(stderr, "  creating the table: %s\n", err.message);
    lake_error_clear(&err);
    return rc || v != 0 ? LAKE_ERROR : LAKE_OK;
}

/* A lakeorm data file name whose UUIDv7 says `ms`. */
static inline void fixture_name_at(int64_t ms, char out[80]) {
    lake__uuid7_state st = {INT64_MIN, 0};
    uint8_t r[10];
    if (lake__random_bytes(r, sizeof r)) memset(r, 0, sizeof r);
    lake_uuid id;
    lake__uuid7_next(&st, ms, r, &id);
    char text[LAKE_UUID_TEXT_LEN + 1];
    lake_uuid_format(&id, text);
    snprintf(out, 80, "part-00001-%s.c000.zstd.parquet", text);
}

/* Makes data_dir/<i>.parquet, i < n, one row {id: i} each, with pyarrow. */
static inline int fixture_make_data(const char *data_dir, int n) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' '%s/delta/commit_table.py' data '%s' %d", LAKE_PYTHON, LAKE_TESTS_DIR, data_dir, n);
    return system(cmd) ? LAKE_ERROR : LAKE_OK;
}

/* Stores data_dir/<id>.parquet as the table's file `name`; its size in *size. */
static inline int fixture_put_data(fixture *f, const char *data_dir, int id, const char *name, int64_t *size) {
    char path[512], key[600];
    snprintf(path, sizeof path, "%s/%d.parquet", data_dir, id);
    snprintf(key, sizeof key, "%s%s", f->t.root, name);
    struct stat st;
    char *bytes = lake_test_read_file(path);
    int rc = bytes && !stat(path, &st) ? LAKE_OK : LAKE_EIO;
    lake_error err = LAKE_ERROR_INIT;
    if (!rc) rc = lake_backend_put_if_absent(f->store, key, bytes, (size_t)st.st_size, &err);
    if (rc) fprintf(stderr, "  storing %s: %s\n", key, err.message);
    lake_error_clear(&err);
    free(bytes);
    *size = (int64_t)st.st_size;
    return rc;
}

/* Whether deltalake reads exactly the rows with these ids. */
static inline bool fixture_reads(const fixture *f, const int *ids, size_t n) {
    lake__buf cmd = LAKE__BUF_INIT;
    lake__buf_printf(&cmd, "'%s' '%s/delta/commit_table.py' read '%s'", LAKE_PYTHON, LAKE_TESTS_DIR, f->reader);
    if (*f->endpoint) lake__buf_printf(&cmd, " '%s'", f->endpoint);
    for (size_t i = 0; i < n; i++) lake__buf_printf(&cmd, " %d", ids[i]);
    bool ok = !cmd.failed && system(cmd.data) == 0;
    lake__buf_dispose(&cmd);
    return ok;
}

#endif
