/* SPDX-License-Identifier: MIT */
/* Data files of a table format, laid out by the format's hooks (files.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "error/error.h"
#include "formats/files.h"
#include "parquet/writer.h"
#include "util/alloc.h"
#include "util/time.h"

/* Writers open at once, each with its row group buffered and an upload in
 * flight: past this, the least recently used one finishes its file. */
enum { MAX_OPEN = 64 };
enum {
    CHUNK = 16384,    /* records between checks of a file's size: one writer round (parquet/writer.c) */
    MIN_CHUNK = 1024, /* ... or as few as this when the file nears its target */
};

typedef struct open_file {
    char *dir; /* "day=2024-01-02/" ..., "" unpartitioned */
    void *values;
    lake_upload *upload;
    lake_parquet_writer *pw;
    char *path, *key; /* relative to the root; in the store */
    uint64_t used;    /* when it last took records, for the LRU choice */
} open_file;

struct lake__files {
    lake__files_spec spec; /* its strings owned */
    lake__files_layout layout;
    bool *omit;
    const char *extension; /* ".zstd", "" for uncompressed */
    lake_parquet_options popts;
    open_file open[MAX_OPEN];
    size_t open_count;
    lake__file_written *files;
    size_t file_count, file_cap;
    unsigned counter;
    uint64_t tick, bytes_done;
    lake__buf scratch;
    bool failed;
};

/* ---- folders */

/* The characters Hive and Spark escape in a folder name; NUL too, which
 * they leave alone but no file name can hold. */
static bool hive_escaped(unsigned char c) {
    return c < 0x20 || c == 0x7F || (c && strchr("\"#%'*/:=?\\{[]^", c) != NULL);
}

int lake__files_escape(lake__buf *out, const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (hive_escaped(c) ? lake__buf_printf(out, "%%%02X", c) : lake__buf_putc(out, (char)c)) return -1;
    }
    return 0;
}

/* ---- files */

/* Ends an open file without keeping it. */
static void discard(const lake__files *f, open_file *o) {
    lake_parquet_writer_free(o->pw);
    if (o->upload) lake_backend_put_abort(o->upload);
    if (o->values && f->layout.values_free) f->layout.values_free(f->layout.ctx, o->values);
    lake__free(o->dir);
    lake__free(o->path);
    lake__free(o->key);
    memset(o, 0, sizeof *o);
}

static int oom(lake__files *f, lake_error *err) {
    f->failed = true;
    return lake__error(err, LAKE_ENOMEM, "out of memory writing data files of %s", f->spec.table);
}

/* Removes open file i from the open set (the last one takes its place). */
static void unlist(lake__files *f, size_t i) {
    f->open[i] = f->open[--f->open_count];
    memset(&f->open[f->open_count], 0, sizeof f->open[0]);
}

/* Finishes open file i: footer, upload committed, its description kept. */
static int finish(lake__files *f, size_t i, lake_error *err) {
    open_file *o = &f->open[i];
    int rc = lake_parquet_writer_close(o->pw, err);
    if (rc) goto fail;
    if (f->file_count == f->file_cap) {
        size_t cap = f->file_cap ? f->file_cap * 2 : 8;
        lake__file_written *p = lake__realloc(f->files, f->file_cap * sizeof *p, cap * sizeof *p);
        if (!p) goto oom;
        f->files = p, f->file_cap = cap;
    }
    uint64_t rows = lake_parquet_writer_rows(o->pw);
    if (f->layout.finish) {
        lake__leaf_summary *leaves;
        size_t leaf_count;
        if (lake__parquet_writer_summaries(o->pw, &leaves, &leaf_count)) goto oom;
        int bad = f->layout.finish(f->layout.ctx, o->values, leaves, leaf_count, rows);
        lake__leaf_summaries_free(leaves, leaf_count);
        if (bad) goto oom;
    }
    lake_upload *upload = o->upload;
    o->upload = NULL; /* commit ends the upload whatever the outcome */
    if ((rc = lake_backend_put_commit(upload, err))) goto fail;
    lake__file_written *w = &f->files[f->file_count++];
    *w = (lake__file_written){o->path, o->key, o->values, (int64_t)lake_parquet_writer_bytes(o->pw), lake__now_ms(), rows};
    o->path = o->key = NULL, o->values = NULL;
    f->bytes_done += (uint64_t)w->size;
    discard(f, o);
    unlist(f, i);
    return LAKE_OK;
oom:
    rc = lake__error(err, LAKE_ENOMEM, "out of memory finishing a data file of %s", f->spec.table);
fail:
    f->failed = true;
    return rc;
}

/* Opens the next file in folder dir (the partition values of `record`). */
static int open_file_in(lake__files *f, const char *dir, size_t dir_len, const void *record, size_t *slot,
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
    lake__buf_printf(&path, "part-%05u-%s.c000%s.parquet", f->counter, f->spec.name_tag, f->extension);
    lake__buf_printf(&key, "%s%s", f->spec.root, path.data);
    o->dir = lake__strndup(dir, dir_len);
    o->path = lake__buf_detach(&path, NULL);
    o->key = lake__buf_detach(&key, NULL);
    o->values = f->layout.values ? f->layout.values(f->layout.ctx, record) : NULL;
    if (!o->dir || !o->path || !o->key || (f->layout.values && !o->values)) {
        discard(f, o);
        return oom(f, err);
    }
    lake_sink sink;
    int rc = lake_backend_put_begin(f->spec.store, o->key, &o->upload, &sink, err);
    if (!rc) rc = lake__parquet_writer_open_except(&o->pw, f->spec.schema, f->omit, &sink, &f->popts, err);
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
static size_t next_chunk(const lake__files *f, const open_file *o, size_t left) {
    size_t n = left < CHUNK ? left : CHUNK;
    uint64_t rows = lake_parquet_writer_rows(o->pw), bytes = lake_parquet_writer_bytes(o->pw);
    if (!rows) n = MIN_CHUNK;
    else if (bytes > 4) { /* past the leading magic */
        uint64_t room = bytes < f->spec.file_bytes ? (f->spec.file_bytes - bytes) / (bytes / rows + 1) : 0;
        if (room < n) n = room < MIN_CHUNK ? MIN_CHUNK : (size_t)room;
    }
    return n < left ? n : left;
}

/* Appends records of one partition (dir), rolling to a new file past the size target. */
static int write_group(lake__files *f, const char *dir, size_t dir_len, const unsigned char *records,
                       size_t count, lake_error *err) {
    size_t size = f->spec.schema->record_size;
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
        if (f->layout.observe) f->layout.observe(f->layout.ctx, o->values, records + at * size, n);
        at += n;
        if (lake_parquet_writer_bytes(o->pw) >= f->spec.file_bytes && (rc = finish(f, slot, err))) return rc;
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

int lake__files_open(const lake__files_spec *spec, lake__files **out, lake_error *err) {
    *out = NULL;
    const lake_schema *s = spec->schema;
    if (!spec->name_tag || !*spec->name_tag)
        return lake__error(err, LAKE_EINVAL, "data files of %s need a name tag", spec->table);
    lake__files *f = lake__calloc(1, sizeof *f);
    if (!f) return lake__error(err, LAKE_ENOMEM, "out of memory");
    f->spec = *spec;
    f->spec.root = f->spec.table = f->spec.name_tag = f->spec.ingest_id = NULL;
    if (spec->layout) f->layout = *spec->layout;
    if (!(f->omit = lake__calloc(s->column_count + 1, sizeof *f->omit)) ||
        !(f->spec.root = lake__strndup(spec->root, strlen(spec->root))) ||
        !(f->spec.table = lake__strndup(spec->table, strlen(spec->table))) ||
        !(f->spec.name_tag = lake__strndup(spec->name_tag, strlen(spec->name_tag))) ||
        (spec->ingest_id && !(f->spec.ingest_id = lake__strndup(spec->ingest_id, strlen(spec->ingest_id))))) {
        lake__files_free(f, false);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    if (spec->omit) memcpy(f->omit, spec->omit, s->column_count * sizeof *f->omit);
    lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
    o.codec = spec->codec;
    o.row_group_bytes = (size_t)spec->row_group_bytes;
    o.uuid_as_string = spec->uuid_as_string;
    o.ingest_id = f->spec.ingest_id;
    o.threads = spec->threads;
    f->popts = o;
    f->extension = extension_of(spec->codec);
    if (!f->spec.file_bytes) f->spec.file_bytes = (uint64_t)128 << 20;
    *out = f;
    return LAKE_OK;
}

/* FNV-1a: the batch's folders, to group its records. */
static uint64_t hash(const char *s, size_t n) {
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

int lake__files_add(lake__files *f, const void *records, size_t count, lake_error *err) {
    if (f->failed) return lake__error(err, LAKE_EINVAL, "the data files of %s failed before", f->spec.table);
    if (!count) return LAKE_OK;
    if (!f->layout.folder) return write_group(f, "", 0, records, count, err);
    /* Group the batch by folder, keeping each partition's records in order:
     * per record its folder (an offset into `dirs`) and the next record of its
     * group; one open-addressing table of groups. */
    size_t size = f->spec.schema->record_size, cap = 16;
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
        if (f->layout.folder(f->layout.ctx, base + r * size, &dirs, &tmp) || dirs.failed || tmp.failed) goto oom;
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

int lake__files_close(lake__files *f, const lake__file_written **written, size_t *count, lake_error *err) {
    if (f->failed) return lake__error(err, LAKE_EINVAL, "the data files of %s failed before", f->spec.table);
    while (f->open_count) {
        int rc = finish(f, 0, err);
        if (rc) return rc;
    }
    *written = f->files;
    *count = f->file_count;
    return LAKE_OK;
}

uint64_t lake__files_bytes(const lake__files *f) {
    uint64_t n = f->bytes_done;
    for (size_t i = 0; i < f->open_count; i++) n += lake_parquet_writer_bytes(f->open[i].pw);
    return n;
}

void lake__files_free(lake__files *f, bool delete_files) {
    if (!f) return;
    for (size_t i = 0; i < f->open_count; i++) discard(f, &f->open[i]);
    for (size_t i = 0; i < f->file_count; i++) {
        lake__file_written *w = &f->files[i];
        /* The exact key as a prefix: data file names end in ".parquet", so no other object starts with one. */
        if (delete_files) lake_backend_delete_prefix(f->spec.store, w->key, NULL, NULL);
        lake__free((char *)w->key);
        lake__free((char *)w->path);
        if (w->values && f->layout.values_free) f->layout.values_free(f->layout.ctx, w->values);
    }
    lake__free(f->files);
    lake__free(f->omit);
    lake__free((char *)f->spec.root);
    lake__free((char *)f->spec.table);
    lake__free((char *)f->spec.name_tag);
    lake__free((char *)f->spec.ingest_id);
    lake__buf_dispose(&f->scratch);
    lake__free(f);
}
