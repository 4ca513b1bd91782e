/* SPDX-License-Identifier: MIT */
/* Where an engine elsewhere (Spark Connect, a SQL warehouse) reads a staged
 * request's parts: they stay where the client wrote them. */
#ifndef LAKE_DRIVERS_STAGED_REMOTE_H
#define LAKE_DRIVERS_STAGED_REMOTE_H

#include "drivers/driver.h"

/* out->location: the parts' folder under `prefix` of `staging`, as the
 * engine names it, by the backend's reach: the URL of a NETWORK backend
 * (without its query) with s3:// written as `s3_scheme` ("s3a://" for
 * Hadoop's connector, "s3://" for Databricks), other schemes kept; the local
 * folder's path of a MACHINE one (the engine must share it: tests, one
 * machine). No local copy is made. LAKE_ENOTSUP for a PROCESS backend. */
int lake__staged_remote(lake_backend *staging, const char *prefix, const char *s3_scheme, lake__staged *out,
                        lake_error *err);

#endif
