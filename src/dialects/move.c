/* SPDX-License-Identifier: MIT */
#include "dialects/move.h"

static const char *table_of(const lake__move *m) { return m->table ? m->table : lake_schema_table(m->schema); }

static void column_list(lake__buf *b, const lake__dialect *d, const lake_schema *s, const char *prefix) {
    size_t n = lake_schema_column_count(s);
    for (size_t i = 0; i <= n; i++) {
        if (i) lake__buf_puts(b, ", ");
        lake__buf_puts(b, prefix);
        d->ident(b, i < n ? lake_schema_column(s, i)->name : "_ingest_id");
    }
}

/* A plain insert collides on the primary key: that is its key too. */
static bool is_key(const lake_column *c, lake__match_on on) {
    return on == LAKE__MATCH_MERGE_KEYS ? c->merge_key : c->primary_key;
}

int lake__move_insert(lake__buf *b, const lake__dialect *d, const lake__move *m, const char *verb) {
    lake__buf_puts(b, verb);
    d->table(b, table_of(m));
    lake__buf_puts(b, " (");
    column_list(b, d, m->schema, "");
    lake__buf_puts(b, ") SELECT ");
    column_list(b, d, m->schema, "");
    lake__buf_puts(b, " FROM ");
    lake__buf_puts(b, m->source);
    return b->failed ? -1 : 0;
}

/* lake_target.k = lake_source.k AND ... over the key columns: the MERGE's ON
 * and the matched count share it, so the count is what the MERGE matches. */
static void keys_match(lake__buf *b, const lake__dialect *d, const lake__move *m) {
    size_t k = 0;
    for (size_t i = 0; i < lake_schema_column_count(m->schema); i++) {
        const lake_column *c = lake_schema_column(m->schema, i);
        if (!is_key(c, m->on)) continue;
        if (k++) lake__buf_puts(b, " AND ");
        lake__buf_puts(b, "lake_target.");
        d->ident(b, c->name);
        lake__buf_puts(b, " = lake_source.");
        d->ident(b, c->name);
    }
}

int lake__move_merge(lake__buf *b, const lake__dialect *d, const lake__move *m, bool update_matched) {
    lake__buf_puts(b, "MERGE INTO ");
    d->table(b, table_of(m));
    lake__buf_puts(b, " AS lake_target USING (SELECT * FROM ");
    lake__buf_puts(b, m->source);
    lake__buf_puts(b, ") AS lake_source ON ");
    keys_match(b, d, m);
    size_t n = lake_schema_column_count(m->schema);
    if (update_matched) {
        lake__buf_puts(b, " WHEN MATCHED THEN UPDATE SET ");
        for (size_t i = 0; i <= n; i++) {
            const char *name = i < n ? lake_schema_column(m->schema, i)->name : "_ingest_id";
            if (i) lake__buf_puts(b, ", ");
            d->ident(b, name);
            lake__buf_puts(b, " = lake_source.");
            d->ident(b, name);
        }
    }
    lake__buf_puts(b, " WHEN NOT MATCHED THEN INSERT (");
    column_list(b, d, m->schema, "");
    lake__buf_puts(b, ") VALUES (");
    column_list(b, d, m->schema, "lake_source.");
    lake__buf_putc(b, ')');
    return b->failed ? -1 : 0;
}

static void key_list(lake__buf *b, const lake__dialect *d, const lake__move *m, const char *text_type) {
    size_t k = 0;
    for (size_t i = 0; i < lake_schema_column_count(m->schema); i++) {
        const lake_column *c = lake_schema_column(m->schema, i);
        if (!is_key(c, m->on)) continue;
        if (k++) lake__buf_puts(b, ", ");
        if (text_type) lake__buf_puts(b, "CAST(");
        d->ident(b, c->name);
        if (text_type) lake__buf_printf(b, " AS %s)", text_type);
    }
}

int lake__move_duplicate_key(lake__buf *b, const lake__dialect *d, const lake__move *m, const char *text_type) {
    lake__buf_puts(b, "SELECT concat_ws(', ', ");
    key_list(b, d, m, text_type);
    lake__buf_puts(b, ") AS lake_key FROM ");
    lake__buf_puts(b, m->source);
    lake__buf_puts(b, " GROUP BY ");
    key_list(b, d, m, NULL);
    lake__buf_puts(b, " HAVING count(*) > 1 LIMIT 1");
    return b->failed ? -1 : 0;
}

int lake__move_count_matched(lake__buf *b, const lake__dialect *d, const lake__move *m, const char *text_type) {
    lake__buf_printf(b, "SELECT CAST(count(*) AS %s)", text_type);
    lake__buf_puts(b, " AS lake_key FROM (SELECT * FROM ");
    lake__buf_puts(b, m->source);
    lake__buf_puts(b, ") AS lake_source WHERE EXISTS (SELECT 1 FROM ");
    d->table(b, table_of(m));
    lake__buf_puts(b, " AS lake_target WHERE ");
    keys_match(b, d, m);
    lake__buf_putc(b, ')');
    return b->failed ? -1 : 0;
}

int lake__move_union_all(lake__buf *b, const char *const *sources, size_t n) {
    if (n > 1) lake__buf_puts(b, "(");
    for (size_t i = 0; i < n; i++) {
        if (i) lake__buf_puts(b, " UNION ALL ");
        if (n > 1) lake__buf_puts(b, "SELECT * FROM ");
        lake__buf_puts(b, sources[i]);
    }
    if (n > 1) lake__buf_puts(b, ")");
    return b->failed ? -1 : 0;
}

/* Every row carries the request's ingest id as one parameter, not one per row. */
int lake__move_values_source(lake__buf *b, const lake__dialect *d, const lake_schema *s, const char *rows,
                             size_t rows_len, const char *ingest_id) {
    lake__buf_puts(b, "(SELECT *, ");
    lake__buf_puts(b, ingest_id);
    lake__buf_puts(b, " AS ");
    d->ident(b, "_ingest_id");
    lake__buf_puts(b, " FROM VALUES ");
    lake__buf_put(b, rows, rows_len);
    lake__buf_puts(b, " AS v(");
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        if (i) lake__buf_puts(b, ", ");
        d->ident(b, lake_schema_column(s, i)->name);
    }
    lake__buf_puts(b, "))");
    return b->failed ? -1 : 0;
}

int lake__move_typed_null(lake__buf *b, const lake__dialect *d, const lake_column *c) {
    lake__buf_puts(b, "CAST(NULL AS ");
    d->type(b, c);
    lake__buf_putc(b, ')');
    return b->failed ? -1 : 0;
}
