/* SPDX-License-Identifier: MIT */
/* lakeorm: migrations, authored for review, run by a migration runner.
 *
 * lake_migrate_generate compares each model with the state recorded in the
 * newest migration file for its table and writes one goose-format file per
 * changed table, in the dialect's grammar; lake_migrate_verify checks that no
 * file was edited after generation; lake_client_assert_schema compares live
 * tables with models. docs/migrations.md describes the file format. */
#ifndef LAKEORM_MIGRATE_H
#define LAKEORM_MIGRATE_H

#include "client.h"
#include "common.h"
#include "error.h"
#include "schema.h"

LAKE_BEGIN_DECL

/* A rename, declared: lakeorm never guesses one from a drop and an add. */
typedef struct lake_rename {
    const char *table; /* the table it applies to */
    const char *from;  /* the column's name in the previous state */
    const char *to;    /* its name in the model */
} lake_rename;

/* Options of lake_migrate_generate and lake_client_migrate_with. Borrowed:
 * the strings and the renames are read during the call only. */
typedef struct lake_migrate_options {
    unsigned version;
    const char *dialect;         /* generate: "duckdb" (default), "iceberg" or "delta"; migrate_with: not read
                                    (the client's dialect) */
    const lake_rename *renames;  /* declared renames of any tables; each call takes its table's */
    size_t rename_count;
    int64_t now_unix_seconds;    /* generate: names the files; 0 = the current time. migrate_with: not read */
} lake_migrate_options;

#define LAKE_MIGRATE_OPTIONS_VERSION 1
#define LAKE_MIGRATE_OPTIONS_INIT {LAKE_MIGRATE_OPTIONS_VERSION, NULL, NULL, 0, 0}

/* Writes YYYYMMDDHHMMSS_<table>.sql into `dir` (created when missing) for
 * every schema whose table changed since the state its newest file records
 * (or that has no file yet), and rewrites dir/lakeorm.sum. A second run over
 * unchanged models writes nothing. *written (may be NULL) counts the files.
 * A declared rename whose column is not in the prior state, or a name
 * collision, is LAKE_EINVAL; a malformed state header is LAKE_ESCHEMA naming
 * the file. */
LAKE_EXTERN int lake_migrate_generate(const char *dir, const lake_schema *const *schemas, size_t count,
                                      const lake_migrate_options *opts, size_t *written, lake_error *err);

/* lake_client_migrate (client.h) with declared renames applied natively to
 * an existing table, so a live table follows a model whose column was
 * renamed without a migration file. opts may be NULL (= lake_client_migrate);
 * only its renames of the schema's table are read. A table created now takes
 * the model's names, renames or not. Per rename, on the live table:
 *   has `from`, lacks `to`     renamed (data kept)
 *   has `to`, lacks `from`     nothing: applied already, so migrating again is a no-op
 *   has both                   nothing when the model keeps a column `from` too (added again after
 *                              the rename), else LAKE_EINVAL: `to` is taken
 *   has neither                LAKE_EINVAL naming both
 * Before anything is touched, LAKE_EINVAL for a rename without both names,
 * whose `to` is not a column of the model, that renames or names _ingest_id
 * (lakeorm's system column), or that shares a name with another rename of
 * the table (chains and swaps: names alone cannot tell whether they ran).
 * Top-level columns only (a rename names a table column).
 *
 * How each engine renames (docs/migrations.md, "Renames"):
 *   Iceberg tables lakeorm keeps (warehouse): one new schema, committed through the catalog with the
 *     columns the model adds and widens; the field keeps its id, so files written before read under
 *     the new name (by lakeorm, pyiceberg, Spark); the partition spec and the primary key (identifier
 *     fields) refer to it by id and stay valid. LAKE_EINVAL when the new name is a partition field's.
 *   Delta tables lakeorm keeps: LAKE_ENOTSUP (a rename needs column mapping, which lakeorm does not
 *     write); nothing is changed. Author a migration instead.
 *   the engine's tables (DuckDB; Spark, Databricks): ALTER TABLE t RENAME COLUMN a TO b, all of a
 *     table's renames in one transaction where the engine has them (DuckDB). A Delta table on Spark or
 *     Databricks without column mapping refuses with the engine's own error (LAKE_EREMOTE).
 * Merge keys and the primary key follow the model's names: declare the key
 * on the new name. */
LAKE_EXTERN int lake_client_migrate_with(lake_client *c, const lake_schema *schema, const lake_migrate_options *opts,
                                         lake_error *err);

/* Drops the schema's table and its rows: the engine's DROP TABLE, or, for
 * tables lakeorm keeps in a warehouse, the catalog's entry (Iceberg) and
 * every file under the table's folder. A table that is not there is
 * LAKE_EREMOTE from an engine, nothing for a warehouse. LAKE_EINVAL on a
 * read-only client. */
LAKE_EXTERN int lake_client_drop(lake_client *c, const lake_schema *schema, lake_error *err);

/* Recomputes every hash of dir/lakeorm.sum. LAKE_OK when all match;
 * LAKE_EMISMATCH with one issue per edited, missing or unlisted .sql file
 * (issue.column holds the file name, issue.rule "edited", "missing" or
 * "unlisted"); LAKE_ENOTFOUND when there is no lakeorm.sum. */
LAKE_EXTERN int lake_migrate_verify(const char *dir, lake_error *err);

/* Compares each live table with its model: missing table, missing or extra
 * columns (the system column _ingest_id included), type, nullability and
 * primary key, each as far as the engine reports it (docs/migrations.md,
 * "assert_schema"): a Delta table keeps no primary key, so keys are not
 * compared on Delta (Spark or Databricks); a Databricks warehouse older than
 * Runtime 16.2 does not report nullability. Nested types are compared by
 * structure (struct members by name and order, list elements, map values); a
 * "type" issue's message names the first difference's path, e.g.
 * items.element.price. LAKE_OK when they agree;
 * LAKE_EMISMATCH with one issue per difference (issue.record = the schema's
 * index, issue.column the column, issue.rule "missing_table",
 * "missing_column", "extra_column", "type", "nullable" or "primary_key",
 * issue.param the model's expectation). */
LAKE_EXTERN int lake_client_assert_schema(lake_client *c, const lake_schema *const *schemas, size_t count,
                                          lake_error *err);

LAKE_END_DECL

#endif
