/* SPDX-License-Identifier: MIT */
#include "drivers/databricks/read.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "arrow/ipc.h"
#include "arrow/records.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"

unsigned long lake__dbx_links_renewed;

enum { MAX_WINDOW = 64, MAX_ATTEMPTS = 5 };

typedef struct download {
    int64_t chunk, rows; /* rows: what the link said, -1 unknown */
    CURL *easy;
    struct curl_slist *headers;
    lake__buf body;
    bool busy, done;
    CURLcode result;
    long status;
    unsigned attempts;
} download;

struct lake__dbx_cursor {
    lake__dbx *d;
    const lake_schema *schema;
    lake_arena *arena;        /* records' strings */
    lake_arena *meta[2];      /* the API's answers: the latest, and the one being asked for */
    unsigned meta_at;         /* which of meta holds `last` */
    bool reset_arena, bound_checked;
    char statement_id[128];
    lake__dbx_response last; /* the latest answer holding links */
    int64_t next_start;      /* the next chunk to download; -1 after the last */
    int64_t next_decode;     /* the next chunk to hand out */
    CURLM *multi;
    download slots[MAX_WINDOW];
    unsigned window;
    lake__arrow_records chunk; /* the chunk being handed out, decoded */
};

static size_t on_body(char *data, size_t size, size_t n, void *ctx) {
    return lake__buf_put(ctx, data, size * n) ? 0 : size * n;
}

static download *slot_of(lake__dbx_cursor *cur, int64_t chunk) { return &cur->slots[chunk % cur->window]; }

/* The link for `chunk`: from the latest answer, else asked for. */
static int link_for(lake__dbx_cursor *cur, int64_t chunk, const lake__dbx_link **out, bool fresh, lake_error *err) {
    for (size_t i = 0; !fresh && i < cur->last.link_count; i++)
        if (cur->last.links[i].chunk_index == chunk && cur->last.links[i].url) return *out = &cur->last.links[i], LAKE_OK;
    /* Two arenas in turn keep a long stream's memory flat: `last` stays
     * whole until the new answer has arrived. */
    lake_arena *into = cur->meta[cur->meta_at ^ 1u];
    lake_arena_reset(into);
    lake__dbx_response fresh_answer;
    int rc = lake__dbx_chunk(cur->d, cur->statement_id, chunk, into, &fresh_answer, err);
    if (!rc) cur->last = fresh_answer, cur->meta_at ^= 1u;
    for (size_t i = 0; !rc && i < cur->last.link_count; i++)
        if (cur->last.links[i].chunk_index == chunk && cur->last.links[i].url) return *out = &cur->last.links[i], LAKE_OK;
    return rc ? rc : lake__error(err, LAKE_EREMOTE, "databricks: statement %s: no link for result chunk %lld",
                                 cur->statement_id, (long long)chunk);
}

static int start(lake__dbx_cursor *cur, int64_t chunk, bool fresh_link, lake_error *err) {
    const lake__dbx_link *link = NULL;
    int rc = link_for(cur, chunk, &link, fresh_link, err);
    if (rc) return rc;
    download *s = slot_of(cur, chunk);
    if (!s->easy && !(s->easy = curl_easy_init())) return lake__error(err, LAKE_ENOMEM, "out of memory");
    curl_easy_reset(s->easy);
    curl_slist_free_all(s->headers);
    s->headers = NULL;
    /* Only the link's own headers: never the workspace's Authorization. */
    for (size_t i = 0; i < link->header_count; i++) {
        struct curl_slist *h = curl_slist_append(s->headers, link->headers[i]);
        if (!h) return lake__error(err, LAKE_ENOMEM, "out of memory");
        s->headers = h;
    }
    s->chunk = chunk;
    s->rows = link->row_count;
    s->body.len = 0;
    s->busy = true;
    s->done = false;
    curl_easy_setopt(s->easy, CURLOPT_URL, link->url);
    curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->headers);
    curl_easy_setopt(s->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS, 300000L);
    curl_easy_setopt(s->easy, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, &s->body);
    curl_easy_setopt(s->easy, CURLOPT_PRIVATE, s);
    if (curl_multi_add_handle(cur->multi, s->easy) != CURLM_OK)
        return lake__error(err, LAKE_EIO, "databricks: cannot start a result download");
    if (link->next_chunk_index >= 0 || chunk + 1 < cur->last.total_chunk_count)
        cur->next_start = link->next_chunk_index >= 0 ? link->next_chunk_index : chunk + 1;
    else cur->next_start = -1;
    return LAKE_OK;
}

/* Keeps `window` downloads going ahead of the reader. */
static int fill(lake__dbx_cursor *cur, lake_error *err) {
    while (cur->next_start >= 0 && cur->next_start < cur->next_decode + (int64_t)cur->window) {
        download *s = slot_of(cur, cur->next_start);
        if (s->busy) break;
        s->attempts = 0; /* a slot's retries are its current chunk's, not the ones it held before */
        int rc = start(cur, cur->next_start, false, err);
        if (rc) return rc;
    }
    return LAKE_OK;
}

static void pause_ms(unsigned ms) {
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&t, NULL);
}

/* Drives the downloads until chunk `chunk` is in, retrying what may pass. */
static int wait_for(lake__dbx_cursor *cur, int64_t chunk, lake_error *err) {
    download *s = slot_of(cur, chunk);
    for (;;) {
        while (!s->done) {
            int running;
            if (curl_multi_perform(cur->multi, &running) != CURLM_OK ||
                curl_multi_poll(cur->multi, NULL, 0, 1000, NULL) != CURLM_OK)
                return lake__error(err, LAKE_EIO, "databricks: result downloads failed");
            CURLMsg *m;
            int left;
            while ((m = curl_multi_info_read(cur->multi, &left))) {
                if (m->msg != CURLMSG_DONE) continue;
                download *done;
                curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&done);
                done->result = m->data.result;
                curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &done->status);
                curl_multi_remove_handle(cur->multi, m->easy_handle);
                done->done = true;
            }
        }
        if (s->result == CURLE_OK && s->status == 200) return LAKE_OK;
        /* A pre-signed link lives minutes: an expired or refused one is asked for again. */
        bool expired = s->result == CURLE_OK && (s->status == 403 || s->status == 400 || s->status == 404);
        bool transient = s->result != CURLE_OK || s->status == 429 || s->status >= 500;
        if ((!expired && !transient) || ++s->attempts >= MAX_ATTEMPTS) {
            if (s->result != CURLE_OK)
                return lake__error(err, LAKE_EIO, "databricks: statement %s: downloading result chunk %lld: %s",
                                   cur->statement_id, (long long)chunk, curl_easy_strerror(s->result));
            return lake__error_engine(err, LAKE_EREMOTE, lake__dbx_http_kind(s->status), NULL, NULL,
                                      "databricks: statement %s: result chunk %lld: HTTP %ld from its link (after %u "
                                      "attempts)", cur->statement_id, (long long)chunk, s->status, s->attempts);
        }
        if (transient) pause_ms(100u << (s->attempts < 6 ? s->attempts : 6));
        else __atomic_add_fetch(&lake__dbx_links_renewed, 1, __ATOMIC_RELAXED);
        int64_t keep_next = cur->next_start;
        int rc = start(cur, chunk, expired, err);
        cur->next_start = keep_next;
        if (rc) return rc;
    }
}

/* An empty result has no stream to bind: the manifest names the columns. */
static int check_columns(lake__dbx_cursor *cur, lake_error *err) {
    size_t n = lake_schema_column_count(cur->schema);
    for (size_t i = 0; i < n; i++) {
        const char *name = lake_schema_column(cur->schema, i)->name;
        size_t j = 0;
        while (j < cur->last.column_count && strcmp(cur->last.columns[j], name)) j++;
        if (j == cur->last.column_count)
            return lake__error(err, LAKE_EMISMATCH, "the result has no column \"%s\" for the model's field", name);
    }
    return LAKE_OK;
}

int lake__dbx_cursor_open(lake__dbx *d, const lake_schema *schema, const char *sql, const lake_param *params,
                          size_t nparams, const lake__dbx_param *named, size_t nnamed, lake_arena *arena,
                          bool reset_arena, lake__dbx_cursor **out, lake_error *err) {
    *out = NULL;
    lake__dbx_cursor *cur = lake__calloc(1, sizeof *cur);
    if (!cur) return lake__error(err, LAKE_ENOMEM, "out of memory");
    cur->d = d;
    cur->schema = schema;
    lake__arrow_records_init(&cur->chunk, schema ? lake_schema_record_size(schema) : 1);
    cur->arena = arena;
    cur->reset_arena = reset_arena;
    cur->window = d->target.links < MAX_WINDOW ? d->target.links : MAX_WINDOW;
    const char *text = NULL;
    lake__dbx_param *bound = NULL;
    int rc = lake_arena_new(&cur->meta[0]) || lake_arena_new(&cur->meta[1]) || !(cur->multi = curl_multi_init())
           ? lake__error(err, LAKE_ENOMEM, "out of memory")
           : lake__dbx_bind(d->dialect, sql, params, nparams, named, nnamed, cur->meta[1], &text, &bound, err);
    if (!rc) rc = lake__dbx_run(d, text, bound, nparams + nnamed, LAKE__DBX_ARROW_LINKS, cur->meta[0], &cur->last, err);
    /* The request's text and parameters were sent: meta[1] waits for the first chunk answer asked for. */
    lake_arena_reset(cur->meta[1]);
    if (!rc) {
        snprintf(cur->statement_id, sizeof cur->statement_id, "%s", cur->last.statement_id);
        cur->next_start = cur->last.link_count ? cur->last.links[0].chunk_index : -1;
        if (cur->next_start < 0 && cur->last.total_chunk_count > 0) cur->next_start = 0;
        if (cur->next_start < 0 && schema) rc = check_columns(cur, err);
    }
    if (!rc) rc = fill(cur, err);
    if (rc) {
        lake__dbx_cursor_close(cur);
        return rc;
    }
    *out = cur;
    return LAKE_OK;
}

int lake__dbx_cursor_next(lake__dbx_cursor *cur, const void **record, lake_error *err) {
    while (!(*record = lake__arrow_records_next(&cur->chunk))) {
        download *s = slot_of(cur, cur->next_decode);
        if (!s->busy || s->chunk != cur->next_decode) return LAKE_OK; /* every chunk handed out */
        lake__arrow_records_clear(&cur->chunk);
        if (cur->reset_arena) lake_arena_reset(cur->arena);
        int rc = wait_for(cur, cur->next_decode, err);
        if (!rc) rc = s->body.failed ? lake__error(err, LAKE_ENOMEM, "out of memory")
                                     : lake__arrow_records_fill(&cur->chunk, s->body.data, s->body.len, cur->schema,
                                                                cur->arena, err);
        if (!rc && s->rows >= 0 && (int64_t)cur->chunk.count != s->rows)
            rc = lake__error(err, LAKE_EREMOTE, "databricks: result chunk %lld said %lld rows and held %zu",
                             (long long)s->chunk, (long long)s->rows, cur->chunk.count);
        if (rc) return rc;
        s->busy = false;
        s->body.len = 0;
        cur->next_decode++;
        if ((rc = fill(cur, err))) return rc;
    }
    return LAKE_OK;
}

const lake_schema *lake__dbx_cursor_schema(const lake__dbx_cursor *cur) {
    return lake__arrow_records_schema(&cur->chunk, cur->schema);
}

void lake__dbx_cursor_close(lake__dbx_cursor *cur) {
    if (!cur) return;
    for (unsigned i = 0; i < MAX_WINDOW; i++) {
        download *s = &cur->slots[i];
        if (!s->easy) continue;
        if (s->busy && !s->done) curl_multi_remove_handle(cur->multi, s->easy);
        curl_easy_cleanup(s->easy);
        curl_slist_free_all(s->headers);
        lake__buf_dispose(&s->body);
    }
    if (cur->multi) curl_multi_cleanup(cur->multi);
    lake_arena_free(cur->meta[0]);
    lake_arena_free(cur->meta[1]);
    lake__arrow_records_dispose(&cur->chunk);
    lake__free(cur);
}
