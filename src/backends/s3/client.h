/* SPDX-License-Identifier: MIT */
/* S3 requests over libcurl: configuration, signing, retries, errors. */
#ifndef LAKE_BACKENDS_S3_CLIENT_H
#define LAKE_BACKENDS_S3_CLIENT_H

#include <lakeorm/backend.h>

#include "backends/http.h"
#include "backends/s3/sigv4.h"
#include "util/buf.h"

typedef struct lake__s3 {
    char *scheme_host;  /* "http://127.0.0.1:9000" or "https://s3.eu-west-1.amazonaws.com" */
    char *host;         /* the Host header: "127.0.0.1:9000", or "bucket.s3...." virtual-hosted */
    char *bucket;
    char *prefix;       /* "" or "a/b/" : every key lives under it */
    char *region;
    char *access_key, *secret_key, *session_token;
    bool path_style;
    uint64_t part_size;
    unsigned max_parallel;
    lake__http http;
} lake__s3;

typedef struct lake__s3_request {
    const char *method;
    const char *key;         /* the object key under the prefix (raw); NULL: the bucket itself */
    bool raw_key;            /* key is the full bucket key, prefix already in it */
    lake__kv query[4];
    size_t nquery;
    lake__kv headers[4];     /* besides host, dates, hashes and tokens */
    size_t nheaders;
    const void *body;
    size_t body_len;
} lake__s3_request;

typedef lake__http_response lake__s3_response;

/* Sends a request, retrying 5xx, throttling and dropped connections with
 * jittered exponential back-off; 4xx are final. A non-2xx status is an error
 * naming the method, key, S3 code and request id (never a credential):
 * LAKE_ENOTFOUND for 404, LAKE_EAUTH for 401/403, LAKE_ECONFLICT for 409/412,
 * LAKE_ETIMEOUT for a timeout, LAKE_EIO for transport failures, LAKE_EREMOTE
 * otherwise. The response (status, body) is filled either way; dispose its
 * body with lake__buf_dispose. */
int lake__s3_send(lake__s3 *s, const lake__s3_request *r, lake__s3_response *resp, lake_error *err);

/* Fills the configuration from the URL's bucket/prefix, the options, the
 * environment and the shared credentials file. */
int lake__s3_configure(lake__s3 *s, const char *bucket_and_prefix, const lake_s3_options *opts, lake_error *err);
void lake__s3_dispose(lake__s3 *s);

#endif
