/* SPDX-License-Identifier: MIT */
/* Spark Connect connection strings (Spark's client-connection-string spec):
 *   sc://host[:port][/;key=value;key=value...]
 * port defaults to 15002. Reserved keys: token (a bearer token; implies TLS),
 * use_ssl (true|false), user_id, user_agent, session_id (a UUID),
 * grpc_max_message_size (bytes). Every other key is sent as a gRPC header
 * on every call: that is how Databricks' x-databricks-cluster-id travels. */
#ifndef LAKE_DRIVERS_SPARK_TARGET_H
#define LAKE_DRIVERS_SPARK_TARGET_H

#include <stdbool.h>

#include <lakeorm/error.h>

#include "drivers/spark/grpc.h"

typedef struct lake__spark_target {
    char address[300]; /* host:port for gRPC */
    bool tls;
    char user_id[128];
    char user_agent[128];
    char session_id[40];   /* empty: each pooled session makes its own */
    int max_message_bytes; /* 0: lakeorm's default */
    lake__grpc_header *headers; /* authorization first when a token is given, then the extra keys */
    size_t header_count;
} lake__spark_target;

/* Parses `url`; free the result with lake__spark_target_dispose, also after a
 * failure. Errors never repeat the token. */
int lake__spark_target_parse(const char *url, lake__spark_target *out, lake_error *err);
void lake__spark_target_dispose(lake__spark_target *t);

#endif
