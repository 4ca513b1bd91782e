/* SPDX-License-Identifier: MIT */
/* A Databricks SQL warehouse as a driver: statements over the Statement
 * Execution API (REST), the default namespace sent with each, typed named
 * parameters, reads as Arrow streams behind links. No transaction spans
 * statements and the warehouse keeps no session: a request's rows travel
 * in the statement that lands them (a VALUES list of parameters, values.c)
 * or are read where they were staged. */
#include <stdio.h>
#include <string.h>

#include "backends/volumes/volumes.h"
#include "drivers/databricks/read.h"
#include "drivers/databricks/session.h"
#include "drivers/databricks/warehouse.h"
#include "drivers/driver.h"
#include "drivers/staged_remote.h"
#include "error/error.h"
#include "util/alloc.h"

typedef struct dbx_driver {
    lake__dbx dbx; /* first: the client's impl is also the warehouse (tests reach its counters so) */
} dbx_driver;

static int oom(lake_error *err) { return lake__error(err, LAKE_ENOMEM, "out of memory"); }

static void dbx_close(void *impl) {
    dbx_driver *d = impl;
    if (!d) return;
    lake__dbx_close(&d->dbx);
    lake__free(d);
}

static int dbx_open(const lake__driver_config *cfg, void **impl, lake_error *err) {
    if (!cfg->database)
        return lake__error(err, LAKE_EINVAL, "the databricks driver needs database = the SQL warehouse's address "
                                             "(https://<workspace>/sql/1.0/warehouses/<id>)");
    dbx_driver *d = lake__calloc(1, sizeof *d);
    if (!d) return oom(err);
    int rc = lake__dbx_open(&d->dbx, cfg->database, cfg->dialect, err);
    if (!rc && cfg->schema && !cfg->read_only) {
        lake__buf sql = LAKE__BUF_INIT;
        cfg->dialect->create_schema(&sql, cfg->catalog, cfg->schema);
        rc = sql.failed ? oom(err) : lake__dbx_sql(&d->dbx, sql.data, NULL, 0, NULL, 0, NULL, err);
        lake__buf_dispose(&sql);
    }
    /* No session to point at the namespace: it travels with every statement. */
    if (!rc && cfg->schema) rc = lake__dbx_set_namespace(&d->dbx, cfg->catalog, cfg->schema, err);
    if (rc) {
        dbx_close(d);
        return rc;
    }
    *impl = d;
    return LAKE_OK;
}

static void *dbx_native(void *impl) {
    (void)impl;
    return NULL; /* the engine is elsewhere: nothing in this process to hand out */
}

/* The warehouse's address without the string's ;key=value items (credentials). */
static void dbx_where(void *impl, char *out, size_t cap) {
    const lake__dbx_target *t = &((dbx_driver *)impl)->dbx.target;
    snprintf(out, cap, "%s/sql/1.0/warehouses/%s", t->base, t->warehouse);
}

static int session_get(void *impl, lake__session **out, bool *opened, lake_error *err) {
    (void)opened; /* nothing opens on the warehouse */
    dbx_driver *d = impl;
    lake__session *s = lake__calloc(1, sizeof *s);
    if (!s) return oom(err);
    s->dbx = &d->dbx;
    *out = s;
    return LAKE_OK;
}

static void session_put(void *impl, lake__session *s, bool broken) {
    (void)impl;
    (void)broken; /* it holds no state on the warehouse */
    lake__free(s);
}

/* ---- statements */

/* The named parameters a statement takes besides its own: the rows of the
 * direct insert open on the session, for the statements that read them
 * only (the idempotency statements do not name them: sending a list of up
 * to 16 MiB with each would cost for nothing). */
static void rows_params(const lake__session *s, const lake__stmt *st, const lake__dbx_param **named, size_t *n) {
    *named = NULL;
    *n = 0;
    if (st->reads_rows && s->rows) lake__dbx_direct_params(s->rows, named, n);
}

typedef struct script_run {
    lake__session *s;
    const lake__dbx_param *named;
    size_t nnamed;
    int64_t affected;
} script_run;

static int run_one(void *ctx, const char *one, lake_error *err) {
    script_run *r = ctx;
    return lake__dbx_sql(r->s->dbx, one, NULL, 0, r->named, r->nnamed, &r->affected, err);
}

static int exec(lake__session *s, const lake__stmt *st, int64_t *affected, lake_error *err) {
    script_run r = {s, NULL, 0, -1};
    rows_params(s, st, &r.named, &r.nnamed);
    /* A warehouse runs one statement per request: a script is cut where lakeorm's DDL ends statements. */
    int rc = st->nparams ? lake__dbx_sql(s->dbx, st->sql, st->params, st->nparams, r.named, r.nnamed, &r.affected, err)
                         : lake__script_each(st->sql, run_one, &r, err);
    if (affected) *affected = rc ? -1 : r.affected;
    return rc;
}

static int query_text(lake__session *s, const lake__stmt *st, char *out, size_t cap, lake_error *err) {
    const lake__dbx_param *named;
    size_t nnamed;
    rows_params(s, st, &named, &nnamed);
    return lake__dbx_query_text(s->dbx, st->sql, st->params, st->nparams, named, nnamed, out, cap, err);
}

/* The cursor is the warehouse reader's own, passed through as the opaque type. */
static int cursor_open(lake__session *s, const lake_schema *schema, const lake__stmt *st, lake_arena *arena,
                       bool reset_arena, lake__cursor **out, lake_error *err) {
    const lake__dbx_param *named;
    size_t nnamed;
    rows_params(s, st, &named, &nnamed);
    lake__dbx_cursor *cur;
    int rc = lake__dbx_cursor_open(s->dbx, schema, st->sql, st->params, st->nparams, named, nnamed, arena, reset_arena,
                                   &cur, err);
    *out = rc ? NULL : (lake__cursor *)cur;
    return rc;
}

static int cursor_next(lake__cursor *cur, const void **record, lake_error *err) {
    return lake__dbx_cursor_next((lake__dbx_cursor *)cur, record, err);
}

static const lake_schema *cursor_schema(const lake__cursor *cur) {
    return lake__dbx_cursor_schema((const lake__dbx_cursor *)cur);
}

static void cursor_close(lake__cursor *cur) { lake__dbx_cursor_close((lake__dbx_cursor *)cur); }

/* ---- the staged path: the warehouse reads the parts where they are */

static int staged_location(void *impl, lake_backend *staging, const char *prefix, lake__staged *out, lake_error *err) {
    (void)impl;
    /* Databricks reads s3:// itself, and a volume's files at their /Volumes path. */
    return lake__staged_remote(staging, prefix, "s3://", out, err);
}

/* Unity Catalog volumes: the workspace's Files API, with the warehouse's credentials. */
static int bearer_header(void *ctx, char *out, size_t cap, lake_error *err) {
    lake__dbx *d = ctx;
    return lake__dbx_auth_header(&d->auth, &d->http, out, cap, err);
}

static bool bearer_refused(void *ctx, const char *header) {
    return lake__dbx_auth_refused(&((lake__dbx *)ctx)->auth, header);
}

static int staging_open(void *impl, const char *url, lake_backend **out, lake_error *err) {
    *out = NULL;
    if (!lake__volume_path(url)) return LAKE_OK;
    lake__dbx *d = &((dbx_driver *)impl)->dbx;
    lake__bearer auth = {bearer_header, bearer_refused, d};
    return lake__volume_backend_open(out, d->target.base, url, &auth, err);
}

const lake__driver_ops lake__databricks_driver = {
    .name = "databricks",
    .caps =
        {
            .transactional = false,
            .reads_local_files = false,
            .uuid_as_text = true,
            /* A statement is at most 16 MiB with its parameters: requests stage well before. */
            .direct_bytes_limit = (uint64_t)2 << 20,
            .dialects = 1u << LAKE_DIALECT_DELTA,
            .default_dialect = LAKE_DIALECT_DELTA,
        },
    .open = dbx_open,
    .close = dbx_close,
    .native = dbx_native,
    .where = dbx_where,
    .session_get = session_get,
    .session_put = session_put,
    .exec = exec,
    .query_text = query_text,
    .cursor_open = cursor_open,
    .cursor_next = cursor_next,
    .cursor_schema = cursor_schema,
    .cursor_close = cursor_close,
    .direct_open = lake__dbx_direct_open,
    .direct_add = lake__dbx_direct_add,
    .direct_finish = lake__dbx_direct_finish,
    .direct_free = lake__dbx_direct_free,
    .staged_location = staged_location,
    .staging_open = staging_open,
    .columns = lake__dbx_columns,
};
