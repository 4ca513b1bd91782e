/* SPDX-License-Identifier: MIT */
/* Iceberg's SQL catalog on SQLite, in the JDBC catalog's layout (the
 * iceberg_tables and iceberg_namespace_properties tables, with the v1
 * iceberg_type column), which pyiceberg's SqlCatalog and Spark's JDBC
 * catalog read: a table is a row naming its current metadata file, and a
 * commit is one compare-and-swap of that name. */
#ifndef LAKE_FORMATS_ICEBERG_SQL_CATALOG_H
#define LAKE_FORMATS_ICEBERG_SQL_CATALOG_H

#include <stddef.h>

#include <lakeorm/error.h>

typedef struct lake__sql_catalog lake__sql_catalog;

/* Opens (creating when missing) the catalog database at `path` for the
 * catalog named `name` ("lakeorm" when NULL). */
int lake__sql_catalog_open(lake__sql_catalog **out, const char *path, const char *name, lake_error *err);
void lake__sql_catalog_close(lake__sql_catalog *c);

/* Makes the namespace known (as pyiceberg does: property exists=true). */
int lake__sql_catalog_namespace(lake__sql_catalog *c, const char *ns, lake_error *err);

/* The table's current metadata file into out: LAKE_ENOTFOUND when there is
 * no such table. */
int lake__sql_catalog_load(lake__sql_catalog *c, const char *ns, const char *table, char *out, size_t cap,
                           lake_error *err);

/* Registers a new table at its first metadata file: LAKE_ECONFLICT when the
 * table exists already (another writer created it first). */
int lake__sql_catalog_create(lake__sql_catalog *c, const char *ns, const char *table, const char *metadata,
                             lake_error *err);

/* Moves the table from metadata file `expected` to `next` only if it is
 * still at `expected`: LAKE_ECONFLICT when another commit came first. */
/* Every namespace made (namespace_ensure) or holding a table, in order. */
int lake__sql_catalog_namespaces(lake__sql_catalog *c, int (*fn)(void *ctx, const char *ns), void *ctx,
                                 lake_error *err);
/* Removes the table's row; LAKE_ENOTFOUND when there is none. */
int lake__sql_catalog_drop(lake__sql_catalog *c, const char *ns, const char *table, lake_error *err);
int lake__sql_catalog_swap(lake__sql_catalog *c, const char *ns, const char *table, const char *expected,
                           const char *next, lake_error *err);

#endif
