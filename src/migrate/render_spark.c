/* Migration statements in Spark SQL for Iceberg and Delta tables. Where an
 * engine refuses a change in place, the statement is still the one to run
 * and its DESTRUCTIVE line says what the engine needs first. */
#include <string.h>

#include "migrate/render.h"
#include "sql/quote.h"

static void ident(lake__buf *b, const char *name) { lake__sql_quote_ident(b, name, LAKE_ENGINE_SPARK); }

static void alter(lake__buf *b, const lake__diff *d) {
    lake__buf_puts(b, "ALTER TABLE ");
    ident(b, lake_schema_table(d->after ? d->after : d->before));
    lake__buf_putc(b, ' ');
}

static void partition_field(lake__buf *b, const lake__diff *d, const lake_column *c, bool add) {
    alter(b, d);
    lake__buf_puts(b, add ? "ADD PARTITION FIELD " : "DROP PARTITION FIELD ");
    lake__spark_partition_expr(b, c, LAKE__FORMAT_ICEBERG);
    lake__buf_puts(b, ";\n");
}

/* Delta repartitions only by rewriting the table; its partition columns are values. */
static void delta_repartition(lake__buf *b, const lake__diff *d) {
    lake__render_destructive(b, "Delta cannot change partitioning in place: the table is rewritten (a full copy; "
                                "readers of older versions keep the old layout)");
    lake__buf_puts(b, "REPLACE TABLE ");
    ident(b, lake_schema_table(d->after));
    lake__buf_puts(b, " USING delta");
    size_t k = 0;
    for (size_t i = 0; i < lake_schema_column_count(d->after); i++) {
        const lake_column *c = lake_schema_column(d->after, i);
        if (!c->partition) continue;
        lake__buf_puts(b, k++ ? ", " : " PARTITIONED BY (");
        ident(b, c->name);
    }
    if (k) lake__buf_putc(b, ')');
    lake__buf_puts(b, " AS SELECT * FROM ");
    ident(b, lake_schema_table(d->after));
    lake__buf_puts(b, ";\n");
}

static void change(lake__buf *b, const lake__diff *d, const lake__change *c, lake__table_format f) {
    bool delta = f == LAKE__FORMAT_DELTA;
    char why[400];
    switch (c->kind) {
    case LAKE__CREATE_TABLE:
        lake__spark_create_table(b, d->after, f);
        lake__buf_putc(b, '\n');
        return;
    case LAKE__DROP_TABLE:
        lake__render_statement(b, d, c, LAKE_ENGINE_SPARK, "the table and every row in it are deleted");
        return;
    case LAKE__RENAME_COLUMN:
        snprintf(why, sizeof why, "readers and writers that still use the name %s break%s", c->from->name,
                 delta ? "; Delta needs TBLPROPERTIES ('delta.columnMapping.mode' = 'name') first" : "");
        lake__render_statement(b, d, c, LAKE_ENGINE_SPARK, why);
        return;
    case LAKE__DROP_COLUMN:
        snprintf(why, sizeof why, "data loss: every value of %s is deleted, and readers that select it break%s",
                 c->from->name, delta ? "; Delta needs TBLPROPERTIES ('delta.columnMapping.mode' = 'name') first" : "");
        lake__render_statement(b, d, c, LAKE_ENGINE_SPARK, why);
        return;
    case LAKE__ADD_COLUMN:
        lake__render_statement(b, d, c, LAKE_ENGINE_SPARK, NULL);
        if (!c->to->nullable) {
            snprintf(why, sizeof why, "NOT NULL column %s: %s a table with rows; backfill it before this statement",
                     c->to->name, delta ? "Delta refuses SET NOT NULL while NULLs remain in" : "Iceberg cannot make a column required in");
            lake__render_statement(b, d, &(lake__change){LAKE__SET_NOT_NULL, NULL, c->to}, LAKE_ENGINE_SPARK, why);
        }
        return;
    case LAKE__WIDEN_TYPE: case LAKE__CHANGE_TYPE:
        snprintf(why, sizeof why, "%s narrows or changes type, which %s allows only by rewriting the table; "
                                  "values that do not fit are lost", c->to->name, delta ? "Delta" : "Iceberg");
        if (c->kind == LAKE__WIDEN_TYPE && delta)
            lake__buf_puts(b, "-- Delta widens types with TBLPROPERTIES ('delta.enableTypeWidening' = 'true')\n");
        lake__render_statement(b, d, c, LAKE_ENGINE_SPARK, c->kind == LAKE__CHANGE_TYPE ? why : NULL);
        return;
    case LAKE__SET_NOT_NULL: case LAKE__DROP_NOT_NULL:
        snprintf(why, sizeof why, "%s becomes NOT NULL: %s", c->to->name,
                 delta ? "the migration fails if any row holds NULL there"
                       : "Iceberg cannot make an optional column required in place; rewrite the table");
        lake__render_statement(b, d, c, LAKE_ENGINE_SPARK, c->kind == LAKE__SET_NOT_NULL ? why : NULL);
        return;
    case LAKE__PRIMARY_KEY:
        lake__render_key_comment(b, d, false, LAKE_ENGINE_SPARK);
        if (delta) {
            lake__buf_puts(b, "-- Delta tables have no primary key: lakeorm enforces it on insert\n");
        } else {
            bool keyed = false;
            for (size_t i = 0; i < lake_schema_column_count(d->after); i++) keyed |= lake_schema_column(d->after, i)->primary_key;
            lake__render_destructive(b, keyed ? "new identifier fields: equality deletes and upserts match rows on them"
                                              : "identifier fields removed: equality deletes and upserts stop matching on them");
            lake__spark_identifier_fields(b, lake_schema_table(d->after), d->after, d->before);
            lake__buf_putc(b, '\n');
        }
        return;
    case LAKE__MERGE_KEYS:
        lake__render_destructive(b, "upserts match rows on different columns from now on; rows that collide under "
                                    "the new key make a MERGE fail");
        lake__render_key_comment(b, d, true, LAKE_ENGINE_SPARK);
        return;
    case LAKE__PARTITION:
        if (delta) return; /* one rewrite at the end, in the final shape */
        lake__buf_puts(b, "-- partition evolution: files already written keep their layout\n");
        if (c->from && c->from->partition) partition_field(b, d, c->from, false);
        if (c->to && c->to->partition) partition_field(b, d, c->to, true);
        return;
    }
}

int lake__render_spark(lake__buf *b, const lake__diff *d, lake__table_format format) {
    bool repartition = false;
    for (size_t i = 0; i < d->count; i++) {
        size_t before = b->len;
        if (b->len) lake__buf_putc(b, '\n');
        size_t start = b->len;
        change(b, d, &d->items[i], format);
        if (b->len == start) b->len = before; /* nothing said: no blank line either */
        repartition |= d->items[i].kind == LAKE__PARTITION;
    }
    if (repartition && format == LAKE__FORMAT_DELTA) {
        if (b->len) lake__buf_putc(b, '\n');
        delta_repartition(b, d);
    }
    return b->failed ? -1 : 0;
}
