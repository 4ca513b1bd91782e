/* SPDX-License-Identifier: MIT */
/* The embedded DuckDB engine as a driver: one database in this process, a
 * pool of connections (sessions), transactions across statements, rows
 * appended through the Appender, staged parts read as local files, tables a
 * format keeps read in place of their names (resolve.c). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers/driver.h"
#include "drivers/duckdb/append.h"
#include "drivers/duckdb/connection.h"
#include "drivers/duckdb/errors.h"
#include "drivers/duckdb/read.h"
#include "drivers/duckdb/resolve.h"
#include "error/error.h"
#include "util/alloc.h"

typedef struct duck {
    lake__duckdb engine; /* owns the database */
    const lake__dialect *dialect;
    char *catalog, *schema; /* the default namespace, unquoted: the Appender does not follow USE */
    char *use;              /* the USE statement every new session runs; NULL for none */
    char where[4200];
    pthread_mutex_t lock;
    struct lake__session **idle; /* pooled sessions, up to pool_size */
    size_t idle_count, pool_size;
} duck;

struct lake__session {
    duck *owner;
    lake__duckdb con;
};

struct lake__direct {
    lake__session *session;
    lake__duckdb_appender *appender;
    char temp[64]; /* the temporary table the rows go to when they are a source; "" when they go to the table */
};

static int oom(lake_error *err) { return lake__error(err, LAKE_ENOMEM, "out of memory"); }

static char *copy(const char *s) { return s ? lake__strndup(s, strlen(s)) : NULL; }

static void duck_close(void *impl) {
    duck *d = impl;
    if (!d) return;
    for (size_t i = 0; i < d->idle_count; i++) {
        lake__duckdb_close(&d->idle[i]->con);
        lake__free(d->idle[i]);
    }
    lake__free(d->idle);
    lake__duckdb_close(&d->engine);
    lake__free(d->catalog);
    lake__free(d->schema);
    lake__free(d->use);
    pthread_mutex_destroy(&d->lock);
    lake__free(d);
}

static int built(lake__buf *b, char **out, lake_error *err) {
    if (b->failed) return oom(err);
    *out = lake__buf_detach(b, NULL);
    return *out ? LAKE_OK : oom(err);
}

static int duck_open(const lake__driver_config *cfg, void **impl, lake_error *err) {
    duck *d = lake__calloc(1, sizeof *d);
    if (!d) return oom(err);
    pthread_mutex_init(&d->lock, NULL);
    d->dialect = cfg->dialect;
    d->pool_size = cfg->pool_size;
    snprintf(d->where, sizeof d->where, "%s", cfg->database ? cfg->database : ":memory:");
    int rc = (d->idle = lake__calloc(cfg->pool_size ? cfg->pool_size : 1, sizeof *d->idle)) ? LAKE_OK : oom(err);
    if ((cfg->catalog && !(d->catalog = copy(cfg->catalog))) || (cfg->schema && !(d->schema = copy(cfg->schema))))
        rc = oom(err);
    if (!rc)
        rc = cfg->read_only ? lake__duckdb_open_read_only(&d->engine, cfg->database, err)
                            : lake__duckdb_open(&d->engine, cfg->database, err);
    if (!rc && cfg->resolve) rc = lake__duckdb_resolve_install(d->engine.db, cfg, err);
    if (!rc && cfg->resolve) d->engine.resolves = true;
    if (!rc && cfg->resolve) rc = lake__duckdb_exec(&d->engine, d->dialect->utc, err);
    if (!rc && cfg->schema) {
        lake__buf sql = LAKE__BUF_INIT;
        if (!cfg->read_only) {
            d->dialect->create_schema(&sql, cfg->catalog, cfg->schema);
            rc = sql.failed ? oom(err) : lake__duckdb_exec(&d->engine, sql.data, err);
            sql.len = 0;
        }
        if (!rc) {
            d->dialect->use_schema(&sql, cfg->catalog, cfg->schema);
            rc = built(&sql, &d->use, err);
        }
        lake__buf_dispose(&sql);
        if (!rc) rc = lake__duckdb_exec(&d->engine, d->use, err);
    }
    if (rc) {
        duck_close(d);
        return rc;
    }
    *impl = d;
    return LAKE_OK;
}

static void *duck_native(void *impl) { return &((duck *)impl)->engine.db; }

static void duck_where(void *impl, char *out, size_t cap) { snprintf(out, cap, "%s", ((duck *)impl)->where); }

static int session_get(void *impl, lake__session **out, bool *opened, lake_error *err) {
    duck *d = impl;
    *out = NULL;
    pthread_mutex_lock(&d->lock);
    lake__session *s = d->idle_count ? d->idle[--d->idle_count] : NULL;
    pthread_mutex_unlock(&d->lock);
    if (s) {
        *out = s;
        return LAKE_OK;
    }
    if (!(s = lake__calloc(1, sizeof *s))) return oom(err);
    s->owner = d;
    int rc = lake__duckdb_connect(&d->engine, &s->con, err);
    if (!rc && d->use && (rc = lake__duckdb_exec(&s->con, d->use, err))) lake__duckdb_close(&s->con);
    if (rc) {
        lake__free(s);
        return rc;
    }
    *opened = true;
    *out = s;
    return LAKE_OK;
}

static void session_put(void *impl, lake__session *s, bool broken) {
    duck *d = impl;
    pthread_mutex_lock(&d->lock);
    bool keep = !broken && d->idle_count < d->pool_size;
    if (keep) d->idle[d->idle_count++] = s;
    pthread_mutex_unlock(&d->lock);
    if (!keep) {
        lake__duckdb_close(&s->con);
        lake__free(s);
    }
}

static int exec(lake__session *s, const lake__stmt *st, int64_t *affected, lake_error *err) {
    if (affected) *affected = -1;
    if (!st->nparams) {
        /* A script: DuckDB runs every statement; the last one's count is reported. */
        duckdb_result res;
        int rc = LAKE_OK;
        if (duckdb_query(s->con.con, st->sql, &res) == DuckDBError)
            rc = lake__duckdb_fail_result(err, &res, "duckdb: ");
        else if (affected && duckdb_result_return_type(res) == DUCKDB_RESULT_TYPE_CHANGED_ROWS)
            *affected = (int64_t)duckdb_rows_changed(&res);
        duckdb_destroy_result(&res);
        return rc;
    }
    duckdb_prepared_statement stmt;
    duckdb_result res;
    int rc = lake__duckdb_run(&s->con, st->sql, st->params, st->nparams, &stmt, &res, err);
    if (!rc && affected && duckdb_result_return_type(res) == DUCKDB_RESULT_TYPE_CHANGED_ROWS)
        *affected = (int64_t)duckdb_rows_changed(&res);
    duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

static int query_text(lake__session *s, const lake__stmt *st, char *out, size_t cap, lake_error *err) {
    duckdb_prepared_statement stmt;
    duckdb_result res;
    int rc = lake__duckdb_run(&s->con, st->sql, st->params, st->nparams, &stmt, &res, err);
    if (!rc && (duckdb_row_count(&res) == 0 || duckdb_column_count(&res) == 0 || duckdb_value_is_null(&res, 0, 0))) {
        rc = lake__error(err, LAKE_ENOROWS, "duckdb: the query returned no rows");
    } else if (!rc) {
        char *text = duckdb_value_varchar(&res, 0, 0);
        snprintf(out, cap, "%s", text ? text : "");
        duckdb_free(text);
    }
    duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

/* The cursor is the DuckDB reader's own, passed through as the opaque type. */
static int cursor_open(lake__session *s, const lake_schema *schema, const lake__stmt *st, lake_arena *arena,
                       bool reset_arena, lake__cursor **out, lake_error *err) {
    lake__duckdb_cursor *cur;
    int rc = lake__duckdb_cursor_open(&s->con, schema, st->sql, st->params, st->nparams, arena, reset_arena, &cur, err);
    *out = rc ? NULL : (lake__cursor *)cur;
    return rc;
}

static int cursor_next(lake__cursor *cur, const void **record, lake_error *err) {
    return lake__duckdb_cursor_next((lake__duckdb_cursor *)cur, record, err);
}

static const lake_schema *cursor_schema(const lake__cursor *cur) {
    return lake__duckdb_cursor_schema((const lake__duckdb_cursor *)cur);
}

static void cursor_close(lake__cursor *cur) { lake__duckdb_cursor_close((lake__duckdb_cursor *)cur); }

/* ---- the direct path: the Appender, into the table or a temporary table */

static void direct_free(lake__direct *dr) {
    if (!dr) return;
    lake__duckdb_appender_free(dr->appender);
    if (dr->temp[0]) {
        lake__buf sql = LAKE__BUF_INIT;
        dr->session->owner->dialect->drop_temp(&sql, dr->temp);
        lake_error ignored = LAKE_ERROR_INIT; /* a rolled-back transaction took it already */
        if (!sql.failed) lake__duckdb_exec(&dr->session->con, sql.data, &ignored);
        lake_error_clear(&ignored);
        lake__buf_dispose(&sql);
    }
    lake__free(dr);
}

static int direct_open(lake__session *s, const lake__direct_spec *spec, lake__direct **out, lake_error *err) {
    duck *d = s->owner;
    lake__direct *dr = lake__calloc(1, sizeof *dr);
    if (!dr) return oom(err);
    dr->session = s;
    lake__table_ref where = {d->catalog, d->schema, NULL};
    int rc = LAKE_OK;
    if (spec->as_source) {
        const char *id = spec->ingest_id;
        snprintf(dr->temp, sizeof dr->temp, "lake_batch_%.8s%.4s%.4s%.4s", id, id + 9, id + 14, id + 24);
        lake__buf sql = LAKE__BUF_INIT;
        d->dialect->create_temp_like(&sql, dr->temp, lake_schema_table(spec->schema));
        rc = sql.failed ? oom(err) : lake__duckdb_exec(&s->con, sql.data, err);
        lake__buf_dispose(&sql);
        where = (lake__table_ref){"temp", "main", dr->temp};
        if (rc) dr->temp[0] = 0;
    }
    if (!rc) rc = lake__duckdb_appender_open(&s->con, spec->schema, &where, spec->ingest_id, &dr->appender, err);
    if (rc) {
        direct_free(dr);
        return rc;
    }
    *out = dr;
    return LAKE_OK;
}

static int direct_add(lake__direct *dr, const void *records, size_t count, lake_error *err) {
    return lake__duckdb_appender_add(dr->appender, records, NULL, count, err);
}

static int direct_finish(lake__direct *dr, lake__buf *source, lake_error *err) {
    lake__duckdb_appender *ap = dr->appender;
    dr->appender = NULL;
    int rc = lake__duckdb_appender_close(ap, err);
    if (!rc && dr->temp[0]) dr->session->owner->dialect->ident(source, dr->temp);
    return rc;
}

/* ---- the staged path: DuckDB reads files, so remote parts are copied here first */

typedef struct fetch_ctx {
    lake_backend *backend;
    const char *dir;
    lake_error *err;
} fetch_ctx;

static int fetch_one(void *ctx, const char *key, uint64_t size) {
    (void)size;
    fetch_ctx *f = ctx;
    const char *name = strrchr(key, '/');
    char path[4400], *data;
    size_t len;
    snprintf(path, sizeof path, "%s/%s", f->dir, name ? name + 1 : key);
    int rc = lake_backend_get(f->backend, key, &data, &len, f->err);
    if (rc) return rc;
    FILE *out = fopen(path, "wb");
    bool ok = out && fwrite(data, 1, len, out) == len;
    if (out && fclose(out)) ok = false;
    lake__free(data);
    return ok ? LAKE_OK : lake__error(f->err, LAKE_EIO, "cannot write %s", path);
}

static int staged_location(void *impl, lake_backend *staging, const char *prefix, lake__staged *out, lake_error *err) {
    (void)impl;
    const char *root = lake_backend_local_root(staging);
    if (root) {
        snprintf(out->location, sizeof out->location, "%s/%s/*.parquet", root, prefix);
        return LAKE_OK;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(out->local_copy, sizeof out->local_copy, "%s/lakeorm-fetch-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(out->local_copy)) {
        out->local_copy[0] = 0;
        return lake__error(err, LAKE_EIO, "cannot create a folder for staged parts in %s", tmp && *tmp ? tmp : "/tmp");
    }
    snprintf(out->location, sizeof out->location, "%s/*.parquet", out->local_copy);
    fetch_ctx f = {staging, out->local_copy, err};
    return lake_backend_list(staging, prefix, fetch_one, &f, err);
}

/* ---- the catalog */

static int columns(lake__session *s, const char *table, lake__live_column **out, size_t *count, lake_error *err) {
    *out = NULL;
    *count = 0;
    lake__buf sql = LAKE__BUF_INIT;
    s->owner->dialect->describe(&sql, table);
    if (sql.failed) return oom(err);
    lake_param params[] = {lake_param_text(table), lake_param_text(table)};
    duckdb_prepared_statement stmt;
    duckdb_result res;
    int rc = lake__duckdb_run(&s->con, sql.data, params, 2, &stmt, &res, err);
    lake__buf_dispose(&sql);
    idx_t n = rc ? 0 : duckdb_row_count(&res);
    lake__live_column *cols = rc ? NULL : lake__calloc(n ? n : 1, sizeof *cols);
    if (!rc && !cols) rc = oom(err);
    for (idx_t r = 0; !rc && r < n; r++) {
        char *name = duckdb_value_varchar(&res, 0, r), *type = duckdb_value_varchar(&res, 1, r);
        snprintf(cols[r].name, sizeof cols[r].name, "%s", name ? name : "");
        snprintf(cols[r].type, sizeof cols[r].type, "%s", type ? type : "");
        duckdb_free(name);
        duckdb_free(type);
        cols[r].nullable = duckdb_value_boolean(&res, 2, r);
        cols[r].key = duckdb_value_boolean(&res, 3, r);
    }
    duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&stmt);
    if (rc) {
        lake__free(cols);
        return rc;
    }
    *out = cols;
    *count = n;
    return LAKE_OK;
}

const lake__driver_ops lake__duckdb_driver = {
    .name = "duckdb",
    .caps =
        {
            .transactional = true,
            .reads_local_files = true,
            .uuid_as_text = false,
            .direct_bytes_limit = 0,
            .resolves_tables = true,
            .dialects = 1u << LAKE_DIALECT_DUCKDB,
            .default_dialect = LAKE_DIALECT_DUCKDB,
        },
    .open = duck_open,
    .close = duck_close,
    .native = duck_native,
    .where = duck_where,
    .session_get = session_get,
    .session_put = session_put,
    .exec = exec,
    .query_text = query_text,
    .cursor_open = cursor_open,
    .cursor_next = cursor_next,
    .cursor_schema = cursor_schema,
    .cursor_close = cursor_close,
    .direct_open = direct_open,
    .direct_add = direct_add,
    .direct_finish = direct_finish,
    .direct_free = direct_free,
    .staged_location = staged_location,
    .columns = columns,
};
