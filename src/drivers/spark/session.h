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

#include "drivers/spark/grpc.h"
#include "drivers/spark/target.h"
#include "spark_connect.pb-c.h"

typedef struct lake__spark_session {
    char id[40];
    char server_side[64]; /* what the server said its session is; a change means it restarted */
    bool fresh;           /* new from session_get: not yet set up by its user */
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
 * text parameters; when first_value is non-NULL, the first column of the
 * first result row is written there as text ("" for none: the Arrow result
 * of a command, such as num_affected_rows). */
int lake__spark_sql(lake__spark *sp, lake__spark_session *s, const char *sql, const char *const *params,
                    size_t nparams, char *first_value, size_t cap, lake_error *err);

/* Registers `arrow` (a whole Arrow IPC stream) as the session's temporary view
 * `name`, replacing one of that name. */
int lake__spark_view(lake__spark *sp, lake__spark_session *s, const char *name, const void *arrow, size_t len,
                     lake_error *err);

/* The server's Spark version ("4.0.1"). */
int lake__spark_version(lake__spark *sp, char *out, size_t cap, lake_error *err);

/* Plan building, for the driver's callers: every string is borrowed. */
typedef struct lake__spark_plan {
    Spark__Connect__Plan plan;
    Spark__Connect__Command command;
    Spark__Connect__SqlCommand sql_command;
    Spark__Connect__Relation relation;
    Spark__Connect__SQL sql;
    Spark__Connect__Expression *args;
    Spark__Connect__Expression__Literal *literals;
    Spark__Connect__Expression **arg_ptrs;
} lake__spark_plan;
/* A SQL relation with text parameters: a query (as_command false) or a
 * command. Free with lake__spark_plan_dispose. */
int lake__spark_plan_sql(lake__spark_plan *p, const char *sql, const char *const *params, size_t nparams,
                         bool as_command, lake_error *err);
void lake__spark_plan_dispose(lake__spark_plan *p);

#endif
