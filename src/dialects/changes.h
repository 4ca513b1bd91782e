/* SPDX-License-Identifier: MIT */
/* The migrations' vocabulary, and how a dialect says it: what changed
 * between two states of a table, as a list of changes (migrate/diff.c
 * computes it) that each dialect renders into statements in its own ALTER
 * grammar (lake__dialect.render_changes). A change is direction-neutral:
 * `from` is the column before, `to` the column after; the Down section
 * renders the inverse list.
 *
 * Rendering: every statement ends in ";" on its own line, and a risky one is
 * preceded by a "-- DESTRUCTIVE: <reason>" line. Text from a model goes into
 * a comment line only through lake__escape_controls: goose reads a file line
 * by line, and nothing a model holds may end a comment and start a statement. */
#ifndef LAKE_DIALECTS_CHANGES_H
#define LAKE_DIALECTS_CHANGES_H

#include <lakeorm/schema.h>

#include "dialects/dialect.h"
#include "util/buf.h"

typedef enum lake__change_kind {
    LAKE__CREATE_TABLE,  /* from NULL to `to` (the table) */
    LAKE__DROP_TABLE,    /* the inverse */
    LAKE__RENAME_COLUMN, /* from.name -> to.name */
    LAKE__DROP_COLUMN,   /* from */
    LAKE__ADD_COLUMN,    /* to */
    LAKE__WIDEN_TYPE,    /* every value of from's type fits to's */
    LAKE__CHANGE_TYPE,   /* narrowing or another type: values may not fit */
    LAKE__SET_NOT_NULL,
    LAKE__DROP_NOT_NULL,
    LAKE__PRIMARY_KEY,   /* the key's columns differ (schemas before/after say which) */
    LAKE__MERGE_KEYS,
    LAKE__PARTITION,     /* from/to: the column whose partition transform changed */
} lake__change_kind;

typedef struct lake__change {
    lake__change_kind kind;
    const lake_column *from, *to;
} lake__change;

typedef struct lake__diff {
    const lake_schema *before, *after; /* before NULL: a new table */
    lake__change *items;
    size_t count, cap;
} lake__diff;

/* Each dialect's renderer (its render_changes member). */
int lake__duckdb_render_changes(lake__buf *out, const lake__diff *d);
int lake__spark_render_changes(lake__buf *out, const lake__diff *d, lake_dialect format);

/* Shared by the renderers. */
void lake__render_destructive(lake__buf *out, const char *reason);
void lake__render_key_comment(lake__buf *out, const lake__diff *d, bool merge, const lake__dialect *dialect);
/* The statement every dialect writes alike for a column change (drop table,
 * rename, drop, add as nullable, type, nullability), preceded by
 * "-- DESTRUCTIVE: <reason>" when reason is non-NULL. */
void lake__render_statement(lake__buf *out, const lake__diff *d, const lake__change *c, const lake__dialect *dialect,
                            const char *reason);

#endif
