/* SPDX-License-Identifier: MIT */
/* What the dialects' migration renderers share. */
#include "dialects/changes.h"

#include <stdio.h>
#include <string.h>

#include "util/escape.h"

bool lake__same_type(const lake_column *a, const lake_column *b, const lake__dialect *dialect) {
    lake__buf x = LAKE__BUF_INIT, y = LAKE__BUF_INIT;
    dialect->type(&x, a);
    dialect->type(&y, b);
    bool same = !x.failed && !y.failed && x.len == y.len && !memcmp(x.data, y.data, x.len);
    lake__buf_dispose(&x);
    lake__buf_dispose(&y);
    return same;
}

void lake__render_destructive(lake__buf *b, const char *reason) {
    lake__buf_puts(b, "-- DESTRUCTIVE: ");
    lake__escape_controls(b, reason, strlen(reason));
    lake__buf_putc(b, '\n');
}

static void keys(lake__buf *b, const lake_schema *s, bool merge, const lake__dialect *dialect) {
    size_t k = 0;
    lake__buf list = LAKE__BUF_INIT;
    lake__buf_putc(&list, '(');
    for (size_t i = 0; s && i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (!(merge ? c->merge_key : c->primary_key)) continue;
        if (k++) lake__buf_puts(&list, ", ");
        dialect->ident(&list, c->name);
    }
    lake__buf_putc(&list, ')');
    if (list.failed) b->failed = 1;
    else lake__escape_controls(b, list.data, list.len);
    lake__buf_dispose(&list);
}

/* "-- merge keys: (a) -> (a, b)": keys that live in lakeorm, not in DDL. */
void lake__render_key_comment(lake__buf *b, const lake__diff *d, bool merge, const lake__dialect *dialect) {
    lake__buf_puts(b, merge ? "-- merge keys: " : "-- primary key: ");
    keys(b, d->before, merge, dialect);
    lake__buf_puts(b, " -> ");
    keys(b, d->after, merge, dialect);
    lake__buf_putc(b, '\n');
}

void lake__render_statement(lake__buf *b, const lake__diff *d, const lake__change *c, const lake__dialect *e, const char *reason) {
    if (reason) lake__render_destructive(b, reason);
    if (c->kind == LAKE__DROP_TABLE) {
        lake__buf_puts(b, "DROP TABLE ");
        e->table(b, lake_schema_table(d->before));
        lake__buf_puts(b, ";\n");
        return;
    }
    lake__buf_puts(b, "ALTER TABLE ");
    e->table(b, lake_schema_table(d->after ? d->after : d->before));
    switch (c->kind) {
    case LAKE__RENAME_COLUMN:
        lake__buf_puts(b, " RENAME COLUMN ");
        e->ident(b, c->from->name);
        lake__buf_puts(b, " TO ");
        e->ident(b, c->to->name);
        break;
    case LAKE__DROP_COLUMN:
        lake__buf_puts(b, " DROP COLUMN ");
        lake__render_path(b, d, c, e);
        break;
    case LAKE__ADD_COLUMN:
        lake__buf_puts(b, " ADD COLUMN ");
        lake__render_path(b, d, c, e);
        lake__buf_putc(b, ' ');
        e->type(b, c->to);
        break;
    case LAKE__WIDEN_TYPE: case LAKE__CHANGE_TYPE:
        lake__buf_puts(b, " ALTER COLUMN ");
        lake__render_path(b, d, c, e);
        lake__buf_puts(b, " TYPE ");
        e->type(b, c->to);
        break;
    default: /* SET / DROP NOT NULL */
        lake__buf_puts(b, " ALTER COLUMN ");
        e->ident(b, lake__name_now(d, c));
        lake__buf_puts(b, c->kind == LAKE__SET_NOT_NULL ? " SET NOT NULL" : " DROP NOT NULL");
    }
    lake__buf_puts(b, ";\n");
}

/* Nullability inside a column's type is lakeorm's alone: neither DuckDB's
 * nor Spark's types say NOT NULL below a column, so no statement changes it. */
void lake__render_nested_nullability(lake__buf *b, const lake__diff *d, const lake__change *c) {
    if (c->kind == LAKE__DROP_NOT_NULL) {
        lake__buf_puts(b, "-- ");
        lake__render_path(b, d, c, NULL);
        lake__buf_puts(b, " may be NULL from now on: nullability inside a column is lakeorm's, nothing to alter\n");
        return;
    }
    char path[300], why[600];
    lake__path_text(d, c, path, sizeof path);
    snprintf(why, sizeof why, "%s is required by the model from now on, but a table cannot say NOT NULL inside a "
                              "column: rows already written may hold NULL there, which reads into the model refuse; "
                              "check or backfill them before merging", path);
    lake__render_destructive(b, why);
}

const char *lake__name_now(const lake__diff *d, const lake__change *c) {
    const lake_column *from = c->depth ? c->within[0].from : c->from, *to = c->depth ? c->within[0].to : c->to;
    if (!from || !to) return (to ? to : from)->name;
    for (const lake__change *x = c + 1; x < d->items + d->count; x++)
        if (x->kind == LAKE__RENAME_COLUMN && x->from == from && x->to == to) return from->name;
    return to->name;
}

void lake__render_path(lake__buf *b, const lake__diff *d, const lake__change *c, const lake__dialect *e) {
    for (size_t i = 0; i <= c->depth; i++) {
        const char *name = !i ? lake__name_now(d, c)
                         : i < c->depth ? (c->within[i].to ? c->within[i].to : c->within[i].from)->name
                                        : (c->to ? c->to : c->from)->name;
        if (i) lake__buf_putc(b, '.');
        if (e) e->ident(b, name);
        else lake__escape_controls(b, name, strlen(name));
    }
}

void lake__path_text(const lake__diff *d, const lake__change *c, char *out, size_t cap) {
    lake__buf path = LAKE__BUF_INIT;
    lake__render_path(&path, d, c, NULL);
    snprintf(out, cap, "%.*s", path.failed ? 0 : (int)path.len, path.failed ? "" : path.data);
    lake__buf_dispose(&path);
}
