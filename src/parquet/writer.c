/* SPDX-License-Identifier: MIT */
/* The public streaming writer: slices of records go through every leaf
 * column; a row group is written out whenever the buffered data passes the
 * target, so memory stays bounded whatever the input size. Leaves are
 * independent until the row group is written, so a large append shares them
 * out among a few threads (util/workers.h), each with its own scratch, and
 * so does the sealing of a row group (its last pages, its dictionary pages).
 * With more than one thread a full page is compressed by a task of the next
 * round (column.h, `deferred`), and a sealed row group waits in the outbox and goes
 * to the sink a piece per round, on the caller's thread while the helpers
 * encode the next one: at most two row groups are held, the one being
 * written and the one being encoded. */
#include <lakeorm/parquet.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "parquet/footer.h"
#include "parquet/shred.h"
#include "parquet/writer.h"
#include "util/alloc.h"
#include "util/version.h"
#include "util/workers.h"

enum {
    SLICE = 1024,           /* records per pass over a column: a slice stays in cache */
    SHARED_SLICES = 16,     /* slices per round when threads share the columns out */
    MIN_SHARED = 4 * SLICE, /* fewer records than this are not worth waking a thread for */
};
/* Bytes of the outbox the caller hands to the sink per round: a round of
 * encoding takes a few milliseconds, and so does a write this size to a
 * file, so neither side waits long for the other. */
#define OUTBOX_PIECE ((size_t)1 << 20)

/* One round of records through every leaf, on thread `worker`'s scratch:
 * task i < leaf_count encodes leaf i; task leaf_count + k compresses the
 * pages that leaf w->staged[k] filled in the round before, and may go on
 * after the round's append returns (lake__workers_run_ahead). */
typedef struct encode_round {
    struct lake_parquet_writer *w;
    const unsigned char *records;
    size_t count, staged_count;
} encode_round;

struct lake_parquet_writer {
    const lake_schema *schema;
    bool *omit; /* top-level columns left out, or NULL */
    lake_sink sink;
    lake_parquet_options opts;
    lake__leaf *leaves;
    size_t leaf_count;
    size_t *checked; /* top-level columns that can hold a NULL the schema refuses */
    size_t checked_count;
    lake__column_writer *columns;
    lake__page_scratch *scratch; /* one per thread; [0] is the caller's */
    unsigned threads;            /* at most, the caller's included */
    int *leaf_rc;                /* each leaf's outcome in a round: its encoding, then its compression */
    size_t *staged;              /* the leaves whose staged pages a round compresses */
    lake__row_group *groups;
    size_t group_count, group_cap;
    /* offset: bytes of the file so far, handed to the sink or in the outbox */
    uint64_t offset, rows, group_rows;
    /* More than one thread: the last sealed row group's bytes, per leaf its
     * dictionary page then its data pages, waiting for the sink from
     * outbox[out_at] + out_off on. NULL: row groups go to the sink at once. */
    lake__buf *outbox;
    size_t out_at, out_off;
    int out_rc; /* the sink's answer to the last piece */
    encode_round round;          /* the last round, whose compression may still run */
    lake__workers_round ahead;
    char *ingest_id;
    int32_t ingest_field_id;
    char **kv; /* owned key, value, ... */
    size_t kv_pairs;
    lake_error *err; /* of the call in progress, for the sink */
    int state;       /* 0 open, 1 closed, -1 failed */
};

/* Hands bytes to the sink; the caller counts them into w->offset. */
static int emit(lake_parquet_writer *w, const void *data, size_t len) {
    return len ? w->sink.write(w->sink.ctx, data, len, w->err) : LAKE_OK;
}

/* Hands the outbox's bytes to the sink in order, at most `budget` of them. */
static int drain(lake_parquet_writer *w, size_t budget) {
    for (size_t end = 2 * w->leaf_count; w->outbox && w->out_at < end && budget;) {
        lake__buf *b = &w->outbox[w->out_at];
        if (w->out_off < b->len) { /* an empty buffer may have no bytes at all (data NULL) */
            size_t n = b->len - w->out_off < budget ? b->len - w->out_off : budget;
            int rc = emit(w, b->data + w->out_off, n);
            if (rc) return rc;
            w->out_off += n;
            budget -= n;
        }
        if (w->out_off == b->len) b->len = 0, w->out_off = 0, w->out_at++;
    }
    return LAKE_OK;
}

/* The side job of an encoding round (lake__workers_run_beside). */
static void drain_piece(void *ctx) {
    lake_parquet_writer *w = ctx;
    w->out_rc = drain(w, OUTBOX_PIECE);
}

static int fail(lake_parquet_writer *w, int rc, lake_error *err, const char *what) {
    w->state = -1;
    if (rc == LAKE_ENOMEM) return lake__error(err, rc, "out of memory writing Parquet (%s)", what);
    if (err && err->code == rc) return rc; /* the sink explained itself */
    return lake__error(err, rc, "writing Parquet failed (%s)", what);
}

static int add_kv(lake_parquet_writer *w, const char *key, const char *value, size_t cap) {
    if (w->kv_pairs == cap) return LAKE_ENOMEM;
    char *k = lake__strndup(key, strlen(key)), *v = lake__strndup(value, strlen(value));
    w->kv[2 * w->kv_pairs] = k;
    w->kv[2 * w->kv_pairs + 1] = v;
    w->kv_pairs++;
    return k && v ? LAKE_OK : LAKE_ENOMEM;
}

int lake_parquet_writer_open(lake_parquet_writer **out, const lake_schema *schema, const lake_sink *sink,
                             const lake_parquet_options *opts, lake_error *err) {
    return lake__parquet_writer_open_except(out, schema, NULL, sink, opts, err);
}

int lake__parquet_writer_open_except(lake_parquet_writer **out, const lake_schema *schema, const bool *omit,
                                     const lake_sink *sink, const lake_parquet_options *opts, lake_error *err) {
    if (!out || !schema || !sink || !sink->write)
        return lake__error(err, LAKE_EINVAL, "lake_parquet_writer_open: out, schema and sink are required");
    *out = NULL;
    lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
    if (opts) {
        int rc = LAKE__VERSION_CHECK(opts, lake_parquet_options, LAKE_PARQUET_OPTIONS, err);
        if (rc) return rc;
        memcpy(&o, opts, lake__parquet_options_size(opts->version)); /* a version 1 struct ends before threads */
    }
    if (!o.row_group_bytes) o.row_group_bytes = (size_t)128 << 20;
    if (!o.page_bytes) o.page_bytes = (size_t)1 << 20;
    if (!o.dictionary_bytes) o.dictionary_bytes = (size_t)1 << 20;

    if (o.ingest_id) {
        int rc = lake__schema_check_writable(schema, err);
        if (rc) return rc;
    }
    lake_parquet_writer *w = lake__calloc(1, sizeof *w);
    if (!w) return lake__error(err, LAKE_ENOMEM, "out of memory opening a Parquet writer");
    w->schema = schema;
    w->sink = *sink;
    w->opts = o;
    int rc = LAKE_ENOMEM;
    w->threads = o.threads ? o.threads : lake__workers_default();
    if (w->threads > LAKE__WORKERS_MAX) w->threads = LAKE__WORKERS_MAX;
    if (!(w->scratch = lake__calloc(w->threads, sizeof *w->scratch))) goto oom;
    for (unsigned t = 0; t < w->threads; t++)
        if (lake__codec_init(&w->scratch[t].codec, o.codec, o.level)) {
            rc = lake__error(err, LAKE_EINVAL, "unsupported codec %d at level %d", (int)o.codec, o.level);
            goto fail;
        }
    if (omit) {
        if (!(w->omit = lake__calloc(schema->column_count + 1, sizeof *w->omit))) goto oom;
        memcpy(w->omit, omit, schema->column_count * sizeof *omit);
    }
    w->leaves = lake__leaves_except(schema, w->omit, o.uuid_as_string, o.ingest_id != NULL, &w->leaf_count);
    if (!w->leaves) goto oom;
    w->ingest_field_id = lake__schema_ingest_field_id(schema);
    if (o.ingest_id) {
        w->leaves[w->leaf_count - 1].field_id = w->ingest_field_id;
        if (!(w->ingest_id = lake__strndup(o.ingest_id, strlen(o.ingest_id)))) goto oom;
    }
    w->columns = lake__calloc(w->leaf_count, sizeof *w->columns);
    if (w->threads > 1 && !(w->outbox = lake__calloc(2 * w->leaf_count, sizeof *w->outbox))) goto oom;
    w->out_at = 2 * w->leaf_count; /* empty */
    if (!w->columns || !(w->leaf_rc = lake__calloc(2 * w->leaf_count, sizeof *w->leaf_rc))) goto oom;
    if (!(w->staged = lake__calloc(w->leaf_count, sizeof *w->staged))) goto oom;
    if (!(w->checked = lake__calloc(schema->column_count + 1, sizeof *w->checked))) goto oom;
    for (size_t i = 0; i < schema->column_count; i++)
        if (lake__shred_may_refuse(&schema->columns[i]) && !(o.ingest_id && schema->columns[i].pub.auto_ingest_id))
            w->checked[w->checked_count++] = i;
    for (size_t i = 0; i < w->leaf_count; i++) {
        lake__column_init(&w->columns[i], &w->leaves[i], o.page_bytes, o.dictionary_bytes);
        w->columns[i].deferred = w->threads > 1;
    }

    size_t cap = 3 + o.metadata_pairs;
    if (!(w->kv = lake__calloc(2 * cap, sizeof *w->kv))) goto oom;
    char *schema_json;
    size_t schema_len;
    if (lake_schema_to_json(schema, &schema_json, &schema_len)) goto oom;
    rc = add_kv(w, "lakeorm.schema", schema_json, cap);
    lake__free(schema_json);
    if (rc || add_kv(w, "lakeorm.version", LAKE_VERSION_STRING, cap) ||
        (o.ingest_id && add_kv(w, "lakeorm.ingest_id", o.ingest_id, cap)))
        goto oom;
    for (size_t i = 0; i < o.metadata_pairs; i++) {
        if (!o.metadata[2 * i] || !o.metadata[2 * i + 1]) {
            rc = lake__error(err, LAKE_EINVAL, "metadata pair %zu has a NULL key or value", i);
            goto fail;
        }
        if (add_kv(w, o.metadata[2 * i], o.metadata[2 * i + 1], cap)) goto oom;
    }
    w->opts.metadata = NULL; /* borrowed only for this call */
    w->err = err;
    if ((rc = emit(w, "PAR1", 4))) goto fail;
    w->offset = 4;
    *out = w;
    return LAKE_OK;
oom:
    rc = lake__error(err, LAKE_ENOMEM, "out of memory opening a Parquet writer");
fail:
    lake_parquet_writer_free(w);
    return rc;
}

static void seal_leaf(void *ctx, size_t i, unsigned worker) {
    lake_parquet_writer *w = ctx;
    w->leaf_rc[i] = lake__column_seal(&w->columns[i], &w->scratch[worker]);
}

static void swap_buf(lake__buf *a, lake__buf *b) {
    lake__buf t = *a;
    *a = *b, *b = t;
}

/* Waits for the last round's compression; its first failure. */
static int settle(lake_parquet_writer *w) {
    lake__workers_settle(&w->ahead);
    for (size_t i = w->leaf_count; i < 2 * w->leaf_count; i++)
        if (w->leaf_rc[i]) return w->leaf_rc[i];
    return LAKE_OK;
}

/* Seals the row group's chunks and hands their bytes to the sink, or to the
 * outbox once the previous row group has left it. */
static int flush_row_group(lake_parquet_writer *w) {
    int rc = settle(w);
    if (rc || w->group_rows == 0) return rc;
    rc = drain(w, SIZE_MAX);
    if (rc) return rc;
    if (w->group_count == w->group_cap) {
        size_t cap = w->group_cap ? w->group_cap * 2 : 8;
        lake__row_group *g = lake__realloc(w->groups, w->group_cap * sizeof *g, cap * sizeof *g);
        if (!g) return LAKE_ENOMEM;
        w->groups = g, w->group_cap = cap;
    }
    lake__row_group *rg = &w->groups[w->group_count];
    memset(rg, 0, sizeof *rg);
    if (!(rg->chunks = lake__calloc(w->leaf_count, sizeof *rg->chunks))) return LAKE_ENOMEM;
    w->group_count++;
    rg->file_offset = (int64_t)w->offset;
    rg->rows = (int64_t)w->group_rows;
    lake__workers_run(w->threads, w->leaf_count, seal_leaf, w);
    for (size_t i = 0; i < w->leaf_count; i++) {
        lake__column_writer *c = &w->columns[i];
        size_t len = c->dict_page.len + c->pages.len;
        /* the chunk's statistics move to the footer's list even on failure, to be freed with it */
        lake__column_take_meta(c, (int64_t)w->offset, &rg->chunks[i]);
        if (!rc && !(rc = w->leaf_rc[i])) {
            if (w->outbox) {
                swap_buf(&c->dict_page, &w->outbox[2 * i]);
                swap_buf(&c->pages, &w->outbox[2 * i + 1]);
            } else if (!(rc = emit(w, c->dict_page.data, c->dict_page.len))) {
                rc = emit(w, c->pages.data, c->pages.len);
            }
        }
        c->dict_page.len = c->pages.len = 0;
        w->offset += len;
        rg->uncompressed += rg->chunks[i].uncompressed;
        rg->compressed += rg->chunks[i].compressed;
    }
    w->out_at = 0;
    w->group_rows = 0;
    return rc;
}

static size_t buffered(const lake_parquet_writer *w) {
    size_t n = 0;
    for (size_t i = 0; i < w->leaf_count; i++) n += lake__column_buffered(&w->columns[i]);
    return n;
}

/* auto=ingestID columns hold the ingest id whatever the record says. */
static bool stamped(const lake_parquet_writer *w, const lake__leaf *l) {
    return w->ingest_id && l->col && l->col->pub.auto_ingest_id;
}

/* Bytes of a column's pages waiting for compression. */
static size_t waiting(const lake__column_writer *c) { return c->stages[!c->filling].raw.len; }

static void encode_leaf(void *ctx, size_t i, unsigned worker) {
    const encode_round *r = ctx;
    lake_parquet_writer *w = r->w;
    lake__page_scratch *s = &w->scratch[worker];
    if (i >= w->leaf_count) {
        size_t leaf = w->staged[i - w->leaf_count];
        w->leaf_rc[w->leaf_count + leaf] = lake__column_compress_staged(&w->columns[leaf], s);
        return;
    }
    size_t size = w->schema->record_size, bad;
    /* the ingest id: an auto=ingestID column of the schema, or the extra last leaf */
    bool stamp = w->ingest_id && (i == w->leaf_count - 1 || stamped(w, &w->leaves[i]));
    int rc = LAKE_OK;
    for (size_t at = 0; at < r->count && !rc; at += SLICE) {
        size_t n = r->count - at < SLICE ? r->count - at : SLICE;
        rc = stamp ? lake__column_append_constant(&w->columns[i], s, w->ingest_id, n)
                   : lake__shred(&w->columns[i], s, r->records + at * size, n, size, &bad);
    }
    w->leaf_rc[i] = rc;
}

/* Starts a round of `n` records: the encoding of every leaf, and beside it
 * the compression of the pages the last round filled, the most bytes first
 * (the longest tasks start while the caller is busy), which may go on after
 * this returns. */
static void start_round(lake_parquet_writer *w, const unsigned char *records, size_t n, bool out) {
    encode_round *r = &w->round;
    *r = (encode_round){w, records, n, 0};
    for (size_t i = 0; i < w->leaf_count; i++) {
        lake__column_writer *c = &w->columns[i];
        if (!c->deferred || !lake__column_stage_ready(c)) continue;
        c->filling = !c->filling;
        size_t k = r->staged_count++;
        for (; k && waiting(&w->columns[w->staged[k - 1]]) < waiting(c); k--) w->staged[k] = w->staged[k - 1];
        w->staged[k] = i;
    }
    lake__workers_run_ahead(&w->ahead, n >= MIN_SHARED ? w->threads : 1, w->leaf_count,
                            w->leaf_count + r->staged_count, encode_leaf, r, out ? drain_piece : NULL, w);
}

int lake_parquet_writer_append(lake_parquet_writer *w, const void *records, size_t count, lake_error *err) {
    if (!w || (!records && count)) return lake__error(err, LAKE_EINVAL, "lake_parquet_writer_append: writer and records are required");
    if (w->state) return lake__error(err, LAKE_EINVAL, "the Parquet writer is %s", w->state > 0 ? "closed" : "failed");
    w->err = err;
    const unsigned char *base = records;
    size_t size = w->schema->record_size;
    size_t schema_leaves = w->leaf_count - (w->ingest_id != NULL);
    /* Check the records first, so a rejected batch leaves every column untouched. */
    for (size_t r = 0; r < count; r++)
        for (size_t i = 0; i < w->checked_count; i++) {
            const lake__column *top = &w->schema->columns[w->checked[i]];
            const lake__column *bad = lake__shred_refusal(top, base + r * size);
            if (bad == top)
                return lake__error(err, LAKE_EVALIDATION, "record %zu: column \"%s\" is not nullable but holds NULL",
                                   r, top->pub.name);
            if (bad)
                return lake__error(err, LAKE_EVALIDATION,
                                   "record %zu: column \"%s\" holds a NULL %s, which its type does not allow", r,
                                   top->pub.name, bad->pub.name);
        }
    /* A round is one slice on the caller alone, or up to SHARED_SLICES shared
     * out by column; the row group is checked against its target after each. */
    size_t round = count >= MIN_SHARED && w->threads > 1 ? SLICE * SHARED_SLICES : SLICE;
    for (size_t at = 0; at < count; at += round) {
        size_t n = count - at < round ? count - at : round;
        int rc = LAKE_OK;
        /* the last row group goes to the sink beside the encoding of this one */
        bool out = w->outbox && w->out_at < 2 * w->leaf_count;
        /* A helper still compressing the last round's pages: rather than wait,
         * the caller encodes this round alone, and no stage flips until then. */
        if (!lake__workers_try_settle(&w->ahead)) {
            encode_round alone = {w, base + at * size, n, 0};
            lake__workers_run_beside(1, w->leaf_count, encode_leaf, &alone, out ? drain_piece : NULL, w);
        } else if ((rc = settle(w))) {
            return fail(w, rc, err, "compressing pages");
        } else {
            start_round(w, base + at * size, n, out);
        }
        if (out && w->out_rc) return fail(w, w->out_rc, err, "writing a row group");
        for (size_t i = 0; i < w->leaf_count; i++)
            if (w->leaf_rc[i])
                return fail(w, w->leaf_rc[i], err, i < schema_leaves ? "encoding values" : "stamping _ingest_id");
        w->rows += n;
        w->group_rows += n;
        if (buffered(w) >= w->opts.row_group_bytes) {
            rc = flush_row_group(w);
            if (rc) return fail(w, rc, err, "writing a row group");
        }
    }
    return LAKE_OK;
}

int lake_parquet_writer_close(lake_parquet_writer *w, lake_error *err) {
    if (!w) return lake__error(err, LAKE_EINVAL, "lake_parquet_writer_close: writer is NULL");
    if (w->state) return lake__error(err, LAKE_EINVAL, "the Parquet writer is %s", w->state > 0 ? "closed" : "failed");
    w->err = err;
    int rc = flush_row_group(w);
    if (!rc) rc = drain(w, SIZE_MAX);
    if (rc) return fail(w, rc, err, "writing the last row group");
    lake__footer f = {w->schema, w->omit, w->leaves, w->leaf_count, w->opts.uuid_as_string, w->ingest_id != NULL,
                      w->ingest_field_id, w->opts.codec, w->groups, w->group_count, (int64_t)w->rows,
                      (const char *const *)w->kv, w->kv_pairs};
    lake__buf footer = LAKE__BUF_INIT;
    if (lake__footer_write(&footer, &f)) {
        lake__buf_dispose(&footer);
        return fail(w, LAKE_ENOMEM, err, "the footer");
    }
    uint32_t n = (uint32_t)footer.len;
    uint8_t tail[8] = {(uint8_t)n, (uint8_t)(n >> 8), (uint8_t)(n >> 16), (uint8_t)(n >> 24), 'P', 'A', 'R', '1'};
    rc = emit(w, footer.data, footer.len);
    if (!rc) rc = emit(w, tail, 8);
    w->offset += footer.len + 8;
    lake__buf_dispose(&footer);
    if (rc) return fail(w, rc, err, "the footer");
    w->state = 1;
    return LAKE_OK;
}

int lake__parquet_writer_summaries(const lake_parquet_writer *w, lake__leaf_summary **out, size_t *count) {
    *out = NULL;
    *count = 0;
    if (w->state != 1) return LAKE_EINVAL;
    lake__leaf_summary *s = lake__calloc(w->leaf_count + 1, sizeof *s);
    if (!s) return LAKE_ENOMEM;
    for (size_t i = 0; i < w->leaf_count; i++) {
        s[i].leaf = &w->leaves[i];
        for (size_t g = 0; g < w->group_count; g++) {
            const lake__chunk_meta *m = &w->groups[g].chunks[i];
            s[i].values += m->num_values;
            lake__stats_merge(s[i].leaf, &s[i].stats, &m->stats);
        }
    }
    bool failed = false;
    for (size_t i = 0; i < w->leaf_count; i++) failed |= s[i].stats.bmin.failed || s[i].stats.bmax.failed;
    if (failed) {
        lake__leaf_summaries_free(s, w->leaf_count);
        return LAKE_ENOMEM;
    }
    *out = s;
    *count = w->leaf_count;
    return LAKE_OK;
}

void lake__leaf_summaries_free(lake__leaf_summary *s, size_t count) {
    for (size_t i = 0; s && i < count; i++) lake__stats_dispose(&s[i].stats);
    lake__free(s);
}

uint64_t lake_parquet_writer_bytes(const lake_parquet_writer *w) { return w ? w->offset : 0; }
uint64_t lake_parquet_writer_rows(const lake_parquet_writer *w) { return w ? w->rows : 0; }

void lake_parquet_writer_free(lake_parquet_writer *w) {
    if (!w) return;
    if (w->leaf_rc) settle(w); /* no task may outlive the writer */
    for (size_t i = 0; w->columns && i < w->leaf_count; i++) lake__column_dispose(&w->columns[i]);
    for (size_t g = 0; g < w->group_count; g++) {
        for (size_t i = 0; w->groups[g].chunks && i < w->leaf_count; i++) lake__stats_dispose(&w->groups[g].chunks[i].stats);
        lake__free(w->groups[g].chunks);
    }
    for (size_t k = 0; w->kv && k < 2 * w->kv_pairs; k++) lake__free(w->kv[k]);
    lake__free(w->kv);
    for (size_t k = 0; w->outbox && k < 2 * w->leaf_count; k++) lake__buf_dispose(&w->outbox[k]);
    lake__free(w->outbox);
    lake__free(w->groups);
    lake__free(w->columns);
    lake__free(w->checked);
    lake__free(w->omit);
    lake__free(w->leaves);
    lake__free(w->ingest_id);
    for (unsigned t = 0; w->scratch && t < w->threads; t++) {
        lake__buf_dispose(&w->scratch[t].raw);
        lake__buf_dispose(&w->scratch[t].compressed);
        lake__buf_dispose(&w->scratch[t].header);
        lake__buf_dispose(&w->scratch[t].joined);
        lake__codec_dispose(&w->scratch[t].codec);
    }
    lake__free(w->scratch);
    lake__free(w->leaf_rc);
    lake__free(w->staged);
    lake__free(w);
}
