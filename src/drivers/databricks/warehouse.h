/* SPDX-License-Identifier: MIT */
/* The Databricks SQL driver: statements sent to a SQL warehouse through the
 * Statement Execution API (REST over libcurl), waited for or polled with
 * back-off until they end, canceled on timeout and at close. One statement
 * is one request: the warehouse keeps no session between them, so the
 * default catalog and schema travel with each. */
#ifndef LAKE_DRIVERS_DATABRICKS_WAREHOUSE_H
#define LAKE_DRIVERS_DATABRICKS_WAREHOUSE_H

#include <pthread.h>

#include <lakeorm/types.h>

#include "backends/http.h"
#include "dialects/dialect.h"
#include "drivers/databricks/auth.h"
#include "drivers/databricks/response.h"
#include "drivers/databricks/target.h"

typedef struct lake__dbx {
    const lake__dialect *dialect; /* the statements' SQL: how bound bytes are decoded */
    lake__dbx_target target;
    lake__dbx_auth auth;
    lake__http http;     /* strict retries: a statement must not run twice */
    char *catalog, *schema; /* sent with every statement; NULL: the warehouse's default */
    pthread_mutex_t lock;
    char (*running)[128]; /* statements under way, canceled at close */
    size_t running_count, running_cap;
    unsigned long polls, cancels; /* for logs and tests (atomic) */
} lake__dbx;

int lake__dbx_open(lake__dbx *d, const char *url, const lake__dialect *dialect, lake_error *err);
/* Cancels the statements still running, then frees. */
void lake__dbx_close(lake__dbx *d);
/* Asks the warehouse to cancel every statement still running; the threads
 * waiting for them see CANCELED. */
void lake__dbx_cancel_running(lake__dbx *d);
/* catalog.schema (or schema) unqualified names resolve in. */
int lake__dbx_set_namespace(lake__dbx *d, const char *catalog, const char *schema, lake_error *err);

/* A named parameter: `:name` in the SQL. value NULL is SQL NULL; type NULL
 * is STRING, else a Databricks SQL type (INT, DECIMAL(10,2), TIMESTAMP...). */
typedef struct lake__dbx_param {
    const char *name, *value, *type;
} lake__dbx_param;

typedef enum lake__dbx_form {
    LAKE__DBX_INLINE_JSON, /* small answers: rows as strings in the response */
    LAKE__DBX_ARROW_LINKS, /* results: Arrow IPC streams behind pre-signed links */
} lake__dbx_form;

/* What an HTTP status of the API or of a result link means: 401 and 403
 * permission, 429 and 503 retryable, else LAKE_KIND_NONE. */
lake_error_kind lake__dbx_http_kind(long status);

/* Runs one statement to its end. LAKE_OK when it SUCCEEDED, with *out (its
 * strings in `arena`) holding the manifest and first chunk; otherwise an
 * error naming the statement id, error code, SQL state and message
 * (LAKE_EREMOTE), LAKE_ETIMEOUT after canceling it, LAKE_EAUTH. A refusal
 * carries its kind, engine class (the statement's Spark error class, else
 * the API's error code) and SQLSTATE. */
int lake__dbx_run(lake__dbx *d, const char *sql, const lake__dbx_param *params, size_t nparams, lake__dbx_form form,
                  lake_arena *arena, lake__dbx_response *out, lake_error *err);
/* Chunk `index` of a statement that succeeded (fresh links for it). */
int lake__dbx_chunk(lake__dbx *d, const char *statement_id, int64_t index, lake_arena *arena, lake__dbx_response *out,
                    lake_error *err);

/* SQL with `?` markers bound, in order, to typed parameters (the form the
 * client's statements take). The markers become :p1, :p2, ... (outside
 * quotes and comments), each sent with its type's name; `named` parameters
 * (no p<N> names) are bound as well. *affected (may be NULL) receives the
 * rows a DML statement reports (num_affected_rows), else -1. */
int lake__dbx_sql(lake__dbx *d, const char *sql, const lake_param *params, size_t nparams,
                  const lake__dbx_param *named, size_t nnamed, int64_t *affected, lake_error *err);
/* The same, for the first column of the first row as text; LAKE_ENOROWS
 * for none or NULL. */
int lake__dbx_query_text(lake__dbx *d, const char *sql, const lake_param *params, size_t nparams,
                         const lake__dbx_param *named, size_t nnamed, char *out, size_t cap, lake_error *err);
/* The binding both do, for the cursor: *text the statement to send and
 * *bound its nparams + nnamed parameters, all in `arena`; a bytes parameter
 * travels as base64 text, decoded where its marker stood as `dialect` writes
 * it. LAKE_EINVAL for a parameter the API cannot carry or a count that does
 * not match the markers. */
int lake__dbx_bind(const lake__dialect *dialect, const char *sql, const lake_param *params, size_t nparams, const lake__dbx_param *named,
                   size_t nnamed, lake_arena *arena, const char **text, lake__dbx_param **bound, lake_error *err);
/* The marker rewriting alone: *sql_out is the new text (free with
 * lake__free), names[nparams] the markers' names. */
int lake__dbx_positional(const char *sql, size_t nparams, char **sql_out, char (*names)[16], lake_error *err);

#endif
