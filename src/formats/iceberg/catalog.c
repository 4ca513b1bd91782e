/* SPDX-License-Identifier: MIT */
/* The catalogs by URL scheme, where metadata files live in the warehouse,
 * and the SQL catalog's operations: lakeorm writes each metadata file
 * itself, then moves the catalog's pointer to it (sql_catalog.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm/ids.h>

#include "error/error.h"
#include "formats/iceberg/catalog.h"
#include "formats/iceberg/metadata.h"
#include "formats/iceberg/sql_catalog.h"
#include "util/alloc.h"
#include "util/redact.h"
#include "util/time.h"

int lake__iceberg_catalog_find(const char *url, const lake__iceberg_catalog_ops **out, lake_error *err) {
    static const lake__iceberg_catalog_ops *const all[] = {
        &lake__iceberg_sql_catalog_ops,
#ifdef LAKE_WITH_HTTP
        &lake__iceberg_rest_catalog_ops,
#endif
    };
    const char *colon = strstr(url, "://");
    for (size_t i = 0; colon && i < sizeof all / sizeof *all; i++) {
        size_t n = strlen(all[i]->scheme);
        if ((size_t)(colon - url) == n && !strncmp(url, all[i]->scheme, n)) {
            *out = all[i];
            return LAKE_OK;
        }
        /* rest+http's operations take rest+https too */
        if (!strncmp(all[i]->scheme, "rest+http", 9) && (size_t)(colon - url) == 10 && !strncmp(url, "rest+https", 10)) {
            *out = all[i];
            return LAKE_OK;
        }
    }
    char shown[300];
    return lake__error(err, LAKE_EINVAL, "catalog \"%s\": an Iceberg catalog is sqlite:///path/catalog.db%s",
                       lake__redact(url, shown, sizeof shown),
#ifdef LAKE_WITH_HTTP
                       " or rest+http(s)://host:port/prefix"
#else
                       " (this build has no HTTP, so no REST catalog)"
#endif
    );
}

/* ---- locations */

/* A local path's URI forms, as writers spell them: file:///abs, file:/abs, /abs. */
static const char *local_path(const char *uri) {
    if (!strncmp(uri, "file://", 7)) return uri + 7;
    if (!strncmp(uri, "file:/", 6)) return uri + 5;
    return uri[0] == '/' ? uri : NULL;
}

/* The warehouse URL's length without its query: s3://bucket/prefix?endpoint=...
 * names where the store is, not a part of any file's location. */
static size_t warehouse_length(const char *url) { return strcspn(url, "?"); }

int lake__iceberg_key_of(lake_backend *warehouse, const char *uri, lake__buf *key, lake_error *err) {
    const char *base = lake_backend_url(warehouse), *rest = NULL;
    size_t n = warehouse_length(base);
    while (n && base[n - 1] == '/') n--;
    const char *root = lake_backend_local_root(warehouse), *path = local_path(uri);
    if (root && path) {
        size_t r = strlen(root);
        while (r && root[r - 1] == '/') r--;
        if (!strncmp(path, root, r) && path[r] == '/') rest = path + r + 1;
    } else if (!strncmp(uri, base, n) && uri[n] == '/') {
        rest = uri + n + 1;
    }
    if (!rest || !*rest)
        return lake__error(err, LAKE_ENOTSUP, "Iceberg file %.300s is outside the warehouse %.300s: lakeorm reads and "
                                              "writes tables in its warehouse only", uri, base);
    key->len = 0;
    return lake__buf_puts(key, rest) || lake__buf_putc(key, 0) ? lake__error(err, LAKE_ENOMEM, "out of memory")
                                                               : (key->len--, LAKE_OK);
}

int lake__iceberg_uri_of(lake_backend *warehouse, const char *key, lake__buf *uri) {
    const char *base = lake_backend_url(warehouse);
    size_t n = warehouse_length(base);
    while (n && base[n - 1] == '/') n--;
    uri->len = 0;
    lake__buf_put(uri, base, n);
    lake__buf_printf(uri, "/%s", key);
    return uri->failed ? -1 : 0;
}

int lake__iceberg_next_metadata(const char *location, const char *previous, lake__buf *out) {
    long version = 0;
    if (previous) {
        const char *name = strrchr(previous, '/');
        name = name ? name + 1 : previous;
        char *end;
        long v = strtol(name, &end, 10);
        /* Names that do not start "<n>-" (v1.metadata.json, by the Hadoop catalog) count as 0. */
        version = end != name && *end == '-' && v >= 0 ? v + 1 : 1;
    }
    lake_uuid id;
    char text[LAKE_UUID_TEXT_LEN + 1];
    if (lake_uuid7_new(&id)) return -1;
    lake_uuid_format(&id, text);
    out->len = 0;
    return lake__buf_printf(out, "%s/metadata/%05ld-%s.metadata.json", location, version, text);
}

/* ---- the SQL catalog */

typedef struct sql {
    lake__sql_catalog *db;
    lake_backend *warehouse;
} sql;

static int sql_open(const char *url, lake_backend *warehouse, void **impl, lake_error *err) {
    const char *path = url + strlen("sqlite://");
    char file[1024], name[256] = "lakeorm";
    const char *query = strchr(path, '?');
    size_t n = query ? (size_t)(query - path) : strlen(path);
    if (!n || path[0] != '/' || n >= sizeof file)
        return lake__error(err, LAKE_EINVAL, "catalog %.300s: a SQL catalog is sqlite:///absolute/path/catalog.db", url);
    memcpy(file, path, n), file[n] = 0;
    if (query) {
        if (strncmp(query, "?name=", 6) || !query[6] || strlen(query + 6) >= sizeof name || strpbrk(query + 6, "&?="))
            return lake__error(err, LAKE_EINVAL, "catalog %.300s: the one query key of a SQL catalog is name=<catalog name>",
                               url);
        snprintf(name, sizeof name, "%s", query + 6);
    }
    sql *c = lake__calloc(1, sizeof *c);
    if (!c) return lake__error(err, LAKE_ENOMEM, "out of memory");
    c->warehouse = warehouse;
    int rc = lake__sql_catalog_open(&c->db, file, name, err);
    if (rc) {
        lake__free(c);
        return rc;
    }
    *impl = c;
    return LAKE_OK;
}

static void sql_close(void *impl) {
    sql *c = impl;
    lake__sql_catalog_close(c->db);
    lake__free(c);
}

static int sql_namespace(void *impl, const char *ns, lake_error *err) {
    return lake__sql_catalog_namespace(((sql *)impl)->db, ns, err);
}

/* Reads the metadata file at location into json. */
static int read_metadata(sql *c, const char *location, lake__buf *json, lake_error *err) {
    lake__buf key = LAKE__BUF_INIT;
    char *data = NULL;
    size_t len = 0;
    int rc = lake__iceberg_key_of(c->warehouse, location, &key, err);
    if (!rc) rc = lake_backend_get(c->warehouse, key.data, &data, &len, err);
    if (rc == LAKE_ENOTFOUND)
        rc = lake__error(err, LAKE_EIO, "the catalog names metadata file %.300s, which is missing", location);
    json->len = 0;
    if (!rc && (lake__buf_put(json, data, len) || lake__buf_putc(json, 0))) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!rc) json->len--;
    lake__free(data);
    lake__buf_dispose(&key);
    return rc;
}

static int sql_load(void *impl, const char *ns, const char *table, lake__buf *location, lake__buf *json,
                    lake_arena *arena, lake__iceberg_storage *storage, lake_error *err) {
    (void)arena; /* a SQL catalog vends nothing: the client's own credentials reach the files */
    *storage = (lake__iceberg_storage)LAKE__ICEBERG_STORAGE_NONE;
    sql *c = impl;
    char at[1024];
    int rc = lake__sql_catalog_load(c->db, ns, table, at, sizeof at, err);
    location->len = 0;
    if (!rc && (lake__buf_puts(location, at) || lake__buf_putc(location, 0))) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!rc) location->len--;
    return rc ? rc : read_metadata(c, at, json, err);
}

/* Writes a new metadata file (never over another: its name is fresh). */
static int write_metadata(sql *c, const char *location, const lake__buf *json, lake_error *err) {
    lake__buf key = LAKE__BUF_INIT;
    int rc = lake__iceberg_key_of(c->warehouse, location, &key, err);
    if (!rc) rc = lake_backend_put_if_absent(c->warehouse, key.data, json->data, json->len, err);
    lake__buf_dispose(&key);
    return rc;
}

static void drop_metadata(sql *c, const char *location) {
    lake__buf key = LAKE__BUF_INIT;
    if (!lake__iceberg_key_of(c->warehouse, location, &key, NULL)) lake_backend_delete_prefix(c->warehouse, key.data, NULL, NULL);
    lake__buf_dispose(&key);
}

static int sql_create(void *impl, const char *ns, const char *table, const lake_schema *s, const char *location,
                      lake__buf *metadata_location, lake__buf *json, lake_error *err) {
    sql *c = impl;
    lake_uuid id;
    char uuid[LAKE_UUID_TEXT_LEN + 1];
    if (lake_uuid7_new(&id)) return lake__error(err, LAKE_EIO, "no randomness for a table uuid");
    lake_uuid_format(&id, uuid);
    lake__iceberg_table t = {uuid, location, s, lake__now_ms(), NULL, 0, NULL, 0};
    json->len = 0;
    int rc = lake__iceberg_metadata_json(json, &t, err);
    if (!rc && (lake__iceberg_next_metadata(location, NULL, metadata_location) || lake__buf_putc(metadata_location, 0)))
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (rc) return rc;
    metadata_location->len--;
    if ((rc = write_metadata(c, metadata_location->data, json, err))) return rc;
    if ((rc = lake__sql_catalog_create(c->db, ns, table, metadata_location->data, err))) drop_metadata(c, metadata_location->data);
    return rc;
}

static int sql_commit(void *impl, const char *ns, const char *table, const char *base_location, const char *base_json,
                      size_t base_len, const lake__iceberg_update *u, lake__buf *metadata_location, lake__buf *json,
                      lake_error *err) {
    sql *c = impl;
    lake_arena *arena;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__iceberg_loaded base;
    int rc = lake__iceberg_metadata_read(base_json, base_len, arena, &base, err);
    json->len = 0;
    if (!rc) rc = lake__iceberg_metadata_commit(json, base_json, base_len, u, base_location, lake__now_ms(), err);
    if (!rc && (lake__iceberg_next_metadata(base.location, base_location, metadata_location) ||
                lake__buf_putc(metadata_location, 0)))
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    lake_arena_free(arena);
    if (rc) return rc;
    metadata_location->len--;
    if ((rc = write_metadata(c, metadata_location->data, json, err))) return rc;
    rc = lake__sql_catalog_swap(c->db, ns, table, base_location, metadata_location->data, err);
    if (rc) drop_metadata(c, metadata_location->data); /* never named: no reader can have seen it */
    return rc;
}

static int sql_drop(void *impl, const char *ns, const char *table, lake_error *err) {
    return lake__sql_catalog_drop(((sql *)impl)->db, ns, table, err);
}

static int sql_namespaces(void *impl, int (*fn)(void *ctx, const char *ns), void *ctx, lake_error *err) {
    return lake__sql_catalog_namespaces(((sql *)impl)->db, fn, ctx, err);
}

const lake__iceberg_catalog_ops lake__iceberg_sql_catalog_ops = {
    .scheme = "sqlite",
    .open = sql_open,
    .close = sql_close,
    .namespace_ensure = sql_namespace,
    .load = sql_load,
    .create = sql_create,
    .commit = sql_commit,
    .drop = sql_drop,
    .namespaces = sql_namespaces,
};
