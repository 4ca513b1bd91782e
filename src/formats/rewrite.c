/* SPDX-License-Identifier: MIT */
/* Copy-on-write plans for every table format (rewrite.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/compute_rewrite.h"
#include "error/error.h"
#include "formats/rewrite.h"
#include "util/alloc.h"

typedef struct text_row {
    lake_str text;
} text_row;

static const lake_field text_fields[] = {LAKE_FIELD(text_row, text, "text", "")};
static const lake_model text_model = LAKE_MODEL(text_row, "lakeorm_rows", text_fields);

int lake__engine_run(const lake__engine *e, const lake__buf *sql, char *text, size_t cap, const lake_schema *schema,
                     lake__engine_row_fn fn, void *ctx, lake_arena *arena, lake_error *err) {
    if (sql->failed) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__session *s;
    bool opened;
    int rc = e->ops->session_get(e->impl, &s, &opened, err);
    if (rc) return rc;
    lake__stmt st = {sql->data, NULL, 0, false};
    if (text) {
        rc = e->ops->query_text(s, &st, text, cap, err);
        if (rc == LAKE_ENOROWS) *text = 0, rc = LAKE_OK;
    } else {
        lake_arena *own = NULL;
        lake__cursor *cur = NULL;
        rc = !arena && lake_arena_new(&own) ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
        if (!rc) rc = e->ops->cursor_open(s, schema, &st, arena ? arena : own, own != NULL, &cur, err);
        const void *record = NULL;
        while (!rc && !(rc = e->ops->cursor_next(cur, &record, err)) && record) rc = fn(ctx, record, err);
        if (cur) e->ops->cursor_close(cur);
        lake_arena_free(own);
    }
    e->ops->session_put(e->impl, s, rc != LAKE_OK);
    return rc;
}

/* ---- the plan */

typedef struct matched_files {
    size_t *indexes; /* into the candidates */
    size_t count;
    size_t cap;
} matched_files;

static int collect_index(void *ctx, const void *record, lake_error *err) {
    matched_files *m = ctx;
    const text_row *row = record;
    if (m->count == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 16;
        size_t *grown = lake__realloc(m->indexes, m->cap * sizeof *grown, cap * sizeof *grown);
        if (!grown) return lake__error(err, LAKE_ENOMEM, "out of memory");
        m->indexes = grown, m->cap = cap;
    }
    char digits[32];
    snprintf(digits, sizeof digits, "%.*s", (int)row->text.len, row->text.ptr);
    m->indexes[m->count++] = (size_t)strtoull(digits, NULL, 10);
    return LAKE_OK;
}

/* Of the candidate files, the ones holding a key of the request: their indexes. */
static int files_holding_keys(const lake__rewrite_request *r, const char *source, const size_t *candidates,
                              size_t count, size_t **out, size_t *out_count, lake_error *err) {
    lake__buf *scans = lake__calloc(count, sizeof *scans);
    const char **relations = lake__calloc(count, sizeof *relations);
    int rc = scans && relations ? LAKE_OK : lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < count; i++) {
        rc = r->scan(r->ctx, &candidates[i], 1, &scans[i], err);
        if (!rc && lake__buf_putc(&scans[i], 0)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        if (!rc) relations[i] = scans[i].data;
    }
    matched_files m = {NULL, 0, 0};
    const lake_schema *rows = NULL;
    if (!rc) rc = lake_schema_of(&rows, &text_model, err);
    if (!rc) {
        lake__buf sql = LAKE__BUF_INIT;
        lake__rewrite_files_matched(&sql, relations, count, source, r->keys, r->key_count);
        rc = lake__engine_run(r->engine, &sql, NULL, 0, rows, collect_index, &m, NULL, err);
        lake__buf_dispose(&sql);
    }
    for (size_t i = 0; !rc && i < m.count; i++) {
        if (m.indexes[i] >= count) rc = lake__error(err, LAKE_ERROR, "the engine named file %zu of %zu", m.indexes[i], count);
        else m.indexes[i] = candidates[m.indexes[i]];
    }
    for (size_t i = 0; scans && i < count; i++) lake__buf_dispose(&scans[i]);
    lake__free(scans);
    lake__free(relations);
    if (rc) lake__free(m.indexes);
    else *out = m.indexes, *out_count = m.count;
    return rc;
}

/* Rows on their way to new data files, gathered into batches: a batch is
 * one round of the Parquet writer, its columns encoded on several threads. */
enum { BATCH = 16384 };

typedef struct writing {
    const lake__rewrite_request *r;
    lake_arena *arena; /* the batch's strings: reset once it is written */
    unsigned char *batch;
    size_t count, record_size;
} writing;

static int write_batch(writing *w, lake_error *err) {
    int rc = w->count ? w->r->write(w->r->ctx, w->batch, w->count, err) : LAKE_OK;
    w->count = 0;
    lake_arena_reset(w->arena);
    return rc;
}

static int write_row(void *ctx, const void *record, lake_error *err) {
    writing *w = ctx;
    memcpy(w->batch + w->count++ * w->record_size, record, w->record_size);
    return w->count == BATCH ? write_batch(w, err) : LAKE_OK;
}

/* Writes the rows `sql` selects anew, each keeping its own _ingest_id. */
static int write_anew(const lake__rewrite_request *r, const lake__buf *sql, lake_error *err) {
    writing w = {r, NULL, NULL, 0, lake_schema_record_size(r->extended)};
    int rc = lake_arena_new(&w.arena) || !(w.batch = lake__malloc(BATCH * w.record_size))
                 ? lake__error(err, LAKE_ENOMEM, "out of memory")
                 : LAKE_OK;
    if (!rc) rc = lake__engine_run(r->engine, sql, NULL, 0, r->extended, write_row, &w, w.arena, err);
    if (!rc) rc = write_batch(&w, err);
    lake__free(w.batch);
    if (w.arena) lake_arena_free(w.arena);
    return rc;
}

int lake__rewrite_plan_make(const lake__rewrite_request *r, lake__rewrite_plan *plan, lake_error *err) {
    memset(plan, 0, sizeof *plan);
    if (!r->key_count) return LAKE_OK; /* a blind append */
    lake__buf source = LAKE__BUF_INIT, table = LAKE__BUF_INIT, sql = LAKE__BUF_INIT;
    int rc = r->scan(r->ctx, NULL, 0, &source, err);
    if (!rc && lake__buf_putc(&source, 0)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    char key[256];
    if (!rc) {
        /* Matching one table row twice would depend on row order; an insert would collide with itself. */
        lake__rewrite_duplicate_key(&sql, source.data, r->keys, r->key_count);
        rc = lake__engine_run(r->engine, &sql, key, sizeof key, NULL, NULL, NULL, NULL, err);
    }
    if (!rc && *key)
        rc = r->on == LAKE__MATCH_NONE
                 ? lake__error(err, LAKE_EREMOTE, "primary key (%s) appears more than once in this request; nothing "
                                                  "written", key)
                 : lake__error(err, LAKE_EINVAL, "%s (%s) appears more than once in this request: each key can be "
                               "written once per insert", r->on == LAKE__MATCH_MERGE_KEYS ? "merge key" : "primary key", key);
    /* Candidates: the files whose statistics do not rule the request's keys out. */
    if (!rc && r->file_count && !(plan->read = lake__calloc(r->file_count, sizeof *plan->read)))
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < r->file_count; i++)
        if (!r->may_hold || r->may_hold(r->ctx, i)) plan->read[plan->read_count++] = i;
    size_t *holding = NULL, holding_count = 0;
    if (!rc && plan->read_count) rc = files_holding_keys(r, source.data, plan->read, plan->read_count, &holding, &holding_count, err);
    if (!rc && holding_count) rc = r->scan(r->ctx, holding, holding_count, &table, err);
    if (!rc && holding_count && lake__buf_putc(&table, 0)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    char count[32] = "0";
    if (!rc && holding_count) {
        sql.len = 0;
        lake__rewrite_count_matched(&sql, source.data, table.data, r->keys, r->key_count);
        rc = lake__engine_run(r->engine, &sql, count, sizeof count, NULL, NULL, NULL, NULL, err);
    }
    if (!rc) plan->matched = strtoull(count, NULL, 10);
    if (!rc && plan->matched) {
        sql.len = 0;
        if (r->on == LAKE__MATCH_NONE) {
            rc = lake__error(err, LAKE_EREMOTE, "%llu row%s of this request ha%s a primary key table %s holds already "
                             "(on_conflict is error); nothing written", (unsigned long long)plan->matched,
                             plan->matched == 1 ? "" : "s", plan->matched == 1 ? "s" : "ve", r->table);
        } else if (r->on == LAKE__MATCH_PRIMARY_KEY && r->on_conflict == LAKE_CONFLICT_IGNORE) {
            plan->replace_request = true; /* the table keeps its rows: only the request's others land */
            lake__rewrite_anti_join(&sql, source.data, table.data, r->keys, r->key_count);
            rc = write_anew(r, &sql, err);
        } else {
            plan->removed = holding, plan->removed_count = holding_count, holding = NULL;
            lake__rewrite_anti_join(&sql, table.data, source.data, r->keys, r->key_count);
            rc = write_anew(r, &sql, err);
        }
    }
    lake__free(holding);
    lake__buf_dispose(&source);
    lake__buf_dispose(&table);
    lake__buf_dispose(&sql);
    return rc;
}

int lake__rewrite_keys(const lake_schema *s, lake__match_on on, const char **keys, size_t cap, size_t *count,
                       lake_error *err) {
    bool merge = on == LAKE__MATCH_MERGE_KEYS;
    *count = 0;
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (!(merge ? c->merge_key : c->primary_key)) continue;
        if (*count == cap) return lake__error(err, LAKE_EINVAL, "a key has at most %zu columns", cap);
        keys[(*count)++] = c->name;
    }
    return LAKE_OK;
}

void lake__rewrite_plan_free(lake__rewrite_plan *plan) {
    lake__free(plan->removed);
    lake__free(plan->read);
    memset(plan, 0, sizeof *plan);
}
