/* SPDX-License-Identifier: MIT */
/* A replacement scan (DuckDB's hook for names its catalog lacks) that reads
 * a format's table as the table function query(<SELECT text>), available
 * since DuckDB 1.1: the SELECT is bound in place of the name, so filters,
 * joins and aggregates over the table work as over a view, and nothing is
 * created in the catalog that could go stale as the table gets new versions.
 * The statement's filter on the table, when the driver found one, goes along
 * so that the format reads only the files a matching row can be in. */
#include "drivers/duckdb/resolve.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "drivers/duckdb/filter.h"
#include "error/error.h"
#include "util/alloc.h"

typedef struct resolver {
    int (*fn)(void *ctx, const char *name, const lake__scan_filter *filter, lake__buf *sql, bool *found,
              lake_error *err);
    void *ctx;
} resolver;

/* The statement this thread prepares and runs: DuckDB binds a statement,
 * and so calls the replacement scan, on the thread preparing it, and again
 * on the thread running it (a statement that read a replacement scan is
 * bound anew to run). */
static _Thread_local lake__duckdb_hint *active;

/* The SELECT for `name`: the one an earlier binding of the same statement
 * got, so that its run reads the very files its preparation typed (and the
 * table's metadata is read once), else the format's answer, kept. */
static int scan_text(const resolver *r, const char *name, lake__buf *sql, bool *found, lake_error *err) {
    lake__duckdb_hint *h = active;
    for (size_t i = 0; h && i < h->scan_count; i++)
        if (!strcmp(h->scans[i].name, name)) {
            *found = h->scans[i].found;
            bool failed = *found && lake__buf_put(sql, h->scans[i].sql, h->scans[i].len);
            return failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
        }
    const lake__scan_filter *filter = h && h->filter.table && !strcasecmp(h->filter.table, name) ? &h->filter : NULL;
    int rc = r->fn(r->ctx, name, filter, sql, found, err);
    if (!rc && h && h->arena && h->scan_count < sizeof h->scans / sizeof *h->scans) {
        char *kept_name = lake__arena_strndup(h->arena, name, strlen(name));
        char *kept_sql = *found && sql->len ? lake__arena_strndup(h->arena, sql->data, sql->len) : NULL;
        if (kept_name && (kept_sql || !*found))
            h->scans[h->scan_count++] = (lake__duckdb_scan_text){kept_name, kept_sql, kept_sql ? sql->len : 0, *found};
    }
    return rc;
}

/* DuckDB calls this from a statement's binding, on the statement's thread;
 * it has no status to return, so a refusal travels as the statement's error
 * ("Binder Error: Error in replacement scan: <message>"). */
static void replace(duckdb_replacement_scan_info info, const char *name, void *data) {
    const resolver *r = data;
    lake__buf sql = LAKE__BUF_INIT;
    lake_error err = LAKE_ERROR_INIT;
    bool found = false;
    int rc = scan_text(r, name, &sql, &found, &err);
    if (!rc && found && (sql.failed || !sql.len)) rc = lake__error(&err, LAKE_ENOMEM, "out of memory");
    duckdb_value text = NULL;
    if (!rc && found && !(text = duckdb_create_varchar_length(sql.data, sql.len)))
        rc = lake__error(&err, LAKE_ENOMEM, "out of memory");
    if (rc) {
        char message[640];
        snprintf(message, sizeof message, "reading table %s: %s", name, err.message[0] ? err.message : lake_strerror(rc));
        duckdb_replacement_scan_set_error(info, message);
    } else if (found) {
        duckdb_replacement_scan_set_function_name(info, "query");
        duckdb_replacement_scan_add_parameter(info, text);
    }
    duckdb_destroy_value(&text);
    lake_error_clear(&err);
    lake__buf_dispose(&sql);
}

int lake__duckdb_resolve_install(duckdb_database db, const lake__driver_config *cfg, lake_error *err) {
    resolver *r = lake__malloc(sizeof *r);
    if (!r) return lake__error(err, LAKE_ENOMEM, "out of memory");
    *r = (resolver){cfg->resolve, cfg->resolve_ctx};
    duckdb_add_replacement_scan(db, replace, r, lake__free);
    return LAKE_OK;
}

void lake__duckdb_hint_begin(lake__duckdb_hint *h, lake__duckdb *d, const char *sql, const lake_param *params,
                             size_t nparams) {
    memset(h, 0, sizeof *h);
    h->outer = active;
    if (d->resolves && !lake_arena_new(&h->arena)) lake__duckdb_filter_of(d, sql, params, nparams, h->arena, &h->filter);
    active = h;
}

void lake__duckdb_hint_end(lake__duckdb_hint *h) {
    active = h->outer;
    lake_arena_free(h->arena);
    h->arena = NULL;
}
