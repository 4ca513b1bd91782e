/* SPDX-License-Identifier: MIT */
#include "drivers/duckdb/connection.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "drivers/duckdb/errors.h"
#include "error/error.h"
#include "util/utf8.h"

static int open_db(lake__duckdb *d, const char *path, bool read_only, lake_error *err) {
    memset(d, 0, sizeof *d);
    bool memory = !path || !strcmp(path, ":memory:");
    /* DuckDB would report a missing file in read-only mode too, but only as text. */
    if (read_only && !memory && access(path, F_OK))
        return lake__error(err, LAKE_EINVAL, "duckdb: no database file %s (a read-only client does not create one)", path);
    duckdb_config config;
    if (duckdb_create_config(&config) == DuckDBError) return lake__error(err, LAKE_ENOMEM, "duckdb: cannot create a configuration");
    duckdb_set_config(config, "autoinstall_known_extensions", "false");
    duckdb_set_config(config, "autoload_known_extensions", "false");
    /* An in-memory database has nothing on disk to protect and cannot be opened read-only. */
    if (read_only && !memory && duckdb_set_config(config, "access_mode", "READ_ONLY") == DuckDBError) {
        duckdb_destroy_config(&config);
        return lake__error(err, LAKE_ENOTSUP, "duckdb: this DuckDB cannot open databases read-only");
    }
    char *why = NULL;
    duckdb_state st = duckdb_open_ext(memory ? NULL : path, &d->db, config, &why);
    duckdb_destroy_config(&config);
    if (st == DuckDBError) {
        int rc = lake__error(err, LAKE_EIO, "duckdb: cannot open %s: %s", path ? path : ":memory:", why ? why : "unknown error");
        duckdb_free(why);
        return rc;
    }
    if (duckdb_connect(d->db, &d->con) == DuckDBError) {
        duckdb_close(&d->db);
        return lake__error(err, LAKE_EIO, "duckdb: cannot connect to %s", path ? path : ":memory:");
    }
    return LAKE_OK;
}

int lake__duckdb_open(lake__duckdb *d, const char *path, lake_error *err) { return open_db(d, path, false, err); }

int lake__duckdb_open_read_only(lake__duckdb *d, const char *path, lake_error *err) {
    return open_db(d, path, true, err);
}

void lake__duckdb_close(lake__duckdb *d) {
    if (d->con) duckdb_disconnect(&d->con);
    if (d->db && !d->shares_db) duckdb_close(&d->db);
}

int lake__duckdb_connect(const lake__duckdb *shared, lake__duckdb *out, lake_error *err) {
    memset(out, 0, sizeof *out);
    out->db = shared->db;
    out->shares_db = true;
    if (duckdb_connect(out->db, &out->con) == DuckDBError) return lake__error(err, LAKE_EIO, "duckdb: cannot connect");
    return LAKE_OK;
}

int lake__duckdb_exec(lake__duckdb *d, const char *sql, lake_error *err) {
    duckdb_result res;
    int rc = LAKE_OK;
    if (duckdb_query(d->con, sql, &res) == DuckDBError)
        rc = lake__duckdb_fail_result(err, &res, "duckdb: ");
    duckdb_destroy_result(&res);
    return rc;
}

int lake__duckdb_bind_text(duckdb_prepared_statement stmt, const char *const *params, size_t nparams, lake_error *err) {
    idx_t want = duckdb_nparams(stmt);
    if (want != nparams)
        return lake__error(err, LAKE_EINVAL, "the statement takes %llu parameter%s, %zu given", (unsigned long long)want,
                           want == 1 ? "" : "s", nparams);
    for (size_t i = 0; i < nparams; i++) {
        if (!params[i]) return lake__error(err, LAKE_EINVAL, "parameter %zu is NULL", i + 1);
        if (!lake__utf8_valid(params[i], strlen(params[i])))
            return lake__error(err, LAKE_EINVAL, "parameter %zu is not valid UTF-8 text", i + 1);
        if (duckdb_bind_varchar(stmt, (idx_t)i + 1, params[i]) == DuckDBError)
            return lake__error(err, LAKE_EREMOTE, "duckdb: parameter %zu could not be bound", i + 1);
    }
    return LAKE_OK;
}

int lake__duckdb_prepare(lake__duckdb *d, const char *sql, duckdb_prepared_statement *stmt, lake_error *err) {
    *stmt = NULL;
    /* Extracting first: duckdb_prepare repeats a parse error's caret block. */
    duckdb_extracted_statements ex = NULL;
    idx_t n = duckdb_extract_statements(d->con, sql, &ex);
    int rc = LAKE_OK;
    const char *why = n == 0 ? duckdb_extract_statements_error(ex) : NULL;
    if (n == 0 && why) rc = lake__duckdb_fail_text(err, why, "duckdb: ");
    else if (n != 1)
        rc = lake__error(err, LAKE_EINVAL, "duckdb: %llu statements given where one is run", (unsigned long long)n);
    else if (duckdb_prepare_extracted_statement(d->con, ex, 0, stmt) == DuckDBError)
        rc = lake__duckdb_fail_text(err, duckdb_prepare_error(*stmt), "duckdb: ");
    duckdb_destroy_extracted(&ex);
    return rc;
}

/* Prepares, binds text parameters and runs; both handles need destroying after, whatever rc. */
static int run_prepared(lake__duckdb *d, const char *sql, const char *const *params, size_t nparams,
                        duckdb_prepared_statement *stmt, duckdb_result *res, lake_error *err) {
    memset(res, 0, sizeof *res);
    int rc = lake__duckdb_prepare(d, sql, stmt, err);
    if (!rc) rc = lake__duckdb_bind_text(*stmt, params, nparams, err);
    if (rc) return rc;
    if (duckdb_execute_prepared(*stmt, res) == DuckDBError)
        return lake__duckdb_fail_result(err, res, "duckdb: ");
    return LAKE_OK;
}

int lake__duckdb_query_int(lake__duckdb *d, const char *sql, const char *const *params, size_t nparams,
                           int64_t *out, lake_error *err) {
    duckdb_prepared_statement stmt;
    duckdb_result res;
    int rc = run_prepared(d, sql, params, nparams, &stmt, &res, err);
    if (!rc) {
        duckdb_data_chunk chunk = duckdb_fetch_chunk(res);
        if (!chunk || duckdb_data_chunk_get_size(chunk) == 0) {
            rc = lake__error(err, LAKE_ENOROWS, "duckdb: the query returned no rows");
        } else {
            duckdb_vector v = duckdb_data_chunk_get_vector(chunk, 0);
            duckdb_logical_type t = duckdb_vector_get_column_type(v);
            duckdb_type id = duckdb_get_type_id(t);
            duckdb_destroy_logical_type(&t);
            uint64_t *validity = duckdb_vector_get_validity(v);
            if (validity && !duckdb_validity_row_is_valid(validity, 0)) rc = lake__error(err, LAKE_ENOROWS, "duckdb: NULL result");
            else if (id == DUCKDB_TYPE_BIGINT) *out = ((int64_t *)duckdb_vector_get_data(v))[0];
            else if (id == DUCKDB_TYPE_INTEGER) *out = ((int32_t *)duckdb_vector_get_data(v))[0];
            else if (id == DUCKDB_TYPE_HUGEINT) *out = (int64_t)((duckdb_hugeint *)duckdb_vector_get_data(v))[0].lower;
            else rc = lake__error(err, LAKE_EMISMATCH, "duckdb: the result is not an integer (type %d)", (int)id);
        }
        if (chunk) duckdb_destroy_data_chunk(&chunk);
    }
    duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

int lake__duckdb_query_text(lake__duckdb *d, const char *sql, const char *const *params, size_t nparams, char *out,
                            size_t cap, lake_error *err) {
    duckdb_prepared_statement stmt;
    duckdb_result res;
    int rc = run_prepared(d, sql, params, nparams, &stmt, &res, err);
    if (!rc && (duckdb_row_count(&res) == 0 || duckdb_value_is_null(&res, 0, 0))) {
        rc = lake__error(err, LAKE_ENOROWS, "duckdb: the query returned no rows");
    } else if (!rc) {
        char *text = duckdb_value_varchar(&res, 0, 0);
        snprintf(out, cap, "%s", text ? text : "");
        duckdb_free(text);
    }
    duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&stmt);
    return rc;
}
