/* SPDX-License-Identifier: MIT */
/* Data files of a table format (files.c): a request's records become
 * Parquet files under a key prefix of the warehouse, one file (or more, past
 * the size target) per partition, each streamed to the store as it is
 * written. The format decides the layout through hooks: the folder of a
 * record's partition, what it keeps per file (partition values, counts of
 * its own), and which columns the files leave out. Nothing is visible to
 * readers until a commit names the files. */
#ifndef LAKE_FORMATS_FILES_H
#define LAKE_FORMATS_FILES_H

#include <lakeorm/backend.h>
#include <lakeorm/parquet.h>

#include "parquet/writer.h"
#include "util/buf.h"

/* How a format lays out a table's files; every hook may be NULL (an
 * unpartitioned table keeping nothing per file). */
typedef struct lake__files_layout {
    /* Appends the folder of a record's partition, "a=1/b=x/": records
     * whose folders are equal share files. */
    int (*folder)(void *ctx, const void *record, lake__buf *out, lake__buf *scratch);
    /* What the format keeps of a new file, from its first record; NULL when
     * out of memory. Freed with values_free. */
    void *(*values)(void *ctx, const void *record);
    /* Sees every run of records appended to a file with its values. */
    void (*observe)(void *ctx, void *values, const unsigned char *records, size_t count);
    /* Sees a finished file's statistics (leaves borrowed for the call), to
     * describe the file in values. Non-zero: out of memory. */
    int (*finish)(void *ctx, void *values, const lake__leaf_summary *leaves, size_t leaf_count, uint64_t rows);
    void (*values_free)(void *ctx, void *values);
    void *ctx;
} lake__files_layout;

typedef struct lake__files_spec {
    lake_backend *store;          /* the warehouse, borrowed */
    const char *root;             /* the key prefix files go under, with a trailing '/' */
    const char *table;            /* the table's name, for messages */
    const lake_schema *schema;    /* the records' layout */
    const bool *omit;             /* per top-level column: left out of the files (NULL: none) */
    const lake__files_layout *layout; /* NULL: one partition, nothing kept */
    /* One ingest id for every row (the request's), or NULL when the schema
     * has a column "_ingest_id" of its own (rewritten rows keep theirs). */
    const char *ingest_id;
    const char *name_tag;         /* unique in file names: the ingest id, or a fresh uuid */
    lake_codec codec;
    uint64_t row_group_bytes;
    uint64_t file_bytes;          /* roll to a new file beyond this; 0 = 128 MiB */
    bool uuid_as_string;          /* UUID columns as strings (formats with no UUID type) */
    unsigned threads;             /* the Parquet writer's (lake_parquet_options.threads) */
} lake__files_spec;

/* A finished file. */
typedef struct lake__file_written {
    const char *path;  /* relative to the root, not encoded: "day=2024-01-02/part-00001-<tag>.c000.zstd.parquet" */
    const char *key;   /* in the store */
    void *values;      /* the layout's, from the file's first record */
    int64_t size;
    int64_t modification_time; /* Unix ms */
    uint64_t rows;
} lake__file_written;

typedef struct lake__files lake__files;

int lake__files_open(const lake__files_spec *spec, lake__files **out, lake_error *err);
int lake__files_add(lake__files *f, const void *records, size_t count, lake_error *err);
/* Finishes every file; *written (owned by f, valid until free) lists them. */
int lake__files_close(lake__files *f, const lake__file_written **written, size_t *count, lake_error *err);
uint64_t lake__files_bytes(const lake__files *f);
/* Frees; with delete_files, removes every file it wrote (a request that did not commit). */
void lake__files_free(lake__files *f, bool delete_files);

/* Appends s to a folder name as Hive and Spark escape it
 * (ExternalCatalogUtils.escapePathName), NUL escaped too. */
int lake__files_escape(lake__buf *out, const char *s, size_t len);

#endif
