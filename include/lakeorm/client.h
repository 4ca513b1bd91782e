/* lakeorm: the client. It writes records into tables once, request-scoped,
 * and reads them back typed. This first cut runs on the embedded DuckDB engine
 * with a file:// or memory:// staging backend; the Spark Connect and
 * Databricks drivers plug in behind the same calls. Safe for concurrent use. */
#ifndef LAKEORM_CLIENT_H
#define LAKEORM_CLIENT_H

#include "common.h"
#include "error.h"
#include "parquet.h"
#include "schema.h"
#include "types.h"

LAKE_BEGIN_DECL

typedef struct lake_client lake_client;

typedef struct lake_client_options {
    unsigned version;
    const char *database;     /* DuckDB database file; NULL or ":memory:" for one in memory */
    const char *staging;      /* backend URL for staged Parquet parts; NULL: a file:// folder in $TMPDIR */
    lake_codec compression;   /* of staged parts; default ZSTD */
    uint64_t fast_path_bytes; /* inserts estimated smaller than this go direct; 0 = 128 MiB */
} lake_client_options;

#define LAKE_CLIENT_OPTIONS_VERSION 1
#define LAKE_CLIENT_OPTIONS_INIT {LAKE_CLIENT_OPTIONS_VERSION, NULL, NULL, LAKE_CODEC_ZSTD, 0}

/* Opens a client; opts may be NULL for an in-memory database. Free with lake_client_close. */
LAKE_EXTERN int lake_client_open(lake_client **out, const lake_client_options *opts, lake_error *err);
LAKE_EXTERN void lake_client_close(lake_client *c);

/* Creates the schema's table when it does not exist: every column, NOT NULL
 * where the schema says so, the system column _ingest_id, the primary key. */
LAKE_EXTERN int lake_client_migrate(lake_client *c, const lake_schema *schema, lake_error *err);

/* Runs statements that take no parameters and return nothing of interest. */
LAKE_EXTERN int lake_client_exec(lake_client *c, const char *sql, lake_error *err);

typedef enum lake_write_path {
    LAKE_PATH_AUTO = 0, /* direct under fast_path_bytes, staged above */
    LAKE_PATH_DIRECT,   /* the engine's bulk appender */
    LAKE_PATH_STAGED,   /* Parquet parts on the staging backend, then one INSERT ... SELECT */
} lake_write_path;

typedef struct lake_insert_options {
    unsigned version;
    lake_write_path path;
} lake_insert_options;

#define LAKE_INSERT_OPTIONS_VERSION 1
#define LAKE_INSERT_OPTIONS_INIT {LAKE_INSERT_OPTIONS_VERSION, LAKE_PATH_AUTO}

/* Inserts `count` records (an array of the model's struct) into the schema's
 * table as one request: every record is validated first (LAKE_EVALIDATION with
 * every issue, nothing written), a new UUIDv7 ingest id is stamped in
 * _ingest_id (and copied to *ingest_id when non-NULL), and either every row
 * lands or none does; staged parts are removed afterwards either way. */
LAKE_EXTERN int lake_client_insert(lake_client *c, const lake_schema *schema, const void *records, size_t count,
                                   const lake_insert_options *opts, lake_uuid *ingest_id, lake_error *err);

/* Runs a query with text parameters ($1 or ? placeholders; cast them in SQL
 * where another type is meant) and decodes each row into a record of
 * `schema`, calling fn with it; the record and its strings are valid during
 * the call only. Result columns bind by name; unmapped ones are dropped; a
 * schema column the result lacks, or a value that does not fit, fails with
 * LAKE_EMISMATCH. A non-zero return from fn stops the query and is returned. */
typedef int (*lake_row_fn)(void *ctx, const void *record);
LAKE_EXTERN int lake_client_query(lake_client *c, const lake_schema *schema, const char *sql,
                                  const char *const *params, size_t nparams, lake_row_fn fn, void *ctx,
                                  lake_error *err);

LAKE_END_DECL

#endif
