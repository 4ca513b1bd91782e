/* SPDX-License-Identifier: MIT */
/* Typed reads: every reader is a stream underneath. */
#include <string.h>

#include "client/client.h"
#include "error/error.h"
#include "json/render.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/utf8.h"

struct lake_rows {
    lake_client *c;
    lake__session *session;
    lake__cursor *cursor;
    lake_arena *own_arena; /* a stream's, reset chunk by chunk */
    double started;
    uint64_t rows;
    char *sql;
};

void lake_rows_close(lake_rows *r) {
    if (!r) return;
    if (r->cursor) r->c->ops->cursor_close(r->cursor);
    lake__session_put(r->c, r->session, false);
    lake__metric_add(&r->c->metrics.rows_read, r->rows);
    lake__metric_phase(r->c, LAKE_PHASE_QUERY, r->started);
    lake_arena_free(r->own_arena);
    lake__free(r->sql);
    lake__free(r);
}

/* Checks the parameters every driver binds: text must be UTF-8 (engines say
 * less helpful things), decimals must fit their precision. */
static int check_params(const lake_param *params, size_t n, lake_error *err) {
    if (n && !params) return lake__error(err, LAKE_EINVAL, "nparams is %zu but params is NULL", n);
    for (size_t i = 0; i < n; i++) {
        const lake_param *p = &params[i];
        if ((unsigned)p->type > LAKE_PARAM_BYTES)
            return lake__error(err, LAKE_EINVAL, "parameter %zu has unknown type %d", i + 1, (int)p->type);
        if (p->type == LAKE_PARAM_TEXT && (!p->v.text.ptr || !lake__utf8_valid(p->v.text.ptr, p->v.text.len)))
            return lake__error(err, LAKE_EINVAL, "parameter %zu is not valid UTF-8 text", i + 1);
        if (p->type == LAKE_PARAM_DECIMAL &&
            (p->v.dec.precision < 1 || p->v.dec.precision > 38 || p->v.dec.scale > p->v.dec.precision))
            return lake__error(err, LAKE_EINVAL, "parameter %zu: a decimal's precision is 1-38 and its scale 0-precision",
                               i + 1);
        if (p->type == LAKE_PARAM_BYTES && p->v.bytes.len && !p->v.bytes.ptr)
            return lake__error(err, LAKE_EINVAL, "parameter %zu: bytes of length %zu at NULL", i + 1, p->v.bytes.len);
    }
    return LAKE_OK;
}

int lake__rows_open(lake_client *c, const lake_schema *schema, const lake_source *src, lake_arena *arena,
                    lake_rows **out, lake_error *err) {
    *out = NULL;
    if (!c || !src) return lake__error(err, LAKE_EINVAL, "a read needs a client and a source");
    if (src->sql && src->table) return lake__error(err, LAKE_EINVAL, "a source is SQL or a table, not both");
    if (!src->sql && !src->table && !schema) return lake__error(err, LAKE_EINVAL, "a source needs SQL or a table");
    int rc = check_params(src->params, src->nparams, err);
    if (rc) return rc;
    lake_rows *r = lake__calloc(1, sizeof *r);
    if (!r) return lake__error(err, LAKE_ENOMEM, "out of memory");
    r->c = c;
    r->started = lake__seconds();
    lake__metric_add(&c->metrics.queries, 1);
    const char *sql = src->sql;
    if (!sql) {
        lake__buf b = LAKE__BUF_INIT;
        c->dialect->select_all(&b, src->table ? src->table : lake_schema_table(schema));
        sql = r->sql = lake__buf_detach(&b, NULL);
        if (!sql) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    if (!rc && !arena && lake_arena_new(&r->own_arena)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!rc) rc = lake__session_get(c, &r->session, err);
    lake__stmt st = {sql, src->params, src->nparams, false};
    if (!rc)
        rc = c->ops->cursor_open(r->session, schema, &st, arena ? arena : r->own_arena, arena == NULL, &r->cursor, err);
    if (rc) {
        lake_rows_close(r);
        return lake__metric_error(c, rc);
    }
    *out = r;
    return LAKE_OK;
}

int lake_client_rows(lake_client *c, const lake_schema *schema, const lake_source *src, lake_rows **out,
                     lake_error *err) {
    if (!out) return lake__error(err, LAKE_EINVAL, "lake_client_rows: out is required");
    return lake__rows_open(c, schema, src, NULL, out, err);
}

int lake_rows_next(lake_rows *r, const void **record, lake_error *err) {
    if (!r || !record) return lake__error(err, LAKE_EINVAL, "lake_rows_next: rows and record are required");
    int rc = r->c->ops->cursor_next(r->cursor, record, err);
    if (rc) return lake__metric_error(r->c, rc);
    r->rows += *record != NULL;
    return LAKE_OK;
}

int lake_client_query(lake_client *c, const lake_schema *schema, const lake_source *src, lake_row_fn fn, void *ctx,
                      lake_error *err) {
    if (!fn || !schema) return lake__error(err, LAKE_EINVAL, "lake_client_query: schema and fn are required");
    lake_rows *r;
    int rc = lake__rows_open(c, schema, src, NULL, &r, err);
    const void *rec = NULL;
    while (!rc && !(rc = lake_rows_next(r, &rec, err)) && rec) rc = fn(ctx, rec);
    lake_rows_close(r);
    return rc;
}

int lake_client_query_all(lake_client *c, const lake_schema *schema, const lake_source *src, lake_arena *arena,
                          void **records, size_t *count, lake_error *err) {
    if (!schema || !arena || !records || !count)
        return lake__error(err, LAKE_EINVAL, "lake_client_query_all: schema, arena, records and count are required");
    *records = NULL;
    *count = 0;
    lake_rows *r;
    int rc = lake__rows_open(c, schema, src, arena, &r, err);
    size_t size = rc ? 0 : lake_schema_record_size(schema), n = 0, cap = 0;
    unsigned char *all = NULL;
    const void *rec = NULL;
    while (!rc && !(rc = lake_rows_next(r, &rec, err)) && rec) {
        if (n == cap) {
            size_t grown = cap ? cap * 2 : 64;
            unsigned char *p = lake__realloc(all, cap * size, grown * size);
            if (!p) {
                rc = lake__error(err, LAKE_ENOMEM, "out of memory holding %zu rows", n);
                break;
            }
            all = p;
            cap = grown;
        }
        memcpy(all + n++ * size, rec, size);
    }
    lake_rows_close(r);
    if (rc) {
        lake__free(all);
        return rc;
    }
    *records = all;
    *count = n;
    return LAKE_OK;
}

int lake_client_query_first(lake_client *c, const lake_schema *schema, const lake_source *src, lake_arena *arena,
                            void *record, lake_error *err) {
    if (!schema || !arena || !record)
        return lake__error(err, LAKE_EINVAL, "lake_client_query_first: schema, arena and record are required");
    lake_rows *r;
    int rc = lake__rows_open(c, schema, src, arena, &r, err);
    const void *rec = NULL;
    if (!rc) rc = lake_rows_next(r, &rec, err);
    if (!rc && !rec) rc = lake__metric_error(c, lake__error(err, LAKE_ENOROWS, "the query returned no rows"));
    if (!rc) memcpy(record, rec, lake_schema_record_size(schema));
    lake_rows_close(r);
    return rc;
}

const lake_schema *lake__rows_schema(const lake_rows *r) { return r->c->ops->cursor_schema(r->cursor); }

const lake_schema *lake_rows_schema(const lake_rows *r) { return r ? lake__rows_schema(r) : NULL; }

int lake_client_query_json(lake_client *c, const lake_source *src, lake_json_row_fn fn, void *ctx, lake_error *err) {
    if (!fn) return lake__error(err, LAKE_EINVAL, "lake_client_query_json: fn is NULL");
    lake_rows *r;
    int rc = lake__rows_open(c, NULL, src, NULL, &r, err);
    lake__buf line = LAKE__BUF_INIT;
    const void *rec = NULL;
    while (!rc && !(rc = lake_rows_next(r, &rec, err)) && rec) {
        line.len = 0;
        if (lake__json_write_record(&line, lake__rows_schema(r), rec)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        else rc = fn(ctx, line.data, line.len);
    }
    lake__buf_dispose(&line);
    lake_rows_close(r);
    return rc;
}
