/* SPDX-License-Identifier: MIT */
/* `?` parameters for a warehouse that binds only named ones, each sent as
 * text with its type's name, so the warehouse compares and stores it as its
 * own type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/databricks/warehouse.h"
#include "error/error.h"
#include "schema/type_table.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/utf8.h"
#include "values/values.h"

static int oom(lake_error *err) { return lake__error(err, LAKE_ENOMEM, "out of memory"); }

/* Where the quoted run or comment starting at p ends (just past it). Spark SQL
 * strings take backslash escapes; a doubled quote also continues them. */
static const char *skip_quoted(const char *p) {
    char q = *p++;
    for (; *p; p++) {
        if (*p == '\\' && q != '`' && p[1]) p++;
        else if (*p == q && p[1] == q) p++;
        else if (*p == q) return p + 1;
    }
    return p;
}

/* The API has no BINARY parameter: bytes travel as base64 text, decoded where
 * the marker stood (the dialect's from_base64). */
static bool as_base64(const lake_param *p) { return p && p->type == LAKE_PARAM_BYTES; }

/* The text with its `?` markers (outside quotes and comments) as :p1, :p2, ...;
 * dialect is read only for bytes parameters. */
static int rewrite(const lake__dialect *dialect, const char *sql, const lake_param *params, size_t nparams,
                   lake__buf *b, char (*names)[16], lake_error *err) {
    size_t seen = 0;
    bool extra = false;
    for (const char *p = sql; *p;) {
        const char *from = p;
        if (*p == '\'' || *p == '"' || *p == '`') p = skip_quoted(p);
        else if (p[0] == '-' && p[1] == '-') p += strcspn(p, "\n");
        else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end ? end + 2 : p + strlen(p);
        } else if (*p == '?') {
            if (seen == nparams) {
                extra = true;
                break;
            }
            snprintf(names[seen], 16, "p%zu", seen + 1);
            char marker[18];
            snprintf(marker, sizeof marker, ":%s", names[seen]);
            if (params && as_base64(&params[seen])) dialect->from_base64(b, marker);
            else lake__buf_puts(b, marker);
            seen++;
            p++;
            continue;
        } else p++;
        lake__buf_put(b, from, (size_t)(p - from));
    }
    if (b->failed || lake__buf_putc(b, 0)) return oom(err);
    if (seen != nparams || extra)
        return lake__error(err, LAKE_EINVAL, "databricks: the SQL has %s%zu `?` markers for %zu parameters",
                           extra ? "more than " : "", seen, nparams);
    return LAKE_OK;
}

int lake__dbx_positional(const char *sql, size_t nparams, char **sql_out, char (*names)[16], lake_error *err) {
    lake__buf b = LAKE__BUF_INIT;
    int rc = rewrite(NULL, sql, NULL, nparams, &b, names, err);
    if (rc) {
        lake__buf_dispose(&b);
        return rc;
    }
    *sql_out = lake__buf_detach(&b, NULL);
    return LAKE_OK;
}

/* A parameter as the column type whose value it carries: its type name
 * (schema/type_table.h) and text (values/values.h) are that type's. */
static lake_type param_type(const lake_param *p, lake__value *v) {
    switch (p->type) {
    case LAKE_PARAM_INT64: v->i = p->v.i64; return LAKE_INT64;
    case LAKE_PARAM_DOUBLE: v->f = p->v.f64; return LAKE_FLOAT64;
    case LAKE_PARAM_BOOL: v->b = p->v.b; return LAKE_BOOL;
    case LAKE_PARAM_TIMESTAMP: v->t = p->v.ts.us; return LAKE_TIMESTAMP;
    case LAKE_PARAM_DATE: v->t = p->v.date.days; return LAKE_DATE;
    case LAKE_PARAM_DECIMAL: v->i = lake__dec_get(p->v.dec.value); return LAKE_DECIMAL;
    default: return (lake_type)0;
    }
}

/* One parameter's value (into the arena) and type name, as the API takes them. */
static int typed_value(const lake_param *p, size_t index, lake_arena *arena, lake__dbx_param *out, lake_error *err) {
    out->value = NULL;
    out->type = "STRING";
    if (p->type == LAKE_PARAM_NULL) return LAKE_OK; /* the API names no NULL type: STRING casts to any */
    if (p->type == LAKE_PARAM_TEXT) {
        if (!p->v.text.ptr) return LAKE_OK;
        /* JSON carries UTF-8 only, and the API ends a value at a NUL. */
        if (!lake__utf8_valid(p->v.text.ptr, p->v.text.len) || memchr(p->v.text.ptr, 0, p->v.text.len))
            return lake__error(err, LAKE_EINVAL, "parameter %zu is not UTF-8 text without NUL bytes", index + 1);
        out->value = lake__arena_strndup(arena, p->v.text.ptr, p->v.text.len);
        return out->value ? LAKE_OK : oom(err);
    }
    if (p->type == LAKE_PARAM_BYTES) { /* base64 STRING, decoded by the statement: see as_base64 */
        const lake_bytes *b = &p->v.bytes;
        if (!b->ptr && b->len) return lake__error(err, LAKE_EINVAL, "parameter %zu: bytes with a length and no pointer", index + 1);
        char *encoded = lake__arena_alloc(arena, b->len / 3 * 4 + 8, 1);
        if (!encoded) return oom(err);
        encoded[lake__base64_encode(b->ptr, b->len, encoded)] = 0;
        out->value = encoded;
        return LAKE_OK;
    }
    lake__value v;
    lake_type type = param_type(p, &v);
    if (!type) return lake__error(err, LAKE_EINVAL, "parameter %zu has unknown type %d", index + 1, (int)p->type);
    unsigned scale = 0;
    out->type = lake__type_info_of(type)->spark;
    if (type == LAKE_DECIMAL) {
        unsigned precision = p->v.dec.precision;
        scale = p->v.dec.scale;
        if (precision < 1 || precision > 38 || scale > precision)
            return lake__error(err, LAKE_EINVAL, "parameter %zu: decimal(%u,%u): precision is 1-38, scale 0-precision",
                               index + 1, precision, scale);
        char name[24];
        snprintf(name, sizeof name, "%s(%u,%u)", out->type, precision, scale);
        if (!(out->type = lake__arena_strndup(arena, name, strlen(name)))) return oom(err);
    }
    char text[LAKE__VALUE_TEXT_MAX];
    size_t n = lake__value_text(type, scale, &v, text);
    out->value = lake__arena_strndup(arena, text, n);
    return out->value ? LAKE_OK : oom(err);
}

int lake__dbx_bind(const lake__dialect *dialect, const char *sql, const lake_param *params, size_t n,
                   const lake__dbx_param *named, size_t nnamed, lake_arena *arena, const char **text,
                   lake__dbx_param **bound, lake_error *err) {
    *text = NULL;
    *bound = NULL;
    if (n > 4096) return lake__error(err, LAKE_EINVAL, "databricks: %zu parameters: at most 4096", n);
    char(*names)[16] = n ? lake__calloc(n, sizeof *names) : NULL;
    lake__dbx_param *list = n + nnamed ? lake__arena_alloc(arena, (n + nnamed) * sizeof *list, _Alignof(lake__dbx_param)) : NULL;
    lake__buf b = LAKE__BUF_INIT;
    int rc = (n && !names) || (n + nnamed && !list) ? oom(err) : rewrite(dialect, sql, params, n, &b, names, err);
    for (size_t i = 0; !rc && i < n; i++) {
        if (!(list[i].name = lake__arena_strndup(arena, names[i], strlen(names[i])))) rc = oom(err);
        else rc = typed_value(&params[i], i, arena, &list[i], err);
    }
    if (!rc && nnamed) memcpy(list + n, named, nnamed * sizeof *named);
    if (!rc && !(*text = lake__arena_strndup(arena, b.data, b.len - 1))) rc = oom(err);
    if (!rc) *bound = list;
    lake__buf_dispose(&b);
    lake__free(names);
    return rc;
}

/* Binds the parameters and runs the statement for a small inline answer. */
static int run_inline(lake__dbx *d, const char *sql, const lake_param *params, size_t n, const lake__dbx_param *named,
                      size_t nnamed, lake_arena *arena, lake__dbx_response *r, lake_error *err) {
    const char *text;
    lake__dbx_param *bound;
    int rc = lake__dbx_bind(d->dialect, sql, params, n, named, nnamed, arena, &text, &bound, err);
    return rc ? rc : lake__dbx_run(d, text, bound, n + nnamed, LAKE__DBX_INLINE_JSON, arena, r, err);
}

int lake__dbx_sql(lake__dbx *d, const char *sql, const lake_param *params, size_t n, const lake__dbx_param *named,
                  size_t nnamed, int64_t *affected, lake_error *err) {
    if (affected) *affected = -1;
    lake_arena *arena = NULL;
    if (lake_arena_new(&arena)) return oom(err);
    lake__dbx_response r;
    int rc = run_inline(d, sql, params, n, named, nnamed, arena, &r, err);
    /* DML answers with num_affected_rows first; other statements with something else, or nothing. */
    if (!rc && affected && r.column_count && !strcmp(r.columns[0], "num_affected_rows") && r.has_first_value &&
        r.first_value)
        *affected = strtoll(r.first_value, NULL, 10);
    lake_arena_free(arena);
    return rc;
}

int lake__dbx_query_text(lake__dbx *d, const char *sql, const lake_param *params, size_t n,
                         const lake__dbx_param *named, size_t nnamed, char *out, size_t cap, lake_error *err) {
    lake_arena *arena = NULL;
    if (lake_arena_new(&arena)) return oom(err);
    lake__dbx_response r;
    int rc = run_inline(d, sql, params, n, named, nnamed, arena, &r, err);
    if (!rc && (!r.has_first_value || !r.first_value)) rc = LAKE_ENOROWS;
    else if (!rc) snprintf(out, cap, "%s", r.first_value);
    lake_arena_free(arena);
    return rc;
}
