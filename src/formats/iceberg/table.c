/* SPDX-License-Identifier: MIT */
/* Iceberg tables kept by lakeorm: the table-format operations the client
 * calls (formats/format.h). Creating, writing and vacuuming are in
 * create.c, write.c and vacuum.c; this file holds the format's state, a
 * table as loaded, and the reading operations. */
#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "formats/iceberg/iceberg.h"
#include "schema/name.h"
#include "util/alloc.h"

/* ---- the format's state */

static int iceberg_open(const lake__format_config *cfg, void **impl, lake_error *err) {
    lake__iceberg *ice = lake__calloc(1, sizeof *ice);
    if (!ice) return lake__error(err, LAKE_ENOMEM, "out of memory");
    ice->cfg = *cfg;
    ice->cfg.schema = ice->cfg.cache_dir = ice->cfg.catalog = NULL;
    snprintf(ice->ns, sizeof ice->ns, "%s", cfg->schema ? cfg->schema : "default");
    char url[4200];
    const char *root = lake_backend_local_root(cfg->warehouse);
    if (cfg->catalog) snprintf(url, sizeof url, "%s", cfg->catalog);
    else if (root) snprintf(url, sizeof url, "sqlite://%s/catalog.db", root); /* the embedded default */
    int rc = LAKE_OK;
    if (!cfg->catalog && !root)
        rc = lake__error(err, LAKE_EINVAL, "Iceberg tables in %s need a catalog: catalog=sqlite:///abs/catalog.db or "
                                           "catalog=rest+https://host/prefix", lake_backend_url(cfg->warehouse));
    if (!rc && ((cfg->cache_dir && !(ice->cfg.cache_dir = lake__strndup(cfg->cache_dir, strlen(cfg->cache_dir)))) ||
                (cfg->schema && !(ice->cfg.schema = lake__strndup(cfg->schema, strlen(cfg->schema))))))
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!rc) rc = lake__iceberg_catalog_find(url, &ice->catalog, err);
    if (!rc) rc = ice->catalog->open(url, cfg->warehouse, &ice->catalog_impl, err);
    if (rc) {
        lake__free((char *)ice->cfg.cache_dir), lake__free((char *)ice->cfg.schema), lake__free(ice);
        return rc;
    }
    *impl = ice;
    return LAKE_OK;
}

static void iceberg_close(void *impl) {
    lake__iceberg *ice = impl;
    ice->catalog->close(ice->catalog_impl);
    lake__free((char *)ice->cfg.cache_dir);
    lake__free((char *)ice->cfg.schema);
    lake__free(ice);
}

/* ---- a table */

int lake__iceberg_load(lake__iceberg *ice, const char *name, lake__iceberg_table_state **out, lake_error *err) {
    *out = NULL;
    char why[300];
    size_t len = strlen(name);
    if (lake__name_check(name, len, LAKE__NAME_TABLE, why, sizeof why)) return lake__error(err, LAKE_EINVAL, "%s", why);
    lake__iceberg_table_state *t = lake__calloc(1, sizeof *t);
    if (!t || lake_arena_new(&t->arena)) {
        lake__free(t);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    t->ice = ice;
    t->store = ice->cfg.warehouse;
    snprintf(t->name, sizeof t->name, "%s", name);
    lake__iceberg_storage vended = LAKE__ICEBERG_STORAGE_NONE;
    int rc = ice->catalog->load(ice->catalog_impl, ice->ns, name, &t->location, &t->json, t->arena, &vended, err);
    if (rc == LAKE_ENOTFOUND) {
        if (err) lake_error_clear(err);
        *out = t;
        return LAKE_OK;
    }
    if (!rc) rc = lake__iceberg_metadata_read(t->json.data, t->json.len, t->arena, &t->meta, err);
    lake_backend *own = NULL;
    if (!rc) rc = lake__iceberg_store_open(ice, name, &vended, &own, err);
    if (own) t->store = own, t->owns_store = true;
    lake__buf key = LAKE__BUF_INIT;
    if (!rc) rc = lake__iceberg_key_of(ice->cfg.warehouse, t->meta.location, &key, err);
    if (!rc && (size_t)snprintf(t->root, sizeof t->root, "%s/", key.data) >= sizeof t->root)
        rc = lake__error(err, LAKE_EINVAL, "table %s: its location is too long", name);
    lake__buf_dispose(&key);
    if (rc) {
        lake__iceberg_table_free(t);
        return rc;
    }
    t->found = true;
    *out = t;
    return LAKE_OK;
}

void lake__iceberg_table_free(lake__iceberg_table_state *t) {
    if (!t) return;
    lake__buf_dispose(&t->location);
    lake__buf_dispose(&t->json);
    lake__free(t->file_manifest);
    if (t->owns_store) lake_backend_free(t->store);
    lake_arena_free(t->arena);
    lake__free(t);
}

int lake__iceberg_read_uri(const lake__iceberg_table_state *t, const char *uri, char **data, size_t *len,
                           lake_error *err) {
    lake__buf key = LAKE__BUF_INIT;
    int rc = lake__iceberg_key_of(t->store, uri, &key, err);
    if (!rc) rc = lake_backend_get(t->store, key.data, data, len, err);
    if (rc == LAKE_ENOTFOUND) rc = lake__error(err, LAKE_EIO, "Iceberg file %.300s is missing", uri);
    lake__buf_dispose(&key);
    return rc;
}

/* Reads an object into the table's arena (manifests point into their bytes). */
static int read_kept(lake__iceberg_table_state *t, const char *uri, const void **data, size_t *len, lake_error *err) {
    char *bytes = NULL;
    int rc = lake__iceberg_read_uri(t, uri, &bytes, len, err);
    if (rc) return rc;
    void *kept = lake__arena_alloc(t->arena, *len ? *len : 1, 16);
    if (kept) memcpy(kept, bytes, *len);
    lake__free(bytes);
    *data = kept;
    return kept ? LAKE_OK : lake__error(err, LAKE_ENOMEM, "out of memory");
}

int lake__iceberg_list(lake__iceberg_table_state *t, lake_error *err) { return lake__iceberg_list_where(t, NULL, NULL, err); }

int lake__iceberg_list_where(lake__iceberg_table_state *t, bool (*needed)(void *ctx, const lake__iceberg_manifest *m),
                             void *ctx, lake_error *err) {
    if (t->listed || !t->found || !t->meta.current_manifest_list) return t->listed = true, LAKE_OK;
    const void *data;
    size_t len;
    int rc = read_kept(t, t->meta.current_manifest_list, &data, &len, err);
    if (!rc) rc = lake__iceberg_manifest_list_read(data, len, t->arena, &t->manifests, &t->manifest_count, err);
    size_t cap = 0;
    for (size_t m = 0; !rc && m < t->manifest_count; m++) {
        lake__iceberg_data_file *files;
        size_t n;
        if (needed && !needed(ctx, &t->manifests[m])) continue;
        t->manifests_read++;
        rc = read_kept(t, t->manifests[m].path, &data, &len, err);
        if (!rc) rc = lake__iceberg_manifest_read(data, len, &t->manifests[m], t->arena, &files, &n, err);
        if (!rc && t->file_count + n > cap) {
            size_t grown = (t->file_count + n) * 2;
            lake__iceberg_data_file *f = lake__arena_alloc(t->arena, grown * sizeof *f, _Alignof(lake__iceberg_data_file));
            size_t *where = lake__realloc(t->file_manifest, cap * sizeof *where, grown * sizeof *where);
            if (!f || !where) {
                if (where) t->file_manifest = where;
                rc = lake__error(err, LAKE_ENOMEM, "out of memory");
                break;
            }
            if (t->file_count) memcpy(f, t->files, t->file_count * sizeof *f);
            t->files = f, t->file_manifest = where, cap = grown;
        }
        for (size_t i = 0; !rc && i < n; i++) {
            t->files[t->file_count] = files[i];
            t->file_manifest[t->file_count++] = m;
        }
    }
    if (!rc) t->listed = true;
    return rc;
}

/* ---- reading */

/* What a read's pruning left: manifests and data files the table has, and those read. */
static void log_scan(const lake__iceberg_table_state *t, size_t read) {
    const lake__format_config *cfg = &t->ice->cfg;
    if (!cfg->log || cfg->log_level > LAKE_LOG_DEBUG) return;
    int64_t files = 0;
    for (size_t m = 0; m < t->manifest_count; m++) files += t->manifests[m].added_files + t->manifests[m].existing_files;
    char numbers[4][24];
    snprintf(numbers[0], 24, "%zu", t->manifest_count);
    snprintf(numbers[1], 24, "%zu", t->manifests_read);
    snprintf(numbers[2], 24, "%lld", (long long)files);
    snprintf(numbers[3], 24, "%zu", read);
    lake_log_field fields[] = {{"table", t->name, LAKE_LOG_TEXT},
                               {"manifests", numbers[0], LAKE_LOG_INTEGER},
                               {"manifests_read", numbers[1], LAKE_LOG_INTEGER},
                               {"files", numbers[2], LAKE_LOG_INTEGER},
                               {"read", numbers[3], LAKE_LOG_INTEGER}};
    cfg->log(cfg->log_ctx, LAKE_LOG_DEBUG, "iceberg.scan", fields, sizeof fields / sizeof *fields);
}

static int iceberg_scan(void *impl, const char *name, const lake__scan_filter *filter, lake__buf *sql, bool *found,
                        lake_error *err) {
    *found = false;
    char why[300];
    if (lake__name_check(name, strlen(name), LAKE__NAME_TABLE, why, sizeof why))
        return LAKE_OK; /* not a table here: the engine says it knows none */
    lake__iceberg_table_state *t;
    int rc = lake__iceberg_load(impl, name, &t, err);
    if (rc) return rc;
    size_t *kept = NULL, count = 0;
    if (t->found) rc = lake__iceberg_prune(t, filter, &kept, &count, err);
    if (!rc && t->found) {
        *found = true;
        log_scan(t, count);
        rc = lake__iceberg_scan_sql(t, kept, count, NULL, 0, sql, err);
    }
    lake__free(kept);
    lake__iceberg_table_free(t);
    return rc;
}

static int iceberg_type_name(const lake_column *column, lake__buf *out) {
    lake_arena *arena;
    if (lake_arena_new(&arena)) return -1;
    const lake__iceberg_field *f;
    int rc = lake__iceberg_model_field(column, arena, &f, NULL) || lake__iceberg_type_text(out, f);
    lake_arena_free(arena);
    return rc;
}

static int iceberg_columns(void *impl, const char *table, lake__live_column **out, size_t *count, lake_error *err) {
    *out = NULL, *count = 0;
    lake__iceberg_table_state *t;
    int rc = lake__iceberg_load(impl, table, &t, err);
    if (rc) return rc;
    size_t n = t->found ? t->meta.field_count : 0;
    lake__live_column *live = n ? lake__calloc(n, sizeof *live) : NULL;
    if (n && !live) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__buf type = LAKE__BUF_INIT;
    for (size_t i = 0; !rc && i < n; i++) {
        const lake__iceberg_field *f = &t->meta.fields[i];
        type.len = 0;
        if (lake__iceberg_type_text(&type, f)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        snprintf(live[i].name, sizeof live[i].name, "%s", f->name);
        snprintf(live[i].type, sizeof live[i].type, "%.*s", (int)type.len, type.data ? type.data : "");
        live[i].nullable = !f->required;
        live[i].key = -1; /* Iceberg keeps no primary key */
    }
    lake__buf_dispose(&type);
    lake__iceberg_table_free(t);
    if (rc) {
        lake__free(live);
        return rc;
    }
    *out = live, *count = n;
    return LAKE_OK;
}

/* ---- idempotency keys: recorded in the summary of the snapshot that
 * wrote the request (lakeorm.idempotency-key, with its ingest id and
 * fingerprint); the newest snapshots are searched. */

static int iceberg_key_find(void *impl, const char *table, const char *key, int64_t since_us, lake__format_key *out,
                            lake_error *err) {
    memset(out, 0, sizeof *out);
    lake__iceberg_table_state *t;
    int rc = lake__iceberg_load(impl, table, &t, err);
    if (rc) return rc;
    for (size_t i = t->found ? t->meta.snapshot_count : 0; i-- > 0;) {
        const lake__iceberg_snapshot_info *s = &t->meta.snapshots[i];
        if (s->timestamp_ms * 1000 < since_us) break; /* older ones have expired for the client too */
        if (!s->idempotency_key || strcmp(s->idempotency_key, key) || !s->ingest_id) continue;
        out->found = true;
        snprintf(out->ingest_id, sizeof out->ingest_id, "%s", s->ingest_id);
        snprintf(out->fingerprint, sizeof out->fingerprint, "%s", s->fingerprint ? s->fingerprint : "");
        snprintf(out->table, sizeof out->table, "%s", s->table ? s->table : table);
        break;
    }
    lake__iceberg_table_free(t);
    return LAKE_OK;
}

const lake__format_ops lake__iceberg_format = {
    .name = "iceberg",
    .open = iceberg_open,
    .close = iceberg_close,
    .scan = iceberg_scan,
    .create = lake__iceberg_create,
    .columns = iceberg_columns,
    .type_name = iceberg_type_name,
    .write_begin = lake__iceberg_write_begin,
    .write_add = lake__iceberg_write_add,
    .write_commit = lake__iceberg_write_commit,
    .write_free = lake__iceberg_write_free,
    .write_bytes = lake__iceberg_write_bytes,
    .key_find = iceberg_key_find,
    .vacuum = lake__iceberg_vacuum,
};
