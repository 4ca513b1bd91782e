/* Inserts: validate, stamp one ingest id, plan the path, write all or nothing. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <lakeorm/ids.h>
#include <lakeorm/validate.h>

#include "client/client.h"
#include "dialects/duckdb.h"
#include "drivers/duckdb/append.h"
#include "error/error.h"
#include "schema/schema.h"
#include "sql/quote.h"
#include "util/alloc.h"

typedef struct insert_job {
    lake_client *c;
    const lake_schema *schema;
    const unsigned char *records; /* contiguous, or */
    const void *const *ptrs;      /* one pointer per record */
    size_t count;
    lake_insert_options o;
    bool merge; /* the model has merge keys: upsert on them */
    char id[LAKE_UUID_TEXT_LEN + 1];
    char glob[4300]; /* staged path: where the parts are */
    bool staged;
    bool replayed;
    char original[64]; /* a replay: the first insert's ingest id */
    uint64_t bytes_staged;
} insert_job;

static const char ingests_table[] = "\"_lakeorm_ingests\"";

/* Runs a statement with text parameters whose result does not matter. */
static int run(lake__duckdb *con, const char *sql, const char *const *params, size_t n, lake_error *err) {
    int64_t ignored;
    int rc = lake__duckdb_query_int(con, sql, params, n, &ignored, err);
    return rc == LAKE_ENOROWS || rc == LAKE_EMISMATCH ? LAKE_OK : rc;
}

static int oom(lake_error *err) { return lake__error(err, LAKE_ENOMEM, "out of memory"); }

/* ---- idempotency keys */

static int ensure_ingests_table(lake_client *c, lake__duckdb *con, lake_error *err) {
    if (__atomic_load_n(&c->ingests_table_ready, __ATOMIC_ACQUIRE)) return LAKE_OK;
    /* Concurrent CREATE TABLE IF NOT EXISTS conflict in DuckDB's catalog: one at a time. */
    pthread_mutex_lock(&c->lock);
    int rc = c->ingests_table_ready ? LAKE_OK : lake__duckdb_exec(con,
                               "CREATE TABLE IF NOT EXISTS \"_lakeorm_ingests\" (idempotency_key VARCHAR PRIMARY KEY, "
                               "ingest_id VARCHAR NOT NULL, table_name VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL)",
                               err);
    if (!rc) __atomic_store_n(&c->ingests_table_ready, true, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

/* Whether the job's key was used within the TTL; sets job->original when so. */
static int find_key(insert_job *j, lake__duckdb *con, bool *found, lake_error *err) {
    char ttl[32];
    snprintf(ttl, sizeof ttl, "%lld", (long long)j->c->opts.idempotency_ttl_us);
    const char *params[] = {j->o.idempotency_key, ttl};
    int rc = lake__duckdb_query_text(con,
                                     "SELECT ingest_id FROM \"_lakeorm_ingests\" WHERE idempotency_key = ? "
                                     "AND created_at > now() - to_microseconds(CAST(? AS BIGINT))",
                                     params, 2, j->original, sizeof j->original, err);
    *found = rc == LAKE_OK;
    return rc == LAKE_ENOROWS ? LAKE_OK : rc;
}

static int remember_key(insert_job *j, lake__duckdb *con, lake_error *err) {
    const char *params[] = {j->o.idempotency_key, j->id, lake_schema_table(j->schema)};
    char sql[200];
    snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO %s VALUES (?, ?, ?, now())", ingests_table);
    return run(con, sql, params, 3, err);
}

/* ---- the statements of each path */

/* A MERGE matching one target row twice would depend on row order: refuse. */
static int merge(insert_job *j, lake__duckdb *con, const char *source, const char *const *params, size_t n,
                 lake_error *err) {
    lake__buf sql = LAKE__BUF_INIT;
    char key[256];
    lake_error none = LAKE_ERROR_INIT;
    int rc = lake__duckdb_duplicate_merge_key(&sql, j->schema, source) ? oom(err)
           : lake__duckdb_query_text(con, sql.data, params, n, key, sizeof key, &none);
    if (rc == LAKE_OK)
        rc = lake__error(err, LAKE_EINVAL, "merge key (%s) appears more than once in this request: each key can be "
                                           "upserted once per insert", key);
    else if (rc == LAKE_ENOROWS) {
        sql.len = 0;
        rc = lake__duckdb_merge(&sql, j->schema, NULL, source) ? oom(err) : run(con, sql.data, params, n, err);
    } else if (rc != LAKE_ENOMEM) {
        rc = lake__error(err, rc, "checking merge keys: %s", none.message);
    }
    lake_error_clear(&none);
    lake__buf_dispose(&sql);
    return rc;
}

/* Direct path for upserts and ignored/updated conflicts: the batch goes
 * through the Appender into a temporary table shaped like the target, then one
 * statement moves it, the same statement the staged path runs over Parquet. */
static int direct_via_temp(insert_job *j, lake__duckdb *con, lake_error *err) {
    char tmp[64];
    snprintf(tmp, sizeof tmp, "lake_batch_%.8s%.4s%.4s", j->id, j->id + 9, j->id + 24);
    lake__buf sql = LAKE__BUF_INIT, source = LAKE__BUF_INIT;
    lake__buf_puts(&sql, "CREATE TEMP TABLE ");
    lake__sql_quote_ident(&sql, tmp, LAKE_ENGINE_DUCKDB);
    lake__buf_puts(&sql, " AS SELECT * FROM ");
    lake__sql_quote_ident(&sql, lake_schema_table(j->schema), LAKE_ENGINE_DUCKDB);
    lake__buf_puts(&sql, " LIMIT 0");
    lake__sql_quote_ident(&source, tmp, LAKE_ENGINE_DUCKDB);
    int rc = sql.failed || source.failed ? oom(err) : lake__duckdb_exec(con, sql.data, err);
    lake__table_ref temp = {"temp", "main", tmp};
    if (!rc) rc = lake__duckdb_append(con, j->schema, &temp, j->records, j->ptrs, j->count, j->id, err);
    if (!rc) {
        sql.len = 0;
        if (j->merge) rc = merge(j, con, source.data, NULL, 0, err);
        else rc = lake__duckdb_insert_select(&sql, j->schema, NULL, j->o.on_conflict, source.data)
                      ? oom(err)
                      : run(con, sql.data, NULL, 0, err);
    }
    if (!rc) {
        sql.len = 0;
        lake__buf_puts(&sql, "DROP TABLE ");
        lake__buf_puts(&sql, source.data);
        rc = sql.failed ? oom(err) : lake__duckdb_exec(con, sql.data, err);
    }
    lake__buf_dispose(&sql);
    lake__buf_dispose(&source);
    return rc;
}

static int write_direct(insert_job *j, lake__duckdb *con, lake_error *err) {
    if (!j->merge && j->o.on_conflict == LAKE_CONFLICT_ERROR)
        return lake__duckdb_append(con, j->schema, &j->c->target, j->records, j->ptrs, j->count, j->id, err);
    return direct_via_temp(j, con, err);
}

static int write_staged(insert_job *j, lake__duckdb *con, lake_error *err) {
    lake__buf sql = LAKE__BUF_INIT;
    int rc;
    if (j->merge) {
        /* The _ingest_id filter keeps the MERGE to this request's rows whatever else the folder holds. */
        const char *params[] = {j->glob, j->id};
        rc = merge(j, con, "read_parquet(?) WHERE \"_ingest_id\" = ?", params, 2, err);
    } else {
        int64_t inserted = 0;
        const char *glob = j->glob;
        rc = lake__duckdb_insert_select(&sql, j->schema, NULL, j->o.on_conflict, "read_parquet(?)")
                 ? oom(err)
                 : lake__duckdb_query_int(con, sql.data, &glob, 1, &inserted, err);
        /* Ignored conflicts write fewer rows on purpose; otherwise every staged row must land. */
        if (!rc && j->o.on_conflict == LAKE_CONFLICT_ERROR && (size_t)inserted != j->count)
            rc = lake__error(err, LAKE_ERROR, "staged insert wrote %lld rows, expected %zu", (long long)inserted, j->count);
    }
    lake__buf_dispose(&sql);
    return rc;
}

/* The request's transaction: the key check, the rows, the key. */
static int transaction(insert_job *j, lake_error *err) {
    lake__duckdb con;
    int rc = lake__session_get(j->c, &con, err);
    if (rc) return rc;
    rc = lake__duckdb_exec(&con, "BEGIN TRANSACTION", err);
    if (!rc && j->o.idempotency_key) {
        bool found = false;
        rc = find_key(j, &con, &found, err);
        j->replayed = found;
    }
    if (!rc && !j->replayed) rc = j->staged ? write_staged(j, &con, err) : write_direct(j, &con, err);
    if (!rc && !j->replayed && j->o.idempotency_key) rc = remember_key(j, &con, err);
    if (!rc) rc = lake__duckdb_exec(&con, "COMMIT", err);
    bool broken = false;
    if (rc) {
        lake_error ignored = LAKE_ERROR_INIT;
        broken = lake__duckdb_exec(&con, "ROLLBACK", &ignored) != LAKE_OK; /* the first error is the one to report */
        lake_error_clear(&ignored);
    }
    lake__session_put(j->c, &con, broken);
    return rc;
}

/* With an idempotency key, two requests racing on it collide in
 * _lakeorm_ingests; the loser waits for the winner's outcome by retrying: it
 * then sees the key (a replay) or, if the winner failed, writes itself. */
static int transaction_retried(insert_job *j, lake_error *err) {
    int rc = transaction(j, err);
    for (unsigned attempt = 1; rc == LAKE_EREMOTE && j->o.idempotency_key && attempt < 40; attempt++) {
        if (!err || (!strstr(err->message, "onflict") && !strstr(err->message, "uplicate key"))) break;
        struct timespec pause = {0, (long)(attempt < 10 ? attempt : 10) * 2000000};
        nanosleep(&pause, NULL);
        rc = transaction(j, err);
    }
    return rc;
}

/* ---- staging */

typedef struct counting_sinks {
    lake_part_sinks inner;
    uint64_t bytes;
} counting_sinks;

static int counting_open(void *ctx, unsigned number, const char *name, lake_sink *out, lake_error *err) {
    counting_sinks *k = ctx;
    return k->inner.open(k->inner.ctx, number, name, out, err);
}

static int counting_close(void *ctx, unsigned number, const char *name, uint64_t bytes, uint64_t rows, lake_error *err) {
    counting_sinks *k = ctx;
    k->bytes += bytes;
    return k->inner.close(k->inner.ctx, number, name, bytes, rows, err);
}

enum { GATHER = 1024 };

/* Writes the parts; pointer arrays go through in gathered slices. */
static int stage_parts(insert_job *j, const char *prefix, lake_error *err) {
    lake_client *c = j->c;
    counting_sinks sinks = {{NULL, NULL, NULL}, 0};
    lake_part_sinks outer = {counting_open, counting_close, &sinks};
    lake_parquet_parts_options po = LAKE_PARQUET_PARTS_OPTIONS_INIT;
    po.file.codec = c->opts.compression;
    po.file.ingest_id = j->id;
    lake_parquet_parts *parts = NULL;
    size_t size = lake_schema_record_size(j->schema);
    unsigned char *slice = NULL;
    int rc = lake_backend_part_sinks(c->staging, prefix, &sinks.inner, err);
    if (!rc) rc = lake_parquet_parts_open(&parts, j->schema, &outer, &po, err);
    if (!rc && !j->ptrs) rc = lake_parquet_parts_append(parts, j->records, j->count, err);
    if (!rc && j->ptrs && !(slice = lake__malloc(GATHER * size))) rc = oom(err);
    for (size_t at = 0; !rc && j->ptrs && at < j->count; at += GATHER) {
        size_t n = j->count - at < GATHER ? j->count - at : GATHER;
        for (size_t i = 0; i < n; i++) memcpy(slice + i * size, j->ptrs[at + i], size);
        rc = lake_parquet_parts_append(parts, slice, n, err);
    }
    if (!rc) rc = lake_parquet_parts_close(parts, err);
    lake__free(slice);
    lake_parquet_parts_free(parts);
    lake_backend_part_sinks_free(&sinks.inner);
    j->bytes_staged = sinks.bytes;
    return rc;
}

static int insert_staged(insert_job *j, lake_error *err) {
    lake_client *c = j->c;
    const char *root = lake_backend_local_root(c->staging);
    if (!root)
        return lake__error(err, LAKE_ENOTSUP, "the staged path needs a staging backend the engine can read (file://); %s is not",
                           lake_backend_url(c->staging));
    char prefix[64];
    snprintf(prefix, sizeof prefix, "_staging/%s", j->id);
    snprintf(j->glob, sizeof j->glob, "%s/%s/*.parquet", root, prefix);
    double started = lake__seconds();
    int rc = stage_parts(j, prefix, err);
    lake__metric_phase(c, LAKE_PHASE_STAGE, started);
    if (!rc) {
        started = lake__seconds();
        rc = transaction_retried(j, err);
        lake__metric_phase(c, LAKE_PHASE_COMMIT, started);
    }
    /* Staging goes whatever happened: committed rows no longer need it, failed ones never will. */
    lake_error ignored = LAKE_ERROR_INIT;
    if (lake_backend_delete_prefix(c->staging, prefix, NULL, &ignored))
        lake__log(c, LAKE_LOG_WARN, "staging.cleanup_failed", "prefix", prefix, "error", ignored.message, NULL);
    lake_error_clear(&ignored);
    return rc;
}

/* ---- the request */

static bool has_merge_keys(const lake_schema *s) {
    for (size_t i = 0; i < lake_schema_column_count(s); i++)
        if (lake_schema_column(s, i)->merge_key) return true;
    return false;
}

static bool has_primary_key(const lake_schema *s) {
    for (size_t i = 0; i < lake_schema_column_count(s); i++)
        if (lake_schema_column(s, i)->primary_key) return true;
    return false;
}

static size_t rejected_records(const lake_issues *issues) {
    size_t n = 0, count = lake_issues_count(issues);
    for (size_t i = 0; i < count; i++) /* issues come in record order */
        n += i == 0 || lake_issues_get(issues, i)->record != lake_issues_get(issues, i - 1)->record;
    return n;
}

static int check_options(const lake_insert_options *opts, lake_insert_options *o, const lake_schema *s,
                         lake_error *err) {
    lake_insert_options d = LAKE_INSERT_OPTIONS_INIT;
    *o = d;
    if (opts) {
        if (opts->version != LAKE_INSERT_OPTIONS_VERSION)
            return lake__error(err, LAKE_EINVAL, "lake_insert_options.version is %u; this library knows %d",
                               opts->version, LAKE_INSERT_OPTIONS_VERSION);
        *o = *opts;
    }
    if ((unsigned)o->path > LAKE_PATH_STAGED) return lake__error(err, LAKE_EINVAL, "unknown write path %d", (int)o->path);
    if ((unsigned)o->on_conflict > LAKE_CONFLICT_UPDATE)
        return lake__error(err, LAKE_EINVAL, "unknown on_conflict strategy %d", (int)o->on_conflict);
    if (o->on_conflict != LAKE_CONFLICT_ERROR && !has_primary_key(s) && !has_merge_keys(s))
        return lake__error(err, LAKE_EINVAL, "on_conflict ignore/update needs a primary key, and model %s has none",
                           lake_schema_table(s));
    if (o->idempotency_key && (!*o->idempotency_key || strlen(o->idempotency_key) > 512))
        return lake__error(err, LAKE_EINVAL, "an idempotency key is 1-512 bytes");
    if (lake_schema_find(s, "_ingest_id"))
        return lake__error(err, LAKE_EINVAL, "model %s names the system column _ingest_id: it reads tables, it does "
                                             "not write them", lake_schema_table(s));
    return LAKE_OK;
}

static int insert(insert_job *j, lake_insert_result *result, lake_error *err) {
    lake_client *c = j->c;
    double started = lake__seconds();
    int rc = j->ptrs ? lake_validate_ptrs(j->schema, j->ptrs, j->count, err)
                     : lake_validate(j->schema, j->records, j->count, err);
    lake__metric_phase(c, LAKE_PHASE_VALIDATE, started);
    if (rc == LAKE_EVALIDATION && err) lake__metric_add(&c->metrics.records_rejected, rejected_records(err->issues));
    if (rc) return rc;

    lake_uuid id;
    if ((rc = lake_uuid7_new(&id))) return lake__error(err, rc, "no randomness for the ingest id");
    lake_uuid_format(&id, j->id);
    j->merge = has_merge_keys(j->schema);
    if (j->o.idempotency_key) {
        /* A retry is answered before any staging work; the transaction checks again. */
        lake__duckdb con;
        bool found = false;
        if (!(rc = lake__session_get(c, &con, err))) {
            rc = ensure_ingests_table(c, &con, err);
            if (!rc) rc = find_key(j, &con, &found, err);
            lake__session_put(c, &con, rc != LAKE_OK);
        }
        if (rc) return rc;
        j->replayed = found;
    }
    lake_write_path path = j->o.path;
    if (path == LAKE_PATH_AUTO) {
        uint64_t estimate = (uint64_t)j->count * lake_schema_record_size(j->schema);
        path = estimate < c->opts.fast_path_bytes || !lake_backend_local_root(c->staging) ? LAKE_PATH_DIRECT
                                                                                           : LAKE_PATH_STAGED;
    }
    j->staged = path == LAKE_PATH_STAGED;
    if (!j->replayed && j->count > 0) {
        if (j->staged) {
            rc = insert_staged(j, err);
        } else {
            started = lake__seconds();
            rc = transaction_retried(j, err);
            lake__metric_phase(c, LAKE_PHASE_COMMIT, started);
        }
    } else if (!j->replayed && j->o.idempotency_key) {
        rc = transaction_retried(j, err); /* an empty batch still claims its key */
    }
    if (rc) return rc;
    if (j->replayed && lake_uuid_parse(&id, j->original, strlen(j->original)))
        return lake__error(err, LAKE_ERROR, "_lakeorm_ingests holds \"%s\", not an ingest id", j->original);
    if (j->replayed) lake__metric_add(&c->metrics.inserts_replayed, 1);
    else if (j->count) {
        lake__metric_add(j->staged ? &c->metrics.inserts_staged : &c->metrics.inserts_direct, 1);
        lake__metric_add(&c->metrics.rows_written, j->count);
        lake__metric_add(&c->metrics.bytes_staged, j->bytes_staged);
    }
    if (result) *result = (lake_insert_result){id, path, j->replayed, j->replayed ? 0 : j->count, j->bytes_staged};
    if (lake__log_enabled(c, LAKE_LOG_INFO)) {
        char rows[24], text[LAKE_UUID_TEXT_LEN + 1];
        snprintf(rows, sizeof rows, "%zu", j->count);
        lake_uuid_format(&id, text);
        lake__log(c, LAKE_LOG_INFO, j->replayed ? "insert.replayed" : "insert.done", "table",
                  lake_schema_table(j->schema), "path", j->staged ? "staged" : "direct", "rows", rows, "ingest_id", text,
                  NULL);
    }
    return LAKE_OK;
}

static int insert_request(lake_client *c, const lake_schema *schema, const void *records, const void *const *ptrs,
                          size_t count, const lake_insert_options *opts, lake_insert_result *result, lake_error *err) {
    if (!c || !schema || (!records && !ptrs && count))
        return lake__error(err, LAKE_EINVAL, "lake_client_insert: client, schema and records are required");
    insert_job j;
    memset(&j, 0, sizeof j);
    j.c = c;
    j.schema = schema;
    j.records = records;
    j.ptrs = ptrs;
    j.count = count;
    int rc = check_options(opts, &j.o, schema, err);
    if (rc) return lake__metric_error(c, rc);
    lake__slot_take(c);
    rc = insert(&j, result, err);
    lake__slot_give(c);
    if (rc && rc != LAKE_EVALIDATION && lake__log_enabled(c, LAKE_LOG_WARN))
        lake__log(c, LAKE_LOG_WARN, "insert.failed", "table", lake_schema_table(schema), "code", lake_strerror(rc),
                  "error", err ? err->message : "", NULL);
    return lake__metric_error(c, rc);
}

int lake_client_insert(lake_client *c, const lake_schema *schema, const void *records, size_t count,
                       const lake_insert_options *opts, lake_insert_result *result, lake_error *err) {
    return insert_request(c, schema, records, NULL, count, opts, result, err);
}

int lake_client_insert_ptrs(lake_client *c, const lake_schema *schema, const void *const *records, size_t count,
                            const lake_insert_options *opts, lake_insert_result *result, lake_error *err) {
    if (count && !records) return lake__error(err, LAKE_EINVAL, "lake_client_insert_ptrs: records is NULL");
    return insert_request(c, schema, NULL, records, count, opts, result, err);
}
