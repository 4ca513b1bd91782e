/* SPDX-License-Identifier: MIT */
/* Credentials for an Iceberg REST catalog, from the environment:
 * LAKEORM_ICEBERG_TOKEN, a bearer token used as it is; or
 * LAKEORM_ICEBERG_CLIENT_ID and LAKEORM_ICEBERG_CLIENT_SECRET, exchanged at
 * the catalog's /v1/oauth/tokens for a token (OAuth2 client credentials,
 * scope LAKEORM_ICEBERG_SCOPE or "catalog"), cached, and fetched again when
 * it expires or the server refuses it. Neither: no Authorization header.
 * Thread-safe: one fetch at a time. No secret reaches an error message. */
#ifndef LAKE_FORMATS_ICEBERG_REST_AUTH_H
#define LAKE_FORMATS_ICEBERG_REST_AUTH_H

#include <pthread.h>
#include <stdbool.h>

#include "backends/http.h"

/* The longest token lakeorm sends. */
enum { LAKE__ICEBERG_REST_TOKEN_MAX = 4096 };

typedef struct lake__iceberg_rest_auth {
    pthread_mutex_t lock;
    bool fixed;         /* the token came from LAKEORM_ICEBERG_TOKEN: never fetched */
    char *token;        /* the token in use; NULL: none yet, or anonymous */
    double refresh_at;  /* monotonic seconds; 0: until refused */
    char *token_url;    /* NULL: no client credentials */
    char *client_id, *client_secret, *scope;
} lake__iceberg_rest_auth;

/* From the environment, for the catalog at base (http(s)://host/path).
 * LAKE_EAUTH when only one of the client id and secret is set, or the token
 * could not stand in a header. */
int lake__iceberg_rest_auth_init(lake__iceberg_rest_auth *a, const char *base, lake_error *err);
void lake__iceberg_rest_auth_dispose(lake__iceberg_rest_auth *a);

/* "Authorization: Bearer <token>" into out (cap bytes), fetching a token
 * first when one is due; "" when anonymous. */
int lake__iceberg_rest_auth_header(lake__iceberg_rest_auth *a, lake__http *http, char *out, size_t cap,
                                   lake_error *err);

/* The server refused the token in `header` (401 or 419): a fetched token is
 * dropped, so the next header fetches another. True when that may help. */
bool lake__iceberg_rest_auth_refused(lake__iceberg_rest_auth *a, const char *header);

#endif
