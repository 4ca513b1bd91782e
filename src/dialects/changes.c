/* SPDX-License-Identifier: MIT */
/* What the dialects' migration renderers share. */
#include "dialects/changes.h"

#include <string.h>

#include "util/escape.h"

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
        e->ident(b, c->from->name);
        break;
    case LAKE__ADD_COLUMN:
        lake__buf_puts(b, " ADD COLUMN ");
        e->ident(b, c->to->name);
        lake__buf_putc(b, ' ');
        e->type(b, c->to);
        break;
    case LAKE__WIDEN_TYPE: case LAKE__CHANGE_TYPE:
        lake__buf_puts(b, " ALTER COLUMN ");
        e->ident(b, c->to->name);
        lake__buf_puts(b, " TYPE ");
        e->type(b, c->to);
        break;
    default: /* SET / DROP NOT NULL */
        lake__buf_puts(b, " ALTER COLUMN ");
        e->ident(b, c->to->name);
        lake__buf_puts(b, c->kind == LAKE__SET_NOT_NULL ? " SET NOT NULL" : " DROP NOT NULL");
    }
    lake__buf_puts(b, ";\n");
}
