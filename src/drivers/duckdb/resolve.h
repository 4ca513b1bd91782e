/* SPDX-License-Identifier: MIT */
/* Tables a table format keeps, read through DuckDB's replacement scans. */
#ifndef LAKE_DRIVERS_DUCKDB_RESOLVE_H
#define LAKE_DRIVERS_DUCKDB_RESOLVE_H

#include <duckdb.h>

#include "drivers/driver.h"

/* Registers cfg->resolve (which must be set) on the database: a table name
 * DuckDB does not know is offered to it, and the SELECT it appends is read
 * in the table's place. The database keeps (and frees) its own copy of the
 * callback and its context pointer; the context must outlive the database. */
int lake__duckdb_resolve_install(duckdb_database db, const lake__driver_config *cfg, lake_error *err);

#endif
