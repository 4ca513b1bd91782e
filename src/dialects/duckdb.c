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

int lake__duckdb_insert_from_parquet(lake__buf *b, const lake_schema *s, const char *table) {
    lake__buf_puts(b, "INSERT INTO ");
    lake__sql_quote_ident(b, table ? table : lake_schema_table(s), LAKE_ENGINE_DUCKDB);
    lake__buf_puts(b, " (");
    column_list(b, s);
    lake__buf_puts(b, ") SELECT ");
    column_list(b, s);
    lake__buf_puts(b, " FROM read_parquet(?)");
    return b->failed ? -1 : 0;
}
