/* SPDX-License-Identifier: MIT */
/* Delta Lake tables kept by lakeorm: the table-format operations the client
 * calls (formats/format.h). Creating and writing are in create.c and
 * write.c; this file holds the rest and the operations table. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "error/error.h"
#include "formats/delta/delta.h"
#include "schema/name.h"
#include "util/alloc.h"

/* ---- the format's state */

static int delta_open(const lake__format_config *cfg, void **impl, lake_error *err) {
    lake__delta *d = lake__calloc(1, sizeof *d);
    if (!d) return lake__error(err, LAKE_ENOMEM, "out of memory");
    d->cfg = *cfg;
    d->cfg.schema = cfg->schema ? lake__strndup(cfg->schema, strlen(cfg->schema)) : NULL;
    d->cfg.cache_dir = cfg->cache_dir ? lake__strndup(cfg->cache_dir, strlen(cfg->cache_dir)) : NULL;
    if ((cfg->schema && !d->cfg.schema) || (cfg->cache_dir && !d->cfg.cache_dir)) {
        lake__free((char *)d->cfg.schema), lake__free((char *)d->cfg.cache_dir), lake__free(d);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    *impl = d;
    return LAKE_OK;
}

static void delta_close(void *impl) {
    lake__delta *d = impl;
    lake__free((char *)d->cfg.schema);
    lake__free((char *)d->cfg.cache_dir);
    lake__free(d);
}

/* A table's name is one folder of the warehouse: a name lakeorm accepts for
 * tables, which holds no '/' and starts with neither '_' nor '.' (Delta's
 * hidden folders). */
int lake__delta_table_at(lake__delta *d, const char *name, lake__delta_table *out, lake_error *err) {
    char why[300];
    size_t len = strlen(name);
    if (lake__name_check(name, len, LAKE__NAME_TABLE, why, sizeof why))
        return lake__error(err, LAKE_EINVAL, "%s", why);
    if (strchr(name, '/') || name[0] == '_' || name[0] == '.' || len >= sizeof out->name)
        return lake__error(err, LAKE_EINVAL, "table name \"%.100s\" cannot name a folder of the warehouse", name);
    memset(out, 0, sizeof *out);
    out->delta = d;
    out->store = d->cfg.warehouse;
    snprintf(out->name, sizeof out->name, "%s", name);
    int n = d->cfg.schema ? snprintf(out->root, sizeof out->root, "%s/%s/", d->cfg.schema, name)
                          : snprintf(out->root, sizeof out->root, "%s/", name);
    if (n < 0 || (size_t)n >= sizeof out->root)
        return lake__error(err, LAKE_EINVAL, "table name \"%.100s\" is too long", name);
    return LAKE_OK;
}

/* ---- reading */

static int delta_scan(void *impl, const char *name, const lake__scan_filter *filter, lake__buf *sql, bool *found,
                      lake_error *err) {
    (void)filter; /* every file of the snapshot: Delta's statistics do not prune reads yet */
    *found = false;
    lake__delta_table t;
    lake_error ignored = LAKE_ERROR_INIT;
    int bad_name = lake__delta_table_at(impl, name, &t, &ignored);
    lake_error_clear(&ignored);
    if (bad_name) return LAKE_OK; /* not a table here: the engine says it knows none */
    lake__delta_snapshot *s;
    int rc = lake__delta_snapshot_load(&t, -1, &s, err);
    if (rc) return rc;
    if (s->version >= 0) {
        *found = true;
        rc = lake__delta_scan_sql(&t, s, sql, err);
    }
    lake__delta_snapshot_free(s);
    return rc;
}

static int delta_type_name(const lake_column *column, lake__buf *out) {
    lake__buf json = LAKE__BUF_INIT;
    int rc = lake__delta_column_type_json(&json, column) || lake__buf_putc(&json, 0);
    if (!rc) rc = lake__delta_type_text(out, json.data, NULL) != LAKE_OK;
    lake__buf_dispose(&json);
    return rc;
}

static int delta_columns(void *impl, const char *table, lake__live_column **out, size_t *count, lake_error *err) {
    *out = NULL, *count = 0;
    lake__delta_table t;
    int rc = lake__delta_table_at(impl, table, &t, err);
    lake__delta_snapshot *s = NULL;
    if (!rc) rc = lake__delta_snapshot_load(&t, -1, &s, err);
    if (rc || s->version < 0) {
        if (s) lake__delta_snapshot_free(s);
        return rc;
    }
    lake__live_column *live = lake__calloc(s->column_count ? s->column_count : 1, sizeof *live);
    if (!live) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__buf type = LAKE__BUF_INIT;
    for (size_t i = 0; !rc && i < s->column_count; i++) {
        type.len = 0;
        if (!(rc = lake__delta_type_text(&type, s->columns[i].type_json, err))) {
            snprintf(live[i].name, sizeof live[i].name, "%s", s->columns[i].name);
            snprintf(live[i].type, sizeof live[i].type, "%.*s", (int)type.len, type.data);
            live[i].nullable = s->columns[i].nullable;
            live[i].key = -1; /* Delta keeps no primary key */
        }
    }
    lake__buf_dispose(&type);
    size_t n = s->column_count;
    lake__delta_snapshot_free(s);
    if (rc) {
        lake__free(live);
        return rc;
    }
    *out = live;
    *count = n;
    return LAKE_OK;
}

/* ---- idempotency keys: the txn action (appId = the key, version = the
 * commit's version), with lakeorm's commitInfo in that version naming the
 * request. Spark and delta-rs see the txn; lakeorm reads both. */

static int delta_key_find(void *impl, const char *table, const char *key, int64_t since_us, lake__format_key *out,
                          lake_error *err) {
    memset(out, 0, sizeof *out);
    lake__delta_table t;
    int rc = lake__delta_table_at(impl, table, &t, err);
    lake__delta_snapshot *s = NULL;
    if (!rc) rc = lake__delta_snapshot_load(&t, -1, &s, err);
    const lake__delta_txn *txn = NULL;
    for (size_t i = 0; !rc && i < s->txn_count && !txn; i++)
        if (!strcmp(s->txns[i].app_id, key)) txn = &s->txns[i];
    /* A txn without lastUpdated has no age: it is as old as the commit that recorded it, read below. */
    if (txn && txn->last_updated >= 0 && txn->last_updated * 1000 < since_us) txn = NULL;
    lake_arena *arena = NULL;
    char key_name[600], *text = NULL;
    size_t len = 0;
    if (txn && !(rc = lake_arena_new(&arena) ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK)) {
        /* The commit that recorded the key, read alone: lakeorm's record of the request is there. */
        snprintf(key_name, sizeof key_name, "%s_delta_log/%020lld.json", t.root, (long long)txn->version);
        lake__delta_commit_file c;
        rc = lake_backend_get(t.store, key_name, &text, &len, err);
        if (rc == LAKE_ENOTFOUND) { /* cleaned from the log by another engine: the key's record is gone with it */
            if (err) lake_error_clear(err);
            rc = LAKE_OK;
        } else if (!rc && !(rc = lake__delta_parse_commit(text, len, txn->version, arena, &c, err)) &&
                   c.lakeorm.ingest_id && (txn->last_updated >= 0 || c.timestamp * 1000 >= since_us)) {
            out->found = true;
            snprintf(out->ingest_id, sizeof out->ingest_id, "%s", c.lakeorm.ingest_id);
            snprintf(out->fingerprint, sizeof out->fingerprint, "%s", c.lakeorm.fingerprint ? c.lakeorm.fingerprint : "");
            snprintf(out->table, sizeof out->table, "%s", c.lakeorm.table ? c.lakeorm.table : table);
        }
    }
    lake__free(text);
    lake_arena_free(arena);
    if (s) lake__delta_snapshot_free(s);
    return rc;
}

static int delta_vacuum(void *impl, const char *table, int64_t retain_us, bool dry_run, lake_vacuum_fn fn, void *ctx,
                        uint64_t *files, uint64_t *bytes, lake_error *err) {
    lake__delta_table t;
    int rc = lake__delta_table_at(impl, table, &t, err);
    return rc ? rc : lake__delta_vacuum(&t, retain_us, dry_run, fn, ctx, files, bytes, err);
}

/* A Delta table is its folder: the log and the data files go together. */
static int delta_drop(void *impl, const char *table, lake_error *err) {
    lake__delta_table t;
    int rc = lake__delta_table_at(impl, table, &t, err);
    return rc ? rc : lake_backend_delete_prefix(t.store, t.root, NULL, err);
}

const lake__format_ops lake__delta_format = {
    .name = "delta",
    .open = delta_open,
    .close = delta_close,
    .scan = delta_scan,
    .create = lake__delta_create,
    .drop = delta_drop,
    .columns = delta_columns,
    .type_name = delta_type_name,
    .write_begin = lake__delta_write_begin,
    .write_add = lake__delta_write_add,
    .write_commit = lake__delta_write_commit,
    .write_free = lake__delta_write_free,
    .write_bytes = lake__delta_write_bytes,
    .key_find = delta_key_find,
    .vacuum = delta_vacuum,
};
