/* SPDX-License-Identifier: MIT */
/* ingest's pipeline (tools/lakeorm/pipeline.c) over any bytes as NDJSON,
 * added as text in blocks of whole lines (the first byte picks the block
 * sizes), split and decoded on two threads. Invariants: no crash or leak;
 * the records, their line numbers, texts and verdicts (issues' record
 * numbers included) are exactly those of reading the bytes line by line with
 * next_record_line (report.c) and decoding each line on this thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

#include "cli.h"
#include "pipeline.h"

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

static int check(void *ctx, pipeline_chunk *c) {
    expect *w = ctx;
    for (size_t i = 0, at; i < pipeline_chunk_count(c); i++) {
        input_record r;
        const lake_error *e;
        pipeline_chunk_record(c, i, &r);
        int rc = pipeline_chunk_outcome(c, i, &at, &e);
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
    if (!size) return 0;
    size_t step = (size_t)data[0] % 64 + 1; /* bytes a block holds at least, before its line ends */
    const char *text = (const char *)data + 1;
    size_t n = size - 1;
    expect w = {schema, n ? fmemopen((void *)text, n, "rb") : NULL, NULL, 0, 0, NULL, NULL};
    pipeline *p = NULL;
    if ((n && !w.in) || lake_arena_new(&w.arena) || !(w.record = malloc(lake_schema_record_size(schema))) ||
        pipeline_open(&p, schema, 2, check, &w))
        abort();
    int status = pipeline_file_start(p);
    for (size_t at = 0; !status && at < n;) {
        size_t end = at + step < n ? at + step : n;
        while (end < n && text[end - 1] != '\n') end++;
        status = pipeline_add_text(p, "in.ndjson", text + at, end - at, -1);
        at = end;
    }
    if (!status) status = pipeline_flush(p);
    if (status) abort();
    size_t len, raw;
    if (w.in && next_record_line(w.in, &w.line, &w.cap, &w.line_no, &len, &raw)) abort(); /* a record missed */
    pipeline_free(p);
    if (w.in) fclose(w.in);
    free(w.line);
    free(w.record);
    lake_arena_free(w.arena);
    return 0;
}
