/* SPDX-License-Identifier: MIT */
/* Delta's layout of data files (PROTOCOL.md, "Data Files"): partition
 * columns live in Hive-style folders and in the add actions, not in the
 * files; each file's statistics as Spark collects them. The writing itself
 * is the formats' shared writer (formats/files.c). */
#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "formats/delta/delta.h"
#include "formats/delta/stats.h"
#include "formats/files.h"
#include "util/alloc.h"
#include "util/time.h"
#include "values/values.h"

static const char NULL_FOLDER[] = "__HIVE_DEFAULT_PARTITION__";

struct lake__delta_files {
    const lake__delta_table *table;
    const lake_schema *schema;
    size_t *parts; /* the partition columns' indexes among the top-level ones */
    size_t part_count;
    bool *omit;
    lake__delta_nests nests;
    lake__files *files;
    lake__delta_written *list; /* what close hands out */
    size_t list_count;
};

/* What the layout keeps of each file. */
typedef struct file_values {
    lake__delta_pair *pairs;
    char *stats; /* once finished */
    uint64_t nest_nulls[];
} file_values;

/* ---- partition values */

static bool partitionable(lake_type t) {
    return t != LAKE_BYTES && !lake__type_is_composite(t);
}

/* A partition value as add.partitionValues holds it (PROTOCOL.md,
 * "Partition Value Serialization"), appended to out; *is_null when NULL. An
 * empty string is NULL there too: the protocol reads "" as null. */
static int partition_text(const lake__column *c, const void *record, lake__buf *out, bool *is_null) {
    *is_null = lake__is_null(c, record);
    if (*is_null) return 0;
    lake__value v;
    lake__value_get(c, record, &v);
    char text[LAKE__VALUE_TEXT_MAX];
    switch (c->pub.type) {
    case LAKE_STRING:
    case LAKE_JSON:
        *is_null = v.s.len == 0;
        return lake__buf_put(out, v.s.ptr, v.s.len);
    case LAKE_TIMESTAMP: {
        /* "2024-01-02 03:04:05.123456" in UTC, as delta-rs writes it: Spark reads it too */
        int64_t days = v.t / 86400000000 - (v.t % 86400000000 < 0), us = v.t - days * 86400000000;
        int64_t year;
        unsigned month, day;
        lake__civil_from_days(days, &year, &month, &day);
        return lake__buf_printf(out, "%04lld-%02u-%02u %02d:%02d:%02d.%06d", (long long)year, month, day,
                                (int)(us / 3600000000), (int)(us / 60000000 % 60), (int)(us / 1000000 % 60),
                                (int)(us % 1000000));
    }
    default: lake__value_text(c->pub.type, c->pub.scale, &v, text); return lake__buf_puts(out, text);
    }
}

/* The folder of a record's partition values: "a=1/b=__HIVE_DEFAULT_PARTITION__/". */
static int folder(void *ctx, const void *record, lake__buf *out, lake__buf *tmp) {
    const lake__delta_files *f = ctx;
    for (size_t i = 0; i < f->part_count; i++) {
        const lake__column *c = &f->schema->columns[f->parts[i]];
        bool is_null;
        tmp->len = 0;
        if (lake__files_escape(out, c->pub.name, c->name_len) || lake__buf_putc(out, '=') ||
            partition_text(c, record, tmp, &is_null))
            return -1;
        if (is_null ? lake__buf_puts(out, NULL_FOLDER) : lake__files_escape(out, tmp->data, tmp->len)) return -1;
        if (lake__buf_putc(out, '/')) return -1;
    }
    return out->failed || tmp->failed ? -1 : 0;
}

static void free_pairs(lake__delta_pair *p, size_t n) {
    for (size_t i = 0; p && i < n; i++) {
        lake__free((char *)p[i].key);
        lake__free((char *)p[i].value);
    }
    lake__free(p);
}

static void values_free(void *ctx, void *values) {
    const lake__delta_files *f = ctx;
    file_values *v = values;
    free_pairs(v->pairs, f->part_count);
    lake__free(v->stats);
    lake__free(v);
}

static void *values_of(void *ctx, const void *record) {
    const lake__delta_files *f = ctx;
    file_values *v = lake__calloc(1, sizeof *v + (f->nests.count + 1) * sizeof v->nest_nulls[0]);
    if (!v || !(v->pairs = lake__calloc(f->part_count + 1, sizeof *v->pairs))) {
        lake__free(v);
        return NULL;
    }
    lake__buf text = LAKE__BUF_INIT;
    bool ok = true;
    for (size_t i = 0; ok && i < f->part_count; i++) {
        const lake__column *c = &f->schema->columns[f->parts[i]];
        bool is_null;
        text.len = 0;
        ok = !partition_text(c, record, &text, &is_null) && !text.failed &&
             (v->pairs[i].key = lake__strndup(c->pub.name, c->name_len)) &&
             (is_null || (v->pairs[i].value = lake__strndup(text.data ? text.data : "", text.len)));
    }
    lake__buf_dispose(&text);
    if (!ok) {
        values_free(ctx, v);
        return NULL;
    }
    return v;
}

static void observe(void *ctx, void *values, const unsigned char *records, size_t count) {
    const lake__delta_files *f = ctx;
    file_values *v = values;
    lake__delta_nests_count(&f->nests, records, count, f->schema->record_size, v->nest_nulls);
}

static int finish(void *ctx, void *values, const lake__leaf_summary *leaves, size_t leaf_count, uint64_t rows) {
    const lake__delta_files *f = ctx;
    file_values *v = values;
    lake__buf stats = LAKE__BUF_INIT;
    if (lake__delta_stats_json(&stats, f->schema, f->omit, leaves, leaf_count, &f->nests, v->nest_nulls, rows)) {
        lake__buf_dispose(&stats);
        return -1;
    }
    v->stats = lake__buf_detach(&stats, NULL);
    return 0;
}

/* ---- the writer */

int lake__delta_files_open(const lake__delta_table *t, const lake__delta_files_spec *spec, lake__delta_files **out,
                           lake_error *err) {
    *out = NULL;
    const lake_schema *s = spec->schema;
    lake__delta_files *f = lake__calloc(1, sizeof *f);
    if (!f) return lake__error(err, LAKE_ENOMEM, "out of memory");
    f->table = t;
    f->schema = s;
    int rc = LAKE_OK;
    if (!(f->parts = lake__calloc(spec->partition_count + 1, sizeof *f->parts)) ||
        !(f->omit = lake__calloc(s->column_count + 1, sizeof *f->omit)))
        goto oom;
    for (size_t i = 0; i < spec->partition_count; i++) {
        size_t k = 0;
        while (k < s->column_count && strcmp(s->columns[k].pub.name, spec->partition_columns[i]) != 0) k++;
        if (k == s->column_count) {
            rc = lake__error(err, LAKE_EINVAL, "%s is partitioned by \"%s\", a column the model %s lacks", t->name,
                             spec->partition_columns[i], s->table);
            goto fail;
        }
        if (!partitionable(s->columns[k].pub.type)) {
            rc = lake__error(err, LAKE_ENOTSUP, "%s: a %s column (\"%s\") cannot be a partition column", t->name,
                             lake_type_name(s->columns[k].pub.type), s->columns[k].pub.name);
            goto fail;
        }
        f->parts[f->part_count++] = k;
        f->omit[k] = true;
    }
    if (lake__delta_nests_find(s, f->omit, &f->nests)) goto oom;
    lake__files_layout layout = {f->part_count ? folder : NULL, values_of, observe, finish, values_free, f};
    lake__files_spec fs = {t->store, t->root, t->name, s, f->omit, &layout, spec->ingest_id, spec->name_tag,
                           spec->codec, spec->row_group_bytes, spec->file_bytes, true /* Delta has no UUID type */,
                           spec->threads};
    if ((rc = lake__files_open(&fs, &f->files, err))) goto fail;
    *out = f;
    return LAKE_OK;
oom:
    rc = lake__error(err, LAKE_ENOMEM, "out of memory");
fail:
    lake__delta_files_free(f, false);
    return rc;
}

int lake__delta_files_add(lake__delta_files *f, const void *records, size_t count, lake_error *err) {
    return lake__files_add(f->files, records, count, err);
}

int lake__delta_files_close(lake__delta_files *f, const lake__delta_written **written, size_t *count,
                            lake_error *err) {
    const lake__file_written *files;
    size_t n;
    int rc = lake__files_close(f->files, &files, &n, err);
    if (rc) return rc;
    if (!f->list) {
        if (!(f->list = lake__calloc(n + 1, sizeof *f->list))) return lake__error(err, LAKE_ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++, f->list_count++) {
            const file_values *v = files[i].values;
            f->list[i] = (lake__delta_written){(char *)files[i].path, v->pairs, f->part_count, files[i].size,
                                               files[i].modification_time, v->stats, files[i].rows};
        }
    }
    *written = f->list;
    *count = f->list_count;
    return LAKE_OK;
}

uint64_t lake__delta_files_bytes(const lake__delta_files *f) { return lake__files_bytes(f->files); }

void lake__delta_files_free(lake__delta_files *f, bool delete_files) {
    if (!f) return;
    lake__files_free(f->files, delete_files);
    lake__free(f->list);
    lake__free(f->parts);
    lake__free(f->omit);
    lake__delta_nests_free(&f->nests);
    lake__free(f);
}
