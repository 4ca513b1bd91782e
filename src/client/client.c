/* The client: validation, ingest ids and the write paths over the embedded
 * engine and a staging backend. Every operation takes its own connection to
 * the shared database, so one client serves many threads. */
#include <lakeorm/client.h>

#include <lakeorm/backend.h>
#include <lakeorm/ids.h>
#include <lakeorm/validate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dialects/duckdb.h"
#include "drivers/duckdb/append.h"
#include "drivers/duckdb/read.h"
#include "error/error.h"
#include "util/alloc.h"

struct lake_client {
    lake__duckdb engine;
    lake_backend *staging;
    char *temp_dir; /* the default staging folder, removed on close */
    lake_client_options opts;
};

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
    if (!o.fast_path_bytes) o.fast_path_bytes = (uint64_t)128 << 20;
    lake_client *c = lake__calloc(1, sizeof *c);
    if (!c) return lake__error(err, LAKE_ENOMEM, "out of memory");
    c->opts = o;
    c->opts.database = c->opts.staging = NULL; /* borrowed for this call only */
    int rc = lake__duckdb_open(&c->engine, o.database, err);
    if (rc) {
        lake__free(c);
        return rc;
    }
    char url[4200];
    if (o.staging) {
        snprintf(url, sizeof url, "%s", o.staging);
    } else {
        const char *tmp = getenv("TMPDIR");
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/lakeorm-staging-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir) || !(c->temp_dir = lake__strndup(dir, strlen(dir)))) {
            lake_client_close(c);
            return lake__error(err, LAKE_EIO, "cannot create a staging folder in %s", tmp && *tmp ? tmp : "/tmp");
        }
        snprintf(url, sizeof url, "file://%s", dir);
    }
    if ((rc = lake_backend_open(&c->staging, url, err))) {
        lake_client_close(c);
        return rc;
    }
    *out = c;
    return LAKE_OK;
}

void lake_client_close(lake_client *c) {
    if (!c) return;
    lake_backend_free(c->staging);
    lake__duckdb_close(&c->engine);
    if (c->temp_dir) rmdir(c->temp_dir);
    lake__free(c->temp_dir);
    lake__free(c);
}

int lake_client_exec(lake_client *c, const char *sql, lake_error *err) {
    if (!c || !sql) return lake__error(err, LAKE_EINVAL, "lake_client_exec: client and sql are required");
    lake__duckdb con;
    int rc = lake__duckdb_connect(&c->engine, &con, err);
    if (!rc) rc = lake__duckdb_exec(&con, sql, err);
    lake__duckdb_close(&con);
    return rc;
}

int lake_client_migrate(lake_client *c, const lake_schema *schema, lake_error *err) {
    if (!c || !schema) return lake__error(err, LAKE_EINVAL, "lake_client_migrate: client and schema are required");
    lake__buf sql = LAKE__BUF_INIT;
    int rc = lake__duckdb_create_table(&sql, schema, NULL) ? lake__error(err, LAKE_ENOMEM, "out of memory")
                                                            : lake_client_exec(c, sql.data, err);
    lake__buf_dispose(&sql);
    return rc;
}

/* Runs `work` inside one transaction on its own connection; rolls back on failure. */
static int in_transaction(lake_client *c, int (*work)(lake__duckdb *con, void *ctx, lake_error *err), void *ctx,
                          lake_error *err) {
    lake__duckdb con;
    int rc = lake__duckdb_connect(&c->engine, &con, err);
    if (rc) return rc;
    rc = lake__duckdb_exec(&con, "BEGIN TRANSACTION", err);
    if (!rc) rc = work(&con, ctx, err);
    if (!rc) rc = lake__duckdb_exec(&con, "COMMIT", err);
    if (rc) {
        lake_error ignored = LAKE_ERROR_INIT;
        lake__duckdb_exec(&con, "ROLLBACK", &ignored); /* the first error is the one to report */
        lake_error_clear(&ignored);
    }
    lake__duckdb_close(&con);
    return rc;
}

typedef struct insert_job {
    const lake_schema *schema;
    const void *records;
    size_t count;
    const char *ingest_id;
    const char *glob; /* staged path: where the parts are */
} insert_job;

static int append_work(lake__duckdb *con, void *ctx, lake_error *err) {
    insert_job *j = ctx;
    return lake__duckdb_append(con, j->schema, NULL, j->records, j->count, j->ingest_id, err);
}

static int staged_work(lake__duckdb *con, void *ctx, lake_error *err) {
    insert_job *j = ctx;
    lake__buf sql = LAKE__BUF_INIT;
    int64_t inserted = 0;
    int rc = lake__duckdb_insert_from_parquet(&sql, j->schema, NULL) ? lake__error(err, LAKE_ENOMEM, "out of memory")
           : lake__duckdb_query_int(con, sql.data, &j->glob, 1, &inserted, err);
    lake__buf_dispose(&sql);
    if (!rc && (size_t)inserted != j->count)
        rc = lake__error(err, LAKE_ERROR, "staged insert wrote %lld rows, expected %zu", (long long)inserted, j->count);
    return rc;
}

static int insert_staged(lake_client *c, insert_job *j, lake_error *err) {
    const char *root = lake_backend_local_root(c->staging);
    if (!root)
        return lake__error(err, LAKE_ENOTSUP, "the staged path needs a staging backend the engine can read (file://); %s is not",
                           lake_backend_url(c->staging));
    char prefix[64], glob[4300];
    snprintf(prefix, sizeof prefix, "_staging/%s", j->ingest_id);
    snprintf(glob, sizeof glob, "%s/%s/*.parquet", root, prefix);
    j->glob = glob;
    lake_part_sinks sinks = {NULL, NULL, NULL};
    lake_parquet_parts_options po = LAKE_PARQUET_PARTS_OPTIONS_INIT;
    po.file.codec = c->opts.compression;
    po.file.ingest_id = j->ingest_id;
    lake_parquet_parts *parts = NULL;
    int rc = lake_backend_part_sinks(c->staging, prefix, &sinks, err);
    if (!rc) rc = lake_parquet_parts_open(&parts, j->schema, &sinks, &po, err);
    if (!rc) rc = lake_parquet_parts_append(parts, j->records, j->count, err);
    if (!rc) rc = lake_parquet_parts_close(parts, err);
    lake_parquet_parts_free(parts);
    lake_backend_part_sinks_free(&sinks);
    if (!rc) rc = in_transaction(c, staged_work, j, err);
    /* Staging goes whatever happened: committed rows no longer need it, failed ones never will. */
    lake_error ignored = LAKE_ERROR_INIT;
    lake_backend_delete_prefix(c->staging, prefix, NULL, &ignored);
    lake_error_clear(&ignored);
    return rc;
}

int lake_client_insert(lake_client *c, const lake_schema *schema, const void *records, size_t count,
                       const lake_insert_options *opts, lake_uuid *ingest_id, lake_error *err) {
    if (!c || !schema || (!records && count))
        return lake__error(err, LAKE_EINVAL, "lake_client_insert: client, schema and records are required");
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    if (opts) {
        if (opts->version != LAKE_INSERT_OPTIONS_VERSION)
            return lake__error(err, LAKE_EINVAL, "lake_insert_options.version is %u; this library knows %d",
                               opts->version, LAKE_INSERT_OPTIONS_VERSION);
        o = *opts;
    }
    int rc = lake_validate(schema, records, count, err);
    if (rc) return rc;
    lake_uuid id;
    char text[LAKE_UUID_TEXT_LEN + 1];
    if ((rc = lake_uuid7_new(&id))) return lake__error(err, rc, "no randomness for the ingest id");
    lake_uuid_format(&id, text);
    if (ingest_id) *ingest_id = id;
    if (count == 0) return LAKE_OK;
    insert_job job = {schema, records, count, text, NULL};
    lake_write_path path = o.path;
    if (path == LAKE_PATH_AUTO) {
        uint64_t estimate = (uint64_t)count * lake_schema_record_size(schema);
        path = estimate < c->opts.fast_path_bytes || !lake_backend_local_root(c->staging) ? LAKE_PATH_DIRECT
                                                                                          : LAKE_PATH_STAGED;
    }
    return path == LAKE_PATH_DIRECT ? in_transaction(c, append_work, &job, err) : insert_staged(c, &job, err);
}

int lake_client_query(lake_client *c, const lake_schema *schema, const char *sql, const char *const *params,
                      size_t nparams, lake_row_fn fn, void *ctx, lake_error *err) {
    if (!c || !schema || !sql || !fn || (nparams && !params))
        return lake__error(err, LAKE_EINVAL, "lake_client_query: client, schema, sql and fn are required");
    lake__duckdb con;
    lake_arena *arena;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    int rc = lake__duckdb_connect(&c->engine, &con, err);
    if (!rc) {
        rc = lake__duckdb_read(&con, schema, sql, params, nparams, arena, fn, ctx, err);
        lake__duckdb_close(&con);
    }
    lake_arena_free(arena);
    return rc;
}
