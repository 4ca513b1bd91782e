/* SPDX-License-Identifier: MIT */
/* Vacuum: deletes the files under a table that its newest version does not
 * read and that no reader or writer may still need (PROTOCOL.md, "Add File
 * and Remove File": a remove stays a tombstone, its file kept, until it is
 * older than the retention). lakeorm also deletes the files of writes that
 * never committed, but only when their names say how old they are: a file
 * of unknown age may belong to a writer about to commit it, so it is kept,
 * and logged. Uploads a killed writer left unfinished (the file backend's
 * temporary files, S3's multipart uploads) go by the same rule. */
#include <stdlib.h>
#include <string.h>

#include <lakeorm/ids.h>

#include "backends/backend.h"
#include "error/error.h"
#include "formats/delta/delta.h"
#include "formats/sweep.h"
#include "util/alloc.h"
#include "util/time.h"

typedef struct entry {
    const char *path;   /* relative to the table, decoded */
    int64_t removed_ms; /* tombstones: its deletionTimestamp, -1 when unknown */
} entry;

typedef struct vacuum {
    const lake__delta_table *t;
    const lake__delta_snapshot *s;
    lake_arena *arena;
    entry *live, *removed;     /* sorted by path */
    size_t live_count, removed_count;
    const char **absolute;     /* live files named by URI, decoded */
    size_t absolute_count;
    lake__sweep listing;
    lake_error *err;
} vacuum;

static int by_path(const void *a, const void *b) {
    return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

static int decode(vacuum *v, const char *path, const char **out) {
    lake__buf b = LAKE__BUF_INIT;
    bool malformed = lake__delta_path_decode(&b, path) && !b.failed;
    *out = b.failed || malformed ? NULL : lake__arena_strndup(v->arena, b.data ? b.data : "", b.len);
    lake__buf_dispose(&b);
    if (malformed)
        return lake__error(v->err, LAKE_EIO, "table %s: the log names a file with a malformed path: %s", v->t->name,
                           path);
    return *out ? LAKE_OK : lake__error(v->err, LAKE_ENOMEM, "out of memory");
}

static bool is_uri(const char *path) { return strstr(path, "://") || !strncmp(path, "file:/", 6); }

/* The files the snapshot reads and the ones its tombstones name. */
static int gather_log(vacuum *v) {
    const lake__delta_snapshot *s = v->s;
    v->live = lake__arena_alloc(v->arena, (s->file_count + 1) * sizeof *v->live, _Alignof(entry));
    v->absolute = lake__arena_alloc(v->arena, (s->file_count + 1) * sizeof *v->absolute, _Alignof(const char *));
    v->removed = lake__arena_alloc(v->arena, (s->tombstone_count + 1) * sizeof *v->removed, _Alignof(entry));
    if (!v->live || !v->absolute || !v->removed) return lake__error(v->err, LAKE_ENOMEM, "out of memory");
    int rc = LAKE_OK;
    for (size_t i = 0; !rc && i < s->file_count; i++) {
        const char *path;
        rc = decode(v, s->files[i].path, &path);
        if (!rc && is_uri(path)) v->absolute[v->absolute_count++] = path;
        else if (!rc) v->live[v->live_count++] = (entry){path, -1};
    }
    for (size_t i = 0; !rc && i < s->tombstone_count; i++) {
        const char *path;
        rc = decode(v, s->tombstones[i].path, &path);
        if (!rc) v->removed[v->removed_count++] = (entry){path, s->tombstones[i].deletion_timestamp};
    }
    qsort(v->live, v->live_count, sizeof *v->live, by_path);
    qsort(v->removed, v->removed_count, sizeof *v->removed, by_path);
    return rc;
}

/* Delta's VACUUM rule: files and folders whose names start with '_' or '.'
 * are not data (_delta_log, _change_data, checksums), except a partition
 * folder "<column>=..." whose column's name starts so. They are kept. */
static bool hidden(const vacuum *v, const char *rel) {
    for (const char *part = rel; part; part = strchr(part, '/') ? strchr(part, '/') + 1 : NULL) {
        if (*part != '_' && *part != '.') continue;
        bool partition = false;
        for (size_t i = 0; !partition && i < v->s->metadata.partition_count; i++) {
            const char *col = v->s->metadata.partition_columns[i];
            size_t n = strlen(col);
            partition = !strncmp(part, col, n) && part[n] == '=';
        }
        if (!partition) return true;
    }
    return false;
}

static const entry *find(const entry *list, size_t count, const char *path) {
    entry probe = {path, -1};
    return bsearch(&probe, list, count, sizeof *list, by_path);
}

/* Whether a live file named by URI is this object: its URI ends with the
 * key under the store (a URI for another store that happens to end so keeps
 * a file too many, never one too few). */
static bool live_by_uri(const vacuum *v, const char *key) {
    size_t kn = strlen(key);
    for (size_t i = 0; i < v->absolute_count; i++) {
        size_t un = strlen(v->absolute[i]);
        if (un > kn && v->absolute[i][un - kn - 1] == '/' && !strcmp(v->absolute[i] + un - kn, key)) return true;
    }
    return false;
}

/* When lakeorm wrote a data file: its name "part-<n>-<uuid>..." carries the
 * request's UUIDv7 (the file backend's upload of it: ".part-...tmp-<hex>").
 * -1 for any other name. */
static int64_t written_ms(const char *rel, bool unfinished) { return lake__sweep_written_ms(rel, "part-", unfinished); }

static void log_kept(const vacuum *v, const char *key) {
    const lake__format_config *cfg = &v->t->delta->cfg;
    if (!cfg->log || cfg->log_level > LAKE_LOG_INFO) return;
    lake_log_field fields[] = {{"table", v->t->name, LAKE_LOG_TEXT},
                               {"key", key, LAKE_LOG_TEXT},
                               {"reason", "no remove and no time in its name", LAKE_LOG_TEXT}};
    cfg->log(cfg->log_ctx, LAKE_LOG_INFO, "delta.vacuum.kept_unknown_age", fields, sizeof fields / sizeof *fields);
}

/* Whether an object may go: not read by the snapshot, and known to be
 * older than the retention, by its remove or its name. */
static bool expired(const vacuum *v, const lake__sweep_object *o, int64_t cutoff_ms) {
    const char *key = o->key, *rel = key + strlen(v->t->root);
    if (o->unfinished) {
        /* its folder decides whether it is data; its own name is the upload's */
        const char *slash = strrchr(rel, '/');
        size_t dir = slash ? (size_t)(slash - rel) : 0;
        char folder[600];
        if (dir >= sizeof folder) return false;
        memcpy(folder, rel, dir);
        folder[dir] = 0;
        int64_t written = written_ms(rel, true);
        if (written < 0) log_kept(v, key);
        return !(dir && hidden(v, folder)) && written >= 0 && written < cutoff_ms;
    }
    if (hidden(v, rel) || find(v->live, v->live_count, rel) || live_by_uri(v, key)) return false;
    const entry *removed = find(v->removed, v->removed_count, rel);
    /* A path removed twice (re-added in between) sorts its tombstones
     * together: the youngest decides, an unknown one keeps the file. */
    while (removed && removed > v->removed && !strcmp(removed[-1].path, rel)) removed--;
    if (removed) {
        bool old = true;
        for (; removed < v->removed + v->removed_count && !strcmp(removed->path, rel); removed++)
            old = old && removed->removed_ms >= 0 && removed->removed_ms < cutoff_ms;
        return old;
    }
    int64_t written = written_ms(rel, false);
    if (written < 0) log_kept(v, key);
    return written >= 0 && written < cutoff_ms;
}

typedef struct dooming {
    const vacuum *v;
    int64_t cutoff_ms;
} dooming;

static bool doomed(void *ctx, const lake__sweep_object *o) {
    const dooming *d = ctx;
    return expired(d->v, o, d->cutoff_ms);
}

int lake__delta_vacuum(const lake__delta_table *t, int64_t retain_us, bool dry_run, lake_vacuum_fn fn, void *ctx,
                       uint64_t *files, uint64_t *bytes, lake_error *err) {
    *files = 0, *bytes = 0;
    if (retain_us < 0)
        return lake__error(err, LAKE_EINVAL, "table %s: the retention must not be negative (%lld us)", t->name,
                           (long long)retain_us);
    vacuum v = {.t = t, .err = err};
    v.listing = (lake__sweep){.store = t->store, .table = t->name, .err = err};
    lake__delta_snapshot *s = NULL;
    int rc = lake__delta_snapshot_load(t, -1, &s, err);
    if (!rc && s->version < 0) rc = lake__error(err, LAKE_ENOTFOUND, "table %s: no Delta log under %s", t->name, t->root);
    /* Deleting is writing: a table with features lakeorm does not know may
     * reference files in ways it cannot see (PROTOCOL.md: writers must
     * support every writer feature). */
    if (!rc) rc = lake__delta_check_writable(s, err);
    if (!rc && lake_arena_new(&v.arena)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    v.listing.arena = v.arena;
    v.s = s;
    /* The time is taken before the listing: a file written after it is younger than any cutoff. */
    int64_t cutoff_ms = lake__now_ms() - retain_us / 1000;
    if (!rc) rc = gather_log(&v);
    if (!rc) rc = lake__sweep_list(&v.listing, t->root);
    dooming d = {&v, cutoff_ms};
    if (!rc) rc = lake__sweep_run(&v.listing, doomed, &d, dry_run, fn, ctx, files, bytes);
    if (v.arena) lake_arena_free(v.arena);
    if (s) lake__delta_snapshot_free(s);
    return rc;
}
