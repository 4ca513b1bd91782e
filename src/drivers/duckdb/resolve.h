/* SPDX-License-Identifier: MIT */
/* Tables a table format keeps, read through DuckDB's replacement scans. */
#ifndef LAKE_DRIVERS_DUCKDB_RESOLVE_H
#define LAKE_DRIVERS_DUCKDB_RESOLVE_H

#include <duckdb.h>

#include "drivers/driver.h"
#include "drivers/duckdb/connection.h"
#include "formats/filter.h"
#include "util/arena.h"

/* Registers cfg->resolve (which must be set) on the database: a table name
 * DuckDB does not know is offered to it, and the SELECT it appends is read
 * in the table's place. The database keeps (and frees) its own copy of the
 * callback and its context pointer; the context must outlive the database. */
int lake__duckdb_resolve_install(duckdb_database db, const lake__driver_config *cfg, lake_error *err);

/* Between begin and end, the scans of a format's tables that the calling
 * thread's statement binds get what the statement's WHERE clause asks of
 * them (filter.h), and each binding of the statement reads a table as the
 * first did; span the statement's preparation and its run. A format's own
 * statements inside a scan begin and end their own. */
typedef struct lake__duckdb_scan_text {
    const char *name, *sql; /* sql NULL: not a format's table */
    size_t len;
    bool found;
} lake__duckdb_scan_text;

typedef struct lake__duckdb_hint {
    lake_arena *arena;
    lake__scan_filter filter;
    lake__duckdb_scan_text scans[4]; /* the tables bound so far */
    size_t scan_count;
    struct lake__duckdb_hint *outer;
} lake__duckdb_hint;
void lake__duckdb_hint_begin(lake__duckdb_hint *h, lake__duckdb *d, const char *sql, const lake_param *params,
                             size_t nparams);
void lake__duckdb_hint_end(lake__duckdb_hint *h);

#endif
