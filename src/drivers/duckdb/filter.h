/* SPDX-License-Identifier: MIT */
/* What a statement asks of the one table it reads (formats/filter.h), read
 * from DuckDB's own parse of it (json_serialize_sql), for the replacement
 * scan of a format's table to leave out files (resolve.c). */
#ifndef LAKE_DRIVERS_DUCKDB_FILTER_H
#define LAKE_DRIVERS_DUCKDB_FILTER_H

#include "drivers/duckdb/connection.h"
#include "formats/filter.h"
#include "util/arena.h"

/* Fills *out (pointing into arena, into params and into sql's parse) when
 * the statement is one SELECT whose only table, named in its FROM clause, is
 * a plain name (no join, subquery, CTE or set operation anywhere), with the
 * WHERE conjuncts filter.h describes. Otherwise, or when anything goes wrong
 * (even out of memory: a filter is only a hint), *out has no table and no
 * terms. Never an error: the statement itself reports its own. */
void lake__duckdb_filter_of(lake__duckdb *d, const char *sql, const lake_param *params, size_t nparams,
                            lake_arena *arena, lake__scan_filter *out);

/* The same from the parse's text (json_serialize_sql's result), whatever
 * its bytes. */
void lake__duckdb_filter_read(const char *json, size_t len, const lake_param *params, size_t nparams,
                              lake_arena *arena, lake__scan_filter *out);

#endif
