/* SPDX-License-Identifier: MIT */
/* The reader's side of the decoding pipeline: records and NDJSON text in,
 * chunks out to the command's function, in input order. */
#include "parallel.h"

#include "cli.h"
#include "interrupt.h"

/* A CSV or Parquet record: into the pipeline, except one rejected as read,
 * judged once every record before it has been. */
static int on_record(void *ctx, const input_record *r) {
    parallel *pl = ctx;
    if (interrupt_signal()) return CLI_FAILED;
    if (r->issues) {
        int status = lake__pipeline_flush(pl->pipe);
        return status ? status : pl->judge(pl->ctx, r);
    }
    lake__piped p = {r->file, r->line, r->json, r->len, r->raw, r->raw_len, r->done};
    return lake__pipeline_add(pl->pipe, &p);
}

/* NDJSON: blocks of whole lines, which the pipeline's threads split. */
static int on_text(void *ctx, const char *file, const char *text, size_t len, double done) {
    parallel *pl = ctx;
    if (interrupt_signal()) return CLI_FAILED;
    return lake__pipeline_add_text(pl->pipe, file, text, len, done);
}

/* A pipe that has nothing more for now: what the pipeline holds is handed
 * out, as the one-thread path would have handled it by now. A failure stays
 * with the pipeline, which returns it to the next add or flush. */
static void on_idle(void *ctx) {
    parallel *pl = ctx;
    lake__pipeline_flush(pl->pipe);
}

int parallel_read(parallel *pl, const char *command, const char *file, input_format format, const lake_schema *schema) {
    input_sink sink = {on_record, on_text, on_idle, pl};
    int status = lake__pipeline_text_start(pl->pipe);
    if (!status) status = input_read_to(command, file, format, schema, &sink);
    /* A file's records are handed out before the next file starts: the progress line counts by file. */
    return status ? status : lake__pipeline_flush(pl->pipe);
}

void parallel_record(const lake__chunk *c, size_t i, input_record *out) {
    lake__piped p;
    lake__chunk_record(c, i, &p);
    bool line = p.raw == p.json;
    *out = (input_record){p.file, p.line, p.json, p.len, p.raw, p.raw_len, line ? p.raw : NULL, line ? p.raw_len : 0,
                          NULL, p.done};
}
