/* SPDX-License-Identifier: MIT */
/* The client's insides, shared by its files: the engine, the session pool,
 * the in-flight bound, metrics and logging. */
#ifndef LAKE_CLIENT_CLIENT_H
#define LAKE_CLIENT_CLIENT_H

#include <lakeorm/backend.h>
#include <lakeorm/client.h>
#include <pthread.h>

#include "dialects/dialect.h"
#include "drivers/driver.h"
#include "formats/format.h"

typedef struct lake__metrics {
    uint64_t inserts_direct, inserts_staged, inserts_replayed;
    uint64_t rows_written, bytes_staged, records_rejected, queries, rows_read, sessions_opened;
    uint64_t errors_by_code[LAKE_STATUS_SLOTS];
    pthread_mutex_t lock; /* the histograms */
    lake_histogram phases[LAKE_PHASE_COUNT];
} lake__metrics;

struct lake_client {
    const lake__driver_ops *ops; /* the engine: every statement and read goes through it */
    void *impl;
    const lake__dialect *dialect; /* the SQL it speaks */
    lake_backend *staging;
    char *temp_dir;      /* the default staging folder, removed on close */
    char *catalog, *schema; /* the default namespace, unquoted; NULL: the engine's */
    lake_client_options opts; /* its strings are not kept: see the fields above */
    /* Where events go: opts.log, or, for a caller built against options
     * version 3 or older, an adapter that passes fields as that header has them. */
    lake_log_fn log;
    void *log_ctx;
    /* With a warehouse: the table format that keeps every table (the engine
     * only computes), its state, its backend and the engine's local copies. */
    const lake__format_ops *format;
    void *format_impl;
    lake_backend *warehouse;
    char *cache_dir;

    pthread_mutex_t lock;
    pthread_cond_t slot_freed;
    unsigned in_flight;

    bool ingests_table_ready; /* _lakeorm_ingests exists */
    lake__metrics metrics;
};

/* A driver session for the client (see lake__driver_ops.session_get),
 * counted in the metrics when new; return it with lake__session_put. */
int lake__session_get(lake_client *c, lake__session **out, lake_error *err);
void lake__session_put(lake_client *c, lake__session *s, bool broken);

/* Runs one built statement on a session; the buffer's failure is LAKE_ENOMEM. */
int lake__session_exec(lake_client *c, lake__session *s, const lake__buf *sql, const lake_param *params, size_t n,
                       bool reads_rows, int64_t *affected, lake_error *err);
int lake__session_text(lake_client *c, lake__session *s, const lake__buf *sql, const lake_param *params, size_t n,
                       bool reads_rows, char *out, size_t cap, lake_error *err);

/* LAKE_OK, or LAKE_EINVAL saying the client was opened read-only and so
 * does not do `what` ("insert rows"). */
int lake__client_writable(const lake_client *c, const char *what, lake_error *err);

/* The in-flight bound on inserts. */
void lake__slot_take(lake_client *c);
void lake__slot_give(lake_client *c);

/* The bytes of a lake_client_options of `version`: a caller built against
 * an older header passed a shorter struct. */
static inline size_t lake__client_options_size(unsigned version) {
    return version == 1 ? offsetof(lake_client_options, warehouse)
         : version == 2 ? offsetof(lake_client_options, catalog)
                        : sizeof(lake_client_options);
}

/* Parses a client URL into *o (fields the URL does not name are left as
 * they are). Its strings point into *storage: free it with lake__free after
 * use, also on failure (NULL then). */
int lake__client_url_parse(const char *url, lake_client_options *o, char **storage, lake_error *err);

/* Opens a stream of rows (lake_client_rows); strings go to `arena`, or to
 * the stream's own arena reset chunk by chunk when arena is NULL. With
 * schema NULL, rows decode into the result's own schema
 * (lake_client_query_json, lake_client_query_arrow). */
int lake__rows_open(lake_client *c, const lake_schema *schema, const lake_source *src, lake_arena *arena,
                    lake_rows **out, lake_error *err);
/* The schema the stream's records are of: a read of any shape learns it from
 * the result, the remote drivers with its first batch (NULL before). */
const lake_schema *lake__rows_schema(const lake_rows *r);

/* Monotonic seconds. */
double lake__seconds(void);

void lake__metric_add(uint64_t *counter, uint64_t n);
void lake__metric_phase(lake_client *c, lake_phase phase, double started);
void lake__metric_observe(lake_client *c, lake_phase phase, double seconds);
/* Counts a failure by its status and passes the status through. */
int lake__metric_error(lake_client *c, int status);

/* Logs an event with key/value pairs ending in NULL, when the level passes. */
/* The fields follow event as LOG_TEXT(key, value) and LOG_INT(key, value)
 * (a decimal integer's text), then NULL. */
#define LOG_TEXT(key, value) (const char *)(key), (int)LAKE_LOG_TEXT, (const char *)(value)
#define LOG_INT(key, value) (const char *)(key), (int)LAKE_LOG_INTEGER, (const char *)(value)
void lake__log(lake_client *c, lake_log_level level, const char *event, ...);
bool lake__log_enabled(const lake_client *c, lake_log_level level);

#endif
