/* SPDX-License-Identifier: MIT */
/* The embedded DuckDB engine through its C API. */
#ifndef LAKE_DRIVERS_DUCKDB_CONNECTION_H
#define LAKE_DRIVERS_DUCKDB_CONNECTION_H

#include <duckdb.h>

#include <lakeorm/error.h>
#include <lakeorm/types.h>

typedef struct lake__duckdb {
    duckdb_database db;
    duckdb_connection con;
    bool shares_db; /* a connection to another handle's database */
    bool resolves;  /* the database reads a format's tables (resolve.h) */
} lake__duckdb;

/* Opens a database file, or an in-memory one for NULL or ":memory:". DuckDB
 * never tries to download extensions (this machine class is offline). */
int lake__duckdb_open(lake__duckdb *d, const char *path, lake_error *err);
/* The same for a client that only reads: a database file opens with
 * access_mode READ_ONLY (a 0444 file or a read-only mount works, nothing is
 * written, other readers may share it); a missing file is LAKE_EINVAL.
 * An in-memory database opens as usual. */
int lake__duckdb_open_read_only(lake__duckdb *d, const char *path, lake_error *err);
void lake__duckdb_close(lake__duckdb *d);
/* A further connection to the same database (DuckDB connections are not for
 * concurrent use; the database is). Close it with lake__duckdb_close. */
int lake__duckdb_connect(const lake__duckdb *shared, lake__duckdb *out, lake_error *err);

/* Prepares one statement (more or none is LAKE_EINVAL); the engine's error,
 * said once, is LAKE_EREMOTE. *stmt needs duckdb_destroy_prepare either way. */
int lake__duckdb_prepare(lake__duckdb *d, const char *sql, duckdb_prepared_statement *stmt, lake_error *err);

/* Binds typed parameters, $1 or ? in order: as many as the statement takes;
 * text must be valid UTF-8 (LAKE_EINVAL naming the parameter otherwise). */
int lake__duckdb_bind(duckdb_prepared_statement stmt, const lake_param *params, size_t nparams, lake_error *err);
/* Runs statements without parameters (DDL, transactions). LAKE_EREMOTE with
 * DuckDB's own message on failure. */
int lake__duckdb_exec(lake__duckdb *d, const char *sql, lake_error *err);

/* Prepares one statement, binds its typed parameters (lake__duckdb_bind)
 * and runs it, the scans of a format's tables knowing what its WHERE clause
 * asks of them (resolve.h): *res holds the result. Both handles need destroying after
 * (duckdb_destroy_result, duckdb_destroy_prepare), whatever the outcome. */
int lake__duckdb_run(lake__duckdb *d, const char *sql, const lake_param *params, size_t nparams,
                     duckdb_prepared_statement *stmt, duckdb_result *res, lake_error *err);

#endif
