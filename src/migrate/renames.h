/* SPDX-License-Identifier: MIT */
/* Declared renames applied to a live table (lake_client_migrate_with):
 * which of them a table still needs, decided by names alone so that a
 * second migrate finds nothing to do. Every engine and table format asks
 * here, so they refuse and skip alike (docs/migrations.md, "Renames"). */
#ifndef LAKE_MIGRATE_RENAMES_H
#define LAKE_MIGRATE_RENAMES_H

#include <stdbool.h>

#include <lakeorm/migrate.h>

/* Checks the renames declared for the model's table (those of other tables
 * are not read) before any table is touched: both names given and
 * different, `to` a column of the model, neither name _ingest_id, and no
 * name in two renames of the table (a swap or a chain cannot be told
 * applied from not applied by names, so migrate could not be idempotent).
 * LAKE_EINVAL naming the rename. */
int lake__renames_check(const lake_schema *model, const lake_rename *renames, size_t count, lake_error *err);

/* Whether the live table has a column called `name`. */
typedef bool (*lake__has_column_fn)(void *ctx, const char *name);

/* The renames (checked by lake__renames_check) an existing table still
 * needs, in declaration order, into due[] (room for `count`), how many in
 * *due_count. For each of the model's table:
 *   the table has `from` and lacks `to`            due
 *   it has `to` and lacks `from`                   applied already: skipped
 *   it has both, and the model keeps a `from`      applied, `from` added again since: skipped
 *   it has both, and the model has no `from`       LAKE_EINVAL: `to` is taken
 *   it has neither                                 LAKE_EINVAL naming both */
int lake__renames_due(const lake_schema *model, const lake_rename *renames, size_t count, lake__has_column_fn has,
                      void *ctx, const lake_rename **due, size_t *due_count, lake_error *err);

#endif
