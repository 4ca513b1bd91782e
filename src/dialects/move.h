/* SPDX-License-Identifier: MIT */
/* The statements that move a request's rows, whose shape DuckDB and Spark SQL
 * share: only quoting (the dialect's ident and table) and the name of the
 * text type differ. The dialects' move, duplicate_key and count_matched are
 * built from these. */
#ifndef LAKE_DIALECTS_MOVE_H
#define LAKE_DIALECTS_MOVE_H

#include "dialects/dialect.h"

/* <verb> <table> (<columns>, _ingest_id) SELECT the same FROM <source>, where
 * verb is "INSERT INTO " or an engine's variant ("INSERT OR IGNORE INTO "). */
int lake__move_insert(lake__buf *out, const lake__dialect *d, const lake__move *m, const char *verb);

/* MERGE INTO <table> AS lake_target USING (SELECT * FROM <source>) AS
 * lake_source ON the key columns: matched rows take every column of the
 * source when update_matched (else they are left alone), others are inserted. */
int lake__move_merge(lake__buf *out, const lake__dialect *d, const lake__move *m, bool update_matched);

/* SELECT concat_ws(', ', CAST(<key> AS <text_type>), ...) AS lake_key FROM
 * <source> GROUP BY the key HAVING count(*) > 1 LIMIT 1. */
int lake__move_duplicate_key(lake__buf *out, const lake__dialect *d, const lake__move *m, const char *text_type);

/* SELECT CAST(count(*) AS <text_type>) AS lake_key over the source rows whose
 * key the table holds; key columns compare with `=` as the MERGE's ON does. */
int lake__move_count_matched(lake__buf *out, const lake__dialect *d, const lake__move *m, const char *text_type);

/* One source as itself, several as (SELECT * FROM a UNION ALL SELECT * FROM b);
 * the sources are fragments, already quoted. */
int lake__move_union_all(lake__buf *out, const char *const *sources, size_t n);

/* (SELECT *, <ingest_id> AS _ingest_id FROM VALUES <rows> AS v(<columns>)):
 * dialect.h's values_source, a form DuckDB and Spark SQL both read. */
int lake__move_values_source(lake__buf *out, const lake__dialect *d, const lake_schema *s, const char *rows,
                             size_t rows_len, const char *ingest_id);

/* CAST(NULL AS <the dialect's type of column>). */
int lake__move_typed_null(lake__buf *out, const lake__dialect *d, const lake_column *column);

#endif
