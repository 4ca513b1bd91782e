/* SPDX-License-Identifier: MIT */
#include "backends/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "error/error.h"
#include "util/time.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

void lake__http_init(lake__http *h, long timeout_ms, unsigned max_attempts, bool insecure) {
    memset(h, 0, sizeof *h);
    pthread_once(&curl_once, curl_init);
    pthread_mutex_init(&h->lock, NULL);
    h->timeout_ms = timeout_ms > 0 ? timeout_ms : 60000;
    h->max_attempts = max_attempts ? max_attempts : 5;
    h->insecure = insecure;
}

void lake__http_dispose(lake__http *h) {
    for (size_t i = 0; i < h->idle_count; i++) curl_easy_cleanup(h->idle[i]);
    h->idle_count = 0;
    pthread_mutex_destroy(&h->lock);
}

static CURL *take_handle(lake__http *h) {
    CURL *c = NULL;
    pthread_mutex_lock(&h->lock);
    if (h->idle_count) c = h->idle[--h->idle_count];
    pthread_mutex_unlock(&h->lock);
    if (c) curl_easy_reset(c);
    else c = curl_easy_init();
    return c;
}

static void give_handle(lake__http *h, CURL *c) {
    pthread_mutex_lock(&h->lock);
    bool kept = h->idle_count < sizeof h->idle / sizeof h->idle[0];
    if (kept) h->idle[h->idle_count++] = c;
    pthread_mutex_unlock(&h->lock);
    if (!kept) curl_easy_cleanup(c);
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx) {
    return lake__buf_put(ctx, data, size * n) ? 0 : size * n;
}

static void header_value(const char *line, size_t len, const char *name, char *out, size_t cap) {
    size_t n = strlen(name);
    if (len <= n + 1 || strncasecmp(line, name, n) || line[n] != ':') return;
    const char *v = line + n + 1;
    size_t vlen = len - n - 1;
    while (vlen && (*v == ' ' || *v == '\t')) v++, vlen--;
    while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' ')) vlen--;
    if (vlen >= cap) vlen = cap - 1;
    memcpy(out, v, vlen);
    out[vlen] = 0;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx) {
    lake__http_response *r = ctx;
    header_value(data, size * n, "ETag", r->etag, sizeof r->etag);
    header_value(data, size * n, "x-amz-request-id", r->request_id, sizeof r->request_id);
    header_value(data, size * n, "x-guploader-uploadid", r->request_id, sizeof r->request_id);
    header_value(data, size * n, "Location", r->location, sizeof r->location);
    header_value(data, size * n, "Date", r->date, sizeof r->date);
    return size * n;
}

typedef struct body_reader {
    const char *data;
    size_t len, at;
} body_reader;

static size_t on_read(char *out, size_t size, size_t n, void *ctx) {
    body_reader *b = ctx;
    size_t take = size * n < b->len - b->at ? size * n : b->len - b->at;
    memcpy(out, b->data + b->at, take);
    b->at += take;
    return take;
}

/* libcurl resends a body (a reused connection found closed, a redirect)
 * from its start: the body is in memory, so it can always go back. */
static int on_seek(void *ctx, curl_off_t offset, int origin) {
    body_reader *b = ctx;
    if (origin != SEEK_SET || offset < 0 || (size_t)offset > b->len) return CURL_SEEKFUNC_FAIL;
    b->at = (size_t)offset;
    return CURL_SEEKFUNC_OK;
}

static bool retryable_curl(CURLcode c) {
    return c == CURLE_COULDNT_CONNECT || c == CURLE_SEND_ERROR || c == CURLE_RECV_ERROR || c == CURLE_GOT_NOTHING ||
           c == CURLE_PARTIAL_FILE || c == CURLE_OPERATION_TIMEDOUT || c == CURLE_COULDNT_RESOLVE_HOST ||
           c == CURLE_SEND_FAIL_REWIND;
}

static void backoff(unsigned attempt, long retry_after_s) {
    /* Full jitter on an exponential bound: 100 ms, 200 ms, ... up to 5 s;
     * never sooner than the server asked (a rate limiter's Retry-After), but
     * no more than 30 s: a longer wait is the caller's to decide. */
    unsigned bound = 100u << (attempt < 6 ? attempt : 6);
    if (bound > 5000) bound = 5000;
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)&attempt ^ attempt * 2654435761u;
    unsigned ms = (unsigned)rand_r(&seed) % bound + 1;
    unsigned asked = retry_after_s > 30 ? 30000u : retry_after_s > 0 ? (unsigned)retry_after_s * 1000u : 0;
    if (ms < asked) ms = asked;
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&t, NULL);
}

/* Keeps what this answer showed of the clock and of TLS for
 * lake__http_observed: a doctor asks after a request it made. */
static void observe(lake__http *h, CURL *c, const char *url, CURLcode rc, const lake__http_response *resp) {
    time_t date = resp->date[0] ? curl_getdate(resp->date, NULL) : -1;
    long verify = 0;
    curl_easy_getinfo(c, CURLINFO_SSL_VERIFYRESULT, &verify);
    char *ca = NULL;
#if LIBCURL_VERSION_NUM >= 0x075400 /* CURLINFO_CAINFO: 7.84 */
    curl_easy_getinfo(c, CURLINFO_CAINFO, &ca);
#endif
    pthread_mutex_lock(&h->lock);
    if (date > 0) {
        h->server_date_s = (int64_t)date;
        h->local_date_us = lake__now_ms() * 1000;
    }
    h->tls = !strncasecmp(url, "https://", 8);
    h->tls_verify_result = verify;
    h->tls_failed = rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE;
    snprintf(h->ca_bundle, sizeof h->ca_bundle, "%s", ca ? ca : "");
    pthread_mutex_unlock(&h->lock);
}

void lake__http_observed(lake__http *h, lake_backend_transport *out) {
    pthread_mutex_lock(&h->lock);
    out->http = true;
    out->clock_known = h->server_date_s > 0;
    /* Date has whole seconds: the skew is known to a second. */
    out->clock_skew_us = out->clock_known ? h->server_date_s * 1000000 - h->local_date_us : 0;
    out->tls = h->tls;
    out->tls_verified = h->tls && !h->insecure && !h->tls_failed && h->tls_verify_result == 0;
    out->tls_insecure = h->insecure;
    out->tls_verify_result = h->tls_verify_result;
    snprintf(out->ca_bundle, sizeof out->ca_bundle, "%s", h->ca_bundle);
    pthread_mutex_unlock(&h->lock);
}

static CURLcode perform(lake__http *h, CURL *c, const char *method, const char *url, struct curl_slist *headers,
                        const void *body, size_t len, lake__http_response *resp) {
    body_reader reader = {body, len, 0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->timeout_ms < 10000 ? h->timeout_ms : 10000L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, h->insecure ? 0L : 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, h->insecure ? 0L : 2L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
    if (!strcmp(method, "GET")) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else if (!strcmp(method, "HEAD")) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(c, CURLOPT_READDATA, &reader);
        curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, on_seek);
        curl_easy_setopt(c, CURLOPT_SEEKDATA, &reader);
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    }
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
    observe(h, c, url, rc, resp);
    curl_off_t retry_after = 0; /* libcurl reads both forms: seconds and an HTTP date */
    if (rc == CURLE_OK && curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0)
        resp->retry_after_s = retry_after > 86400 ? 86400 : (long)retry_after;
    return rc;
}

int lake__http_call(lake__http *h, const char *method, lake__http_prepare_fn prepare, void *ctx, const void *body,
                    size_t len, lake__http_retry_fn retry, lake__http_response *resp, const char *what,
                    lake_error *err) {
    memset(resp, 0, sizeof *resp);
    CURLcode crc = CURLE_OK;
    for (unsigned attempt = 0;; attempt++) {
        lake__buf url = LAKE__BUF_INIT;
        struct curl_slist *headers = NULL;
        int rc = prepare(ctx, &url, &headers);
        if (!rc) rc = lake__buf_putc(&url, 0) ? LAKE_ENOMEM : LAKE_OK;
        CURL *c = rc ? NULL : take_handle(h);
        if (!rc && !c) rc = LAKE_ENOMEM;
        if (!rc) {
            resp->body.len = 0;
            resp->status = 0;
            resp->etag[0] = resp->request_id[0] = resp->location[0] = resp->date[0] = 0;
            resp->retry_after_s = 0;
            crc = perform(h, c, method, url.data, headers, body, len, resp);
            give_handle(h, c);
        }
        curl_slist_free_all(headers);
        lake__buf_dispose(&url);
        if (rc) return rc == LAKE_ENOMEM ? lake__error(err, rc, "out of memory") : rc; /* prepare said why */
        bool again = h->strict ? (crc == CURLE_COULDNT_CONNECT || crc == CURLE_COULDNT_RESOLVE_HOST ||
                                  (crc == CURLE_OK && (resp->status == 429 || resp->status == 503)))
                   : crc != CURLE_OK ? retryable_curl(crc)
                   : resp->status >= 500 || resp->status == 429 || (retry && retry(resp));
        if (!again || attempt + 1 >= h->max_attempts) break;
        backoff(attempt, crc == CURLE_OK ? resp->retry_after_s : 0);
    }
    if (crc != CURLE_OK)
        return lake__error(err, crc == CURLE_OPERATION_TIMEDOUT ? LAKE_ETIMEOUT : LAKE_EIO, "%s %s: %s (after %u attempts)",
                           method, what, curl_easy_strerror(crc), h->max_attempts);
    return LAKE_OK;
}
