/* SPDX-License-Identifier: MIT */
/* Unity Catalog volumes as a backend: objects are files under a volume
 * folder, /Volumes/<catalog>/<schema>/<volume>[/<path>], reached through the
 * workspace's Files API (docs.databricks.com/api/workspace/files):
 *   PUT    /api/2.0/fs/files{path}?overwrite=true|false   the body is the file
 *   GET    /api/2.0/fs/files{path}                         the file
 *   DELETE /api/2.0/fs/files{path}
 *   GET    /api/2.0/fs/directories{path}[?page_token=]     a page of entries
 *   PUT    /api/2.0/fs/directories{path}                   mkdir -p
 *   DELETE /api/2.0/fs/directories{path}                   an empty one only
 * A SQL warehouse of the same workspace reads the files at their /Volumes
 * path, so the backend's reach is NETWORK and its URL that path. The
 * workspace and its credentials are the Databricks driver's: the driver
 * opens the backend (lake__driver_ops.staging_open) with a bearer source. */
#ifndef LAKE_BACKENDS_VOLUMES_VOLUMES_H
#define LAKE_BACKENDS_VOLUMES_VOLUMES_H

#include <stdbool.h>

#include <lakeorm/backend.h>

/* Where the Authorization header comes from: borrowed, it must outlive the
 * backend. Both are called from any thread. */
typedef struct lake__bearer {
    /* "Authorization: Bearer ..." into out (fetching a token if need be). */
    int (*header)(void *ctx, char *out, size_t cap, lake_error *err);
    /* The workspace refused `header` (401): true when asking header() again may help. */
    bool (*refused)(void *ctx, const char *header);
    void *ctx;
} lake__bearer;

/* Whether `path` names a volume ("/Volumes/..." or "dbfs:/Volumes/..."),
 * well formed or not: what the driver checks before opening it. */
bool lake__volume_path(const char *path);

/* Opens the volume folder `path` ("/Volumes/c/s/v[/p...]", or with dbfs:
 * before it) on the workspace at `base` ("https://host[:port]"); the
 * backend's URL is the path without dbfs: or a trailing '/'. LAKE_EINVAL
 * naming what is wrong with the path. Free with lake_backend_free. */
int lake__volume_backend_open(lake_backend **out, const char *base, const char *path, const lake__bearer *auth,
                              lake_error *err);

#endif
