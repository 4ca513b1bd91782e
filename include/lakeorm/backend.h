/* lakeorm: where staged bytes live. A backend stores objects under keys
 * ("_staging/<ingest id>/part-00001.parquet"), streams them in, lists and
 * deletes them by prefix. Built in: file:///abs/path and memory://name. */
#ifndef LAKEORM_BACKEND_H
#define LAKEORM_BACKEND_H

#include "common.h"
#include "error.h"
#include "parquet.h"

LAKE_BEGIN_DECL

typedef struct lake_backend lake_backend;

/* Opens a backend from its URL: "file:///var/lake" (an absolute folder,
 * created when missing) or "memory://name" (objects held by this handle).
 * Free with lake_backend_free. Backends are safe for concurrent use. */
LAKE_EXTERN int lake_backend_open(lake_backend **out, const char *url, lake_error *err);
LAKE_EXTERN void lake_backend_free(lake_backend *b);

/* The backend's URL, as opened. Borrowed. */
LAKE_EXTERN const char *lake_backend_url(const lake_backend *b);

/* A folder the embedded engine can read objects from (file backends), or NULL. */
LAKE_EXTERN const char *lake_backend_local_root(const lake_backend *b);

/* Keys are relative, '/'-separated, without empty, "." or ".." segments. */

/* Writing one object: bytes stream into *sink; commit makes the object appear
 * whole (file: fsync and rename), abort discards it. Exactly one of commit or
 * abort ends an upload and frees it. Until commit nothing is visible. */
typedef struct lake_upload lake_upload;
LAKE_EXTERN int lake_backend_put_begin(lake_backend *b, const char *key, lake_upload **upload, lake_sink *sink,
                                       lake_error *err);
LAKE_EXTERN int lake_backend_put_commit(lake_upload *upload, lake_error *err);
LAKE_EXTERN void lake_backend_put_abort(lake_upload *upload);

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

LAKE_END_DECL

#endif
