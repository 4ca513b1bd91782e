/* SPDX-License-Identifier: MIT */
#include "drivers/describe.h"

#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "util/alloc.h"

static int oom(lake_error *err) { return lake__error(err, LAKE_ENOMEM, "out of memory"); }

int lake__describe_rows(const lake__driver_ops *ops, lake__session *s, const char *sql, const lake_schema *schema,
                        int (*fn)(void *ctx, const void *row, lake_error *err), void *ctx, lake_error *err) {
    lake_arena *arena = NULL;
    if (lake_arena_new(&arena)) return oom(err);
    const lake__stmt st = {sql, NULL, 0, false};
    lake__cursor *cur = NULL;
    int rc = ops->cursor_open(s, schema, &st, arena, true, &cur, err);
    const void *row = NULL;
    while (!rc && !(rc = ops->cursor_next(cur, &row, err)) && row) rc = fn(ctx, row, err);
    if (cur) ops->cursor_close(cur);
    lake_arena_free(arena);
    return rc == LAKE__ROWS_STOP ? LAKE_OK : rc;
}

/* ---- DESCRIBE TABLE */

/* Its rows: the column's name and type as the engine prints them. */
typedef struct describe_row {
    lake_str col_name, data_type;
} describe_row;
static const lake_field describe_fields[] = {
    LAKE_FIELD(describe_row, col_name, "col_name,nullable", ""),
    LAKE_FIELD(describe_row, data_type, "data_type,nullable", ""),
};
static const lake_model describe_model = LAKE_MODEL(describe_row, "describe", describe_fields);

/* Stops where the columns end: the partitioning and details sections follow
 * after an empty row, as "# ..." rows. */
static int take_column(void *ctx, const void *rec, lake_error *err) {
    lake__live_columns *l = ctx;
    const describe_row *row = rec;
    if (!row->col_name.ptr || !row->col_name.len || row->col_name.ptr[0] == '#') return LAKE__ROWS_STOP;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        lake__live_column *grown = lake__realloc(l->cols, l->cap * sizeof *grown, cap * sizeof *grown);
        if (!grown) return oom(err);
        l->cols = grown;
        l->cap = cap;
    }
    lake__live_column *c = &l->cols[l->count++];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%.*s", (int)row->col_name.len, row->col_name.ptr);
    snprintf(c->type, sizeof c->type, "%.*s", row->data_type.ptr ? (int)row->data_type.len : 0,
             row->data_type.ptr ? row->data_type.ptr : "");
    c->nullable = -1;
    c->key = -1;
    return LAKE_OK;
}

int lake__describe_columns(const lake__driver_ops *ops, lake__session *s, const lake__dialect *d, const char *table,
                           lake__live_columns *out, lake_error *err) {
    const lake_schema *schema;
    int rc = lake_schema_of(&schema, &describe_model, err);
    if (rc) return rc;
    lake__buf sql = LAKE__BUF_INIT;
    d->describe(&sql, table);
    /* The table's absence is told by the error: a fresh one, whatever the caller's holds. */
    lake_error own = LAKE_ERROR_INIT;
    rc = sql.failed ? oom(&own) : lake__describe_rows(ops, s, sql.data, schema, take_column, out, &own);
    lake__buf_dispose(&sql);
    if (rc) out->count = 0; /* no table: no columns */
    return lake__describe_outcome(rc, &own, LAKE_KIND_NOT_FOUND, err);
}

int lake__describe_outcome(int rc, lake_error *own, lake_error_kind answer, lake_error *err) {
    if (rc && (rc == LAKE_ENOMEM || own->kind != answer)) {
        if (err) {
            lake_error_clear(err);
            *err = *own;
            *own = (lake_error)LAKE_ERROR_INIT;
        }
    } else {
        rc = LAKE_OK;
    }
    lake_error_clear(own);
    return rc;
}

/* ---- the primary key among the table's properties */

typedef struct property_row {
    lake_str key, value;
} property_row;
static const lake_field property_fields[] = {
    LAKE_FIELD(property_row, key, "key,nullable", ""),
    LAKE_FIELD(property_row, value, "value,nullable", ""),
};
static const lake_model property_model = LAKE_MODEL(property_row, "properties", property_fields);

typedef struct key_search {
    const char *property;
    lake__live_columns *l;
} key_search;

/* The listed columns, "[a,b]", are in the key. */
static void mark_keys(lake__live_columns *l, const char *list, size_t len) {
    if (len < 2 || list[0] != '[' || list[len - 1] != ']') return;
    for (const char *p = list + 1, *end = list + len - 1; p < end;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        size_t n = (size_t)((comma ? comma : end) - p);
        for (size_t i = 0; i < l->count; i++)
            if (strlen(l->cols[i].name) == n && !memcmp(l->cols[i].name, p, n)) l->cols[i].key = 1;
        p += n + 1;
    }
}

static int take_property(void *ctx, const void *rec, lake_error *err) {
    (void)err;
    key_search *k = ctx;
    const property_row *row = rec;
    if (row->key.ptr && row->value.ptr && row->key.len == strlen(k->property) &&
        !memcmp(row->key.ptr, k->property, row->key.len))
        mark_keys(k->l, row->value.ptr, row->value.len);
    return LAKE_OK;
}

int lake__describe_keys(const lake__driver_ops *ops, lake__session *s, const lake__dialect *d, const char *table,
                        lake__live_columns *l, lake_error *err) {
    if (!d->key_property) return LAKE_OK;
    for (size_t i = 0; i < l->count; i++)
        if (strchr(l->cols[i].name, ',')) return LAKE_OK;
    const lake_schema *schema;
    int rc = lake_schema_of(&schema, &property_model, err);
    if (rc) return rc;
    lake__buf sql = LAKE__BUF_INIT;
    d->properties(&sql, table);
    for (size_t i = 0; i < l->count; i++) l->cols[i].key = 0; /* a table without the property has no key */
    key_search k = {d->key_property, l};
    rc = sql.failed ? oom(err) : lake__describe_rows(ops, s, sql.data, schema, take_property, &k, err);
    lake__buf_dispose(&sql);
    if (rc)
        for (size_t i = 0; i < l->count; i++) l->cols[i].key = -1;
    return rc;
}

void lake__live_columns_nullable(lake__live_columns *l, const char *name, size_t len, bool nullable) {
    for (size_t i = 0; i < l->count; i++)
        if (strlen(l->cols[i].name) == len && !memcmp(l->cols[i].name, name, len)) l->cols[i].nullable = nullable;
}

int lake__live_columns_give(lake__live_columns *l, int rc, lake__live_column **out, size_t *count) {
    if (rc || !l->count) {
        lake__free(l->cols);
        *out = NULL;
        *count = 0;
    } else {
        *out = l->cols;
        *count = l->count;
    }
    *l = (lake__live_columns){NULL, 0, 0};
    return rc;
}
