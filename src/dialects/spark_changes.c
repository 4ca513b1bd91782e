/* SPDX-License-Identifier: MIT */
/* Migration statements in Spark SQL for Iceberg and Delta tables, checked by
 * running them on Spark 4.0 (tests/unit/spark/test_migrations.c). Where Delta
 * needs a table feature first (column mapping to rename or drop, type
 * widening to widen), the file enables it. What neither engine does in place
 * (a required column added or made required; a narrowing type change) is
 * said in a comment or a DESTRUCTIVE line, not written as a statement that
 * cannot run. */
#include <stdio.h>
#include <string.h>

#include "dialects/changes.h"
#include "dialects/spark.h"
#include "util/escape.h"

static void ident(lake__buf *b, const char *name) { lake__spark_ident(b, name); }

static void alter(lake__buf *b, const lake__diff *d) {
    lake__buf_puts(b, "ALTER TABLE ");
    lake__spark_table(b, lake_schema_table(d->after ? d->after : d->before));
    lake__buf_putc(b, ' ');
}

static void partition_field(lake__buf *b, const lake__diff *d, const lake_column *c, bool add) {
    alter(b, d);
    lake__buf_puts(b, add ? "ADD PARTITION FIELD " : "DROP PARTITION FIELD ");
    lake__spark_partition_expr(b, c, LAKE_DIALECT_ICEBERG);
    lake__buf_puts(b, ";\n");
}

/* Delta repartitions only by rewriting the table; its partition columns are values. */
static void delta_repartition(lake__buf *b, const lake__diff *d) {
    lake__render_destructive(b, "Delta cannot change partitioning in place: the table is rewritten (a full copy; "
                                "readers of older versions keep the old layout)");
    lake__buf_puts(b, "REPLACE TABLE ");
    lake__spark_table(b, lake_schema_table(d->after));
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
    lake__spark_table(b, lake_schema_table(d->after));
    lake__buf_puts(b, ";\n");
}

/* Delta table features a section turns on before the first statement that
 * needs them, once each. */
typedef struct features {
    bool column_mapping, type_widening;
} features;

static void enable(lake__buf *b, const lake__diff *d, bool *done, const char *properties, const char *why) {
    if (*done) return;
    *done = true;
    lake__render_destructive(b, why);
    alter(b, d);
    lake__buf_printf(b, "SET TBLPROPERTIES (%s);\n", properties);
}

static void column_mapping(lake__buf *b, const lake__diff *d, features *on) {
    enable(b, d, &on->column_mapping,
           "'delta.columnMapping.mode' = 'name', 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5'",
           "Delta renames and drops columns only with column mapping: the table's protocol is upgraded, and "
           "readers without column mapping support can no longer read it");
}

static void required_note(lake__buf *b, const lake_column *c, bool delta) {
    lake__buf_puts(b, "-- ");
    lake__escape_controls(b, c->name, strlen(c->name));
    lake__buf_printf(b, " is required by the model, but %s cannot make a column required after the fact: the table "
                        "keeps it optional, and lakeorm's validation keeps NULLs out of what it writes\n",
                     delta ? "Delta on Spark" : "Iceberg");
}

static void widening(lake__buf *b, const lake__diff *d, features *on) {
    enable(b, d, &on->type_widening, "'delta.enableTypeWidening' = 'true'",
           "Delta widens types only with the type widening feature: readers without it can no longer read the table");
}

/* Whether a change after c adds member m: it does not exist yet when c runs. */
static bool added_later(const lake__diff *d, const lake__change *c, const lake_column *m) {
    for (const lake__change *x = c + 1; x < d->items + d->count; x++)
        if (x->kind == LAKE__ADD_COLUMN && x->to == m) return true;
    return false;
}

/* Where an added member goes: after the sibling the model puts before it
 * that exists when the statement runs (one this section adds later does
 * not yet), else first. Up adds a struct's new members in the model's
 * order and Down in reverse, and both end in the model's order. */
static void member_position(lake__buf *b, const lake__diff *d, const lake__change *c) {
    const lake_schema *members = c->within[c->depth - 1].to->child;
    size_t i = 0;
    while (lake_schema_column(members, i) != c->to) i++;
    while (i-- > 0) {
        const lake_column *sibling = lake_schema_column(members, i);
        if (added_later(d, c, sibling)) continue;
        lake__buf_puts(b, " AFTER ");
        ident(b, sibling->name);
        return;
    }
    lake__buf_puts(b, " FIRST");
}

/* A member added inside a column's type, named by its path
 * (s.member, items.element.member, attrs.value.member) and placed where the
 * model puts it. */
static void add_member(lake__buf *b, const lake__diff *d, const lake__change *c, const lake__dialect *spark) {
    if (!c->to->nullable) lake__render_nested_nullability(b, d, c);
    alter(b, d);
    lake__buf_puts(b, "ADD COLUMN ");
    lake__render_path(b, d, c, spark);
    lake__buf_putc(b, ' ');
    lake__spark_type(b, c->to);
    member_position(b, d, c);
    lake__buf_puts(b, ";\n");
}

/* Each member of a struct that exists by then moved, in the model's order,
 * after the one moved before it (the first FIRST): Up reorders after its
 * adds, Down before its re-adds, which place themselves. */
static void order_members(lake__buf *b, const lake__diff *d, const lake__change *c, const lake__dialect *spark) {
    lake__buf_puts(b, "-- ");
    lake__render_path(b, d, c, NULL);
    lake__buf_puts(b, ": members in the model's order\n");
    const lake_column *previous = NULL;
    for (size_t i = 0; i < lake_schema_column_count(c->to->child); i++) {
        const lake_column *m = lake_schema_column(c->to->child, i);
        if (added_later(d, c, m)) continue;
        alter(b, d);
        lake__buf_puts(b, "ALTER COLUMN ");
        lake__render_path(b, d, c, spark);
        lake__buf_putc(b, '.');
        ident(b, m->name);
        if (previous) {
            lake__buf_puts(b, " AFTER ");
            ident(b, previous->name);
        } else {
            lake__buf_puts(b, " FIRST");
        }
        lake__buf_puts(b, ";\n");
        previous = m;
    }
}

/* Neither engine narrows or converts a column in place: a statement would only fail. */
static void change_type(lake__buf *b, const lake__diff *d, const lake__change *c, const lake__dialect *spark) {
    if (lake__same_type(c->from, c->to, spark)) { /* json and string are both STRING here */
        lake__buf_puts(b, "-- ");
        lake__render_path(b, d, c, NULL);
        lake__buf_printf(b, ": %s -> %s, the same ", lake_type_name(c->from->type), lake_type_name(c->to->type));
        lake__spark_type(b, c->to);
        lake__buf_puts(b, " in Spark: nothing to alter\n");
        return;
    }
    lake__render_destructive(b, "a narrowing or converting type change, which neither Iceberg nor Delta makes in place");
    lake__buf_puts(b, "-- ");
    lake__render_path(b, d, c, NULL);
    lake__buf_puts(b, " must become ");
    lake__spark_type(b, c->to);
    lake__buf_puts(b, ": rewrite the table (CREATE a new one, INSERT ... SELECT CAST(...), swap names); values "
                      "that do not fit are lost\n");
}

static void change(lake__buf *b, const lake__diff *d, const lake__change *c, lake_dialect f, features *on) {
    const lake__dialect *spark = lake__dialect_of(f);
    bool delta = f == LAKE_DIALECT_DELTA;
    char why[600];
    switch (c->kind) {
    case LAKE__CREATE_TABLE:
        lake__spark_create_table(b, d->after, NULL, f);
        return;
    case LAKE__DROP_TABLE:
        lake__render_statement(b, d, c, spark, "the table and every row in it are deleted");
        return;
    case LAKE__RENAME_COLUMN:
        if (delta) column_mapping(b, d, on);
        snprintf(why, sizeof why, "readers and writers that still use the name %s break", c->from->name);
        lake__render_statement(b, d, c, spark, why);
        return;
    case LAKE__DROP_COLUMN: {
        if (delta) column_mapping(b, d, on);
        char path[300];
        lake__path_text(d, c, path, sizeof path);
        snprintf(why, sizeof why, "data loss: every value of %s is deleted, and readers that select it break", path);
        lake__render_statement(b, d, c, spark, why);
        return;
    }
    case LAKE__ADD_COLUMN:
        if (c->depth) {
            add_member(b, d, c, spark);
            return;
        }
        if (!c->to->nullable) required_note(b, c->to, delta);
        lake__render_statement(b, d, c, spark, NULL);
        return;
    case LAKE__WIDEN_TYPE:
        if (delta) widening(b, d, on);
        lake__render_statement(b, d, c, spark, NULL);
        return;
    case LAKE__CHANGE_TYPE:
        change_type(b, d, c, spark);
        return;
    case LAKE__SET_NOT_NULL: case LAKE__DROP_NOT_NULL:
        if (c->depth) lake__render_nested_nullability(b, d, c);
        else if (c->kind == LAKE__SET_NOT_NULL) required_note(b, c->to, delta);
        else lake__render_statement(b, d, c, spark, NULL);
        return;
    case LAKE__ORDER_MEMBERS:
        order_members(b, d, c, spark);
        return;
    case LAKE__PRIMARY_KEY:
        lake__render_key_comment(b, d, false, spark);
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
        lake__render_key_comment(b, d, true, spark);
        return;
    case LAKE__PARTITION:
        if (delta) return; /* one rewrite at the end, in the final shape */
        lake__buf_puts(b, "-- partition evolution: files already written keep their layout\n");
        if (c->from && c->from->partition) partition_field(b, d, c->from, false);
        if (c->to && c->to->partition) partition_field(b, d, c->to, true);
        return;
    }
}

static void render_one(lake__buf *b, const lake__diff *d, const lake__change *c, lake_dialect format, features *on) {
    size_t before = b->len;
    if (b->len) lake__buf_putc(b, '\n');
    size_t start = b->len;
    change(b, d, c, format, on);
    if (b->len == start) b->len = before; /* nothing said: no blank line either */
}

int lake__spark_render_changes(lake__buf *b, const lake__diff *d, lake_dialect format) {
    bool rewrite = false;
    for (size_t i = 0; i < d->count; i++) rewrite |= d->items[i].kind == LAKE__PARTITION && format == LAKE_DIALECT_DELTA;
    features on = {false, false};
    /* Delta repartitions by rewriting the table: after the columns it partitions
     * by exist, before a column it no longer partitions by is dropped. */
    for (size_t i = 0; i < d->count; i++)
        if (!rewrite || d->items[i].kind != LAKE__DROP_COLUMN) render_one(b, d, &d->items[i], format, &on);
    if (rewrite) {
        if (b->len) lake__buf_putc(b, '\n');
        delta_repartition(b, d);
        on = (features){false, false}; /* the rewritten table starts without the features */
        for (size_t i = 0; i < d->count; i++)
            if (d->items[i].kind == LAKE__DROP_COLUMN) render_one(b, d, &d->items[i], format, &on);
    }
    return b->failed ? -1 : 0;
}
