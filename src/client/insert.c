/* SPDX-License-Identifier: MIT */
/* Insert requests: validate, stamp one ingest id, plan the path, write all
 * or nothing. A one-shot insert is a streaming request with one batch. */
#include <stdio.h>
#include <string.h>
#include <dirent.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <lakeorm/ids.h>
#include <lakeorm/validate.h>

#include "client/client.h"
#include "client/ingest.h"
#include "sql/duckdb.h"
#include "error/error.h"
#include "schema/schema.h"
#include "sql/quote.h"
#include "util/alloc.h"

static int oom(lake_error *err) { return lake__error(err, LAKE_ENOMEM, "out of memory"); }

/* Runs a statement with text parameters whose result does not matter. */
static int run(lake__duckdb *con, const char *sql, const char *const *params, size_t n, lake_error *err) {
    int64_t ignored;
    int rc = lake__duckdb_query_int(con, sql, params, n, &ignored, err);
    return rc == LAKE_ENOROWS || rc == LAKE_EMISMATCH ? LAKE_OK : rc;
}

/* ---- idempotency keys */

static int ensure_ingests_table(lake_client *c, lake__duckdb *con, lake_error *err) {
    if (__atomic_load_n(&c->ingests_table_ready, __ATOMIC_ACQUIRE)) return LAKE_OK;
    /* Concurrent CREATE TABLE IF NOT EXISTS conflict in DuckDB's catalog: one at a time. */
    pthread_mutex_lock(&c->lock);
    int rc = c->ingests_table_ready ? LAKE_OK : lake__duckdb_exec(con,
                               "CREATE TABLE IF NOT EXISTS \"_lakeorm_ingests\" (idempotency_key VARCHAR PRIMARY KEY, "
                               "ingest_id VARCHAR NOT NULL, table_name VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL, "
                               "fingerprint VARCHAR)",
                               err);
    /* Versions before fingerprints made the table without the column: add it once. */
    lake_error absent = LAKE_ERROR_INIT;
    if (!rc && !c->ingests_table_ready &&
        lake__duckdb_exec(con, "SELECT fingerprint FROM \"_lakeorm_ingests\" LIMIT 0", &absent))
        rc = lake__duckdb_exec(con, "ALTER TABLE \"_lakeorm_ingests\" ADD COLUMN IF NOT EXISTS fingerprint VARCHAR", err);
    lake_error_clear(&absent);
    if (!rc) __atomic_store_n(&c->ingests_table_ready, true, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

/* Whether the request's key was used within the TTL; fills the key's record when so. */
static int find_key(lake_ingest *in, lake__duckdb *con, bool *found, lake_error *err) {
    char ttl[32], record[sizeof in->original + sizeof in->recorded_print + sizeof in->recorded_table];
    snprintf(ttl, sizeof ttl, "%lld", (long long)in->c->opts.idempotency_ttl_us);
    const char *params[] = {in->o.idempotency_key, ttl};
    lake_error none = LAKE_ERROR_INIT;
    int rc = lake__duckdb_query_text(con,
                                     "SELECT " LAKE__KEY_RECORD_SELECT " FROM \"_lakeorm_ingests\" WHERE "
                                     "idempotency_key = ? AND created_at > now() - to_microseconds(CAST(? AS BIGINT))",
                                     params, 2, record, sizeof record, &none);
    *found = rc == LAKE_OK;
    if (*found) lake__ingest_key_record(in, record);
    if (rc && rc != LAKE_ENOROWS) rc = lake__error(err, rc, "%s", none.message);
    lake_error_clear(&none);
    return rc == LAKE_ENOROWS ? LAKE_OK : rc;
}

static int remember_key(lake_ingest *in, lake__duckdb *con, lake_error *err) {
    const char *params[] = {in->o.idempotency_key, in->id, lake_schema_table(in->schema), in->fingerprint};
    lake_error why = LAKE_ERROR_INIT;
    int rc = run(con, "INSERT OR REPLACE INTO \"_lakeorm_ingests\" (idempotency_key, ingest_id, table_name, created_at, "
                      "fingerprint) VALUES (?, ?, ?, now(), ?)", params, 4, &why);
    /* Another transaction holds the key: its outcome decides whether this request is a retry. */
    if (rc == LAKE_EREMOTE && (strstr(why.message, "onflict") || strstr(why.message, "idempotency_key")))
        rc = lake__error(err, LAKE_ECONFLICT, "a concurrent request with idempotency key \"%.300s\" is in progress; "
                                              "retry to learn its outcome", in->o.idempotency_key);
    else if (rc)
        rc = lake__error(err, rc, "%s", why.message);
    lake_error_clear(&why);
    return rc;
}

void lake__ingest_key_record(lake_ingest *in, const char *text) {
    size_t id = strcspn(text, " ");
    snprintf(in->original, sizeof in->original, "%.*s", (int)id, text);
    const char *print = text + id + (text[id] == ' ');
    size_t len = strcspn(print, " ");
    snprintf(in->recorded_print, sizeof in->recorded_print, "%.*s", len == 1 && *print == '-' ? 0 : (int)len, print);
    snprintf(in->recorded_table, sizeof in->recorded_table, "%s", print + len + (print[len] == ' '));
}

/* A request that found its key recorded wrote nothing: it is that request's
 * replay when it carries the same records for the same table, and refused
 * otherwise. A record from a version without fingerprints is trusted for its
 * own table, as that version did. */
static int check_replay(lake_ingest *in, lake_error *err) {
    const char *table = lake_schema_table(in->schema);
    bool same_table = !strcmp(in->recorded_table, table);
    if (in->recorded_print[0] ? !strcmp(in->recorded_print, in->fingerprint) : same_table) return LAKE_OK;
    return lake__error(err, LAKE_EKEYREUSED,
                       "idempotency key \"%.200s\" was used within its TTL by another request (ingest id %s, %s%.100s): "
                       "a key names one request; use a new key for new records. Nothing written",
                       in->o.idempotency_key, in->original, same_table ? "other records for " : "table ",
                       in->recorded_table);
}

/* ---- statements */

/* A MERGE, or an insert resolving conflicts, matching one target row twice
 * would depend on row order: refuse. */
static int check_keys(lake_ingest *in, const char *source, const char *const *params, size_t n, lake_error *err) {
    lake__match_on on = in->merge ? LAKE__MATCH_MERGE_KEYS : LAKE__MATCH_PRIMARY_KEY;
    lake__buf sql = LAKE__BUF_INIT;
    char key[256];
    lake_error none = LAKE_ERROR_INIT;
    int rc = lake__duckdb_duplicate_key(&sql, in->schema, source, on)
               ? oom(err)
               : lake__duckdb_query_text(&in->con, sql.data, params, n, key, sizeof key, &none);
    if (rc == LAKE_OK) {
        rc = lake__error(err, LAKE_EINVAL, "%s (%s) appears more than once in this request: each key can be "
                                           "written once per insert", in->merge ? "merge key" : "primary key", key);
    } else if (rc == LAKE_ENOROWS) {
        rc = LAKE_OK;
    } else if (rc != LAKE_ENOMEM) {
        rc = lake__error(err, rc, "checking keys: %s", none.message);
    }
    lake_error_clear(&none);
    lake__buf_dispose(&sql);
    return rc;
}

static int table_rows(lake_ingest *in, int64_t *n, lake_error *err) {
    lake__buf sql = LAKE__BUF_INIT;
    lake__buf_puts(&sql, "SELECT count(*) FROM ");
    lake__sql_quote_ident(&sql, lake_schema_table(in->schema), LAKE_ENGINE_DUCKDB);
    int rc = sql.failed ? oom(err) : lake__duckdb_query_int(&in->con, sql.data, NULL, 0, n, err);
    lake__buf_dispose(&sql);
    return rc;
}

/* Moves the request's rows from `source` into the target: MERGE, or INSERT
 * with the conflict strategy. Staged parts and the direct path's temporary
 * table go through this one statement builder. */
static int move_rows(lake_ingest *in, const char *source, const char *const *params, size_t n, lake_error *err) {
    lake__buf sql = LAKE__BUF_INIT;
    bool conflicts = in->merge || in->o.on_conflict != LAKE_CONFLICT_ERROR;
    int64_t before = 0, after = 0, inserted = 0;
    int rc = conflicts ? check_keys(in, source, params, n, err) : LAKE_OK;
    /* What the statement did, from the table's size around it: the transaction
     * sees no other writer, so this is exact and costs no scan of the rows. */
    if (!rc && conflicts) rc = table_rows(in, &before, err);
    if (!rc && in->merge)
        rc = lake__duckdb_merge(&sql, in->schema, NULL, source) ? oom(err) : run(&in->con, sql.data, params, n, err);
    else if (!rc)
        rc = lake__duckdb_insert_select(&sql, in->schema, NULL, in->o.on_conflict, source)
               ? oom(err)
               : lake__duckdb_query_int(&in->con, sql.data, params, n, &inserted, err);
    lake__buf_dispose(&sql);
    if (!rc && conflicts && !(rc = table_rows(in, &after, err)))
        in->matched = in->rows - (uint64_t)(after - before);
    /* Ignored conflicts write fewer rows on purpose; otherwise every row must land. */
    if (!rc && !conflicts && (uint64_t)inserted != in->rows)
        rc = lake__error(err, LAKE_ERROR, "the insert wrote %lld rows, expected %llu", (long long)inserted,
                         (unsigned long long)in->rows);
    return rc;
}

static int begin_transaction(lake_ingest *in, lake_error *err) {
    int rc = lake__session_get(in->c, &in->con, err);
    if (rc) return rc;
    if ((rc = lake__duckdb_exec(&in->con, "BEGIN TRANSACTION", err))) {
        lake__session_put(in->c, &in->con, true);
        return rc;
    }
    in->in_transaction = true;
    if (in->o.idempotency_key) {
        bool found = false;
        rc = find_key(in, &in->con, &found, err);
        in->replayed = found;
    }
    return rc;
}

static int end_transaction(lake_ingest *in, int rc, lake_error *err) {
    if (!in->in_transaction) return rc;
    bool at_commit = !rc;
    if (!rc) rc = lake__duckdb_exec(&in->con, "COMMIT", err);
    /* DuckDB reports concurrent writers to the same rows as conflicts, or as
     * constraint violations found at commit: the request may be retried. */
    if (rc == LAKE_EREMOTE && err && /* lake_ingest_commit always passes one */
        (strstr(err->message, "onflict") || (at_commit && strstr(err->message, "constraint violation")))) {
        char why[sizeof err->message];
        memcpy(why, err->message, sizeof why);
        rc = lake__error(err, LAKE_ECONFLICT, "a concurrent request wrote the same rows; retrying may succeed (%.300s)", why);
    }
    bool broken = false;
    if (rc) {
        lake_error ignored = LAKE_ERROR_INIT;
        broken = lake__duckdb_exec(&in->con, "ROLLBACK", &ignored) != LAKE_OK; /* the first error is the one to report */
        lake_error_clear(&ignored);
    }
    lake__session_put(in->c, &in->con, broken);
    in->in_transaction = false;
    return rc;
}

/* ---- opening each path */

static int open_direct(lake_ingest *in, lake_error *err) {
    if (lake__remote(in->c)) return lake__remote_ingest_open_direct(in, err);
    int rc = begin_transaction(in, err);
    if (rc || in->replayed) return rc;
    const lake__table_ref *where = &in->c->target;
    lake__table_ref temp = {"temp", "main", in->temp};
    if ((in->via_temp = in->merge || in->o.on_conflict != LAKE_CONFLICT_ERROR)) {
        snprintf(in->temp, sizeof in->temp, "lake_batch_%.8s%.4s%.4s%.4s", in->id, in->id + 9, in->id + 14, in->id + 24);
        lake__buf sql = LAKE__BUF_INIT;
        lake__buf_puts(&sql, "CREATE TEMP TABLE ");
        lake__sql_quote_ident(&sql, in->temp, LAKE_ENGINE_DUCKDB);
        lake__buf_puts(&sql, " AS SELECT * FROM ");
        lake__sql_quote_ident(&sql, lake_schema_table(in->schema), LAKE_ENGINE_DUCKDB);
        lake__buf_puts(&sql, " LIMIT 0");
        rc = sql.failed ? oom(err) : lake__duckdb_exec(&in->con, sql.data, err);
        lake__buf_dispose(&sql);
        where = &temp;
    }
    if (!rc) rc = lake__duckdb_appender_open(&in->con, in->schema, where, in->id, &in->appender, err);
    return rc;
}

static int counting_open(void *ctx, unsigned number, const char *name, lake_sink *out, lake_error *err) {
    counting_sinks *k = ctx;
    return k->inner.open(k->inner.ctx, number, name, out, err);
}

static int counting_close(void *ctx, unsigned number, const char *name, uint64_t bytes, uint64_t rows, lake_error *err) {
    counting_sinks *k = ctx;
    k->bytes += bytes;
    return k->inner.close(k->inner.ctx, number, name, bytes, rows, err);
}

static int open_staged(lake_ingest *in, lake_error *err) {
    lake_client *c = in->c;
    snprintf(in->prefix, sizeof in->prefix, "_staging/%s", in->id);
    const char *root = lake_backend_local_root(c->staging);
    if (root) snprintf(in->glob, sizeof in->glob, "%s/%s/*.parquet", root, in->prefix);
    int rc = lake_backend_part_sinks(c->staging, in->prefix, &in->sinks.inner, err);
    if (rc) return rc;
    in->have_sinks = true;
    lake_part_sinks outer = {counting_open, counting_close, &in->sinks};
    lake_parquet_parts_options po = LAKE_PARQUET_PARTS_OPTIONS_INIT;
    po.file.codec = c->opts.compression;
    po.file.row_group_bytes = (size_t)c->opts.row_group_bytes;
    po.file.ingest_id = in->id;
    po.file.uuid_as_string = lake__remote(c); /* Spark 4.0 refuses Parquet's UUID type */
    return lake_parquet_parts_open(&in->parts, in->schema, &outer, &po, err);
}

/* ---- the request */

static bool has_column(const lake_schema *s, bool merge_key) {
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *col = lake_schema_column(s, i);
        if (merge_key ? col->merge_key : col->primary_key) return true;
    }
    return false;
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
    if (o->on_conflict != LAKE_CONFLICT_ERROR && !has_column(s, false) && !has_column(s, true))
        return lake__error(err, LAKE_EINVAL, "on_conflict ignore/update needs a primary key, and model %s has none",
                           lake_schema_table(s));
    if (o->idempotency_key && (!*o->idempotency_key || strlen(o->idempotency_key) > 512))
        return lake__error(err, LAKE_EINVAL, "an idempotency key is 1-512 bytes");
    return lake__schema_check_writable(s, err);
}

static void remove_fetched(lake_ingest *in);

static void release(lake_ingest *in) {
    lake_client *c = in->c;
    if (lake__remote(c)) lake__remote_ingest_release(in);
    lake__duckdb_appender_free(in->appender);
    end_transaction(in, LAKE_ERROR, NULL);
    lake_parquet_parts_free(in->parts);
    if (in->have_sinks) lake_backend_part_sinks_free(&in->sinks.inner);
    if (in->prefix[0]) {
        /* Staging goes whatever happened: committed rows no longer need it, failed ones never will. */
        lake_error why = LAKE_ERROR_INIT;
        if (lake_backend_delete_prefix(c->staging, in->prefix, NULL, &why))
            lake__log(c, LAKE_LOG_WARN, "staging.cleanup_failed", "prefix", in->prefix, "error", why.message, NULL);
        lake_error_clear(&why);
    }
    remove_fetched(in);
    lake__free(in->slice);
    lake__fingerprint_dispose(&in->print);
    for (int p = 0; p < LAKE_PHASE_COUNT; p++)
        if (in->seconds[p] > 0) lake__metric_observe(c, (lake_phase)p, in->seconds[p]);
    lake__free(in);
    lake__slot_give(c);
}

/* estimate: bytes the request will write, for the AUTO path; UINT64_MAX when unknown. */
static int begin(lake_client *c, const lake_schema *schema, const lake_insert_options *opts, uint64_t estimate,
                 lake_ingest **out, lake_error *err) {
    *out = NULL;
    lake_insert_options o;
    int rc = lake__client_writable(c, "insert rows", err);
    if (!rc) rc = check_options(opts, &o, schema, err);
    if (rc) return rc;
    lake_ingest *in = lake__calloc(1, sizeof *in);
    if (!in) return oom(err);
    in->c = c;
    in->schema = schema;
    in->o = o;
    in->merge = has_column(schema, true);
    lake__slot_take(c);
    lake_uuid id;
    if ((rc = lake_uuid7_new(&id))) {
        release(in);
        return lake__error(err, rc, "no randomness for the ingest id");
    }
    lake_uuid_format(&id, in->id);
    if (o.idempotency_key && (rc = lake__fingerprint_begin(&in->print, lake_schema_table(schema), err))) {
        release(in);
        return rc;
    }
    if (o.idempotency_key && lake__remote(c)) {
        rc = lake__remote_ingest_find_key(in, err);
    } else if (o.idempotency_key) {
        /* A retry is answered before any staging work; the transaction checks again. */
        lake__duckdb con;
        bool found = false;
        if (!(rc = lake__session_get(c, &con, err))) {
            rc = ensure_ingests_table(c, &con, err);
            if (!rc) rc = find_key(in, &con, &found, err);
            lake__session_put(c, &con, rc != LAKE_OK);
        }
        in->replayed = found;
    }
    bool memory = !strncmp(lake_backend_url(c->staging), "memory://", 9);
    /* Embedded, remote staging (s3://) is taken when asked: the engine reads local copies of the parts.
     * A remote engine reads the parts where they are, so only staging it shares with the client: the
     * default temporary folder is this machine's. */
    bool auto_stages = lake__remote(c) ? !memory && !c->temp_dir : lake_backend_local_root(c->staging) != NULL;
    if (!rc && o.path == LAKE_PATH_STAGED && memory)
        rc = lake__error(err, LAKE_ENOTSUP, "the staged path needs a staging backend the engine can reach; memory:// "
                                            "objects live in this process only");
    /* A warehouse's direct path is one statement of at most 16 MiB of parameters: stage well before. */
    uint64_t fast = c->dbx && c->opts.fast_path_bytes > ((uint64_t)2 << 20) ? (uint64_t)2 << 20 : c->opts.fast_path_bytes;
    in->staged = o.path == LAKE_PATH_STAGED || (o.path == LAKE_PATH_AUTO && auto_stages && estimate >= fast);
    if (!rc && !in->replayed) rc = in->staged ? open_staged(in, err) : open_direct(in, err);
    if (rc) {
        release(in);
        return rc;
    }
    *out = in;
    return LAKE_OK;
}

static int parts_append(lake_ingest *in, const void *records, size_t count, lake_error *err) {
    return lake_parquet_parts_append(in->parts, records, count, err);
}

int lake__ingest_contiguous(lake_ingest *in, const void *records, const void *const *ptrs, size_t count,
                            lake__contiguous_fn fn, lake_error *err) {
    if (!ptrs) return fn(in, records, count, err);
    size_t size = lake_schema_record_size(in->schema);
    if (!in->slice && !(in->slice = lake__malloc(LAKE__GATHER * size))) return oom(err);
    for (size_t at = 0; at < count; at += LAKE__GATHER) {
        size_t n = count - at < LAKE__GATHER ? count - at : LAKE__GATHER;
        for (size_t i = 0; i < n; i++) memcpy(in->slice + i * size, ptrs[at + i], size);
        int rc = fn(in, in->slice, n, err);
        if (rc) return rc;
    }
    return LAKE_OK;
}

static int write_batch(lake_ingest *in, const void *records, const void *const *ptrs, size_t count, lake_error *err) {
    if (in->staged) return lake__ingest_contiguous(in, records, ptrs, count, parts_append, err);
    if (lake__remote(in->c)) return lake__remote_ingest_add(in, records, ptrs, count, err);
    return lake__duckdb_appender_add(in->appender, records, ptrs, count, err);
}

static size_t rejected_records(const lake_issues *issues) {
    size_t n = 0, count = lake_issues_count(issues);
    for (size_t i = 0; i < count; i++) /* issues come in record order */
        n += i == 0 || lake_issues_get(issues, i)->record != lake_issues_get(issues, i - 1)->record;
    return n;
}

static int append(lake_ingest *in, const void *records, const void *const *ptrs, size_t count, lake_error *err) {
    if (!in || (!records && !ptrs && count))
        return lake__error(err, LAKE_EINVAL, "lake_ingest_append: request and records are required");
    lake_client *c = in->c;
    if (in->broken) return lake__error(err, LAKE_EINVAL, "this request failed earlier: abort it");
    double started = lake__seconds();
    int rc = ptrs ? lake_validate_ptrs(in->schema, ptrs, count, err) : lake_validate(in->schema, records, count, err);
    in->seconds[LAKE_PHASE_VALIDATE] += lake__seconds() - started;
    if (rc == LAKE_EVALIDATION && err) {
        lake__issues_shift(err->issues, in->rows);
        lake__metric_add(&c->metrics.records_rejected, rejected_records(err->issues));
    }
    /* The fingerprint covers what the request writes: records that passed validation. */
    if (!rc && count && in->o.idempotency_key && (rc = lake__fingerprint_add(&in->print, in->schema, records, ptrs, count, err)))
        in->broken = true;
    if (rc || in->replayed || count == 0) return lake__metric_error(c, rc);
    started = lake__seconds();
    rc = write_batch(in, records, ptrs, count, err);
    in->seconds[in->staged ? LAKE_PHASE_STAGE : LAKE_PHASE_COMMIT] += lake__seconds() - started;
    if (rc) in->broken = true;
    else in->rows += count;
    return lake__metric_error(c, rc);
}

int lake_client_ingest_begin(lake_client *c, const lake_schema *schema, const lake_insert_options *opts,
                             lake_ingest **out, lake_error *err) {
    if (!c || !schema || !out) return lake__error(err, LAKE_EINVAL, "lake_client_ingest_begin: client, schema and out are required");
    return lake__metric_error(c, begin(c, schema, opts, UINT64_MAX, out, err));
}

int lake_ingest_append(lake_ingest *in, const void *records, size_t count, lake_error *err) {
    return append(in, records, NULL, count, err);
}

int lake_ingest_append_ptrs(lake_ingest *in, const void *const *records, size_t count, lake_error *err) {
    if (count && !records) return lake__error(err, LAKE_EINVAL, "lake_ingest_append_ptrs: records is NULL");
    return append(in, NULL, records, count, err);
}

void lake_ingest_abort(lake_ingest *in) {
    if (in) release(in);
}

static int commit_direct(lake_ingest *in, lake_error *err) {
    if (lake__remote(in->c)) return lake__remote_ingest_commit_direct(in, err);
    lake__duckdb_appender *ap = in->appender;
    in->appender = NULL;
    int rc = lake__duckdb_appender_close(ap, err);
    if (!rc && in->via_temp) {
        lake__buf source = LAKE__BUF_INIT;
        lake__sql_quote_ident(&source, in->temp, LAKE_ENGINE_DUCKDB);
        rc = source.failed ? oom(err) : move_rows(in, source.data, NULL, 0, err);
        if (!rc) {
            lake__buf drop = LAKE__BUF_INIT;
            lake__buf_puts(&drop, "DROP TABLE ");
            lake__buf_puts(&drop, source.data);
            rc = drop.failed ? oom(err) : lake__duckdb_exec(&in->con, drop.data, err);
            lake__buf_dispose(&drop);
        }
        lake__buf_dispose(&source);
    }
    /* A key is used only by a request that wrote rows: an empty one leaves it for the corrected retry. */
    if (!rc && in->o.idempotency_key && in->rows) rc = remember_key(in, &in->con, err);
    return end_transaction(in, rc, err);
}

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

/* DuckDB reads files: the parts of a remote staging prefix are copied to a
 * local folder for the one statement that loads them. */
static int fetch_parts(lake_ingest *in, lake_error *err) {
    const char *tmp = getenv("TMPDIR");
    snprintf(in->fetched, sizeof in->fetched, "%s/lakeorm-fetch-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(in->fetched)) {
        in->fetched[0] = 0;
        return lake__error(err, LAKE_EIO, "cannot create a folder for staged parts in %s", tmp && *tmp ? tmp : "/tmp");
    }
    snprintf(in->glob, sizeof in->glob, "%s/*.parquet", in->fetched);
    fetch_ctx f = {in->c->staging, in->fetched, err};
    return lake_backend_list(in->c->staging, in->prefix, fetch_one, &f, err);
}

static void remove_fetched(lake_ingest *in) {
    if (!in->fetched[0]) return;
    DIR *d = opendir(in->fetched);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        char path[4500];
        snprintf(path, sizeof path, "%s/%s", in->fetched, e->d_name);
        unlink(path);
    }
    if (d) closedir(d);
    rmdir(in->fetched);
}

/* The staged request's one transaction: key check, one statement, key. */
static int commit_staged_once(lake_ingest *in, lake_error *err) {
    int rc = begin_transaction(in, err);
    if (!rc && !in->replayed && in->rows) {
        const char *params[] = {in->glob, in->id};
        /* The _ingest_id filter keeps the MERGE to this request's rows whatever else the folder holds. */
        rc = in->merge ? move_rows(in, "read_parquet(?) WHERE \"_ingest_id\" = ?", params, 2, err)
                       : move_rows(in, "read_parquet(?)", params, 1, err);
    }
    if (!rc && !in->replayed && in->o.idempotency_key && in->rows) rc = remember_key(in, &in->con, err);
    return end_transaction(in, rc, err);
}

static int commit_staged(lake_ingest *in, lake_error *err) {
    double started = lake__seconds();
    int rc = lake_parquet_parts_close(in->parts, err);
    if (!rc && !lake__remote(in->c) && !lake_backend_local_root(in->c->staging) && in->rows) rc = fetch_parts(in, err);
    in->seconds[LAKE_PHASE_STAGE] += lake__seconds() - started;
    if (lake__remote(in->c)) return rc ? rc : lake__remote_ingest_commit_staged(in, err);
    /* The parts stay until release: a key race can be waited out here. */
    for (unsigned attempt = 0; !rc; attempt++) {
        rc = commit_staged_once(in, err);
        if (rc != LAKE_ECONFLICT || attempt == 40) break;
        struct timespec pause = {0, (long)(attempt < 10 ? attempt + 1 : 10) * 2000000};
        nanosleep(&pause, NULL);
    }
    return rc;
}

int lake_ingest_commit(lake_ingest *in, lake_insert_result *result, lake_error *err) {
    if (!in) return lake__error(err, LAKE_EINVAL, "lake_ingest_commit: request is NULL");
    lake_client *c = in->c;
    /* Conflicts are told apart by the engine's message: the paths need an error object. */
    lake_error own = LAKE_ERROR_INIT;
    if (!err) err = &own;
    int rc = LAKE_OK;
    if (in->broken) rc = lake__error(err, LAKE_EINVAL, "this request failed earlier: nothing was written");
    double started = lake__seconds();
    if (!rc && in->o.idempotency_key) rc = lake__fingerprint_end(&in->print, in->fingerprint, err);
    if (!rc && !in->replayed) rc = in->staged ? commit_staged(in, err) : commit_direct(in, err);
    else if (!rc && !lake__remote(in->c)) rc = end_transaction(in, LAKE_OK, err);
    /* Whether a request that found its key is its replay shows only now, with every record seen. */
    if (!rc && in->replayed) rc = check_replay(in, err);
    in->seconds[LAKE_PHASE_COMMIT] += lake__seconds() - started;
    lake_uuid id;
    if (!rc && lake_uuid_parse(&id, in->replayed ? in->original : in->id, strlen(in->replayed ? in->original : in->id)))
        rc = lake__error(err, LAKE_ERROR, "_lakeorm_ingests holds \"%s\", not an ingest id", in->original);
    if (!rc) {
        if (in->replayed) {
            lake__metric_add(&c->metrics.inserts_replayed, 1);
        } else if (in->rows) {
            lake__metric_add(in->staged ? &c->metrics.inserts_staged : &c->metrics.inserts_direct, 1);
            lake__metric_add(&c->metrics.rows_written, in->rows);
            lake__metric_add(&c->metrics.bytes_staged, in->sinks.bytes);
        }
        if (result) {
            uint64_t written = in->replayed ? 0 : in->rows;
            bool upsert = in->merge || in->o.on_conflict == LAKE_CONFLICT_UPDATE;
            *result = (lake_insert_result){id, in->staged ? LAKE_PATH_STAGED : LAKE_PATH_DIRECT, in->replayed,
                                           written, in->sinks.bytes, written - in->matched,
                                           upsert ? in->matched : 0, upsert ? 0 : in->matched};
        }
        if (lake__log_enabled(c, LAKE_LOG_INFO)) {
            char rows[24], text[LAKE_UUID_TEXT_LEN + 1];
            snprintf(rows, sizeof rows, "%llu", (unsigned long long)in->rows);
            lake_uuid_format(&id, text);
            lake__log(c, LAKE_LOG_INFO, in->replayed ? "insert.replayed" : "insert.done", "table",
                      lake_schema_table(in->schema), "path", in->staged ? "staged" : "direct", "rows", rows,
                      "ingest_id", text, NULL);
        }
    } else if (rc != LAKE_ECONFLICT && lake__log_enabled(c, LAKE_LOG_WARN)) {
        lake__log(c, LAKE_LOG_WARN, "insert.failed", "table", lake_schema_table(in->schema), "code", lake_strerror(rc),
                  "error", err->message, NULL);
    }
    lake_error_clear(&own);
    release(in);
    return lake__metric_error(c, rc);
}

static int insert_request(lake_client *c, const lake_schema *schema, const void *records, const void *const *ptrs,
                          size_t count, const lake_insert_options *opts, lake_insert_result *result, lake_error *err) {
    if (!c || !schema || (!records && !ptrs && count))
        return lake__error(err, LAKE_EINVAL, "lake_client_insert: client, schema and records are required");
    uint64_t estimate = (uint64_t)count * lake_schema_record_size(schema);
    int rc;
    /* A key race resolves once the other request ends: then this one is its replay, or writes itself. */
    for (unsigned attempt = 0;; attempt++) {
        lake_ingest *in;
        rc = begin(c, schema, opts, estimate, &in, err);
        if (rc) return lake__metric_error(c, rc);
        if ((rc = append(in, records, ptrs, count, err))) {
            lake_ingest_abort(in);
            return rc;
        }
        rc = lake_ingest_commit(in, result, err);
        if (rc != LAKE_ECONFLICT || attempt == 40) break;
        struct timespec pause = {0, (long)(attempt < 10 ? attempt + 1 : 10) * 2000000};
        nanosleep(&pause, NULL);
    }
    return rc;
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
