/* SPDX-License-Identifier: MIT */
/* The client's insides, shared by its files: the engine, the session pool,
 * the in-flight bound, metrics and logging. */
#ifndef LAKE_CLIENT_CLIENT_H
#define LAKE_CLIENT_CLIENT_H

#include <lakeorm/backend.h>
#include <lakeorm/client.h>
#include <pthread.h>

#include "dialects/spark.h"
#include "drivers/databricks/warehouse.h"
#include "drivers/duckdb/append.h"
#include "drivers/duckdb/connection.h"
#include "drivers/spark/session.h"

typedef struct lake__metrics {
    uint64_t inserts_direct, inserts_staged, inserts_replayed;
    uint64_t rows_written, bytes_staged, records_rejected, queries, rows_read, sessions_opened;
    uint64_t errors_by_code[LAKE_STATUS_SLOTS];
    pthread_mutex_t lock; /* the histograms */
    lake_histogram phases[LAKE_PHASE_COUNT];
} lake__metrics;

struct lake_client {
    lake__spark *spark;  /* the Spark Connect driver; NULL: another below */
    lake__dbx *dbx;      /* the Databricks SQL driver; both NULL: the embedded DuckDB below */
    lake_dialect format; /* Spark SQL's dialect: Iceberg or Delta tables */
    lake__duckdb engine; /* owns the database */
    lake_backend *staging;
    char *temp_dir;      /* the default staging folder, removed on close */
    char *default_schema; /* quoted for the engine, ready for USE; NULL when none */
    lake__table_ref target; /* its catalog and schema, unquoted, for the Appender */
    lake_client_options opts; /* its strings are not kept: see the fields above */

    pthread_mutex_t lock;
    pthread_cond_t slot_freed;
    unsigned in_flight;
    lake__duckdb *idle; /* pooled sessions, up to opts.pool_size */
    size_t idle_count;

    bool ingests_table_ready; /* _lakeorm_ingests exists */
    lake__metrics metrics;
};

/* A session on the client's database: a pooled one, or a new one when all are
 * busy (callers never wait for each other here). Return it with
 * lake__session_put; a session whose state is unknown (broken == true) is
 * closed instead of pooled. */
int lake__session_get(lake_client *c, lake__duckdb *out, lake_error *err);
void lake__session_put(lake_client *c, lake__duckdb *session, bool broken);

/* The same for Spark Connect sessions: a new one is pointed at the default
 * schema first. */
int lake__spark_session_take(lake_client *c, lake__spark_session *out, lake_error *err);

/* Runs SQL on the remote engine (DDL, DML): every statement of a
 * ";\n"-separated script in turn. */
int lake__remote_client_exec(lake_client *c, const char *sql, lake_error *err);

/* The engine speaks Spark SQL from afar (Spark Connect, Databricks SQL):
 * no transaction spans statements, and SQL uses Spark's quoting. */
static inline bool lake__remote(const lake_client *c) { return c->spark || c->dbx; }

/* LAKE_OK, or LAKE_EINVAL saying the client was opened read-only and so
 * does not do `what` ("insert rows"). */
int lake__client_writable(const lake_client *c, const char *what, lake_error *err);

/* The in-flight bound on inserts. */
void lake__slot_take(lake_client *c);
void lake__slot_give(lake_client *c);

/* Parses a client URL into *o (fields the URL does not name are left as
 * they are). Its strings point into *storage: free it with lake__free after
 * use, also on failure (NULL then). */
int lake__client_url_parse(const char *url, lake_client_options *o, char **storage, lake_error *err);

/* Monotonic seconds. */
double lake__seconds(void);

void lake__metric_add(uint64_t *counter, uint64_t n);
void lake__metric_phase(lake_client *c, lake_phase phase, double started);
void lake__metric_observe(lake_client *c, lake_phase phase, double seconds);
/* Counts a failure by its status and passes the status through. */
int lake__metric_error(lake_client *c, int status);

/* Logs an event with key/value pairs ending in NULL, when the level passes. */
void lake__log(lake_client *c, lake_log_level level, const char *event, ...);
bool lake__log_enabled(const lake_client *c, lake_log_level level);

#endif
