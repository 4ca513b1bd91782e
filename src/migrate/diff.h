/* SPDX-License-Identifier: MIT */
/* What changed between two states of a table: the list of changes
 * (dialects/changes.h) that a dialect renders into statements. */
#ifndef LAKE_MIGRATE_DIFF_H
#define LAKE_MIGRATE_DIFF_H

#include <lakeorm/migrate.h>

#include "dialects/changes.h"
#include "schema/schema.h"

/* Compares two states of one table; renames are the declared ones for it.
 * LAKE_EINVAL names a rename that does not apply. */
int lake__diff_compute(lake__diff *d, const lake_schema *before, const lake_schema *after,
                       const lake_rename *renames, size_t rename_count, lake_error *err);
/* The list that takes `after` back to `before`. */
int lake__diff_invert(lake__diff *out, const lake__diff *d);
void lake__diff_dispose(lake__diff *d);

#endif
