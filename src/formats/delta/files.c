/* SPDX-License-Identifier: MIT */
/* Data files: a request's records become Parquet files under the table,
 * one file (or more, past the size target) per partition value, in
 * Hive-style folders as Spark lays them out. Partition columns live in the
 * folders and the add actions, not in the files (PROTOCOL.md, "Data
 * Files"). Files stream to the store as they are written; nothing is
 * visible to readers until a commit names them. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "error/error.h"
#include "formats/delta/delta.h"
#include "formats/delta/stats.h"
#include "parquet/writer.h"
#include "util/alloc.h"
#include "util/time.h"
#include "values/values.h"

/* Writers open at once, each with its row group buffered and an upload in
 * flight: past this, the least recently used one finishes its file. */
enum { MAX_OPEN = 64 };
enum {
    CHUNK = 16384,    /* records between checks of a file's size: one writer round (parquet/writer.c) */
    MIN_CHUNK = 1024, /* ... or as few as this when the file nears its target */
};

static const char NULL_FOLDER[] = "__HIVE_DEFAULT_PARTITION__";

typedef struct open_file {
    char *dir; /* "day=2024-01-02/" ..., "" unpartitioned */
    lake__delta_pair *values;
    lake_upload *upload;
    lake_parquet_writer *pw;
    char *path, *key; /* relative to the table; in the store */
    uint64_t *nest_nulls;
    uint64_t used; /* when it last took records, for the LRU choice */
} open_file;

typedef struct written_file {
    lake__delta_written pub;
    char *key;
} written_file;

struct lake__delta_files {
    lake__delta_table table;
    const lake_schema *schema;
    size_t *parts; /* the partition columns' indexes among the top-level ones */
    size_t part_count;
    bool *omit;
    char *name_tag;
    const char *extension; /* ".zstd", "" for uncompressed */
    lake_parquet_options popts;
    uint64_t file_bytes;
    lake__delta_nests nests;
    open_file open[MAX_OPEN];
    size_t open_count;
    written_file *files;
    lake__delta_written *list; /* what close hands out */
    size_t file_count, file_cap;
    unsigned counter;
    uint64_t tick, bytes_done;
    lake__buf scratch;
    bool failed;
};

/* ---- partition values */

/* The characters Hive and Spark escape in a folder name
 * (ExternalCatalogUtils.escapePathName); NUL too, which they leave alone
 * but no file name can hold. */
static bool hive_escaped(unsigned char c) {
    return c < 0x20 || c == 0x7F || (c && strchr("\"#%'*/:=?\\{[]^", c) != NULL);
}

static int hive_escape(lake__buf *out, const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (hive_escaped(c) ? lake__buf_printf(out, "%%%02X", c) : lake__buf_putc(out, (char)c)) return -1;
    }
    return 0;
}

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
static int folder(const lake__delta_files *f, const void *record, lake__buf *out, lake__buf *tmp) {
    for (size_t i = 0; i < f->part_count; i++) {
        const lake__column *c = &f->schema->columns[f->parts[i]];
        bool is_null;
        tmp->len = 0;
        if (hive_escape(out, c->pub.name, c->name_len) || lake__buf_putc(out, '=') ||
            partition_text(c, record, tmp, &is_null))
            return -1;
        if (is_null ? lake__buf_puts(out, NULL_FOLDER) : hive_escape(out, tmp->data, tmp->len)) return -1;
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

static lake__delta_pair *pairs_of(const lake__delta_files *f, const void *record) {
    lake__delta_pair *p = lake__calloc(f->part_count + 1, sizeof *p);
    lake__buf text = LAKE__BUF_INIT;
    bool ok = p != NULL;
    for (size_t i = 0; ok && i < f->part_count; i++) {
        const lake__column *c = &f->schema->columns[f->parts[i]];
        bool is_null;
        text.len = 0;
        ok = !partition_text(c, record, &text, &is_null) && !text.failed &&
             (p[i].key = lake__strndup(c->pub.name, c->name_len)) &&
             (is_null || (p[i].value = lake__strndup(text.data ? text.data : "", text.len)));
    }
    lake__buf_dispose(&text);
    if (!ok) free_pairs(p, f->part_count);
    return ok ? p : NULL;
}

/* ---- files */

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Ends an open file without keeping it. */
static void discard(const lake__delta_files *f, open_file *o) {
    lake_parquet_writer_free(o->pw);
    if (o->upload) lake_backend_put_abort(o->upload);
    free_pairs(o->values, f->part_count);
    lake__free(o->dir);
    lake__free(o->path);
    lake__free(o->key);
    lake__free(o->nest_nulls);
    memset(o, 0, sizeof *o);
}

static int oom(lake__delta_files *f, lake_error *err) {
    f->failed = true;
    return lake__error(err, LAKE_ENOMEM, "out of memory writing data files of %s", f->table.name);
}

/* Removes open file i from the open set (the last one takes its place). */
static void unlist(lake__delta_files *f, size_t i) {
    f->open[i] = f->open[--f->open_count];
    memset(&f->open[f->open_count], 0, sizeof f->open[0]);
}

/* Finishes open file i: footer, upload committed, its add action's fields kept. */
static int finish(lake__delta_files *f, size_t i, lake_error *err) {
    open_file *o = &f->open[i];
    int rc = lake_parquet_writer_close(o->pw, err);
    if (rc) goto fail;
    if (f->file_count == f->file_cap) {
        size_t cap = f->file_cap ? f->file_cap * 2 : 8;
        written_file *p = lake__realloc(f->files, f->file_cap * sizeof *p, cap * sizeof *p);
        if (!p) goto oom;
        f->files = p, f->file_cap = cap;
    }
    lake__leaf_summary *leaves;
    size_t leaf_count;
    if (lake__parquet_writer_summaries(o->pw, &leaves, &leaf_count)) goto oom;
    lake__buf stats = LAKE__BUF_INIT;
    uint64_t rows = lake_parquet_writer_rows(o->pw);
    int bad = lake__delta_stats_json(&stats, f->schema, f->omit, leaves, leaf_count, &f->nests, o->nest_nulls, rows);
    lake__leaf_summaries_free(leaves, leaf_count);
    if (bad) {
        lake__buf_dispose(&stats);
        goto oom;
    }
    lake_upload *upload = o->upload;
    o->upload = NULL; /* commit ends the upload whatever the outcome */
    if ((rc = lake_backend_put_commit(upload, err))) {
        lake__buf_dispose(&stats);
        goto fail;
    }
    written_file *w = &f->files[f->file_count++];
    memset(w, 0, sizeof *w);
    w->key = o->key, o->key = NULL;
    w->pub.path = o->path, o->path = NULL;
    w->pub.partition_values = o->values, o->values = NULL;
    w->pub.partition_count = f->part_count;
    w->pub.size = (int64_t)lake_parquet_writer_bytes(o->pw);
    w->pub.modification_time = now_ms();
    w->pub.stats = lake__buf_detach(&stats, NULL);
    w->pub.rows = rows;
    f->bytes_done += (uint64_t)w->pub.size;
    discard(f, o);
    unlist(f, i);
    return LAKE_OK;
oom:
    rc = lake__error(err, LAKE_ENOMEM, "out of memory finishing a data file of %s", f->table.name);
fail:
    f->failed = true;
    return rc;
}

/* Opens the next file in folder dir (the partition values of `record`). */
static int open_file_in(lake__delta_files *f, const char *dir, size_t dir_len, const void *record, size_t *slot,
                        lake_error *err) {
    if (f->open_count == MAX_OPEN) {
        size_t lru = 0;
        for (size_t i = 1; i < f->open_count; i++)
            if (f->open[i].used < f->open[lru].used) lru = i;
        int rc = finish(f, lru, err);
        if (rc) return rc;
    }
    open_file *o = &f->open[f->open_count];
    memset(o, 0, sizeof *o);
    lake__buf path = LAKE__BUF_INIT, key = LAKE__BUF_INIT;
    f->counter++;
    lake__buf_put(&path, dir, dir_len);
    lake__buf_printf(&path, "part-%05u-%s.c000%s.parquet", f->counter, f->name_tag, f->extension);
    lake__buf_printf(&key, "%s%s", f->table.root, path.data);
    o->dir = lake__strndup(dir, dir_len);
    o->path = lake__buf_detach(&path, NULL);
    o->key = lake__buf_detach(&key, NULL);
    o->nest_nulls = lake__calloc(f->nests.count + 1, sizeof *o->nest_nulls);
    o->values = f->part_count ? pairs_of(f, record) : NULL;
    if (!o->dir || !o->path || !o->key || !o->nest_nulls || (f->part_count && !o->values)) {
        discard(f, o);
        return oom(f, err);
    }
    lake_sink sink;
    int rc = lake_backend_put_begin(f->table.store, o->key, &o->upload, &sink, err);
    if (!rc) rc = lake__parquet_writer_open_except(&o->pw, f->schema, f->omit, &sink, &f->popts, err);
    if (rc) {
        discard(f, o);
        f->failed = true;
        return rc;
    }
    *slot = f->open_count++;
    return LAKE_OK;
}

/* Records to append before the next look at the file's size: a whole chunk,
 * or what should fill the file by its bytes per record so far (rows still
 * buffered count as written, so the guess errs long); a new file starts
 * with a small chunk, which gives the first guess when row groups are small. */
static size_t next_chunk(const lake__delta_files *f, const open_file *o, size_t left) {
    size_t n = left < CHUNK ? left : CHUNK;
    uint64_t rows = lake_parquet_writer_rows(o->pw), bytes = lake_parquet_writer_bytes(o->pw);
    if (!rows) n = MIN_CHUNK;
    else if (bytes > 4) { /* past the leading magic */
        uint64_t room = bytes < f->file_bytes ? (f->file_bytes - bytes) / (bytes / rows + 1) : 0;
        if (room < n) n = room < MIN_CHUNK ? MIN_CHUNK : (size_t)room;
    }
    return n < left ? n : left;
}

/* Appends records of one partition (dir), rolling to a new file past the size target. */
static int write_group(lake__delta_files *f, const char *dir, size_t dir_len, const unsigned char *records,
                       size_t count, lake_error *err) {
    size_t size = f->schema->record_size;
    for (size_t at = 0; at < count;) {
        size_t slot = f->open_count;
        for (size_t i = 0; i < f->open_count; i++)
            if (strlen(f->open[i].dir) == dir_len && memcmp(f->open[i].dir, dir, dir_len) == 0) slot = i;
        int rc = slot < f->open_count ? LAKE_OK : open_file_in(f, dir, dir_len, records + at * size, &slot, err);
        if (rc) return rc;
        open_file *o = &f->open[slot];
        o->used = ++f->tick;
        size_t n = next_chunk(f, o, count - at);
        /* Even a refused record fails the whole: earlier records of the batch are in. */
        if ((rc = lake_parquet_writer_append(o->pw, records + at * size, n, err))) {
            f->failed = true;
            return rc;
        }
        lake__delta_nests_count(&f->nests, records + at * size, n, size, o->nest_nulls);
        at += n;
        if (lake_parquet_writer_bytes(o->pw) >= f->file_bytes && (rc = finish(f, slot, err))) return rc;
    }
    return LAKE_OK;
}

static const char *extension_of(lake_codec codec) {
    switch (codec) {
    case LAKE_CODEC_SNAPPY: return ".snappy";
    case LAKE_CODEC_GZIP: return ".gz";
    case LAKE_CODEC_ZSTD: return ".zstd";
    default: return "";
    }
}

int lake__delta_files_open(const lake__delta_table *t, const lake__delta_files_spec *spec, lake__delta_files **out,
                           lake_error *err) {
    *out = NULL;
    const lake_schema *s = spec->schema;
    if (!spec->name_tag || !*spec->name_tag)
        return lake__error(err, LAKE_EINVAL, "data files of %s need a name tag", t->name);
    lake__delta_files *f = lake__calloc(1, sizeof *f);
    if (!f) return lake__error(err, LAKE_ENOMEM, "out of memory");
    f->table = *t;
    f->schema = s;
    int rc = LAKE_OK;
    if (!(f->parts = lake__calloc(spec->partition_count + 1, sizeof *f->parts)) ||
        !(f->omit = lake__calloc(s->column_count + 1, sizeof *f->omit)) ||
        !(f->name_tag = lake__strndup(spec->name_tag, strlen(spec->name_tag))))
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
    lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
    o.codec = spec->codec;
    o.row_group_bytes = (size_t)spec->row_group_bytes;
    o.uuid_as_string = true; /* Delta has no UUID type */
    o.ingest_id = spec->ingest_id;
    f->popts = o;
    if (spec->ingest_id && !(f->popts.ingest_id = lake__strndup(spec->ingest_id, strlen(spec->ingest_id)))) goto oom;
    f->extension = extension_of(spec->codec);
    f->file_bytes = spec->file_bytes ? spec->file_bytes : (uint64_t)128 << 20;
    if (lake__delta_nests_find(s, f->omit, &f->nests)) goto oom;
    *out = f;
    return LAKE_OK;
oom:
    rc = lake__error(err, LAKE_ENOMEM, "out of memory");
fail:
    lake__delta_files_free(f, false);
    return rc;
}

/* FNV-1a: the batch's folders, to group its records. */
static uint64_t hash(const char *s, size_t n) {
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

int lake__delta_files_add(lake__delta_files *f, const void *records, size_t count, lake_error *err) {
    if (f->failed) return lake__error(err, LAKE_EINVAL, "the data files of %s failed before", f->table.name);
    if (!count) return LAKE_OK;
    if (!f->part_count) return write_group(f, "", 0, records, count, err);
    /* Group the batch by folder, keeping each partition's records in order:
     * per record its folder (an offset into `dirs`) and the next record of its
     * group; one open-addressing table of groups. */
    size_t size = f->schema->record_size, cap = 16;
    while (cap < 2 * count) cap *= 2;
    size_t *start = lake__malloc((count + 1) * sizeof *start), *len = lake__malloc((count + 1) * sizeof *len);
    size_t *next = lake__malloc((count + 1) * sizeof *next), *table = lake__malloc(cap * sizeof *table);
    size_t *heads = lake__malloc((count + 1) * sizeof *heads), *tails = lake__malloc((count + 1) * sizeof *tails);
    size_t groups = 0;
    lake__buf dirs = LAKE__BUF_INIT, tmp = LAKE__BUF_INIT;
    int rc = LAKE_OK;
    if (!start || !len || !next || !table || !heads || !tails) goto oom;
    memset(table, 0xFF, cap * sizeof *table);
    const unsigned char *base = records;
    for (size_t r = 0; r < count; r++) {
        start[r] = dirs.len;
        if (folder(f, base + r * size, &dirs, &tmp)) goto oom;
        len[r] = dirs.len - start[r];
        next[r] = SIZE_MAX;
        size_t h = (size_t)hash(dirs.data + start[r], len[r]) & (cap - 1);
        for (;; h = (h + 1) & (cap - 1)) {
            size_t g = table[h];
            if (g == SIZE_MAX) {
                table[h] = groups;
                heads[groups] = tails[groups] = r;
                groups++;
                break;
            }
            size_t first = heads[g];
            if (len[first] == len[r] && memcmp(dirs.data + start[first], dirs.data + start[r], len[r]) == 0) {
                next[tails[g]] = r;
                tails[g] = r;
                dirs.len = start[r]; /* one copy of each folder is enough */
                start[r] = start[first];
                break;
            }
        }
    }
    if (groups == 1) { /* the common batch: one partition, already in order */
        rc = write_group(f, dirs.data, len[0], base, count, err);
        goto done;
    }
    for (size_t g = 0; g < groups && !rc; g++) {
        size_t n = 0;
        f->scratch.len = 0;
        for (size_t r = heads[g]; r != SIZE_MAX; r = next[r], n++)
            lake__buf_put(&f->scratch, base + r * size, size);
        if (f->scratch.failed) goto oom;
        rc = write_group(f, dirs.data + start[heads[g]], len[heads[g]], (const unsigned char *)f->scratch.data, n,
                         err);
    }
    goto done;
oom:
    rc = oom(f, err);
done:
    lake__free(start), lake__free(len), lake__free(next), lake__free(table), lake__free(heads), lake__free(tails);
    lake__buf_dispose(&dirs);
    lake__buf_dispose(&tmp);
    return rc;
}

int lake__delta_files_close(lake__delta_files *f, const lake__delta_written **written, size_t *count,
                            lake_error *err) {
    if (f->failed) return lake__error(err, LAKE_EINVAL, "the data files of %s failed before", f->table.name);
    while (f->open_count) {
        int rc = finish(f, 0, err);
        if (rc) return rc;
    }
    lake__free(f->list);
    if (!(f->list = lake__calloc(f->file_count + 1, sizeof *f->list))) return oom(f, err);
    for (size_t i = 0; i < f->file_count; i++) f->list[i] = f->files[i].pub;
    *written = f->list;
    *count = f->file_count;
    return LAKE_OK;
}

uint64_t lake__delta_files_bytes(const lake__delta_files *f) {
    uint64_t n = f->bytes_done;
    for (size_t i = 0; i < f->open_count; i++) n += lake_parquet_writer_bytes(f->open[i].pw);
    return n;
}

void lake__delta_files_free(lake__delta_files *f, bool delete_files) {
    if (!f) return;
    for (size_t i = 0; i < f->open_count; i++) discard(f, &f->open[i]);
    for (size_t i = 0; i < f->file_count; i++) {
        written_file *w = &f->files[i];
        /* The exact key as a prefix: data file names end in ".parquet", so no other object starts with one. */
        if (delete_files) lake_backend_delete_prefix(f->table.store, w->key, NULL, NULL);
        lake__free(w->key);
        lake__free(w->pub.path);
        lake__free(w->pub.stats);
        free_pairs(w->pub.partition_values, w->pub.partition_count);
    }
    lake__free(f->files);
    lake__free(f->list);
    lake__free(f->parts);
    lake__free(f->omit);
    lake__free(f->name_tag);
    lake__free((char *)f->popts.ingest_id);
    lake__delta_nests_free(&f->nests);
    lake__buf_dispose(&f->scratch);
    lake__free(f);
}
