/* SPDX-License-Identifier: MIT */
/* HTTP for the object-storage backends: libcurl easy handles kept for their
 * connections, one request at a time per handle, and the retry policy every
 * backend shares (5xx, 429 and dropped connections, jittered back-off that
 * waits at least what a Retry-After asks, up to 30 s). */
#ifndef LAKE_BACKENDS_HTTP_H
#define LAKE_BACKENDS_HTTP_H

#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>

#include <lakeorm/backend.h>
#include <lakeorm/error.h>

#include "util/buf.h"

typedef struct lake__http {
    pthread_mutex_t lock;
    CURL *idle[16];
    size_t idle_count;
    long timeout_ms;
    unsigned max_attempts;
    bool insecure;
    /* Retry only what never ran: 429, 503 and connections never made. For
     * requests that must not run twice (a submitted SQL statement). */
    bool strict;
    /* What the last answer showed of the transport (lake_backend_transport),
     * under lock: a remote clock is only known by asking it something. */
    int64_t server_date_s;  /* the last answer's Date header, Unix seconds; 0: none seen */
    int64_t local_date_us;  /* the local clock when it arrived */
    bool tls;               /* the last request was https */
    long tls_verify_result; /* OpenSSL's verify result of its handshake (0: verified) */
    int tls_failed;         /* it failed on the peer's certificate: 1, else 0 */
    char ca_bundle[512];    /* the CA bundle libcurl verifies with; "" when it says none */
} lake__http;

typedef struct lake__http_response {
    long status;
    lake__buf body;
    char etag[128];
    char request_id[128]; /* x-amz-request-id or x-guploader-uploadid */
    char location[2048];
    long retry_after_s; /* the server's Retry-After, in seconds (0: none) */
    char date[64];      /* the server's Date header, "" when none */
} lake__http_response;

/* Builds one attempt: the URL and headers (freed by lake__http_call). Called
 * again for each retry, so signatures are fresh. A failure other than
 * LAKE_ENOMEM must have filled the caller's error itself. */
typedef int (*lake__http_prepare_fn)(void *ctx, lake__buf *url, struct curl_slist **headers);
/* Whether a complete answer should still be retried (beyond 5xx and 429). */
typedef bool (*lake__http_retry_fn)(const lake__http_response *resp);

void lake__http_init(lake__http *h, long timeout_ms, unsigned max_attempts, bool insecure);
void lake__http_dispose(lake__http *h);

/* Sends until an answer that is not retried, or attempts run out. LAKE_OK
 * with resp filled (any status: the caller judges it), or LAKE_ETIMEOUT /
 * LAKE_EIO for transport failures (message names method and `what`). */
int lake__http_call(lake__http *h, const char *method, lake__http_prepare_fn prepare, void *ctx, const void *body,
                    size_t len, lake__http_retry_fn retry, lake__http_response *resp, const char *what,
                    lake_error *err);

/* What the last request through h showed of the transport (see the fields
 * above), copied under its lock. */
void lake__http_observed(lake__http *h, lake_backend_transport *out);

#endif
