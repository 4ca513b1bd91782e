/* SPDX-License-Identifier: MIT */
/* The decoding pipeline (src/pipeline/) over any bytes as NDJSON, added as
 * text in blocks (the first byte picks their sizes, whether they are cut at
 * line ends as the CLI's reader cuts them or anywhere, as
 * lake_ingest_ndjson's callers may, and whether two threads or the feeding
 * thread decode; the second, the bytes at which a chunk is sent, so that
 * lines cross chunks). Invariants: no crash or leak; the records, their line
 * numbers, texts and verdicts (issues' record numbers included) are exactly
 * those of reading the bytes line by line with the CLI's next_record_line
 * (report.c) and decoding each line on this thread. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

#include "cli.h"
#include "pipeline/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char schema_text[] =
    "{\"version\":1,\"table\":\"t\",\"fields\":["
    "{\"tag\":\"id\",\"type\":\"int64\"},"
    "{\"tag\":\"s,nullable\",\"type\":\"string\",\"rules\":\"omitempty,max=8\"},"
    "{\"tag\":\"l,nullable\",\"type\":\"list<string>\"}]}";

typedef struct expect {
    const lake_schema *schema;
    FILE *in; /* the same bytes, read line by line */
    char *line;
    size_t cap, line_no;
    lake_arena *arena;
    void *record;
} expect;

static void same_issues(const lake_issues *a, const lake_issues *b) {
    if (lake_issues_count(a) != lake_issues_count(b)) abort();
    for (size_t i = 0; i < lake_issues_count(a); i++) {
        const lake_issue *x = lake_issues_get(a, i), *y = lake_issues_get(b, i);
        if (x->record != y->record || strcmp(x->path, y->path) || strcmp(x->rule, y->rule) ||
            strcmp(x->message, y->message))
            abort();
    }
}

static int check(void *ctx, lake__chunk *c) {
    expect *w = ctx;
    for (size_t i = 0, at; i < lake__chunk_count(c); i++) {
        lake__piped r;
        const lake_error *e;
        lake__chunk_record(c, i, &r);
        int rc = lake__chunk_outcome(c, i, &at, &e);
        size_t len, raw;
        if (!next_record_line(w->in, &w->line, &w->cap, &w->line_no, &len, &raw)) abort(); /* a record too many */
        if (r.line != w->line_no || r.len != len || r.raw_len != raw || memcmp(r.raw, w->line, raw) || r.json != r.raw)
            abort();
        lake_error err = LAKE_ERROR_INIT;
        int want = lake_json_decode(w->schema, w->line, len, w->record, w->arena, w->line_no, NULL, &err);
        if (rc != want && !(rc == LAKE_ENOMEM || want == LAKE_ENOMEM)) abort();
        if (rc == LAKE_EVALIDATION && want == LAKE_EVALIDATION) same_issues(e->issues, err.issues);
        lake_error_clear(&err);
        lake_arena_reset(w->arena);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static lake_schema *schema;
    if (!schema) {
        lake_error e = LAKE_ERROR_INIT;
        if (lake_schema_parse(&schema, schema_text, sizeof schema_text - 1, &e)) abort();
    }
    if (size < 2) return 0;
    size_t step = (size_t)data[0] % 32 + 1;     /* bytes a block holds (at least, when cut at line ends) */
    bool whole = data[0] & 32, threaded = data[0] & 64; /* cut at line ends; decoded on two threads */
    size_t chunk = (size_t)data[1] * 4 + 1;     /* bytes a chunk holds before it is sent at a line end */
    const char *text = (const char *)data + 2;
    size_t n = size - 2;
    expect w = {schema, n ? fmemopen((void *)text, n, "rb") : NULL, NULL, 0, 0, NULL, NULL};
    lake__pipeline *p = NULL;
    if ((n && !w.in) || lake_arena_new(&w.arena) || !(w.record = malloc(lake_schema_record_size(schema))) ||
        lake__pipeline_open(&p, schema, threaded ? 2 : 0, check, &w))
        abort();
    lake__pipeline_chunk_bytes(p, chunk);
    int status = lake__pipeline_text_start(p);
    for (size_t at = 0; !status && at < n;) {
        size_t end = at + step < n ? at + step : n;
        while (whole && end < n && text[end - 1] != '\n') end++;
        status = lake__pipeline_add_text(p, "in.ndjson", text + at, end - at, -1);
        at = end;
    }
    if (!status) status = lake__pipeline_flush(p);
    if (status) abort();
    size_t len, raw;
    if (w.in && next_record_line(w.in, &w.line, &w.cap, &w.line_no, &len, &raw)) abort(); /* a record missed */
    lake__pipeline_free(p);
    if (w.in) fclose(w.in);
    free(w.line);
    free(w.record);
    lake_arena_free(w.arena);
    return 0;
}
