/* SPDX-License-Identifier: MIT */
/* The Spark Connect driver: one gRPC channel, a pool of Spark sessions, and
 * executions (ExecutePlan streams) that survive a dropped stream by
 * reattaching, are released when done, and are retried with back-off while
 * the server is unavailable before it answered. */
#ifndef LAKE_DRIVERS_SPARK_SESSION_H
#define LAKE_DRIVERS_SPARK_SESSION_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <lakeorm/error.h>
#include <lakeorm/json.h>
#include <lakeorm/types.h>

#include "drivers/spark/grpc.h"
#include "drivers/spark/target.h"
#include "spark_connect.pb-c.h"

typedef struct lake__spark_session {
    char id[40];
    char server_side[64]; /* what the server said its session is; a change means it restarted */
    bool fresh;           /* new from session_get: not yet set up by its user */
    bool direct_ready;    /* set up for the direct path's local relations (driver.c) */
} lake__spark_session;

typedef struct lake__spark {
    lake__grpc *grpc;
    lake__spark_target target;
    char client_type[160];
    double retry_seconds; /* how long UNAVAILABLE and "not ready" are retried */
    unsigned long reattaches; /* streams picked up again, for tests and logs (atomic) */
    pthread_mutex_t lock;
    lake__spark_session *idle;
    size_t idle_count, pool_size;
    lake__spark_session *known; /* every session opened, to release at close */
    size_t known_count, known_cap;
} lake__spark;

/* Opens the driver for a connection string (see target.h); pool_size sessions
 * are kept (0: 8). Connects lazily. */
int lake__spark_open(lake__spark *sp, const char *url, size_t pool_size, lake_error *err);
/* Interrupts whatever still runs in the driver's sessions, releases them, and
 * closes the channel. */
void lake__spark_close(lake__spark *sp);

/* A session from the pool, or a new one; return it with session_put. */
int lake__spark_session_get(lake__spark *sp, lake__spark_session *out, lake_error *err);
void lake__spark_session_put(lake__spark *sp, const lake__spark_session *s);

/* An execution: responses one at a time. next gives each response (valid
 * until the next call), NULL at the end; progress and unknown response kinds
 * are skipped. close releases the execution on the server. */
typedef struct lake__spark_exec lake__spark_exec;
int lake__spark_exec_open(lake__spark *sp, lake__spark_session *s, const Spark__Connect__Plan *plan,
                          lake__spark_exec **out, lake_error *err);
int lake__spark_exec_next(lake__spark_exec *ex, const Spark__Connect__ExecutePlanResponse **out, lake_error *err);
void lake__spark_exec_close(lake__spark_exec *ex);

/* Runs a plan to its end, discarding the responses. */
int lake__spark_run(lake__spark *sp, lake__spark_session *s, const Spark__Connect__Plan *plan, lake_error *err);

/* Runs SQL as a command (DDL, DML, MERGE) with `?` markers bound, in order, to
 * typed parameters; when first_value is non-NULL, the num_affected_rows the
 * command answered with is written there as text ("" when it answered none:
 * DDL, and INSERT on Spark 4.0). */
int lake__spark_sql(lake__spark *sp, lake__spark_session *s, const char *sql, const lake_param *params,
                    size_t nparams, char *first_value, size_t cap, lake_error *err);

/* Registers `arrow` (a whole Arrow IPC stream) as the session's temporary view
 * `name`, replacing one of that name. */
int lake__spark_view(lake__spark *sp, lake__spark_session *s, const char *name, const void *arrow, size_t len,
                     lake_error *err);

/* Adds `item` to the session's comma-separated configuration list `key`
 * (through the Config RPC), unless the list holds it already. */
int lake__spark_conf_list_add(lake__spark *sp, lake__spark_session *s, const char *key, const char *item,
                              lake_error *err);

/* The server's Spark version ("4.0.1"). */
int lake__spark_version(lake__spark *sp, char *out, size_t cap, lake_error *err);

/* The result schema of a query, analyzed without running it (AnalyzePlan):
 * fn gets each top-level field's name and nullability, in order; a non-zero
 * return stops and is returned. */
typedef int (*lake__spark_field_fn)(void *ctx, const char *name, bool nullable);
int lake__spark_fields(lake__spark *sp, lake__spark_session *s, const char *sql, lake__spark_field_fn fn, void *ctx,
                       lake_error *err);

/* One bound parameter: a literal of its own type. */
typedef struct lake__spark_arg {
    Spark__Connect__Expression expr;
    Spark__Connect__Expression__Literal literal;
    Spark__Connect__Expression__Literal__Decimal decimal;
    char digits[48]; /* a decimal's value as text */
} lake__spark_arg;

/* Plan building, for the driver's callers: the SQL text is borrowed, the
 * parameters' values copied. */
typedef struct lake__spark_plan {
    Spark__Connect__Plan plan;
    Spark__Connect__Command command;
    Spark__Connect__SqlCommand sql_command;
    Spark__Connect__Relation relation;
    Spark__Connect__SQL sql;
    lake__spark_arg *args;
    Spark__Connect__Expression **arg_ptrs;
    Spark__Connect__DataType null_type; /* what every NULL parameter is: NullType */
    Spark__Connect__DataType__NULL null_kind;
    lake_arena *text; /* text parameters, NUL-terminated */
} lake__spark_plan;
/* A SQL relation with typed parameters: a query (as_command false) or a
 * command. LAKE_EINVAL for a parameter Spark cannot take (text that is not
 * UTF-8, an unknown type). Free with lake__spark_plan_dispose. */
int lake__spark_plan_sql(lake__spark_plan *p, const char *sql, const lake_param *params, size_t nparams,
                         bool as_command, lake_error *err);
void lake__spark_plan_dispose(lake__spark_plan *p);

#endif
