/* SPDX-License-Identifier: MIT */
/* lakeorm: where staged bytes live. A backend stores objects under keys
 * ("_staging/<ingest id>/part-00001.parquet"), streams them in, lists and
 * deletes them by prefix. Built in: file:///abs/path, memory://name,
 * s3://bucket/prefix and gs://bucket/prefix; your own through
 * lake_backend_new and a lake_backend_ops table (end of this header). A
 * Databricks client also stages on a Unity Catalog volume (/Volumes/...),
 * which its driver opens (lake_client_options.staging). */
#ifndef LAKEORM_BACKEND_H
#define LAKEORM_BACKEND_H

#include "common.h"
#include "error.h"
#include "parquet.h"

LAKE_BEGIN_DECL

typedef struct lake_backend lake_backend;

/* Opens a backend from its URL: "file:///var/lake" (an absolute folder,
 * created when missing), "memory://name" (objects held by this handle), or
 * "s3://bucket/prefix" (options below from the URL's query, e.g.
 * s3://lake/stage?endpoint=http://127.0.0.1:9000&region=us-east-1, then the
 * environment) or "gs://bucket/prefix" (?endpoint=, then the environment). Free with lake_backend_free. Backends are safe for
 * concurrent use. */
LAKE_EXTERN int lake_backend_open(lake_backend **out, const char *url, lake_error *err);

/* S3 and S3-compatible servers. Unset fields come from the URL's query keys
 * of the same names, then the environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION / AWS_DEFAULT_REGION,
 * AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_PROFILE), then the shared
 * credentials file (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials).
 * TLS is verified unless `insecure`. Secrets never appear in errors or logs. */
typedef struct lake_s3_options {
    unsigned version;
    const char *endpoint;   /* "http://127.0.0.1:9000"; NULL: https://s3.<region>.amazonaws.com */
    const char *region;     /* NULL: the environment, else us-east-1 */
    const char *access_key, *secret_key, *session_token;
    const char *profile;    /* of the shared credentials file; NULL: AWS_PROFILE or "default" */
    int path_style;         /* -1: path-style with a custom endpoint, virtual-hosted on AWS; 0 or 1 to force */
    uint64_t part_size;     /* multipart part size; 0 = 8 MiB; at least 5 MiB */
    unsigned max_parallel;  /* parts of one upload in flight; 0 = 4 */
    unsigned max_attempts;  /* tries per request, retries included; 0 = 5 */
    long timeout_ms;        /* per request; 0 = 60 s */
    bool insecure;          /* skip TLS verification: for test servers only */
} lake_s3_options;

#define LAKE_S3_OPTIONS_VERSION 1
#define LAKE_S3_OPTIONS_INIT {LAKE_S3_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, -1, 0, 0, 0, 0, false}

/* Opens "s3://bucket/prefix" with explicit options (NULL: as lake_backend_open). */
LAKE_EXTERN int lake_backend_open_s3(lake_backend **out, const char *url, const lake_s3_options *opts,
                                     lake_error *err);
LAKE_EXTERN void lake_backend_free(lake_backend *b);

/* The backend's URL, as opened. Borrowed. */
LAKE_EXTERN const char *lake_backend_url(const lake_backend *b);

/* A folder the embedded engine can read objects from (file backends), or NULL. */
LAKE_EXTERN const char *lake_backend_local_root(const lake_backend *b);

/* Who can read a backend's objects other than through its handle: what
 * decides whether an engine can load staged parts where they are. An engine
 * in this process (DuckDB) reads any backend, in place under a local root and
 * through local copies otherwise; an engine elsewhere (Spark, Databricks)
 * reads the parts itself, so it needs MACHINE (a folder it shares) or
 * NETWORK staging, and refuses the staged path on PROCESS staging. */
typedef enum lake_reach {
    LAKE_REACH_PROCESS = 0, /* only this process, through the handle (memory://) */
    LAKE_REACH_MACHINE,     /* also as files under local_root on this machine (file://) */
    LAKE_REACH_NETWORK,     /* also at the backend's URL, by any process given credentials (s3://, gs://) */
} lake_reach;

/* The backend's reach (see lake_reach). */
LAKE_EXTERN lake_reach lake_backend_reach(const lake_backend *b);

/* Keys are relative, '/'-separated, without empty, "." or ".." segments. */

/* Writing one object: bytes stream into *sink; commit makes the object appear
 * whole (file: fsync and rename), abort discards it. Exactly one of commit or
 * abort ends an upload and frees it. Until commit nothing is visible. */
typedef struct lake_upload lake_upload;
LAKE_EXTERN int lake_backend_put_begin(lake_backend *b, const char *key, lake_upload **upload, lake_sink *sink,
                                       lake_error *err);
LAKE_EXTERN int lake_backend_put_commit(lake_upload *upload, lake_error *err);
LAKE_EXTERN void lake_backend_put_abort(lake_upload *upload);

/* Google Cloud Storage, "gs://bucket/prefix". Through the JSON API with an
 * OAuth2 bearer token: `access_token`, else GOOGLE_OAUTH_ACCESS_TOKEN, else a
 * token exchanged (and refreshed) for a JWT signed with the service-account
 * key file (`credentials_file`, else GOOGLE_APPLICATION_CREDENTIALS); against
 * an emulator (STORAGE_EMULATOR_HOST, or an http:// endpoint) without one.
 * With HMAC keys (`hmac_access_id`/`hmac_secret`, else GCS_HMAC_ACCESS_ID /
 * GCS_HMAC_SECRET) it speaks the S3-compatible XML API instead. */
typedef struct lake_gcs_options {
    unsigned version;
    const char *endpoint;         /* NULL: https://storage.googleapis.com, or STORAGE_EMULATOR_HOST */
    const char *access_token;
    const char *credentials_file;
    const char *hmac_access_id, *hmac_secret;
    const char *region;           /* the XML API's signing region; NULL: "auto" */
    uint64_t chunk_size;          /* resumable upload chunk; 0 = 8 MiB; a multiple of 256 KiB */
    unsigned max_attempts;        /* 0 = 5 */
    long timeout_ms;              /* 0 = 60 s */
    bool insecure;
} lake_gcs_options;

#define LAKE_GCS_OPTIONS_VERSION 1
#define LAKE_GCS_OPTIONS_INIT {LAKE_GCS_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, false}

LAKE_EXTERN int lake_backend_open_gcs(lake_backend **out, const char *url, const lake_gcs_options *opts,
                                      lake_error *err);

/* Stores a whole object only if no object has that key (S3: If-None-Match: *);
 * LAKE_ECONFLICT when one exists. For callers that need put-if-absent. */
LAKE_EXTERN int lake_backend_put_if_absent(lake_backend *b, const char *key, const void *data, size_t len,
                                           lake_error *err);

/* Reads a whole object; free *data with lake_free. LAKE_ENOTFOUND when absent. */
LAKE_EXTERN int lake_backend_get(lake_backend *b, const char *key, char **data, size_t *len, lake_error *err);

/* Calls fn for every object whose key starts with prefix, in key order; a
 * non-zero return from fn stops the walk and is returned. */
typedef int (*lake_object_fn)(void *ctx, const char *key, uint64_t size);
LAKE_EXTERN int lake_backend_list(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err);

/* Deletes every object whose key starts with prefix; *deleted (may be NULL)
 * counts them. A prefix that matches nothing is not an error. */
LAKE_EXTERN int lake_backend_delete_prefix(lake_backend *b, const char *prefix, size_t *deleted, lake_error *err);

/* Part sinks that store each Parquet part as <prefix>/<part name> and commit
 * it after its footer, for lake_parquet_parts. They borrow b; release them with
 * lake_backend_part_sinks_free once the parts writer is done (an upload still
 * open then is aborted). */
LAKE_EXTERN int lake_backend_part_sinks(lake_backend *b, const char *prefix, lake_part_sinks *out, lake_error *err);
LAKE_EXTERN void lake_backend_part_sinks_free(lake_part_sinks *sinks);

/* ---- your own backend
 *
 * A backend is one table of operations and a pointer to its state (`impl`),
 * as the built-in ones are: lakeorm never asks which implementation it holds.
 * docs/backends.md, "Your own backend", has a whole example. Every operation
 * receives the backend handle (lake_backend_impl gives the state back) and a
 * caller's error object that may be NULL: report a failure with
 * `return lake_error_set(err, LAKE_EIO, "...", ...);` (error.h).
 * Operations are called from any thread, concurrently: the backend must be
 * safe for concurrent use (uploads of different keys at once, listings during
 * uploads). Keys are relative, '/'-separated, without empty, "." or ".."
 * segments: lakeorm checks every key it passes to put_begin, get and
 * put_if_absent, and passes to remove only keys that `list` returned.
 * Every string argument is valid during the call only. */
typedef struct lake_backend_ops {
    unsigned version; /* LAKE_BACKEND_OPS_VERSION, set by LAKE_BACKEND_OPS_INIT */

    /* Required. Begins writing the object `key`: sets *sink to where its
     * bytes go (any number of writes, in order) and *upload to this upload's
     * state (yours). Nothing is visible until put_commit; exactly one of
     * put_commit or put_abort follows a successful put_begin. */
    int (*put_begin)(lake_backend *b, const char *key, void **upload, lake_sink *sink, lake_error *err);
    /* Required. Publishes the object whole, replacing one with its key (a
     * reader sees the old object or the new one, never a mix), and frees
     * `upload` whatever the outcome. */
    int (*put_commit)(lake_backend *b, void *upload, lake_error *err);
    /* Required. Discards what was written and frees `upload`. */
    void (*put_abort)(lake_backend *b, void *upload);

    /* Required. Writes the whole object into *out (any number of writes);
     * LAKE_ENOTFOUND, having written nothing, when there is none. */
    int (*get)(lake_backend *b, const char *key, lake_sink *out, lake_error *err);
    /* Required. Calls fn(ctx, key, size) for every committed object whose key
     * starts with prefix ("" for all), in any order (lakeorm sorts); a
     * non-zero return from fn stops the walk and is returned. A key outside
     * the prefix makes lake_backend_delete_prefix refuse to delete anything. */
    int (*list)(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err);
    /* Required. Deletes one object; a key already gone is not an error. */
    int (*remove)(lake_backend *b, const char *key, lake_error *err);

    /* Optional (NULL: lake_backend_put_if_absent is LAKE_ENOTSUP). Stores a
     * whole object only if no object has that key, atomically with respect
     * to other writers; LAKE_ECONFLICT, nothing changed, when one does. */
    int (*put_if_absent)(lake_backend *b, const char *key, const void *data, size_t len, lake_error *err);
    /* Optional (NULL: remove, one key at a time). Deletes many keys at once. */
    int (*remove_many)(lake_backend *b, const char *const *keys, size_t n, lake_error *err);
    /* Optional, both or neither (NULL: the backend keeps no unfinished
     * uploads a caller could remove). Uploads under prefix that a killed
     * writer left neither committed nor aborted, which `list` does not show,
     * reported by the key they were writing; and their removal by that key.
     * lake_client_cleanup_staging uses them. */
    int (*list_unfinished)(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err);
    int (*discard_unfinished)(lake_backend *b, const char *key, lake_error *err);
    /* Optional (NULL: nothing to free). Frees impl; called once, by
     * lake_backend_free, after every upload has ended. */
    void (*destroy)(lake_backend *b);

    /* Since version 2. Who can read the objects other than through this
     * table (lake_reach): LAKE_REACH_NETWORK when an engine elsewhere can
     * read them at the backend's URL (a store Spark or Databricks reads
     * itself); a local_root makes it at least LAKE_REACH_MACHINE. Default
     * (and version 1): LAKE_REACH_PROCESS. */
    lake_reach reach;
} lake_backend_ops;

#define LAKE_BACKEND_OPS_VERSION 2
#define LAKE_BACKEND_OPS_INIT                                                                                        \
    {LAKE_BACKEND_OPS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, LAKE_REACH_PROCESS}

/* Wraps an implementation in a backend handle, freed with lake_backend_free.
 * ops is copied (a stack table is fine) and must hold every required
 * operation; impl is the backend's from a successful call on (its destroy
 * frees it; on failure it stays the caller's); url names the backend in
 * errors and logs (copied; required, e.g. "hashmap://orders"; with
 * LAKE_REACH_NETWORK, the URL engines elsewhere read the objects at);
 * local_root, when not NULL, is a folder where the object `key` can be read
 * as the file <local_root>/<key> by the embedded engine, which then loads
 * staged parts in place rather than copying them (copied). LAKE_EINVAL when
 * an argument is missing, a required operation is NULL, ops->reach is not a
 * lake_reach, or ops->version is unknown. */
LAKE_EXTERN int lake_backend_new(lake_backend **out, const lake_backend_ops *ops, void *impl, const char *url,
                                 const char *local_root, lake_error *err);

/* The impl given to lake_backend_new (the built-in backends' own state for
 * theirs). Borrowed. */
LAKE_EXTERN void *lake_backend_impl(const lake_backend *b);

LAKE_END_DECL

#endif
