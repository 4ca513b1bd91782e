/* SPDX-License-Identifier: MIT */
/* What ingest and validate read: files and globs, in NDJSON, CSV or
 * Parquet, NDJSON and CSV optionally gzip- or zstd-compressed, every record
 * handed to the command as the JSON object the decoder judges. */
#ifndef LAKE_CLI_INPUT_H
#define LAKE_CLI_INPUT_H

#include <stddef.h>

#include <lakeorm.h>

/* In the order of args.c's --format choices. */
typedef enum input_format { INPUT_AUTO = 0, INPUT_NDJSON, INPUT_CSV, INPUT_PARQUET } input_format;

/* One record as read. */
typedef struct input_record {
    const char *file;      /* the file as named; "-" for stdin */
    size_t line;           /* where it starts: the physical line (NDJSON, CSV), the 1-based row (Parquet) */
    const char *json;      /* the JSON object the decoder reads (len bytes) */
    size_t len;
    const char *raw;       /* the record as read, its line end included (raw_len bytes): --rejected's input */
    size_t raw_len;
    const char *good;      /* what --good keeps: the NDJSON line as read, else json and a "\n" */
    size_t good_len;
    const lake_issues *issues; /* not NULL: rejected as read (a malformed CSV record); json is NULL */
    double done;           /* the share of the file read so far, 0..1: its bytes (compressed ones for gzip and
                              zstd: all the reader knows), or a Parquet file's rows; -1 when unknown (a pipe) */
} input_record;

/* Called with each record; a non-zero return stops reading and is returned. */
typedef int (*input_fn)(void *ctx, const input_record *record);

/* The files the operands name, globs (*, ? and [...]) expanded by glob(3)
 * in sorted order; no operand means stdin ("-"). *files (free with
 * inputs_free) points into the operands and the glob results. CLI_OK, or
 * CLI_USAGE after saying which pattern matched nothing. */
typedef struct input_list {
    const char **files;
    size_t count;
    void *globs; /* the glob_t results the names live in */
    size_t nglobs;
} input_list;

int inputs_expand(const char *command, const char *const *operands, size_t n, input_list *out);
void inputs_free(input_list *list);

/* The format input_read reads file in: `format`, else Parquet when the file
 * starts with Parquet's magic "PAR1", else the one its name says, else
 * NDJSON. Stdin is not looked at here (that would consume it): input_read
 * recognises Parquet there by its first bytes. */
input_format input_resolve(const char *file, input_format format);

/* Reads one file (or stdin, "-") in `format` (INPUT_AUTO: as input_resolve
 * says; stdin that starts with "PAR1" is copied to a temporary file, since a
 * Parquet reader needs the footer first), calling fn with each record. CLI_OK;
 * fn's non-zero status; or CLI_USAGE after printing why the file cannot be
 * read as that format (a CSV header that does not fit the schema, a Parquet
 * file DuckDB refuses, a read or decompression error). schema NULL: CSV
 * headers name the keys as they are (csv_open). */
int input_read(const char *command, const char *file, input_format format, const lake_schema *schema, input_fn fn,
               void *ctx);
/* NDJSON text as read: whole lines (the last may lack its line end at the
 * end of the input), `done` the share of the file read (input_record.done). */
typedef int (*input_text_fn)(void *ctx, const char *file, const char *text, size_t len, double done);
typedef void (*input_idle_fn)(void *ctx);
/* Where input_read_to sends what it reads: records to `record`; NDJSON, when
 * `text` is set, to `text` in blocks of whole lines instead (whoever takes
 * them finds the records); `idle` (may be NULL) is called whenever reading a
 * pipe (stdin) would block, so that a reader holding records back (ingest's
 * pipeline) hands them out rather than keep them waiting on input that has
 * not come yet. */
typedef struct input_sink {
    input_fn record;
    input_text_fn text;
    input_idle_fn idle;
    void *ctx;
} input_sink;
int input_read_to(const char *command, const char *file, input_format format, const lake_schema *schema,
                  const input_sink *sink);

/* --max-rejected: "N" records or "P%" of them (P a decimal, at most 100);
 * text NULL: no limit. CLI_OK and the limit, or CLI_USAGE after saying why
 * (messages start with command). */
typedef struct reject_limit {
    bool set, percent;
    unsigned long long count;
    double share;
} reject_limit;

int limit_parse(const char *command, const char *text, reject_limit *out);
/* True when `rejected` of `records` is over the limit. */
bool limit_exceeded(const reject_limit *limit, size_t rejected, size_t records);

#endif
