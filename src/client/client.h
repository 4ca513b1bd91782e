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
    /* opts.row_group_bytes as staged parts use it. The engine reads a part
     * once, on as many threads as it has row groups, so their default is
     * smaller than a direct batch's. */
    uint64_t staged_row_group_bytes;
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
         : version <= 4 ? offsetof(lake_client_options, threads)
                        : sizeof(lake_client_options);
}

/* A caller's options (NULL: none) as a whole struct:
 * LAKE_CLIENT_OPTIONS_INIT, then the fields the caller's version has, and
 * the caller's version (which says how its log callback reads an event's
 * fields). LAKE_EINVAL for a version this library does not know (open.c). */
int lake__client_options_read(lake_client_options *out, const lake_client_options *given, lake_error *err);

/* The client's settings by name (url.c): the query keys of a client URL,
 * which a configuration file's profile (src/config/) takes as its keys too,
 * so both are read by one table. The kind says how the text is read and
 * which TOML type a profile gives it in. */
typedef enum lake__key_kind {
    LAKE__KEY_TEXT,    /* a string, kept as it is */
    LAKE__KEY_CODEC,   /* zstd, snappy, gzip or none */
    LAKE__KEY_LEVEL,   /* debug, info, warn or error */
    LAKE__KEY_BOOL,    /* true or false */
    LAKE__KEY_BYTES,   /* a positive whole number, a uint64_t */
    LAKE__KEY_COUNT,   /* a positive whole number, an unsigned at most 1024 */
    LAKE__KEY_SECONDS, /* a positive whole number of seconds, an int64_t of microseconds */
} lake__key_kind;

typedef struct lake__client_key {
    const char *name;
    lake__key_kind kind;
    size_t offset; /* of the field in lake_client_options */
} lake__client_key;

extern const lake__client_key lake__client_keys[];
extern const size_t lake__client_key_count;
/* The key named `name`, or NULL. */
const lake__client_key *lake__client_key_find(const char *name);

/* Sets one setting from its text (value is kept, not copied, for a text
 * key); LAKE_EINVAL naming the key for an unknown key or a malformed value. */
int lake__client_option_set(lake_client_options *o, const char *key, const char *value, lake_error *err);

/* Takes a client URL apart: its driver, its database (the address before
 * "?", percent-decoded for duckdb://; NULL when empty) and each key=value
 * of its query, percent-decoded, given to fn in order (a non-zero return
 * stops the walk and is returned). The database and the strings fn sees
 * point into *storage: free it with lake__free after use (NULL on failure). */
typedef int (*lake__url_item_fn)(void *ctx, const char *key, const char *value, lake_error *err);
int lake__client_url_split(const char *url, const char **driver, const char **database, char **storage,
                           lake__url_item_fn fn, void *ctx, lake_error *err);

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
