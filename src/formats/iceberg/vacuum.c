/* SPDX-License-Identifier: MIT */
/* lakeorm vacuum on an Iceberg table: first the snapshots older than the
 * retention expire (one commit removing them; never the current one, nor
 * one a branch or tag names), then the files under the table's location
 * that no remaining snapshot references (data files, manifests, manifest
 * lists) and that are older than the retention are deleted: files rewrites
 * replaced, and what a killed writer or a lost commit race left behind.
 * Metadata files other than the current one and those its log names go
 * too (a commit that lost its race or died). Only files whose names say when
 * lakeorm wrote them go (a file of unknown age may belong to a writer about
 * to commit it). A dry run commits nothing and lists what would go. */
#include <stdlib.h>
#include <string.h>

#include "error/error.h"
#include "formats/iceberg/iceberg.h"
#include "formats/sweep.h"
#include "util/alloc.h"
#include "util/time.h"

typedef struct referenced {
    const char **keys; /* sorted once gathered */
    size_t count, cap;
    lake_arena *arena;
    const char **manifests; /* the manifests read, by URI */
    size_t manifest_count, manifest_cap;
} referenced;

static int by_key(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static int add_ref(referenced *r, const lake__iceberg_table_state *t, const char *uri, lake_error *err) {
    lake__buf key = LAKE__BUF_INIT;
    int rc = lake__iceberg_key_of(t->store, uri, &key, err);
    if (rc == LAKE_ENOTSUP) { /* outside the warehouse: nothing here to keep for it */
        if (err) lake_error_clear(err);
        lake__buf_dispose(&key);
        return LAKE_OK;
    }
    if (!rc && r->count == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        const char **grown = lake__realloc(r->keys, r->cap * sizeof *grown, cap * sizeof *grown);
        if (!grown) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        else r->keys = grown, r->cap = cap;
    }
    if (!rc && !(r->keys[r->count] = lake__arena_strndup(r->arena, key.data, key.len)))
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!rc) r->count++;
    lake__buf_dispose(&key);
    return rc;
}

static bool is_referenced(const referenced *r, const char *key) {
    return bsearch(&key, r->keys, r->count, sizeof *r->keys, by_key) != NULL;
}

/* Every file the snapshots reach but the expired ones (their manifest
 * lists, manifests and data files), and the metadata files: the current one
 * and those its log names. */
static int gather(const lake__iceberg_table_state *t, const int64_t *expired, size_t expired_count, referenced *r,
                  lake_error *err) {
    int rc = add_ref(r, t, t->location.data, err);
    for (size_t i = 0; !rc && i < t->meta.metadata_log_count; i++) rc = add_ref(r, t, t->meta.metadata_log[i], err);
    for (size_t s = 0; !rc && s < t->meta.snapshot_count; s++) {
        bool gone = false;
        for (size_t k = 0; k < expired_count && !gone; k++) gone = expired[k] == t->meta.snapshots[s].id;
        if (gone) continue;
        const char *list_uri = t->meta.snapshots[s].manifest_list;
        if (!list_uri || (rc = add_ref(r, t, list_uri, err))) continue;
        char *data = NULL;
        size_t len = 0;
        lake__iceberg_manifest *manifests;
        size_t count;
        rc = lake__iceberg_read_uri(t, list_uri, &data, &len, err);
        if (!rc) rc = lake__iceberg_manifest_list_read(data, len, r->arena, &manifests, &count, err);
        for (size_t m = 0; !rc && m < count; m++) {
            bool seen = false; /* a manifest several snapshots carry: its files are in already */
            for (size_t k = 0; k < r->manifest_count && !seen; k++) seen = !strcmp(r->manifests[k], manifests[m].path);
            if (seen) continue;
            if (r->manifest_count == r->manifest_cap) {
                size_t cap = r->manifest_cap ? 2 * r->manifest_cap : 64;
                const char **grown = lake__realloc(r->manifests, r->manifest_cap * sizeof *grown, cap * sizeof *grown);
                if (!grown) {
                    rc = lake__error(err, LAKE_ENOMEM, "out of memory");
                    break;
                }
                r->manifests = grown, r->manifest_cap = cap;
            }
            r->manifests[r->manifest_count++] = manifests[m].path;
            char *bytes = NULL;
            size_t n = 0;
            lake__iceberg_data_file *files;
            size_t file_count;
            rc = add_ref(r, t, manifests[m].path, err);
            if (!rc) rc = lake__iceberg_read_uri(t, manifests[m].path, &bytes, &n, err);
            if (!rc) rc = lake__iceberg_manifest_read(bytes, n, &manifests[m], r->arena, &files, &file_count, err);
            for (size_t f = 0; !rc && f < file_count; f++) rc = add_ref(r, t, files[f].path, err);
            lake__free(bytes);
        }
        lake__free(data);
    }
    if (!rc) qsort(r->keys, r->count, sizeof *r->keys, by_key);
    return rc;
}

typedef struct dooming {
    const lake__iceberg_table_state *t;
    const referenced *refs;
    int64_t cutoff_ms;
} dooming;

static bool ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

static void log_kept(const lake__iceberg_table_state *t, const char *key) {
    const lake__format_config *cfg = &t->ice->cfg;
    if (!cfg->log || cfg->log_level > LAKE_LOG_INFO) return;
    lake_log_field fields[] = {{"table", t->name, LAKE_LOG_TEXT},
                               {"key", key, LAKE_LOG_TEXT},
                               {"reason", "unreferenced, with no time in its name", LAKE_LOG_TEXT}};
    cfg->log(cfg->log_ctx, LAKE_LOG_INFO, "iceberg.vacuum.kept_unknown_age", fields, sizeof fields / sizeof *fields);
}

static bool doomed(void *ctx, const lake__sweep_object *o) {
    const dooming *d = ctx;
    if (!o->unfinished && (is_referenced(d->refs, o->key) || ends_with(o->key, "version-hint.text"))) return false;
    /* lakeorm's names: part-<n>-<uuid>... (data), <uuid>-m0.avro (manifests), snap-<id>-1-<uuid>.avro (lists),
     * <n>-<uuid>.metadata.json (metadata files neither current nor in the log: a commit that lost or died) */
    int64_t written = lake__sweep_written_ms(o->key, "part-", o->unfinished);
    if (written < 0) written = lake__sweep_written_ms(o->key, "snap-", o->unfinished);
    if (written < 0) written = lake__sweep_written_ms(o->key, "", o->unfinished);
    if (written < 0) log_kept(d->t, o->key);
    return written >= 0 && written < d->cutoff_ms;
}

/* The snapshots older than cutoff_ms that may expire: not the current one, none a ref names. */
static int expiring(const lake__iceberg_table_state *t, int64_t cutoff_ms, int64_t **out, size_t *count,
                    lake_error *err) {
    const lake__iceberg_loaded *m = &t->meta;
    *count = 0;
    *out = lake__calloc(m->snapshot_count + 1, sizeof **out);
    if (!*out) return lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; i < m->snapshot_count; i++) {
        const lake__iceberg_snapshot_info *s = &m->snapshots[i];
        bool named = s->id == m->current_snapshot_id;
        for (size_t r = 0; r < m->ref_count && !named; r++) named = m->ref_ids[r] == s->id;
        if (!named && s->timestamp_ms < cutoff_ms) (*out)[(*count)++] = s->id;
    }
    return LAKE_OK;
}

/* Commits the expiry (as another commit may move the table first, a few times over the newest). */
static int expire(lake__iceberg_table_state **t, const char *table, int64_t cutoff_ms, int64_t **ids, size_t *count,
                  lake_error *err) {
    lake__iceberg *ice = (*t)->ice;
    int rc = LAKE_OK;
    for (unsigned attempt = 0; !rc && *count; attempt++) {
        lake__iceberg_update u = {.expire = *ids, .expire_count = *count,
                                  .current_snapshot_id = (*t)->meta.current_snapshot_id};
        lake__buf location = LAKE__BUF_INIT, json = LAKE__BUF_INIT;
        rc = ice->catalog->commit(ice->catalog_impl, ice->ns, (*t)->name, (*t)->location.data, (*t)->json.data,
                                  (*t)->json.len, &u, &location, &json, err);
        lake__buf_dispose(&location);
        lake__buf_dispose(&json);
        if (!rc) { /* the table as it is now: its new metadata file is current, the expired snapshots gone */
            lake__iceberg_table_free(*t);
            *t = NULL, *count = 0;
            rc = lake__iceberg_load(ice, table, t, err);
            break;
        }
        if (rc != LAKE_ECONFLICT || attempt == 5) break;
        if (err) lake_error_clear(err);
        lake__iceberg_table_free(*t);
        lake__free(*ids);
        *ids = NULL, *t = NULL;
        if (!(rc = lake__iceberg_load(ice, table, t, err))) rc = expiring(*t, cutoff_ms, ids, count, err);
    }
    return rc;
}

int lake__iceberg_vacuum(void *impl, const char *table, int64_t retain_us, bool dry_run, lake_vacuum_fn fn, void *ctx,
                         uint64_t *files, uint64_t *bytes, lake_error *err) {
    *files = 0, *bytes = 0;
    if (retain_us < 0)
        return lake__error(err, LAKE_EINVAL, "table %s: the retention must not be negative (%lld us)", table,
                           (long long)retain_us);
    lake__iceberg_table_state *t;
    int rc = lake__iceberg_load(impl, table, &t, err);
    if (rc) return rc;
    if (!t->found) rc = lake__error(err, LAKE_ENOTFOUND, "table %s: no such table in the catalog", table);
    /* The time is taken before the listing: a file written after it is younger than any cutoff. */
    int64_t cutoff_ms = lake__now_ms() - retain_us / 1000;
    int64_t *expired = NULL;
    size_t expired_count = 0;
    if (!rc) rc = expiring(t, cutoff_ms, &expired, &expired_count, err);
    if (!rc && !dry_run) rc = expire(&t, table, cutoff_ms, &expired, &expired_count, err);
    referenced refs = {NULL, 0, 0, t ? t->arena : NULL, NULL, 0, 0};
    if (!rc) rc = gather(t, expired, expired_count, &refs, err);
    lake__sweep listing = {t ? t->store : NULL, table, refs.arena, NULL, 0, 0, err};
    if (!rc) rc = lake__sweep_list(&listing, t->root);
    dooming d = {t, &refs, cutoff_ms};
    if (!rc) rc = lake__sweep_run(&listing, doomed, &d, dry_run, fn, ctx, files, bytes);
    lake__free(refs.keys);
    lake__free(refs.manifests);
    lake__free(expired);
    lake__iceberg_table_free(t);
    return rc;
}
