/* SPDX-License-Identifier: MIT */
/* Where an Iceberg table's current metadata is named: a catalog. Two kinds,
 * by the catalog URL's scheme, behind one table of operations the format
 * calls without asking which it holds:
 *   sqlite:///abs/catalog.db[?name=lakeorm]   the SQL catalog in the JDBC layout (sql_catalog.c):
 *                                              lakeorm writes each metadata file, then swaps the pointer
 *   rest+http://host:port/prefix, rest+https:// the REST catalog protocol (rest_catalog.c): the
 *                                              server writes metadata files from the updates it is sent
 * Tables are named by namespace (one level) and name. Locations and
 * metadata locations are absolute URIs (file:///..., s3://bucket/...). */
#ifndef LAKE_FORMATS_ICEBERG_CATALOG_H
#define LAKE_FORMATS_ICEBERG_CATALOG_H

#include <stdint.h>

#include <lakeorm/backend.h>
#include <lakeorm/error.h>

#include "schema/schema.h"
#include "util/arena.h"
#include "util/buf.h"

/* What a commit changes, and what it requires of the table's current state
 * (a REST commit's requirements; the SQL catalog's compare-and-swap
 * implies them, as it swaps from the metadata the commit was made over). */
typedef struct lake__iceberg_update {
    /* A snapshot to add and to make "main" (requires "main" still at
     * snapshot->parent_id, -1 for none), or NULL. */
    const struct lake__iceberg_snapshot *snapshot;
    /* A schema to add and make current, or NULL: its JSON (every column the
     * table keeps, new ones with ids past the table's last column id), its
     * id (the current one's + 1; requires the current schema id still
     * schema_id - 1) and the table's last column id after it. */
    const char *schema_json;
    int32_t schema_id, last_column_id;
    /* Snapshots to remove (expired; never the current one), or none
     * (requires "main" still at the current snapshot). */
    const int64_t *expire;
    size_t expire_count;
    int64_t current_snapshot_id; /* with expire: the snapshot "main" must still be at */
} lake__iceberg_update;

/* The storage properties a catalog vends with a table (a REST
 * LoadTableResult's "config", overlaid by its "storage-credentials" entry
 * with the longest prefix of the table's metadata location), as far as
 * lakeorm's backends take them; each NULL (path_style -1) when not vended.
 * The table's files are then reached with these, not the client's own
 * credentials (table.c). Strings live in the arena given to load. */
typedef struct lake__iceberg_storage {
    const char *access_key, *secret_key, *session_token; /* s3.* (else client.*) */
    const char *endpoint, *region;                       /* s3.endpoint; s3.region, else client.region */
    int path_style;                                      /* s3.path-style-access */
    const char *gcs_token;                               /* gcs.oauth2.token */
} lake__iceberg_storage;

#define LAKE__ICEBERG_STORAGE_NONE {NULL, NULL, NULL, NULL, NULL, -1, NULL}

typedef struct lake__iceberg_catalog_ops {
    const char *scheme; /* "sqlite", "rest+http", "rest+https" */
    /* url: the catalog URL; warehouse: the client's warehouse (borrowed:
     * lives as long as the catalog), where the SQL catalog keeps metadata
     * files and whose URL the REST catalog is told as its warehouse. */
    int (*open)(const char *url, lake_backend *warehouse, void **impl, lake_error *err);
    void (*close)(void *impl);
    /* Makes namespace `ns` exist (nothing when it does). */
    int (*namespace_ensure)(void *impl, const char *ns, lake_error *err);
    /* The table's current metadata: its location (metadata_location) and its
     * JSON text, and the storage properties the catalog vends for its files
     * (into arena; none from a SQL catalog). LAKE_ENOTFOUND when there is no
     * such table. */
    int (*load)(void *impl, const char *ns, const char *table, lake__buf *metadata_location, lake__buf *json,
                lake_arena *arena, lake__iceberg_storage *storage, lake_error *err);
    /* Creates the table at `location` (the table's root URI, no trailing '/')
     * with the model's schema and partition spec and no snapshot, and loads
     * it as load does. LAKE_ECONFLICT when it exists already. */
    int (*create)(void *impl, const char *ns, const char *table, const lake_schema *s, const char *location,
                  lake__buf *metadata_location, lake__buf *json, lake_error *err);
    /* Commits u over the metadata at base_location (base_json its text).
     * LAKE_ECONFLICT when the table moved since (a requirement failed, the
     * swap lost): the caller reloads and tries again. On success,
     * metadata_location and json hold the table's new metadata. */
    int (*commit)(void *impl, const char *ns, const char *table, const char *base_location, const char *base_json,
                  size_t base_len, const lake__iceberg_update *u, lake__buf *metadata_location, lake__buf *json,
                  lake_error *err);
    /* Forgets the table (its files stay: the caller removes them);
     * LAKE_ENOTFOUND when there is no such table. */
    int (*drop)(void *impl, const char *ns, const char *table, lake_error *err);
    /* Calls fn with each namespace the catalog knows (levels joined by
     * '.'); a non-zero return stops the walk and is returned. */
    int (*namespaces)(void *impl, int (*fn)(void *ctx, const char *ns), void *ctx, lake_error *err);
} lake__iceberg_catalog_ops;

extern const lake__iceberg_catalog_ops lake__iceberg_sql_catalog_ops;
extern const lake__iceberg_catalog_ops lake__iceberg_rest_catalog_ops; /* with HTTP support only */

/* The operations for a catalog URL's scheme: LAKE_EINVAL naming the known ones. */
int lake__iceberg_catalog_find(const char *url, const lake__iceberg_catalog_ops **out, lake_error *err);

/* ---- locations (catalog.c): URIs in metadata, keys in the warehouse */

/* The key in the warehouse of a URI under it ("file:/abs/..." and "/abs/..."
 * as Spark and others write local paths included). LAKE_ENOTSUP when the URI
 * is outside the warehouse. */
int lake__iceberg_key_of(lake_backend *warehouse, const char *uri, lake__buf *key, lake_error *err);
/* The URI of a warehouse key. Non-zero: out of memory. */
int lake__iceberg_uri_of(lake_backend *warehouse, const char *key, lake__buf *uri);
/* The metadata file a commit writes after the one at `previous` (NULL: the
 * table's first) for a table at location: "<location>/metadata/<n>-<uuid>.metadata.json",
 * n one past previous's. Non-zero: out of memory. */
int lake__iceberg_next_metadata(const char *location, const char *previous, lake__buf *out);

#endif
