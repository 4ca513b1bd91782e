/* SPDX-License-Identifier: MIT */
/* lake_ingest_ndjson: NDJSON text fed to a streaming request through the
 * decoding pipeline (src/pipeline/). Chunks are judged on the client's
 * threads and handed back here, on the feeding thread, in input order: the
 * rejected records go to the caller's function, the good ones are appended
 * as checked (the decoder ran the schema's checks). */
#include "client/ingest.h"
#include "error/error.h"
#include "pipeline/pipeline.h"
#include "util/alloc.h"
#include "util/workers.h"

struct lake__ndjson {
    lake_ingest *in;
    lake__pipeline *pipe;
    /* the call under way, whose hand-outs reach its caller */
    lake_reject_fn on_reject;
    void *ctx;
    lake_error *err;
    bool said; /* err says why the hand-out stopped (else the pipeline ran out of memory) */
};

void lake__ndjson_free(lake__ndjson *f) {
    if (!f) return;
    lake__pipeline_free(f->pipe);
    lake__free(f);
}

/* A chunk's verdicts, in input order; a failure says why in f->err. */
static int judge(lake__ndjson *f, lake__chunk *c) {
    size_t n = lake__chunk_count(c), rejected = 0, at;
    int rc = LAKE_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        const lake_error *why;
        int verdict = lake__chunk_outcome(c, i, &at, &why);
        if (verdict == LAKE_OK) continue;
        lake__piped r;
        lake__chunk_record(c, i, &r);
        if (verdict != LAKE_EVALIDATION) {
            rc = lake__error(f->err, verdict, "line %zu: %s; nothing will be written: abort the request", r.line,
                             why->message);
        } else {
            rejected++;
            if (f->on_reject && (rc = f->on_reject(f->ctx, r.line, r.json, r.len, why)))
                lake__error(f->err, rc, "stopped by on_reject at line %zu; nothing will be written: abort the request",
                            r.line);
        }
    }
    lake__metric_add(&f->in->c->metrics.records_rejected, rejected);
    size_t count;
    const void *good = lake__chunk_good(c, &count);
    if (rc || !count) return rc;
    return lake__ingest_append_checked(f->in, good, count, f->err);
}

static int on_chunk(void *ctx, lake__chunk *c) {
    lake__ndjson *f = ctx;
    int rc = judge(f, c);
    f->said = rc != LAKE_OK;
    return rc;
}

/* The decoding threads: the client's threads, of which 1 (or a machine of one processor) decodes on the
 * feeding thread. */
static unsigned decoding_threads(const lake_client *c) {
    unsigned threads = c->opts.threads ? c->opts.threads : lake__workers_default();
    return threads > 1 ? threads : 0;
}

/* Every failure breaks the request: records after the one that failed were not appended. */
static int finish_call(lake_ingest *in, int rc, lake_error *err) {
    if (rc && in->ndjson && !in->ndjson->said) lake__error(err, rc, "out of memory; nothing will be written: abort the request");
    if (rc) {
        in->broken = true;
        lake__ndjson_free(in->ndjson); /* its threads stop now; what they held goes */
        in->ndjson = NULL;
    }
    return lake__metric_error(in->c, rc);
}

/* The feed for this call: begun with the request's first text, or the first after an end. */
static int feed(lake_ingest *in, lake_reject_fn on_reject, void *ctx, lake_error *err, const char *what) {
    if (!in) return lake__error(err, LAKE_EINVAL, "%s: request is NULL", what);
    if (in->broken) return lake__error(err, LAKE_EINVAL, "this request failed earlier: abort it");
    if (!in->ndjson) {
        lake__ndjson *f = lake__calloc(1, sizeof *f);
        if (!f || lake__pipeline_open(&f->pipe, in->schema, decoding_threads(in->c), on_chunk, f)) {
            lake__free(f);
            in->broken = true;
            return lake__metric_error(in->c, lake__error(err, LAKE_ENOMEM, "out of memory: cannot start the "
                                                                           "decoding threads; abort the request"));
        }
        f->in = in;
        in->ndjson = f;
    }
    *in->ndjson = (lake__ndjson){in, in->ndjson->pipe, on_reject, ctx, err, false};
    return LAKE_OK;
}

int lake_ingest_ndjson(lake_ingest *in, const char *text, size_t len, lake_reject_fn on_reject, void *ctx,
                       lake_error *err) {
    if (in && !text && len) return lake__error(err, LAKE_EINVAL, "lake_ingest_ndjson: text is NULL");
    int rc = feed(in, on_reject, ctx, err, "lake_ingest_ndjson");
    if (rc) return rc;
    return finish_call(in, lake__pipeline_add_text(in->ndjson->pipe, NULL, text, len, -1), err);
}

int lake_ingest_ndjson_end(lake_ingest *in, lake_reject_fn on_reject, void *ctx, lake_error *err) {
    if (in && !in->broken && !in->ndjson) return LAKE_OK; /* no text since the last end */
    int rc = feed(in, on_reject, ctx, err, "lake_ingest_ndjson_end");
    if (rc || (rc = finish_call(in, lake__pipeline_flush(in->ndjson->pipe), err))) return rc;
    lake__ndjson_free(in->ndjson);
    in->ndjson = NULL;
    return LAKE_OK;
}
