/* SPDX-License-Identifier: MIT */
/* Delta Lake tables kept by lakeorm (PROTOCOL.md of delta-io/delta): the
 * log's actions, a table's snapshot, data files with statistics, commits by
 * put-if-absent, checkpoints, scans for the engine, vacuum. One file per
 * piece; this header is their shared model. */
#ifndef LAKE_FORMATS_DELTA_DELTA_H
#define LAKE_FORMATS_DELTA_DELTA_H

#include <lakeorm/backend.h>
#include <lakeorm/schema.h>

#include "formats/format.h"
#include "util/arena.h"
#include "util/buf.h"

/* ---- a table (table.c) */

typedef struct lake__delta {
    lake__format_config cfg; /* its strings owned */
} lake__delta;

/* One table: where it lives and what computes over it. */
typedef struct lake__delta_table {
    lake__delta *delta;
    lake_backend *store; /* the warehouse, borrowed */
    char root[512];      /* its key prefix, with a trailing '/': "sales/orders/" ("orders/" without a schema) */
    char name[256];      /* the table's name, for messages */
} lake__delta_table;

/* The table `name` in the warehouse (under the default schema when there is one). */
int lake__delta_table_at(lake__delta *d, const char *name, lake__delta_table *out, lake_error *err);

/* format.h's create (create.c) and writes (write.c), on the format's state. */
int lake__delta_create(void *impl, const lake_schema *s, const lake_rename *renames, size_t rename_count,
                       lake_error *err);
int lake__delta_write_begin(void *impl, const lake__format_write_spec *spec, lake__format_write **out, lake_error *err);
int lake__delta_write_add(lake__format_write *w, const void *records, size_t count, lake_error *err);
int lake__delta_write_commit(lake__format_write *w, const char *fingerprint, lake__format_outcome *out,
                             lake_error *err);
void lake__delta_write_free(lake__format_write *w);
uint64_t lake__delta_write_bytes(const lake__format_write *w);

/* ---- actions (actions.c): the log's lines, parsed and rendered */

typedef struct lake__delta_pair { /* a partition value, a configuration entry */
    const char *key;
    const char *value; /* NULL: null */
} lake__delta_pair;

typedef struct lake__delta_protocol {
    int reader, writer; /* minReaderVersion, minWriterVersion */
    const char **reader_features, **writer_features; /* reader 3 / writer 7 only */
    size_t reader_feature_count, writer_feature_count;
} lake__delta_protocol;

typedef struct lake__delta_metadata {
    const char *id;
    const char *name, *description;     /* may be NULL */
    const char *schema_string;          /* Spark's StructType as JSON text */
    const char **partition_columns;
    size_t partition_count;
    lake__delta_pair *configuration;    /* "delta.appendOnly" = "true", ... */
    size_t configuration_count;
    int64_t created_time;               /* ms; -1 when absent */
} lake__delta_metadata;

typedef struct lake__delta_file { /* an add, or a remove */
    const char *path;                  /* as in the log: relative to the table and percent-encoded, or an absolute URI */
    lake__delta_pair *partition_values;
    size_t partition_count;
    int64_t size;                      /* -1 when absent (a remove may omit it) */
    int64_t modification_time;         /* add: ms */
    int64_t deletion_timestamp;        /* remove: ms; -1 when absent */
    bool data_change;
    const char *stats;                 /* add: the statistics' JSON text, or NULL */
    bool deletion_vector;              /* a deletionVector is attached */
} lake__delta_file;

typedef struct lake__delta_txn {
    const char *app_id;
    int64_t version;
    int64_t last_updated; /* ms; -1 when absent */
} lake__delta_txn;

/* What lakeorm records in its commits' commitInfo, under "lakeorm". */
typedef struct lake__delta_lakeorm_info {
    const char *ingest_id;       /* NULL for commits with no rows (create, add column) */
    const char *idempotency_key; /* NULL: none */
    const char *fingerprint;
    const char *table;
} lake__delta_lakeorm_info;

/* One commit file, parsed. Every string lives in the arena given to the parser. */
typedef struct lake__delta_commit_file {
    int64_t version;
    bool has_protocol, has_metadata;
    lake__delta_protocol protocol;
    lake__delta_metadata metadata;
    lake__delta_file *adds, *removes;
    size_t add_count, remove_count;
    lake__delta_txn *txns;
    size_t txn_count;
    int64_t timestamp;         /* commitInfo.timestamp, ms; -1 when absent */
    const char *operation;     /* commitInfo.operation, or NULL */
    lake__delta_lakeorm_info lakeorm; /* all NULL when another engine wrote it */
    bool has_domain_metadata;  /* a domainMetadata action */
} lake__delta_commit_file;

/* Parses the newline-delimited actions of `_delta_log/<version>.json`.
 * Unknown actions and fields are skipped; a malformed line or a missing
 * required field is LAKE_EIO naming the version and line. */
int lake__delta_parse_commit(const char *text, size_t len, int64_t version, lake_arena *arena,
                             lake__delta_commit_file *out, lake_error *err);
/* Parses one action object (a log line, or a checkpoint row's action as
 * JSON: {"add":{...}}) into `into` (adding to its arrays). */
int lake__delta_parse_action(const char *text, size_t len, int64_t version, lake_arena *arena,
                             lake__delta_commit_file *into, lake_error *err);

/* Rendering one line each (with the trailing "\n"). Non-zero: out of memory. */
int lake__delta_render_protocol(lake__buf *out, const lake__delta_protocol *p);
int lake__delta_render_metadata(lake__buf *out, const lake__delta_metadata *m);
int lake__delta_render_add(lake__buf *out, const lake__delta_file *f);
int lake__delta_render_remove(lake__buf *out, const lake__delta_file *f);
int lake__delta_render_txn(lake__buf *out, const lake__delta_txn *t);
/* commitInfo: timestamp, operation ("WRITE", "MERGE", "CREATE TABLE", "ADD COLUMNS"),
 * operationParameters (a JSON object's text, or NULL for {}), readVersion (-1: none),
 * isBlindAppend, engineInfo "lakeorm/<version>", and the lakeorm object. */
int lake__delta_render_commit_info(lake__buf *out, int64_t timestamp_ms, const char *operation,
                                   const char *parameters_json, int64_t read_version, bool blind_append,
                                   const lake__delta_lakeorm_info *info);

/* Percent-encodes a relative data file path for the log (as Spark does:
 * RFC 3986 path characters kept, '/' kept), and decodes one. */
int lake__delta_path_encode(lake__buf *out, const char *path);
int lake__delta_path_decode(lake__buf *out, const char *path);

/* ---- the schema (schema_json.c) */

/* Spark's StructType JSON for a model's table: every column (nested types
 * nest), nullable as the model says, then _ingest_id (string, nullable).
 * UUIDs, sortable ids and JSON columns are strings; timestamps "timestamp". */
int lake__delta_schema_json(lake__buf *out, const lake_schema *s);

/* A table column, from a schemaString. */
typedef struct lake__delta_column {
    const char *name;
    const char *type_json; /* the field's "type" value as JSON text: "\"long\"", "{\"type\":\"struct\",...}" */
    bool nullable;
    bool partition;        /* named in partitionColumns */
} lake__delta_column;

/* Reads a schemaString's top-level fields. LAKE_EIO when malformed. */
int lake__delta_schema_parse(const char *schema_string, const lake__delta_metadata *m, lake_arena *arena,
                             lake__delta_column **out, size_t *count, lake_error *err);
/* The Delta type of a model's column, as JSON text (what schemaString
 * holds for it). */
int lake__delta_column_type_json(lake__buf *out, const lake_column *c);

/* A Delta type (type_json) as Spark SQL spells it, "struct<a:int,b:array<string>>"
 * (type_text.c): LAKE_EIO when it is not a type. */
int lake__delta_type_text(lake__buf *out, const char *type_json, lake_error *err);

/* ---- a snapshot (snapshot.c): the table at a version, by log replay */

typedef struct lake__delta_snapshot {
    int64_t version; /* -1: no table (no log) */
    lake__delta_protocol protocol;
    lake__delta_metadata metadata;
    lake__delta_column *columns; /* parsed from metadata.schema_string */
    size_t column_count;
    lake__delta_file *files;     /* the active adds, in no particular order */
    size_t file_count;
    lake__delta_file *tombstones; /* removes still in the log or the checkpoint */
    size_t tombstone_count;
    lake__delta_txn *txns;
    size_t txn_count;
    int64_t checkpoint_version;  /* replay started from; -1: from version 0 */
    lake_arena *arena;           /* every string and array above */
} lake__delta_snapshot;

/* The newest snapshot (at_version -1) or the one at at_version: from
 * _last_checkpoint (or the newest checkpoint listed), then every commit
 * after it in order. Checkpoints are classic (<v>.checkpoint.parquet) or
 * multi-part (<v>.checkpoint.<i>.<n>.parquet), read with the engine. A
 * missing or unreadable commit between checkpoint and head is
 * LAKE_EIO naming the version. No log: version -1, no error. */
int lake__delta_snapshot_load(const lake__delta_table *t, int64_t at_version, lake__delta_snapshot **out,
                              lake_error *err);
void lake__delta_snapshot_free(lake__delta_snapshot *s);

/* The commits after `after` up to the newest, parsed, in order: what a
 * writer that lost a race reads. *out freed with lake__free, strings in arena. */
int lake__delta_commits_since(const lake__delta_table *t, int64_t after, lake_arena *arena,
                              lake__delta_commit_file **out, size_t *count, lake_error *err);

/* LAKE_OK when lakeorm may write the table; LAKE_ENOTSUP naming the first
 * feature it does not support (deletion vectors, column mapping, a reader
 * version above 1 or writer above 2 without only supported features, ...). */
int lake__delta_check_writable(const lake__delta_snapshot *s, lake_error *err);

/* ---- data files (files.c and stats.c) */

/* A data file written and not yet committed: its add action's fields. */
typedef struct lake__delta_written {
    char *path;                        /* relative to the table, not encoded: "day=2024-01-02/part-00001-<uuid>.c000.zstd.parquet" */
    lake__delta_pair *partition_values; /* owned with their strings */
    size_t partition_count;
    int64_t size;
    int64_t modification_time;
    char *stats;                       /* the stats JSON text (numRecords, minValues, maxValues, nullCount) */
    uint64_t rows;
} lake__delta_written;

typedef struct lake__delta_files lake__delta_files; /* a writer of data files */

typedef struct lake__delta_files_spec {
    const lake_schema *schema;    /* the records' layout */
    const char **partition_columns; /* identity partitions, by column name, in order */
    size_t partition_count;
    /* One ingest id for every row (the request's), or NULL when the schema
     * has a column "_ingest_id" of its own (rewritten rows keep theirs). */
    const char *ingest_id;
    const char *name_tag;         /* unique in file names: the ingest id, or a fresh uuid */
    lake_codec codec;
    uint64_t row_group_bytes;
    uint64_t file_bytes;          /* roll to a new file beyond this; 0 = 128 MiB */
    unsigned threads;             /* the Parquet writer's (lake_parquet_options.threads) */
} lake__delta_files_spec;

/* Writes records as Parquet data files under the table's root: partition
 * columns left out of the files and written as folders col=value/
 * (Hive-style escaping, __HIVE_DEFAULT_PARTITION__ for NULL), one file (or
 * more past file_bytes) per partition value, statistics collected as Spark
 * does (stats.c). */
int lake__delta_files_open(const lake__delta_table *t, const lake__delta_files_spec *spec, lake__delta_files **out,
                           lake_error *err);
int lake__delta_files_add(lake__delta_files *f, const void *records, size_t count, lake_error *err);
/* Finishes every file; *written (owned by f, valid until free) lists them. */
int lake__delta_files_close(lake__delta_files *f, const lake__delta_written **written, size_t *count,
                            lake_error *err);
uint64_t lake__delta_files_bytes(const lake__delta_files *f);
/* Frees; with delete_files, removes every file it wrote (a request that did not commit). */
void lake__delta_files_free(lake__delta_files *f, bool delete_files);

/* ---- commits (commit.c) */

/* How a commit's writer decides whether the commits that won the race
 * before it conflict: NULL check means a blind append (conflicts only with a
 * new protocol or metadata, or the same txn appId). */
typedef struct lake__delta_commit_spec {
    int64_t read_version; /* the snapshot the request read; the commit goes at read_version + 1 or later */
    /* Renders the commit's actions for `version` (txn versions and
     * commitInfo.readVersion may depend on it). */
    int (*render)(void *ctx, int64_t version, lake__buf *out, lake_error *err);
    /* Whether a winning commit conflicts: non-zero (LAKE_ECONFLICT with a
     * message) when it does. NULL: the blind-append rule only. */
    int (*check)(void *ctx, const lake__delta_commit_file *winner, lake_error *err);
    void *ctx;
    const char *app_id; /* the txn appId this commit records, or NULL */
    unsigned max_attempts; /* 0 = 20 */
} lake__delta_commit_spec;

/* Writes _delta_log/<version>.json with put-if-absent; on losing the race
 * reads the winners, checks them, and tries the next version, jittered and
 * bounded. *version receives the version written. LAKE_ECONFLICT when a
 * winner conflicts logically or attempts run out. (The caller checkpoints.) */
int lake__delta_commit(const lake__delta_table *t, const lake__delta_commit_spec *spec, int64_t *version,
                       lake_error *err);

/* ---- checkpoints (checkpoint.c) */

/* Writes the classic checkpoint of snapshot s (_delta_log/<v>.checkpoint.parquet)
 * with lakeorm's Parquet writer, then _last_checkpoint. */
int lake__delta_checkpoint_write(const lake__delta_table *t, const lake__delta_snapshot *s, lake_error *err);

/* ---- scans (scan.c) */

/* The SELECT the engine runs for the table at snapshot s (format.h, scan):
 * files fetched into the cache folder when the engine cannot read the store. */
int lake__delta_scan_sql(const lake__delta_table *t, const lake__delta_snapshot *s, lake__buf *out, lake_error *err);
/* A Delta type (type_json) as the engine's SQL type, for casts in scans
 * ("BIGINT", "DECIMAL(18,2)", "STRUCT(\"a\" INTEGER, ...)", "VARCHAR[]",
 * "MAP(VARCHAR, DOUBLE)", "TIMESTAMPTZ"). LAKE_ENOTSUP naming a type it
 * cannot read (variant, interval). */
int lake__delta_engine_type(lake__buf *out, const char *type_json, lake_error *err);
/* ---- vacuum (vacuum.c): format.h's vacuum for one table */
int lake__delta_vacuum(const lake__delta_table *t, int64_t retain_us, bool dry_run, lake_vacuum_fn fn, void *ctx,
                       uint64_t *files, uint64_t *bytes, lake_error *err);

#endif
