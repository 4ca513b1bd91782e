/* SPDX-License-Identifier: MIT */
/* Opening and closing a client, its session pool and raw statements. */
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/client.h"
#include "error/error.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/redact.h"
#include "util/version.h"

/* "a.b" -> catalog "a", schema "b"; "b" -> schema "b". */
static int split_namespace(lake_client *c, const char *name, lake_error *err) {
    const char *dot = strchr(name, '.');
    if (dot && !(c->catalog = lake__strndup(name, (size_t)(dot - name)))) return lake__error(err, LAKE_ENOMEM, "out of memory");
    name = dot ? dot + 1 : name;
    if (!(c->schema = lake__strndup(name, strlen(name)))) return lake__error(err, LAKE_ENOMEM, "out of memory");
    return LAKE_OK;
}

/* The dialect the options name, or the driver's default; one it speaks. */
static int choose_dialect(const lake__driver_ops *ops, const char *name, const lake__dialect **out, lake_error *err) {
    lake_dialect d = ops->caps.default_dialect;
    if (name && *name && lake_dialect_parse(name, &d))
        return lake__error(err, LAKE_ENOTSUP, "unknown dialect \"%s\": use duckdb, iceberg or delta", name);
    if (!(ops->caps.dialects & (1u << d))) {
        char spoken[64] = "";
        for (unsigned k = 1; k < 32; k++)
            if (ops->caps.dialects & (1u << k))
                snprintf(spoken + strlen(spoken), sizeof spoken - strlen(spoken), "%s%s", *spoken ? " and " : "",
                         lake_dialect_name((lake_dialect)k));
        return lake__error(err, LAKE_ENOTSUP, "the %s driver speaks the %s dialect%s, not \"%s\"", ops->name, spoken,
                           strchr(spoken, ' ') ? "s" : "", name);
    }
    *out = lake__dialect_of(d);
    return LAKE_OK;
}

/* With a warehouse, the format keeping the dialect's tables, and a driver
 * that computes for it (the engine then speaks its own dialect). */
static int choose_format(const lake__driver_ops *ops, const lake_client_options *o, const lake__format_ops **format,
                         const lake__dialect **dialect, lake_error *err) {
    if (!ops->caps.resolves_tables)
        return lake__error(err, LAKE_ENOTSUP, "the %s driver keeps its own tables, so it takes no warehouse; the duckdb "
                                              "driver with a warehouse keeps Delta and Iceberg tables with no cluster",
                           ops->name);
    if (!o->dialect || !*o->dialect)
        return lake__error(err, LAKE_EINVAL, "a warehouse needs the dialect of the tables kept there (dialect=delta "
                                             "or dialect=iceberg)");
    int rc = lake__format_find(o->dialect, format, err);
    if (!rc) *dialect = lake__dialect_of(ops->caps.default_dialect);
    return rc;
}

/* Where the engine gets local copies of a warehouse that is not a folder. */
static int make_cache_dir(lake_client *c, lake_error *err) {
    if (lake_backend_local_root(c->warehouse)) return LAKE_OK;
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/lakeorm-cache-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir) || !(c->cache_dir = lake__strndup(dir, strlen(dir))))
        return lake__error(err, LAKE_EIO, "cannot create a cache folder in %s", tmp && *tmp ? tmp : "/tmp");
    return LAKE_OK;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path) && errno != ENOENT ? -1 : 0;
}

/* The engine's name resolution asks here for tables a format keeps. */
static int resolve_table(void *ctx, const char *name, const lake__scan_filter *filter, lake__buf *sql, bool *found,
                         lake_error *err) {
    lake_client *c = ctx;
    *found = false;
    return c->format_impl ? c->format->scan(c->format_impl, name, filter, sql, found, err) : LAKE_OK;
}

static int open_format(lake_client *c, const lake_client_options *o, lake_error *err) {
    int rc = lake_backend_open(&c->warehouse, o->warehouse, err);
    if (!rc) rc = make_cache_dir(c, err);
    if (rc) return rc;
    lake__format_config cfg = {c->warehouse, c->schema, {c->ops, c->impl}, c->cache_dir, o->compression,
                               o->row_group_bytes, o->read_only, c->log, c->log_ctx, o->log_level, o->catalog,
                               o->threads};
    return c->format->open(&cfg, &c->format_impl, err);
}

int lake__client_options_read(lake_client_options *out, const lake_client_options *given, lake_error *err) {
    static const lake_client_options defaults = LAKE_CLIENT_OPTIONS_INIT;
    *out = defaults;
    if (!given) return LAKE_OK;
    int rc = LAKE__VERSION_CHECK(given, lake_client_options, LAKE_CLIENT_OPTIONS, err);
    if (rc) return rc;
    /* A caller built against an older header passed a shorter struct: only its fields are read. */
    memcpy(out, given, lake__client_options_size(given->version));
    return LAKE_OK;
}

/* The fields as a caller built against client options version 3 or older
 * reads them: (key, value) pairs, with no kind. */
typedef struct log_field_v3 {
    const char *key, *value;
} log_field_v3;

enum { LOG_FIELDS_MAX = 16 }; /* more than any event has */

static void log_fields_v3(void *ctx, lake_log_level level, const char *event, const lake_log_field *fields, size_t n) {
    const lake_client *c = ctx;
    log_field_v3 old[LOG_FIELDS_MAX];
    if (n > LOG_FIELDS_MAX) n = LOG_FIELDS_MAX;
    for (size_t i = 0; i < n; i++) old[i] = (log_field_v3){fields[i].key, fields[i].value};
    /* The caller's callback was compiled with lake_log_field as these two members. */
    c->opts.log(c->opts.log_ctx, level, event, (const lake_log_field *)(const void *)old, n);
}

int lake_client_open(lake_client **out, const lake_client_options *opts, lake_error *err) {
    if (!out) return lake__error(err, LAKE_EINVAL, "lake_client_open: out is NULL");
    *out = NULL;
    lake_client_options o;
    int read = lake__client_options_read(&o, opts, err);
    if (read) return read;
    const lake__driver_ops *ops = NULL;
    const lake__dialect *dialect = NULL;
    const lake__format_ops *format = NULL;
    int rc = lake__driver_find(o.driver, &ops, err);
    if (!rc) rc = o.warehouse ? choose_format(ops, &o, &format, &dialect, err) : choose_dialect(ops, o.dialect, &dialect, err);
    if (rc) return rc;
    if (format && o.default_schema && strchr(o.default_schema, '.'))
        return lake__error(err, LAKE_EINVAL, "default_schema \"%s\": a warehouse's tables live at <schema>/<table>, "
                                             "with no catalog part", o.default_schema);
    if (o.default_schema && (strlen(o.default_schema) > 255 || !*o.default_schema))
        return lake__error(err, LAKE_EINVAL, "default_schema must be 1-255 bytes");
    if (!o.fast_path_bytes) o.fast_path_bytes = (uint64_t)128 << 20;
    uint64_t staged_row_group_bytes = o.row_group_bytes ? o.row_group_bytes : (uint64_t)8 << 20;
    if (!o.row_group_bytes) o.row_group_bytes = (uint64_t)32 << 20;
    if (!o.max_in_flight) o.max_in_flight = 4;
    if (!o.pool_size) o.pool_size = 8;
    if (o.idempotency_ttl_us <= 0) o.idempotency_ttl_us = (int64_t)24 * 3600 * 1000000;

    lake_client *c = lake__calloc(1, sizeof *c);
    if (!c) return lake__error(err, LAKE_ENOMEM, "out of memory");
    c->opts = o;
    c->staged_row_group_bytes = staged_row_group_bytes;
    c->ops = ops;
    c->dialect = dialect;
    c->format = format;
    c->opts.driver = c->opts.dialect = c->opts.database = c->opts.staging = c->opts.default_schema = NULL;
    c->opts.warehouse = c->opts.catalog = NULL;
    c->log = o.log && o.version < 4 ? log_fields_v3 : o.log;
    c->log_ctx = c->log == log_fields_v3 ? (void *)c : o.log_ctx;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->slot_freed, NULL);
    pthread_mutex_init(&c->metrics.lock, NULL);
    if (o.default_schema && (rc = split_namespace(c, o.default_schema, err))) goto fail;
    /* A warehouse's namespace is a folder of it, not the engine's. */
    lake__driver_config config = {o.database,  dialect,     format ? NULL : c->catalog, format ? NULL : c->schema,
                                  o.pool_size, o.read_only, format ? resolve_table : NULL, c};
    if ((rc = ops->open(&config, &c->impl, err))) goto fail;
    if (format && (rc = open_format(c, &o, err))) goto fail;
    char url[4200];
    if (o.read_only) {
        /* Nothing to stage: no folder is made, no backend opened. */
    } else if (o.staging_backend) {
        c->staging = o.staging_backend; /* the caller's, borrowed: close leaves it */
    } else if (o.staging) {
        /* A store the engine's own service serves (a Databricks volume) first, then any backend URL. */
        if (ops->staging_open && (rc = ops->staging_open(c->impl, o.staging, &c->staging, err))) goto fail;
        snprintf(url, sizeof url, "%s", o.staging);
    } else {
        const char *tmp = getenv("TMPDIR");
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/lakeorm-staging-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir) || !(c->temp_dir = lake__strndup(dir, strlen(dir)))) {
            rc = lake__error(err, LAKE_EIO, "cannot create a staging folder in %s", tmp && *tmp ? tmp : "/tmp");
            goto fail;
        }
        snprintf(url, sizeof url, "file://%s", dir);
    }
    if (!o.read_only && !c->staging && (rc = lake_backend_open(&c->staging, url, err))) goto fail;
    /* An engine's address may hold a token: logged redacted whatever it is. */
    char where[500], shown_where[500], shown_staging[500], shown_warehouse[500], shown_catalog[500];
    ops->where(c->impl, where, sizeof where);
    lake__log(c, LAKE_LOG_INFO, "client.open", LOG_TEXT("driver", ops->name),
              LOG_TEXT("database", lake__redact(where, shown_where, sizeof shown_where)),
              LOG_TEXT("staging", c->staging ? lake__redact(lake_backend_url(c->staging), shown_staging, sizeof shown_staging)
                                             : "none (read-only)"),
              LOG_TEXT("dialect", format ? format->name : dialect->name),
              LOG_TEXT("warehouse", c->warehouse ? lake__redact(lake_backend_url(c->warehouse), shown_warehouse,
                                                                sizeof shown_warehouse)
                                                 : "none"),
              LOG_TEXT("catalog", o.catalog ? lake__redact(o.catalog, shown_catalog, sizeof shown_catalog) : "none"),
              NULL);
    *out = c;
    return LAKE_OK;
fail:
    lake_client_close(c);
    return rc;
}

void lake_client_close(lake_client *c) {
    if (!c) return;
    if (c->format_impl) c->format->close(c->format_impl);
    /* Before the driver: a staging backend it opened may borrow its credentials. */
    if (c->staging != c->opts.staging_backend) lake_backend_free(c->staging);
    if (c->impl) c->ops->close(c->impl);
    lake_backend_free(c->warehouse);
    if (c->cache_dir) nftw(c->cache_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    lake__free(c->cache_dir);
    if (c->temp_dir) {
        /* Only what lakeorm put there: an insert cleans its own prefix, so this is normally empty. */
        char path[4200];
        snprintf(path, sizeof path, "%s/_staging", c->temp_dir);
        rmdir(path);
        rmdir(c->temp_dir);
    }
    lake__free(c->temp_dir);
    lake__free(c->catalog);
    lake__free(c->schema);
    pthread_cond_destroy(&c->slot_freed);
    pthread_mutex_destroy(&c->lock);
    pthread_mutex_destroy(&c->metrics.lock);
    lake__free(c);
}

void *lake_client_native(lake_client *c, const char **driver) {
    if (driver) *driver = c ? c->ops->name : "duckdb";
    return c ? c->ops->native(c->impl) : NULL;
}

int lake__session_get(lake_client *c, lake__session **out, lake_error *err) {
    bool opened = false;
    int rc = c->ops->session_get(c->impl, out, &opened, err);
    if (!rc && opened) lake__metric_add(&c->metrics.sessions_opened, 1);
    return rc;
}

void lake__session_put(lake_client *c, lake__session *s, bool broken) {
    if (s) c->ops->session_put(c->impl, s, broken);
}

int lake__session_exec(lake_client *c, lake__session *s, const lake__buf *sql, const lake_param *params, size_t n,
                       bool reads_rows, int64_t *affected, lake_error *err) {
    if (sql->failed) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__stmt st = {sql->data, params, n, reads_rows};
    return c->ops->exec(s, &st, affected, err);
}

int lake__session_text(lake_client *c, lake__session *s, const lake__buf *sql, const lake_param *params, size_t n,
                       bool reads_rows, char *out, size_t cap, lake_error *err) {
    if (sql->failed) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__stmt st = {sql->data, params, n, reads_rows};
    return c->ops->query_text(s, &st, out, cap, err);
}

void lake__slot_take(lake_client *c) {
    pthread_mutex_lock(&c->lock);
    while (c->in_flight >= c->opts.max_in_flight) pthread_cond_wait(&c->slot_freed, &c->lock);
    c->in_flight++;
    pthread_mutex_unlock(&c->lock);
}

void lake__slot_give(lake_client *c) {
    pthread_mutex_lock(&c->lock);
    c->in_flight--;
    pthread_cond_signal(&c->slot_freed);
    pthread_mutex_unlock(&c->lock);
}

double lake__seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool lake__log_enabled(const lake_client *c, lake_log_level level) { return c->log && level >= c->opts.log_level; }

void lake__log(lake_client *c, lake_log_level level, const char *event, ...) {
    if (!lake__log_enabled(c, level)) return;
    lake_log_field fields[LOG_FIELDS_MAX];
    size_t n = 0;
    va_list ap;
    va_start(ap, event);
    for (const char *key; n < LOG_FIELDS_MAX && (key = va_arg(ap, const char *));) {
        fields[n].key = key;
        fields[n].kind = (lake_log_kind)va_arg(ap, int);
        fields[n++].value = va_arg(ap, const char *);
    }
    va_end(ap);
    c->log(c->log_ctx, level, event, fields, n);
}

int lake_client_exec(lake_client *c, const char *sql, const lake_param *params, size_t nparams, int64_t *affected,
                     lake_error *err) {
    if (affected) *affected = -1;
    if (!c || !sql) return lake__error(err, LAKE_EINVAL, "lake_client_exec: client and sql are required");
    if (nparams && !params) return lake__error(err, LAKE_EINVAL, "lake_client_exec: nparams is %zu but params is NULL", nparams);
    lake__session *s;
    int rc = lake__session_get(c, &s, err);
    if (rc) return lake__metric_error(c, rc);
    lake__stmt st = {sql, params, nparams, false};
    rc = c->ops->exec(s, &st, affected, err);
    /* A failed statement may leave a transaction open on the session: do not pool it. */
    lake__session_put(c, s, rc != LAKE_OK);
    return lake__metric_error(c, rc);
}

int lake_client_engine_version(lake_client *c, char *out, size_t cap, lake_error *err) {
    if (!c || !out || !cap) return lake__error(err, LAKE_EINVAL, "lake_client_engine_version: client and out are required");
    out[0] = 0;
    lake__buf sql = LAKE__BUF_INIT;
    if (c->dialect->engine_version(&sql) || sql.failed) {
        lake__buf_dispose(&sql);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    lake__session *s;
    int rc = lake__session_get(c, &s, err);
    if (!rc) {
        rc = lake__session_text(c, s, &sql, NULL, 0, false, out, cap, err);
        lake__session_put(c, s, rc != LAKE_OK);
    }
    lake__buf_dispose(&sql);
    return lake__metric_error(c, rc);
}

lake_backend *lake_client_staging(lake_client *c) { return c ? c->staging : NULL; }
lake_backend *lake_client_warehouse(lake_client *c) { return c ? c->warehouse : NULL; }

int lake_client_namespaces(lake_client *c, lake_name_fn fn, void *ctx, lake_error *err) {
    if (!c || !fn) return lake__error(err, LAKE_EINVAL, "lake_client_namespaces: client and fn are required");
    if (!c->format || !c->format->namespaces)
        return lake__error(err, LAKE_ENOTSUP, "this client has no catalog to list (only Iceberg tables in a warehouse "
                                              "have one)");
    return lake__metric_error(c, c->format->namespaces(c->format_impl, fn, ctx, err));
}

int lake__client_writable(const lake_client *c, const char *what, lake_error *err) {
    if (!c->opts.read_only) return LAKE_OK;
    return lake__error(err, LAKE_EINVAL, "the client was opened read-only, so it does not %s (open it without read_only "
                                         "to write)", what);
}
