/* SPDX-License-Identifier: MIT */
/* The engine-keyed names client/ and migrate/ call until they take a dialect
 * object: each forwards to the object (Spark SQL quotes and types alike for
 * Iceberg and Delta). */
#include <string.h>

#include "dialects/dialect.h"
#include "error/error.h"
#include "sql/quote.h"

static const lake__dialect *of(lake_engine engine) {
    return engine == LAKE_ENGINE_SPARK ? &lake__dialect_iceberg : &lake__dialect_duckdb;
}

int lake__sql_quote_ident(lake__buf *b, const char *name, lake_engine engine) { return of(engine)->ident(b, name); }

int lake__sql_quote_table(lake__buf *b, const char *name, lake_engine engine) { return of(engine)->table(b, name); }

int lake__sql_type(lake__buf *b, const lake_column *c, lake_engine engine) { return of(engine)->type(b, c); }

int lake_column_sql_type(const lake_column *column, lake_engine engine, char *buf, size_t buf_size) {
    if (!column || !buf || (engine != LAKE_ENGINE_DUCKDB && engine != LAKE_ENGINE_SPARK)) return LAKE_EINVAL;
    lake__buf b = LAKE__BUF_INIT;
    if (lake__sql_type(&b, column, engine) || b.len + 1 > buf_size) {
        int rc = b.failed ? LAKE_ENOMEM : LAKE_EINVAL;
        lake__buf_dispose(&b);
        if (buf_size) buf[0] = '\0';
        return rc;
    }
    memcpy(buf, b.data, b.len + 1);
    lake__buf_dispose(&b);
    return LAKE_OK;
}
