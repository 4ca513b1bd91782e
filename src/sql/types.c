/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "error/error.h"
#include "schema/type_table.h"
#include "sql/quote.h"

int lake__sql_quote_ident(lake__buf *b, const char *name, lake_engine engine) {
    char q = engine == LAKE_ENGINE_SPARK ? '`' : '"';
    lake__buf_putc(b, q);
    for (const char *p = name; *p; p++) {
        if (*p == q) lake__buf_putc(b, q);
        lake__buf_putc(b, *p);
    }
    return lake__buf_putc(b, q);
}

int lake__sql_quote_table(lake__buf *b, const char *name, lake_engine engine) {
    if (engine != LAKE_ENGINE_SPARK) return lake__sql_quote_ident(b, name, engine);
    for (const char *part = name;;) {
        size_t n = strcspn(part, ".");
        lake__buf_putc(b, '`');
        for (size_t i = 0; i < n; i++) {
            if (part[i] == '`') lake__buf_putc(b, '`');
            lake__buf_putc(b, part[i]);
        }
        lake__buf_putc(b, '`');
        if (!part[n]) return b->failed ? -1 : 0;
        lake__buf_putc(b, '.');
        part += n + 1;
    }
}

int lake__sql_type(lake__buf *b, const lake_column *c, lake_engine engine) {
    bool spark = engine == LAKE_ENGINE_SPARK;
    if (c->type == LAKE_STRUCT) {
        lake__buf_puts(b, spark ? "STRUCT<" : "STRUCT(");
        size_t n = lake_schema_column_count(c->child);
        for (size_t i = 0; i < n; i++) {
            const lake_column *f = lake_schema_column(c->child, i);
            if (i) lake__buf_puts(b, ", ");
            lake__sql_quote_ident(b, f->name, engine);
            lake__buf_puts(b, spark ? ": " : " ");
            lake__sql_type(b, f, engine);
        }
        return lake__buf_putc(b, spark ? '>' : ')');
    }
    const lake__type_info *info = lake__type_info_of(c->type);
    if (!info) return -1;
    lake__buf_puts(b, spark ? info->spark : info->duckdb);
    if (c->type == LAKE_DECIMAL) lake__buf_printf(b, "(%u,%u)", c->precision, c->scale);
    return b->failed ? -1 : 0;
}

int lake_column_sql_type(const lake_column *column, lake_engine engine, char *buf, size_t buf_size) {
    if (!column || !buf || (engine != LAKE_ENGINE_DUCKDB && engine != LAKE_ENGINE_SPARK)) return LAKE_EINVAL;
    lake__buf b = LAKE__BUF_INIT;
    if (lake__sql_type(&b, column, engine) || b.len + 1 > buf_size) {
        int rc = b.failed ? LAKE_ENOMEM : LAKE_EINVAL;
        lake__buf_dispose(&b);
        if (buf_size) buf[0] = '\0';
        return rc;
    }
    memcpy(buf, b.data, b.len + 1);
    lake__buf_dispose(&b);
    return LAKE_OK;
}
