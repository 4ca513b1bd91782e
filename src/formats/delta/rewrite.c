/* SPDX-License-Identifier: MIT */
/* Copy-on-write for inserts that match rows by key. The request's rows are
 * already data files; the engine reads them and the table's candidate files
 * (those whose key statistics overlap the request's) to find which files
 * hold a request key, and the plan is: remove those files and write their
 * other rows anew (merge keys, on_conflict update), or write anew only the
 * request's rows whose key the table lacks (on_conflict ignore). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm/ids.h>

#include "dialects/compute_rewrite.h"
#include "error/error.h"
#include "formats/delta/rewrite.h"
#include "util/alloc.h"

/* ---- scans of some files */

static int scan_view(const lake__delta_table *t, const lake__delta_snapshot *snap, lake__delta_file *files,
                     size_t count, lake__buf *out, lake_error *err) {
    lake__delta_snapshot view = *snap;
    view.files = files;
    view.file_count = count;
    return lake__delta_scan_sql(t, &view, out, err);
}

int lake__delta_scan_files(const lake__delta_table *t, const lake__delta_snapshot *snap, const size_t *indexes,
                           size_t count, lake__buf *out, lake_error *err) {
    lake__delta_file *files = lake__calloc(count ? count : 1, sizeof *files);
    if (!files) return lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; i < count; i++) files[i] = snap->files[indexes[i]];
    int rc = scan_view(t, snap, files, count, out, err);
    lake__free(files);
    return rc;
}

int lake__delta_scan_written(const lake__delta_table *t, const lake__delta_snapshot *snap,
                             const lake__delta_written *written, size_t count, lake__buf *out, lake_error *err) {
    lake__delta_file *files = lake__calloc(count ? count : 1, sizeof *files);
    lake__buf *paths = lake__calloc(count ? count : 1, sizeof *paths);
    int rc = files && paths ? LAKE_OK : lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < count; i++) {
        if (lake__delta_path_encode(&paths[i], written[i].path) || lake__buf_putc(&paths[i], 0)) {
            rc = lake__error(err, LAKE_ENOMEM, "out of memory");
            break;
        }
        files[i] = (lake__delta_file){paths[i].data, written[i].partition_values, written[i].partition_count,
                                      written[i].size, written[i].modification_time, -1, true, written[i].stats, false};
    }
    if (!rc) rc = scan_view(t, snap, files, count, out, err);
    for (size_t i = 0; paths && i < count; i++) lake__buf_dispose(&paths[i]);
    lake__free(paths);
    lake__free(files);
    return rc;
}

/* ---- the engine */

typedef struct text_row {
    lake_str text;
} text_row;

static const lake_field text_fields[] = {LAKE_FIELD(text_row, text, "text", "")};
static const lake_model text_model = LAKE_MODEL(text_row, "lakeorm_rows", text_fields);

typedef int (*row_fn)(void *ctx, const void *record, lake_error *err);

/* Runs a query through the engine: its first cell as text into `text`
 * ("" when it has no row), or each row as a record of `schema` to fn. The
 * records' strings live in `arena` until its owner resets it, or (arena
 * NULL) until the engine's next chunk of rows. */
static int engine_run(const lake__delta_table *t, const lake__buf *sql, char *text, size_t cap,
                      const lake_schema *schema, row_fn fn, void *ctx, lake_arena *arena, lake_error *err) {
    if (sql->failed) return lake__error(err, LAKE_ENOMEM, "out of memory");
    const lake__engine *e = &t->delta->cfg.engine;
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

/* Of the candidate files, the ones holding a key of the request: their indexes in snap->files. */
static int files_holding_keys(const lake__delta_request *r, const char *source, const size_t *candidates, size_t count,
                              size_t **out, size_t *out_count, lake_error *err) {
    lake__buf *scans = lake__calloc(count, sizeof *scans);
    const char **relations = lake__calloc(count, sizeof *relations);
    int rc = scans && relations ? LAKE_OK : lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < count; i++) {
        rc = lake__delta_scan_files(r->t, r->snap, &candidates[i], 1, &scans[i], err);
        if (!rc && lake__buf_putc(&scans[i], 0)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        if (!rc) relations[i] = scans[i].data;
    }
    matched_files m = {NULL, 0, 0};
    const lake_schema *rows = NULL;
    if (!rc) rc = lake_schema_of(&rows, &text_model, err);
    if (!rc) {
        lake__buf sql = LAKE__BUF_INIT;
        lake__rewrite_files_matched(&sql, relations, count, source, r->keys, r->key_count);
        rc = engine_run(r->t, &sql, NULL, 0, rows, collect_index, &m, NULL, err);
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
    lake__delta_files *files;
    lake_arena *arena; /* the batch's strings: reset once it is written */
    unsigned char *batch;
    size_t count, record_size;
} writing;

static int write_batch(writing *w, lake_error *err) {
    int rc = w->count ? lake__delta_files_add(w->files, w->batch, w->count, err) : LAKE_OK;
    w->count = 0;
    lake_arena_reset(w->arena);
    return rc;
}

static int write_row(void *ctx, const void *record, lake_error *err) {
    writing *w = ctx;
    memcpy(w->batch + w->count++ * w->record_size, record, w->record_size);
    return w->count == BATCH ? write_batch(w, err) : LAKE_OK;
}

/* Writes the rows `sql` selects as new data files, each keeping its own _ingest_id. */
static int write_anew(const lake__delta_request *r, const lake__buf *sql, lake__delta_plan *plan, lake_error *err) {
    lake_uuid tag;
    char tag_text[LAKE_UUID_TEXT_LEN + 1];
    if (lake_uuid7_new(&tag)) return lake__error(err, LAKE_ERROR, "no randomness for file names");
    lake_uuid_format(&tag, tag_text);
    const lake__delta_metadata *m = &r->snap->metadata;
    lake__delta_files_spec spec = {r->extended, m->partition_columns, m->partition_count, NULL, tag_text,
                                   r->t->delta->cfg.compression, r->t->delta->cfg.row_group_bytes, 0};
    int rc = lake__delta_files_open(r->t, &spec, &plan->extra, err);
    writing w = {plan->extra, NULL, NULL, 0, lake_schema_record_size(r->extended)};
    if (!rc && (lake_arena_new(&w.arena) || !(w.batch = lake__malloc(BATCH * w.record_size))))
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!rc) rc = engine_run(r->t, sql, NULL, 0, r->extended, write_row, &w, w.arena, err);
    if (!rc) rc = write_batch(&w, err);
    if (!rc) rc = lake__delta_files_close(plan->extra, &plan->extra_written, &plan->extra_count, err);
    lake__free(w.batch);
    if (w.arena) lake_arena_free(w.arena);
    return rc;
}

int lake__delta_plan_request(const lake__delta_request *r, lake__delta_plan *plan, lake_error *err) {
    memset(plan, 0, sizeof *plan);
    if (!r->key_count) return LAKE_OK; /* a blind append */
    lake__buf source = LAKE__BUF_INIT, table = LAKE__BUF_INIT, sql = LAKE__BUF_INIT;
    int rc = lake__delta_scan_written(r->t, r->snap, r->written, r->written_count, &source, err);
    if (!rc && lake__buf_putc(&source, 0)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    char key[256];
    if (!rc) {
        /* Matching one table row twice would depend on row order; an insert would collide with itself. */
        lake__rewrite_duplicate_key(&sql, source.data, r->keys, r->key_count);
        rc = engine_run(r->t, &sql, key, sizeof key, NULL, NULL, NULL, NULL, err);
    }
    if (!rc && *key)
        rc = r->on == LAKE__MATCH_NONE
                 ? lake__error(err, LAKE_EREMOTE, "primary key (%s) appears more than once in this request; nothing "
                                                  "written", key)
                 : lake__error(err, LAKE_EINVAL, "%s (%s) appears more than once in this request: each key can be "
                               "written once per insert", r->on == LAKE__MATCH_MERGE_KEYS ? "merge key" : "primary key", key);
    if (!rc) rc = lake__delta_key_range_of(r->written, r->written_count, r->keys, r->key_count, &plan->range, err);
    /* Candidates: the files whose statistics do not rule the request's keys out. */
    if (!rc && r->snap->file_count && !(plan->read = lake__calloc(r->snap->file_count, sizeof *plan->read)))
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < r->snap->file_count; i++)
        if (lake__delta_may_hold(plan->range, r->snap->files[i].stats, r->keys)) plan->read[plan->read_count++] = i;
    size_t *holding = NULL, holding_count = 0;
    if (!rc && plan->read_count) rc = files_holding_keys(r, source.data, plan->read, plan->read_count, &holding, &holding_count, err);
    if (!rc && holding_count) rc = lake__delta_scan_files(r->t, r->snap, holding, holding_count, &table, err);
    if (!rc && holding_count && lake__buf_putc(&table, 0)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    char count[32] = "0";
    if (!rc && holding_count) {
        sql.len = 0;
        lake__rewrite_count_matched(&sql, source.data, table.data, r->keys, r->key_count);
        rc = engine_run(r->t, &sql, count, sizeof count, NULL, NULL, NULL, NULL, err);
    }
    if (!rc) plan->matched = strtoull(count, NULL, 10);
    if (!rc && plan->matched) {
        sql.len = 0;
        if (r->on == LAKE__MATCH_NONE) {
            rc = lake__error(err, LAKE_EREMOTE, "%llu row%s of this request ha%s a primary key table %s holds already "
                             "(on_conflict is error); nothing written", (unsigned long long)plan->matched,
                             plan->matched == 1 ? "" : "s", plan->matched == 1 ? "s" : "ve", r->t->name);
        } else if (r->on == LAKE__MATCH_PRIMARY_KEY && r->on_conflict == LAKE_CONFLICT_IGNORE) {
            plan->replace_written = true; /* the table keeps its rows: only the request's others land */
            lake__rewrite_anti_join(&sql, source.data, table.data, r->keys, r->key_count);
            rc = write_anew(r, &sql, plan, err);
        } else {
            plan->removed = holding, plan->removed_count = holding_count, holding = NULL;
            lake__rewrite_anti_join(&sql, table.data, source.data, r->keys, r->key_count);
            rc = write_anew(r, &sql, plan, err);
        }
    }
    lake__free(holding);
    lake__buf_dispose(&source);
    lake__buf_dispose(&table);
    lake__buf_dispose(&sql);
    return rc;
}

void lake__delta_plan_free(lake__delta_plan *plan, bool delete_files) {
    if (plan->extra) lake__delta_files_free(plan->extra, delete_files);
    lake__delta_key_range_free(plan->range);
    lake__free(plan->removed);
    lake__free(plan->read);
    memset(plan, 0, sizeof *plan);
}
