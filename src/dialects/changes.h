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
    LAKE__ORDER_MEMBERS, /* from/to: a struct whose shared members come in another order */
    LAKE__PRIMARY_KEY,   /* the key's columns differ (schemas before/after say which) */
    LAKE__MERGE_KEYS,
    LAKE__PARTITION,     /* from/to: the column whose partition transform changed */
} lake__change_kind;

/* How deep a change can sit inside a column's type: schema/compile.c nests
 * structs and collections at most 16 levels. */
enum { LAKE__NEST_MAX = 16 };

typedef struct lake__change {
    lake__change_kind kind;
    const lake_column *from, *to;
    /* A change inside a column's type has depth > 0: within[0] is the
     * table's column in each state, within[depth - 1] the struct, list or
     * map holding from/to (a member, a list's "element", a map's "value").
     * Members match by name, so only within[0] can be named differently
     * (a declared rename); statements name each level as its `to` does. */
    size_t depth;
    struct lake__change_level {
        const lake_column *from, *to;
    } within[LAKE__NEST_MAX];
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
/* The same column type in a dialect: the same text. */
bool lake__same_type(const lake_column *a, const lake_column *b, const lake__dialect *dialect);
void lake__render_destructive(lake__buf *out, const char *reason);
void lake__render_key_comment(lake__buf *out, const lake__diff *d, bool merge, const lake__dialect *dialect);
/* The statement every dialect writes alike for a column change (drop table,
 * rename, drop, add as nullable, type, nullability; a nested one names its
 * path), preceded by
 * "-- DESTRUCTIVE: <reason>" when reason is non-NULL. */
void lake__render_statement(lake__buf *out, const lake__diff *d, const lake__change *c, const lake__dialect *dialect,
                            const char *reason);
/* The name a change's table column has when the change runs: Up renames
 * before any other change and Down after every other, so a rename later in
 * the list has not happened yet. */
const char *lake__name_now(const lake__diff *d, const lake__change *c);
/* A change's place, dotted: quoted with the dialect's identifiers
 * (`items`.`element`.`qty`), or, dialect NULL, as comment text
 * (items.element.qty). Depth 0: the column's name. */
void lake__render_path(lake__buf *out, const lake__diff *d, const lake__change *c, const lake__dialect *dialect);
/* The comment-text path as a string, for a reason line; cut at cap. */
void lake__path_text(const lake__diff *d, const lake__change *c, char *out, size_t cap);
/* A nested SET / DROP NOT NULL (an added required member is one too): a
 * DESTRUCTIVE line with the check to do, or a note; never a statement. */
void lake__render_nested_nullability(lake__buf *out, const lake__diff *d, const lake__change *c);

#endif
