/* SPDX-License-Identifier: MIT */
#include "dialects/duckdb.h"

#include "sql/move.h"
#include "sql/quote.h"

int lake__duckdb_create_table(lake__buf *b, const lake_schema *s, const char *table) {
    lake__buf_puts(b, "CREATE TABLE IF NOT EXISTS ");
    lake__sql_quote_ident(b, table ? table : lake_schema_table(s), LAKE_ENGINE_DUCKDB);
    lake__buf_puts(b, " (");
    size_t keys = 0;
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        lake__sql_quote_ident(b, c->name, LAKE_ENGINE_DUCKDB);
        lake__buf_putc(b, ' ');
        lake__sql_type(b, c, LAKE_ENGINE_DUCKDB);
        if (!c->nullable) lake__buf_puts(b, " NOT NULL");
        lake__buf_puts(b, ", ");
        keys += c->primary_key;
    }
    lake__sql_quote_ident(b, "_ingest_id", LAKE_ENGINE_DUCKDB);
    lake__buf_puts(b, " VARCHAR");
    if (keys) {
        lake__buf_puts(b, ", PRIMARY KEY (");
        size_t k = 0;
        for (size_t i = 0; i < lake_schema_column_count(s); i++) {
            const lake_column *c = lake_schema_column(s, i);
            if (!c->primary_key) continue;
            if (k++) lake__buf_puts(b, ", ");
            lake__sql_quote_ident(b, c->name, LAKE_ENGINE_DUCKDB);
        }
        lake__buf_putc(b, ')');
    }
    lake__buf_putc(b, ')');
    return b->failed ? -1 : 0;
}

int lake__duckdb_merge(lake__buf *b, const lake_schema *s, const char *table, const char *source) {
    return lake__sql_merge(b, s, table, source, LAKE__MATCH_MERGE_KEYS, true, LAKE_ENGINE_DUCKDB);
}

int lake__duckdb_insert_select(lake__buf *b, const lake_schema *s, const char *table, lake_on_conflict on_conflict,
                               const char *source) {
    static const char *const verbs[] = {"INSERT INTO ", "INSERT OR IGNORE INTO ", "INSERT OR REPLACE INTO "};
    return lake__sql_insert_select(b, s, table, verbs[on_conflict <= LAKE_CONFLICT_UPDATE ? on_conflict : 0], source,
                                   LAKE_ENGINE_DUCKDB);
}

int lake__duckdb_duplicate_key(lake__buf *b, const lake_schema *s, const char *source, lake__match_on on) {
    return lake__sql_duplicate_key(b, s, source, on, LAKE_ENGINE_DUCKDB);
}
