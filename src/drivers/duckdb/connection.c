/* SPDX-License-Identifier: MIT */
#include "drivers/duckdb/connection.h"

#include <string.h>
#include <unistd.h>

#include "drivers/duckdb/errors.h"
#include "drivers/duckdb/resolve.h"
#include "error/error.h"

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
    out->resolves = shared->resolves;
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

int lake__duckdb_run(lake__duckdb *d, const char *sql, const lake_param *params, size_t nparams,
                     duckdb_prepared_statement *stmt, duckdb_result *res, lake_error *err) {
    memset(res, 0, sizeof *res);
    lake__duckdb_hint hint;
    lake__duckdb_hint_begin(&hint, d, sql, params, nparams);
    int rc = lake__duckdb_prepare(d, sql, stmt, err);
    if (!rc) rc = lake__duckdb_bind(*stmt, params, nparams, err);
    if (!rc && duckdb_execute_prepared(*stmt, res) == DuckDBError) rc = lake__duckdb_fail_result(err, res, "duckdb: ");
    lake__duckdb_hint_end(&hint);
    return rc;
}
