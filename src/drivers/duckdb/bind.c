/* SPDX-License-Identifier: MIT */
/* Typed parameters bound to a prepared DuckDB statement. */
#include "drivers/duckdb/connection.h"
#include "error/error.h"
#include "util/utf8.h"

static duckdb_state bind_one(duckdb_prepared_statement stmt, idx_t at, const lake_param *p) {
    switch (p->type) {
    case LAKE_PARAM_NULL: return duckdb_bind_null(stmt, at);
    case LAKE_PARAM_TEXT: return duckdb_bind_varchar_length(stmt, at, p->v.text.ptr, p->v.text.len);
    case LAKE_PARAM_INT64: return duckdb_bind_int64(stmt, at, p->v.i64);
    case LAKE_PARAM_DOUBLE: return duckdb_bind_double(stmt, at, p->v.f64);
    case LAKE_PARAM_BOOL: return duckdb_bind_boolean(stmt, at, p->v.b);
    case LAKE_PARAM_TIMESTAMP: return duckdb_bind_timestamp_tz(stmt, at, (duckdb_timestamp){p->v.ts.us});
    case LAKE_PARAM_DATE: return duckdb_bind_date(stmt, at, (duckdb_date){p->v.date.days});
    case LAKE_PARAM_DECIMAL: {
        duckdb_decimal d = {p->v.dec.precision, p->v.dec.scale, {p->v.dec.value.lo, p->v.dec.value.hi}};
        return duckdb_bind_decimal(stmt, at, d);
    }
    case LAKE_PARAM_BYTES: return duckdb_bind_blob(stmt, at, p->v.bytes.ptr ? (const void *)p->v.bytes.ptr : "", p->v.bytes.len);
    }
    return DuckDBError;
}

int lake__duckdb_bind(duckdb_prepared_statement stmt, const lake_param *params, size_t nparams, lake_error *err) {
    idx_t want = duckdb_nparams(stmt);
    if (want != nparams)
        return lake__error(err, LAKE_EINVAL, "the statement takes %llu parameter%s, %zu given", (unsigned long long)want,
                           want == 1 ? "" : "s", nparams);
    for (size_t i = 0; i < nparams; i++) {
        const lake_param *p = &params[i];
        if (p->type == LAKE_PARAM_TEXT && (!p->v.text.ptr || !lake__utf8_valid(p->v.text.ptr, p->v.text.len)))
            return lake__error(err, LAKE_EINVAL, "parameter %zu is not valid UTF-8 text", i + 1);
        if (bind_one(stmt, (idx_t)i + 1, p) == DuckDBError)
            return lake__error(err, LAKE_EINVAL, "duckdb: parameter %zu could not be bound as %s", i + 1,
                               p->type == LAKE_PARAM_DECIMAL ? "that decimal" : "its type");
    }
    return LAKE_OK;
}
