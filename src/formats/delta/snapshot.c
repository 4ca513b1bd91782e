/* SPDX-License-Identifier: MIT */
/* A Delta table's state at a version, by log replay (PROTOCOL.md, "Action
 * Reconciliation"): the newest complete checkpoint at or before it, read
 * with the engine, then every commit after it in order. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/compute_checkpoint.h"
#include "error/error.h"
#include "formats/delta/delta.h"
#include "parquet/dictionary.h"
#include "util/alloc.h"

/* Says in err what failed before err's own message (err may be NULL). */
__attribute__((format(printf, 3, 4))) static int restate(lake_error *err, int rc, const char *fmt, ...) {
    if (!err) return rc;
    char prefix[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    return lake__error_forward(err, err, "%s", prefix);
}

/* ---- the log's listing */

/* A checkpoint file: classic (parts 0) or part `index` of `parts`. */
typedef struct cp_file {
    int64_t version;
    uint32_t index, parts;
} cp_file;

typedef struct listing {
    int64_t *commits; /* versions that have a <v>.json, ascending */
    size_t commit_count, commit_cap;
    cp_file *checkpoints;
    size_t checkpoint_count, checkpoint_cap;
    size_t prefix_len; /* of "<root>_delta_log/" */
    bool oom;
} listing;

/* `digits` decimal digits at s, as a number; -1 when they are not all digits. */
static int64_t digits_at(const char *s, size_t digits) {
    int64_t v = 0;
    for (size_t i = 0; i < digits; i++) {
        if (s[i] < '0' || s[i] > '9' || v > (INT64_MAX - 9) / 10) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static bool push(void **items, size_t *count, size_t *cap, size_t size, const void *item) {
    if (*count == *cap) {
        size_t bigger = *cap ? *cap * 2 : 64;
        void *grown = lake__realloc(*items, *cap * size, bigger * size);
        if (!grown) return false;
        *items = grown, *cap = bigger;
    }
    memcpy((char *)*items + *count * size, item, size);
    (*count)++;
    return true;
}

/* Names other than these (checksums, compacted logs, sidecars, temporary
 * files, UUID-named v2 checkpoints) are not needed to replay the log. */
static int on_log_object(void *ctx, const char *key, uint64_t size) {
    (void)size;
    listing *l = ctx;
    const char *name = key + l->prefix_len;
    size_t len = strlen(name);
    int64_t v = len > 20 ? digits_at(name, 20) : -1;
    if (v < 0) return 0;
    const char *rest = name + 20;
    bool ok = true;
    if (!strcmp(rest, ".json")) {
        ok = push((void **)&l->commits, &l->commit_count, &l->commit_cap, sizeof v, &v);
    } else if (!strcmp(rest, ".checkpoint.parquet")) {
        cp_file f = {v, 0, 0};
        ok = push((void **)&l->checkpoints, &l->checkpoint_count, &l->checkpoint_cap, sizeof f, &f);
    } else if (len == 20 + 12 + 10 + 1 + 10 + 8 && !memcmp(rest, ".checkpoint.", 12) && rest[22] == '.' &&
               !strcmp(rest + 33, ".parquet")) {
        int64_t index = digits_at(rest + 12, 10), parts = digits_at(rest + 23, 10);
        if (index < 1 || parts < 1 || index > parts || parts > UINT32_MAX) return 0;
        cp_file f = {v, (uint32_t)index, (uint32_t)parts};
        ok = push((void **)&l->checkpoints, &l->checkpoint_count, &l->checkpoint_cap, sizeof f, &f);
    }
    if (!ok) l->oom = true;
    return ok ? 0 : LAKE_ENOMEM;
}

static int compare_versions(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Newest first; at one version a classic checkpoint first, then by parts and index. */
static int compare_checkpoints(const void *a, const void *b) {
    const cp_file *x = a, *y = b;
    if (x->version != y->version) return (x->version < y->version) - (x->version > y->version);
    if (x->parts != y->parts) return (x->parts > y->parts) - (x->parts < y->parts);
    return (x->index > y->index) - (x->index < y->index);
}

static void listing_free(listing *l) {
    lake__free(l->commits);
    lake__free(l->checkpoints);
}

/* _last_checkpoint is not read: replay lists the log anyway, to find the
 * commits after the checkpoint, and the listing shows every checkpoint that
 * file could name, and newer ones a writer finished without updating it. */
static int list_log(const lake__delta_table *t, listing *l, lake_error *err) {
    char prefix[600];
    memset(l, 0, sizeof *l);
    l->prefix_len = (size_t)snprintf(prefix, sizeof prefix, "%s_delta_log/", t->root);
    int rc = lake_backend_list(t->store, prefix, on_log_object, l, err);
    if (l->oom) return lake__error(err, LAKE_ENOMEM, "out of memory");
    if (rc) return restate(err, rc, "listing the Delta log of %s: ", t->name);
    if (l->commit_count) qsort(l->commits, l->commit_count, sizeof *l->commits, compare_versions);
    if (l->checkpoint_count) qsort(l->checkpoints, l->checkpoint_count, sizeof *l->checkpoints, compare_checkpoints);
    return LAKE_OK;
}

static bool has_commit(const listing *l, int64_t v) {
    return l->commit_count && bsearch(&v, l->commits, l->commit_count, sizeof v, compare_versions);
}

/* The first version in (from, to] without a commit file, or -1. */
static int64_t first_missing(const listing *l, int64_t from, int64_t to) {
    for (int64_t v = from + 1; v <= to; v++)
        if (!has_commit(l, v)) return v;
    return -1;
}

/* Whether checkpoints[i] starts a complete checkpoint (every part listed). */
static bool complete_at(const listing *l, size_t i) {
    const cp_file *f = &l->checkpoints[i];
    if (f->parts == 0) return true;
    for (uint32_t k = 0; k < f->parts; k++) {
        const cp_file *p = i + k < l->checkpoint_count ? &l->checkpoints[i + k] : NULL;
        if (!p || p->version != f->version || p->parts != f->parts || p->index != k + 1) return false;
    }
    return true;
}

/* 511 + 11 + 20 + 63 bytes fit every key buffer here (640): the bounds are what GCC checks at -O3. */
static void log_key(char *out, size_t cap, const lake__delta_table *t, int64_t version, const char *suffix) {
    snprintf(out, cap, "%.511s_delta_log/%020lld%.63s", t->root, (long long)version, suffix);
}

/* ---- reading a commit */

static int read_commit(const lake__delta_table *t, int64_t version, lake_arena *arena, lake__delta_commit_file *out,
                       lake_error *err) {
    char key[640];
    log_key(key, sizeof key, t, version, ".json");
    char *text = NULL;
    size_t len = 0;
    int rc = lake_backend_get(t->store, key, &text, &len, err);
    if (rc == LAKE_ENOTFOUND)
        return lake__error(err, LAKE_EIO, "the Delta log of %s has no version %lld (%s)", t->name, (long long)version,
                           key);
    if (rc) return restate(err, rc, "reading version %lld of the Delta log of %s: ", (long long)version, t->name);
    rc = lake__delta_parse_commit(text, len, version, arena, out, err);
    lake__free(text);
    return rc == LAKE_EIO ? restate(err, rc, "%s: ", t->name) : rc;
}

/* ---- reading a checkpoint with the engine */

typedef struct action_row {
    lake_str action;
} action_row;
static const lake_field action_fields[] = {
    LAKE_FIELD(action_row, action, "action", ""),
};
static const lake_model action_model = LAKE_MODEL(action_row, "delta_checkpoint", action_fields);

/* DuckDB's to_json writes non-finite doubles (in a checkpoint's
 * stats_parsed) as bare NaN and Infinity, which JSON lacks: they become
 * null, as nothing lakeorm reads is made of them. */
static int strict_json(lake__buf *out, const char *s, size_t len) {
    static const char *const words[] = {"NaN", "-Infinity", "Infinity"};
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\' && i + 1 < len) {
                lake__buf_putc(out, c);
                c = s[++i];
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else {
            size_t k = 0;
            while (k < 3 && (len - i < strlen(words[k]) || memcmp(s + i, words[k], strlen(words[k])))) k++;
            if (k < 3) {
                lake__buf_puts(out, "null");
                i += strlen(words[k]) - 1;
                continue;
            }
        }
        lake__buf_putc(out, c);
    }
    return out->failed ? -1 : 0;
}

static bool needs_strict(const char *s, size_t len) {
    return memmem(s, len, "NaN", 3) || memmem(s, len, "Infinity", 8);
}

static int read_checkpoint_file(const lake__delta_table *t, lake__session *session, const char *key,
                                int64_t version, lake_arena *arena, lake__delta_commit_file *into, lake_error *err) {
    const lake__engine *engine = &t->delta->cfg.engine;
    const lake_schema *schema;
    lake__buf path = LAKE__BUF_INIT, sql = LAKE__BUF_INIT, strict = LAKE__BUF_INIT;
    lake_arena *rows = NULL;
    lake__cursor *cur = NULL;
    int rc = lake_schema_of(&schema, &action_model, err);
    if (!rc) rc = lake__format_local_path(t->store, t->delta->cfg.cache_dir, key, &path, err);
    if (!rc && (lake__compute_checkpoint_actions(&sql) || lake_arena_new(&rows)))
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (rc) goto done;
    lake_param param = lake_param_text(path.data);
    lake__stmt st = {sql.data, &param, 1, false};
    rc = engine->ops->cursor_open(session, schema, &st, rows, true, &cur, err);
    while (!rc) {
        const void *record;
        rc = engine->ops->cursor_next(cur, &record, err);
        if (rc || !record) break;
        const lake_str *action = &((const action_row *)record)->action;
        const char *text = action->ptr;
        size_t len = action->len;
        if (needs_strict(text, len)) {
            strict.len = 0;
            if (strict_json(&strict, text, len)) {
                rc = lake__error(err, LAKE_ENOMEM, "out of memory");
                break;
            }
            text = strict.data, len = strict.len;
        }
        rc = lake__delta_parse_action(text, len, version, arena, into, err);
    }
    if (rc == LAKE_EIO) rc = restate(err, rc, "%s, checkpoint %s: ", t->name, key);
    else if (rc) rc = restate(err, rc, "reading checkpoint %s of %s: ", key, t->name);
done:
    if (cur) engine->ops->cursor_close(cur);
    lake_arena_free(rows);
    lake__buf_dispose(&strict);
    lake__buf_dispose(&sql);
    lake__buf_dispose(&path);
    return rc;
}

/* Every part of the checkpoint starting at checkpoints[i] into `into`. */
static int read_checkpoint(const lake__delta_table *t, const listing *l, size_t i, lake_arena *arena,
                           lake__delta_commit_file *into, lake_error *err) {
    const lake__engine *engine = &t->delta->cfg.engine;
    const cp_file *f = &l->checkpoints[i];
    if (!engine->ops)
        return lake__error(err, LAKE_ENOTSUP, "%s: reading the Delta checkpoint of version %lld needs an engine",
                           t->name, (long long)f->version);
    lake__session *session;
    bool opened;
    int rc = engine->ops->session_get(engine->impl, &session, &opened, err);
    if (rc) return rc;
    memset(into, 0, sizeof *into);
    into->version = f->version;
    into->timestamp = -1;
    uint32_t parts = f->parts ? f->parts : 1;
    for (uint32_t k = 0; k < parts && !rc; k++) {
        char key[640], suffix[64];
        if (f->parts) snprintf(suffix, sizeof suffix, ".checkpoint.%010u.%010u.parquet", k + 1, f->parts);
        else snprintf(suffix, sizeof suffix, ".checkpoint.parquet");
        log_key(key, sizeof key, t, f->version, suffix);
        rc = read_checkpoint_file(t, session, key, f->version, arena, into, err);
    }
    engine->ops->session_put(engine->impl, session, rc != LAKE_OK);
    return rc;
}

/* ---- replay */

/* A file's latest action: an add (live) or a remove. */
typedef struct file_state {
    lake__delta_file file;
    bool live;
} file_state;

typedef struct replay {
    const lake__delta_table *t;
    lake__delta_snapshot *s;
    file_state *files;
    size_t file_count, file_cap;
    lake__dict by_path; /* decoded paths, numbered as files[] */
    lake__delta_txn *txns;
    size_t txn_count, txn_cap;
    lake__dict by_app;  /* appIds, numbered as txns[] */
    bool has_protocol, has_metadata;
    lake__buf path;
} replay;

static int apply_file(replay *r, const lake__delta_file *f, bool live, int64_t version, lake_error *err) {
    r->path.len = 0;
    if (lake__delta_path_decode(&r->path, f->path)) {
        if (r->path.failed) return lake__error(err, LAKE_ENOMEM, "out of memory");
        return lake__error(err, LAKE_EIO, "corrupt Delta log of %s: version %lld names the malformed path %s",
                           r->t->name, (long long)version, f->path);
    }
    file_state st = {*f, live};
    int64_t at = lake__dict_index(&r->by_path, r->path.data, r->path.len);
    if (at < 0) return lake__error(err, LAKE_ENOMEM, "out of memory");
    if ((size_t)at < r->file_count) r->files[at] = st;
    else if (!push((void **)&r->files, &r->file_count, &r->file_cap, sizeof st, &st))
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    return LAKE_OK;
}

/* One commit's (or checkpoint's) actions over the state so far: removes
 * before adds, as a remove and an add of one path in one version can only
 * be a file whose deletion vector changed (PROTOCOL.md, "Action
 * Reconciliation"), which stays. */
static int apply(replay *r, const lake__delta_commit_file *c, lake_error *err) {
    int rc = LAKE_OK;
    for (size_t i = 0; i < c->remove_count && !rc; i++) rc = apply_file(r, &c->removes[i], false, c->version, err);
    for (size_t i = 0; i < c->add_count && !rc; i++) rc = apply_file(r, &c->adds[i], true, c->version, err);
    for (size_t i = 0; i < c->txn_count && !rc; i++) {
        const char *app = c->txns[i].app_id;
        int64_t at = lake__dict_index(&r->by_app, app, strlen(app));
        if (at >= 0 && (size_t)at < r->txn_count) r->txns[at] = c->txns[i];
        else if (at < 0 || !push((void **)&r->txns, &r->txn_count, &r->txn_cap, sizeof *r->txns, &c->txns[i]))
            rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    if (c->has_protocol) r->s->protocol = c->protocol, r->has_protocol = true;
    if (c->has_metadata) r->s->metadata = c->metadata, r->has_metadata = true;
    return rc;
}

static bool has_feature(const char *const *features, size_t count, const char *name) {
    for (size_t i = 0; i < count; i++)
        if (features[i] && !strcmp(features[i], name)) return true;
    return false;
}

/* The replay's result into the snapshot's arrays. */
static int finish(replay *r, lake_error *err) {
    lake__delta_snapshot *s = r->s;
    if (!r->has_protocol || !r->has_metadata)
        return lake__error(err, LAKE_EIO, "corrupt Delta log of %s: version %lld has no %s", r->t->name,
                           (long long)s->version, r->has_protocol ? "metaData" : "protocol");
    /* A v2 checkpoint keeps its adds in sidecar files this reader does not follow. */
    if (s->checkpoint_version >= 0 &&
        has_feature(s->protocol.reader_features, s->protocol.reader_feature_count, "v2Checkpoint"))
        return lake__error(err, LAKE_ENOTSUP, "%s uses the Delta feature v2Checkpoint, which lakeorm cannot read",
                           r->t->name);
    size_t live = 0;
    for (size_t i = 0; i < r->file_count; i++) live += r->files[i].live;
    s->files = live ? lake__arena_alloc(s->arena, live * sizeof *s->files, 16) : NULL;
    s->tombstones =
        r->file_count > live ? lake__arena_alloc(s->arena, (r->file_count - live) * sizeof *s->tombstones, 16) : NULL;
    s->txns = r->txn_count ? lake__arena_alloc(s->arena, r->txn_count * sizeof *s->txns, 16) : NULL;
    if ((live && !s->files) || (r->file_count > live && !s->tombstones) || (r->txn_count && !s->txns))
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->file_count; i++) {
        if (r->files[i].live) s->files[s->file_count++] = r->files[i].file;
        else s->tombstones[s->tombstone_count++] = r->files[i].file;
    }
    if (r->txn_count) memcpy(s->txns, r->txns, r->txn_count * sizeof *s->txns);
    s->txn_count = r->txn_count;
    int rc = lake__delta_schema_parse(s->metadata.schema_string, &s->metadata, s->arena, &s->columns,
                                      &s->column_count, err);
    return rc == LAKE_EIO ? restate(err, rc, "%s, version %lld: ", r->t->name, (long long)s->version) : rc;
}

static void replay_free(replay *r) {
    lake__free(r->files);
    lake__free(r->txns);
    lake__dict_dispose(&r->by_path);
    lake__dict_dispose(&r->by_app);
    lake__buf_dispose(&r->path);
}

static lake__delta_snapshot *snapshot_new(void) {
    lake__delta_snapshot *s = lake__calloc(1, sizeof *s);
    if (s && lake_arena_new(&s->arena)) {
        lake__free(s);
        return NULL;
    }
    if (s) s->version = s->checkpoint_version = -1;
    return s;
}

void lake__delta_snapshot_free(lake__delta_snapshot *s) {
    if (!s) return;
    lake_arena_free(s->arena);
    lake__free(s);
}

/* The snapshot at `target` from the checkpoint at checkpoints[from] (or,
 * with from SIZE_MAX, from version 0). */
static int replay_from(const lake__delta_table *t, const listing *l, size_t from, int64_t target,
                       lake__delta_snapshot **out, lake_error *err) {
    lake__delta_snapshot *s = snapshot_new();
    if (!s) return lake__error(err, LAKE_ENOMEM, "out of memory");
    replay r = {.t = t, .s = s, .path = LAKE__BUF_INIT};
    lake__dict_init(&r.by_path, false);
    lake__dict_init(&r.by_app, false);
    s->version = target;
    int64_t start = -1;
    int rc = LAKE_OK;
    if (from != SIZE_MAX) {
        lake__delta_commit_file cp;
        start = s->checkpoint_version = l->checkpoints[from].version;
        rc = read_checkpoint(t, l, from, s->arena, &cp, err);
        if (!rc) rc = apply(&r, &cp, err);
    }
    for (int64_t v = start + 1; v <= target && !rc; v++) {
        lake__delta_commit_file c;
        rc = read_commit(t, v, s->arena, &c, err);
        if (!rc) rc = apply(&r, &c, err);
    }
    if (!rc) rc = finish(&r, err);
    replay_free(&r);
    if (rc) {
        lake__delta_snapshot_free(s);
        return rc;
    }
    *out = s;
    return LAKE_OK;
}

int lake__delta_snapshot_load(const lake__delta_table *t, int64_t at_version, lake__delta_snapshot **out,
                              lake_error *err) {
    listing l;
    *out = NULL;
    int rc = list_log(t, &l, err);
    if (rc) return rc;
    int64_t newest = l.commit_count ? l.commits[l.commit_count - 1] : -1;
    for (size_t i = 0; i < l.checkpoint_count; i++) {
        if (!complete_at(&l, i)) continue;
        if (l.checkpoints[i].version > newest) newest = l.checkpoints[i].version;
        break;
    }
    if (newest < 0) { /* no table */
        listing_free(&l);
        *out = snapshot_new();
        return *out ? LAKE_OK : lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    if (at_version > newest) {
        listing_free(&l);
        return lake__error(err, LAKE_ENOTFOUND, "%s has no version %lld: its newest is %lld", t->name,
                           (long long)at_version, (long long)newest);
    }
    int64_t target = at_version >= 0 ? at_version : newest;
    /* The newest complete checkpoint whose later commits are all there; an
     * older one when it cannot be read (a writer may have left it corrupt),
     * as Spark falls back; version 0 last. The first failure is reported;
     * one of memory or of the client's setup (no engine, no cache folder)
     * ends the search. */
    lake_error first = LAKE_ERROR_INIT, later = LAKE_ERROR_INIT;
    bool failed = false;
    int64_t after = -1; /* the newest checkpoint at or before target */
    rc = LAKE_ENOTFOUND;
    for (size_t i = 0; i < l.checkpoint_count && rc && rc != LAKE_ENOMEM && rc != LAKE_ENOTSUP; i++) {
        if (l.checkpoints[i].version > target || !complete_at(&l, i)) continue;
        if (after < 0) after = l.checkpoints[i].version;
        if (first_missing(&l, l.checkpoints[i].version, target) >= 0) continue;
        rc = replay_from(t, &l, i, target, out, failed ? &later : &first);
        failed |= rc != LAKE_OK;
        lake_error_clear(&later);
    }
    if (rc && rc != LAKE_ENOMEM && rc != LAKE_ENOTSUP) {
        if (first_missing(&l, -1, target) < 0) {
            rc = replay_from(t, &l, SIZE_MAX, target, out, failed ? &later : &first);
        } else if (!failed) { /* no checkpoint was tried: a commit after the newest is missing */
            rc = lake__error(&first, LAKE_EIO, "the Delta log of %s has no version %lld", t->name,
                             (long long)first_missing(&l, after, target));
        }
        lake_error_clear(&later);
    }
    if (rc) rc = lake__error_forward(err, &first, "%s", "");
    lake_error_clear(&first);
    listing_free(&l);
    return rc;
}

int lake__delta_commits_since(const lake__delta_table *t, int64_t after, lake_arena *arena,
                              lake__delta_commit_file **out, size_t *count, lake_error *err) {
    listing l;
    *out = NULL, *count = 0;
    int rc = list_log(t, &l, err);
    if (rc) return rc;
    size_t cap = 0;
    for (size_t i = 0; i < l.commit_count && !rc; i++) {
        int64_t v = l.commits[i];
        if (v <= after) continue;
        if (v != after + 1 + (int64_t)*count) {
            rc = lake__error(err, LAKE_EIO, "the Delta log of %s has no version %lld", t->name,
                             (long long)(after + 1 + (int64_t)*count));
            break;
        }
        lake__delta_commit_file c;
        rc = read_commit(t, v, arena, &c, err);
        if (!rc && !push((void **)out, count, &cap, sizeof c, &c)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    listing_free(&l);
    if (rc) {
        lake__free(*out);
        *out = NULL, *count = 0;
    }
    return rc;
}

/* ---- what lakeorm may write */

static const char *config(const lake__delta_metadata *m, const char *key) {
    for (size_t i = 0; i < m->configuration_count; i++)
        if (m->configuration[i].key && !strcmp(m->configuration[i].key, key)) return m->configuration[i].value;
    return NULL;
}

static bool has_constraints(const lake__delta_metadata *m) {
    for (size_t i = 0; i < m->configuration_count; i++)
        if (m->configuration[i].key && !strncmp(m->configuration[i].key, "delta.constraints.", 18)) return true;
    return false;
}

/* Column metadata keys that ask writers to compute or check values (they
 * sit in field metadata at any depth, so the schema text is searched). */
static bool schema_says(const lake__delta_metadata *m, const char *key) {
    return m->schema_string && strstr(m->schema_string, key);
}

static bool column_mapping(const lake__delta_metadata *m) {
    const char *mode = config(m, "delta.columnMapping.mode");
    return mode && strcmp(mode, "none");
}

/* Why a feature in use stops lakeorm writing, or NULL when it does not:
 * lakeorm writes plain appends, merges by rewriting files, and checks
 * nothing a table may declare of its rows. appendOnly binds the caller
 * (metadata.configuration says whether it is on); timestampNtz only says
 * such columns may exist, and lakeorm never writes one (a model's
 * timestamps are instants), so a model that meets one fails the schema
 * check instead. */
static const char *feature_in_use(const lake__delta_metadata *m, const char *feature) {
    if (!strcmp(feature, "appendOnly") || !strcmp(feature, "timestampNtz")) return NULL;
    if (!strcmp(feature, "invariants")) return schema_says(m, "\"delta.invariants\"") ? feature : NULL;
    if (!strcmp(feature, "checkConstraints")) return has_constraints(m) ? feature : NULL;
    if (!strcmp(feature, "columnMapping")) return column_mapping(m) ? feature : NULL;
    return feature;
}

int lake__delta_check_writable(const lake__delta_snapshot *s, lake_error *err) {
    if (s->version < 0) return LAKE_OK;
    const lake__delta_protocol *p = &s->protocol;
    const lake__delta_metadata *m = &s->metadata;
    const char *why = NULL;
    if (p->reader > 3) {
        return lake__error(err, LAKE_ENOTSUP, "the Delta table needs readers of version %d; lakeorm reads 1 to 3",
                           p->reader);
    }
    if (p->writer > 7) {
        return lake__error(err, LAKE_ENOTSUP, "the Delta table needs writers of version %d; lakeorm writes 1 to 7",
                           p->writer);
    }
    if (p->reader == 3) {
        for (size_t i = 0; i < p->reader_feature_count && !why; i++) why = feature_in_use(m, p->reader_features[i]);
    } else if (p->reader == 2 && column_mapping(m)) {
        why = "columnMapping";
    }
    if (!why && p->writer == 7) {
        for (size_t i = 0; i < p->writer_feature_count && !why; i++) why = feature_in_use(m, p->writer_features[i]);
    } else if (!why) {
        /* Versions before 7 name no features: each one enables those of its version and below. */
        if (p->writer >= 2 && schema_says(m, "\"delta.invariants\"")) why = "invariants";
        else if (p->writer >= 3 && has_constraints(m)) why = "checkConstraints";
        else if (p->writer >= 4 && config(m, "delta.enableChangeDataFeed") &&
                 !strcmp(config(m, "delta.enableChangeDataFeed"), "true"))
            why = "changeDataFeed";
        else if (p->writer >= 4 && schema_says(m, "\"delta.generationExpression\"")) why = "generatedColumns";
        else if (p->writer >= 5 && column_mapping(m)) why = "columnMapping";
        else if (p->writer >= 6 && schema_says(m, "\"delta.identity.")) why = "identityColumns";
    }
    if (why)
        return lake__error(err, LAKE_ENOTSUP, "the Delta table uses the feature %s, which lakeorm does not write", why);
    return LAKE_OK;
}
