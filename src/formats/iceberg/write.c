/* SPDX-License-Identifier: MIT */
/* A request's writes to an Iceberg table: data files as records arrive
 * (the shared writer, formats/files.c, laid out by the partition spec with
 * each file's statistics for its manifest entry), then one snapshot: a
 * manifest of the new files, the parent's manifests carried over (fast
 * append) or, for inserts that match rows by key, the manifests holding
 * rewritten files written again without them (copy-on-write, planned by
 * formats/rewrite.c), a manifest list, and the catalog's commit. A commit
 * that loses the race is made again over the winner: an append as it was,
 * a keyed request planned again. The idempotency key, ingest id and
 * fingerprint go in the snapshot summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm/ids.h>
#include <openssl/rand.h>

#include "backends/backend.h"
#include "error/error.h"
#include "formats/files.h"
#include "formats/iceberg/iceberg.h"
#include "formats/iceberg/stats.h"
#include "formats/rewrite.h"
#include "util/alloc.h"
#include "util/time.h"

enum { ATTEMPTS = 20, KEYS_MAX = 64, PARTS_MAX = 64 };

struct lake__format_write {
    lake__iceberg *ice;
    lake__iceberg_table_state *t;
    /* Where the request's data files go: the store of the table as first
     * loaded, taken over (owns_store) since a reload frees that state while
     * the files stay open on it. */
    lake_backend *store;
    bool owns_store;
    const lake_schema *model;
    int64_t read_sequence;  /* the table's last sequence number when the request began */
    lake__iceberg_fit fit;  /* the model renumbered by the table */
    lake_schema *extended;  /* fit.schema and its _ingest_id member: rows written anew */
    char ingest_id[64];
    lake__match_on on;
    lake_on_conflict on_conflict;
    char *key;
    const char *fingerprint;
    const char *keys[KEYS_MAX];
    size_t key_count;
    size_t parts[PARTS_MAX]; /* the partition columns, in spec order */
    size_t part_count;
    lake__files *files;      /* the request's rows */
    const lake__file_written *written;
    size_t written_count;
    lake__files *extra;      /* rows written anew by a plan */
    const lake__file_written *extra_written;
    size_t extra_count;
    lake__rewrite_plan plan;
    int64_t snapshot_id;
    uint64_t bytes;
    bool unknown; /* a commit's answer other than a lost race: it may have landed, so its files stay */
};

int64_t lake__iceberg_snapshot_id(void) {
    uint64_t v = 0;
    if (RAND_bytes((unsigned char *)&v, sizeof v) != 1) v = (uint64_t)lake__now_ms() * 2654435761u;
    v &= INT64_MAX;
    return v ? (int64_t)v : 1;
}

/* ---- the layout of data files: folders by partition value, and per file
 * its partition tuple and statistics for the manifest */

typedef struct file_values {
    lake_arena *arena; /* the partition values' bytes and the statistics */
    lake__iceberg_part parts[PARTS_MAX];
    lake__iceberg_data_file stats;
} file_values;

static const lake__column *part_column(const lake__format_write *w, size_t i) {
    return &w->fit.schema->columns[w->parts[i]];
}

static int part_text(lake__buf *out, const lake__iceberg_part *p, bool text) {
    switch (p->kind) {
    case LAKE__ICEBERG_PART_NULL: return lake__buf_puts(out, "null");
    case LAKE__ICEBERG_PART_LONG: return lake__buf_printf(out, "%lld", (long long)p->l);
    case LAKE__ICEBERG_PART_BOOL: return lake__buf_puts(out, p->l ? "true" : "false");
    case LAKE__ICEBERG_PART_DECIMAL: {
        unsigned char be[16];
        size_t n = lake__iceberg_decimal_bytes(p->dec, be);
        for (size_t i = 0; i < n; i++) lake__buf_printf(out, "%02x", be[i]);
        return out->failed;
    }
    case LAKE__ICEBERG_PART_BYTES:
        if (text) return lake__files_escape(out, (const char *)p->bytes, p->len);
        for (size_t i = 0; i < p->len; i++) lake__buf_printf(out, "%02x", p->bytes[i]);
        return out->failed;
    }
    return 0;
}

static int folder(void *ctx, const void *record, lake__buf *out, lake__buf *scratch) {
    const lake__format_write *w = ctx;
    (void)scratch;
    char name[32];
    for (size_t i = 0; i < w->part_count; i++) {
        const lake__column *c = part_column(w, i);
        lake__iceberg_part p;
        if (lake__iceberg_partition_value(c, record, &p)) return -1;
        bool text = c->pub.type == LAKE_STRING || c->pub.type == LAKE_JSON || c->pub.type == LAKE_SORTABLE_ID;
        if (lake__files_escape(out, c->pub.name, c->name_len)) return -1;
        const char *t = lake__iceberg_transform_name(c->pub.partition, c->pub.partition_param, name);
        if (strcmp(t, "identity") && (lake__buf_putc(out, '_') || lake__files_escape(out, t, strlen(t)))) return -1;
        if (lake__buf_putc(out, '=') || part_text(out, &p, text) || lake__buf_putc(out, '/')) return -1;
    }
    return out->failed ? -1 : 0;
}

static void values_free(void *ctx, void *values) {
    (void)ctx;
    file_values *v = values;
    lake_arena_free(v->arena);
    lake__free(v);
}

static void *values_of(void *ctx, const void *record) {
    const lake__format_write *w = ctx;
    file_values *v = lake__calloc(1, sizeof *v);
    if (!v || lake_arena_new(&v->arena)) {
        lake__free(v);
        return NULL;
    }
    for (size_t i = 0; i < w->part_count; i++) {
        lake__iceberg_part *p = &v->parts[i];
        if (lake__iceberg_partition_value(part_column(w, i), record, p)) goto fail;
        if (p->kind == LAKE__ICEBERG_PART_BYTES) { /* the record's bytes are the caller's: keep a copy */
            unsigned char *copy = lake__arena_alloc(v->arena, p->len ? p->len : 1, 1);
            if (!copy) goto fail;
            memcpy(copy, p->bytes, p->len);
            p->bytes = copy;
        }
    }
    return v;
fail:
    values_free(ctx, v);
    return NULL;
}

static int finish(void *ctx, void *values, const lake__leaf_summary *leaves, size_t leaf_count, uint64_t rows) {
    (void)ctx, (void)rows;
    file_values *v = values;
    return lake__iceberg_file_stats(leaves, leaf_count, v->arena, &v->stats, NULL) != LAKE_OK;
}

static int open_files(lake__format_write *w, const lake_schema *schema, const char *ingest_id, lake__files **out,
                      lake_error *err) {
    lake_uuid tag;
    char tag_text[LAKE_UUID_TEXT_LEN + 1], root[1100];
    if (lake_uuid7_new(&tag)) return lake__error(err, LAKE_ERROR, "no randomness for file names");
    lake_uuid_format(&tag, tag_text);
    snprintf(root, sizeof root, "%sdata/", w->t->root);
    lake__files_layout layout = {w->part_count ? folder : NULL, values_of, NULL, finish, values_free, w};
    lake__files_spec spec = {w->store, root, w->t->name, schema, NULL, &layout, ingest_id, tag_text,
                             w->ice->cfg.compression, w->ice->cfg.row_group_bytes, 0, false, w->ice->cfg.threads};
    return lake__files_open(&spec, out, err);
}

/* ---- beginning: the model must fit the table */

/* Each model column the table has with the same type; what the model
 * lacks optional (its rows get NULL) and, for a rewrite, nothing lacking. */
static int check_fit(const lake__format_write *w, bool rewrites, lake_error *err) {
    const lake__iceberg_table_state *t = w->t;
    if (w->fit.added_count || w->fit.nested_added)
        return lake__error(err, LAKE_EINVAL, "table %s lacks columns of the model: migrate first", t->name);
    lake_arena *arena;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__buf want = LAKE__BUF_INIT, have = LAKE__BUF_INIT;
    int rc = LAKE_OK;
    for (size_t i = 0; !rc && i < t->meta.field_count; i++) {
        const lake__iceberg_field *f = &t->meta.fields[i];
        const lake_column *c = lake_schema_find(w->fit.schema, f->name);
        if (!c) {
            if (!strcmp(f->name, "_ingest_id")) continue;
            if (f->required || rewrites)
                rc = lake__error(err, LAKE_EINVAL, "table %s has column %s, which the model lacks: %s", t->name, f->name,
                                 f->required ? "it is required, so rows without it cannot be written"
                                             : "rewriting files for this insert would lose its values");
            continue;
        }
        const lake__iceberg_field *m;
        want.len = have.len = 0;
        if (!(rc = lake__iceberg_model_field(c, arena, &m, err)) &&
            (lake__iceberg_type_text(&want, m) || lake__iceberg_type_text(&have, f)))
            rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        if (!rc && (want.len != have.len || memcmp(want.data, have.data, want.len)))
            rc = lake__error(err, LAKE_EINVAL, "column %s of table %s is %.*s, the model says %.*s: nothing written",
                             c->name, t->name, (int)have.len, have.data, (int)want.len, want.data);
        if (!rc && f->required && c->nullable)
            rc = lake__error(err, LAKE_EINVAL, "column %s of table %s is required, the model's is nullable: nothing "
                                               "written", c->name, t->name);
    }
    lake__buf_dispose(&want);
    lake__buf_dispose(&have);
    lake_arena_free(arena);
    return rc;
}

/* The table's partition spec must be the model's: the same source columns
 * under the same transforms, in order. */
static int check_spec(lake__format_write *w, lake_error *err) {
    const lake__iceberg_loaded *m = &w->t->meta;
    for (size_t i = 0; i < lake_schema_column_count(w->fit.schema); i++)
        if (lake_schema_column(w->fit.schema, i)->partition) {
            if (w->part_count == PARTS_MAX) return lake__error(err, LAKE_ENOTSUP, "more than %d partition columns", PARTS_MAX);
            w->parts[w->part_count++] = i;
        }
    bool same = m->spec_count == w->part_count;
    char name[32];
    for (size_t i = 0; same && i < w->part_count; i++) {
        const lake__column *c = part_column(w, i);
        same = m->spec[i].source_id == c->pub.field_id &&
               !strcmp(m->spec[i].transform, lake__iceberg_transform_name(c->pub.partition, c->pub.partition_param, name));
    }
    if (same) return LAKE_OK;
    lake__buf had = LAKE__BUF_INIT;
    for (size_t i = 0; i < m->spec_count; i++)
        lake__buf_printf(&had, "%s%s(field %d)", i ? ", " : "", m->spec[i].transform, (int)m->spec[i].source_id);
    int rc = lake__error(err, LAKE_ENOTSUP, "table %s is partitioned as [%s], which is not the model's partitioning: "
                                            "lakeorm writes tables partitioned as their model says",
                         w->t->name, had.data ? had.data : "");
    lake__buf_dispose(&had);
    return rc;
}

/* Loads the table (again) and fits the model to it. */
static int load(lake__format_write *w, const char *name, bool rewrites, lake_error *err) {
    lake__iceberg_table_free(w->t);
    lake__schema_extended_free(w->extended); /* it borrows the fit's nested schemas */
    lake__iceberg_fit_free(&w->fit);
    w->t = NULL, w->extended = NULL, w->part_count = 0, w->key_count = 0;
    int rc = lake__iceberg_load(w->ice, name, &w->t, err);
    if (!rc && !w->t->found)
        rc = lake__error(err, LAKE_ENOTFOUND, "table %s does not exist in the catalog: migrate first", name);
    if (!rc) rc = lake__iceberg_fit_model(w->t, w->model, &w->fit, err);
    if (!rc) rc = check_fit(w, rewrites, err);
    if (!rc) rc = check_spec(w, err);
    if (!rc) rc = lake__rewrite_keys(w->fit.schema, w->on, w->keys, KEYS_MAX, &w->key_count, err);
    if (!rc) rc = lake__schema_with_ingest_id(w->fit.schema, &w->extended, err);
    /* rewritten rows keep their own ingest ids, in the table's _ingest_id field */
    if (!rc) w->extended->columns[w->extended->column_count - 1].pub.field_id = w->fit.schema->ingest_field_id;
    return rc;
}

int lake__iceberg_write_begin(void *impl, const lake__format_write_spec *spec, lake__format_write **out,
                              lake_error *err) {
    *out = NULL;
    lake__format_write *w = lake__calloc(1, sizeof *w);
    if (!w) return lake__error(err, LAKE_ENOMEM, "out of memory");
    w->ice = impl;
    w->on = spec->on;
    w->on_conflict = spec->on_conflict;
    w->snapshot_id = lake__iceberg_snapshot_id();
    snprintf(w->ingest_id, sizeof w->ingest_id, "%s", spec->ingest_id);
    w->model = spec->schema;
    bool rewrites = w->on == LAKE__MATCH_MERGE_KEYS || (w->on == LAKE__MATCH_PRIMARY_KEY && w->on_conflict == LAKE_CONFLICT_UPDATE);
    int rc = spec->idempotency_key && !(w->key = lake__strndup(spec->idempotency_key, strlen(spec->idempotency_key)))
                 ? lake__error(err, LAKE_ENOMEM, "out of memory")
                 : load(w, lake_schema_table(spec->schema), rewrites, err);
    if (!rc) {
        w->read_sequence = w->t->meta.last_sequence_number;
        w->store = w->t->store, w->owns_store = w->t->owns_store;
        w->t->owns_store = false;
    }
    if (!rc) rc = open_files(w, w->fit.schema, w->ingest_id, &w->files, err);
    if (rc) {
        lake__iceberg_write_free(w);
        return rc;
    }
    *out = w;
    return LAKE_OK;
}

int lake__iceberg_write_add(lake__format_write *w, const void *records, size_t count, lake_error *err) {
    return lake__files_add(w->files, records, count, err);
}

uint64_t lake__iceberg_write_bytes(const lake__format_write *w) {
    return w->files ? lake__files_bytes(w->files) : w->bytes;
}

/* ---- the plan of a keyed request */

static int uris_of(const lake__format_write *w, const lake__file_written *files, size_t n, lake__buf *text,
                   const char ***out) {
    const char **uris = lake__calloc(n + 1, sizeof *uris);
    size_t *at = lake__calloc(n + 1, sizeof *at);
    lake__buf one = LAKE__BUF_INIT;
    for (size_t i = 0; uris && at && i < n; i++) {
        at[i] = text->len;
        if (lake__iceberg_uri_of(w->t->store, files[i].key, &one) || lake__buf_put(text, one.data, one.len) ||
            lake__buf_putc(text, 0))
            break;
    }
    lake__buf_dispose(&one);
    bool ok = uris && at && !text->failed;
    for (size_t i = 0; ok && i < n; i++) uris[i] = text->data + at[i];
    lake__free(at);
    if (!ok) {
        lake__free(uris);
        return -1;
    }
    *out = uris;
    return 0;
}

static int plan_scan(void *ctx, const size_t *indexes, size_t count, lake__buf *out, lake_error *err) {
    lake__format_write *w = ctx;
    if (indexes) return lake__iceberg_scan_sql(w->t, indexes, count, NULL, 0, out, err);
    lake__buf text = LAKE__BUF_INIT;
    const char **uris = NULL;
    int rc = uris_of(w, w->written, w->written_count, &text, &uris) ? lake__error(err, LAKE_ENOMEM, "out of memory")
                                                                     : lake__iceberg_scan_sql(w->t, NULL, 0, uris,
                                                                                              w->written_count, out, err);
    lake__free(uris);
    lake__buf_dispose(&text);
    return rc;
}

static int plan_write(void *ctx, const void *records, size_t count, lake_error *err) {
    lake__format_write *w = ctx;
    int rc = w->extra ? LAKE_OK : open_files(w, w->extended, NULL, &w->extra, err);
    return rc ? rc : lake__files_add(w->extra, records, count, err);
}

static void plan_free(lake__format_write *w, bool delete_files) {
    lake__rewrite_plan_free(&w->plan);
    lake__files_free(w->extra, delete_files);
    w->extra = NULL, w->extra_written = NULL, w->extra_count = 0;
}

/* ---- pruning by the manifests' bounds: a file whose bounds of a key
 * column do not overlap the request's cannot hold one of its keys */

typedef enum order { ORDER_NONE, ORDER_SIGNED_LE, ORDER_BYTES } order;

/* How a column's single-value bounds compare. */
static order order_of(lake_type t) {
    switch (t) {
    case LAKE_INT8: case LAKE_INT16: case LAKE_INT32: case LAKE_DATE: case LAKE_INT64: case LAKE_TIMESTAMP:
        return ORDER_SIGNED_LE;
    case LAKE_STRING: case LAKE_SORTABLE_ID: case LAKE_UUID: case LAKE_BYTES: return ORDER_BYTES;
    default: return ORDER_NONE;
    }
}

static int compare(order o, const unsigned char *a, size_t an, const unsigned char *b, size_t bn) {
    if (o == ORDER_SIGNED_LE) {
        int64_t x = 0, y = 0;
        for (size_t i = an; i-- > 0;) x = (int64_t)((uint64_t)x << 8 | a[i]);
        for (size_t i = bn; i-- > 0;) y = (int64_t)((uint64_t)y << 8 | b[i]);
        if (an && an < 8 && (a[an - 1] & 0x80)) x |= (int64_t)(~(uint64_t)0 << (8 * an)); /* sign-extended */
        if (bn && bn < 8 && (b[bn - 1] & 0x80)) y |= (int64_t)(~(uint64_t)0 << (8 * bn));
        return x < y ? -1 : x > y;
    }
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : an < bn ? -1 : an > bn;
}

/* A file's bound of field `id`, or NULL. */
static const unsigned char *bound(const lake__iceberg_data_file *f, int32_t id, bool upper, size_t *len) {
    for (size_t i = 0; i < f->column_count; i++)
        if (f->field_ids[i] == id) {
            *len = upper ? f->upper_lens[i] : f->lower_lens[i];
            return upper ? f->upper[i] : f->lower[i];
        }
    return NULL;
}

typedef struct key_range {
    int32_t id;
    order o;
    const unsigned char *lo, *hi; /* NULL: unbounded */
    size_t lo_len, hi_len;
} key_range;

/* The request's range of each key column, from its files' bounds. */
static void request_ranges(const lake__format_write *w, key_range *ranges) {
    for (size_t k = 0; k < w->key_count; k++) {
        const lake_column *c = lake_schema_find(w->fit.schema, w->keys[k]);
        key_range *r = &ranges[k];
        *r = (key_range){c ? c->field_id : -1, c ? order_of(c->type) : ORDER_NONE, NULL, NULL, 0, 0};
        bool open = r->o == ORDER_NONE || !w->written_count;
        for (size_t i = 0; !open && i < w->written_count; i++) {
            const lake__iceberg_data_file *f = &((const file_values *)w->written[i].values)->stats;
            size_t lo_len = 0, hi_len = 0;
            const unsigned char *lo = bound(f, r->id, false, &lo_len), *hi = bound(f, r->id, true, &hi_len);
            if (!lo || !hi) {
                open = true;
                break;
            }
            if (!r->lo || compare(r->o, lo, lo_len, r->lo, r->lo_len) < 0) r->lo = lo, r->lo_len = lo_len;
            if (!r->hi || compare(r->o, hi, hi_len, r->hi, r->hi_len) > 0) r->hi = hi, r->hi_len = hi_len;
        }
        if (open) r->o = ORDER_NONE;
    }
}

typedef struct pruning {
    lake__format_write *w;
    key_range ranges[KEYS_MAX];
} pruning;

static bool may_hold(void *ctx, size_t file) {
    const pruning *p = ctx;
    const lake__iceberg_data_file *f = &p->w->t->files[file];
    for (size_t k = 0; k < p->w->key_count; k++) {
        const key_range *r = &p->ranges[k];
        if (r->o == ORDER_NONE) continue;
        size_t lo_len = 0, hi_len = 0;
        const unsigned char *lo = bound(f, r->id, false, &lo_len), *hi = bound(f, r->id, true, &hi_len);
        if ((lo && compare(r->o, lo, lo_len, r->hi, r->hi_len) > 0) || (hi && compare(r->o, hi, hi_len, r->lo, r->lo_len) < 0))
            return false;
    }
    return true;
}

/* The plan's hooks take the write; may_hold its ranges too. */
static int pruned_scan(void *ctx, const size_t *indexes, size_t count, lake__buf *out, lake_error *err) {
    return plan_scan(((pruning *)ctx)->w, indexes, count, out, err);
}

static int pruned_write(void *ctx, const void *records, size_t count, lake_error *err) {
    return plan_write(((pruning *)ctx)->w, records, count, err);
}

static int plan(lake__format_write *w, lake_error *err) {
    if (!w->key_count) return LAKE_OK; /* a blind append */
    int rc = lake__iceberg_list(w->t, err);
    if (rc) return rc;
    pruning p = {.w = w};
    request_ranges(w, p.ranges);
    lake__rewrite_request r = {&w->ice->cfg.engine, w->t->name, w->extended, w->keys, w->key_count, w->on,
                               w->on_conflict, w->t->file_count, pruned_scan, may_hold, pruned_write, &p};
    rc = lake__rewrite_plan_make(&r, &w->plan, err);
    if (!rc && w->extra) rc = lake__files_close(w->extra, &w->extra_written, &w->extra_count, err);
    return rc;
}

/* ---- the snapshot */

/* Stores bytes at a fresh key under the table's metadata folder; its URI into uri. */
static int put_metadata(lake__format_write *w, const char *name, const lake__buf *bytes, lake__buf *uri,
                        lake_error *err) {
    lake__buf key = LAKE__BUF_INIT;
    lake__buf_printf(&key, "%smetadata/%s", w->t->root, name);
    int rc = key.failed || bytes->failed ? lake__error(err, LAKE_ENOMEM, "out of memory")
                                         : lake_backend_put_if_absent(w->t->store, key.data, bytes->data,
                                                                      bytes->len, err);
    if (!rc && (lake__iceberg_uri_of(w->t->store, key.data, uri) || lake__buf_putc(uri, 0)))
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!rc) uri->len--;
    lake__buf_dispose(&key);
    return rc;
}

static void drop_uri(lake__format_write *w, const char *uri) {
    lake__buf key = LAKE__BUF_INIT;
    if (uri && !lake__iceberg_key_of(w->t->store, uri, &key, NULL))
        lake_backend_delete_prefix(w->t->store, key.data, NULL, NULL);
    lake__buf_dispose(&key);
}

static void unique_name(char *out, size_t cap, const char *prefix, const char *suffix) {
    lake_uuid id;
    char text[LAKE_UUID_TEXT_LEN + 1] = "0";
    if (!lake_uuid7_new(&id)) lake_uuid_format(&id, text);
    snprintf(out, cap, "%s%s%s", prefix, text, suffix);
}

typedef struct tally {
    uint64_t files, records, bytes;
} tally;

/* The manifest entries of written files. */
static int entries_of(const lake__format_write *w, const lake__file_written *files, size_t n,
                      lake__iceberg_data_file *out, const char **uris, tally *added) {
    for (size_t i = 0; i < n; i++) {
        const file_values *v = files[i].values;
        out[i] = v->stats;
        out[i].path = uris[i];
        out[i].records = (int64_t)files[i].rows;
        out[i].size = files[i].size;
        out[i].partition = v->parts;
        out[i].existing = false;
        added->files++, added->records += files[i].rows, added->bytes += (uint64_t)files[i].size;
    }
    (void)w;
    return 0;
}

/* Writes a manifest of entries; its list entry into *m. */
static int write_manifest(lake__format_write *w, const lake__iceberg_data_file *entries, size_t n, int64_t sequence,
                          int32_t spec_id, lake__buf *uri, lake__iceberg_manifest *m, lake_error *err) {
    lake__buf bytes = LAKE__BUF_INIT;
    lake_sink sink = lake__buf_sink(&bytes);
    char name[128];
    unique_name(name, sizeof name, "", "-m0.avro");
    int rc = lake__iceberg_manifest_write(w->fit.schema, w->snapshot_id, entries, n, &sink, err);
    if (!rc) rc = put_metadata(w, name, &bytes, uri, err);
    if (!rc) {
        memset(m, 0, sizeof *m);
        m->path = uri->data, m->length = (int64_t)bytes.len, m->spec_id = spec_id, m->content = 0;
        m->sequence_number = sequence, m->min_sequence_number = sequence, m->added_snapshot_id = w->snapshot_id;
        lake__iceberg_part_summary *sums;
        if (lake__iceberg_partition_summaries(w->fit.schema, entries, n, w->t->arena, &sums, &m->partition_count))
            rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        m->partitions = sums;
        for (size_t i = 0; i < n; i++) {
            if (entries[i].existing) {
                m->existing_files++, m->existing_rows += entries[i].records;
                if (entries[i].sequence_number < m->min_sequence_number) m->min_sequence_number = entries[i].sequence_number;
            } else {
                m->added_files++, m->added_rows += entries[i].records;
            }
        }
    }
    lake__buf_dispose(&bytes);
    return rc;
}

static bool removed_file(const lake__format_write *w, size_t file) {
    for (size_t k = 0; k < w->plan.removed_count; k++)
        if (w->plan.removed[k] == file) return true;
    return false;
}

/* What one attempt wrote under metadata/, removed if it is not committed. */
typedef struct attempt_files {
    lake__buf uris[3 + 256]; /* added manifest, list, spare, rewritten manifests */
    size_t count;
} attempt_files;

static lake__buf *next_uri(attempt_files *a) {
    if (a->count == sizeof a->uris / sizeof *a->uris) return NULL;
    lake__buf *b = &a->uris[a->count++];
    *b = (lake__buf)LAKE__BUF_INIT;
    return b;
}

static void attempt_dispose(lake__format_write *w, attempt_files *a, bool drop) {
    for (size_t i = 0; i < a->count; i++) {
        if (drop) drop_uri(w, a->uris[i].data);
        lake__buf_dispose(&a->uris[i]);
    }
    a->count = 0;
}

static int commit_once(lake__format_write *w, attempt_files *a, tally *added, tally *removed, lake_error *err) {
    lake__iceberg_table_state *t = w->t;
    const lake__iceberg_loaded *meta = &t->meta;
    int64_t sequence = meta->last_sequence_number + 1;
    *added = (tally){0, 0, 0}, *removed = (tally){0, 0, 0};
    /* the parent's manifests: all carried (fast append), or those holding removed files written again */
    int rc = w->plan.removed_count ? lake__iceberg_list(t, err) : LAKE_OK;
    lake__iceberg_manifest *carried = NULL;
    size_t carried_count = 0;
    if (!rc && !w->plan.removed_count && meta->current_manifest_list && !t->listed) {
        char *bytes = NULL;
        size_t len = 0;
        rc = lake__iceberg_read_uri(t, meta->current_manifest_list, &bytes, &len, err);
        void *kept = !rc ? lake__arena_alloc(t->arena, len ? len : 1, 16) : NULL;
        if (!rc && !kept) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        if (!rc) memcpy(kept, bytes, len), rc = lake__iceberg_manifest_list_read(kept, len, t->arena, &t->manifests, &t->manifest_count, err);
        lake__free(bytes);
    }
    size_t manifests = t->manifest_count;
    lake__iceberg_manifest *list = rc ? NULL : lake__calloc(manifests + 2, sizeof *list);
    if (!rc && !list) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t m = 0; !rc && m < manifests; m++) {
        bool touched = false;
        for (size_t f = 0; f < t->file_count && !touched; f++) touched = t->file_manifest[f] == m && removed_file(w, f);
        if (!touched) {
            list[carried_count++] = t->manifests[m];
            continue;
        }
        /* this manifest's live files but the removed ones, as existing entries */
        lake__iceberg_data_file *kept = lake__calloc(t->file_count + 1, sizeof *kept);
        size_t n = 0;
        if (!kept) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        for (size_t f = 0; !rc && f < t->file_count; f++) {
            if (t->file_manifest[f] != m) continue;
            if (removed_file(w, f)) {
                removed->files++, removed->records += (uint64_t)t->files[f].records, removed->bytes += (uint64_t)t->files[f].size;
                continue;
            }
            kept[n++] = t->files[f];
        }
        lake__buf *uri = next_uri(a);
        if (!rc && !uri) rc = lake__error(err, LAKE_ENOTSUP, "a rewrite touches more than 256 manifests");
        if (!rc && n) rc = write_manifest(w, kept, n, sequence, t->manifests[m].spec_id, uri, &list[carried_count++], err);
        lake__free(kept);
    }
    carried = list;
    /* the new files */
    size_t n_new = (w->plan.replace_request ? 0 : w->written_count) + w->extra_count;
    lake__iceberg_data_file *entries = !rc ? lake__calloc(n_new + 1, sizeof *entries) : NULL;
    lake__buf names = LAKE__BUF_INIT, extra_names = LAKE__BUF_INIT;
    const char **uris = NULL, **extra_uris = NULL;
    if (!rc && !entries) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    size_t at = 0;
    if (!rc && !w->plan.replace_request && w->written_count) {
        if (uris_of(w, w->written, w->written_count, &names, &uris)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        else entries_of(w, w->written, w->written_count, entries, uris, added), at = w->written_count;
    }
    if (!rc && w->extra_count) {
        if (uris_of(w, w->extra_written, w->extra_count, &extra_names, &extra_uris)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        else entries_of(w, w->extra_written, w->extra_count, entries + at, extra_uris, added);
    }
    if (!rc && n_new) {
        lake__buf *uri = next_uri(a);
        rc = uri ? write_manifest(w, entries, n_new, sequence, meta->default_spec_id, uri, &carried[carried_count++], err)
                 : lake__error(err, LAKE_ENOTSUP, "a rewrite touches more than 256 manifests");
    }
    /* the manifest list and the snapshot */
    lake__buf list_bytes = LAKE__BUF_INIT;
    lake__buf *list_uri = !rc ? next_uri(a) : NULL;
    if (!rc && !list_uri) rc = lake__error(err, LAKE_ENOTSUP, "a rewrite touches more than 256 manifests");
    if (!rc) {
        lake_sink sink = lake__buf_sink(&list_bytes);
        char name[160], prefix[64];
        snprintf(prefix, sizeof prefix, "snap-%lld-1-", (long long)w->snapshot_id);
        unique_name(name, sizeof name, prefix, ".avro");
        rc = lake__iceberg_manifest_list_write(w->snapshot_id, meta->current_snapshot_id, sequence, carried, carried_count,
                                               &sink, err);
        if (!rc) rc = put_metadata(w, name, &list_bytes, list_uri, err);
    }
    if (!rc) {
        char numbers[6][24];
        snprintf(numbers[0], 24, "%llu", (unsigned long long)added->files);
        snprintf(numbers[1], 24, "%llu", (unsigned long long)added->records);
        snprintf(numbers[2], 24, "%llu", (unsigned long long)added->bytes);
        snprintf(numbers[3], 24, "%llu", (unsigned long long)removed->files);
        snprintf(numbers[4], 24, "%llu", (unsigned long long)removed->records);
        snprintf(numbers[5], 24, "%llu", (unsigned long long)removed->bytes);
        const char *summary[26] = {"added-data-files", numbers[0], "added-records", numbers[1], "added-files-size",
                                   numbers[2]};
        size_t pairs = 3;
        if (removed->files) {
            const char *more[] = {"deleted-data-files", numbers[3], "deleted-records", numbers[4], "removed-files-size",
                                  numbers[5]};
            memcpy(summary + 2 * pairs, more, sizeof more), pairs += 3;
        }
        summary[2 * pairs] = LAKE__ICEBERG_KEY_INGEST, summary[2 * pairs + 1] = w->ingest_id, pairs++;
        summary[2 * pairs] = LAKE__ICEBERG_KEY_TABLE, summary[2 * pairs + 1] = w->t->name, pairs++;
        if (w->key) {
            summary[2 * pairs] = LAKE__ICEBERG_KEY_IDEMPOTENCY, summary[2 * pairs + 1] = w->key, pairs++;
            if (w->fingerprint)
                summary[2 * pairs] = LAKE__ICEBERG_KEY_FINGERPRINT, summary[2 * pairs + 1] = w->fingerprint, pairs++;
        }
        lake__iceberg_snapshot s = {w->snapshot_id, meta->current_snapshot_id, sequence, lake__now_ms(), list_uri->data,
                                    removed->files ? "overwrite" : "append", summary, pairs, meta->current_schema_id};
        lake__iceberg_update u = {.snapshot = &s};
        lake__buf location = LAKE__BUF_INIT, json = LAKE__BUF_INIT;
        rc = w->ice->catalog->commit(w->ice->catalog_impl, w->ice->ns, t->name, t->location.data, t->json.data,
                                     t->json.len, &u, &location, &json, err);
        /* Only a refusal (another commit came first) says for sure that this
         * one did not land: after a lost answer (a REST server's 5xx, a broken
         * connection) the table may name these files, and vacuum, which
         * reads what the table names, is what may delete them. */
        if (rc && rc != LAKE_ECONFLICT) w->unknown = true;
        lake__buf_dispose(&location);
        lake__buf_dispose(&json);
    }
    lake__buf_dispose(&list_bytes);
    lake__buf_dispose(&names);
    lake__buf_dispose(&extra_names);
    lake__free(uris);
    lake__free(extra_uris);
    lake__free(entries);
    lake__free(list);
    return rc;
}

/* Whether a snapshot after the table this request read recorded its key. */
static bool key_taken(const lake__format_write *w) {
    const lake__iceberg_loaded *m = &w->t->meta;
    for (size_t i = 0; w->key && i < m->snapshot_count; i++)
        if (m->snapshots[i].sequence_number > w->read_sequence && m->snapshots[i].idempotency_key &&
            !strcmp(m->snapshots[i].idempotency_key, w->key))
            return true;
    return false;
}

static void log_retry(const lake__format_write *w, unsigned attempt, const lake_error *why) {
    const lake__format_config *cfg = &w->ice->cfg;
    if (!cfg->log || cfg->log_level > LAKE_LOG_INFO) return;
    char n[16];
    snprintf(n, sizeof n, "%u", attempt);
    lake_log_field fields[] = {{"table", w->t->name, LAKE_LOG_TEXT},
                               {"attempt", n, LAKE_LOG_INTEGER},
                               {"reason", why ? why->message : "", LAKE_LOG_TEXT}};
    cfg->log(cfg->log_ctx, LAKE_LOG_INFO, "iceberg.commit_retry", fields, sizeof fields / sizeof *fields);
}

int lake__iceberg_write_commit(lake__format_write *w, const char *fingerprint, lake__format_outcome *out,
                               lake_error *err) {
    out->matched = 0, out->version = -1;
    w->fingerprint = fingerprint;
    int rc = lake__files_close(w->files, &w->written, &w->written_count, err);
    w->bytes = lake__files_bytes(w->files);
    bool rewrites = w->on == LAKE__MATCH_MERGE_KEYS || (w->on == LAKE__MATCH_PRIMARY_KEY && w->on_conflict == LAKE_CONFLICT_UPDATE);
    for (unsigned attempt = 0; !rc; attempt++) {
        if ((rc = plan(w, err))) break;
        bool adds = (!w->plan.replace_request && w->written_count) || w->extra_count || w->plan.removed_count;
        if (!adds && !w->key) break; /* nothing to record */
        attempt_files a = {.count = 0};
        tally added, removed;
        rc = commit_once(w, &a, &added, &removed, err);
        attempt_dispose(w, &a, rc != LAKE_OK && !w->unknown);
        if (!rc) {
            out->version = w->snapshot_id;
            break;
        }
        if (rc != LAKE_ECONFLICT || attempt + 1 == ATTEMPTS) break;
        /* Another commit came first: over the newest metadata, as an append, or planned again. */
        log_retry(w, attempt + 1, err);
        if (err) lake_error_clear(err);
        plan_free(w, true);
        struct timespec pause = {0, (long)(1 + rand() % (attempt < 8 ? 1 << attempt : 256)) * 1000000};
        nanosleep(&pause, NULL);
        if ((rc = load(w, lake_schema_table(w->model), rewrites, err))) break; /* not w->t->name: load frees w->t */
        if (key_taken(w))
            rc = lake__error(err, LAKE_ECONFLICT, "a concurrent request with idempotency key \"%.300s\" committed to "
                                                  "table %s first", w->key, w->t->name);
    }
    if (rc) return rc;
    out->matched = w->plan.matched;
    if (out->version >= 0) {
        lake__files_free(w->files, w->plan.replace_request); /* the request's own rows, replaced: never committed */
        w->files = NULL;
        lake__files_free(w->extra, false);
        w->extra = NULL;
        lake__rewrite_plan_free(&w->plan);
    }
    return LAKE_OK;
}

void lake__iceberg_write_free(lake__format_write *w) {
    if (!w) return;
    /* Whatever was not committed goes: a failed request leaves the table as
     * it was. A commit whose fate is unknown keeps its files (see commit_once). */
    plan_free(w, !w->unknown);
    if (w->files) lake__files_free(w->files, !w->unknown);
    lake__iceberg_table_free(w->t);
    if (w->owns_store) lake_backend_free(w->store);
    lake__schema_extended_free(w->extended);
    lake__iceberg_fit_free(&w->fit);
    lake__free(w->key);
    lake__free(w);
}
