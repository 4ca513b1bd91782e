/* SPDX-License-Identifier: MIT */
/* OAuth2 for GCS: a fixed bearer token, or one exchanged for a JWT signed
 * (RS256, OpenSSL) with a service-account key, cached and refreshed a minute
 * before it expires. Thread-safe. */
#ifndef LAKE_BACKENDS_GCS_AUTH_H
#define LAKE_BACKENDS_GCS_AUTH_H

#include <pthread.h>
#include <stdint.h>

#include "backends/http.h"

typedef struct lake__gcs_auth {
    pthread_mutex_t lock;
    char *token;          /* current bearer token, or NULL: anonymous (an emulator) */
    int64_t expires_at;   /* unix seconds; 0 = never (a token given as is) */
    char *client_email, *private_key, *token_uri; /* from the key file */
} lake__gcs_auth;

/* From the options' token or key file, then the environment; anonymous when
 * `anonymous_ok` and nothing is set. */
int lake__gcs_auth_init(lake__gcs_auth *a, const char *token, const char *key_file, bool anonymous_ok, lake_error *err);
void lake__gcs_auth_dispose(lake__gcs_auth *a);

/* "Bearer <token>" into out (cap bytes), fetching or refreshing as needed;
 * "" when anonymous. */
int lake__gcs_auth_header(lake__gcs_auth *a, lake__http *http, char *out, size_t cap, lake_error *err);

/* The signed JWT for a key, at time `now` (tests check it against openssl). */
int lake__gcs_jwt(const lake__gcs_auth *a, int64_t now, lake__buf *out, lake_error *err);

#endif
