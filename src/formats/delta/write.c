/* SPDX-License-Identifier: MIT */
/* A request's writes to a Delta table: data files as records arrive, then
 * one commit that adds them (and, for inserts matching rows by key, removes
 * and rewrites files: rewrite.c), with the idempotency key as a txn action
 * in the same version. A commit that loses the race to one that does not
 * touch its keys is retried at the next version; one that does is planned
 * again against the new version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error/error.h"
#include "formats/delta/rewrite.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/version.h"
#include "util/time.h"

enum { PLANS = 10, KEYS_MAX = 64 };

struct lake__format_write {
    lake__delta_table t;
    const lake_schema *schema;
    lake_schema *extended;
    char ingest_id[64];
    lake__match_on on;
    lake_on_conflict on_conflict;
    char *key;
    const char *fingerprint;
    lake__delta_snapshot *snap;
    lake__delta_files *files;
    const lake__delta_written *written;
    size_t written_count;
    const char *keys[KEYS_MAX];
    size_t key_count;
    lake__delta_plan plan;
    bool conflicted; /* the commit's check refused a winner: plan again */
    uint64_t bytes;  /* of the request's data files, once closed */
};

/* ---- beginning */

static bool model_has(const lake_schema *s, const char *name) {
    for (size_t i = 0; i < lake_schema_column_count(s); i++)
        if (!strcasecmp(lake_schema_column(s, i)->name, name)) return true;
    return false;
}

/* The model must fit the table: each column there with the same type, and
 * what the model lacks nullable (its rows get NULL); a rewrite must lack
 * nothing, or it would drop values. */
static int check_fit(const lake__format_write *w, bool rewrites, lake_error *err) {
    const lake__delta_snapshot *s = w->snap;
    lake__buf want = LAKE__BUF_INIT, have = LAKE__BUF_INIT, json = LAKE__BUF_INIT;
    int rc = LAKE_OK;
    for (size_t i = 0; !rc && i < lake_schema_column_count(w->schema); i++) {
        const lake_column *c = lake_schema_column(w->schema, i);
        const lake__delta_column *col = NULL;
        for (size_t k = 0; k < s->column_count && !col; k++)
            if (!strcasecmp(s->columns[k].name, c->name)) col = &s->columns[k];
        if (!col) {
            rc = lake__error(err, LAKE_EINVAL, "table %s has no column %s, which the model has: migrate first", w->t.name,
                             c->name);
            break;
        }
        want.len = have.len = json.len = 0;
        if (lake__delta_column_type_json(&json, c) || lake__buf_putc(&json, 0)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        if (!rc) rc = lake__delta_type_text(&want, json.data, err);
        if (!rc) rc = lake__delta_type_text(&have, col->type_json, err);
        if (!rc && (want.len != have.len || memcmp(want.data, have.data, want.len)))
            rc = lake__error(err, LAKE_EINVAL, "column %s of table %s is %.*s, the model says %.*s: nothing written",
                             c->name, w->t.name, (int)have.len, have.data, (int)want.len, want.data);
    }
    for (size_t k = 0; !rc && k < s->column_count; k++) {
        const lake__delta_column *col = &s->columns[k];
        if (!strcmp(col->name, "_ingest_id") || model_has(w->schema, col->name)) continue;
        if (!col->nullable || rewrites)
            rc = lake__error(err, LAKE_EINVAL, "table %s has column %s, which the model lacks: %s", w->t.name,
                             col->name, !col->nullable ? "it is NOT NULL, so rows without it cannot be written"
                                                        : "rewriting files for this insert would lose its values");
    }
    lake__buf_dispose(&want);
    lake__buf_dispose(&have);
    lake__buf_dispose(&json);
    return rc;
}

static bool config_true(const lake__delta_metadata *m, const char *key) {
    for (size_t i = 0; i < m->configuration_count; i++)
        if (!strcasecmp(m->configuration[i].key, key)) return m->configuration[i].value && !strcasecmp(m->configuration[i].value, "true");
    return false;
}

int lake__delta_write_begin(void *impl, const lake__format_write_spec *spec, lake__format_write **out, lake_error *err) {
    *out = NULL;
    lake__format_write *w = lake__calloc(1, sizeof *w);
    if (!w) return lake__error(err, LAKE_ENOMEM, "out of memory");
    w->schema = spec->schema;
    w->on = spec->on;
    w->on_conflict = spec->on_conflict;
    snprintf(w->ingest_id, sizeof w->ingest_id, "%s", spec->ingest_id);
    int rc = lake__delta_table_at(impl, lake_schema_table(spec->schema), &w->t, err);
    if (!rc && spec->idempotency_key && !(w->key = lake__strndup(spec->idempotency_key, strlen(spec->idempotency_key))))
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!rc) rc = lake__delta_snapshot_load(&w->t, -1, &w->snap, err);
    if (!rc && w->snap->version < 0)
        rc = lake__error(err, LAKE_ENOTFOUND, "table %s does not exist in the warehouse: migrate first", w->t.name);
    if (!rc) rc = lake__delta_check_writable(w->snap, err);
    bool rewrites = w->on == LAKE__MATCH_MERGE_KEYS || (w->on == LAKE__MATCH_PRIMARY_KEY && w->on_conflict == LAKE_CONFLICT_UPDATE);
    if (!rc && rewrites && config_true(&w->snap->metadata, "delta.appendOnly"))
        rc = lake__error(err, LAKE_ENOTSUP, "table %s is append-only (delta.appendOnly): inserts that update rows cannot "
                                            "change it", w->t.name);
    if (!rc) rc = check_fit(w, rewrites, err);
    if (!rc) rc = lake__rewrite_keys(w->schema, w->on, w->keys, KEYS_MAX, &w->key_count, err);
    if (!rc) rc = lake__schema_with_ingest_id(w->schema, &w->extended, err);
    if (!rc) {
        const lake__delta_metadata *m = &w->snap->metadata;
        lake__delta_files_spec fs = {w->schema, m->partition_columns, m->partition_count, w->ingest_id, w->ingest_id,
                                     w->t.delta->cfg.compression, w->t.delta->cfg.row_group_bytes, 0,
                                     w->t.delta->cfg.threads};
        rc = lake__delta_files_open(&w->t, &fs, &w->files, err);
    }
    if (rc) {
        lake__delta_write_free(w);
        return rc;
    }
    *out = w;
    return LAKE_OK;
}

int lake__delta_write_add(lake__format_write *w, const void *records, size_t count, lake_error *err) {
    return lake__delta_files_add(w->files, records, count, err);
}

uint64_t lake__delta_write_bytes(const lake__format_write *w) {
    return w->files ? lake__delta_files_bytes(w->files) : w->bytes;
}

/* ---- committing */

static int render_file(lake__buf *out, const lake__delta_written *f, bool add) {
    lake__buf path = LAKE__BUF_INIT;
    int failed = lake__delta_path_encode(&path, f->path) || lake__buf_putc(&path, 0);
    lake__delta_file action = {path.data, f->partition_values, f->partition_count, f->size, f->modification_time,
                               lake__now_ms(), true, add ? f->stats : NULL, false};
    if (!failed) failed = add ? lake__delta_render_add(out, &action) : lake__delta_render_remove(out, &action);
    lake__buf_dispose(&path);
    return failed;
}

static int render_write(void *ctx, int64_t version, lake__buf *out, lake_error *err) {
    lake__format_write *w = ctx;
    const lake__delta_plan *p = &w->plan;
    bool merge = w->on != LAKE__MATCH_NONE;
    lake__delta_lakeorm_info info = {w->ingest_id, w->key, w->fingerprint, w->t.name};
    char parameters[128];
    snprintf(parameters, sizeof parameters, merge ? "{\"predicate\":\"keys\",\"matchedRows\":\"%llu\"}" : "{\"mode\":\"Append\"}",
             (unsigned long long)p->base.matched);
    int failed = lake__delta_render_commit_info(out, lake__now_ms(), merge ? "MERGE" : "WRITE", parameters,
                                                w->snap->version, !merge && !w->key_count, &info);
    if (w->key) {
        lake__delta_txn txn = {w->key, version, lake__now_ms()};
        failed |= lake__delta_render_txn(out, &txn);
    }
    int64_t now = lake__now_ms();
    for (size_t i = 0; i < p->base.removed_count; i++) {
        lake__delta_file removed = w->snap->files[p->base.removed[i]];
        removed.deletion_timestamp = now;
        removed.data_change = true;
        failed |= lake__delta_render_remove(out, &removed);
    }
    for (size_t i = 0; !p->base.replace_request && i < w->written_count; i++) failed |= render_file(out, &w->written[i], true);
    for (size_t i = 0; i < p->extra_count; i++) failed |= render_file(out, &p->extra_written[i], true);
    return failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

/* A winning commit conflicts when it removed a file this request read, or
 * added one that may hold one of its keys. */
static int check_winner(void *ctx, const lake__delta_commit_file *winner, lake_error *err) {
    lake__format_write *w = ctx;
    const lake__delta_plan *p = &w->plan;
    for (size_t i = 0; i < winner->remove_count; i++)
        for (size_t k = 0; k < p->base.read_count; k++)
            if (!strcmp(winner->removes[i].path, w->snap->files[p->base.read[k]].path)) goto conflict;
    for (size_t i = 0; i < winner->add_count; i++)
        if (lake__delta_may_hold(p->range, winner->adds[i].stats, w->keys)) goto conflict;
    return LAKE_OK;
conflict:
    w->conflicted = true;
    return lake__error(err, LAKE_ECONFLICT, "table %s: version %lld wrote rows with keys of this request",
                       w->t.name, (long long)winner->version);
}

static unsigned checkpoint_interval(const lake__delta_metadata *m) {
    for (size_t i = 0; i < m->configuration_count; i++)
        if (!strcmp(m->configuration[i].key, "delta.checkpointInterval") && m->configuration[i].value) {
            long n = strtol(m->configuration[i].value, NULL, 10);
            if (n > 0 && n < 1000000) return (unsigned)n;
        }
    return 10;
}

/* Every tenth version (or the table's interval) gets a checkpoint; a
 * failure there leaves a correct table, only slower to read. */
static void checkpoint(lake__format_write *w, int64_t version) {
    if (version <= 0 || version % checkpoint_interval(&w->snap->metadata)) return;
    lake_error why = LAKE_ERROR_INIT;
    lake__delta_snapshot *s = NULL;
    int rc = lake__delta_snapshot_load(&w->t, version, &s, &why);
    if (!rc) rc = lake__delta_checkpoint_write(&w->t, s, &why);
    const lake__format_config *cfg = &w->t.delta->cfg;
    if (rc && cfg->log && cfg->log_level <= LAKE_LOG_WARN) {
        char v[24];
        snprintf(v, sizeof v, "%lld", (long long)version);
        lake_log_field fields[] = {
            {"table", w->t.name, LAKE_LOG_TEXT}, {"version", v, LAKE_LOG_INTEGER}, {"error", why.message, LAKE_LOG_TEXT}};
        cfg->log(cfg->log_ctx, LAKE_LOG_WARN, "delta.checkpoint_failed", fields, 3);
    }
    lake__delta_snapshot_free(s);
    lake_error_clear(&why);
}

int lake__delta_write_commit(lake__format_write *w, const char *fingerprint, lake__format_outcome *out,
                             lake_error *err) {
    out->matched = 0, out->version = -1;
    w->fingerprint = fingerprint;
    int rc = lake__delta_files_close(w->files, &w->written, &w->written_count, err);
    w->bytes = lake__delta_files_bytes(w->files);
    for (unsigned attempt = 0; !rc; attempt++) {
        w->conflicted = false;
        rc = lake__delta_plan_request(&(lake__delta_request){&w->t, w->snap, w->schema, w->extended, w->keys,
                                                             w->key_count, w->on, w->on_conflict, w->written,
                                                             w->written_count},
                                      &w->plan, err);
        if (rc) break;
        bool adds = (!w->plan.base.replace_request && w->written_count) || w->plan.extra_count || w->plan.base.removed_count;
        if (!adds && !w->key) break; /* nothing to record */
        bool blind = w->on == LAKE__MATCH_NONE && !w->key_count;
        lake__delta_commit_spec spec = {w->snap->version, render_write, blind ? NULL : check_winner, w, w->key, 0};
        rc = lake__delta_commit(&w->t, &spec, &out->version, err);
        if (rc != LAKE_ECONFLICT || !w->conflicted || attempt + 1 == PLANS) break;
        /* Keys of this request changed under it: plan again on the newest version. */
        lake__delta_plan_free(&w->plan, true);
        lake__delta_snapshot_free(w->snap);
        w->snap = NULL;
        if (err) lake_error_clear(err);
        if ((rc = lake__delta_snapshot_load(&w->t, -1, &w->snap, err))) break;
        rc = lake__delta_check_writable(w->snap, err);
    }
    if (rc) return rc;
    out->matched = w->plan.base.matched;
    if (out->version >= 0) {
        if (w->plan.base.replace_request) lake__delta_files_free(w->files, true); /* never committed */
        else lake__delta_files_free(w->files, false);
        w->files = NULL;
        lake__delta_plan_free(&w->plan, false);
        checkpoint(w, out->version);
    }
    return LAKE_OK;
}

void lake__delta_write_free(lake__format_write *w) {
    if (!w) return;
    /* Whatever was not committed goes: a failed request leaves the table as it was. */
    lake__delta_plan_free(&w->plan, true);
    if (w->files) lake__delta_files_free(w->files, true);
    if (w->snap) lake__delta_snapshot_free(w->snap);
    lake__schema_extended_free(w->extended);
    lake__free(w->key);
    lake__free(w);
}
