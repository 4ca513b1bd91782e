/* SPDX-License-Identifier: MIT */
/* lake_ingest_ndjson: at 1, 2 and 4 threads the same table and the same
 * rejects (line numbers, order, issues) on good, bad and mixed text fed whole
 * or cut anywhere; the rejects those of decoding each line on one thread; a
 * text after an end counts its lines from 1; an unended text holds appends
 * and commit back; and a failure (a reject function's stop, an allocation
 * failing on a decoding thread) fails the request with nothing written and
 * the staging removed. */

#include "client_fixture.h"
#include "thread_alloc_failures.h"

enum { LINES = 30000 };

/* Line i (1-based) of a corpus: good, or bad four ways (a rule, several rules, a type, not JSON) every
 * `bad_every`th; a blank line after every 97th; CRLF after every 5th. */
static size_t corpus(char *out, size_t lines, size_t bad_every) {
    size_t n = 0;
    for (size_t i = 1; i <= lines; i++) {
        size_t k = bad_every ? i % bad_every : 1;
        if (k == 0 && i % 4 == 0)
            n += (size_t)sprintf(out + n, "{\"id\":%zu,\"customer\":\"nope\",\"placed_at\":\"2024-03-05T12:34:56Z\"}", i);
        else if (k == 0 && i % 4 == 1)
            n += (size_t)sprintf(out + n, "{\"id\":%zu,\"customer\":\"\",\"total\":\"-1.234\",\"placed_at\":\"soon\","
                                          "\"note\":\"far too long for twenty\"}", i);
        else if (k == 0 && i % 4 == 2)
            n += (size_t)sprintf(out + n, "{\"id\":\"%zu\",\"customer\":\"a@example.com\",\"placed_at\":1}", i);
        else if (k == 0)
            n += (size_t)sprintf(out + n, "{\"id\":%zu,\"customer\":", i);
        else
            n += (size_t)sprintf(out + n, "{\"id\":%zu,\"customer\":\"u%zu@example.com\",\"total\":%zu.%02zu,"
                                          "\"placed_at\":\"2024-03-05T12:34:56.%06zuZ\",\"note\":%s}",
                                 i, i, i % 1000, i % 100, i, i % 3 ? "\"rush\"" : "null");
        if (i < lines) n += (size_t)sprintf(out + n, "%s", i % 5 == 0 ? "\r\n" : "\n"); /* the last has no line end */
        if (i % 97 == 0) n += (size_t)sprintf(out + n, "  \t\n");
    }
    return n;
}

/* What the reject function saw: each reject as "line|text|issues as JSON\n". */
typedef struct seen {
    char *text;
    size_t len, cap, count;
    int stop_at; /* the reject whose call returns 7; 0: none */
} seen;

static int on_reject(void *ctx, size_t line, const char *text, size_t len, const lake_error *error) {
    seen *w = ctx;
    char *issues = NULL;
    size_t ilen = 0;
    if (error->code != LAKE_EVALIDATION || lake_issues_to_json(error->issues, 0, 100, &issues, &ilen)) return 99;
    size_t need = w->len + len + ilen + 64;
    if (need > w->cap) {
        w->cap = 2 * need;
        w->text = realloc(w->text, w->cap);
        if (!w->text) abort();
    }
    w->len += (size_t)sprintf(w->text + w->len, "%zu|%.*s|%.*s\n", line, (int)len, text, (int)ilen, issues);
    lake_free(issues);
    return ++w->count == (size_t)w->stop_at ? 7 : 0;
}

/* The rejects decoding each line on this thread gives, as on_reject records them. */
static seen expected(const char *text, size_t n) {
    seen w = {NULL, 0, 0, 0, 0};
    lake_arena *arena;
    order rec;
    lake_arena_new(&arena);
    size_t line = 0;
    for (size_t at = 0; at < n;) {
        const char *nl = memchr(text + at, '\n', n - at);
        size_t raw = nl ? (size_t)(nl - text - at) + 1 : n - at, len = raw;
        line++;
        if (len && text[at + len - 1] == '\n') len--;
        if (len && text[at + len - 1] == '\r') len--;
        if (strspn(text + at, " \t") < len) {
            lake_error err = LAKE_ERROR_INIT;
            if (lake_json_decode(schema(), text + at, len, &rec, arena, line, NULL, &err))
                on_reject(&w, line, text + at, len, &err);
            lake_error_clear(&err);
            lake_arena_reset(arena);
        }
        at += raw;
    }
    lake_arena_free(arena);
    return w;
}

static lake_client *client_with(unsigned threads) {
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging_url;
    o.threads = threads;
    lake_client *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    lake_error_clear(&err);
    return c;
}

/* Feeds text in blocks: whole, or cut anywhere into sizes from 1 byte to more than a chunk. */
static int feed_blocks(lake_ingest *in, const char *text, size_t n, bool whole, seen *w, lake_error *err) {
    int rc = LAKE_OK;
    for (size_t at = 0, step = 900, i = 0; !rc && at < n; step = step * 7 % 2500000 + 1, i++) {
        size_t size = whole ? n : i % 3 == 0 ? step % 11 + 1 : step, end = at + size < n ? at + size : n;
        rc = lake_ingest_ndjson(in, text + at, end - at, on_reject, w, err);
        at = end;
    }
    return rc ? rc : lake_ingest_ndjson_end(in, on_reject, w, err);
}

/* The table as one number: its rows' values hashed, order-free. */
static int64_t table_print(lake_client *c) {
    return scalar(c, "SELECT CAST(coalesce(sum(hash(id, customer, total, placed_at, note)), 0) % 1000000007 AS BIGINT) "
                     "AS n FROM orders");
}

static void every_thread_count_gives_the_same_table_and_rejects(void) {
    static const size_t bad_every[] = {0, 1, 37}; /* good, bad, mixed */
    char *text = malloc(LINES * 160);
    CHECK(text);
    for (size_t k = 0; k < 3; k++) {
        size_t n = corpus(text, LINES, bad_every[k]);
        seen want = expected(text, n);
        int64_t base_rows = -1, base_print = -1;
        for (unsigned run = 0; run < 7; run++) {
            /* 1, 2, 4 threads, whole and cut; the last on the direct path */
            unsigned threads = run == 6 ? 2 : 1u << (run % 3);
            bool whole = run >= 3 && run < 6;
            lake_client *c = client_with(threads);
            lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
            io.path = run == 6 ? LAKE_PATH_DIRECT : LAKE_PATH_STAGED;
            lake_ingest *in = NULL;
            lake_error err = LAKE_ERROR_INIT;
            seen got = {NULL, 0, 0, 0, 0};
            CHECK_OK(lake_client_ingest_begin(c, schema(), &io, &in, &err), &err);
            CHECK_OK(feed_blocks(in, text, n, whole, &got, &err), &err);
            lake_insert_result res = LAKE_INSERT_RESULT_INIT;
            CHECK_OK(lake_ingest_commit(in, &res, &err), &err);
            if (got.len != want.len || (got.len && memcmp(got.text, want.text, got.len))) {
                fprintf(stderr, "  corpus %zu, run %u: rejects differ (%zu, want %zu)\n", k, run, got.count, want.count);
                CHECK(!"the rejects are one thread's");
            }
            int64_t rows = scalar(c, "SELECT count(*) AS n FROM orders"), print = table_print(c);
            CHECK_EQ_INT(res.rows, (uint64_t)rows);
            CHECK_EQ_INT((size_t)rows, LINES - want.count);
            if (base_rows < 0) base_rows = rows, base_print = print;
            CHECK_EQ_INT(rows, base_rows);
            CHECK_EQ_INT(print, base_print);
            lake_metrics m = LAKE_METRICS_INIT;
            CHECK_OK(lake_client_metrics(c, &m), NULL);
            CHECK_EQ_INT(m.records_rejected, want.count);
            free(got.text);
            lake_error_clear(&err);
            lake_client_close(c);
        }
        free(want.text);
    }
    CHECK(staging_empty());
    free(text);
}

static void a_text_after_an_end_counts_from_line_one(void) {
    lake_client *c = client_with(2);
    lake_ingest *in = NULL;
    lake_error err = LAKE_ERROR_INIT;
    seen got = {NULL, 0, 0, 0, 0};
    CHECK_OK(lake_client_ingest_begin(c, schema(), NULL, &in, &err), &err);
    static const char a[] = "{\"id\":1,\"customer\":\"a@example.com\",\"placed_at\":\"2024-01-01T00:00:00Z\"}\n\n{\"id\":2}",
                      b[] = "{\"id\":3}\n{\"id\":4,\"customer\":\"b@example.com\",\"placed_at\":\"2024-01-01T00:00:00Z\"}\n";
    CHECK_OK(lake_ingest_ndjson(in, a, 40, on_reject, &got, &err), &err); /* a line cut in two calls */
    CHECK_OK(lake_ingest_ndjson(in, a + 40, sizeof a - 41, on_reject, &got, &err), &err);
    CHECK_OK(lake_ingest_ndjson_end(in, on_reject, &got, &err), &err);
    CHECK_OK(lake_ingest_ndjson_end(in, on_reject, &got, &err), &err); /* nothing fed since: nothing to do */
    CHECK_OK(lake_ingest_ndjson(in, b, sizeof b - 1, on_reject, &got, &err), &err);
    CHECK_OK(lake_ingest_ndjson_end(in, on_reject, &got, &err), &err);
    CHECK_EQ_INT(got.count, 2);
    CHECK(got.text && !strncmp(got.text, "3|{\"id\":2}|", 11) && strstr(got.text, "\n1|{\"id\":3}|"));
    /* A batch appended after the text's end lands after its records. */
    order more[1];
    make(more, 1, 5);
    CHECK_OK(lake_ingest_append(in, more, 1, &err), &err);
    lake_insert_result res = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_ingest_commit(in, &res, &err), &err);
    CHECK_EQ_INT(res.rows, 3);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE id IN (1, 4, 5)"), 3);
    free(got.text);
    lake_error_clear(&err);
    lake_client_close(c);
}

static void an_unended_text_holds_appends_and_commit_back(void) {
    lake_client *c = client_with(2);
    lake_ingest *in = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_ingest_begin(c, schema(), NULL, &in, &err), &err);
    static const char a[] = "{\"id\":1,\"customer\":\"a@example.com\",\"placed_at\":\"2024-01-01T00:00:00Z\"}\n";
    CHECK_OK(lake_ingest_ndjson(in, a, sizeof a - 1, NULL, NULL, &err), &err);
    order more[1];
    make(more, 1, 5);
    CHECK_STATUS(lake_ingest_append(in, more, 1, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "lake_ingest_ndjson_end");
    CHECK_STATUS(lake_ingest_ndjson(NULL, a, 1, NULL, NULL, &err), LAKE_EINVAL, &err);
    CHECK_STATUS(lake_ingest_ndjson(in, NULL, 1, NULL, NULL, &err), LAKE_EINVAL, &err);
    CHECK_STATUS(lake_ingest_commit(in, NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "not ended");
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 0);
    CHECK(staging_empty());
    lake_error_clear(&err);
    lake_client_close(c);
}

/* Feeds the mixed corpus in cut blocks; the first failure's status, or the end's. */
static int feed_mixed(lake_ingest *in, seen *w, lake_error *err) {
    char *text = malloc(LINES * 160);
    if (!text) abort();
    size_t n = corpus(text, LINES, 37);
    int rc = feed_blocks(in, text, n, false, w, err);
    free(text);
    return rc;
}

/* A broken request: it takes no more text, and its commit writes nothing and leaves no staged part. */
static void nothing_written(lake_client *c, lake_ingest *in, lake_error *err) {
    CHECK_STATUS(lake_ingest_ndjson(in, "{}", 2, NULL, NULL, err), LAKE_EINVAL, err);
    CHECK_STATUS(lake_ingest_ndjson_end(in, NULL, NULL, err), LAKE_EINVAL, err);
    CHECK_STATUS(lake_ingest_commit(in, NULL, err), LAKE_EINVAL, err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 0);
    CHECK(staging_empty());
}

static void a_stop_from_on_reject_writes_nothing(void) {
    for (unsigned threads = 1; threads <= 4; threads *= 2) {
        lake_client *c = client_with(threads);
        lake_ingest *in = NULL;
        lake_error err = LAKE_ERROR_INIT;
        seen got = {NULL, 0, 0, 0, 300};
        CHECK_OK(lake_client_ingest_begin(c, schema(), NULL, &in, &err), &err);
        CHECK_STATUS(feed_mixed(in, &got, &err), 7, &err);
        CHECK_CONTAINS(err.message, "on_reject");
        CHECK_EQ_INT(got.count, 300); /* no reject after the stop */
        nothing_written(c, in, &err);
        free(got.text);
        lake_error_clear(&err);
        lake_client_close(c);
    }
}

/* ---- allocation failures on the decoding threads */

static void an_allocation_failure_on_a_thread_fails_the_request(void) {
    static const long points[] = {0, 1, 2, 3, 5, 8, 13, 40, 200, 1000};
    for (size_t k = 0; k < sizeof points / sizeof points[0]; k++) {
        lake_client *c = client_with(k % 2 ? 4 : 2);
        lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
        io.path = k % 3 ? LAKE_PATH_STAGED : LAKE_PATH_DIRECT;
        lake_ingest *in = NULL;
        lake_error err = LAKE_ERROR_INIT;
        seen got = {NULL, 0, 0, 0, 0};
        CHECK_OK(lake_client_ingest_begin(c, schema(), &io, &in, &err), &err);
        thread_alloc_failures_arm(points[k]);
        int rc = feed_mixed(in, &got, &err);
        thread_alloc_failures_arm(-1);
        if (rc != LAKE_ENOMEM) fprintf(stderr, "  failure point %ld: %d %s\n", points[k], rc, err.message);
        CHECK_STATUS(rc, LAKE_ENOMEM, &err);
        CHECK_CONTAINS(err.message, "out of memory");
        nothing_written(c, in, &err);
        free(got.text);
        lake_error_clear(&err);
        lake_client_close(c);
    }
}

int main(void) {
    thread_alloc_failures_install(); /* before any other lakeorm call; it fails nothing until armed */
    fixture_begin();
    LAKE_RUN(every_thread_count_gives_the_same_table_and_rejects);
    LAKE_RUN(a_text_after_an_end_counts_from_line_one);
    LAKE_RUN(an_unended_text_holds_appends_and_commit_back);
    LAKE_RUN(a_stop_from_on_reject_writes_nothing);
    LAKE_RUN(an_allocation_failure_on_a_thread_fails_the_request);
    return fixture_end();
}
