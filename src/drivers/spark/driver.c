/* SPDX-License-Identifier: MIT */
/* Spark Connect as a driver: a gRPC channel to a Spark server, a pool of
 * Spark sessions each pointed at the default namespace, statements with
 * typed parameters, reads as Arrow batches. No transaction spans
 * statements: a request's rows wait in temporary views (the direct path) or
 * staged Parquet (read where it lies) until the one statement that lands
 * them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/ipc.h"
#include "drivers/describe.h"
#include "drivers/driver.h"
#include "drivers/spark/read.h"
#include "drivers/spark/session.h"
#include "drivers/staged_remote.h"
#include "error/error.h"
#include "util/alloc.h"

typedef struct spark_driver {
    lake__spark sp;
    const lake__dialect *dialect;
    char *use; /* what a new session runs first (USE the default namespace); NULL for none */
} spark_driver;

struct lake__session {
    spark_driver *owner;
    lake__spark_session s;
};

static int oom(lake_error *err) { return lake__error(err, LAKE_ENOMEM, "out of memory"); }

static void spark_close(void *impl) {
    spark_driver *d = impl;
    if (!d) return;
    lake__spark_close(&d->sp);
    lake__free(d->use);
    lake__free(d);
}

static int spark_open(const lake__driver_config *cfg, void **impl, lake_error *err) {
    if (!cfg->database || strncmp(cfg->database, "sc://", 5))
        return lake__error(err, LAKE_EINVAL, "the spark driver needs database = a Spark Connect address (sc://host:15002)");
    spark_driver *d = lake__calloc(1, sizeof *d);
    if (!d) return oom(err);
    d->dialect = cfg->dialect;
    int rc = lake__spark_open(&d->sp, cfg->database, cfg->pool_size, err);
    if (!rc && cfg->schema) {
        lake__buf sql = LAKE__BUF_INIT;
        d->dialect->use_schema(&sql, cfg->catalog, cfg->schema);
        if (sql.failed || !(d->use = lake__buf_detach(&sql, NULL))) rc = oom(err);
        lake__buf_dispose(&sql);
    }
    if (!rc && cfg->schema && !cfg->read_only) {
        lake__buf sql = LAKE__BUF_INIT;
        d->dialect->create_schema(&sql, cfg->catalog, cfg->schema);
        lake__spark_session s; /* stays fresh: its first user points it at the namespace */
        rc = sql.failed ? oom(err) : lake__spark_session_get(&d->sp, &s, err);
        if (!rc) {
            rc = lake__spark_sql(&d->sp, &s, sql.data, NULL, 0, NULL, 0, err);
            lake__spark_session_put(&d->sp, &s);
        }
        lake__buf_dispose(&sql);
    }
    if (rc) {
        spark_close(d);
        return rc;
    }
    *impl = d;
    return LAKE_OK;
}

static void *spark_native(void *impl) {
    (void)impl;
    return NULL; /* the engine is elsewhere: nothing in this process to hand out */
}

/* host:port only: the connection string's other items may hold a token. */
static void spark_where(void *impl, char *out, size_t cap) {
    snprintf(out, cap, "%s", ((spark_driver *)impl)->sp.target.address);
}

static int session_get(void *impl, lake__session **out, bool *opened, lake_error *err) {
    spark_driver *d = impl;
    *out = NULL;
    lake__session *s = lake__calloc(1, sizeof *s);
    if (!s) return oom(err);
    s->owner = d;
    int rc = lake__spark_session_get(&d->sp, &s->s, err);
    if (!rc && s->s.fresh) {
        *opened = true;
        if (d->use) rc = lake__spark_sql(&d->sp, &s->s, d->use, NULL, 0, NULL, 0, err);
        /* Pooled again still fresh when USE failed: its next user tries again. */
        if (rc) lake__spark_session_put(&d->sp, &s->s);
        else s->s.fresh = false;
    }
    if (rc) {
        lake__free(s);
        return rc;
    }
    *out = s;
    return LAKE_OK;
}

/* A Spark session holds no transaction, so a failed statement leaves nothing
 * half done in it: pooled whether or not the caller thinks it broken. (What
 * a session keeps, its namespace and temporary views, only lakeorm changes,
 * and every view a request registered is dropped when the request ends.) */
static void session_put(void *impl, lake__session *s, bool broken) {
    (void)broken;
    if (!s) return;
    lake__spark_session_put(&((spark_driver *)impl)->sp, &s->s);
    lake__free(s);
}

/* ---- statements */

typedef struct script_run {
    lake__session *s;
    char affected[32]; /* the last statement's num_affected_rows, "" for none */
} script_run;

static int run_one(void *ctx, const char *one, lake_error *err) {
    script_run *r = ctx;
    return lake__spark_sql(&r->s->owner->sp, &r->s->s, one, NULL, 0, r->affected, sizeof r->affected, err);
}

static int exec(lake__session *s, const lake__stmt *st, int64_t *affected, lake_error *err) {
    if (affected) *affected = -1;
    script_run r = {s, ""};
    /* Spark runs one statement per command: a script is cut where lakeorm's DDL ends statements. */
    int rc = st->nparams ? lake__spark_sql(&s->owner->sp, &s->s, st->sql, st->params, st->nparams, r.affected,
                                           sizeof r.affected, err)
                         : lake__script_each(st->sql, run_one, &r, err);
    if (!rc && affected && r.affected[0]) *affected = strtoll(r.affected, NULL, 10);
    return rc;
}

static int query_text(lake__session *s, const lake__stmt *st, char *out, size_t cap, lake_error *err) {
    return lake__spark_query_text(&s->owner->sp, &s->s, st->sql, st->params, st->nparams, out, cap, err);
}

/* The cursor is the Spark reader's own, passed through as the opaque type. */
static int cursor_open(lake__session *s, const lake_schema *schema, const lake__stmt *st, lake_arena *arena,
                       bool reset_arena, lake__cursor **out, lake_error *err) {
    lake__spark_cursor *cur;
    int rc = lake__spark_cursor_open(&s->owner->sp, &s->s, schema, st->sql, st->params, st->nparams, arena,
                                     reset_arena, &cur, err);
    *out = rc ? NULL : (lake__cursor *)cur;
    return rc;
}

static int cursor_next(lake__cursor *cur, const void **record, lake_error *err) {
    return lake__spark_cursor_next((lake__spark_cursor *)cur, record, err);
}

static const lake_schema *cursor_schema(const lake__cursor *cur) {
    return lake__spark_cursor_schema((const lake__spark_cursor *)cur);
}

static void cursor_close(lake__cursor *cur) { lake__spark_cursor_close((lake__spark_cursor *)cur); }

/* ---- the direct path: the rows as Arrow streams, each a temporary view of the session */

/* A view's stream is capped so each message stays well under the server's
 * inbound limit (128 MiB). */
#define VIEW_BYTES_MAX ((uint64_t)64 << 20)

/* Record batches of at most this many rows: views stay near their byte
 * bound, and the server converts the stream batch by batch. */
enum { BATCH_ROWS = 16384 };

struct lake__direct {
    lake__session *session;
    const lake_schema *schema;
    lake__arrow_options arrow_options;
    char ingest_id[64];
    char temp[64];      /* the views' common name: <temp>_0, <temp>_1, ... */
    size_t view_bytes;  /* a stream goes to the server as a view once it holds this */
    lake__buf arrow;    /* the stream under way */
    uint64_t view_rows; /* rows in it */
    unsigned views;     /* views registered */
};

static void view_name(const lake__direct *dr, unsigned v, char out[96]) { snprintf(out, 96, "%s_%u", dr->temp, v); }

static void direct_free(lake__direct *dr) {
    if (!dr) return;
    spark_driver *d = dr->session->owner;
    for (unsigned v = 0; v < dr->views; v++) {
        char name[96];
        view_name(dr, v, name);
        lake__buf drop = LAKE__BUF_INIT;
        d->dialect->drop_view(&drop, name);
        lake_error ignored = LAKE_ERROR_INIT; /* a view left behind dies with the session */
        if (!drop.failed) lake__spark_sql(&d->sp, &dr->session->s, drop.data, NULL, 0, NULL, 0, &ignored);
        lake_error_clear(&ignored);
        lake__buf_dispose(&drop);
    }
    lake__buf_dispose(&dr->arrow);
    lake__free(dr);
}

/* Spark's optimizer folds a projection over a local relation into a new local
 * relation, row by row on the server's driver thread, interpreted
 * (ConvertToLocalRelation): an INSERT's casts and aliases over a view of a
 * million rows cost seconds there, where the write's tasks would do the same
 * compiled and in parallel. Only where the work runs changes, not what it
 * computes. Best-effort, once per session: a server that refuses the setting
 * (a managed one) runs the insert as before. */
#define FOLDING_RULE "org.apache.spark.sql.catalyst.optimizer.ConvertToLocalRelation"

static void keep_folding_off_driver(lake__session *s) {
    if (s->s.direct_ready) return;
    lake_error ignored = LAKE_ERROR_INIT;
    lake__spark_conf_list_add(&s->owner->sp, &s->s, "spark.sql.optimizer.excludedRules", FOLDING_RULE, &ignored);
    lake_error_clear(&ignored);
    s->s.direct_ready = true;
}

static int direct_open(lake__session *s, const lake__direct_spec *spec, lake__direct **out, lake_error *err) {
    *out = NULL;
    keep_folding_off_driver(s);
    lake__direct *dr = lake__calloc(1, sizeof *dr);
    if (!dr) return oom(err);
    dr->session = s;
    dr->schema = spec->schema;
    snprintf(dr->ingest_id, sizeof dr->ingest_id, "%s", spec->ingest_id);
    const char *id = dr->ingest_id;
    /* Named for the request (a UUIDv7's time and random parts), so requests sharing a session never meet. */
    snprintf(dr->temp, sizeof dr->temp, "lake_batch_%.8s%.4s%.4s%.4s", id, id + 9, id + 14, id + 24);
    dr->arrow_options.ingest_id = dr->ingest_id;
    dr->arrow_options.uuid_as_string = true; /* Spark 4.0 refuses fixed-size binary */
    uint64_t bound = spec->batch_bytes && spec->batch_bytes < VIEW_BYTES_MAX ? spec->batch_bytes : VIEW_BYTES_MAX;
    dr->view_bytes = (size_t)bound;
    int rc = lake__arrow_write_schema(&dr->arrow, dr->schema, &dr->arrow_options, err);
    if (rc) {
        direct_free(dr);
        return rc;
    }
    *out = dr;
    return LAKE_OK;
}

static int flush_view(lake__direct *dr, lake_error *err) {
    lake__arrow_write_end(&dr->arrow);
    if (dr->arrow.failed) return oom(err);
    char name[96];
    view_name(dr, dr->views, name);
    spark_driver *d = dr->session->owner;
    int rc = lake__spark_view(&d->sp, &dr->session->s, name, dr->arrow.data, dr->arrow.len, err);
    if (rc) return rc;
    dr->views++;
    dr->view_rows = 0;
    dr->arrow.len = 0;
    return lake__arrow_write_schema(&dr->arrow, dr->schema, &dr->arrow_options, err);
}

static int direct_add(lake__direct *dr, const void *records, size_t count, lake_error *err) {
    size_t size = lake_schema_record_size(dr->schema);
    int rc = LAKE_OK;
    for (size_t at = 0; !rc && at < count; at += BATCH_ROWS) {
        size_t n = count - at < BATCH_ROWS ? count - at : BATCH_ROWS;
        rc = lake__arrow_write_batch(&dr->arrow, dr->schema, (const char *)records + at * size, n, &dr->arrow_options,
                                     err);
        dr->view_rows += n;
        if (!rc && dr->arrow.len >= dr->view_bytes) rc = flush_view(dr, err);
    }
    return rc;
}

/* The source: every view of the request, read as one. */
static int direct_finish(lake__direct *dr, lake__buf *source, lake_error *err) {
    int rc = dr->view_rows ? flush_view(dr, err) : LAKE_OK;
    if (rc || !dr->views) return rc;
    const lake__dialect *dialect = dr->session->owner->dialect;
    /* Each view's name quoted and NUL-terminated, one after another in one buffer. */
    lake__buf quoted = LAKE__BUF_INIT;
    size_t *at = lake__calloc(dr->views, sizeof *at);
    const char **sources = lake__calloc(dr->views, sizeof *sources);
    for (unsigned v = 0; at && v < dr->views; v++) {
        char name[96];
        view_name(dr, v, name);
        at[v] = quoted.len;
        dialect->ident(&quoted, name);
        lake__buf_putc(&quoted, 0);
    }
    if (!at || !sources || quoted.failed) rc = oom(err);
    for (unsigned v = 0; !rc && v < dr->views; v++) sources[v] = quoted.data + at[v];
    if (!rc && dialect->union_all(source, sources, dr->views)) rc = oom(err);
    lake__buf_dispose(&quoted);
    lake__free(sources);
    lake__free(at);
    return rc;
}

/* ---- the staged path: Spark reads the parts where they are */

static int staged_location(void *impl, lake_backend *staging, const char *prefix, lake__staged *out, lake_error *err) {
    (void)impl;
    return lake__staged_remote(staging, prefix, "s3a://", out, err); /* Spark reaches S3 through Hadoop's S3A */
}

/* ---- the catalog */

/* Nullability from the table's analyzed schema, matched by name. */
static int take_nullable(void *ctx, const char *name, bool nullable) {
    lake__live_columns_nullable(ctx, name, strlen(name), nullable);
    return LAKE_OK;
}

/* DESCRIBE TABLE names the columns and their types; it does not say what may
 * be NULL, which the table's analyzed schema does without reading a row; the
 * primary key is among the table's properties where the format keeps one
 * (Iceberg's identifier fields). */
static int columns(lake__session *s, const char *table, lake__live_column **out, size_t *count, lake_error *err) {
    spark_driver *d = s->owner;
    lake__live_columns l = {NULL, 0, 0};
    int rc = lake__describe_columns(&lake__spark_driver, s, d->dialect, table, &l, err);
    if (!rc && l.count) {
        lake__buf sql = LAKE__BUF_INIT;
        d->dialect->select_all(&sql, table);
        rc = sql.failed ? oom(err) : lake__spark_fields(&d->sp, &s->s, sql.data, take_nullable, &l, err);
        lake__buf_dispose(&sql);
    }
    if (!rc && l.count) rc = lake__describe_keys(&lake__spark_driver, s, d->dialect, table, &l, err);
    return lake__live_columns_give(&l, rc, out, count);
}

const lake__driver_ops lake__spark_driver = {
    .name = "spark",
    .caps =
        {
            .transactional = false,
            .reads_local_files = false,
            .uuid_as_text = true,
            .direct_bytes_limit = 0,
            .dialects = 1u << LAKE_DIALECT_ICEBERG | 1u << LAKE_DIALECT_DELTA,
            .default_dialect = LAKE_DIALECT_ICEBERG, /* as in the Go library */
        },
    .open = spark_open,
    .close = spark_close,
    .native = spark_native,
    .where = spark_where,
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
