/* SPDX-License-Identifier: MIT */
/* The backend extension point: one table of operations per implementation. */
#ifndef LAKE_BACKENDS_BACKEND_H
#define LAKE_BACKENDS_BACKEND_H

#include <pthread.h>

#include <lakeorm/backend.h>

typedef struct lake__backend_ops {
    int (*put_begin)(lake_backend *b, const char *key, lake_upload **upload, lake_sink *sink, lake_error *err);
    int (*put_commit)(lake_upload *upload, lake_error *err);
    void (*put_abort)(lake_upload *upload);
    int (*get)(lake_backend *b, const char *key, char **data, size_t *len, lake_error *err);
    /* every key under prefix, any order; the caller sorts */
    int (*list)(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err);
    int (*remove)(lake_backend *b, const char *key, lake_error *err);
    void (*destroy)(lake_backend *b);
    /* a whole object, only if the key is free: LAKE_ECONFLICT otherwise */
    int (*put_if_absent)(lake_backend *b, const char *key, const void *data, size_t len, lake_error *err);
    /* optional: many keys at once (NULL: remove one by one) */
    int (*remove_many)(lake_backend *b, const char *const *keys, size_t n, lake_error *err);
    /* optional, as a pair: uploads under prefix that a killed writer left
     * neither committed nor aborted, which `list` does not show, by key (NULL:
     * the backend keeps none a caller could remove), and their removal */
    int (*list_unfinished)(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err);
    int (*discard_unfinished)(lake_backend *b, const char *key, lake_error *err);
} lake__backend_ops;

struct lake_backend {
    const lake__backend_ops *ops;
    char *url;
    char *local_root; /* NULL unless the engine can read the objects as files */
    void *impl;
};

/* Every unfinished upload under prefix (see list_unfinished), sorted by key
 * (a key twice when it has two), and the removal of those of one key; nothing
 * on backends that keep none. Staging cleanup uses them, not every deletion:
 * a writer that lives aborts its own uploads. */
int lake__backend_list_unfinished(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err);
int lake__backend_discard_unfinished(lake_backend *b, const char *key, lake_error *err);

/* Checks a key's shape; LAKE_OK or LAKE_EINVAL naming the problem. */
int lake__key_check(const char *key, lake_error *err);

int lake__file_backend_open(lake_backend *b, const char *path, lake_error *err);
int lake__memory_backend_open(lake_backend *b, const char *name, lake_error *err);
int lake__s3_backend_open(lake_backend *b, const char *bucket_and_prefix, const lake_s3_options *opts, lake_error *err);
int lake__gcs_backend_open(lake_backend *b, const char *bucket_and_prefix, const lake_gcs_options *opts, lake_error *err);

#endif
