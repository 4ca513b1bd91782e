/* SPDX-License-Identifier: MIT */
#include "dialects/spark.h"

#include "sql/quote.h"

static void ident(lake__buf *b, const char *name) { lake__sql_quote_ident(b, name, LAKE_ENGINE_SPARK); }

int lake__spark_partition_expr(lake__buf *b, const lake_column *c, lake__table_format format) {
    static const char *const transforms[] = {
        [LAKE_PARTITION_YEAR] = "years", [LAKE_PARTITION_MONTH] = "months",
        [LAKE_PARTITION_DAY] = "days",   [LAKE_PARTITION_HOUR] = "hours"};
    if (format == LAKE__FORMAT_DELTA || c->partition == LAKE_PARTITION_IDENTITY) {
        ident(b, c->name); /* Delta partitions by value; its transforms need generated columns */
    } else if (c->partition == LAKE_PARTITION_BUCKET || c->partition == LAKE_PARTITION_TRUNCATE) {
        lake__buf_printf(b, "%s(%d, ", c->partition == LAKE_PARTITION_BUCKET ? "bucket" : "truncate",
                         (int)c->partition_param);
        ident(b, c->name);
        lake__buf_putc(b, ')');
    } else {
        lake__buf_puts(b, transforms[c->partition]);
        lake__buf_putc(b, '(');
        ident(b, c->name);
        lake__buf_putc(b, ')');
    }
    return b->failed ? -1 : 0;
}

static void key_list(lake__buf *b, const lake_schema *s) {
    size_t k = 0;
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (!c->primary_key) continue;
        if (k++) lake__buf_puts(b, ", ");
        ident(b, c->name);
    }
}

static bool has_key(const lake_schema *s) {
    for (size_t i = 0; s && i < lake_schema_column_count(s); i++)
        if (lake_schema_column(s, i)->primary_key) return true;
    return false;
}

int lake__spark_identifier_fields(lake__buf *b, const char *table, const lake_schema *now, const lake_schema *before) {
    lake__buf_puts(b, "ALTER TABLE ");
    ident(b, table);
    if (has_key(now)) {
        lake__buf_puts(b, " SET IDENTIFIER FIELDS ");
        key_list(b, now);
    } else {
        lake__buf_puts(b, " DROP IDENTIFIER FIELDS ");
        key_list(b, before);
    }
    lake__buf_putc(b, ';');
    return b->failed ? -1 : 0;
}

int lake__spark_create_table(lake__buf *b, const lake_schema *s, lake__table_format format) {
    lake__buf_puts(b, "CREATE TABLE IF NOT EXISTS ");
    lake__sql_quote_table(b, lake_schema_table(s), LAKE_ENGINE_SPARK);
    lake__buf_puts(b, " (");
    size_t n = lake_schema_column_count(s), parts = 0;
    for (size_t i = 0; i < n; i++) {
        const lake_column *c = lake_schema_column(s, i);
        ident(b, c->name);
        lake__buf_putc(b, ' ');
        lake__sql_type(b, c, LAKE_ENGINE_SPARK);
        if (!c->nullable) lake__buf_puts(b, " NOT NULL");
        lake__buf_puts(b, ", ");
        parts += c->partition != LAKE_PARTITION_NONE;
    }
    ident(b, "_ingest_id");
    lake__buf_puts(b, format == LAKE__FORMAT_DELTA ? " STRING) USING delta" : " STRING) USING iceberg");
    if (parts) {
        lake__buf_puts(b, " PARTITIONED BY (");
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            const lake_column *c = lake_schema_column(s, i);
            if (c->partition == LAKE_PARTITION_NONE) continue;
            if (k++) lake__buf_puts(b, ", ");
            lake__spark_partition_expr(b, c, format);
        }
        lake__buf_putc(b, ')');
    }
    lake__buf_putc(b, ';');
    if (format == LAKE__FORMAT_ICEBERG && has_key(s)) {
        lake__buf_putc(b, '\n');
        lake__spark_identifier_fields(b, lake_schema_table(s), s, NULL);
    }
    return b->failed ? -1 : 0;
}
