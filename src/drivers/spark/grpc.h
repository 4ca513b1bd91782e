/* SPDX-License-Identifier: MIT */
/* gRPC calls through gRPC core's C API: one channel per client (HTTP/2,
 * plaintext or TLS), calls that send one message and read a stream back. The
 * status a call ends with becomes a lake_error; the google.rpc.Status details
 * a server attaches (Spark's error class and SQL state) are decoded into it. */
#ifndef LAKE_DRIVERS_SPARK_GRPC_H
#define LAKE_DRIVERS_SPARK_GRPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lakeorm/error.h>

typedef struct lake__grpc lake__grpc;

typedef struct lake__grpc_header {
    char *key, *value; /* key lower-case, as HTTP/2 wants */
} lake__grpc_header;

typedef struct lake__grpc_options {
    const char *target;                /* host:port */
    bool tls;                          /* verified against the system roots (or roots_pem) */
    const char *roots_pem;             /* NULL: gRPC's default roots */
    const lake__grpc_header *headers;  /* sent with every call (authorization, routing headers) */
    size_t header_count;
    int max_receive_bytes;             /* per message; Arrow batches outgrow gRPC's 4 MiB default */
    const char *user_agent;
} lake__grpc_options;

/* Opens the channel (it connects lazily, on the first call). Copies what it
 * keeps. Free with lake__grpc_close. */
int lake__grpc_open(lake__grpc **out, const lake__grpc_options *o, lake_error *err);
void lake__grpc_close(lake__grpc *g);

/* What a call ended with, beyond the lake_error: the gRPC status code and,
 * from Spark's ErrorInfo, the error class (or, for an exception without one,
 * its class name) and SQL state when present. */
typedef struct lake__grpc_status {
    int code; /* grpc_status_code; 0 = OK */
    char error_class[128];
    char sql_state[16];
    /* What the exception's class hierarchy (ErrorInfo metadata "classes")
     * says, by lake__error_class_kind: an exception without an error class
     * is known by its classes (Delta's commit conflicts all extend
     * java.util.ConcurrentModificationException). */
    lake_error_kind classes_kind;
} lake__grpc_status;

/* The kind of a failed call, decided from its status, once: the transport's
 * code first (UNAVAILABLE, RESOURCE_EXHAUSTED: retryable; UNAUTHENTICATED,
 * PERMISSION_DENIED: permission), then Spark's error class or the exception's
 * classes, then the SQL state. The status_error of every call uses it. */
lake_error_kind lake__grpc_status_kind(const lake__grpc_status *st);

/* A call: `method` is "/package.Service/Rpc"; the request is sent whole and
 * the client half closed. timeout_s <= 0: no deadline. */
typedef struct lake__grpc_call lake__grpc_call;
int lake__grpc_call_start(lake__grpc *g, const char *method, const void *request, size_t len, double timeout_s,
                          lake__grpc_call **out, lake_error *err);

/* The next response message into *data and *len, valid until the next call on
 * `call`; *data NULL when the stream ended with OK. A failed status is an
 * error: LAKE_EREMOTE (the server refused or failed the request),
 * LAKE_ETIMEOUT (deadline), LAKE_EAUTH (unauthenticated, permission denied),
 * LAKE_EIO (unavailable: the server was not reached or went away), its kind
 * by lake__grpc_status_kind, engine_class and sqlstate from the status. */
int lake__grpc_call_next(lake__grpc_call *call, const uint8_t **data, size_t *len, lake_error *err);

/* The status of a call that ended (after next returned the end or an error). */
const lake__grpc_status *lake__grpc_call_status(const lake__grpc_call *call);

/* Cancels a call in progress from any thread; its next read fails. */
void lake__grpc_call_cancel(lake__grpc_call *call);
/* Cancels the call if it is still running, and frees it. NULL is ignored. */
void lake__grpc_call_free(lake__grpc_call *call);

/* One request, one response (a unary RPC): the response bytes into *out. */
int lake__grpc_unary(lake__grpc *g, const char *method, const void *request, size_t len, double timeout_s,
                     uint8_t **out, size_t *out_len, lake__grpc_status *status, lake_error *err);

/* Decodes grpc-status-details-bin (a google.rpc.Status) into *st, and its
 * ErrorInfo's message parameters into `message` when the status had none.
 * Exposed for the fuzzer: these bytes come from the network. */
void lake__grpc_decode_details(const uint8_t *data, size_t len, lake__grpc_status *st, char *message, size_t cap);

#endif
