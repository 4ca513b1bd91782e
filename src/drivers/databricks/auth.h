/* SPDX-License-Identifier: MIT */
/* Credentials for a Databricks workspace: a personal access token used as
 * is, or an OAuth service principal whose client credentials are exchanged
 * at <workspace>/oidc/v1/token (machine to machine) for an access token,
 * cached and refreshed before it expires. Thread-safe: one fetch at a time,
 * other callers wait for its token. */
#ifndef LAKE_DRIVERS_DATABRICKS_AUTH_H
#define LAKE_DRIVERS_DATABRICKS_AUTH_H

#include <pthread.h>
#include <stdint.h>

#include "backends/http.h"
#include "drivers/databricks/target.h"

typedef struct lake__dbx_auth {
    pthread_mutex_t lock;
    const lake__dbx_target *target; /* borrowed: the driver's */
    char *token;                     /* the current OAuth access token */
    double refresh_at, expires_at;   /* monotonic seconds */
    unsigned long fetched;           /* tokens fetched, for logs and tests (atomic reads) */
} lake__dbx_auth;

void lake__dbx_auth_init(lake__dbx_auth *a, const lake__dbx_target *target);
void lake__dbx_auth_dispose(lake__dbx_auth *a);

/* "Authorization: Bearer ..." into out, fetching or refreshing as needed. */
int lake__dbx_auth_header(lake__dbx_auth *a, lake__http *http, char *out, size_t cap, lake_error *err);
/* The server refused `header` (401): an OAuth token is dropped so the next
 * call fetches a new one; true when that may help. */
bool lake__dbx_auth_refused(lake__dbx_auth *a, const char *header);

#endif
