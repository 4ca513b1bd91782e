/* SPDX-License-Identifier: MIT */
/* A backend written outside lakeorm, through the public table alone
 * (include/lakeorm/backend.h): objects in a hash map under a lock. It keeps
 * the contract the built-in backends keep, and a client stages Parquet parts
 * in it for a staged insert on DuckDB, which copies them to a local folder to
 * load them (the map has no local root). docs/backends.md, "Your own
 * backend", walks through it. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "backend_contract.h"

/* ---- the example backend: nothing below uses lakeorm's internals */

typedef struct entry {
    struct entry *next;
    char *key;
    char *data;
    size_t len;
} entry;

enum { BUCKETS = 64 };

typedef struct hashmap {
    pthread_mutex_t lock;
    entry *buckets[BUCKETS];
    unsigned commits; /* objects published, to see the client use it */
} hashmap;

typedef struct hm_upload {
    char *key;
    char *data;
    size_t len, cap;
    int failed;
} hm_upload;

static size_t hash(const char *key) {
    size_t h = 5381;
    for (; *key; key++) h = h * 33 + (unsigned char)*key;
    return h % BUCKETS;
}

static entry **find(hashmap *m, const char *key) {
    entry **at = &m->buckets[hash(key)];
    while (*at && strcmp((*at)->key, key)) at = &(*at)->next;
    return at;
}

static int buffer_write(void *ctx, const void *data, size_t len, lake_error *err) {
    hm_upload *u = ctx;
    if (u->len + len > u->cap) {
        size_t cap = u->cap ? u->cap : 4096;
        while (cap < u->len + len) cap *= 2;
        char *p = realloc(u->data, cap);
        if (!p) return lake_error_set(err, LAKE_ENOMEM, "hashmap: out of memory buffering %s", u->key);
        u->data = p, u->cap = cap;
    }
    if (len) memcpy(u->data + u->len, data, len);
    u->len += len;
    return LAKE_OK;
}

static int hm_put_begin(lake_backend *b, const char *key, void **upload, lake_sink *sink, lake_error *err) {
    (void)b;
    hm_upload *u = calloc(1, sizeof *u);
    if (!u || !(u->key = strdup(key))) {
        free(u);
        return lake_error_set(err, LAKE_ENOMEM, "hashmap: out of memory");
    }
    *upload = u;
    *sink = (lake_sink){buffer_write, u};
    return LAKE_OK;
}

static void upload_free(hm_upload *u) {
    free(u->key);
    free(u->data);
    free(u);
}

/* Publishes u's bytes under its key; with only_new, LAKE_ECONFLICT when the key is taken. */
static int publish(hashmap *m, hm_upload *u, bool only_new, lake_error *err) {
    int rc = LAKE_OK;
    pthread_mutex_lock(&m->lock);
    entry **at = find(m, u->key);
    if (*at && only_new) {
        rc = lake_error_set(err, LAKE_ECONFLICT, "hashmap: object %s already exists", u->key);
    } else if (*at) { /* replaced whole, under the lock: a reader sees the old bytes or the new */
        free((*at)->data);
        (*at)->data = u->data, (*at)->len = u->len;
        u->data = NULL;
    } else {
        entry *e = malloc(sizeof *e);
        if (!e) {
            rc = lake_error_set(err, LAKE_ENOMEM, "hashmap: out of memory");
        } else {
            *e = (entry){NULL, u->key, u->data, u->len};
            u->key = u->data = NULL;
            *at = e;
        }
    }
    if (!rc) m->commits++;
    pthread_mutex_unlock(&m->lock);
    upload_free(u);
    return rc;
}

static int hm_put_commit(lake_backend *b, void *upload, lake_error *err) {
    return publish(lake_backend_impl(b), upload, false, err);
}

static void hm_put_abort(lake_backend *b, void *upload) {
    (void)b;
    upload_free(upload);
}

static int hm_put_if_absent(lake_backend *b, const char *key, const void *data, size_t len, lake_error *err) {
    void *u = NULL;
    lake_sink sink = {0};
    int rc = hm_put_begin(b, key, &u, &sink, err);
    if (rc) return rc;
    if ((rc = sink.write(sink.ctx, data, len, err))) {
        upload_free(u);
        return rc;
    }
    return publish(lake_backend_impl(b), u, true, err);
}

static int hm_get(lake_backend *b, const char *key, lake_sink *out, lake_error *err) {
    hashmap *m = lake_backend_impl(b);
    pthread_mutex_lock(&m->lock);
    entry *e = *find(m, key);
    int rc = e ? out->write(out->ctx, e->data ? e->data : "", e->len, err)
               : lake_error_set(err, LAKE_ENOTFOUND, "hashmap: no object %s", key);
    pthread_mutex_unlock(&m->lock);
    return rc;
}

static int hm_list(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err) {
    (void)err;
    hashmap *m = lake_backend_impl(b);
    size_t n = strlen(prefix);
    int rc = LAKE_OK;
    pthread_mutex_lock(&m->lock);
    for (size_t i = 0; !rc && i < BUCKETS; i++)
        for (entry *e = m->buckets[i]; !rc && e; e = e->next)
            if (!strncmp(e->key, prefix, n)) rc = fn(ctx, e->key, e->len);
    pthread_mutex_unlock(&m->lock);
    return rc;
}

static int hm_remove(lake_backend *b, const char *key, lake_error *err) {
    (void)err;
    hashmap *m = lake_backend_impl(b);
    pthread_mutex_lock(&m->lock);
    entry **at = find(m, key), *e = *at;
    if (e) {
        *at = e->next;
        free(e->key);
        free(e->data);
        free(e);
    }
    pthread_mutex_unlock(&m->lock);
    return LAKE_OK;
}

static void hm_destroy(lake_backend *b) {
    hashmap *m = lake_backend_impl(b);
    for (size_t i = 0; i < BUCKETS; i++)
        for (entry *e = m->buckets[i], *next; e; e = next) {
            next = e->next;
            free(e->key);
            free(e->data);
            free(e);
        }
    pthread_mutex_destroy(&m->lock);
    free(m);
}

static lake_backend *hashmap_open(const char *url) {
    lake_backend_ops ops = LAKE_BACKEND_OPS_INIT;
    ops.put_begin = hm_put_begin;
    ops.put_commit = hm_put_commit;
    ops.put_abort = hm_put_abort;
    ops.get = hm_get;
    ops.list = hm_list;
    ops.remove = hm_remove;
    ops.put_if_absent = hm_put_if_absent;
    ops.destroy = hm_destroy;
    hashmap *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    pthread_mutex_init(&m->lock, NULL);
    lake_backend *b;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_backend_new(&b, &ops, m, url, NULL, &err)) { /* on failure m stays ours */
        fprintf(stderr, "  %s\n", err.message);
        pthread_mutex_destroy(&m->lock);
        free(m);
        return NULL;
    }
    return b;
}

/* ---- the tests */

static void a_hashmap_backend_keeps_the_contract(void) {
    lake_backend *b = hashmap_open("hashmap://contract");
    CHECK(b != NULL);
    CHECK(lake_backend_local_root(b) == NULL);
    backend_contract(b, "hashmap://contract");
}

static int nothing(lake_backend *b, const char *key, lake_error *err) {
    (void)b, (void)key, (void)err;
    return LAKE_OK;
}

static void lake_backend_new_checks_the_table(void) {
    lake_backend *b = (lake_backend *)1;
    lake_error err = LAKE_ERROR_INIT;
    lake_backend_ops ops = LAKE_BACKEND_OPS_INIT;
    ops.put_begin = hm_put_begin, ops.put_commit = hm_put_commit, ops.put_abort = hm_put_abort;
    ops.get = hm_get, ops.list = hm_list;
    CHECK_STATUS(lake_backend_new(&b, &ops, NULL, "x://", NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "the required operation remove is NULL");
    CHECK(b == NULL);
    ops.remove = hm_remove;
    ops.discard_unfinished = nothing;
    CHECK_STATUS(lake_backend_new(&b, &ops, NULL, "x://", NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "come as a pair");
    ops.discard_unfinished = NULL;
    CHECK_STATUS(lake_backend_new(&b, &ops, NULL, "x://", "relative/folder", &err), LAKE_EINVAL, &err);
    CHECK_STATUS(lake_backend_new(&b, &ops, NULL, NULL, NULL, &err), LAKE_EINVAL, &err);
    ops.version = 0;
    CHECK_STATUS(lake_backend_new(&b, &ops, NULL, "x://", NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "(initialise it with LAKE_BACKEND_OPS_INIT)");
    /* The table is copied: a stack table may go; put_if_absent left out is said so. */
    ops.version = LAKE_BACKEND_OPS_VERSION;
    int state = 7;
    CHECK_OK(lake_backend_new(&b, &ops, &state, "x://", "/tmp", &err), &err);
    memset(&ops, 0, sizeof ops);
    CHECK(lake_backend_impl(b) == &state);
    CHECK_EQ_STR(lake_backend_local_root(b), "/tmp");
    CHECK_STATUS(lake_backend_put_if_absent(b, "k", "v", 1, &err), LAKE_ENOTSUP, &err);
    CHECK_EQ_INT(lake_backend_reach(b), LAKE_REACH_MACHINE); /* a local root: files on this machine */
    lake_backend_free(b); /* no destroy: state is not freed */
    lake_error_clear(&err);
}

/* The reach is declared (version 2), checked, and absent from a version 1 table. */
static void reach_is_declared_and_checked(void) {
    lake_backend *b = NULL;
    lake_error err = LAKE_ERROR_INIT;
    lake_backend_ops ops = LAKE_BACKEND_OPS_INIT;
    ops.put_begin = hm_put_begin, ops.put_commit = hm_put_commit, ops.put_abort = hm_put_abort;
    ops.get = hm_get, ops.list = hm_list, ops.remove = hm_remove;
    CHECK_OK(lake_backend_new(&b, &ops, NULL, "x://", NULL, &err), &err);
    CHECK_EQ_INT(lake_backend_reach(b), LAKE_REACH_PROCESS);
    lake_backend_free(b);
    ops.reach = LAKE_REACH_NETWORK;
    CHECK_OK(lake_backend_new(&b, &ops, NULL, "x://bucket", "/mnt/bucket", &err), &err);
    CHECK_EQ_INT(lake_backend_reach(b), LAKE_REACH_NETWORK);
    lake_backend_free(b);
    ops.reach = LAKE_REACH_MACHINE;
    CHECK_STATUS(lake_backend_new(&b, &ops, NULL, "x://", NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "needs the local_root");
    ops.reach = (lake_reach)7;
    CHECK_STATUS(lake_backend_new(&b, &ops, NULL, "x://", NULL, &err), LAKE_EINVAL, &err);
    ops.version = 1; /* a table built before reach: the field is not read */
    CHECK_OK(lake_backend_new(&b, &ops, NULL, "x://", NULL, &err), &err);
    CHECK_EQ_INT(lake_backend_reach(b), LAKE_REACH_PROCESS);
    lake_backend_free(b);
    lake_error_clear(&err);
}

typedef struct event {
    int64_t id;
    lake_str name;
} event;
static const lake_field event_fields[] = {LAKE_FIELD(event, id, "id,pk", ""), LAKE_FIELD(event, name, "name", "")};
static const lake_model event_model = LAKE_MODEL(event, "events", event_fields);

typedef struct one {
    int64_t n;
} one;
static const lake_field one_fields[] = {LAKE_FIELD(one, n, "n", "")};
static const lake_model one_model = LAKE_MODEL(one, "x", one_fields);

static int take(void *ctx, const void *record) {
    *(int64_t *)ctx = ((const one *)record)->n;
    return LAKE_OK;
}

static void a_client_stages_in_a_hashmap_backend(void) {
    lake_backend *b = hashmap_open("hashmap://staging");
    CHECK(b != NULL);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = "file:///nonexistent/never-opened"; /* staging_backend takes precedence */
    o.staging_backend = b;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    const lake_schema *s;
    CHECK_OK(lake_schema_of(&s, &event_model, &err), &err);
    CHECK_OK(lake_client_migrate(c, s, &err), &err);
    enum { N = 5000 };
    event *rows = calloc(N, sizeof *rows);
    CHECK(rows != NULL);
    for (int i = 0; i < N; i++) rows[i] = (event){i, {"staged", 6}};
    lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
    io.path = LAKE_PATH_STAGED;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, s, rows, N, &io, &r, &err), &err);
    free(rows);
    CHECK_EQ_INT(r.path, LAKE_PATH_STAGED);
    CHECK_EQ_INT(r.inserted, N);
    CHECK(r.bytes_staged > 0);
    /* The parts went through the map, and were removed after the load. */
    CHECK(((hashmap *)lake_backend_impl(b))->commits > 0);
    listing l = {{0}, 0};
    CHECK_OK(lake_backend_list(b, "", note, &l, &err), &err);
    CHECK_EQ_INT(l.count, 0);
    const lake_schema *count;
    CHECK_OK(lake_schema_of(&count, &one_model, &err), &err);
    int64_t n = -1;
    lake_source q = LAKE_SQL("SELECT count(*) AS n FROM events WHERE name = 'staged'");
    CHECK_OK(lake_client_query(c, count, &q, take, &n, &err), &err);
    CHECK_EQ_INT(n, N);
    lake_client_close(c);
    /* Borrowed: the client left it open. */
    CHECK_OK(lake_backend_put_if_absent(b, "after/close", "x", 1, &err), &err);
    lake_backend_free(b);
    lake_error_clear(&err);
}

int main(void) {
    LAKE_RUN(a_hashmap_backend_keeps_the_contract);
    LAKE_RUN(lake_backend_new_checks_the_table);
    LAKE_RUN(reach_is_declared_and_checked);
    LAKE_RUN(a_client_stages_in_a_hashmap_backend);
    return lake_test_summary();
}
