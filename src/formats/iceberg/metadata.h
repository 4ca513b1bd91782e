/* SPDX-License-Identifier: MIT */
/* What an Iceberg table is made of, as lakeorm writes it (the table spec,
 * format version 2): the schema and partition spec JSON of a model, the
 * table metadata file, and the two Avro layers under a snapshot (a manifest
 * of data files, a manifest list of manifests). */
#ifndef LAKE_FORMATS_ICEBERG_METADATA_H
#define LAKE_FORMATS_ICEBERG_METADATA_H

#include <stdbool.h>
#include <stdint.h>

#include <lakeorm/parquet.h>

#include "formats/iceberg/transform.h"
#include "schema/schema.h"
#include "util/buf.h"

/* The table schema of a model as Iceberg's JSON ({"type":"struct",
 * "schema-id":..,"fields":[...]}), lakeorm's field ids kept (nested ones
 * included), with the _ingest_id string column last. Non-zero: out of memory. */
int lake__iceberg_schema_json(lake__buf *out, const lake_schema *s, int32_t schema_id);

/* A partition transform as a spec names it: "identity", "bucket[16]", "day". */
const char *lake__iceberg_transform_name(lake_partition_transform t, int32_t param, char buf[32]);

/* A model column as a schema's field ({"id":..,"name":..,"required":..,"type":..}). */
void lake__iceberg_field_json(lake__buf *out, const lake_column *c);

/* The partition spec of a model's partition tags ({"spec-id":0,"fields":
 * [...]}), its fields numbered from 1000 and named as Spark names them
 * (the column, "<column>_bucket", "_trunc", "_year", "_month", "_day",
 * "_hour"). LAKE_ENOTSUP naming a column whose transform does not apply. */
int lake__iceberg_spec_json(lake__buf *out, const lake_schema *s, lake_error *err);

/* ---- snapshots and the metadata file */

typedef struct lake__iceberg_snapshot {
    int64_t id;
    int64_t parent_id; /* -1: none */
    int64_t sequence_number;
    int64_t timestamp_ms;
    const char *manifest_list;
    const char *operation; /* "append", "overwrite", ... */
    const char *const *summary; /* key, value, ...: besides "operation" */
    size_t summary_pairs;
    int32_t schema_id; /* the schema the snapshot was written with */
} lake__iceberg_snapshot;

typedef struct lake__iceberg_table {
    const char *uuid;     /* 36 characters */
    const char *location; /* the table's root URI, no trailing '/' */
    const lake_schema *schema;
    int64_t last_updated_ms;
    const lake__iceberg_snapshot *snapshots; /* oldest first; the last is current */
    size_t snapshot_count;
    const char *const *properties; /* key, value, ... */
    size_t property_pairs;
} lake__iceberg_table;

/* A snapshot as the metadata file lists it. */
void lake__iceberg_snapshot_json(lake__buf *out, const lake__iceberg_snapshot *s);

/* The table metadata file (format version 2): one schema (id 0), one spec
 * (id 0), the unsorted order, the snapshots with their log, "main" at the
 * current one. */
int lake__iceberg_metadata_json(lake__buf *out, const lake__iceberg_table *t, lake_error *err);

/* A field of a table schema, as a metadata file types it. */
typedef struct lake__iceberg_field {
    int32_t id;
    const char *name;
    bool required;
    const char *type; /* a primitive's name ("long", "decimal(9, 2)", "timestamptz"), or "struct", "list", "map" */
    const struct lake__iceberg_field *children; /* struct: its fields; list: the element; map: key, value */
    size_t child_count;
} lake__iceberg_field;

/* The fields of a schema's JSON (an object with "fields"), into arena.
 * False when malformed or out of memory. */
bool lake__iceberg_schema_fields(const char *json, size_t len, lake_arena *arena, const lake__iceberg_field **out,
                                 size_t *count);

/* A field of a partition spec. */
typedef struct lake__iceberg_spec_field {
    int32_t source_id, field_id;
    const char *name, *transform; /* "identity", "bucket[16]", "day", ... */
} lake__iceberg_spec_field;

/* A snapshot as lakeorm reads it back, with what lakeorm records in its
 * summary (NULL when another writer made it). */
typedef struct lake__iceberg_snapshot_info {
    int64_t id, parent_id, sequence_number, timestamp_ms;
    const char *manifest_list, *operation;
    const char *ingest_id, *idempotency_key, *fingerprint, *table;
} lake__iceberg_snapshot_info;

/* The summary keys lakeorm writes. */
#define LAKE__ICEBERG_KEY_INGEST "lakeorm.ingest-id"
#define LAKE__ICEBERG_KEY_IDEMPOTENCY "lakeorm.idempotency-key"
#define LAKE__ICEBERG_KEY_FINGERPRINT "lakeorm.fingerprint"
#define LAKE__ICEBERG_KEY_TABLE "lakeorm.table"

/* What lakeorm reads of a metadata file (any writer's): enough to commit
 * the next snapshot over it, to find the current one's files, and to type
 * the table's columns. */
typedef struct lake__iceberg_loaded {
    int format_version;
    const char *uuid, *location;
    int64_t last_sequence_number, last_updated_ms;
    int64_t current_snapshot_id;        /* -1: none */
    const char *current_manifest_list;  /* NULL: none */
    const lake__iceberg_snapshot_info *snapshots; /* as listed (oldest first, as writers append) */
    size_t snapshot_count;
    int32_t current_schema_id, last_column_id, default_spec_id, last_partition_id;
    const lake__iceberg_field *fields;  /* the current schema's */
    size_t field_count;
    const char *schema_json;            /* the current schema's JSON text */
    size_t schema_json_len;
    const lake__iceberg_spec_field *spec; /* the default spec's */
    size_t spec_count;
    /* Every partition spec's fields, the default one's included (of the
     * newest specs kept): names a renamed column must not take. */
    const lake__iceberg_spec_field *spec_history;
    size_t spec_history_count;
    const int64_t *ref_ids;             /* the snapshots refs (branches, tags) name */
    size_t ref_count;
    const char **metadata_log;          /* the earlier metadata files the log names */
    size_t metadata_log_count;
} lake__iceberg_loaded;

/* Reads a metadata file's JSON (strings into arena). LAKE_EIO naming what
 * is missing or malformed; LAKE_ENOTSUP for a format version lakeorm does
 * not write (only 2). */
int lake__iceberg_metadata_read(const char *json, size_t len, lake_arena *arena, lake__iceberg_loaded *out,
                                lake_error *err);

/* The metadata file after a commit over `json` (the file at old_location):
 * with u's snapshot s, s appended to "snapshots" and "snapshot-log", "main"
 * and "current-snapshot-id" moved to it, "last-sequence-number" to its
 * sequence number; with u's schema, it appended to "schemas" and made
 * current, "last-column-id" set; u's expired snapshots left out of
 * "snapshots" and "snapshot-log"; "last-updated-ms" at now_ms and the old
 * file added to "metadata-log"; every other member as it was, other refs
 * included. */
struct lake__iceberg_update;
int lake__iceberg_metadata_commit(lake__buf *out, const char *json, size_t len, const struct lake__iceberg_update *u,
                                  const char *old_location, int64_t now_ms, lake_error *err);

/* ---- the Avro layers */

/* A data file as a manifest records it. */
typedef struct lake__iceberg_data_file {
    const char *path; /* an absolute URI */
    int64_t records, size;
    const lake__iceberg_part *partition; /* one per spec field, in spec order */
    /* per column with statistics: its field id, counts and bounds (single-value form) */
    size_t column_count;
    const int32_t *field_ids;
    const int64_t *value_counts, *null_counts;
    const unsigned char *const *lower, *const *upper; /* NULL entries: no bound */
    const size_t *lower_lens, *upper_lens;
    /* Carried over from an earlier snapshot's manifest (status existing),
     * with that snapshot's id and the file's sequence numbers; false: added
     * by the manifest's own snapshot, sequence numbers inherited. */
    bool existing;
    int64_t snapshot_id, sequence_number, file_sequence_number;
} lake__iceberg_data_file;

/* Writes a manifest of data files added by snapshot `snapshot_id` (their
 * sequence numbers left to inherit from the manifest list), or carried over
 * as existing, to sink. */
int lake__iceberg_manifest_write(const lake_schema *s, int64_t snapshot_id, const lake__iceberg_data_file *files,
                                 size_t count, const lake_sink *sink, lake_error *err);

/* One partition field over a manifest's files, as its manifest list
 * records it (the field summary): whether a file's value is NULL (or NaN:
 * -1 unknown), and the least and greatest non-NULL values in single-value
 * form (NULL: every value is NULL, or not recorded). */
typedef struct lake__iceberg_part_summary {
    bool contains_null;
    int contains_nan;
    const unsigned char *lower, *upper;
    size_t lower_len, upper_len;
} lake__iceberg_part_summary;

/* The summaries of a manifest's files under schema s's partition spec (one
 * per partition field, in spec order), into arena. Non-zero: out of memory. */
int lake__iceberg_partition_summaries(const lake_schema *s, const lake__iceberg_data_file *files, size_t count,
                                      lake_arena *arena, lake__iceberg_part_summary **out, size_t *parts);

/* A manifest as a manifest list records it. */
typedef struct lake__iceberg_manifest {
    const char *path;
    int64_t length;
    int32_t spec_id, content; /* content: 0 data, 1 deletes */
    int64_t sequence_number, min_sequence_number;
    int64_t added_snapshot_id;
    int32_t added_files, existing_files, deleted_files;
    int64_t added_rows, existing_rows, deleted_rows;
    const lake__iceberg_part_summary *partitions; /* per partition field; none recorded: NULL */
    size_t partition_count;
} lake__iceberg_manifest;

/* The manifests a manifest list (any writer's, held in data) names, into
 * arena: what a new snapshot's list carries over from its parent. Entries
 * of every content (data and deletes) are kept; *out holds *count. */
int lake__iceberg_manifest_list_read(const void *data, size_t len, lake_arena *arena, lake__iceberg_manifest **out,
                                     size_t *count, lake_error *err);

/* A manifest's live entries (added or existing), any writer's, read from
 * data (the manifest file m names): sequence numbers resolved (inherited
 * from m when null), partition values by the manifest's spec, column
 * statistics as recorded; everything in arena, pointing into data too.
 * LAKE_ENOTSUP for delete files (lakeorm reads copy-on-write tables only). */
int lake__iceberg_manifest_read(const void *data, size_t len, const lake__iceberg_manifest *m, lake_arena *arena,
                                lake__iceberg_data_file **out, size_t *count, lake_error *err);

/* Writes the manifest list of snapshot `snapshot_id`. */
int lake__iceberg_manifest_list_write(int64_t snapshot_id, int64_t parent_id, int64_t sequence_number,
                                      const lake__iceberg_manifest *manifests, size_t count, const lake_sink *sink,
                                      lake_error *err);

#endif
