/* SPDX-License-Identifier: MIT */
/* Insert requests: validate, stamp one ingest id, plan the path, write all
 * or nothing. A one-shot insert is a streaming request with one batch. The
 * same steps run on every engine; the driver's capabilities decide their
 * order (one transaction, or one statement that lands every row). */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include <lakeorm/ids.h>

#include "client/ingest.h"
#include "error/error.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/redact.h"
#include "util/version.h"
#include "validate/validate.h"

static int oom(lake_error *err) { return lake__error(err, LAKE_ENOMEM, "out of memory"); }

static bool transactional(const lake_ingest *in) { return in->c->ops->caps.transactional; }

int lake__ingest_session(lake_ingest *in, lake_error *err) {
    return in->session ? LAKE_OK : lake__session_get(in->c, &in->session, err);
}

static int run(lake_ingest *in, const lake__buf *sql, lake_error *err) {
    return lake__session_exec(in->c, in->session, sql, NULL, 0, false, NULL, err);
}

/* ---- transactions (engines that hold one across statements) */

static int begin_transaction(lake_ingest *in, lake_error *err) {
    if (!transactional(in)) return LAKE_OK;
    int rc = lake__ingest_session(in, err);
    if (rc) return rc;
    lake__buf sql = LAKE__BUF_INIT;
    lake__buf_puts(&sql, in->c->dialect->begin);
    rc = run(in, &sql, err);
    lake__buf_dispose(&sql);
    if (rc) return rc;
    in->in_transaction = true;
    /* The key again, inside the transaction that will record it. */
    if (in->o.idempotency_key) rc = lake__keys_find(in, err);
    return rc;
}

static int end_transaction(lake_ingest *in, int rc, lake_error *err) {
    if (!in->in_transaction) return rc;
    lake__buf sql = LAKE__BUF_INIT;
    if (!rc) {
        lake__buf_puts(&sql, in->c->dialect->commit);
        rc = run(in, &sql, err);
    }
    /* The engine reports concurrent writers to the same rows, at a statement
     * or at commit: the request may be retried. */
    if (rc == LAKE_EREMOTE && err && err->kind == LAKE_KIND_CONFLICT) { /* lake_ingest_commit always passes one */
        char why[sizeof err->message];
        memcpy(why, err->message, sizeof why);
        rc = lake__error(err, LAKE_ECONFLICT, "a concurrent request wrote the same rows; retrying may succeed (%.300s)", why);
    }
    bool broken = false;
    if (rc) {
        lake_error ignored = LAKE_ERROR_INIT; /* the first error is the one to report */
        sql.len = 0;
        lake__buf_puts(&sql, in->c->dialect->rollback);
        broken = run(in, &sql, &ignored) != LAKE_OK;
        lake_error_clear(&ignored);
    }
    lake__buf_dispose(&sql);
    in->in_transaction = false;
    /* The session goes back now: a staged retry takes it again. */
    lake__session_put(in->c, in->session, broken);
    in->session = NULL;
    return rc;
}

/* ---- moving the rows */

static bool has_column(const lake_schema *s, bool merge_key) {
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *col = lake_schema_column(s, i);
        if (merge_key ? col->merge_key : col->primary_key) return true;
    }
    return false;
}

/* The first key of `m.on` that occurs twice in the source, into key ("" when none). */
static int duplicate_key(lake_ingest *in, const lake__move *m, const lake_param *params, size_t n, char *key,
                         size_t cap, lake_error *err) {
    lake__buf sql = LAKE__BUF_INIT;
    lake_error none = LAKE_ERROR_INIT;
    in->c->dialect->duplicate_key(&sql, m);
    int rc = lake__session_text(in->c, in->session, &sql, params, n, true, key, cap, &none);
    lake__buf_dispose(&sql);
    if (rc == LAKE_ENOROWS) *key = 0, rc = LAKE_OK;
    else if (rc && rc != LAKE_ENOMEM) rc = lake__error_forward(err, &none, "checking keys: ");
    lake_error_clear(&none);
    return rc;
}

/* How many source rows have a key the table holds already. */
static int count_matched(lake_ingest *in, const lake__move *m, const lake_param *params, size_t n, uint64_t *out,
                         lake_error *err) {
    lake__buf sql = LAKE__BUF_INIT;
    in->c->dialect->count_matched(&sql, m);
    lake_error why = LAKE_ERROR_INIT;
    char text[32];
    int rc = lake__session_text(in->c, in->session, &sql, params, n, true, text, sizeof text, &why);
    lake__buf_dispose(&sql);
    if (rc == LAKE_ENOROWS) *text = '0', text[1] = 0, rc = LAKE_OK;
    if (!rc) *out = strtoull(text, NULL, 10);
    else rc = lake__error_forward(err, &why, "counting existing keys: ");
    lake_error_clear(&why);
    return rc;
}

static int table_rows(lake_ingest *in, uint64_t *n, lake_error *err) {
    lake__buf sql = LAKE__BUF_INIT;
    in->c->dialect->count_rows(&sql, lake_schema_table(in->schema));
    char text[32];
    int rc = lake__session_text(in->c, in->session, &sql, NULL, 0, false, text, sizeof text, err);
    lake__buf_dispose(&sql);
    if (!rc) *n = strtoull(text, NULL, 10);
    return rc;
}

/* The one statement that lands the rows, retried while an open table
 * format refuses its commit for a concurrent one: nothing was written then,
 * and the statement (reading only this request's rows) can run again. */
static int land(lake_ingest *in, const lake__buf *sql, const lake_param *params, size_t n, int64_t *affected,
                lake_error *err) {
    int rc;
    for (unsigned attempt = 0;; attempt++) {
        lake_error why = LAKE_ERROR_INIT;
        rc = lake__session_exec(in->c, in->session, sql, params, n, true, affected, &why);
        bool retry = rc == LAKE_EREMOTE && why.kind == LAKE_KIND_CONFLICT && !transactional(in) && attempt < 8;
        if (rc && !retry) lake__error_forward(err, &why, "%s", "");
        lake_error_clear(&why);
        if (!retry) break;
        lake__log(in->c, LAKE_LOG_INFO, "insert.commit_conflict_retried", LOG_TEXT("table", lake_schema_table(in->schema)),
                  LOG_TEXT("ingest_id", in->id), NULL);
        struct timespec pause = {0, (long)(attempt + 1) * 50000000};
        nanosleep(&pause, NULL);
    }
    return rc;
}

static lake__match_on match_on(const lake_ingest *in) {
    return in->merge ? LAKE__MATCH_MERGE_KEYS
         : in->o.on_conflict != LAKE_CONFLICT_ERROR ? LAKE__MATCH_PRIMARY_KEY : LAKE__MATCH_NONE;
}

/* Moves the request's rows from `source` into the table: MERGE on merge
 * keys, or INSERT with the conflict strategy. Staged parts, temporary tables
 * and views all go through this one statement builder. */
static int move_rows(lake_ingest *in, const char *source, const lake_param *params, size_t n, lake_error *err) {
    lake_client *c = in->c;
    bool conflicts = in->merge || in->o.on_conflict != LAKE_CONFLICT_ERROR;
    lake__move m = {in->schema, NULL, source, match_on(in), in->o.on_conflict};
    char key[256];
    int rc = LAKE_OK;
    if (conflicts) {
        /* A MERGE, or an insert resolving conflicts, matching one target row twice would depend on row order. */
        rc = duplicate_key(in, &m, params, n, key, sizeof key, err);
        if (!rc && *key)
            rc = lake__error(err, LAKE_EINVAL, "%s (%s) appears more than once in this request: each key can be "
                                               "written once per insert", in->merge ? "merge key" : "primary key", key);
    } else if (!c->dialect->enforces_primary_keys && has_column(in->schema, false)) {
        /* The table format keeps no primary key: LAKE_CONFLICT_ERROR is kept here, as the engine would. */
        lake__move by_key = m;
        by_key.on = LAKE__MATCH_PRIMARY_KEY;
        uint64_t held = 0;
        rc = duplicate_key(in, &by_key, params, n, key, sizeof key, err);
        if (!rc && *key)
            rc = lake__error(err, LAKE_EREMOTE, "primary key (%s) appears more than once in this request; nothing "
                                                "written", key);
        if (!rc) rc = count_matched(in, &by_key, params, n, &held, err);
        if (!rc && held)
            rc = lake__error(err, LAKE_EREMOTE, "%llu row%s of this request ha%s a primary key table %s holds already "
                                                "(on_conflict is error); nothing written", (unsigned long long)held,
                             held == 1 ? "" : "s", held == 1 ? "s" : "ve", lake_schema_table(in->schema));
    }
    /* What the statement did. In a transaction the table's size around it is
     * exact and costs no scan; elsewhere the source's keys the table holds
     * just before it (exact unless another writer changes those keys between). */
    uint64_t before = 0, after = 0;
    if (!rc && conflicts && transactional(in)) rc = table_rows(in, &before, err);
    else if (!rc && conflicts) rc = count_matched(in, &m, params, n, &in->matched, err);
    if (!rc && in->o.idempotency_key && !transactional(in)) rc = lake__keys_claim(in, err);
    lake__buf sql = LAKE__BUF_INIT;
    int64_t affected = -1;
    if (!rc) {
        c->dialect->move(&sql, &m);
        rc = land(in, &sql, params, n, &affected, err);
    }
    lake__buf_dispose(&sql);
    if (!rc && conflicts && transactional(in) && !(rc = table_rows(in, &after, err)))
        in->matched = in->rows - (after - before);
    /* Ignored conflicts write fewer rows on purpose; otherwise every row must land. */
    if (!rc && !conflicts && affected >= 0 && (uint64_t)affected != in->rows)
        rc = lake__error(err, LAKE_ERROR, "the insert wrote %lld rows, expected %llu", (long long)affected,
                         (unsigned long long)in->rows);
    return rc;
}

/* ---- opening each path */

static int open_direct(lake_ingest *in, lake_error *err) {
    int rc = begin_transaction(in, err);
    if (!rc && !in->session) rc = lake__ingest_session(in, err);
    if (rc || in->replayed) return rc;
    lake__direct_spec spec = {in->schema, in->id, in->merge || in->o.on_conflict != LAKE_CONFLICT_ERROR,
                              in->c->opts.row_group_bytes};
    return in->c->ops->direct_open(in->session, &spec, &in->direct, err);
}

/* A table format writes data files on either path, and lands them with one commit. */
static int open_files(lake_ingest *in, lake_error *err) {
    lake__format_write_spec spec = {in->schema, in->id, match_on(in), in->o.on_conflict, in->o.idempotency_key};
    return in->c->format->write_begin(in->c->format_impl, &spec, &in->files, err);
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
    int rc = lake_backend_part_sinks(c->staging, in->prefix, &in->sinks.inner, err);
    if (rc) return rc;
    in->have_sinks = true;
    lake_part_sinks outer = {counting_open, counting_close, &in->sinks};
    lake_parquet_parts_options po = LAKE_PARQUET_PARTS_OPTIONS_INIT;
    po.file.codec = c->opts.compression;
    po.file.row_group_bytes = (size_t)c->staged_row_group_bytes;
    po.file.ingest_id = in->id;
    po.file.uuid_as_string = c->ops->caps.uuid_as_text;
    po.file.threads = c->opts.threads;
    return lake_parquet_parts_open(&in->parts, in->schema, &outer, &po, err);
}

/* ---- the request */

static int check_options(const lake_insert_options *opts, lake_insert_options *o, const lake_schema *s,
                         lake_error *err) {
    lake_insert_options d = LAKE_INSERT_OPTIONS_INIT;
    *o = d;
    if (opts) {
        int rc = LAKE__VERSION_CHECK(opts, lake_insert_options, LAKE_INSERT_OPTIONS, err);
        if (rc) return rc;
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

static void release(lake_ingest *in) {
    lake_client *c = in->c;
    lake__ndjson_free(in->ndjson); /* its threads stop before what they feed goes */
    if (in->direct) c->ops->direct_free(in->direct);
    if (in->files) c->format->write_free(in->files);
    end_transaction(in, LAKE_ERROR, NULL);
    lake__session_put(c, in->session, false);
    lake_parquet_parts_free(in->parts);
    if (in->have_sinks) lake_backend_part_sinks_free(&in->sinks.inner);
    if (in->prefix[0]) {
        /* Staging goes whatever happened: committed rows no longer need it, failed ones never will. */
        lake_error why = LAKE_ERROR_INIT;
        if (lake_backend_delete_prefix(c->staging, in->prefix, NULL, &why))
            lake__log(c, LAKE_LOG_WARN, "staging.cleanup_failed", LOG_TEXT("prefix", in->prefix),
                      LOG_TEXT("error", why.message), NULL);
        lake_error_clear(&why);
    }
    lake__staged_release(&in->where);
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
    /* A retry is answered before any staging work (a transaction checks again). */
    if (o.idempotency_key && !(rc = lake__keys_ready(in, err))) rc = lake__keys_find(in, err);
    const lake__driver_caps *caps = &c->ops->caps;
    /* An engine in this process reads any staging: parts under a local root in place, others (s3://,
     * memory://) through local copies, so it stages by itself only when the parts are files already. An
     * engine elsewhere reads the parts where they are, so only staging it can reach: not what this process
     * alone holds, and not the default temporary folder, which is this machine's. */
    bool reachable = caps->reads_local_files || lake_backend_reach(c->staging) != LAKE_REACH_PROCESS;
    bool auto_stages = caps->reads_local_files ? lake_backend_local_root(c->staging) != NULL : reachable && !c->temp_dir;
    if (!rc && o.path == LAKE_PATH_STAGED && !reachable && !c->format) {
        char shown[256];
        rc = lake__error(err, LAKE_ENOTSUP, "the staged path needs a staging backend the engine can reach: %s keeps "
                                            "its objects in this process, and the engine runs in another; stage on "
                                            "s3://, gs:// or a folder the engine shares",
                         lake__redact(lake_backend_url(c->staging), shown, sizeof shown));
    }
    uint64_t fast = c->opts.fast_path_bytes;
    if (caps->direct_bytes_limit && caps->direct_bytes_limit < fast) fast = caps->direct_bytes_limit;
    in->staged = o.path == LAKE_PATH_STAGED || (o.path == LAKE_PATH_AUTO && (auto_stages || c->format) && estimate >= fast);
    if (!rc && !in->replayed) rc = c->format ? open_files(in, err) : in->staged ? open_staged(in, err) : open_direct(in, err);
    /* A staged request on a transactional engine holds no session while it stages. */
    if (!rc && in->staged && !in->in_transaction && caps->transactional) {
        lake__session_put(c, in->session, false);
        in->session = NULL;
    }
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

static int direct_append(lake_ingest *in, const void *records, size_t count, lake_error *err) {
    return in->c->ops->direct_add(in->direct, records, count, err);
}

enum { GATHER = 1024 }; /* records gathered from pointers into one contiguous slice */

/* Calls fn over the records: directly when contiguous, else over copies of
 * the pointed-to records gathered GATHER at a time. */
static int contiguous(lake_ingest *in, const void *records, const void *const *ptrs, size_t count,
                      int (*fn)(lake_ingest *, const void *, size_t, lake_error *), lake_error *err) {
    if (!ptrs) return fn(in, records, count, err);
    size_t size = lake_schema_record_size(in->schema);
    if (!in->slice && !(in->slice = lake__malloc(GATHER * size))) return oom(err);
    for (size_t at = 0; at < count; at += GATHER) {
        size_t n = count - at < GATHER ? count - at : GATHER;
        for (size_t i = 0; i < n; i++) memcpy(in->slice + i * size, ptrs[at + i], size);
        int rc = fn(in, in->slice, n, err);
        if (rc) return rc;
    }
    return LAKE_OK;
}

static int files_append(lake_ingest *in, const void *records, size_t count, lake_error *err) {
    return in->c->format->write_add(in->files, records, count, err);
}

static int write_batch(lake_ingest *in, const void *records, const void *const *ptrs, size_t count, lake_error *err) {
    return contiguous(in, records, ptrs, count, in->files ? files_append : in->staged ? parts_append : direct_append, err);
}

static size_t rejected_records(const lake_issues *issues) {
    size_t n = 0, count = lake_issues_count(issues);
    for (size_t i = 0; i < count; i++) /* issues come in record order */
        n += i == 0 || lake_issues_get(issues, i)->record != lake_issues_get(issues, i - 1)->record;
    return n;
}

static int append(lake_ingest *in, const void *records, const void *const *ptrs, size_t count, bool checked,
                  lake_error *err) {
    if (!in || (!records && !ptrs && count))
        return lake__error(err, LAKE_EINVAL, "lake_ingest_append: request and records are required");
    lake_client *c = in->c;
    if (in->broken) return lake__error(err, LAKE_EINVAL, "this request failed earlier: abort it");
    /* lake_ingest_ndjson's records are appended (checked) as its chunks come back: a batch between them would
     * land out of order. */
    if (!checked && in->ndjson)
        return lake__error(err, LAKE_EINVAL, "NDJSON text was fed and not ended: call lake_ingest_ndjson_end first");
    double started = lake__seconds();
    int rc = checked ? LAKE_OK : lake__validate_on(in->schema, records, ptrs, count, c->opts.threads, err);
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
    in->seconds[in->staged || in->files ? LAKE_PHASE_STAGE : LAKE_PHASE_COMMIT] += lake__seconds() - started;
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
    return append(in, records, NULL, count, false, err);
}

int lake__ingest_append_checked(lake_ingest *in, const void *records, size_t count, lake_error *err) {
    return append(in, records, NULL, count, true, err);
}

int lake_ingest_append_ptrs(lake_ingest *in, const void *const *records, size_t count, lake_error *err) {
    if (count && !records) return lake__error(err, LAKE_EINVAL, "lake_ingest_append_ptrs: records is NULL");
    return append(in, NULL, records, count, false, err);
}

void lake_ingest_abort(lake_ingest *in) {
    if (in) release(in);
}

static int commit_direct(lake_ingest *in, lake_error *err) {
    lake__buf source = LAKE__BUF_INIT;
    int rc = in->c->ops->direct_finish(in->direct, &source, err);
    if (!rc && source.failed) rc = oom(err);
    if (!rc && source.len && in->rows) rc = move_rows(in, source.data, NULL, 0, err);
    lake__buf_dispose(&source);
    if (!rc) {
        in->c->ops->direct_free(in->direct);
        in->direct = NULL;
    }
    /* A key is used only by a request that wrote rows: an empty one leaves it for the corrected retry. */
    if (!rc && in->o.idempotency_key && in->rows && transactional(in)) rc = lake__keys_claim(in, err);
    return end_transaction(in, rc, err);
}

/* The staged request's statement, in its transaction where the engine has
 * them: key check, one statement, key. */
static int commit_staged_once(lake_ingest *in, lake_error *err) {
    int rc = begin_transaction(in, err);
    if (!rc && !in->session) rc = lake__ingest_session(in, err);
    if (!rc && !in->replayed && in->rows) {
        lake__buf source = LAKE__BUF_INIT;
        lake_param params[2];
        size_t n = 0;
        in->c->dialect->staged_source(&source, in->where.location, in->id, in->merge, params, &n);
        rc = source.failed ? oom(err) : move_rows(in, source.data, params, n, err);
        lake__buf_dispose(&source);
    }
    if (!rc && !in->replayed && in->o.idempotency_key && in->rows && transactional(in)) rc = lake__keys_claim(in, err);
    return end_transaction(in, rc, err);
}

static int commit_files(lake_ingest *in, lake_error *err) {
    lake__format_outcome outcome = {0, -1};
    int rc = in->c->format->write_commit(in->files, in->o.idempotency_key ? in->fingerprint : NULL, &outcome, err);
    in->sinks.bytes = in->c->format->write_bytes(in->files);
    if (!rc) in->matched = outcome.matched;
    return rc;
}

static int commit_staged(lake_ingest *in, lake_error *err) {
    double started = lake__seconds();
    int rc = lake_parquet_parts_close(in->parts, err);
    if (!rc && in->rows) rc = in->c->ops->staged_location(in->c->impl, in->c->staging, in->prefix, &in->where, err);
    in->seconds[LAKE_PHASE_STAGE] += lake__seconds() - started;
    /* The parts stay until release: a key race can be waited out here. */
    for (unsigned attempt = 0; !rc; attempt++) {
        rc = commit_staged_once(in, err);
        if (rc != LAKE_ECONFLICT || attempt == 40 || !transactional(in)) break;
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
    int rc = result ? LAKE__VERSION_CHECK(result, lake_insert_result, LAKE_INSERT_RESULT, err) : LAKE_OK;
    if (!rc && in->broken) rc = lake__error(err, LAKE_EINVAL, "this request failed earlier: nothing was written");
    if (!rc && in->ndjson)
        rc = lake__error(err, LAKE_EINVAL, "NDJSON text was fed and not ended (lake_ingest_ndjson_end): nothing written");
    double started = lake__seconds();
    if (!rc && in->o.idempotency_key) rc = lake__fingerprint_end(&in->print, in->fingerprint, err);
    if (!rc && !in->replayed) rc = in->files ? commit_files(in, err) : in->staged ? commit_staged(in, err) : commit_direct(in, err);
    else if (!rc) rc = end_transaction(in, LAKE_OK, err);
    /* Whether a request that found its key is its replay shows only now, with every record seen. */
    if (!rc && in->replayed) rc = lake__keys_check_replay(in, err);
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
            /* Version 1 is the whole struct; a later version fills only the caller's version's fields. */
            *result = (lake_insert_result){result->version, id, in->staged ? LAKE_PATH_STAGED : LAKE_PATH_DIRECT,
                                           in->replayed, written, in->sinks.bytes, written - in->matched,
                                           upsert ? in->matched : 0, upsert ? 0 : in->matched};
        }
        if (lake__log_enabled(c, LAKE_LOG_INFO)) {
            char rows[24], text[LAKE_UUID_TEXT_LEN + 1];
            snprintf(rows, sizeof rows, "%llu", (unsigned long long)in->rows);
            lake_uuid_format(&id, text);
            lake__log(c, LAKE_LOG_INFO, in->replayed ? "insert.replayed" : "insert.done",
                      LOG_TEXT("table", lake_schema_table(in->schema)), LOG_TEXT("path", in->staged ? "staged" : "direct"),
                      LOG_INT("rows", rows), LOG_TEXT("ingest_id", text), NULL);
        }
    } else if (rc != LAKE_ECONFLICT && lake__log_enabled(c, LAKE_LOG_WARN)) {
        lake__log(c, LAKE_LOG_WARN, "insert.failed", LOG_TEXT("table", lake_schema_table(in->schema)),
                  LOG_TEXT("code", lake_strerror(rc)), LOG_TEXT("error", err->message), NULL);
    }
    lake_error_clear(&own);
    release(in);
    return lake__metric_error(c, rc);
}

static int insert_request(lake_client *c, const lake_schema *schema, const void *records, const void *const *ptrs,
                          size_t count, const lake_insert_options *opts, lake_insert_result *result, lake_error *err) {
    if (!c || !schema || (!records && !ptrs && count))
        return lake__error(err, LAKE_EINVAL, "lake_client_insert: client, schema and records are required");
    /* Checked before anything is done (commit checks it again, for lake_ingest_commit's callers). */
    if (result && LAKE__VERSION_CHECK(result, lake_insert_result, LAKE_INSERT_RESULT, err))
        return lake__metric_error(c, LAKE_EINVAL);
    uint64_t estimate = (uint64_t)count * lake_schema_record_size(schema);
    int rc;
    lake_error own = LAKE_ERROR_INIT;
    lake_error *e = err ? err : &own; /* the engine's verdict decides a retry */
    bool collided = false;
    /* A key race resolves once the other request ends: then this one is its replay, or writes itself. */
    for (unsigned attempt = 0;; attempt++) {
        lake_ingest *in;
        rc = begin(c, schema, opts, estimate, &in, e);
        if (rc) {
            rc = lake__metric_error(c, rc);
            break;
        }
        if ((rc = append(in, records, ptrs, count, false, e))) lake_ingest_abort(in);
        else rc = lake_ingest_commit(in, result, e);
        /* Two requests with one key and the same rows: the one that commits
         * second meets the first's rows (a primary key, SQLSTATE class 23)
         * or its writes (a conflict) before it reaches the key. Once more,
         * then: its key check sees the first's key and replays it, and a
         * request whose rows are really taken fails the same way again. */
        bool race = rc == LAKE_EREMOTE && opts && opts->idempotency_key &&
                    (e->kind == LAKE_KIND_CONFLICT || (!collided && !strncmp(e->sqlstate, "23", 2)));
        if (race) {
            collided = collided || e->kind != LAKE_KIND_CONFLICT;
            rc = lake__error(e, LAKE_ECONFLICT, "a concurrent request with idempotency key \"%.300s\" wrote the same "
                                                "rows; retrying to learn its outcome", opts->idempotency_key);
        }
        if (rc != LAKE_ECONFLICT || attempt == 40) break;
        struct timespec pause = {0, (long)(attempt < 10 ? attempt + 1 : 10) * 2000000};
        nanosleep(&pause, NULL);
    }
    lake_error_clear(&own);
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
