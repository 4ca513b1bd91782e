/* SPDX-License-Identifier: MIT */
/* The statements that move a request's rows from where they were staged (a
 * temporary table or view, Parquet parts) into the target table, for either
 * engine: only identifier quoting differs between DuckDB and Spark SQL. */
#ifndef LAKE_SQL_MOVE_H
#define LAKE_SQL_MOVE_H

#include <lakeorm/schema.h>

#include "util/buf.h"

/* Which columns a MERGE matches rows on. */
typedef enum lake__match_on { LAKE__MATCH_MERGE_KEYS, LAKE__MATCH_PRIMARY_KEY } lake__match_on;

/* <verb> <table> (<columns>, _ingest_id) SELECT the same FROM <source>, where
 * verb is "INSERT INTO " or an engine's variant; `source` is a FROM-clause
 * fragment lakeorm built. */
int lake__sql_insert_select(lake__buf *out, const lake_schema *s, const char *table, const char *verb,
                            const char *source, lake_engine engine);

/* MERGE INTO <table> USING (SELECT * FROM <source>) ON the key columns:
 * matched rows take every column of the source when update_matched (else
 * they are left alone), others are inserted. */
int lake__sql_merge(lake__buf *out, const lake_schema *s, const char *table, const char *source, lake__match_on on,
                    bool update_matched, lake_engine engine);

/* SELECT the first key (its values joined by ", ", as text) that appears more
 * than once in <source>: a MERGE needs each key once per request. */
int lake__sql_duplicate_key(lake__buf *out, const lake_schema *s, const char *source, lake__match_on on,
                            lake_engine engine);

/* SELECT, as text named lake_key, how many rows of <source> have a key the
 * table holds already: what a MERGE will update (or an ignoring insert skip).
 * Key columns compare with `=` as the MERGE's ON does. */
int lake__sql_count_matched(lake__buf *out, const lake_schema *s, const char *table, const char *source,
                            lake__match_on on, lake_engine engine);

#endif
