/* SPDX-License-Identifier: MIT */
/* CSV input (RFC 4180): a header line naming columns, then one record per
 * line (or more, inside quotes), each turned into the JSON object the JSON
 * decoder reads, so that a CSV record and the same record as NDJSON get the
 * same verdict: the decoder's strictness is the only one there is. */
#ifndef LAKE_CLI_CSV_H
#define LAKE_CLI_CSV_H

#include <stddef.h>
#include <stdio.h>

#include <lakeorm.h>

typedef struct csv_reader csv_reader;

/* Reads the header from in (a UTF-8 byte order mark before it is skipped)
 * and binds its names to the columns' JSON keys (json= aliases included).
 * 0, or -1 with why[size] saying what is wrong: no header, a name that
 * names no column or names one twice, a non-nullable column no name names,
 * a malformed header line, memory. `in` is borrowed; `schema` too, and both
 * must outlive the reader. With no schema (schema infer) the header's names
 * are the keys and a cell becomes what a bool or numeric column would read
 * (true, false, a JSON number) or else a string; empty unquoted is null. */
int csv_open(csv_reader **out, FILE *in, const lake_schema *schema, char *why, size_t size);
void csv_close(csv_reader *r);

typedef enum csv_status { CSV_END = 0, CSV_RECORD, CSV_REJECTED, CSV_FAILED } csv_status;

/* The next record. CSV_RECORD: *json (len bytes, NUL-terminated) is the
 * record as a JSON object. CSV_REJECTED: the record is malformed as CSV
 * (fields too few or too many, a stray quote, a cell of a nested column that
 * is not one JSON value, bytes that are not UTF-8): *issues says why, for
 * record number `line`. Either way *raw (raw_len bytes) is the record as read,
 * line end included, and *line the physical line it starts on. CSV_END at
 * the end of input; CSV_FAILED on a read error (check ferror) or memory.
 * Everything handed out is valid until the next call. */
csv_status csv_next(csv_reader *r, const char **json, size_t *len, const char **raw, size_t *raw_len, size_t *line,
                    const lake_issues **issues);

#endif
