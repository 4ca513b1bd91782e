/* SPDX-License-Identifier: MIT */
/* The engine-keyed names client/ calls until it takes a dialect object: each
 * forwards to the object (Spark SQL quotes and types alike for Iceberg and
 * Delta). */
#include "dialects/dialect.h"
#include "sql/quote.h"

static const lake__dialect *of(lake__engine engine) {
    return engine == LAKE_ENGINE_SPARK ? &lake__dialect_iceberg : &lake__dialect_duckdb;
}

int lake__sql_quote_ident(lake__buf *b, const char *name, lake__engine engine) { return of(engine)->ident(b, name); }

int lake__sql_quote_table(lake__buf *b, const char *name, lake__engine engine) { return of(engine)->table(b, name); }

int lake__sql_type(lake__buf *b, const lake_column *c, lake__engine engine) { return of(engine)->type(b, c); }
