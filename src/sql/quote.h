/* SPDX-License-Identifier: MIT */
/* The engine-keyed quoting and types that client/ calls until it takes a
 * dialect object (dialects/dialect.h); they forward to the objects. Nothing
 * outside client/ uses them: delete this folder with client/'s last caller. */
#ifndef LAKE_SQL_QUOTE_H
#define LAKE_SQL_QUOTE_H

#include <lakeorm/schema.h>

#include "util/buf.h"

/* Which SQL client/ speaks: DuckDB's, or Spark SQL (Iceberg and Delta alike). */
typedef enum lake__engine {
    LAKE_ENGINE_DUCKDB = 1,
    LAKE_ENGINE_SPARK,
} lake__engine;

/* lake__dialect.ident */
int lake__sql_quote_ident(lake__buf *b, const char *name, lake__engine engine);
/* lake__dialect.table */
int lake__sql_quote_table(lake__buf *b, const char *name, lake__engine engine);
/* lake__dialect.type */
int lake__sql_type(lake__buf *b, const lake_column *column, lake__engine engine);

#endif
