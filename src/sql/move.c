/* SPDX-License-Identifier: MIT */
#include "sql/move.h"

#include "sql/quote.h"

static void column_list(lake__buf *b, const lake_schema *s, const char *prefix, lake_engine e) {
    size_t n = lake_schema_column_count(s);
    for (size_t i = 0; i <= n; i++) {
        if (i) lake__buf_puts(b, ", ");
        lake__buf_puts(b, prefix);
        lake__sql_quote_ident(b, i < n ? lake_schema_column(s, i)->name : "_ingest_id", e);
    }
}

static bool is_key(const lake_column *c, lake__match_on on) { return on == LAKE__MATCH_MERGE_KEYS ? c->merge_key : c->primary_key; }

int lake__sql_insert_select(lake__buf *b, const lake_schema *s, const char *table, const char *verb,
                            const char *source, lake_engine e) {
    lake__buf_puts(b, verb);
    lake__sql_quote_table(b, table ? table : lake_schema_table(s), e);
    lake__buf_puts(b, " (");
    column_list(b, s, "", e);
    lake__buf_puts(b, ") SELECT ");
    column_list(b, s, "", e);
    lake__buf_puts(b, " FROM ");
    lake__buf_puts(b, source);
    return b->failed ? -1 : 0;
}

/* lake_target.k = lake_source.k AND ... over the key columns. */
static void keys_match(lake__buf *b, const lake_schema *s, lake__match_on on, lake_engine e) {
    size_t k = 0;
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (!is_key(c, on)) continue;
        if (k++) lake__buf_puts(b, " AND ");
        lake__buf_puts(b, "lake_target.");
        lake__sql_quote_ident(b, c->name, e);
        lake__buf_puts(b, " = lake_source.");
        lake__sql_quote_ident(b, c->name, e);
    }
}

int lake__sql_merge(lake__buf *b, const lake_schema *s, const char *table, const char *source, lake__match_on on,
                    bool update_matched, lake_engine e) {
    lake__buf_puts(b, "MERGE INTO ");
    lake__sql_quote_table(b, table ? table : lake_schema_table(s), e);
    lake__buf_puts(b, " AS lake_target USING (SELECT * FROM ");
    lake__buf_puts(b, source);
    lake__buf_puts(b, ") AS lake_source ON ");
    keys_match(b, s, on, e);
    size_t n = lake_schema_column_count(s);
    if (update_matched) {
        lake__buf_puts(b, " WHEN MATCHED THEN UPDATE SET ");
        for (size_t i = 0; i <= n; i++) {
            const char *name = i < n ? lake_schema_column(s, i)->name : "_ingest_id";
            if (i) lake__buf_puts(b, ", ");
            lake__sql_quote_ident(b, name, e);
            lake__buf_puts(b, " = lake_source.");
            lake__sql_quote_ident(b, name, e);
        }
    }
    lake__buf_puts(b, " WHEN NOT MATCHED THEN INSERT (");
    column_list(b, s, "", e);
    lake__buf_puts(b, ") VALUES (");
    column_list(b, s, "lake_source.", e);
    lake__buf_putc(b, ')');
    return b->failed ? -1 : 0;
}

static void key_list(lake__buf *b, const lake_schema *s, lake__match_on on, bool as_text, lake_engine e) {
    size_t k = 0;
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (!is_key(c, on)) continue;
        if (k++) lake__buf_puts(b, ", ");
        if (as_text) lake__buf_puts(b, "CAST(");
        lake__sql_quote_ident(b, c->name, e);
        if (as_text) lake__buf_puts(b, e == LAKE_ENGINE_DUCKDB ? " AS VARCHAR)" : " AS STRING)");
    }
}

int lake__sql_duplicate_key(lake__buf *b, const lake_schema *s, const char *source, lake__match_on on, lake_engine e) {
    lake__buf_puts(b, "SELECT concat_ws(', ', ");
    key_list(b, s, on, true, e);
    lake__buf_puts(b, ") AS lake_key FROM ");
    lake__buf_puts(b, source);
    lake__buf_puts(b, " GROUP BY ");
    key_list(b, s, on, false, e);
    lake__buf_puts(b, " HAVING count(*) > 1 LIMIT 1");
    return b->failed ? -1 : 0;
}

int lake__sql_count_matched(lake__buf *b, const lake_schema *s, const char *table, const char *source,
                            lake__match_on on, lake_engine e) {
    lake__buf_puts(b, e == LAKE_ENGINE_DUCKDB ? "SELECT CAST(count(*) AS VARCHAR)" : "SELECT CAST(count(*) AS STRING)");
    lake__buf_puts(b, " AS lake_key FROM (SELECT * FROM ");
    lake__buf_puts(b, source);
    lake__buf_puts(b, ") AS lake_source WHERE EXISTS (SELECT 1 FROM ");
    lake__sql_quote_table(b, table ? table : lake_schema_table(s), e);
    lake__buf_puts(b, " AS lake_target WHERE ");
    keys_match(b, s, on, e);
    lake__buf_putc(b, ')');
    return b->failed ? -1 : 0;
}
