/* SPDX-License-Identifier: MIT */
/* lakeorm: a streaming Parquet writer.
 *
 * Records of a schema go in (whole structs, read through the schema), bytes come
 * out through a sink as they are produced: memory is bounded by the row-group
 * target, not by the input. Files follow the Parquet format specification and
 * are checked against pyarrow and DuckDB (tests/interop/). */
#ifndef LAKEORM_PARQUET_H
#define LAKEORM_PARQUET_H

#include <stdio.h>

#include "common.h"
#include "error.h"
#include "schema.h"

LAKE_BEGIN_DECL

/* Where bytes go: a file, memory, an object-store upload. write must take all
 * `len` bytes or fail (filling err); its data is only borrowed for the call. */
typedef struct lake_sink {
    int (*write)(void *ctx, const void *data, size_t len, lake_error *err);
    void *ctx;
} lake_sink;

/* A sink that writes to an open stdio stream with fwrite; the caller opens,
 * flushes and closes the stream. A short write fails with LAKE_EIO. */
LAKE_EXTERN lake_sink lake_sink_stdio(FILE *stream);

typedef enum lake_codec {
    LAKE_CODEC_UNCOMPRESSED = 0,
    LAKE_CODEC_SNAPPY = 1,
    LAKE_CODEC_GZIP = 2,
    LAKE_CODEC_ZSTD = 6,
} lake_codec;

typedef struct lake_parquet_options {
    unsigned version;
    lake_codec codec;        /* default ZSTD */
    int level;               /* codec level; 0 = the codec's default (zstd 3, gzip 6) */
    size_t row_group_bytes;  /* uncompressed bytes per row group; 0 = 128 MiB */
    size_t page_bytes;       /* uncompressed bytes per data page; 0 = 1 MiB */
    size_t dictionary_bytes; /* a column's dictionary past this falls back to PLAIN; 0 = 1 MiB */
    bool uuid_as_string;     /* write UUID columns as 36-character strings (Spark cannot read UUID) */
    const char *ingest_id;   /* non-NULL: add a `_ingest_id` string column holding it on every row */
    const char *const *metadata; /* key, value, key, value ... added to the footer */
    size_t metadata_pairs;
    /* Threads encoding columns, the caller's included (version 2): 0 = one per
     * processor, at most 4; 1 = the caller alone. Large appends (4096 records
     * or more) hand each column to the next free thread (the values and pages
     * are the same whatever the count; row groups may end at other records
     * than with 1, and end at the same ones for any count above 1). With more
     * than one, a finished row group goes to the sink while the next one is
     * encoded, so up to two row groups are held; the sink is still called
     * only from the caller's thread. The allocator set by lake_set_allocator
     * is called from the helper threads too. */
    unsigned threads;
} lake_parquet_options;

#define LAKE_PARQUET_OPTIONS_VERSION 2
#define LAKE_PARQUET_OPTIONS_INIT {LAKE_PARQUET_OPTIONS_VERSION, LAKE_CODEC_ZSTD, 0, 0, 0, 0, false, NULL, NULL, 0, 0}

typedef struct lake_parquet_writer lake_parquet_writer;

/* Starts a file for records of `schema` (which must outlive the writer).
 * opts may be NULL for the defaults. Free with lake_parquet_writer_free. */
LAKE_EXTERN int lake_parquet_writer_open(lake_parquet_writer **out, const lake_schema *schema,
                                         const lake_sink *sink, const lake_parquet_options *opts,
                                         lake_error *err);

/* Appends `count` records stored contiguously (lake_schema_record_size bytes
 * each). Values are copied; the records may be reused at once. A non-nullable
 * string or bytes column holding NULL fails with LAKE_EVALIDATION. */
LAKE_EXTERN int lake_parquet_writer_append(lake_parquet_writer *w, const void *records, size_t count,
                                           lake_error *err);

/* Flushes the last row group and writes the footer. The writer can only be freed after. */
LAKE_EXTERN int lake_parquet_writer_close(lake_parquet_writer *w, lake_error *err);

/* Bytes of the file so far (with more than one thread, a finished row group's
 * may still be waiting for the sink; after close, all are handed to it), and
 * rows appended so far. */
LAKE_EXTERN uint64_t lake_parquet_writer_bytes(const lake_parquet_writer *w);
LAKE_EXTERN uint64_t lake_parquet_writer_rows(const lake_parquet_writer *w);

LAKE_EXTERN void lake_parquet_writer_free(lake_parquet_writer *w);

/* ---- parts: one file after another, rolled at a size threshold */

/* Where each part goes. open is called before a part's first byte with its
 * 1-based number and name ("part-00001.parquet"); close after its footer. */
typedef struct lake_part_sinks {
    int (*open)(void *ctx, unsigned number, const char *name, lake_sink *out, lake_error *err);
    int (*close)(void *ctx, unsigned number, const char *name, uint64_t bytes, uint64_t rows, lake_error *err);
    void *ctx;
} lake_part_sinks;

typedef struct lake_parquet_parts_options {
    unsigned version;
    lake_parquet_options file; /* for every part */
    uint64_t part_bytes;       /* roll once a part has written this much; 0 = 128 MiB */
    uint64_t part_rows;        /* and at this many rows whatever the size; 0 = 50M */
} lake_parquet_parts_options;

/* Version 2: `file` is a version 2 lake_parquet_options (with threads). */
#define LAKE_PARQUET_PARTS_OPTIONS_VERSION 2
#define LAKE_PARQUET_PARTS_OPTIONS_INIT {LAKE_PARQUET_PARTS_OPTIONS_VERSION, LAKE_PARQUET_OPTIONS_INIT, 0, 0}

typedef struct lake_parquet_parts lake_parquet_parts;

LAKE_EXTERN int lake_parquet_parts_open(lake_parquet_parts **out, const lake_schema *schema,
                                        const lake_part_sinks *sinks, const lake_parquet_parts_options *opts,
                                        lake_error *err);
LAKE_EXTERN int lake_parquet_parts_append(lake_parquet_parts *p, const void *records, size_t count,
                                          lake_error *err);
/* Finishes the part in progress. No rows at all: no part is written. */
LAKE_EXTERN int lake_parquet_parts_close(lake_parquet_parts *p, lake_error *err);
/* Parts finished so far. */
LAKE_EXTERN unsigned lake_parquet_parts_count(const lake_parquet_parts *p);
LAKE_EXTERN void lake_parquet_parts_free(lake_parquet_parts *p);

LAKE_END_DECL

#endif
