/* SPDX-License-Identifier: MIT */
/* lakeorm: the client. It writes records into tables once, request-scoped,
 * and reads them back typed.
 *
 * A client is composed of three independent pieces: a driver (the engine that
 * runs SQL: "duckdb", embedded; "spark", a Spark Connect server or
 * Databricks cluster; "databricks", a Databricks SQL warehouse), a dialect
 * (the SQL it speaks: "duckdb"; "iceberg" or "delta" tables through Spark;
 * "delta" on Databricks) and a staging backend (where large inserts
 * are staged as Parquet: file://, memory://, s3://, gs://). Swapping one never
 * touches the others. A client is safe for concurrent use by any number of
 * threads. */
#ifndef LAKEORM_CLIENT_H
#define LAKEORM_CLIENT_H

#include "backend.h"
#include "common.h"
#include "error.h"
#include "ids.h"
#include "json.h"
#include "parquet.h"
#include "schema.h"
#include "types.h"

LAKE_BEGIN_DECL

typedef struct lake_client lake_client;

/* ---- logging: structured, to the host's sink, never global. */

typedef enum lake_log_level { LAKE_LOG_DEBUG = 0, LAKE_LOG_INFO, LAKE_LOG_WARN, LAKE_LOG_ERROR } lake_log_level;

/* What a field's value is, so a sink can write a number as one and an id
 * that looks like a number ("0123") as text. */
typedef enum lake_log_kind {
    LAKE_LOG_TEXT = 0, /* any text */
    LAKE_LOG_INTEGER   /* a decimal integer, "-"? and digits with no leading zero: a JSON number as it is */
} lake_log_kind;

typedef struct lake_log_field {
    const char *key;
    const char *value;
    /* Since client options version 4: a client opened with an older version
     * passes fields of two members (key, value), as its header said. */
    lake_log_kind kind;
} lake_log_field;

/* Receives one event ("insert.done") with its fields; every string lives for
 * the call only. Called from whichever thread did the work. */
typedef void (*lake_log_fn)(void *ctx, lake_log_level level, const char *event, const lake_log_field *fields,
                            size_t count);

/* ---- opening */

typedef struct lake_client_options {
    unsigned version;
    const char *driver;         /* "duckdb" (the default when NULL), "spark" or "databricks" */
    const char *dialect;        /* "duckdb" (duckdb's default); "iceberg" (spark's default) or "delta"
                                   (spark; databricks' default and only one) */
    const char *database;       /* duckdb: the database file, NULL or ":memory:" for one in memory;
                                   spark: the Spark Connect connection string, sc://host:15002/;key=value;
                                   databricks: the SQL warehouse, https://HOST/sql/1.0/warehouses/ID;key=value
                                   (docs/databricks.md) */
    const char *staging;        /* backend URL for staged Parquet parts; NULL: a file:// folder in $TMPDIR. On
                                   the databricks driver also a Unity Catalog volume, /Volumes/<catalog>/<schema>/
                                   <volume>[/<folder>], reached through the workspace's Files API */
    const char *default_schema; /* "schema" or "catalog.schema" unqualified table names resolve in; created
                                   by the client when missing; NULL: the engine's default */
    lake_codec compression;     /* of staged parts; default ZSTD */
    uint64_t row_group_bytes;   /* of staged parts (0 = 8 MiB: the engine loads a part on one thread
                                   per row group) and, on Spark, of each Arrow view a direct insert
                                   sends (0 = 32 MiB): what an insert buffers at most */
    uint64_t fast_path_bytes;   /* inserts estimated smaller than this go direct; 0 = 128 MiB */
    unsigned max_in_flight;     /* inserts running at once; further ones wait; 0 = 4 */
    unsigned pool_size;         /* engine sessions kept open and shared; 0 = 8 */
    int64_t idempotency_ttl_us; /* how long an idempotency key is remembered; 0 = 24 hours */
    lake_log_fn log;            /* NULL: no logging */
    void *log_ctx;
    lake_log_level log_level;   /* events below it are not built at all */
    bool read_only;             /* the client only reads: a DuckDB file opens read-only (a 0444 file, a read-only
                                   mount); nothing is created (no staging folder, no schema); inserts, ingests,
                                   migrate and cleanup_staging fail with LAKE_EINVAL */
    lake_backend *staging_backend; /* where staged parts go, when not NULL: your own backend (lake_backend_new) or
                                   one already open; it takes precedence over `staging`. Borrowed: the client
                                   never frees it, and it must outlive the client. With the duckdb driver and a
                                   backend without a local root, AUTO inserts go direct and a STAGED one copies
                                   its parts to a local folder for the load; spark and databricks read the parts
                                   at the backend's URL themselves (s3://, gs://, a shared file://) */
    /* Since version 2. A backend URL (file:///abs/lake, s3://bucket/lake, gs://..., memory://name) where
       lakeorm keeps the dialect's tables itself, with the driver only computing: the duckdb driver with
       dialect "delta" writes and reads Delta Lake tables at <warehouse>/<table> (or
       <warehouse>/<default_schema>/<table>) with no cluster (docs/delta.md); `database` may stay NULL, an
       in-memory engine. NULL: the engine keeps the tables. With dialect "iceberg" the tables are Apache
       Iceberg tables at <warehouse>/<namespace>/<table>, named by `catalog` (docs/iceberg.md). */
    const char *warehouse;
    /* Since version 3. Where dialect "iceberg" with a warehouse names its tables: sqlite:///abs/catalog.db
       (the SQL catalog in the JDBC catalog's layout, created when missing; ?name=<catalog name>, default
       "lakeorm") or rest+http(s)://host:port/prefix (an Iceberg REST catalog; credentials from
       LAKEORM_ICEBERG_TOKEN, or LAKEORM_ICEBERG_CLIENT_ID and LAKEORM_ICEBERG_CLIENT_SECRET). NULL: a SQL
       catalog at <warehouse>/catalog.db when the warehouse is a folder. The namespace is default_schema,
       or "default". */
    const char *catalog;
    /* Since version 5. Threads one insert may use for its own work (checking a large batch, encoding the
       columns of staged Parquet parts and of the data files lakeorm writes for Delta and Iceberg tables,
       decoding lake_ingest_ndjson's text), the calling thread included: 1 keeps every request on its
       caller's thread; 0 = one per processor this process may run on (at most 4). */
    unsigned threads;
} lake_client_options;

/* Version 4 adds no field: it says the log sink takes lake_log_field's kind. Version 5 adds threads. */
#define LAKE_CLIENT_OPTIONS_VERSION 5
#define LAKE_CLIENT_OPTIONS_INIT \
    {LAKE_CLIENT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, LAKE_CODEC_ZSTD, 0, 0, 0, 0, 0, NULL, NULL, LAKE_LOG_INFO, \
     false, NULL, NULL, NULL, 0}

/* Opens a client; opts may be NULL for an in-memory database with default
 * options. Strings in opts are copied. Free with lake_client_close. */
LAKE_EXTERN int lake_client_open(lake_client **out, const lake_client_options *opts, lake_error *err);

/* Opens a client from a URL, the form the CLI takes:
 *   duckdb:///abs/path/lake.duckdb?staging=file:///abs/stage&compression=zstd
 *   duckdb://:memory:?pool=4
 *   sc://spark-host:15002/;token=...?dialect=iceberg&schema=lake.db&staging=file:///shared/stage
 *   https://dbc-1.cloud.databricks.com/sql/1.0/warehouses/abc?schema=main.sales&staging=s3://bucket/stage
 * (sc://: the Spark Connect driver, before "?" a Spark Connect connection
 * string, docs/spark.md; https://: the Databricks SQL driver, before "?" a
 * warehouse address, docs/databricks.md).
 *   duckdb://?dialect=delta&warehouse=file:///abs/lake     (Delta tables kept by lakeorm, DuckDB computing)
 *   duckdb://?dialect=iceberg&warehouse=file:///abs/wh&catalog=sqlite:///abs/wh/catalog.db   (Iceberg tables)
 * Query keys: staging, compression (zstd|snappy|gzip|none), row_group_bytes, fast_path_bytes,
 * max_in_flight, pool, threads, schema, idempotency_ttl (seconds), dialect, warehouse, catalog, read_only (true|false),
 * log_level (debug|info|warn|error; a profile of a configuration file takes the same keys, config.h). Values are
 * percent-decoded. Unknown keys are an error (LAKE_EINVAL naming them). `base`
 * (may be NULL) supplies what the URL leaves out, such as the logger. */
LAKE_EXTERN int lake_client_open_url(lake_client **out, const char *url, const lake_client_options *base,
                                     lake_error *err);

/* Closes the client: waits for nothing, so finish using it in every thread
 * first. Removes the default staging folder. NULL is ignored. */
LAKE_EXTERN void lake_client_close(lake_client *c);

/* The driver's own handle, for anything lakeorm does not do: with the duckdb
 * driver a pointer to the client's duckdb_database, to duckdb_connect to;
 * with the spark and databricks drivers NULL (use lake_client_exec and the readers).
 * *driver (may be NULL) receives the driver's name. Borrowed: lives as long as
 * the client. */
LAKE_EXTERN void *lake_client_native(lake_client *c, const char **driver);

/* The engine's version as it reports it ("v1.4.4" from DuckDB, "3.5.3 <commit>"
 * from Spark, a Databricks warehouse's), into out (cap bytes, truncated,
 * NUL-terminated). The first statement a remote engine answers: what shows
 * it is reachable. */
LAKE_EXTERN int lake_client_engine_version(lake_client *c, char *out, size_t cap, lake_error *err);

/* The backends the client stages parts on and (with a warehouse) keeps its
 * tables in, NULL for none: to check them, or to reach their objects. Borrowed:
 * they live as long as the client. */
LAKE_EXTERN lake_backend *lake_client_staging(lake_client *c);
LAKE_EXTERN lake_backend *lake_client_warehouse(lake_client *c);

/* The namespaces of the catalog that names a warehouse's Iceberg tables
 * (sqlite:// or rest+http(s)://), each as fn(ctx, name) with its levels
 * joined by '.'; a non-zero return from fn stops the walk and is returned.
 * LAKE_ENOTSUP on a client without such a catalog (an engine lists its own
 * schemas in SQL). What a doctor asks to see the catalog answer. */
typedef int (*lake_name_fn)(void *ctx, const char *name);
LAKE_EXTERN int lake_client_namespaces(lake_client *c, lake_name_fn fn, void *ctx, lake_error *err);

/* ---- schema and statements */

/* Creates the schema's table when it does not exist: every column, NOT NULL
 * where the schema says so, the system column _ingest_id, the primary key.
 * Tables lakeorm keeps in a warehouse (Iceberg, Delta) also gain the model's
 * nullable columns they lack, and Iceberg's int and float columns the model
 * widens become long and double. lake_client_migrate_with (migrate.h) also
 * applies declared renames. */
LAKE_EXTERN int lake_client_migrate(lake_client *c, const lake_schema *schema, lake_error *err);

/* Runs a statement whose result is not read (DDL, DML), its ? (or $1)
 * markers bound in order to `params` (typed: see lake_param; nparams 0 and
 * params NULL for none). Without parameters the text may hold several
 * statements, separated by ";" and a newline, run in turn. *affected (may be
 * NULL) receives the rows the (last) statement inserted, updated or deleted,
 * or -1 when the engine does not say. */
LAKE_EXTERN int lake_client_exec(lake_client *c, const char *sql, const lake_param *params, size_t nparams,
                                 int64_t *affected, lake_error *err);

/* ---- writing */

typedef enum lake_write_path {
    LAKE_PATH_AUTO = 0, /* direct under fast_path_bytes, staged above */
    LAKE_PATH_DIRECT,   /* the engine's bulk appender */
    LAKE_PATH_STAGED,   /* Parquet parts on the staging backend, then one INSERT ... SELECT or MERGE */
} lake_write_path;

/* What happens when an inserted row's primary key is already in the table.
 * Models with merge keys always upsert on them and ignore this. */
typedef enum lake_on_conflict {
    LAKE_CONFLICT_ERROR = 0, /* the whole insert fails (LAKE_EREMOTE), nothing written */
    LAKE_CONFLICT_IGNORE,    /* the table keeps its row; the others are inserted */
    LAKE_CONFLICT_UPDATE,    /* the table's row takes the new values */
} lake_on_conflict;

typedef struct lake_insert_options {
    unsigned version;
    lake_write_path path;
    lake_on_conflict on_conflict;
    /* When set, the key names the request: it is remembered in the table
     * _lakeorm_ingests with the request's fingerprint (its table and the
     * values of its records), in the same transaction as the rows on DuckDB,
     * and only when rows were written. Within the TTL, the same request again
     * writes nothing and reports replayed with the first insert's ingest id;
     * another request with the key (other records, another table) fails with
     * LAKE_EKEYREUSED at commit, nothing written. */
    const char *idempotency_key;
} lake_insert_options;

#define LAKE_INSERT_OPTIONS_VERSION 1
#define LAKE_INSERT_OPTIONS_INIT {LAKE_INSERT_OPTIONS_VERSION, LAKE_PATH_AUTO, LAKE_CONFLICT_ERROR, NULL}

/* What an insert did; every field is set on success. inserted + updated +
 * ignored == rows: the rows whose key the table held already were updated
 * (LAKE_CONFLICT_UPDATE, merge keys) or ignored (LAKE_CONFLICT_IGNORE) by the
 * engine, the others inserted.
 *
 * Output structs carry a version, as options do: initialise one with its
 * _INIT macro before passing it. The library fills the fields that version
 * has and keeps the version; a version it does not know (0, or a newer
 * header's) is LAKE_EINVAL before anything is done. */
typedef struct lake_insert_result {
    unsigned version;    /* LAKE_INSERT_RESULT_VERSION, set by LAKE_INSERT_RESULT_INIT */
    lake_uuid ingest_id; /* stamped in _ingest_id and auto=ingestID columns */
    lake_write_path path; /* the path taken (DIRECT or STAGED) */
    bool replayed;       /* an idempotent retry: nothing written, ingest_id is the original's */
    uint64_t rows;       /* records sent (0 for a replay) */
    uint64_t bytes_staged;
    uint64_t inserted;   /* rows added to the table */
    uint64_t updated;    /* existing rows that took the request's values */
    uint64_t ignored;    /* rows left out because the table kept its own */
} lake_insert_result;

#define LAKE_INSERT_RESULT_VERSION 1
#define LAKE_INSERT_RESULT_INIT {LAKE_INSERT_RESULT_VERSION, {{0}}, LAKE_PATH_AUTO, false, 0, 0, 0, 0, 0}

/* Inserts `count` records (an array of the model's struct) into the schema's
 * table as one request: every record is validated first (LAKE_EVALIDATION with
 * every issue, nothing written), a new UUIDv7 ingest id is stamped in
 * _ingest_id and in every auto=ingestID column (the caller's records are not
 * modified: read the id from *result), and either every row lands or none
 * does; staged parts are removed afterwards either way. result may be NULL;
 * when not, it is initialised with LAKE_INSERT_RESULT_INIT. */
LAKE_EXTERN int lake_client_insert(lake_client *c, const lake_schema *schema, const void *records, size_t count,
                                   const lake_insert_options *opts, lake_insert_result *result, lake_error *err);

/* The same over an array of pointers to records; a NULL pointer is a
 * validation issue of its own. (Both are a streaming request with one
 * batch; a key race is retried here until the other request's outcome is
 * known.) */
LAKE_EXTERN int lake_client_insert_ptrs(lake_client *c, const lake_schema *schema, const void *const *records,
                                        size_t count, const lake_insert_options *opts, lake_insert_result *result,
                                        lake_error *err);

/* ---- streaming inserts: one request fed batch by batch, in constant memory */

typedef struct lake_ingest lake_ingest;

/* Begins a request whose records arrive over time (a file, a socket). Its
 * path is fixed now: AUTO stages Parquet parts when the staging backend is one
 * the engine reads, else goes direct (rows enter an open transaction through
 * the Appender). The request holds one in-flight slot until commit or abort,
 * and nothing is visible to readers before commit. */
LAKE_EXTERN int lake_client_ingest_begin(lake_client *c, const lake_schema *schema, const lake_insert_options *opts,
                                         lake_ingest **out, lake_error *err);

/* Validates and writes a batch. LAKE_EVALIDATION: nothing of this batch is
 * written, issues count records from the start of the request, and the
 * request goes on (abort it to write nothing at all). Any other failure
 * breaks the request: only abort remains. */
LAKE_EXTERN int lake_ingest_append(lake_ingest *in, const void *records, size_t count, lake_error *err);
LAKE_EXTERN int lake_ingest_append_ptrs(lake_ingest *in, const void *const *records, size_t count, lake_error *err);

/* A record lake_ingest_ndjson rejected: its line (1-based from the start of
 * the text, blank lines counted), its text without the line end, and why
 * (error->code LAKE_EVALIDATION, the record's issues in error->issues, each
 * issue's record the line). text and error are borrowed for the call. A
 * non-zero return stops the feed (lake_ingest_ndjson). */
typedef int (*lake_reject_fn)(void *ctx, size_t line, const char *text, size_t len, const lake_error *error);

/* Feeds NDJSON text to the request: one JSON object per line, LF or CRLF
 * line ends, blank lines skipped. text may end anywhere: a line cut between
 * two calls is joined. text is copied; the caller may reuse it on return.
 * Each record is decoded strictly and checked (lake_json_decode); the good
 * ones are appended in input order, and each rejected one is given to
 * on_reject (NULL: rejected records are only counted in the metrics). Records
 * are judged in chunks of about 1 MiB of text (at most 16,384 lines): with the client's threads
 * (lake_client_options.threads) above 1, that many threads (at most 64)
 * decode and check them while this thread writes; with 1, this thread does
 * it all, chunk by chunk. Memory stays bounded by the chunks in flight (at most
 * 2 x threads + 2) whatever the input size. on_reject is called on this
 * thread, in input order, during the call that hands the record's chunk back
 * (this one or a later one: pass the same function and ctx each time).
 *
 * Rejected records are no failure: LAKE_OK. Any failure (out of memory on
 * any thread, a write, a non-zero return from on_reject, which is returned)
 * breaks the request: nothing is written, and only abort remains (which
 * removes any staging). */
LAKE_EXTERN int lake_ingest_ndjson(lake_ingest *in, const char *text, size_t len, lake_reject_fn on_reject, void *ctx,
                                   lake_error *err);

/* Ends the text: its last line needs no line end; every record fed is judged
 * (on_reject as above) and the good ones appended. Text fed after this is a
 * new text, its lines counted from 1. While text is fed and not ended,
 * lake_ingest_append refuses a batch (LAKE_EINVAL; the request goes on) and
 * lake_ingest_commit writes nothing (LAKE_EINVAL). Failures as
 * lake_ingest_ndjson's. */
LAKE_EXTERN int lake_ingest_ndjson_end(lake_ingest *in, lake_reject_fn on_reject, void *ctx, lake_error *err);

/* Makes every appended row visible at once, or none of them; frees the
 * request either way. result may be NULL; when not, it is initialised with
 * LAKE_INSERT_RESULT_INIT (a version this library does not know fails with
 * LAKE_EINVAL and writes nothing). LAKE_ECONFLICT: a concurrent
 * request with the same idempotency key was in progress; retry to learn its
 * outcome. LAKE_EKEYREUSED: the key names another request. */
LAKE_EXTERN int lake_ingest_commit(lake_ingest *in, lake_insert_result *result, lake_error *err);

/* Writes nothing, removes any staging, frees the request. NULL is ignored. */
LAKE_EXTERN void lake_ingest_abort(lake_ingest *in);

/* ---- reading */

/* Where rows come from: SQL with typed parameters bound in order to its ?
 * (or $1) markers (see lake_param: LAKE_TEXT("x"), LAKE_INT64(5) ...), or a
 * whole table (sql NULL; table NULL means the schema's own). */
typedef struct lake_source {
    const char *sql;
    const lake_param *params;
    size_t nparams;
    const char *table;
} lake_source;

#define LAKE_SQL(text) LAKE__LITERAL(lake_source, (text), NULL, 0, NULL)
#define LAKE_SQL_PARAMS(text, params, n) LAKE__LITERAL(lake_source, (text), (params), (n), NULL)
#define LAKE_TABLE(name) LAKE__LITERAL(lake_source, NULL, NULL, 0, (name))

/* Every reader decodes result rows into records of `schema`: result columns
 * bind to fields by name; unmapped columns are dropped; a field the result
 * lacks, a type that does not convert, a value that does not fit or a NULL in
 * a non-nullable field fail with LAKE_EMISMATCH naming the column. A schema
 * may name the system column _ingest_id (as a string or uuid field) to read
 * it; such a projection model cannot be written. */

/* Calls fn with each row; the record and its strings are valid during the call
 * only. A non-zero return from fn stops the query and is returned. Memory stays
 * constant whatever the row count. */
typedef int (*lake_row_fn)(void *ctx, const void *record);
LAKE_EXTERN int lake_client_query(lake_client *c, const lake_schema *schema, const lake_source *src, lake_row_fn fn,
                                  void *ctx, lake_error *err);

/* Every row into one array: *records (free with lake_free) holds *count
 * records whose strings live in `arena` (the caller's; free or reset it when
 * done with the records). */
LAKE_EXTERN int lake_client_query_all(lake_client *c, const lake_schema *schema, const lake_source *src,
                                      lake_arena *arena, void **records, size_t *count, lake_error *err);

/* The first row into *record (the model's struct; its strings in `arena`);
 * LAKE_ENOROWS when there is none. Further rows are not read. */
LAKE_EXTERN int lake_client_query_first(lake_client *c, const lake_schema *schema, const lake_source *src,
                                        lake_arena *arena, void *record, lake_error *err);

/* A stream: lake_rows_next gives one record at a time (valid until the next
 * call), *record NULL at the end; schema NULL reads rows of any shape (below). It holds one engine session until
 * lake_rows_close, which every opened stream needs. Memory stays constant. */
typedef struct lake_rows lake_rows;
LAKE_EXTERN int lake_client_rows(lake_client *c, const lake_schema *schema, const lake_source *src, lake_rows **out,
                                 lake_error *err);
LAKE_EXTERN int lake_rows_next(lake_rows *rows, const void **record, lake_error *err);
LAKE_EXTERN void lake_rows_close(lake_rows *rows);

/* Rows of any shape, typed: lake_client_rows with schema NULL opens a stream
 * of records of the result's own schema (as lake_client_query_json reads it:
 * every column nullable, named as the result names it), and lake_rows_schema
 * gives that schema once lake_rows_next has been called (some engines
 * describe a result with its first batch), borrowed until lake_rows_close, so a caller can print
 * the rows another way or write them as Parquet (lake_parquet_writer_open
 * takes it). For a stream opened with a schema it is that schema. */
LAKE_EXTERN const lake_schema *lake_rows_schema(const lake_rows *rows);

/* Rows of any shape, printed: runs src (sql, or a whole table) and calls fn
 * with each row as one JSON object, {"column":value,...} in result order,
 * rendered by lakeorm from the typed values so that every driver prints the
 * same row the same way (docs/cli.md, "query", gives every type's form).
 * json (not NUL-terminated) is valid during the call only; a non-zero return
 * from fn stops the query and is returned. A result column of a type lakeorm
 * does not read (lists, maps, intervals) is LAKE_ENOTSUP naming it; a
 * text parameter that is not valid UTF-8 is LAKE_EINVAL naming it. Memory stays
 * constant whatever the row count. */
typedef int (*lake_json_row_fn)(void *ctx, const char *json, size_t len);
LAKE_EXTERN int lake_client_query_json(lake_client *c, const lake_source *src, lake_json_row_fn fn, void *ctx,
                                       lake_error *err);

/* ---- staging */

typedef struct lake_cleanup_report {
    unsigned version; /* LAKE_CLEANUP_REPORT_VERSION, set by LAKE_CLEANUP_REPORT_INIT (see lake_insert_result) */
    size_t scanned; /* ingest prefixes found under _staging/ */
    size_t deleted; /* prefixes removed (older than asked) */
    size_t failed;  /* prefixes whose removal failed, or whose name is not an ingest id */
    size_t objects; /* objects removed */
} lake_cleanup_report;

#define LAKE_CLEANUP_REPORT_VERSION 1
#define LAKE_CLEANUP_REPORT_INIT {LAKE_CLEANUP_REPORT_VERSION, 0, 0, 0, 0}

/* Removes staged parts that inserts left behind (a crash between staging and
 * commit): every _staging/<ingest id>/ prefix whose UUIDv7 time is older than
 * `older_than_us` microseconds before now. Prefixes of running inserts are
 * younger than any sensible bound (an hour, say). report may be NULL; when
 * not, it is initialised with LAKE_CLEANUP_REPORT_INIT. */
LAKE_EXTERN int lake_client_cleanup_staging(lake_client *c, int64_t older_than_us, lake_cleanup_report *report,
                                            lake_error *err);

/* ---- vacuum: tables lakeorm keeps itself (a client with a warehouse) */

typedef struct lake_vacuum_report {
    unsigned version; /* LAKE_VACUUM_REPORT_VERSION, set by LAKE_VACUUM_REPORT_INIT (see lake_insert_result) */
    uint64_t files;   /* data files deleted (or, in a dry run, that would be) */
    uint64_t bytes;   /* their size */
} lake_vacuum_report;

#define LAKE_VACUUM_REPORT_VERSION 1
#define LAKE_VACUUM_REPORT_INIT {LAKE_VACUUM_REPORT_VERSION, 0, 0}

/* Called with each file vacuum deletes (or would), its key under the
 * warehouse and its size; non-zero stops the vacuum, which returns it. */
typedef int (*lake_vacuum_fn)(void *ctx, const char *key, uint64_t size);

/* Deletes the files under `table`'s folder that no version of the table
 * younger than retain_us microseconds references: files earlier versions
 * removed, and files of writes that never committed (a crash). A file the
 * current version reads is never deleted, nor one younger than the
 * retention. dry_run: only reports. LAKE_ENOTSUP on a client without a
 * warehouse (the engine vacuums its own tables). report and fn may be NULL. */
LAKE_EXTERN int lake_client_vacuum(lake_client *c, const char *table, int64_t retain_us, bool dry_run,
                                   lake_vacuum_fn fn, void *ctx, lake_vacuum_report *report, lake_error *err);

/* ---- metrics: per client, no global registry. */

enum { LAKE_HISTOGRAM_BUCKETS = 12 };

/* Upper bounds in seconds of the histogram buckets, the last one +Inf. */
LAKE_EXTERN const double *lake_histogram_bounds(void);

typedef struct lake_histogram {
    uint64_t count;
    double sum_seconds;
    uint64_t buckets[LAKE_HISTOGRAM_BUCKETS]; /* not cumulative: each counts its own bucket */
} lake_histogram;

typedef enum lake_phase {
    LAKE_PHASE_VALIDATE = 0, /* checking records */
    LAKE_PHASE_STAGE,        /* writing Parquet parts */
    LAKE_PHASE_COMMIT,       /* the engine's transaction */
    LAKE_PHASE_QUERY,        /* a read, open to close */
    LAKE_PHASE_CLEANUP,      /* cleanup_staging */
    LAKE_PHASE_COUNT
} lake_phase;

enum { LAKE_STATUS_SLOTS = 16 }; /* errors_by_code[-status]: every lake_status */

typedef struct lake_metrics {
    unsigned version; /* LAKE_METRICS_VERSION, set by LAKE_METRICS_INIT (see lake_insert_result) */
    uint64_t inserts_direct, inserts_staged, inserts_replayed;
    uint64_t rows_written;     /* rows sent to the engine by committed inserts */
    uint64_t bytes_staged;     /* Parquet bytes written to the staging backend */
    uint64_t records_rejected; /* records with at least one validation issue */
    uint64_t queries, rows_read;
    uint64_t sessions_opened;  /* engine sessions created; the pool keeps this low */
    uint64_t errors_by_code[LAKE_STATUS_SLOTS];
    lake_histogram phases[LAKE_PHASE_COUNT];
} lake_metrics;

#define LAKE_METRICS_VERSION 1
#define LAKE_METRICS_INIT {LAKE_METRICS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, {0}, {{0}}}

/* A consistent-enough snapshot (each counter read atomically) into *out,
 * initialised with LAKE_METRICS_INIT. LAKE_EINVAL when c or out is NULL or
 * out's version is not one this library knows (out is then left alone). */
LAKE_EXTERN int lake_client_metrics(lake_client *c, lake_metrics *out);

/* The metrics in the Prometheus text exposition format, names prefixed with
 * `prefix` (NULL: "lakeorm"). *text is NUL-terminated; free it with lake_free. */
LAKE_EXTERN int lake_client_metrics_text(lake_client *c, const char *prefix, char **text, size_t *len);

LAKE_END_DECL

#endif
