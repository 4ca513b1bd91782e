/* SPDX-License-Identifier: MIT */
/* The feeder (the caller's thread) fills chunk `filled`; threads take chunks
 * in order of submission and decode each whole; the feeder hands chunk
 * `consumed` to its function once decoded. Chunks live in a ring of
 * `window` slots: a slot is filled again only after its chunk was handed
 * out, which is what bounds memory and keeps verdicts in input order.
 * Without threads the feeder decodes each chunk as it sends it.
 *
 * A chunk is filled with records (lake__pipeline_add) or with NDJSON text
 * (lake__pipeline_add_text). A text chunk's thread also finds its lines,
 * numbering them from 1; the hand-out, in order, adds the lines of the
 * source's earlier chunks, so the feeder only copies bytes. */
#include "pipeline/pipeline.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <lakeorm/json.h>

#include "error/error.h"
#include "util/alloc.h"

/* A chunk is sent once it holds either bound: large enough that handing it
 * over costs little beside decoding it, small enough that a window of them
 * stays a few MiB. A text chunk is also sent at LAKE__PIPELINE_CHUNK_LINES
 * line ends: each line takes a record's room when the chunk is decoded, so
 * short lines (blank ones included) would otherwise grow it without bound. */
enum { CHUNK_RECORDS = 4096, CHUNK_BYTES = 1 << 20 };

typedef struct span {
    const char *file;
    size_t line, json, len, raw, raw_len; /* json and raw: offsets into the chunk's text */
    double done;
} span;

typedef struct outcome {
    int rc;
    size_t at; /* LAKE_OK: the place among the good records; else the index into errs */
} outcome;

struct lake__chunk {
    const lake__pipeline *p;
    char *text;
    size_t text_len, text_cap;
    span *spans;
    outcome *outcomes;
    size_t count, cap;   /* spans, outcomes and good have room for cap records */
    unsigned char *good;
    size_t ngood;
    /* a text chunk: NDJSON lines, split by its thread */
    bool is_text, file_starts, no_memory;
    const char *file;
    double done;
    size_t lines;    /* physical lines, blank ones included */
    size_t line_ends; /* of a text chunk being filled: '\n's copied in so far */
    lake_error *errs;
    size_t nerrs, errs_cap;
    lake_arena *arena;
    bool decoded; /* under the lock */
};

struct lake__pipeline {
    const lake_schema *schema;
    size_t size;
    lake__chunk_fn fn;
    void *ctx;
    pthread_mutex_t lock;
    pthread_cond_t work, decoded;
    pthread_t *threads;
    unsigned nthreads;
    bool stop;
    lake__chunk *slots;
    unsigned window;
    uint64_t filled, taken, consumed; /* chunk numbers: sent, taken by a thread, handed out */
    int failed;                       /* the status that stopped the hand-out */
    bool file_starts;                 /* the next text chunk is its source's first */
    size_t lines;                     /* lines of the current source's text chunks handed out */
    size_t chunk_bytes;               /* CHUNK_BYTES, or a test's smaller bound */
};

static lake_error *next_error(lake__chunk *c) {
    if (c->nerrs == c->errs_cap) {
        size_t cap = c->errs_cap ? 2 * c->errs_cap : 16;
        lake_error *e = lake__realloc(c->errs, c->errs_cap * sizeof *e, cap * sizeof *e);
        if (!e) return NULL;
        c->errs = e;
        c->errs_cap = cap;
    }
    return &c->errs[c->nerrs];
}

/* Room for n records in spans, outcomes and good. */
static bool reserve(lake__chunk *c, size_t n) {
    if (n <= c->cap) return true;
    size_t bytes;
    if (lake__mul_size(&bytes, n, c->p->size)) return false;
    span *s = lake__realloc(c->spans, c->cap * sizeof *s, n * sizeof *s);
    if (!s) return false;
    c->spans = s;
    outcome *o = lake__realloc(c->outcomes, c->cap * sizeof *o, n * sizeof *o);
    if (!o) return false;
    c->outcomes = o;
    unsigned char *g = lake__realloc(c->good, c->cap * c->p->size, bytes);
    if (!g) return false;
    c->good = g;
    c->cap = n;
    return true;
}

/* A text chunk's records: each line as the CLI's one-thread reader
 * (next_record_line) reads it, blank lines counted and skipped, the line end
 * kept in raw. */
static bool split(lake__chunk *c) {
    const char *t = c->text, *end = t + c->text_len;
    size_t lines = 0;
    for (const char *at = t; at < end; lines++) {
        const char *nl = memchr(at, '\n', (size_t)(end - at));
        at = nl ? nl + 1 : end;
    }
    if (!reserve(c, lines)) return false;
    size_t line = 0;
    for (size_t at = 0; at < c->text_len;) {
        const char *nl = memchr(t + at, '\n', c->text_len - at);
        size_t raw = nl ? (size_t)(nl - (t + at)) + 1 : c->text_len - at, len = raw;
        line++;
        if (len && t[at + len - 1] == '\n') len--;
        if (len && t[at + len - 1] == '\r') len--;
        size_t k = 0;
        while (k < len && (t[at + k] == ' ' || t[at + k] == '\t')) k++;
        if (k < len) c->spans[c->count++] = (span){c->file, line, at, len, at, raw, c->done};
        at += raw;
    }
    c->lines = line;
    return true;
}

static void decode(lake__chunk *c) {
    const lake__pipeline *p = c->p;
    lake_error err = LAKE_ERROR_INIT;
    if (c->is_text && !split(c)) {
        c->no_memory = true;
        return;
    }
    for (size_t i = 0; i < c->count; i++) {
        const span *s = &c->spans[i];
        int rc = lake_json_decode(p->schema, c->text + s->json, s->len, c->good + c->ngood * p->size, c->arena,
                                  s->line, NULL, &err);
        if (rc == LAKE_OK) {
            c->outcomes[i] = (outcome){LAKE_OK, c->ngood++};
            continue;
        }
        lake_error *kept = next_error(c);
        if (!kept) { /* the verdict could not be kept: the record fails as out of memory */
            lake_error_clear(&err);
            c->outcomes[i] = (outcome){LAKE_ENOMEM, SIZE_MAX};
            continue;
        }
        *kept = err; /* its issues move with it */
        err = (lake_error)LAKE_ERROR_INIT;
        c->outcomes[i] = (outcome){rc, c->nerrs++};
    }
}

static void *serve(void *arg) {
    lake__pipeline *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stop && p->taken == p->filled) pthread_cond_wait(&p->work, &p->lock);
        if (p->stop) break;
        lake__chunk *c = &p->slots[p->taken++ % p->window];
        pthread_mutex_unlock(&p->lock);
        decode(c);
        pthread_mutex_lock(&p->lock);
        c->decoded = true;
        pthread_cond_broadcast(&p->decoded);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static void chunk_reset(lake__chunk *c) {
    for (size_t i = 0; i < c->nerrs; i++) lake_error_clear(&c->errs[i]);
    c->nerrs = c->count = c->ngood = c->text_len = c->lines = c->line_ends = 0;
    c->decoded = c->is_text = c->file_starts = c->no_memory = false;
    lake_arena_reset(c->arena);
}

static void chunk_free(lake__chunk *c) {
    if (c->arena) chunk_reset(c);
    lake__free(c->text);
    lake__free(c->spans);
    lake__free(c->outcomes);
    lake__free(c->good);
    lake__free(c->errs);
    lake_arena_free(c->arena);
}

int lake__pipeline_open(lake__pipeline **out, const lake_schema *schema, unsigned threads, lake__chunk_fn fn,
                        void *ctx) {
    *out = NULL;
    lake__pipeline *p = lake__calloc(1, sizeof *p);
    if (!p) return LAKE_ENOMEM;
    p->schema = schema;
    p->size = lake_schema_record_size(schema);
    p->fn = fn;
    p->ctx = ctx;
    p->chunk_bytes = CHUNK_BYTES;
    if (threads > LAKE__PIPELINE_THREADS_MAX) threads = LAKE__PIPELINE_THREADS_MAX;
    /* Twice the threads: each has a chunk to decode while the feeder hands out and fills others.
     * At least two slots: a line cut at a chunk's end is carried into the next slot. */
    p->window = 2 * threads + 2;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->decoded, NULL);
    if (!(p->slots = lake__calloc(p->window, sizeof *p->slots)) ||
        (threads && !(p->threads = lake__calloc(threads, sizeof *p->threads))))
        goto fail;
    for (unsigned k = 0; k < p->window; k++) {
        lake__chunk *c = &p->slots[k];
        c->p = p;
        if (!reserve(c, CHUNK_RECORDS) || lake_arena_new(&c->arena)) goto fail;
    }
    for (; p->nthreads < threads; p->nthreads++)
        if (pthread_create(&p->threads[p->nthreads], NULL, serve, p)) goto fail;
    *out = p;
    return LAKE_OK;
fail:
    lake__pipeline_free(p);
    return LAKE_ENOMEM;
}

void lake__pipeline_free(lake__pipeline *p) {
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (unsigned k = 0; k < p->nthreads; k++) pthread_join(p->threads[k], NULL);
    for (unsigned k = 0; p->slots && k < p->window; k++) chunk_free(&p->slots[k]);
    lake__free(p->slots);
    lake__free(p->threads);
    pthread_cond_destroy(&p->decoded);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->lock);
    lake__free(p);
}

/* Hands out the oldest chunk sent: once decoded when `wait`, else only if it is already. */
static int hand_out(lake__pipeline *p, bool wait, bool *none) {
    *none = true;
    if (p->failed) return p->failed;
    if (p->consumed == p->filled) return LAKE_OK;
    lake__chunk *c = &p->slots[p->consumed % p->window];
    pthread_mutex_lock(&p->lock);
    while (wait && !c->decoded) pthread_cond_wait(&p->decoded, &p->lock);
    bool ready = c->decoded;
    pthread_mutex_unlock(&p->lock);
    if (!ready) return LAKE_OK;
    *none = false;
    if (c->no_memory) {
        chunk_reset(c);
        p->consumed++;
        return p->failed = LAKE_ENOMEM;
    }
    if (c->is_text) {
        /* Lines as numbered in the source: the thread counted from this chunk's start. */
        if (c->file_starts) p->lines = 0;
        for (size_t i = 0; i < c->count; i++) c->spans[i].line += p->lines;
        for (size_t i = 0; i < c->nerrs; i++) lake__issues_shift(c->errs[i].issues, p->lines);
        p->lines += c->lines;
    }
    int status = p->fn(p->ctx, c);
    chunk_reset(c);
    p->consumed++;
    return p->failed = status;
}

static int send(lake__pipeline *p) {
    lake__chunk *c = &p->slots[p->filled % p->window];
    if (!c->count && !c->text_len) return LAKE_OK;
    if (!p->nthreads) {
        decode(c); /* no thread reads it: the feeder is the only one */
        c->decoded = true;
        p->filled++;
    } else {
        pthread_mutex_lock(&p->lock);
        p->filled++;
        pthread_cond_signal(&p->work);
        pthread_mutex_unlock(&p->lock);
    }
    int status;
    bool none;
    /* What is decoded goes out now; then room for the next chunk, waiting when the window is full. */
    while (!(status = hand_out(p, false, &none)) && !none) {}
    while (!status && p->filled - p->consumed == p->window) status = hand_out(p, true, &none);
    return status;
}

/* Makes room for need more bytes of text in c. */
static bool text_room(lake__chunk *c, size_t need) {
    if (c->text_len + need <= c->text_cap) return true;
    size_t cap = c->text_cap ? c->text_cap : CHUNK_BYTES;
    while (cap < c->text_len + need) cap *= 2;
    char *t = lake__realloc(c->text, c->text_cap, cap);
    if (!t) return false;
    c->text = t;
    c->text_cap = cap;
    return true;
}

int lake__pipeline_add(lake__pipeline *p, const lake__piped *r) {
    if (p->failed) return p->failed;
    lake__chunk *c = &p->slots[p->filled % p->window];
    int status = c->is_text ? send(p) : LAKE_OK; /* a chunk holds records or text, not both */
    if (status) return status;
    c = &p->slots[p->filled % p->window];
    /* NDJSON's raw text is its JSON and the line end: kept once. */
    bool shared = r->raw == r->json && r->raw_len >= r->len;
    size_t need = shared ? r->raw_len : r->len + r->raw_len;
    if (!text_room(c, need)) return p->failed = LAKE_ENOMEM;
    span *s = &c->spans[c->count++];
    *s = (span){r->file, r->line, c->text_len, r->len, c->text_len, r->raw_len, r->done};
    if (shared) {
        memcpy(c->text + c->text_len, r->raw, r->raw_len);
    } else {
        memcpy(c->text + c->text_len, r->json, r->len);
        s->raw += r->len;
        memcpy(c->text + s->raw, r->raw, r->raw_len);
    }
    c->text_len += need;
    return c->count == CHUNK_RECORDS || c->text_len >= p->chunk_bytes ? send(p) : LAKE_OK;
}

/* Sends a full text chunk up to its last line end, `from` the first byte
 * that may hold one (the earlier ones were searched when the chunk was full
 * already), and carries the rest into the next chunk. A chunk with no line
 * end yet (one long line) waits for more. */
static int send_text(lake__pipeline *p, size_t from) {
    lake__chunk *c = &p->slots[p->filled % p->window];
    const char *nl = memrchr(c->text + from, '\n', c->text_len - from);
    if (!nl) return LAKE_OK;
    size_t cut = (size_t)(nl - c->text) + 1, tail = c->text_len - cut;
    const char *file = c->file;
    double done = c->done;
    c->text_len = cut;
    int status = send(p);
    if (status || !tail) return status;
    /* The tail stays in the sent chunk's buffer past its length: a thread
     * reads only up to the length, a hand-out resets no byte, and the slot
     * is not refilled before the next one, which takes the tail now. */
    lake__chunk *next = &p->slots[p->filled % p->window];
    if (!text_room(next, tail)) return p->failed = LAKE_ENOMEM;
    memcpy(next->text, c->text + cut, tail);
    next->text_len = tail;
    next->is_text = true;
    next->file = file;
    next->done = done;
    return LAKE_OK;
}

int lake__pipeline_add_text(lake__pipeline *p, const char *file, const char *text, size_t len, double done) {
    if (p->failed) return p->failed;
    lake__chunk *c = &p->slots[p->filled % p->window];
    int status = c->count && !c->is_text ? send(p) : LAKE_OK;
    while (!status && len) {
        c = &p->slots[p->filled % p->window];
        /* A chunk's worth at a time, so that one long call still makes chunks of about CHUNK_BYTES; a
         * chunk that is full without a line end takes text up to the next one. */
        size_t from = c->text_len, n, bound = p->chunk_bytes;
        if (from < bound) {
            n = len < bound - from ? len : bound - from;
        } else {
            const char *nl = memchr(text, '\n', len);
            n = nl ? (size_t)(nl - text) + 1 : len;
        }
        /* Up to the line end that fills the chunk's lines, when this piece holds it. */
        size_t room = LAKE__PIPELINE_CHUNK_LINES - c->line_ends, k = 0;
        for (const char *nl; room && k < n && (nl = memchr(text + k, '\n', n - k)); room--) k = (size_t)(nl - text) + 1;
        bool full = !room;
        if (full) n = k;
        c->line_ends = LAKE__PIPELINE_CHUNK_LINES - room;
        if (!text_room(c, n)) return p->failed = LAKE_ENOMEM;
        if (!c->is_text) {
            c->is_text = true;
            c->file_starts = p->file_starts;
            p->file_starts = false;
        }
        memcpy(c->text + from, text, n);
        c->text_len += n;
        c->file = file;
        c->done = done;
        text += n;
        len -= n;
        if (c->text_len >= bound || full) status = send_text(p, from >= bound ? from : 0);
    }
    return status;
}

void lake__pipeline_chunk_bytes(lake__pipeline *p, size_t bytes) { p->chunk_bytes = bytes ? bytes : 1; }

int lake__pipeline_text_start(lake__pipeline *p) {
    int status = send(p);
    p->file_starts = true;
    return status;
}

int lake__pipeline_flush(lake__pipeline *p) {
    int status = send(p);
    bool none;
    while (!status && p->consumed < p->filled) status = hand_out(p, true, &none);
    return status;
}

size_t lake__chunk_count(const lake__chunk *c) { return c->count; }

void lake__chunk_record(const lake__chunk *c, size_t i, lake__piped *out) {
    const span *s = &c->spans[i];
    *out = (lake__piped){s->file, s->line, c->text + s->json, s->len, c->text + s->raw, s->raw_len, s->done};
}

int lake__chunk_outcome(const lake__chunk *c, size_t i, size_t *good, const lake_error **err) {
    static const lake_error no_memory = {LAKE_ENOMEM, "out of memory", NULL, LAKE_KIND_NONE, "", ""};
    const outcome *o = &c->outcomes[i];
    *good = o->rc == LAKE_OK ? o->at : SIZE_MAX;
    *err = o->rc == LAKE_OK ? NULL : o->at == SIZE_MAX ? &no_memory : &c->errs[o->at];
    return o->rc;
}

const void *lake__chunk_good(const lake__chunk *c, size_t *count) {
    *count = c->ngood;
    return c->good;
}
