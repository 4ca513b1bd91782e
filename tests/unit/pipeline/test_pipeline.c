/* SPDX-License-Identifier: MIT */
/* The decoding pipeline (src/pipeline/pipeline.c): chunks come back in input
 * order with every record's verdict the one-thread decoder gives, on threads
 * and on the feeding thread alike; NDJSON text cut anywhere, lines split
 * across calls included, is numbered as the file; a consumer's failure stops
 * the hand-out; and an allocation failure on a decoding thread fails its
 * record, or the pipeline, never the process. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "lake_test.h"
#include "thread_alloc_failures.h"
#include "pipeline/pipeline.h"

static const char *schema_json =
    "{\"table\":\"t\",\"fields\":[{\"tag\":\"id,pk\",\"type\":\"int64\"},"
    "{\"tag\":\"name\",\"type\":\"string\",\"rules\":\"required,min=2\"},"
    "{\"tag\":\"tags\",\"type\":\"list<string>\"}]}";

typedef struct row {
    int64_t id;
    lake_str name;
    lake_list_str tags;
} row;

enum { RECORDS = 30000 };

/* Record i: good, or rejected by a rule (every 7th), or not JSON (every 13th). */
static int make_line(size_t i, char *buf, size_t cap) {
    if (i % 13 == 5) return snprintf(buf, cap, "{\"id\":%zu,\"name\":", i);
    return snprintf(buf, cap, "{\"id\":%zu,\"name\":\"%s\",\"tags\":[\"a%zu\",\"b\"]}", i, i % 7 == 3 ? "x" : "name", i);
}

/* What the consumer saw, checked record by record against one-thread decoding. */
typedef struct seen {
    const lake_schema *s;
    lake_arena *arena;
    size_t records, good, chunks, bad_order, bad_verdict, stop_at;
    int stop_with;
} seen;

static int consume(void *ctx, lake__chunk *c) {
    seen *w = ctx;
    size_t n = lake__chunk_count(c), ngood, expect_good = 0;
    const row *good = lake__chunk_good(c, &ngood);
    if (++w->chunks == w->stop_at) return w->stop_with;
    for (size_t i = 0; i < n; i++) {
        lake__piped r;
        lake__chunk_record(c, i, &r);
        size_t at;
        const lake_error *e;
        int rc = lake__chunk_outcome(c, i, &at, &e);
        /* Records were added with line 2i+1 and ids i: order is exact. */
        if (r.line != 2 * w->records + 1) w->bad_order++;
        char line[128];
        int len = make_line(w->records, line, sizeof line);
        if (r.len != (size_t)len || memcmp(r.json, line, r.len) || r.raw_len != r.len + 1 || r.raw[r.len] != '\n')
            w->bad_order++;
        row one;
        lake_error err = LAKE_ERROR_INIT;
        int want = lake_json_decode(w->s, line, (size_t)len, &one, w->arena, r.line, NULL, &err);
        if (rc != want) {
            w->bad_verdict++;
        } else if (rc == LAKE_OK) {
            if (at != expect_good++ || good[at].id != one.id || good[at].name.len != one.name.len ||
                memcmp(good[at].name.ptr, one.name.ptr, one.name.len) || good[at].tags.len != 2)
                w->bad_verdict++;
            w->good++;
        } else {
            char *a = NULL, *b = NULL;
            size_t alen, blen;
            if (lake_issues_to_json(e->issues, 0, 100, &a, &alen) || lake_issues_to_json(err.issues, 0, 100, &b, &blen) ||
                alen != blen || memcmp(a, b, alen))
                w->bad_verdict++;
            lake_free(a);
            lake_free(b);
        }
        lake_error_clear(&err);
        w->records++;
    }
    if (expect_good != ngood) w->bad_verdict++;
    lake_arena_reset(w->arena);
    return 0;
}

/* Adds RECORDS records (then flushes); the first non-zero status, or 0. */
static int feed(lake__pipeline *p) {
    char line[130];
    for (size_t i = 0; i < RECORDS; i++) {
        int len = make_line(i, line, sizeof line - 1);
        line[len] = '\n';
        lake__piped r = {"in.ndjson", 2 * i + 1, line, (size_t)len, line, (size_t)len + 1, -1};
        int status = lake__pipeline_add(p, &r);
        if (status) return status;
    }
    return lake__pipeline_flush(p);
}

static lake_schema *schema(void) {
    lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_parse(&s, schema_json, strlen(schema_json), &err), &err);
    CHECK_EQ_INT(lake_schema_record_size(s), sizeof(row));
    return s;
}

static void chunks_come_back_in_input_order_with_the_one_thread_verdicts(void) {
    lake_schema *s = schema();
    for (unsigned threads = 0; threads <= 4; threads = threads ? threads * 2 : 1) {
        seen w = {s, NULL, 0, 0, 0, 0, 0, 0, 0};
        CHECK_OK(lake_arena_new(&w.arena), NULL);
        lake__pipeline *p;
        CHECK_EQ_INT(lake__pipeline_open(&p, s, threads, consume, &w), 0);
        int status = feed(p);
        lake__pipeline_free(p);
        lake_arena_free(w.arena);
        CHECK_EQ_INT(status, 0);
        CHECK_EQ_INT(w.records, RECORDS);
        CHECK_EQ_INT(w.bad_order, 0);
        CHECK_EQ_INT(w.bad_verdict, 0);
        CHECK(w.chunks >= RECORDS / 4096); /* chunks, not one batch */
        size_t bad = 0;
        for (size_t i = 0; i < RECORDS; i++) bad += i % 13 == 5 || i % 7 == 3;
        CHECK_EQ_INT(w.good, RECORDS - bad);
    }
    lake_schema_free(s);
}

/* ---- text chunks: NDJSON in blocks, lines found and numbered by the threads */

typedef struct lined {
    const lake_schema *s;
    lake_arena *arena;
    size_t records, bad, wrong;
    size_t expect_line; /* the next record's line in its file */
    unsigned file;      /* 0 or 1: which of the two files */
    const char *names[2];
} lined;

/* File k's text: RECORDS records, a blank line (spaces, a tab) after every 11th, CRLF after every 5th,
 * and the last line without its line end. */
static size_t file_text(unsigned k, char *out) {
    size_t n = 0;
    char line[128];
    for (size_t i = 0; i < RECORDS; i++) {
        int len = make_line(i + k, line, sizeof line);
        memcpy(out + n, line, (size_t)len);
        n += (size_t)len;
        if (i == RECORDS - 1) break;
        n += (size_t)sprintf(out + n, "%s", i % 5 == 0 ? "\r\n" : "\n");
        if (i % 11 == 0) n += (size_t)sprintf(out + n, " \t \n");
    }
    return n;
}

static int check_lines(void *ctx, lake__chunk *c) {
    lined *w = ctx;
    for (size_t i = 0, at; i < lake__chunk_count(c); i++) {
        lake__piped r;
        const lake_error *e;
        lake__chunk_record(c, i, &r);
        int rc = lake__chunk_outcome(c, i, &at, &e);
        if (r.file == w->names[1] && w->file == 0) w->file = 1, w->expect_line = 1, w->records = 0;
        size_t k = w->records++;
        char line[128];
        int len = make_line(k + w->file, line, sizeof line);
        if (r.line != w->expect_line || r.file != w->names[w->file] || r.len != (size_t)len || memcmp(r.json, line, r.len))
            w->wrong++;
        bool crlf = k % 5 == 0 && k != RECORDS - 1, last = k == RECORDS - 1;
        if (r.raw != r.json || r.raw_len != r.len + (last ? 0 : crlf ? 2 : 1)) w->wrong++;
        w->expect_line += 1 + (k % 11 == 0);
        lake_error err = LAKE_ERROR_INIT;
        row one;
        /* The verdict, issues' record numbers included, is the one-thread decoder's at the file's line. */
        int want = lake_json_decode(w->s, line, (size_t)len, &one, w->arena, r.line, NULL, &err);
        if (rc != want) w->wrong++;
        if (rc == LAKE_EVALIDATION) {
            w->bad++;
            if (lake_issues_get(e->issues, 0)->record != r.line) w->wrong++;
        }
        lake_error_clear(&err);
    }
    lake_arena_reset(w->arena);
    return 0;
}

static void text_is_split_into_lines_numbered_as_the_file(void) {
    lake_schema *s = schema();
    char *text = malloc(2 * RECORDS * 80);
    CHECK(text);
    static const char a[] = "a.ndjson", b[] = "b.ndjson";
    /* Threads 0, 2 and 4; blocks of whole lines (as the CLI's reader gives them), then blocks cut anywhere;
     * then chunks of about 4 KiB, so that hundreds of lines are carried from one chunk into the next. */
    for (unsigned run = 0; run < 9; run++) {
        unsigned threads = run % 3 * 2;
        bool whole = run < 3 || run == 6;
        lined w = {s, NULL, 0, 0, 0, 1, 0, {a, b}};
        CHECK_OK(lake_arena_new(&w.arena), NULL);
        lake__pipeline *p;
        CHECK_EQ_INT(lake__pipeline_open(&p, s, threads, check_lines, &w), 0);
        if (run >= 6) lake__pipeline_chunk_bytes(p, 4099);
        int status = 0;
        for (unsigned k = 0; k < 2 && !status; k++) {
            size_t n = file_text(k, text);
            status = lake__pipeline_text_start(p);
            /* Blocks of uneven sizes, as reads of a pipe give them: one byte, a few, more than a chunk. */
            for (size_t at = 0, step = 700, i = 0; !status && at < n; step = step * 7 % 3000000 + 1, i++) {
                size_t size = i % 3 == 0 ? step % 13 + 1 : step, end = at + size < n ? at + size : n;
                while (whole && end < n && text[end - 1] != '\n') end++;
                status = lake__pipeline_add_text(p, k ? b : a, text + at, end - at, (double)end / (double)n);
                at = end;
            }
        }
        if (!status) status = lake__pipeline_flush(p);
        lake__pipeline_free(p);
        lake_arena_free(w.arena);
        CHECK_EQ_INT(status, 0);
        CHECK_EQ_INT(w.file, 1);
        CHECK_EQ_INT(w.records, RECORDS);
        CHECK_EQ_INT(w.wrong, 0);
        CHECK(w.bad > 2 * RECORDS / 10);
    }
    free(text);
    lake_schema_free(s);
}

/* What a consumer of short or blank lines saw: chunks' sizes, line numbers. */
typedef struct short_lines {
    size_t records, largest, wrong;
} short_lines;

/* Record k of the text below: {"id":k,"name":"ab"} on line 2k+2 (blank lines between, and the first one). */
static int count_short(void *ctx, lake__chunk *c) {
    short_lines *w = ctx;
    size_t n = lake__chunk_count(c);
    if (n > w->largest) w->largest = n;
    for (size_t i = 0; i < n; i++, w->records++) {
        lake__piped r;
        lake__chunk_record(c, i, &r);
        if (r.line != 2 * w->records + 2) w->wrong++;
    }
    return 0;
}

/* A text chunk is sent at its line cap as well as at about 1 MiB: 1 MiB of
 * these lines (a 24-byte record, then a blank line) would otherwise be a
 * chunk of about 40,000 records, and 1 MiB of blank lines a million
 * records' room. */
static void short_lines_make_chunks_of_at_most_the_line_cap(void) {
    lake_schema *s = schema();
    enum { SHORT = 100000 };
    char *text = malloc(SHORT * 32 + 2);
    CHECK(text);
    size_t n = 0;
    text[n++] = '\n';
    for (size_t k = 0; k < SHORT; k++) n += (size_t)sprintf(text + n, "{\"id\":%zu,\"name\":\"ab\"}\n\n", k);
    for (unsigned threads = 0; threads <= 2; threads += 2) {
        short_lines w = {0};
        lake__pipeline *p;
        CHECK_EQ_INT(lake__pipeline_open(&p, s, threads, count_short, &w), 0);
        int status = lake__pipeline_text_start(p);
        /* One call with all of it; then, after the flush, the same text again in blocks of 64 KiB. */
        if (!status) status = lake__pipeline_add_text(p, "short.ndjson", text, n, 1);
        if (!status) status = lake__pipeline_flush(p);
        CHECK_EQ_INT(status, 0);
        CHECK_EQ_INT(w.records, SHORT);
        CHECK_EQ_INT(w.wrong, 0);
        CHECK(w.largest <= LAKE__PIPELINE_CHUNK_LINES / 2 + 1);
        CHECK(w.largest >= LAKE__PIPELINE_CHUNK_LINES / 2 - 1);
        w = (short_lines){0};
        status = lake__pipeline_text_start(p);
        for (size_t at = 0; !status && at < n; at += 65536)
            status = lake__pipeline_add_text(p, "short.ndjson", text + at, n - at < 65536 ? n - at : 65536, 1);
        if (!status) status = lake__pipeline_flush(p);
        lake__pipeline_free(p);
        CHECK_EQ_INT(status, 0);
        CHECK_EQ_INT(w.records, SHORT);
        CHECK_EQ_INT(w.wrong, 0);
        CHECK(w.largest <= LAKE__PIPELINE_CHUNK_LINES / 2 + 1);
    }
    free(text);
    lake_schema_free(s);
}

static void a_consumer_failure_stops_the_hand_out(void) {
    lake_schema *s = schema();
    seen w = {s, NULL, 0, 0, 0, 0, 0, 3, 7};
    CHECK_OK(lake_arena_new(&w.arena), NULL);
    lake__pipeline *p;
    CHECK_EQ_INT(lake__pipeline_open(&p, s, 4, consume, &w), 0);
    int status = feed(p);
    CHECK_EQ_INT(lake__pipeline_flush(p), 7); /* and it stays failed */
    lake__pipeline_free(p);                   /* chunks decoded but never handed out are freed */
    lake_arena_free(w.arena);
    lake_schema_free(s);
    CHECK_EQ_INT(status, 7);
    CHECK_EQ_INT(w.chunks, 3);
    CHECK_EQ_INT(w.records, 2 * 4096);
}

/* ---- allocation failures on the decoding threads */

typedef struct failures {
    size_t records, nomem, other;
} failures;

static int count_failures(void *ctx, lake__chunk *c) {
    failures *f = ctx;
    for (size_t i = 0, at; i < lake__chunk_count(c); i++) {
        const lake_error *e;
        int rc = lake__chunk_outcome(c, i, &at, &e);
        f->records++;
        if (rc == LAKE_ENOMEM) f->nomem += e && strstr(e->message, "out of memory") ? 1 : 0;
        else if (rc != LAKE_OK && rc != LAKE_EVALIDATION) f->other++;
    }
    return 0;
}

static void an_allocation_failure_on_a_thread_fails_its_record(void) {
    lake_schema *s = schema();
    /* Each failure point in turn among a thread's first allocations, then a few later ones. */
    static const long points[] = {0, 1, 2, 3, 5, 8, 13, 40, 200, 1000};
    for (size_t k = 0; k < sizeof points / sizeof points[0]; k++) {
        failures f = {0, 0, 0};
        lake__pipeline *p;
        CHECK_EQ_INT(lake__pipeline_open(&p, s, 2, count_failures, &f), 0);
        thread_alloc_failures_arm(points[k]);
        int status = feed(p);
        thread_alloc_failures_arm(-1);
        lake__pipeline_free(p);
        CHECK_EQ_INT(status, 0);
        CHECK_EQ_INT(f.records, RECORDS);
        CHECK_EQ_INT(f.other, 0);
        if (f.nomem != 1) {
            fprintf(stderr, "  failure point %ld: %zu records out of memory\n", points[k], f.nomem);
            CHECK(!"exactly the record whose allocation failed fails");
        }
    }
    lake_schema_free(s);
}

int main(void) {
    thread_alloc_failures_install(); /* before any other lakeorm call; it fails nothing until armed */
    LAKE_RUN(chunks_come_back_in_input_order_with_the_one_thread_verdicts);
    LAKE_RUN(text_is_split_into_lines_numbered_as_the_file);
    LAKE_RUN(short_lines_make_chunks_of_at_most_the_line_cap);
    LAKE_RUN(a_consumer_failure_stops_the_hand_out);
    LAKE_RUN(an_allocation_failure_on_a_thread_fails_its_record);
    return lake_test_summary();
}
