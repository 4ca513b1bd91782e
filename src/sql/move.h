/* SPDX-License-Identifier: MIT */
/* The engine-keyed names of the statements that move a request's rows, which
 * client/ calls until it takes a dialect object (dialects/move.h builds them). */
#ifndef LAKE_SQL_MOVE_H
#define LAKE_SQL_MOVE_H

#include "dialects/dialect.h"
#include "sql/quote.h"

/* <verb> <table> (<columns>, _ingest_id) SELECT the same FROM <source>. */
int lake__sql_insert_select(lake__buf *out, const lake_schema *s, const char *table, const char *verb,
                            const char *source, lake__engine engine);

/* MERGE INTO <table> USING (SELECT * FROM <source>) ON the key columns. */
int lake__sql_merge(lake__buf *out, const lake_schema *s, const char *table, const char *source, lake__match_on on,
                    bool update_matched, lake__engine engine);

/* The first key that appears more than once in <source>. */
int lake__sql_duplicate_key(lake__buf *out, const lake_schema *s, const char *source, lake__match_on on,
                            lake__engine engine);

/* How many rows of <source> have a key the table holds already. */
int lake__sql_count_matched(lake__buf *out, const lake_schema *s, const char *table, const char *source,
                            lake__match_on on, lake__engine engine);

#endif
