#include "dialects/duckdb.h"

#include "sql/quote.h"

static void column_list(lake__buf *b, const lake_schema *s) {
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        lake__sql_quote_ident(b, lake_schema_column(s, i)->name, LAKE_ENGINE_DUCKDB);
        lake__buf_puts(b, ", ");
    }
    lake__sql_quote_ident(b, "_ingest_id", LAKE_ENGINE_DUCKDB);
}

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
    lake__buf_puts(b, "MERGE INTO ");
    lake__sql_quote_ident(b, table ? table : lake_schema_table(s), LAKE_ENGINE_DUCKDB);
    lake__buf_puts(b, " AS lake_target USING (SELECT * FROM ");
    lake__buf_puts(b, source);
    lake__buf_puts(b, ") AS lake_source ON ");
    size_t k = 0, n = lake_schema_column_count(s);
    for (size_t i = 0; i < n; i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (!c->merge_key) continue;
        if (k++) lake__buf_puts(b, " AND ");
        lake__buf_puts(b, "lake_target.");
        lake__sql_quote_ident(b, c->name, LAKE_ENGINE_DUCKDB);
        lake__buf_puts(b, " = lake_source.");
        lake__sql_quote_ident(b, c->name, LAKE_ENGINE_DUCKDB);
    }
    lake__buf_puts(b, " WHEN MATCHED THEN UPDATE SET ");
    for (size_t i = 0; i <= n; i++) {
        const char *name = i < n ? lake_schema_column(s, i)->name : "_ingest_id";
        if (i) lake__buf_puts(b, ", ");
        lake__sql_quote_ident(b, name, LAKE_ENGINE_DUCKDB);
        lake__buf_puts(b, " = lake_source.");
        lake__sql_quote_ident(b, name, LAKE_ENGINE_DUCKDB);
    }
    lake__buf_puts(b, " WHEN NOT MATCHED THEN INSERT (");
    column_list(b, s);
    lake__buf_puts(b, ") VALUES (");
    for (size_t i = 0; i <= n; i++) {
        if (i) lake__buf_puts(b, ", ");
        lake__buf_puts(b, "lake_source.");
        lake__sql_quote_ident(b, i < n ? lake_schema_column(s, i)->name : "_ingest_id", LAKE_ENGINE_DUCKDB);
    }
    lake__buf_putc(b, ')');
    return b->failed ? -1 : 0;
}

int lake__duckdb_insert_select(lake__buf *b, const lake_schema *s, const char *table, lake_on_conflict on_conflict,
                               const char *source) {
    static const char *const verbs[] = {"INSERT INTO ", "INSERT OR IGNORE INTO ", "INSERT OR REPLACE INTO "};
    lake__buf_puts(b, verbs[on_conflict <= LAKE_CONFLICT_UPDATE ? on_conflict : 0]);
    lake__sql_quote_ident(b, table ? table : lake_schema_table(s), LAKE_ENGINE_DUCKDB);
    lake__buf_puts(b, " (");
    column_list(b, s);
    lake__buf_puts(b, ") SELECT ");
    column_list(b, s);
    lake__buf_puts(b, " FROM ");
    lake__buf_puts(b, source);
    return b->failed ? -1 : 0;
}

static void merge_key_list(lake__buf *b, const lake_schema *s, const char *cast) {
    size_t k = 0;
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (!c->merge_key) continue;
        if (k++) lake__buf_puts(b, ", ");
        lake__sql_quote_ident(b, c->name, LAKE_ENGINE_DUCKDB);
        lake__buf_puts(b, cast);
    }
}

int lake__duckdb_duplicate_merge_key(lake__buf *b, const lake_schema *s, const char *source) {
    lake__buf_puts(b, "SELECT concat_ws(', ', ");
    merge_key_list(b, s, "::VARCHAR");
    lake__buf_puts(b, ") FROM ");
    lake__buf_puts(b, source);
    lake__buf_puts(b, " GROUP BY ");
    merge_key_list(b, s, "");
    lake__buf_puts(b, " HAVING count(*) > 1 LIMIT 1");
    return b->failed ? -1 : 0;
}
