/* SPDX-License-Identifier: MIT */
/* The driver extension point: one table of operations per engine (DuckDB
 * embedded, Spark Connect, Databricks SQL), so that the client runs every
 * request the same way and never asks which engine it has. A driver runs
 * statements a dialect built (dialects/dialect.h); it builds no SQL of its
 * own except through that dialect. Errors from the engine carry their
 * classification (lake_error.kind), decided here from the engine's error
 * class or SQLSTATE. */
#ifndef LAKE_DRIVERS_DRIVER_H
#define LAKE_DRIVERS_DRIVER_H

#include <lakeorm/backend.h>
#include <lakeorm/client.h>

#include "dialects/dialect.h"
#include "formats/filter.h"
#include "util/arena.h"
#include "util/buf.h"

typedef struct lake__session lake__session; /* a driver's session; each driver defines it */
typedef struct lake__cursor lake__cursor;   /* a read under way */
typedef struct lake__direct lake__direct;   /* a direct insert's rows under way */

typedef struct lake__driver_config {
    const char *database;         /* lake_client_options.database */
    const lake__dialect *dialect; /* one the driver speaks (caps.dialects) */
    /* The default namespace, unquoted; NULL members: the engine's own. The
     * driver creates it at open unless read_only, and points every session
     * (or, with no sessions, every statement) at it. */
    const char *catalog, *schema;
    unsigned pool_size; /* sessions kept open and shared */
    bool read_only;     /* open the database read-only (DuckDB); create nothing */
    /* Tables a table format keeps (formats/format.h): an unqualified table
     * name the engine does not know is offered to resolve, which appends the
     * SELECT to read in its place (*found false: not one of them). NULL:
     * none. Only drivers with caps.resolves_tables take it. Called on any
     * thread, from inside a statement's name resolution; filter (or NULL) is
     * what the statement asks of the table (formats/filter.h). */
    int (*resolve)(void *ctx, const char *name, const lake__scan_filter *filter, lake__buf *sql, bool *found,
                   lake_error *err);
    void *resolve_ctx;
} lake__driver_config;

typedef struct lake__driver_caps {
    /* A session holds a transaction across statements (the dialect's begin,
     * commit, rollback): a request's key lookup, rows and key claim commit as
     * one. Without: each statement commits alone (Iceberg, Delta), so rows
     * land in one statement and a key is claimed just before it. */
    bool transactional;
    /* The engine runs in this process and reads staged parts as local files
     * (remote staging is copied here first); otherwise it reads them where
     * they are, and cannot read this machine's folders. */
    bool reads_local_files;
    /* UUID columns travel as 36-character text in staged Parquet and Arrow
     * (Spark 4.0 refuses fixed-size binary and Parquet's UUID). */
    bool uuid_as_text;
    /* The direct path's size bound, in estimated record bytes: larger requests
     * take the staged path whatever fast_path_bytes says; 0 = none. */
    uint64_t direct_bytes_limit;
    /* The engine reads tables a format keeps through lake__driver_config's
     * resolve (DuckDB's replacement scans), and so computes for formats. */
    bool resolves_tables;
    unsigned dialects;            /* bit 1u << d for every lake_dialect d spoken */
    lake_dialect default_dialect; /* when the options name none */
} lake__driver_caps;

/* One statement, its parameters bound in order to its ? markers. */
typedef struct lake__stmt {
    const char *sql;
    const lake_param *params;
    size_t nparams;
    /* The statement reads a direct insert's source (direct_source): a driver
     * whose source travels with its statements (Databricks' VALUES
     * parameters) sends it along. */
    bool reads_rows;
} lake__stmt;

/* Where a direct insert's rows go. */
typedef struct lake__direct_spec {
    const lake_schema *schema;
    const char *ingest_id; /* stamped in _ingest_id and auto=ingestID columns */
    /* The rows must be readable as a FROM-clause source (a MERGE or a
     * conflict strategy reads them); otherwise a driver may append them to
     * the table itself and give no source. */
    bool as_source;
    /* What the driver buffers at most before sending rows on (the client's
     * row_group_bytes). */
    uint64_t batch_bytes;
} lake__direct_spec;

/* A column of a live table, as the engine's catalog describes it. */
typedef struct lake__live_column {
    char name[256];
    char type[4096]; /* as the engine prints it (dialect type_probe gives the model's the same way); nested
                        types print every member */
    int nullable;    /* 1, 0, or -1 when the engine does not say */
    int key;         /* in the primary key: 1, 0, or -1 when the engine keeps or reports none */
} lake__live_column;

/* Where the engine reads a staged request's parts. */
typedef struct lake__staged {
    char location[4400]; /* what the dialect's staged_source reads: a glob of the parts (DuckDB), or
                            their folder's path or object-store URL (Spark SQL) */
    char local_copy[4200]; /* a folder of copies to remove after the request; "" for none */
} lake__staged;

/* Removes the local copies, if any; safe on a zeroed or released one. */
void lake__staged_release(lake__staged *st);

typedef struct lake__driver_ops {
    const char *name; /* "duckdb", "spark", "databricks" */
    lake__driver_caps caps;

    /* Opens the engine (lazily connecting is fine): LAKE_EINVAL naming what
     * is wrong with cfg->database. */
    int (*open)(const lake__driver_config *cfg, void **impl, lake_error *err);
    /* Interrupts what still runs, releases every session, frees. */
    void (*close)(void *impl);
    /* lake_client_native: the engine's own handle, or NULL. */
    void *(*native)(void *impl);
    /* Where the engine is, for logs (the client redacts it). */
    void (*where)(void *impl, char *out, size_t cap);

    /* A session pointed at the default namespace: pooled, or new (*opened
     * true then, for the metrics). Return it with session_put; a broken one
     * (its state unknown) is closed rather than pooled. */
    int (*session_get)(void *impl, lake__session **out, bool *opened, lake_error *err);
    void (*session_put)(void *impl, lake__session *s, bool broken);

    /* Runs a statement. Without parameters the text may hold several
     * statements ("a;\nb"), run in turn. *affected (may be NULL) receives the
     * rows the last statement inserted, updated or deleted, or -1 when the
     * engine does not say. */
    int (*exec)(lake__session *s, const lake__stmt *st, int64_t *affected, lake_error *err);
    /* The first column of the first row, as text (truncated to cap);
     * LAKE_ENOROWS when there is no row or it is NULL. */
    int (*query_text)(lake__session *s, const lake__stmt *st, char *out, size_t cap, lake_error *err);

    /* Typed reads (see lake_client_rows): records of `schema`, or with schema
     * NULL of the result's own shape (cursor_schema, known once a record was
     * read). Strings go to `arena`, reset chunk by chunk when reset_arena. The
     * cursor uses the session until closed. */
    int (*cursor_open)(lake__session *s, const lake_schema *schema, const lake__stmt *st, lake_arena *arena,
                       bool reset_arena, lake__cursor **out, lake_error *err);
    int (*cursor_next)(lake__cursor *cur, const void **record, lake_error *err);
    const lake_schema *(*cursor_schema)(const lake__cursor *cur);
    void (*cursor_close)(lake__cursor *cur);

    /* The direct path: records (contiguous) go in batch by batch; finish
     * sends what remains and appends to *source the FROM-clause fragment that
     * reads them (nothing when they went into the table itself); free drops
     * whatever the engine holds for them (views, temporary tables). Nothing is
     * visible in the table before the statement that moves them, or, for rows
     * appended to the table, before the transaction commits. */
    int (*direct_open)(lake__session *s, const lake__direct_spec *spec, lake__direct **out, lake_error *err);
    int (*direct_add)(lake__direct *d, const void *records, size_t count, lake_error *err);
    int (*direct_finish)(lake__direct *d, lake__buf *source, lake_error *err);
    void (*direct_free)(lake__direct *d);

    /* The staged path: where the engine reads the parts under `prefix` of
     * `staging` (LAKE_ENOTSUP naming the backend when it cannot). */
    int (*staged_location)(void *impl, lake_backend *staging, const char *prefix, lake__staged *out, lake_error *err);
    /* Optional (NULL: none). A staging backend the engine's own service
     * serves, given the client's staging URL (Databricks: a Unity Catalog
     * volume, /Volumes/..., through its workspace's Files API): *out NULL
     * when `url` is not one, and the client opens it as any backend URL. The
     * backend may borrow the driver's credentials: the client frees it
     * before close. */
    int (*staging_open)(void *impl, const char *url, lake_backend **out, lake_error *err);

    /* The live table's columns in order; none (*count 0) when it does not
     * exist. *out is freed with lake__free. */
    int (*columns)(lake__session *s, const char *table, lake__live_column **out, size_t *count, lake_error *err);
} lake__driver_ops;

/* The driver a name means ("duckdb" for NULL or ""): LAKE_ENOTSUP naming the
 * known ones, or the LAKE_WITH_* build option that left it out. */
int lake__driver_find(const char *name, const lake__driver_ops **out, lake_error *err);

/* The driver a client URL names by its scheme, and how many bytes of it to
 * skip before the database part (0: the driver reads the whole address, in
 * its own syntax; else the rest is a percent-encoded path). LAKE_ENOTSUP for
 * an unknown scheme. */
int lake__driver_of_url(const char *url, const char **driver, size_t *skip);

/* Every driver built in (drivers/<name>/driver.c). */
extern const lake__driver_ops lake__duckdb_driver;
#ifdef LAKE_WITH_SPARK
extern const lake__driver_ops lake__spark_driver;
#endif
#ifdef LAKE_WITH_DATABRICKS
extern const lake__driver_ops lake__databricks_driver;
#endif

/* For drivers that run one statement per call: calls fn with each statement
 * of a ";\n"-separated script (lakeorm's DDL and migrations end statements
 * so), skipping those that hold only comments and blanks. */
int lake__script_each(const char *sql, int (*fn)(void *ctx, const char *one, lake_error *err), void *ctx,
                      lake_error *err);

#endif
