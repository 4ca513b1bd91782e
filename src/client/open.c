/* SPDX-License-Identifier: MIT */
/* Opening and closing a client, its session pool, raw statements and DDL. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client/client.h"
#include "sql/duckdb.h"
#include "error/error.h"
#include "sql/quote.h"
#include "util/alloc.h"
#include "util/redact.h"

static bool is_default(const char *name, const char *expected) { return !name || !*name || !strcmp(name, expected); }

/* "a.b" -> "a"."b" (`a`.`b` for Spark), each part quoted; the parts, unquoted, into *ref. */
static char *quote_dotted(const char *name, lake__table_ref *ref, lake__engine engine) {
    lake__buf b = LAKE__BUF_INIT;
    const char *dot = strchr(name, '.');
    char part[256];
    if (dot) {
        snprintf(part, sizeof part, "%.*s", (int)(dot - name), name);
        lake__sql_quote_ident(&b, part, engine);
        lake__buf_putc(&b, '.');
        ref->catalog = lake__strndup(part, strlen(part));
        if (!ref->catalog) b.failed = true;
        name = dot + 1;
    }
    lake__sql_quote_ident(&b, name, engine);
    if (!(ref->schema = lake__strndup(name, strlen(name)))) b.failed = true;
    if (b.failed) {
        lake__buf_dispose(&b);
        return NULL;
    }
    return lake__buf_detach(&b, NULL);
}

static int setup_session(lake_client *c, lake__duckdb *s, lake_error *err) {
    if (!c->default_schema) return LAKE_OK;
    char sql[600];
    snprintf(sql, sizeof sql, "USE %s", c->default_schema);
    return lake__duckdb_exec(s, sql, err);
}

int lake_client_open(lake_client **out, const lake_client_options *opts, lake_error *err) {
    if (!out) return lake__error(err, LAKE_EINVAL, "lake_client_open: out is NULL");
    *out = NULL;
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    if (opts) {
        if (opts->version != LAKE_CLIENT_OPTIONS_VERSION)
            return lake__error(err, LAKE_EINVAL, "lake_client_options.version is %u; this library knows %d",
                               opts->version, LAKE_CLIENT_OPTIONS_VERSION);
        o = *opts;
    }
    bool spark = o.driver && !strcmp(o.driver, "spark"), databricks = o.driver && !strcmp(o.driver, "databricks");
    if (!spark && !databricks && !is_default(o.driver, "duckdb"))
        return lake__error(err, LAKE_ENOTSUP, "unknown driver \"%s\": use duckdb, spark or databricks", o.driver);
    lake_dialect format = 0;
    if (spark) {
        if (is_default(o.dialect, "delta")) format = LAKE_DIALECT_DELTA;
        else if (!strcmp(o.dialect, "iceberg")) format = LAKE_DIALECT_ICEBERG;
        else return lake__error(err, LAKE_ENOTSUP, "the spark driver speaks the iceberg and delta dialects, not \"%s\"", o.dialect);
        if (!o.database || strncmp(o.database, "sc://", 5))
            return lake__error(err, LAKE_EINVAL, "the spark driver needs database = a Spark Connect address (sc://host:15002)");
    } else if (databricks) {
        format = LAKE_DIALECT_DELTA;
        if (!is_default(o.dialect, "delta"))
            return lake__error(err, LAKE_ENOTSUP, "the databricks driver speaks the delta dialect, not \"%s\"", o.dialect);
        if (!o.database)
            return lake__error(err, LAKE_EINVAL, "the databricks driver needs database = the SQL warehouse's address "
                                                 "(https://<workspace>/sql/1.0/warehouses/<id>)");
    } else if (!is_default(o.dialect, "duckdb")) {
        return lake__error(err, LAKE_ENOTSUP, "the duckdb driver speaks the duckdb dialect, not \"%s\"", o.dialect);
    }
    if (o.default_schema && (strlen(o.default_schema) > 255 || !*o.default_schema))
        return lake__error(err, LAKE_EINVAL, "default_schema must be 1-255 bytes");
    if (!o.fast_path_bytes) o.fast_path_bytes = (uint64_t)128 << 20;
    if (!o.row_group_bytes) o.row_group_bytes = (uint64_t)32 << 20;
    if (!o.max_in_flight) o.max_in_flight = 4;
    if (!o.pool_size) o.pool_size = 8;
    if (o.idempotency_ttl_us <= 0) o.idempotency_ttl_us = (int64_t)24 * 3600 * 1000000;

    lake_client *c = lake__calloc(1, sizeof *c);
    if (!c) return lake__error(err, LAKE_ENOMEM, "out of memory");
    c->opts = o;
    c->format = format;
    c->opts.driver = c->opts.dialect = c->opts.database = c->opts.staging = c->opts.default_schema = NULL;
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->slot_freed, NULL);
    pthread_mutex_init(&c->metrics.lock, NULL);
    int rc;
    if (!(c->idle = lake__calloc(o.pool_size, sizeof *c->idle))) {
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        goto fail;
    }
    lake__engine engine = spark || databricks ? LAKE_ENGINE_SPARK : LAKE_ENGINE_DUCKDB;
    if (o.default_schema && !(c->default_schema = quote_dotted(o.default_schema, &c->target, engine))) {
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        goto fail;
    }
    if (spark) {
        if (!(c->spark = lake__calloc(1, sizeof *c->spark))) {
            rc = lake__error(err, LAKE_ENOMEM, "out of memory");
            goto fail;
        }
        if ((rc = lake__spark_open(c->spark, o.database, o.pool_size, err))) goto fail;
        if (c->default_schema && !o.read_only) {
            char sql[600];
            snprintf(sql, sizeof sql, "CREATE NAMESPACE IF NOT EXISTS %s", c->default_schema);
            lake__spark_session s; /* stays fresh: its first user points it at the namespace */
            if ((rc = lake__spark_session_get(c->spark, &s, err))) goto fail;
            rc = lake__spark_sql(c->spark, &s, sql, NULL, 0, NULL, 0, err);
            lake__spark_session_put(c->spark, &s);
            if (rc) goto fail;
        }
    } else if (databricks) {
        if (!(c->dbx = lake__calloc(1, sizeof *c->dbx))) {
            rc = lake__error(err, LAKE_ENOMEM, "out of memory");
            goto fail;
        }
        if ((rc = lake__dbx_open(c->dbx, o.database, err))) goto fail;
        if (c->default_schema) {
            /* A warehouse keeps no session: the namespace travels with every statement. */
            char sql[600];
            snprintf(sql, sizeof sql, "CREATE SCHEMA IF NOT EXISTS %s", c->default_schema);
            if ((!o.read_only && (rc = lake__dbx_sql(c->dbx, sql, NULL, 0, NULL, 0, err))) ||
                (rc = lake__dbx_set_namespace(c->dbx, c->target.catalog, c->target.schema, err)))
                goto fail;
        }
    } else {
        rc = o.read_only ? lake__duckdb_open_read_only(&c->engine, o.database, err)
                         : lake__duckdb_open(&c->engine, o.database, err);
        if (rc) goto fail;
        if (o.default_schema) {
            char sql[600];
            snprintf(sql, sizeof sql, "CREATE SCHEMA IF NOT EXISTS %s", c->default_schema);
            if ((!o.read_only && (rc = lake__duckdb_exec(&c->engine, sql, err))) || (rc = setup_session(c, &c->engine, err)))
                goto fail;
        }
    }
    char url[4200];
    if (o.read_only) {
        /* Nothing to stage: no folder is made, no backend opened. */
    } else if (o.staging) {
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
    if (!o.read_only && (rc = lake_backend_open(&c->staging, url, err))) goto fail;
    /* The Spark and Databricks addresses may hold a token: log where, not how, and redacted whatever it is. */
    char where[500], shown_where[500], shown_staging[500];
    if (databricks) snprintf(where, sizeof where, "%s/sql/1.0/warehouses/%s", c->dbx->target.base, c->dbx->target.warehouse);
    else snprintf(where, sizeof where, "%s", spark ? c->spark->target.address : o.database ? o.database : ":memory:");
    lake__log(c, LAKE_LOG_INFO, "client.open", "driver", o.driver && *o.driver ? o.driver : "duckdb", "database",
              lake__redact(where, shown_where, sizeof shown_where), "staging",
              c->staging ? lake__redact(lake_backend_url(c->staging), shown_staging, sizeof shown_staging) : "none (read-only)",
              NULL);
    *out = c;
    return LAKE_OK;
fail:
    lake_client_close(c);
    return rc;
}

void lake_client_close(lake_client *c) {
    if (!c) return;
    if (c->spark) {
        lake__spark_close(c->spark);
        lake__free(c->spark);
    }
    if (c->dbx) {
        lake__dbx_close(c->dbx);
        lake__free(c->dbx);
    }
    for (size_t i = 0; i < c->idle_count; i++) lake__duckdb_close(&c->idle[i]);
    lake__free(c->idle);
    lake_backend_free(c->staging);
    lake__duckdb_close(&c->engine);
    if (c->temp_dir) {
        /* Only what lakeorm put there: an insert cleans its own prefix, so this is normally empty. */
        char path[4200];
        snprintf(path, sizeof path, "%s/_staging", c->temp_dir);
        rmdir(path);
        rmdir(c->temp_dir);
    }
    lake__free(c->temp_dir);
    lake__free(c->default_schema);
    lake__free((char *)c->target.catalog);
    lake__free((char *)c->target.schema);
    pthread_cond_destroy(&c->slot_freed);
    pthread_mutex_destroy(&c->lock);
    pthread_mutex_destroy(&c->metrics.lock);
    lake__free(c);
}

void *lake_client_native(lake_client *c, const char **driver) {
    if (driver) *driver = c && c->spark ? "spark" : c && c->dbx ? "databricks" : "duckdb";
    return !c || lake__remote(c) ? NULL : &c->engine.db;
}

int lake__spark_session_take(lake_client *c, lake__spark_session *out, lake_error *err) {
    int rc = lake__spark_session_get(c->spark, out, err);
    if (rc || !out->fresh) return rc;
    lake__metric_add(&c->metrics.sessions_opened, 1);
    out->fresh = false;
    if (!c->default_schema) return LAKE_OK;
    char sql[600];
    snprintf(sql, sizeof sql, "USE %s", c->default_schema);
    if ((rc = lake__spark_sql(c->spark, out, sql, NULL, 0, NULL, 0, err))) lake__spark_session_put(c->spark, out);
    return rc;
}

/* Whether SQL text holds nothing but "--" comments and blanks (Spark's parser
 * refuses such a statement; a migration section can be only comments). */
static bool only_comments(const char *sql) {
    for (const char *p = sql; *p;) {
        p += strspn(p, " \t\r\n");
        if (!strncmp(p, "--", 2)) p += strcspn(p, "\n");
        else if (*p) return false;
    }
    return true;
}

int lake__remote_client_exec(lake_client *c, const char *sql, lake_error *err) {
    lake__spark_session s;
    int rc = c->spark ? lake__spark_session_take(c, &s, err) : LAKE_OK;
    if (rc) return rc;
    /* Spark and warehouses run one statement per command: a script is cut at the ";\n" lakeorm's DDL ends
     * statements with. */
    for (const char *at = sql; !rc && *at;) {
        const char *end = strstr(at, ";\n");
        size_t n = end ? (size_t)(end - at) : strlen(at);
        while (n && (at[n - 1] == ';' || at[n - 1] == ' ' || at[n - 1] == '\n')) n--;
        char *one = lake__strndup(at, n);
        if (!one) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        else if (!only_comments(one))
            rc = c->spark ? lake__spark_sql(c->spark, &s, one, NULL, 0, NULL, 0, err)
                          : lake__dbx_sql(c->dbx, one, NULL, 0, NULL, 0, err);
        lake__free(one);
        at = end ? end + 2 : at + strlen(at);
    }
    if (c->spark) lake__spark_session_put(c->spark, &s);
    return rc;
}

int lake__session_get(lake_client *c, lake__duckdb *out, lake_error *err) {
    pthread_mutex_lock(&c->lock);
    bool pooled = c->idle_count > 0;
    if (pooled) *out = c->idle[--c->idle_count];
    pthread_mutex_unlock(&c->lock);
    if (pooled) return LAKE_OK;
    int rc = lake__duckdb_connect(&c->engine, out, err);
    if (!rc && (rc = setup_session(c, out, err))) lake__duckdb_close(out);
    if (!rc) lake__metric_add(&c->metrics.sessions_opened, 1);
    return rc;
}

void lake__session_put(lake_client *c, lake__duckdb *s, bool broken) {
    pthread_mutex_lock(&c->lock);
    bool keep = !broken && c->idle_count < c->opts.pool_size;
    if (keep) c->idle[c->idle_count++] = *s;
    pthread_mutex_unlock(&c->lock);
    if (!keep) lake__duckdb_close(s);
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

bool lake__log_enabled(const lake_client *c, lake_log_level level) { return c->opts.log && level >= c->opts.log_level; }

void lake__log(lake_client *c, lake_log_level level, const char *event, ...) {
    if (!lake__log_enabled(c, level)) return;
    lake_log_field fields[16];
    size_t n = 0;
    va_list ap;
    va_start(ap, event);
    for (const char *key; n < 16 && (key = va_arg(ap, const char *));) {
        fields[n].key = key;
        fields[n++].value = va_arg(ap, const char *);
    }
    va_end(ap);
    c->opts.log(c->opts.log_ctx, level, event, fields, n);
}

int lake_client_exec(lake_client *c, const char *sql, lake_error *err) {
    if (!c || !sql) return lake__error(err, LAKE_EINVAL, "lake_client_exec: client and sql are required");
    if (lake__remote(c)) return lake__metric_error(c, lake__remote_client_exec(c, sql, err));
    lake__duckdb s;
    int rc = lake__session_get(c, &s, err);
    if (rc) return lake__metric_error(c, rc);
    rc = lake__duckdb_exec(&s, sql, err);
    /* A failed statement may leave a transaction open on the session: do not pool it. */
    lake__session_put(c, &s, rc != LAKE_OK);
    return lake__metric_error(c, rc);
}

int lake__client_writable(const lake_client *c, const char *what, lake_error *err) {
    if (!c->opts.read_only) return LAKE_OK;
    return lake__error(err, LAKE_EINVAL, "the client was opened read-only, so it does not %s (open it without read_only "
                                         "to write)", what);
}

int lake_client_migrate(lake_client *c, const lake_schema *schema, lake_error *err) {
    if (!c || !schema) return lake__error(err, LAKE_EINVAL, "lake_client_migrate: client and schema are required");
    int rc = lake__client_writable(c, "create tables", err);
    if (rc) return rc;
    rc = lake__schema_check_writable(schema, err);
    if (rc) return rc;
    lake__buf sql = LAKE__BUF_INIT;
    int failed = lake__remote(c) ? lake__spark_create_table(&sql, schema, NULL, c->format) : lake__duckdb_create_table(&sql, schema, NULL);
    rc = failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : lake_client_exec(c, sql.data, err);
    if (!rc) lake__log(c, LAKE_LOG_INFO, "migrate", "table", lake_schema_table(schema), NULL);
    lake__buf_dispose(&sql);
    return rc;
}
