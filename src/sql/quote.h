/* SPDX-License-Identifier: MIT */
/* Identifier quoting: the one way a name reaches SQL text. */
#ifndef LAKE_SQL_QUOTE_H
#define LAKE_SQL_QUOTE_H

#include <lakeorm/schema.h>

#include "util/buf.h"

/* Appends name as a quoted identifier: "na""me" for DuckDB, `na``me` for Spark. */
int lake__sql_quote_ident(lake__buf *b, const char *name, lake_engine engine);

/* Appends a table name. For Spark SQL a dotted name is a qualified one,
 * each part quoted: `catalog`.`schema`.`table` (Unity Catalog's three-part
 * names). For DuckDB the name is one identifier: its schema comes from the
 * client's default_schema, and the Appender takes the name whole. */
int lake__sql_quote_table(lake__buf *b, const char *name, lake_engine engine);

/* Appends the column's SQL type for the engine, e.g. DECIMAL(18,2) or
 * STRUCT<`a`: INT>. */
int lake__sql_type(lake__buf *b, const lake_column *column, lake_engine engine);

#endif
