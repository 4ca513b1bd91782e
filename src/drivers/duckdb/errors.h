/* SPDX-License-Identifier: MIT */
/* DuckDB's refusals as lake_errors, classified once here from DuckDB's own
 * error type (duckdb_error_type): every DuckDB call site reports through these. */
#ifndef LAKE_DRIVERS_DUCKDB_ERRORS_H
#define LAKE_DRIVERS_DUCKDB_ERRORS_H

#include <duckdb.h>

#include <lakeorm/error.h>

/* Fills err with LAKE_EREMOTE: the printf-style prefix followed by DuckDB's
 * message `why` (NULL: "unknown error"), with the kind, engine class (DuckDB's
 * name for the type: "Constraint", "TransactionContext", "Catalog") and, where
 * one fits, a SQLSTATE that `type` means. Returns LAKE_EREMOTE. */
int lake__duckdb_fail(lake_error *err, duckdb_error_type type, const char *why, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The same for a failure the C API reports as text only (duckdb_prepare_error,
 * duckdb_pending_error, duckdb_extract_statements_error): the type is the one
 * DuckDB names at the start of its message ("Catalog Error: ..."); none known
 * leaves the kind LAKE_KIND_NONE. */
int lake__duckdb_fail_text(lake_error *err, const char *why, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A failed result's error (duckdb_result_error_type and duckdb_result_error). */
int lake__duckdb_fail_result(lake_error *err, duckdb_result *res, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* What a type means: its kind, DuckDB's name for it ("" for an unknown
 * type) and its SQLSTATE ("" when none fits). Exposed for the tests. */
lake_error_kind lake__duckdb_error_kind(duckdb_error_type type);
const char *lake__duckdb_error_name(duckdb_error_type type);
const char *lake__duckdb_error_sqlstate(duckdb_error_type type);

#endif
