/* SPDX-License-Identifier: MIT */
/* What the DuckDB driver tests ask the database directly. */
#ifndef LAKE_TEST_DUCKDB_QUERY_H
#define LAKE_TEST_DUCKDB_QUERY_H

#include "drivers/duckdb/connection.h"

/* The first column of the first row as an integer (counts, sums), through
 * the typed binding and run the driver uses. */
static inline int query_int(lake__duckdb *db, const char *sql, const lake_param *params, size_t nparams, int64_t *out,
                     lake_error *err) {
    duckdb_prepared_statement stmt;
    duckdb_result res;
    int rc = lake__duckdb_run(db, sql, params, nparams, &stmt, &res, err);
    if (!rc && (duckdb_row_count(&res) == 0 || duckdb_value_is_null(&res, 0, 0)))
        rc = lake_error_set(err, LAKE_ENOROWS, "no row, or NULL");
    else if (!rc) *out = duckdb_value_int64(&res, 0, 0);
    duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

#endif
