/* SPDX-License-Identifier: MIT */
/* What changed between two states of a table, as a list of changes that a
 * dialect renders into statements. A change is direction-neutral: `from` is
 * the column before, `to` the column after; the Down section renders the
 * inverse list. */
#ifndef LAKE_MIGRATE_DIFF_H
#define LAKE_MIGRATE_DIFF_H

#include <lakeorm/migrate.h>

#include "schema/schema.h"

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

/* Compares two states of one table; renames are the declared ones for it.
 * LAKE_EINVAL names a rename that does not apply. */
int lake__diff_compute(lake__diff *d, const lake_schema *before, const lake_schema *after,
                       const lake_rename *renames, size_t rename_count, lake_error *err);
/* The list that takes `after` back to `before`. */
int lake__diff_invert(lake__diff *out, const lake__diff *d);
void lake__diff_dispose(lake__diff *d);

/* The same column type for an engine (structs compared whole). */
bool lake__same_type(const lake_column *a, const lake_column *b, lake_engine engine);

#endif
