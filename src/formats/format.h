/* SPDX-License-Identifier: MIT */
/* The table-format extension point: tables whose files and log lakeorm
 * writes itself on a backend (the warehouse), with an embedded engine
 * (DuckDB) only computing: it reads the files a format lists and evaluates
 * merges. Delta Lake today (formats/delta/). A client opened with a
 * warehouse keeps every table through one of these tables of operations,
 * found by the dialect's name, and never asks which one it holds. */
#ifndef LAKE_FORMATS_FORMAT_H
#define LAKE_FORMATS_FORMAT_H

#include <lakeorm/backend.h>
#include <lakeorm/client.h>
#include <lakeorm/migrate.h>

#include "dialects/dialect.h"
#include "drivers/driver.h"
#include "util/buf.h"

/* The engine a format computes with: the client's driver (one whose
 * caps.reads_local_files is set) and its state. */
typedef struct lake__engine {
    const lake__driver_ops *ops;
    void *impl;
} lake__engine;

typedef struct lake__format_config {
    lake_backend *warehouse; /* borrowed; tables live at <schema>/<table> or <table> under it */
    const char *schema;      /* the default schema's name, or NULL */
    lake__engine engine;
    /* A folder of this machine, private to the client, where files the
     * engine cannot read where they are (s3://, gs://, memory://) are fetched
     * for it; the client removes it when closed. NULL with a file:// warehouse. */
    const char *cache_dir;
    lake_codec compression;   /* of data files */
    uint64_t row_group_bytes; /* what a data file's writer buffers at most */
    bool read_only;
    lake_log_fn log; /* may be NULL */
    void *log_ctx;
    lake_log_level log_level;
    const char *catalog; /* where the format names its tables (Iceberg's catalog URL), or NULL */
    unsigned threads;    /* a data file's Parquet writer's (lake_parquet_options.threads): the client's */
} lake__format_config;

typedef struct lake__format_write lake__format_write; /* a request's rows under way */

/* What a write request is. */
typedef struct lake__format_write_spec {
    const lake_schema *schema;
    const char *ingest_id;
    lake__match_on on;           /* NONE: append (the primary key checked when there is one) */
    lake_on_conflict on_conflict; /* with LAKE__MATCH_PRIMARY_KEY */
    const char *idempotency_key;  /* NULL: none */
} lake__format_write_spec;

/* What a committed write did. */
typedef struct lake__format_outcome {
    uint64_t matched; /* rows whose key the table held (updated, or ignored) */
    int64_t version;  /* the table version the commit made; -1 when nothing was committed */
} lake__format_outcome;

/* An idempotency key's record in a table. */
typedef struct lake__format_key {
    bool found;
    char ingest_id[64];
    char fingerprint[80]; /* "" when none was recorded */
    char table[256];
} lake__format_key;


typedef struct lake__format_ops {
    const char *name; /* the dialect whose tables it keeps: "delta" */

    int (*open)(const lake__format_config *cfg, void **impl, lake_error *err);
    void (*close)(void *impl);

    /* A SELECT statement (no trailing ";") the engine runs in place of the
     * table `name` (an unqualified table name in a query): the table's
     * current rows, every column typed as the table's schema says, with
     * _ingest_id. *found false, and nothing appended, when there is no such
     * table. Called from the engine's name resolution, on any thread.
     * filter (NULL: none) lets the format leave out files no row the
     * statement asks for can be in; the engine applies the statement's
     * whole WHERE clause either way. */
    int (*scan)(void *impl, const char *name, const lake__scan_filter *filter, lake__buf *sql, bool *found,
                lake_error *err);

    /* lake_client_migrate: creates the table, or adds the schema's nullable
     * columns it lacks (a metadata commit); other drift is left to
     * assert_schema. renames (checked by lake__renames_check; any table's,
     * the format takes s's) are applied to an existing table in the same
     * commit, as lake__renames_due decides, or refused with LAKE_ENOTSUP
     * where the format cannot rename; a new table takes the model's names. */
    int (*create)(void *impl, const lake_schema *s, const lake_rename *renames, size_t rename_count, lake_error *err);
    /* lake_client_drop: the table and every file under its folder; nothing
     * when there is no such table. */
    int (*drop)(void *impl, const char *table, lake_error *err);
    /* lake_client_namespaces: the namespaces of the catalog that names the
     * tables; NULL for a format without a catalog (Delta). */
    int (*namespaces)(void *impl, lake_name_fn fn, void *ctx, lake_error *err);
    /* The live table's columns (names, types, nullability; keys -1: the
     * format keeps none), types spelled as type_name spells a model's; none
     * when there is no table. *out is freed with lake__free. */
    int (*columns)(void *impl, const char *table, lake__live_column **out, size_t *count, lake_error *err);
    /* How the table's type of a model column is spelled (Delta: Spark SQL's
     * "bigint", "struct<a:int>"), for assert_schema. Non-zero: out of memory. */
    int (*type_name)(const lake_column *column, lake__buf *out);

    /* A request: data files written as records arrive, then one commit.
     * write_free deletes the files a request wrote and did not commit. */
    int (*write_begin)(void *impl, const lake__format_write_spec *spec, lake__format_write **out, lake_error *err);
    int (*write_add)(lake__format_write *w, const void *records, size_t count, lake_error *err);
    /* fingerprint: the request's (keyed requests), recorded with the key.
     * LAKE_ECONFLICT when a concurrent commit conflicts logically (the
     * request may be run again); LAKE_EREMOTE for a primary key the table
     * holds with on_conflict error. */
    int (*write_commit)(lake__format_write *w, const char *fingerprint, lake__format_outcome *out, lake_error *err);
    void (*write_free)(lake__format_write *w);
    /* Bytes of data files written so far. */
    uint64_t (*write_bytes)(const lake__format_write *w);

    /* The newest record of `key` in `table` not older than since_us (Unix
     * microseconds). */
    int (*key_find)(void *impl, const char *table, const char *key, int64_t since_us, lake__format_key *out,
                    lake_error *err);

    /* Deletes the files under the table no version younger than retain_us
     * references (and that no writer may still commit), or only reports
     * them when dry_run; fn (may be NULL) hears of each. */
    int (*vacuum)(void *impl, const char *table, int64_t retain_us, bool dry_run, lake_vacuum_fn fn, void *ctx,
                  uint64_t *files, uint64_t *bytes, lake_error *err);
} lake__format_ops;

/* The local path the engine reads a store's object at (`key`), fetching it
 * into the cache folder first when the store has no local root
 * (local_path.c). Appended to out. */
int lake__format_local_path(lake_backend *store, const char *cache, const char *key, lake__buf *out,
                            lake_error *err);

/* The format that keeps a dialect's tables: LAKE_ENOTSUP naming the ones
 * there are when none does. */
int lake__format_find(const char *dialect, const lake__format_ops **out, lake_error *err);

extern const lake__format_ops lake__delta_format;
extern const lake__format_ops lake__iceberg_format;

#endif
