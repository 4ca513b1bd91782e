/* SPDX-License-Identifier: MIT */
/* AWS Signature Version 4, computed with OpenSSL's HMAC-SHA256. The signer
 * works on raw (decoded) paths and query parameters and produces both the
 * canonical, encoded forms the request must use and the Authorization value,
 * so what is signed and what is sent cannot drift apart. */
#ifndef LAKE_BACKENDS_S3_SIGV4_H
#define LAKE_BACKENDS_S3_SIGV4_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

typedef struct lake__kv {
    const char *key, *value; /* a query parameter (value "" when it has none) or a header */
} lake__kv;

typedef struct lake__sigv4 {
    const char *access_key, *secret_key, *region, *service;
    const char *amz_date; /* "20150830T123600Z" */
} lake__sigv4;

/* RFC 3986 encoding: unreserved characters stay, everything else is %XX
 * (uppercase); '/' stays when keep_slash. Appends to out. */
void lake__uri_encode(lake__buf *out, const char *text, size_t len, bool keep_slash);

/* The canonical query string: every pair encoded, sorted by key then value,
 * "k=v" joined by '&' (a parameter without a value is written "k="). */
void lake__canonical_query(lake__buf *out, const lake__kv *query, size_t n);

/* Hex SHA-256 of bytes into out[65]. */
void lake__sha256_hex(const void *data, size_t len, char out[65]);

/* The Authorization header value for a request. `path` is raw: each segment
 * is encoded once (S3's rule). Headers are signed as given (names compared
 * without case, values trimmed and inner runs of spaces collapsed); the host
 * and x-amz-date headers must be among them. payload_hash is the hex SHA-256
 * of the body or "UNSIGNED-PAYLOAD". Returns 0, or -1 when out of memory. */
int lake__sigv4_authorization(lake__buf *out, const lake__sigv4 *key, const char *method, const char *path,
                              const lake__kv *query, size_t nquery, const lake__kv *headers, size_t nheaders,
                              const char *payload_hash);

#endif
