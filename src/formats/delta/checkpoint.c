/* SPDX-License-Identifier: MIT */
/* Classic checkpoints (PROTOCOL.md, "Checkpoints"): the table's state at a
 * version as one Parquet file of actions, one row per action and every other
 * action's column NULL, written with lakeorm's own Parquet writer through a
 * model of the checkpoint's row; then _last_checkpoint points readers at it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "error/error.h"
#include "formats/delta/delta.h"
#include "util/alloc.h"

/* ---- the row's model: the columns Spark and delta-rs read */

typedef struct cp_txn {
    lake_str app_id;
    int64_t version;
    lake_opt_i64 last_updated;
} cp_txn;

static const lake_field cp_txn_fields[] = {
    LAKE_FIELD(cp_txn, app_id, "appId", ""),
    LAKE_FIELD(cp_txn, version, "version", ""),
    LAKE_FIELD(cp_txn, last_updated, "lastUpdated", ""),
};
static const lake_model cp_txn_model = LAKE_MODEL(cp_txn, "txn", cp_txn_fields);

typedef struct cp_add {
    lake_str path;
    lake_map_str partition_values;
    int64_t size;
    int64_t modification_time;
    bool data_change;
    lake_str stats;
} cp_add;

static const lake_field cp_add_fields[] = {
    LAKE_FIELD(cp_add, path, "path", ""),
    LAKE_MAP_OF(cp_add, partition_values, lake_str, LAKE_ELEM_NULLABLE(lake_str), "partitionValues", ""),
    LAKE_FIELD(cp_add, size, "size", ""),
    LAKE_FIELD(cp_add, modification_time, "modificationTime", ""),
    LAKE_FIELD(cp_add, data_change, "dataChange", ""),
    LAKE_FIELD(cp_add, stats, "stats,nullable", ""),
};
static const lake_model cp_add_model = LAKE_MODEL(cp_add, "add", cp_add_fields);

typedef struct cp_remove {
    lake_str path;
    lake_opt_i64 deletion_timestamp;
    bool data_change;
    lake_opt_bool extended_file_metadata;
    lake_map_str partition_values;
    lake_opt_i64 size;
} cp_remove;

static const lake_field cp_remove_fields[] = {
    LAKE_FIELD(cp_remove, path, "path", ""),
    LAKE_FIELD(cp_remove, deletion_timestamp, "deletionTimestamp", ""),
    LAKE_FIELD(cp_remove, data_change, "dataChange", ""),
    LAKE_FIELD(cp_remove, extended_file_metadata, "extendedFileMetadata", ""),
    LAKE_MAP_OF(cp_remove, partition_values, lake_str, LAKE_ELEM_NULLABLE(lake_str), "partitionValues,nullable", ""),
    LAKE_FIELD(cp_remove, size, "size", ""),
};
static const lake_model cp_remove_model = LAKE_MODEL(cp_remove, "remove", cp_remove_fields);

typedef struct cp_format {
    lake_str provider;
    lake_map_str options;
} cp_format;

static const lake_field cp_format_fields[] = {
    LAKE_FIELD(cp_format, provider, "provider", ""),
    LAKE_MAP(cp_format, options, "options", ""),
};
static const lake_model cp_format_model = LAKE_MODEL(cp_format, "format", cp_format_fields);

typedef struct cp_metadata {
    lake_str id, name, description;
    cp_format format;
    lake_str schema_string;
    lake_list_str partition_columns;
    lake_map_str configuration;
    lake_opt_i64 created_time;
} cp_metadata;

static const lake_field cp_metadata_fields[] = {
    LAKE_FIELD(cp_metadata, id, "id", ""),
    LAKE_FIELD(cp_metadata, name, "name,nullable", ""),
    LAKE_FIELD(cp_metadata, description, "description,nullable", ""),
    LAKE_STRUCT(cp_metadata, format, cp_format, cp_format_model, "format", ""),
    LAKE_FIELD(cp_metadata, schema_string, "schemaString", ""),
    LAKE_LIST(cp_metadata, partition_columns, "partitionColumns", ""),
    LAKE_MAP(cp_metadata, configuration, "configuration", ""),
    LAKE_FIELD(cp_metadata, created_time, "createdTime", ""),
};
static const lake_model cp_metadata_model = LAKE_MODEL(cp_metadata, "metaData", cp_metadata_fields);

typedef struct cp_protocol {
    int32_t min_reader, min_writer;
    lake_list_str reader_features, writer_features;
} cp_protocol;

static const lake_field cp_protocol_fields[] = {
    LAKE_FIELD(cp_protocol, min_reader, "minReaderVersion", ""),
    LAKE_FIELD(cp_protocol, min_writer, "minWriterVersion", ""),
    LAKE_LIST(cp_protocol, reader_features, "readerFeatures,nullable", ""),
    LAKE_LIST(cp_protocol, writer_features, "writerFeatures,nullable", ""),
};
static const lake_model cp_protocol_model = LAKE_MODEL(cp_protocol, "protocol", cp_protocol_fields);

typedef struct cp_row {
    cp_txn *txn;
    cp_add *add;
    cp_remove *remove;
    cp_metadata *meta_data;
    cp_protocol *protocol;
} cp_row;

static const lake_field cp_row_fields[] = {
    LAKE_STRUCT_PTR(cp_row, txn, cp_txn, cp_txn_model, "txn", ""),
    LAKE_STRUCT_PTR(cp_row, add, cp_add, cp_add_model, "add", ""),
    LAKE_STRUCT_PTR(cp_row, remove, cp_remove, cp_remove_model, "remove", ""),
    LAKE_STRUCT_PTR(cp_row, meta_data, cp_metadata, cp_metadata_model, "metaData", ""),
    LAKE_STRUCT_PTR(cp_row, protocol, cp_protocol, cp_protocol_model, "protocol", ""),
};
static const lake_model cp_row_model = LAKE_MODEL(cp_row, "checkpoint", cp_row_fields);

/* ---- tombstone retention */

static const char *config(const lake__delta_metadata *m, const char *key) {
    for (size_t i = 0; i < m->configuration_count; i++)
        if (strcmp(m->configuration[i].key, key) == 0) return m->configuration[i].value;
    return NULL;
}

/* A Spark interval ("interval 1 week", "interval 7 days 12 hours") in
 * milliseconds; false when it is not one. */
static bool interval_ms(const char *s, int64_t *out) {
    static const struct { const char *unit; int64_t ms; } units[] = {
        {"millisecond", 1}, {"second", 1000}, {"minute", 60000}, {"hour", 3600000},
        {"day", 86400000}, {"week", 604800000},
    };
    while (isspace((unsigned char)*s)) s++;
    if (strncasecmp(s, "interval", 8) == 0) s += 8;
    int64_t total = 0;
    bool any = false;
    for (;;) {
        while (isspace((unsigned char)*s)) s++;
        if (!*s) break;
        char *end;
        long long n = strtoll(s, &end, 10);
        if (end == s || n < 0) return false;
        s = end;
        while (isspace((unsigned char)*s)) s++;
        size_t len = 0;
        while (isalpha((unsigned char)s[len])) len++;
        size_t k = 0, count = sizeof units / sizeof units[0];
        for (; k < count; k++) {
            size_t u = strlen(units[k].unit);
            if ((len == u || (len == u + 1 && tolower((unsigned char)s[u]) == 's')) && strncasecmp(s, units[k].unit, u) == 0)
                break;
        }
        if (k == count || __builtin_mul_overflow((int64_t)n, units[k].ms, &n) || __builtin_add_overflow(total, n, &total))
            return false;
        s += len;
        any = true;
    }
    *out = total;
    return any;
}

/* ---- rows */

static lake_str str(const char *s) {
    return s ? (lake_str){s, strlen(s)} : (lake_str){NULL, 0};
}

static lake_str str_or_empty(const char *s) {
    return (lake_str){s ? s : "", s ? strlen(s) : 0};
}

static lake_map_str pairs(lake_arena *a, const lake__delta_pair *p, size_t n) {
    lake_map_str m = {LAKE_EMPTY, 0};
    if (!n) return m;
    m.ptr = lake__arena_alloc(a, n * sizeof *m.ptr, 8);
    if (!m.ptr) return (lake_map_str){NULL, 0};
    for (size_t i = 0; i < n; i++) m.ptr[i] = (lake_map_str_entry){str_or_empty(p[i].key), str(p[i].value)};
    m.len = n;
    return m;
}

static lake_list_str names(lake_arena *a, const char **s, size_t n) {
    lake_list_str l = {LAKE_EMPTY, 0};
    if (!n) return l;
    l.ptr = lake__arena_alloc(a, n * sizeof *l.ptr, 8);
    if (!l.ptr) return (lake_list_str){NULL, 0};
    for (size_t i = 0; i < n; i++) l.ptr[i] = str_or_empty(s[i]);
    l.len = n;
    return l;
}

#define NEW(a, T) ((T *)lake__arena_alloc(a, sizeof(T), 8))

/* The checkpoint's rows for s: protocol, metadata, transactions, files, and
 * the tombstones younger than the retention. NULL when out of memory. */
static cp_row *rows_of(const lake__delta_snapshot *s, lake_arena *a, int64_t keep_after, size_t *count,
                       size_t *adds) {
    size_t cap = 2 + s->txn_count + s->file_count + s->tombstone_count;
    cp_row *rows = lake__arena_alloc(a, cap * sizeof *rows, 8);
    if (!rows) return NULL;
    memset(rows, 0, cap * sizeof *rows);
    size_t n = 0;
    bool ok = true;

    cp_protocol *p = NEW(a, cp_protocol);
    if (!p) return NULL;
    const lake__delta_protocol *sp = &s->protocol;
    *p = (cp_protocol){sp->reader, sp->writer, {NULL, 0}, {NULL, 0}};
    /* Feature lists belong to reader version 3 and writer version 7 only. */
    if (sp->reader >= 3) ok &= (p->reader_features = names(a, sp->reader_features, sp->reader_feature_count)).ptr != NULL;
    if (sp->writer >= 7) ok &= (p->writer_features = names(a, sp->writer_features, sp->writer_feature_count)).ptr != NULL;
    rows[n++].protocol = p;

    const lake__delta_metadata *sm = &s->metadata;
    cp_metadata *m = NEW(a, cp_metadata);
    if (!m) return NULL;
    *m = (cp_metadata){
        .id = str_or_empty(sm->id),
        .name = str(sm->name),
        .description = str(sm->description),
        .format = {{"parquet", 7}, {LAKE_EMPTY, 0}},
        .schema_string = str_or_empty(sm->schema_string),
        .partition_columns = names(a, sm->partition_columns, sm->partition_count),
        .configuration = pairs(a, sm->configuration, sm->configuration_count),
        .created_time = {sm->created_time, sm->created_time >= 0},
    };
    ok &= m->partition_columns.ptr && m->configuration.ptr;
    rows[n++].meta_data = m;

    for (size_t i = 0; i < s->txn_count; i++) {
        cp_txn *t = NEW(a, cp_txn);
        if (!t) return NULL;
        const lake__delta_txn *st = &s->txns[i];
        *t = (cp_txn){str_or_empty(st->app_id), st->version, {st->last_updated, st->last_updated >= 0}};
        rows[n++].txn = t;
    }
    for (size_t i = 0; i < s->file_count; i++) {
        cp_add *f = NEW(a, cp_add);
        if (!f) return NULL;
        const lake__delta_file *sf = &s->files[i];
        *f = (cp_add){str_or_empty(sf->path), pairs(a, sf->partition_values, sf->partition_count), sf->size,
                      sf->modification_time, sf->data_change, str(sf->stats)};
        ok &= f->partition_values.ptr != NULL;
        rows[n++].add = f;
    }
    *adds = s->file_count;
    for (size_t i = 0; i < s->tombstone_count; i++) {
        const lake__delta_file *sf = &s->tombstones[i];
        /* Older tombstones go: vacuum may already have deleted their files. */
        if (sf->deletion_timestamp <= keep_after) continue;
        cp_remove *r = NEW(a, cp_remove);
        if (!r) return NULL;
        bool extended = sf->size >= 0;
        *r = (cp_remove){str_or_empty(sf->path), {sf->deletion_timestamp, true}, sf->data_change, {extended, true},
                         extended ? pairs(a, sf->partition_values, sf->partition_count) : (lake_map_str){NULL, 0},
                         {sf->size, sf->size >= 0}};
        ok &= !extended || r->partition_values.ptr != NULL;
        rows[n++].remove = r;
    }
    *count = n;
    return ok ? rows : NULL;
}

/* ---- writing */

int lake__delta_checkpoint_write(const lake__delta_table *t, const lake__delta_snapshot *s, lake_error *err) {
    if (s->version < 0) return lake__error(err, LAKE_EINVAL, "%s has no version to checkpoint", t->name);
    for (size_t i = 0; i < s->file_count; i++)
        if (s->files[i].deletion_vector)
            return lake__error(err, LAKE_ENOTSUP, "%s: cannot checkpoint a file with a deletion vector (%s)", t->name,
                               s->files[i].path);
    int64_t retention = 7 * 86400000LL;
    const char *setting = config(&s->metadata, "delta.deletedFileRetentionDuration");
    if (setting && !interval_ms(setting, &retention))
        return lake__error(err, LAKE_EINVAL, "%s: delta.deletedFileRetentionDuration is \"%s\", not an interval",
                           t->name, setting);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;

    const lake_schema *schema;
    int rc = lake_schema_of(&schema, &cp_row_model, err);
    if (rc) return rc;
    lake_arena *arena;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    size_t count = 0, adds = 0;
    cp_row *rows = rows_of(s, arena, now_ms - retention, &count, &adds);
    if (!rows) {
        lake_arena_free(arena);
        return lake__error(err, LAKE_ENOMEM, "out of memory checkpointing %s", t->name);
    }
    char key[sizeof t->root + 64];
    snprintf(key, sizeof key, "%s_delta_log/%020lld.checkpoint.parquet", t->root, (long long)s->version);
    lake_upload *up = NULL;
    lake_sink sink;
    lake_parquet_writer *w = NULL;
    lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
    o.threads = t->delta->cfg.threads;
    uint64_t bytes = 0;
    if (!(rc = lake_backend_put_begin(t->store, key, &up, &sink, err)) &&
        !(rc = lake_parquet_writer_open(&w, schema, &sink, &o, err)) &&
        !(rc = lake_parquet_writer_append(w, rows, count, err)) && !(rc = lake_parquet_writer_close(w, err))) {
        bytes = lake_parquet_writer_bytes(w);
        rc = lake_backend_put_commit(up, err);
        up = NULL;
    }
    if (up) lake_backend_put_abort(up);
    lake_parquet_writer_free(w);
    lake_arena_free(arena);
    if (rc) return rc;

    /* The one object that is replaced: readers start from it, and fall back to listing when it is stale. */
    char last[160];
    int n = snprintf(last, sizeof last, "{\"version\":%lld,\"size\":%zu,\"sizeInBytes\":%llu,\"numOfAddFiles\":%zu}",
                     (long long)s->version, count, (unsigned long long)bytes, adds);
    snprintf(key, sizeof key, "%s_delta_log/_last_checkpoint", t->root);
    return lake_backend_put(t->store, key, last, (size_t)n, err);
}
