/* SPDX-License-Identifier: MIT */
/* memory://name: objects held in this handle's memory (tests, and staging that
 * never needs to outlive the process). Commit swaps the object in under a lock. */
#include <string.h>

#include "backends/backend.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/buf.h"

typedef struct mem_object {
    char *key;
    char *data;
    size_t len;
} mem_object;

typedef struct mem_store {
    pthread_mutex_t lock;
    mem_object *items;
    size_t count, cap;
} mem_store;

typedef struct mem_upload {
    mem_store *store;
    char *key;
    lake__buf data;
    bool if_absent; /* commit refuses an existing key, under the store's lock */
} mem_upload;

static int buffer_write(void *ctx, const void *data, size_t len, lake_error *err) {
    mem_upload *u = ctx;
    return lake__buf_put(&u->data, data, len) ? lake__error(err, LAKE_ENOMEM, "out of memory buffering %s", u->key)
                                              : LAKE_OK;
}

static int mem_put_begin(lake_backend *b, const char *key, void **out, lake_sink *sink, lake_error *err) {
    mem_upload *u = lake__calloc(1, sizeof *u);
    if (!u || !(u->key = lake__strndup(key, strlen(key)))) {
        lake__free(u);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    u->store = b->impl;
    *out = u;
    sink->write = buffer_write;
    sink->ctx = u;
    return LAKE_OK;
}

static mem_object *find(mem_store *s, const char *key) {
    for (size_t i = 0; i < s->count; i++)
        if (strcmp(s->items[i].key, key) == 0) return &s->items[i];
    return NULL;
}

static void mem_put_abort(lake_backend *b, void *up) {
    (void)b;
    mem_upload *u = up;
    lake__buf_dispose(&u->data);
    lake__free(u->key);
    lake__free(u);
}

static int mem_put_commit(lake_backend *b, void *up, lake_error *err) {
    mem_upload *u = up;
    mem_store *s = u->store;
    size_t len = u->data.len;
    char *data = lake__buf_detach(&u->data, NULL);
    if (!data) data = lake__calloc(1, 1);
    if (!data) {
        mem_put_abort(b, up);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    int rc = LAKE_OK;
    pthread_mutex_lock(&s->lock);
    mem_object *o = find(s, u->key);
    if (o && u->if_absent) {
        rc = lake__error(err, LAKE_ECONFLICT, "object %s already exists", u->key);
    } else if (o) {
        lake__free(o->data);
        o->data = data, o->len = len;
        data = NULL;
    } else if (s->count == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        mem_object *p = lake__realloc(s->items, s->cap * sizeof *p, cap * sizeof *p);
        if (p) s->items = p, s->cap = cap;
        else rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    if (!rc && data) {
        s->items[s->count++] = (mem_object){u->key, data, len};
        u->key = NULL, data = NULL;
    }
    pthread_mutex_unlock(&s->lock);
    lake__free(data);
    lake__free(u->key);
    lake__free(u);
    return rc;
}

static int mem_put_if_absent(lake_backend *b, const char *key, const void *data, size_t len, lake_error *err) {
    void *up = NULL;
    lake_sink sink = {NULL, NULL};
    int rc = mem_put_begin(b, key, &up, &sink, err);
    if (rc) return rc;
    ((mem_upload *)up)->if_absent = true;
    if ((rc = sink.write(sink.ctx, data, len, err))) {
        mem_put_abort(b, up);
        return rc;
    }
    return mem_put_commit(b, up, err);
}

static int mem_get(lake_backend *b, const char *key, lake_sink *out, lake_error *err) {
    mem_store *s = b->impl;
    pthread_mutex_lock(&s->lock);
    mem_object *o = find(s, key);
    /* Written under the lock: a concurrent commit may free the object's bytes. */
    int rc = o ? out->write(out->ctx, o->data, o->len, err) : lake__error(err, LAKE_ENOTFOUND, "no object %s", key);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int mem_list(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err) {
    (void)err;
    mem_store *s = b->impl;
    size_t plen = strlen(prefix);
    int rc = LAKE_OK;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->count && !rc; i++)
        if (strncmp(s->items[i].key, prefix, plen) == 0) rc = fn(ctx, s->items[i].key, s->items[i].len);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int mem_remove(lake_backend *b, const char *key, lake_error *err) {
    (void)err;
    mem_store *s = b->impl;
    pthread_mutex_lock(&s->lock);
    mem_object *o = find(s, key);
    if (o) {
        lake__free(o->key);
        lake__free(o->data);
        *o = s->items[--s->count];
    }
    pthread_mutex_unlock(&s->lock);
    return LAKE_OK;
}

static void mem_destroy(lake_backend *b) {
    mem_store *s = b->impl;
    if (!s) return;
    for (size_t i = 0; i < s->count; i++) lake__free(s->items[i].key), lake__free(s->items[i].data);
    lake__free(s->items);
    pthread_mutex_destroy(&s->lock);
    lake__free(s);
}

static const lake_backend_ops mem_ops = {
    .version = LAKE_BACKEND_OPS_VERSION,
    .put_begin = mem_put_begin,
    .put_commit = mem_put_commit,
    .put_abort = mem_put_abort,
    .get = mem_get,
    .list = mem_list,
    .remove = mem_remove,
    .destroy = mem_destroy,
    .put_if_absent = mem_put_if_absent,
    .reach = LAKE_REACH_PROCESS,
};

int lake__memory_backend_open(lake_backend *b, const char *name, lake_error *err) {
    (void)name;
    mem_store *s = lake__calloc(1, sizeof *s);
    if (!s) return lake__error(err, LAKE_ENOMEM, "out of memory");
    pthread_mutex_init(&s->lock, NULL);
    b->impl = s;
    b->ops = mem_ops;
    return LAKE_OK;
}
