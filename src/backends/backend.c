/* SPDX-License-Identifier: MIT */
/* What every backend shares: URL dispatch, wrapping an implementation's
 * operations (built in or the user's, lake_backend_new), key rules, ordered
 * listing, prefix deletion and Parquet part sinks. */
#include "backends/backend.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error/error.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/redact.h"
#include "util/version.h"

/* An upload as callers hold it: the implementation's own state and the
 * backend it belongs to, so commit and abort reach the right operations
 * whoever implemented them. */
struct lake_upload {
    lake_backend *backend;
    void *state;
};

typedef struct part_ctx {
    lake_backend *backend;
    char *prefix;
    lake_upload *upload;
} part_ctx;

int lake__key_check(const char *key, lake_error *err) {
    if (!key || !*key) return lake__error(err, LAKE_EINVAL, "empty object key");
    if (key[0] == '/') return lake__error(err, LAKE_EINVAL, "object key \"%s\" is absolute", key);
    for (const char *seg = key; seg;) {
        const char *slash = strchr(seg, '/');
        size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
        if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
            return lake__error(err, LAKE_EINVAL, "object key \"%s\" has an empty, \".\" or \"..\" segment", key);
        seg = slash ? slash + 1 : NULL;
    }
    return LAKE_OK;
}

static int open_any(lake_backend **out, const char *url, const lake_s3_options *s3, const lake_gcs_options *gcs,
                    lake_error *err);

#if !defined(LAKE_WITH_S3) || !defined(LAKE_WITH_GCS)
/* A part this build left out (src/CMakeLists.txt, LAKE_WITH_*): said as such,
 * not as an unknown scheme, so the user knows a rebuild would serve. */
static int left_out(const char *scheme, const char *option, lake_error *err) {
    return lake__error(err, LAKE_ENOTSUP, "%s URLs: this lakeorm was built without %s (configure with -D%s=ON)", scheme,
                       option, option);
}
#endif

int lake_backend_open_gcs(lake_backend **out, const char *url, const lake_gcs_options *opts, lake_error *err) {
    if (!out || !url) return lake__error(err, LAKE_EINVAL, "lake_backend_open_gcs: out and url are required");
#ifndef LAKE_WITH_GCS
    *out = NULL;
    (void)opts;
    return left_out("gs://", "LAKE_WITH_GCS", err);
#endif
    char shown[256];
    if (strncmp(url, "gs://", 5))
        return lake__error(err, LAKE_EINVAL, "\"%s\" is not a gs:// URL", lake__redact(url, shown, sizeof shown));
    return open_any(out, url, NULL, opts, err);
}

int lake_backend_open_s3(lake_backend **out, const char *url, const lake_s3_options *opts, lake_error *err) {
    if (!out || !url) return lake__error(err, LAKE_EINVAL, "lake_backend_open_s3: out and url are required");
#ifndef LAKE_WITH_S3
    *out = NULL;
    (void)opts;
    return left_out("s3://", "LAKE_WITH_S3", err);
#endif
    char shown[256];
    if (strncmp(url, "s3://", 5))
        return lake__error(err, LAKE_EINVAL, "\"%s\" is not an s3:// URL", lake__redact(url, shown, sizeof shown));
    return open_any(out, url, opts, NULL, err);
}

int lake_backend_open(lake_backend **out, const char *url, lake_error *err) {
    if (!out || !url) return lake__error(err, LAKE_EINVAL, "lake_backend_open: out and url are required");
    return open_any(out, url, NULL, NULL, err);
}

/* "s3://AKID:SECRET@bucket/p": refused without an echo (the secret may hold a '/', so any '@' before the query counts). */
static int refuse_userinfo(const char *url, lake_error *err) {
    const char *scheme_end = strstr(url, "://"), *at = strchr(url, '@'), *query = strchr(url, '?');
    if (!scheme_end || !at || (query && at > query)) return LAKE_OK;
    return lake__error(err, LAKE_EINVAL, "%.*s URL: user:password@ in the URL is refused: credentials go in the "
                                         "environment or the shared credentials file (see docs/backends.md)",
                       (int)(scheme_end - url), url);
}

static int open_any(lake_backend **out, const char *url, const lake_s3_options *s3, const lake_gcs_options *gcs,
                    lake_error *err) {
    *out = NULL;
#ifndef LAKE_WITH_S3
    (void)s3;
#endif
#ifndef LAKE_WITH_GCS
    (void)gcs;
#endif
    bool remote = !strncmp(url, "s3://", 5) || !strncmp(url, "gs://", 5);
    int rc = remote ? refuse_userinfo(url, err) : LAKE_OK;
    if (rc) return rc;
    lake_backend *b = lake__calloc(1, sizeof *b);
    if (!b || !(b->url = lake__strndup(url, strlen(url)))) {
        lake__free(b);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    char shown[256];
    if (strncmp(url, "file://", 7) == 0) rc = lake__file_backend_open(b, url + 7, err);
    else if (strncmp(url, "memory://", 9) == 0) rc = lake__memory_backend_open(b, url + 9, err);
#ifdef LAKE_WITH_S3
    else if (strncmp(url, "s3://", 5) == 0) rc = lake__s3_backend_open_url(b, url + 5, s3, err);
#else
    else if (strncmp(url, "s3://", 5) == 0) rc = left_out("s3://", "LAKE_WITH_S3", err);
#endif
#ifdef LAKE_WITH_GCS
    else if (strncmp(url, "gs://", 5) == 0) rc = lake__gcs_backend_open_url(b, url + 5, gcs, err);
#else
    else if (strncmp(url, "gs://", 5) == 0) rc = left_out("gs://", "LAKE_WITH_GCS", err);
#endif
    else if (!strncmp(url, "/Volumes/", 9) || !strncmp(url, "dbfs:/Volumes/", 14))
        rc = lake__error(err, LAKE_ENOTSUP, "staging \"%s\": a Unity Catalog volume is reached through a Databricks "
                                            "workspace: stage on it with the databricks driver (docs/databricks.md)",
                         lake__redact(url, shown, sizeof shown));
    else rc = lake__error(err, LAKE_ENOTSUP, "backend URL \"%s\": supported schemes are file://, memory://, s3:// and gs://",
                          lake__redact(url, shown, sizeof shown));
    if (rc) {
        b->ops.destroy = NULL; /* a failed open cleaned up after itself */
        lake_backend_free(b);
        return rc;
    }
    *out = b;
    return LAKE_OK;
}

int lake_backend_new(lake_backend **out, const lake_backend_ops *ops, void *impl, const char *url,
                     const char *local_root, lake_error *err) {
    if (!out) return lake__error(err, LAKE_EINVAL, "lake_backend_new: out is NULL");
    *out = NULL;
    if (!ops || !url || !*url) return lake__error(err, LAKE_EINVAL, "lake_backend_new: ops and a url are required");
    int rc = LAKE__VERSION_CHECK(ops, lake_backend_ops, LAKE_BACKEND_OPS, err);
    if (rc) return rc;
    const char *missing = !ops->put_begin ? "put_begin" : !ops->put_commit ? "put_commit" : !ops->put_abort ? "put_abort"
                        : !ops->get       ? "get"       : !ops->list       ? "list"       : !ops->remove    ? "remove"
                                                                                                            : NULL;
    if (missing) return lake__error(err, LAKE_EINVAL, "lake_backend_new(%s): the required operation %s is NULL", url, missing);
    if (!ops->list_unfinished != !ops->discard_unfinished)
        return lake__error(err, LAKE_EINVAL, "lake_backend_new(%s): list_unfinished and discard_unfinished come as a "
                                             "pair: set both or neither", url);
    if (local_root && local_root[0] != '/')
        return lake__error(err, LAKE_EINVAL, "lake_backend_new(%s): local_root \"%s\" is not an absolute folder", url,
                           local_root);
    lake_reach reach = ops->version >= 2 ? ops->reach : LAKE_REACH_PROCESS;
    if (reach != LAKE_REACH_PROCESS && reach != LAKE_REACH_MACHINE && reach != LAKE_REACH_NETWORK)
        return lake__error(err, LAKE_EINVAL, "lake_backend_new(%s): reach %d is not a lake_reach", url, (int)reach);
    if (reach == LAKE_REACH_MACHINE && !local_root)
        return lake__error(err, LAKE_EINVAL, "lake_backend_new(%s): LAKE_REACH_MACHINE needs the local_root the "
                                             "objects are files under", url);
    lake_backend *b = lake__calloc(1, sizeof *b);
    if (!b || !(b->url = lake__strndup(url, strlen(url))) ||
        (local_root && !(b->local_root = lake__strndup(local_root, strlen(local_root))))) {
        if (b) lake__free(b->url);
        lake__free(b);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    /* A version 1 table ends before reach: only what the caller's version has is read. */
    memcpy(&b->ops, ops, ops->version >= 2 ? sizeof *ops : offsetof(lake_backend_ops, reach));
    b->ops.reach = local_root && reach == LAKE_REACH_PROCESS ? LAKE_REACH_MACHINE : reach;
    b->impl = impl;
    *out = b;
    return LAKE_OK;
}

void *lake_backend_impl(const lake_backend *b) { return b ? b->impl : NULL; }

void lake_backend_free(lake_backend *b) {
    if (!b) return;
    if (b->ops.destroy) b->ops.destroy(b);
    lake__free(b->local_root);
    lake__free(b->url);
    lake__free(b);
}

const char *lake_backend_url(const lake_backend *b) { return b->url; }
const char *lake_backend_local_root(const lake_backend *b) { return b->local_root; }
lake_reach lake_backend_reach(const lake_backend *b) { return b->ops.reach; }

int lake_backend_put_begin(lake_backend *b, const char *key, lake_upload **upload, lake_sink *sink, lake_error *err) {
    if (!b || !upload || !sink) return lake__error(err, LAKE_EINVAL, "lake_backend_put_begin: arguments are required");
    *upload = NULL;
    int rc = lake__key_check(key, err);
    if (rc) return rc;
    lake_upload *u = lake__calloc(1, sizeof *u);
    if (!u) return lake__error(err, LAKE_ENOMEM, "out of memory");
    u->backend = b;
    if ((rc = b->ops.put_begin(b, key, &u->state, sink, err))) {
        lake__free(u);
        return rc;
    }
    *upload = u;
    return LAKE_OK;
}

int lake_backend_put_commit(lake_upload *u, lake_error *err) {
    if (!u) return lake__error(err, LAKE_EINVAL, "lake_backend_put_commit: upload is NULL");
    int rc = u->backend->ops.put_commit(u->backend, u->state, err);
    lake__free(u);
    return rc;
}

void lake_backend_put_abort(lake_upload *u) {
    if (!u) return;
    u->backend->ops.put_abort(u->backend, u->state);
    lake__free(u);
}

int lake_backend_put_if_absent(lake_backend *b, const char *key, const void *data, size_t len, lake_error *err) {
    if (!b || (!data && len)) return lake__error(err, LAKE_EINVAL, "lake_backend_put_if_absent: arguments are required");
    int rc = lake__key_check(key, err);
    if (rc) return rc;
    if (!b->ops.put_if_absent)
        return lake__error(err, LAKE_ENOTSUP, "backend %s cannot store an object only if it is absent", b->url);
    return b->ops.put_if_absent(b, key, data ? data : "", len, err);
}

int lake__backend_get_to(lake_backend *b, const char *key, lake_sink *out, lake_error *err) {
    int rc = lake__key_check(key, err);
    return rc ? rc : b->ops.get(b, key, out, err);
}

static int buffer_write(void *ctx, const void *data, size_t len, lake_error *err) {
    return lake__buf_put(ctx, data, len) ? lake__error(err, LAKE_ENOMEM, "out of memory buffering an object") : LAKE_OK;
}

lake_sink lake__buf_sink(lake__buf *b) { return (lake_sink){buffer_write, b}; }

int lake_backend_get(lake_backend *b, const char *key, char **data, size_t *len, lake_error *err) {
    if (!b || !data || !len) return lake__error(err, LAKE_EINVAL, "lake_backend_get: arguments are required");
    lake__buf got = LAKE__BUF_INIT;
    lake_sink sink = lake__buf_sink(&got);
    int rc = lake__backend_get_to(b, key, &sink, err);
    /* NUL-terminated for callers that read text (a JSON log entry). */
    if (!rc && lake__buf_putc(&got, 0)) rc = lake__error(err, LAKE_ENOMEM, "out of memory reading %s", key);
    if (rc) {
        lake__buf_dispose(&got);
        return rc;
    }
    size_t n;
    *data = lake__buf_detach(&got, &n);
    *len = n - 1;
    return LAKE_OK;
}

typedef struct object {
    char *key;
    uint64_t size;
} object;

typedef struct collected {
    object *items;
    size_t count, cap;
    bool oom;
} collected;

static int collect(void *ctx, const char *key, uint64_t size) {
    collected *c = ctx;
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        object *p = lake__realloc(c->items, c->cap * sizeof *p, cap * sizeof *p);
        if (!p) return c->oom = true, LAKE_ENOMEM;
        c->items = p, c->cap = cap;
    }
    if (!(c->items[c->count].key = lake__strndup(key, strlen(key)))) return c->oom = true, LAKE_ENOMEM;
    c->items[c->count++].size = size;
    return LAKE_OK;
}

static int by_key(const void *a, const void *b) {
    return strcmp(((const object *)a)->key, ((const object *)b)->key);
}

static void collected_free(collected *c) {
    for (size_t i = 0; i < c->count; i++) lake__free(c->items[i].key);
    lake__free(c->items);
}

/* Every object under prefix (or every unfinished upload), sorted by key. */
static int gather(lake_backend *b, const char *prefix, bool unfinished, collected *c, lake_error *err) {
    memset(c, 0, sizeof *c);
    int rc = !unfinished            ? b->ops.list(b, prefix ? prefix : "", collect, c, err)
           : b->ops.list_unfinished ? b->ops.list_unfinished(b, prefix ? prefix : "", collect, c, err)
                                    : LAKE_OK;
    if (c->oom) rc = lake__error(err, LAKE_ENOMEM, "out of memory listing objects");
    if (!rc && c->count) qsort(c->items, c->count, sizeof *c->items, by_key);
    return rc;
}

static int list_sorted(lake_backend *b, const char *prefix, bool unfinished, lake_object_fn fn, void *ctx,
                       lake_error *err) {
    collected c;
    int rc = gather(b, prefix, unfinished, &c, err);
    for (size_t i = 0; !rc && i < c.count; i++) rc = fn(ctx, c.items[i].key, c.items[i].size);
    collected_free(&c);
    return rc;
}

int lake_backend_list(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err) {
    if (!b || !fn) return lake__error(err, LAKE_EINVAL, "lake_backend_list: backend and fn are required");
    return list_sorted(b, prefix, false, fn, ctx, err);
}

int lake__backend_list_unfinished(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err) {
    return list_sorted(b, prefix, true, fn, ctx, err);
}

int lake__backend_discard_unfinished(lake_backend *b, const char *key, lake_error *err) {
    int rc = lake__key_check(key, err);
    if (rc) return rc;
    return b->ops.discard_unfinished ? b->ops.discard_unfinished(b, key, err) : LAKE_OK;
}

/* Checks that every key a listing returned is under prefix. */
static int inside(const collected *c, const char *prefix, lake_error *err) {
    size_t plen = prefix ? strlen(prefix) : 0;
    for (size_t i = 0; i < c->count; i++)
        if (strncmp(c->items[i].key, prefix ? prefix : "", plen)) {
            char shown[256];
            return lake__error(err, LAKE_EREMOTE, "deleting prefix \"%.200s\": the listing returned \"%s\", which is "
                                                  "outside it: refused, nothing deleted", prefix,
                               lake__redact(c->items[i].key, shown, sizeof shown));
        }
    return LAKE_OK;
}

int lake_backend_delete_prefix(lake_backend *b, const char *prefix, size_t *deleted, lake_error *err) {
    if (!b) return lake__error(err, LAKE_EINVAL, "lake_backend_delete_prefix: backend is NULL");
    if (deleted) *deleted = 0;
    collected c;
    int rc = gather(b, prefix, false, &c, err);
    /* What a listing returned is checked before anything goes: a key outside
     * the prefix (a confused or hostile server) refuses the whole deletion. */
    if (!rc) rc = inside(&c, prefix, err);
    if (!rc && b->ops.remove_many && c.count) {
        const char **keys = lake__calloc(c.count, sizeof *keys);
        if (!keys) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        for (size_t i = 0; keys && i < c.count; i++) keys[i] = c.items[i].key;
        if (!rc) rc = b->ops.remove_many(b, keys, c.count, err);
        if (!rc && deleted) *deleted = c.count;
        lake__free(keys);
    } else {
        for (size_t i = 0; !rc && i < c.count; i++) {
            rc = b->ops.remove(b, c.items[i].key, err);
            if (!rc && deleted) (*deleted)++;
        }
    }
    collected_free(&c);
    return rc;
}

static int part_open(void *ctx, unsigned number, const char *name, lake_sink *out, lake_error *err) {
    (void)number;
    part_ctx *p = ctx;
    size_t n = strlen(p->prefix) + strlen(name) + 2;
    char *key = lake__malloc(n);
    if (!key) return lake__error(err, LAKE_ENOMEM, "out of memory");
    snprintf(key, n, "%s%s%s", p->prefix, *p->prefix ? "/" : "", name);
    int rc = lake_backend_put_begin(p->backend, key, &p->upload, out, err);
    lake__free(key);
    return rc;
}

static int part_close(void *ctx, unsigned number, const char *name, uint64_t bytes, uint64_t rows, lake_error *err) {
    (void)number, (void)name, (void)bytes, (void)rows;
    part_ctx *p = ctx;
    lake_upload *u = p->upload;
    p->upload = NULL;
    return lake_backend_put_commit(u, err);
}

int lake_backend_part_sinks(lake_backend *b, const char *prefix, lake_part_sinks *out, lake_error *err) {
    if (!b || !prefix || !out) return lake__error(err, LAKE_EINVAL, "lake_backend_part_sinks: arguments are required");
    part_ctx *p = lake__calloc(1, sizeof *p);
    if (!p || !(p->prefix = lake__strndup(prefix, strlen(prefix)))) {
        lake__free(p);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    p->backend = b;
    out->open = part_open;
    out->close = part_close;
    out->ctx = p;
    return LAKE_OK;
}

void lake_backend_part_sinks_free(lake_part_sinks *sinks) {
    if (!sinks || !sinks->ctx) return;
    part_ctx *p = sinks->ctx;
    if (p->upload) lake_backend_put_abort(p->upload);
    lake__free(p->prefix);
    lake__free(p);
    sinks->ctx = NULL;
}
