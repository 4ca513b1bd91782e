/* SPDX-License-Identifier: MIT */
/* Databricks SQL warehouse addresses: what a warehouse's "Connection
 * details" tab shows, server hostname plus HTTP path, as one string:
 *   https://<workspace-host>[:port]/sql/1.0/warehouses/<warehouse-id>[;key=value...]
 * Keys: token (a personal access token), client_id and client_secret (an
 * OAuth service principal, machine to machine), wait (seconds the server
 * holds a submission before the client polls: 0 or 5-50, default 10),
 * timeout (seconds a statement may run before it is canceled; 0 = no limit),
 * links (result chunks downloaded at once, default 4). Without credentials
 * in the string, DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and
 * DATABRICKS_CLIENT_SECRET, are used. http:// is accepted for loopback hosts
 * only (local test servers): a token never crosses a network in clear. */
#ifndef LAKE_DRIVERS_DATABRICKS_TARGET_H
#define LAKE_DRIVERS_DATABRICKS_TARGET_H

#include <lakeorm/error.h>

typedef struct lake__dbx_target {
    char base[300];      /* scheme://host[:port], no trailing slash */
    char warehouse[128];
    char *token, *client_id, *client_secret; /* owned; wiped when disposed */
    unsigned wait_seconds;
    double timeout_seconds;
    unsigned links;
} lake__dbx_target;

/* Parses `url`; dispose the result also after a failure. Errors never
 * repeat a secret. */
int lake__dbx_target_parse(const char *url, lake__dbx_target *out, lake_error *err);
void lake__dbx_target_dispose(lake__dbx_target *t);

#endif
