/* SPDX-License-Identifier: MIT */
/* How lakeorm query writes rows (query_formats.c): one table of operations
 * per format, each fed typed records of the result's own schema. */
#ifndef LAKE_CLI_QUERY_FORMATS_H
#define LAKE_CLI_QUERY_FORMATS_H

#include <stdio.h>

#include <lakeorm.h>

/* In the order of the --format choices (args.c). */
typedef enum query_format { FORMAT_JSON = 0, FORMAT_CSV, FORMAT_TABLE, FORMAT_PARQUET } query_format;

typedef struct query_writer query_writer;

/* A writer of `format` rows of `schema` (borrowed: it must outlive the
 * writer) to `out` (borrowed; the caller flushes and closes it). json and
 * csv write each row as it comes; table holds the rows' text until close
 * (its widths come from every row shown); parquet streams through the
 * Parquet writer, a row group at a time. Every call: LAKE_OK or a status
 * with err filled. */
int query_writer_open(query_writer **w, query_format format, FILE *out, const lake_schema *schema, lake_error *err);
int query_writer_row(query_writer *w, const void *record, lake_error *err);
/* Writes what is held (the table, the Parquet footer). */
int query_writer_close(query_writer *w, lake_error *err);
void query_writer_free(query_writer *w);

#endif
