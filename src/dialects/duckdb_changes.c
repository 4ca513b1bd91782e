/* SPDX-License-Identifier: MIT */
/* Migration statements in DuckDB's grammar. What DuckDB cannot alter in place
 * (dropping or changing a primary key, the type of a key column) is done by
 * rebuilding the table into the new shape. */
#include <stdio.h>
#include <string.h>

#include "dialects/changes.h"
#include "util/escape.h"

static const lake__dialect *const duckdb = &lake__dialect_duckdb;

static void ident(lake__buf *b, const char *name) { duckdb->ident(b, name); }

static void alter(lake__buf *b, const lake__diff *d) {
    lake__buf_puts(b, "ALTER TABLE ");
    ident(b, lake_schema_table(d->after ? d->after : d->before));
    lake__buf_putc(b, ' ');
}

/* A value every row can take when a NOT NULL column appears: zero, empty, the epoch. */
static void zero(lake__buf *b, const lake_column *c) {
    switch (c->type) {
    case LAKE_BOOL: lake__buf_puts(b, "false"); return;
    case LAKE_STRING: case LAKE_SORTABLE_ID: lake__buf_puts(b, "''"); return;
    case LAKE_BYTES: lake__buf_puts(b, "''::BLOB"); return;
    case LAKE_TIMESTAMP: lake__buf_puts(b, "TIMESTAMPTZ '1970-01-01 00:00:00+00'"); return;
    case LAKE_DATE: lake__buf_puts(b, "DATE '1970-01-01'"); return;
    case LAKE_UUID: lake__buf_puts(b, "'00000000-0000-0000-0000-000000000000'::UUID"); return;
    case LAKE_STRUCT: {
        lake__buf_putc(b, '{');
        for (size_t i = 0; i < lake_schema_column_count(c->child); i++) {
            const lake_column *f = lake_schema_column(c->child, i);
            if (i) lake__buf_puts(b, ", ");
            lake__buf_putc(b, '\'');
            for (const char *p = f->name; *p; p++) {
                if (*p == '\'') lake__buf_putc(b, '\'');
                lake__buf_putc(b, *p);
            }
            lake__buf_puts(b, "': ");
            zero(b, f);
        }
        lake__buf_putc(b, '}');
        return;
    }
    default:
        lake__buf_puts(b, "CAST(0 AS ");
        duckdb->type(b, c);
        lake__buf_putc(b, ')');
    }
}

static void zero_text(char *out, size_t cap, const lake_column *c) {
    lake__buf b = LAKE__BUF_INIT;
    zero(&b, c);
    snprintf(out, cap, "%s", b.data ? b.data : "");
    lake__buf_dispose(&b);
}

/* DuckDB adds no column with a constraint: a default fills the rows, then the constraint, then no default. */
static void add_not_null(lake__buf *b, const lake__diff *d, const lake_column *c) {
    char why[300], z[200];
    zero_text(z, sizeof z, c);
    snprintf(why, sizeof why, "NOT NULL column %s: rows already in the table get %s; review that backfill", c->name, z);
    lake__render_destructive(b, why);
    alter(b, d);
    lake__buf_puts(b, "ADD COLUMN ");
    ident(b, c->name);
    lake__buf_putc(b, ' ');
    duckdb->type(b, c);
    lake__buf_puts(b, " DEFAULT ");
    zero(b, c);
    lake__buf_puts(b, ";\n");
    lake__render_statement(b, d, &(lake__change){.kind = LAKE__SET_NOT_NULL, .to = c}, duckdb, NULL);
    alter(b, d);
    lake__buf_puts(b, "ALTER COLUMN ");
    ident(b, c->name);
    lake__buf_puts(b, " DROP DEFAULT;\n");
}

static bool has_key(const lake_schema *s) {
    for (size_t i = 0; s && i < lake_schema_column_count(s); i++)
        if (lake_schema_column(s, i)->primary_key) return true;
    return false;
}

static bool needs_rebuild(const lake__diff *d) {
    for (size_t i = 0; i < d->count; i++) {
        const lake__change *c = &d->items[i];
        if (c->kind == LAKE__PRIMARY_KEY && has_key(d->before)) return true;
        if ((c->kind == LAKE__WIDEN_TYPE || c->kind == LAKE__CHANGE_TYPE) && c->from->primary_key) return true;
    }
    return false;
}

/* The before-column an after-column comes from: through a rename, or by name. */
static const lake_column *source(const lake__diff *d, const lake_column *to) {
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].kind == LAKE__RENAME_COLUMN && d->items[i].to == to) return d->items[i].from;
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].kind == LAKE__ADD_COLUMN && d->items[i].to == to) return NULL;
    return lake_schema_find(d->before, to->name);
}

static void rebuild(lake__buf *b, const lake__diff *d) {
    const char *table = lake_schema_table(d->after);
    char temp[300];
    snprintf(temp, sizeof temp, "%s__lakeorm_rebuild", table);
    lake__render_destructive(b, "DuckDB cannot change a primary key, or a key column's type, in place: the table is "
                                "rebuilt into the new shape (a full copy; values that do not fit fail it)");
    duckdb->create_table(b, d->after, temp);
    lake__buf_puts(b, "INSERT INTO ");
    ident(b, temp);
    lake__buf_puts(b, " SELECT ");
    for (size_t i = 0; i < lake_schema_column_count(d->after); i++) {
        const lake_column *to = lake_schema_column(d->after, i), *from = source(d, to);
        if (from) {
            lake__buf_puts(b, "CAST(");
            ident(b, from->name);
            lake__buf_puts(b, " AS ");
            duckdb->type(b, to);
            lake__buf_putc(b, ')');
        } else if (to->nullable) {
            lake__buf_puts(b, "NULL");
        } else {
            zero(b, to);
        }
        lake__buf_puts(b, ", ");
    }
    ident(b, "_ingest_id");
    lake__buf_puts(b, " FROM ");
    ident(b, table);
    lake__buf_puts(b, ";\nDROP TABLE ");
    ident(b, table);
    lake__buf_puts(b, ";\nALTER TABLE ");
    ident(b, temp);
    lake__buf_puts(b, " RENAME TO ");
    ident(b, table);
    lake__buf_puts(b, ";\n");
}

/* A change inside a column's type: below it, or a struct column's members reordered. */
static bool inside(const lake__change *c) { return c->depth || c->kind == LAKE__ORDER_MEMBERS; }

/* The table's column a change inside a type belongs to, after the change. */
static const lake_column *outer(const lake__change *c) { return c->depth ? c->within[0].to : c->to; }
static const lake_column *outer_before(const lake__change *c) { return c->depth ? c->within[0].from : c->from; }

static bool same_column(const lake__change *a, const lake__change *b) {
    return inside(b) && outer(a) == outer(b) && outer_before(a) == outer_before(b);
}

/* The changes inside one column's type (they are consecutive), as one
 * statement that sets the column's whole type. DuckDB's ALTER COLUMN takes
 * no path, and ADD COLUMN s.x only appends; but its casts match struct
 * members by name, so the new type keeps every member it shares with the
 * old one, gives added ones NULL, drops the others, widens in place, and
 * leaves the members in the model's order. Returns how many it took. */
static size_t nested_changes(lake__buf *b, const lake__diff *d, size_t first) {
    const lake__change *head = &d->items[first];
    bool alters = false;
    size_t i = first;
    char why[600];
    for (; i < d->count && same_column(head, &d->items[i]); i++) {
        const lake__change *c = &d->items[i];
        char where[300];
        lake__path_text(d, c, where, sizeof where);
        switch (c->kind) {
        case LAKE__ADD_COLUMN:
            lake__buf_puts(b, "-- ");
            lake__render_path(b, d, c, NULL);
            lake__buf_puts(b, ": added, NULL in rows already written\n");
            if (!c->to->nullable) lake__render_nested_nullability(b, d, c);
            alters = true;
            break;
        case LAKE__DROP_COLUMN:
            snprintf(why, sizeof why, "data loss: every value of %s is deleted, and readers that select it break", where);
            lake__render_destructive(b, why);
            alters = true;
            break;
        case LAKE__WIDEN_TYPE:
            lake__buf_puts(b, "-- ");
            lake__render_path(b, d, c, NULL);
            lake__buf_puts(b, ": widened to ");
            duckdb->type(b, c->to);
            lake__buf_putc(b, '\n');
            alters = true;
            break;
        case LAKE__CHANGE_TYPE:
            snprintf(why, sizeof why, "%s narrows or changes type: values that do not fit fail the migration, and "
                                      "precision may be lost", where);
            lake__render_destructive(b, why);
            alters = true;
            break;
        case LAKE__ORDER_MEMBERS:
            lake__buf_puts(b, "-- ");
            lake__render_path(b, d, c, NULL);
            lake__buf_puts(b, ": members in the model's order\n");
            alters = true;
            break;
        default: /* SET / DROP NOT NULL */
            lake__render_nested_nullability(b, d, c);
        }
    }
    if (alters) {
        alter(b, d);
        lake__buf_puts(b, "ALTER COLUMN ");
        ident(b, lake__name_now(d, head));
        lake__buf_puts(b, " TYPE ");
        duckdb->type(b, outer(head));
        lake__buf_puts(b, ";\n");
    }
    return i - first;
}

static void change(lake__buf *b, const lake__diff *d, const lake__change *c) {
    char why[400];
    switch (c->kind) {
    case LAKE__CREATE_TABLE:
        duckdb->create_table(b, d->after, NULL);
        return;
    case LAKE__DROP_TABLE:
        lake__render_statement(b, d, c, duckdb, "the table and every row in it are deleted");
        return;
    case LAKE__RENAME_COLUMN:
        snprintf(why, sizeof why, "readers and writers that still use the name %s break", c->from->name);
        lake__render_statement(b, d, c, duckdb, why);
        return;
    case LAKE__DROP_COLUMN:
        snprintf(why, sizeof why, "data loss: every value of %s is deleted, and readers that select it break", c->from->name);
        lake__render_statement(b, d, c, duckdb, why);
        return;
    case LAKE__ADD_COLUMN:
        if (c->to->nullable) lake__render_statement(b, d, c, duckdb, NULL);
        else add_not_null(b, d, c->to);
        return;
    case LAKE__WIDEN_TYPE: case LAKE__CHANGE_TYPE:
        snprintf(why, sizeof why, "%s narrows or changes type: values that do not fit fail the migration, and "
                                  "precision may be lost", c->to->name);
        lake__render_statement(b, d, c, duckdb, c->kind == LAKE__CHANGE_TYPE ? why : NULL);
        return;
    case LAKE__SET_NOT_NULL: case LAKE__DROP_NOT_NULL:
        snprintf(why, sizeof why, "%s becomes NOT NULL: the migration fails if any row holds NULL there", c->to->name);
        lake__render_statement(b, d, c, duckdb, c->kind == LAKE__SET_NOT_NULL ? why : NULL);
        return;
    case LAKE__PRIMARY_KEY: /* only adding one reaches here: the rest rebuilds */
        lake__render_destructive(b, "a new primary key: the migration fails on duplicate keys, and writers of "
                                    "colliding rows start failing");
        lake__render_key_comment(b, d, false, duckdb);
        alter(b, d);
        lake__buf_puts(b, "ADD PRIMARY KEY ");
        {
            size_t k = 0;
            lake__buf_putc(b, '(');
            for (size_t i = 0; i < lake_schema_column_count(d->after); i++) {
                const lake_column *col = lake_schema_column(d->after, i);
                if (!col->primary_key) continue;
                if (k++) lake__buf_puts(b, ", ");
                ident(b, col->name);
            }
            lake__buf_putc(b, ')');
        }
        lake__buf_puts(b, ";\n");
        return;
    case LAKE__MERGE_KEYS:
        lake__render_destructive(b, "upserts match rows on different columns from now on; rows that collide under "
                                    "the new key make a MERGE fail");
        lake__render_key_comment(b, d, true, duckdb);
        return;
    case LAKE__ORDER_MEMBERS: /* nested_changes */
        return;
    case LAKE__PARTITION: {
        const char *name = (c->to ? c->to : c->from)->name;
        lake__buf_puts(b, "-- partitioning of ");
        lake__escape_controls(b, name, strlen(name));
        lake__buf_puts(b, " changed: DuckDB tables have none; recorded for the lakehouse engines\n");
        return;
    }
    }
}

int lake__duckdb_render_changes(lake__buf *b, const lake__diff *d) {
    bool rebuilt = d->before && d->after && needs_rebuild(d);
    if (rebuilt) rebuild(b, d);
    for (size_t i = 0; i < d->count; i++) {
        const lake__change *c = &d->items[i];
        /* A rebuild did every column change already; keys and partitions still get their notes. */
        if (rebuilt && c->kind != LAKE__MERGE_KEYS && c->kind != LAKE__PARTITION) continue;
        if (b->len) lake__buf_putc(b, '\n');
        if (inside(c)) i += nested_changes(b, d, i) - 1;
        else change(b, d, c);
    }
    return b->failed ? -1 : 0;
}
