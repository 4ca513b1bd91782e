/* SPDX-License-Identifier: MIT */
/* Apache Iceberg tables kept by lakeorm (format.h's operations): named by a
 * catalog (catalog.h), their metadata, manifests and data files written by
 * lakeorm (metadata.h), the embedded engine reading data files and
 * computing merges. One file per piece; this header is their shared model. */
#ifndef LAKE_FORMATS_ICEBERG_ICEBERG_H
#define LAKE_FORMATS_ICEBERG_ICEBERG_H

#include "formats/format.h"
#include "formats/iceberg/catalog.h"
#include "formats/iceberg/metadata.h"
#include "util/arena.h"

/* The format's state (table.c). */
typedef struct lake__iceberg {
    lake__format_config cfg; /* its strings owned */
    const lake__iceberg_catalog_ops *catalog;
    void *catalog_impl;
    char ns[256]; /* the namespace: the default schema, or "default" */
} lake__iceberg;

/* One table as its catalog names it now (table.c). */
typedef struct lake__iceberg_table_state {
    lake__iceberg *ice;
    char name[256];
    bool found;            /* false: no such table (nothing below is set) */
    lake__buf location;    /* the current metadata file's */
    lake__buf json;        /* its text */
    lake_arena *arena;     /* what meta and the lists below point into */
    lake__iceberg_loaded meta;
    char root[1024];       /* the table location's key in the warehouse, with a trailing '/' */
    /* Where its files are read and written: the warehouse, or a backend at
     * the warehouse's URL with the credentials its catalog vended (owned
     * when owns_store; a write takes it over, as it outlives the state). */
    lake_backend *store;
    bool owns_store;
    /* The current snapshot's manifests and live data files (lake__iceberg_list). */
    lake__iceberg_manifest *manifests;
    size_t manifest_count, manifests_read;
    lake__iceberg_data_file *files;
    size_t *file_manifest; /* per file: the manifest listing it */
    size_t file_count;
    bool listed;
} lake__iceberg_table_state;

/* Loads table `name` (its current metadata); (*out)->found false when the
 * catalog has none. LAKE_EINVAL for a name lakeorm does not give tables. */
int lake__iceberg_load(lake__iceberg *ice, const char *name, lake__iceberg_table_state **out, lake_error *err);
/* Reads the current snapshot's manifest list and manifests (once). */
int lake__iceberg_list(lake__iceberg_table_state *t, lake_error *err);
/* The same, reading only the manifests `needed` keeps (NULL: every one): the
 * others' files are then missing from t->files, which only a read may use. */
int lake__iceberg_list_where(lake__iceberg_table_state *t, bool (*needed)(void *ctx, const lake__iceberg_manifest *m),
                             void *ctx, lake_error *err);
void lake__iceberg_table_free(lake__iceberg_table_state *t);
/* Reads an object of the table's store named by its URI; free *data with lake__free. */
int lake__iceberg_read_uri(const lake__iceberg_table_state *t, const char *uri, char **data, size_t *len,
                           lake_error *err);

/* ---- vended storage credentials (store.c) */

/* A backend at the warehouse's URL (the same bucket and prefix, so keys and
 * the cache folder's copies stay the same) that reaches it with what the
 * catalog vended for `table` instead of the client's own credentials, or
 * *out NULL when it vended none for the warehouse's scheme. */
int lake__iceberg_store_open(const lake__iceberg *ice, const char *table, const lake__iceberg_storage *vended,
                             lake_backend **out, lake_error *err);

/* ---- types (types.c) */

/* A field's type as lakeorm spells it for assert_schema: Iceberg's own names
 * ("long", "decimal(9, 2)", "timestamptz"), nested as struct<a: int>,
 * list<string>, map<string, double>. Non-zero: out of memory. */
int lake__iceberg_type_text(lake__buf *out, const lake__iceberg_field *f);
/* A field's type as the engine's SQL type ("BIGINT", "STRUCT(\"a\" INTEGER)").
 * LAKE_ENOTSUP naming a type lakeorm cannot read. */
int lake__iceberg_engine_type(lake__buf *out, const lake__iceberg_field *f, lake_error *err);
/* A model column as a table field (parsed from its field JSON into arena). */
int lake__iceberg_model_field(const lake_column *c, lake_arena *arena, const lake__iceberg_field **out,
                              lake_error *err);

/* ---- a model against a table (fit.c) */

/* The model renumbered by the table's field ids (schema/field_ids.c): its
 * columns matched by name (list elements and map entries by place), columns
 * the table lacks numbered after its last column id. */
typedef struct lake__iceberg_fit {
    lake_schema *schema;   /* free with lake__iceberg_fit_free */
    bool *added;           /* per top-level model column: the table lacks it */
    size_t added_count;
    bool nested_added;     /* a nested field the table lacks */
    bool ingest_added;     /* the table lacks _ingest_id */
    int32_t last_column_id; /* after the added columns */
} lake__iceberg_fit;

int lake__iceberg_fit_model(const lake__iceberg_table_state *t, const lake_schema *model, lake__iceberg_fit *out,
                            lake_error *err);
void lake__iceberg_fit_free(lake__iceberg_fit *f);

/* ---- scans (scan.c) */

/* The SELECT the engine runs for the table's current rows (format.h's
 * scan), or over some of its files (indexes into t->files), or over data
 * files given by URI (with their count): every column of the current schema
 * by field id, then _ingest_id. */
int lake__iceberg_scan_sql(const lake__iceberg_table_state *t, const size_t *indexes, size_t count,
                           const char *const *uris, size_t uri_count, lake__buf *out, lake_error *err);

/* Lists the table for a read (lake__iceberg_list_where) and gives the files
 * it needs (indexes into t->files, ascending, into *kept, freed with
 * lake__free): those a row the filter asks for can be in, by the manifests'
 * partition summaries, then the files' partition values and column
 * statistics (prune.c); every file without a filter. */
int lake__iceberg_prune(lake__iceberg_table_state *t, const lake__scan_filter *filter, size_t **kept,
                        size_t *count, lake_error *err);

/* ---- writes (write.c) and migrations (create.c) */

int lake__iceberg_create(void *impl, const lake_schema *s, const lake_rename *renames, size_t rename_count,
                         lake_error *err);
int lake__iceberg_write_begin(void *impl, const lake__format_write_spec *spec, lake__format_write **out,
                              lake_error *err);
int lake__iceberg_write_add(lake__format_write *w, const void *records, size_t count, lake_error *err);
int lake__iceberg_write_commit(lake__format_write *w, const char *fingerprint, lake__format_outcome *out,
                               lake_error *err);
void lake__iceberg_write_free(lake__format_write *w);
uint64_t lake__iceberg_write_bytes(const lake__format_write *w);

/* A new snapshot id: random, positive. */
int64_t lake__iceberg_snapshot_id(void);

/* ---- vacuum (vacuum.c) */
int lake__iceberg_vacuum(void *impl, const char *table, int64_t retain_us, bool dry_run, lake_vacuum_fn fn, void *ctx,
                         uint64_t *files, uint64_t *bytes, lake_error *err);

#endif
