/* SPDX-License-Identifier: MIT */
/* The backend extension point: one table of operations per implementation
 * (lake_backend_ops, include/lakeorm/backend.h), the same for the built-in
 * backends and the user's own. */
#ifndef LAKE_BACKENDS_BACKEND_H
#define LAKE_BACKENDS_BACKEND_H

#include <pthread.h>

#include <lakeorm/backend.h>

#include "util/buf.h"

struct lake_backend {
    lake_backend_ops ops; /* a copy: the caller's table need not outlive lake_backend_new */
    char *url;
    char *local_root; /* NULL unless the engine can read the objects as files */
    void *impl;
    /* The HTTP client of a backend reached over HTTP (its impl's), for
     * lake_backend_transport_info; NULL for the others. */
    struct lake__http *http;
};

/* Every unfinished upload under prefix (see list_unfinished), sorted by key
 * (a key twice when it has two), and the removal of those of one key; nothing
 * on backends that keep none. Staging cleanup uses them, not every deletion:
 * a writer that lives aborts its own uploads. */
int lake__backend_list_unfinished(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err);
int lake__backend_discard_unfinished(lake_backend *b, const char *key, lake_error *err);

/* A sink appending to b. */
lake_sink lake__buf_sink(lake__buf *b);

/* Streams a whole object into *out without holding it in memory (a caller
 * that copies parts to files). LAKE_ENOTFOUND when absent. */
int lake__backend_get_to(lake_backend *b, const char *key, lake_sink *out, lake_error *err);

/* Checks a key's shape; LAKE_OK or LAKE_EINVAL naming the problem. */
int lake__key_check(const char *key, lake_error *err);

/* The built-in backends: each fills b->ops, b->impl and (file) b->local_root. */
int lake__file_backend_open(lake_backend *b, const char *path, lake_error *err);
int lake__memory_backend_open(lake_backend *b, const char *name, lake_error *err);
#ifdef LAKE_WITH_S3
int lake__s3_backend_open(lake_backend *b, const char *bucket_and_prefix, const lake_s3_options *opts, lake_error *err);
/* "bucket/prefix?query" (the URL after s3://): given's unset fields from the query, then the backend. */
int lake__s3_backend_open_url(lake_backend *b, const char *rest, const lake_s3_options *given, lake_error *err);
#endif
#ifdef LAKE_WITH_GCS
int lake__gcs_backend_open(lake_backend *b, const char *bucket_and_prefix, const lake_gcs_options *opts, lake_error *err);
int lake__gcs_backend_open_url(lake_backend *b, const char *rest, const lake_gcs_options *given, lake_error *err);
#endif

#endif
