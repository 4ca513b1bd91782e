/* SPDX-License-Identifier: MIT */
/* Insert requests on the engines that speak Spark SQL from afar: Spark
 * Connect and Databricks SQL warehouses. Neither holds a transaction across
 * statements, so a request's rows are gathered where the engine can read
 * them (an Arrow stream registered as temporary views on Spark, a VALUES
 * list of parameters on Databricks, or Parquet parts on the staging
 * backend) and land in one INSERT or MERGE: Iceberg and Delta commit each
 * statement atomically, so the table gets every row or none. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arrow/ipc.h"
#include "client/ingest.h"
#include "drivers/spark/read.h"
#include "error/error.h"
#include "sql/move.h"
#include "sql/quote.h"
#include "util/alloc.h"

/* A direct request's Arrow stream goes to the server as a view of its own
 * once it holds row_group_bytes (what an insert buffers at most), capped so
 * each message stays well under the server's inbound limit (128 MiB). */
static size_t view_bytes(const lake_client *c) {
    return c->opts.row_group_bytes < ((uint64_t)64 << 20) ? (size_t)c->opts.row_group_bytes : (size_t)64 << 20;
}

static int oom(lake_error *err) { return lake__error(err, LAKE_ENOMEM, "out of memory"); }

static void ident(lake__buf *b, const char *name) { lake__sql_quote_ident(b, name, LAKE_ENGINE_SPARK); }

static const lake__arrow_options *arrow_options(const lake_ingest *in, lake__arrow_options *o) {
    o->ingest_id = in->id;
    o->uuid_as_string = true; /* Spark 4.0 refuses fixed-size binary */
    return o;
}

static int take_session(lake_ingest *in, lake_error *err) {
    if (in->have_session || in->c->dbx) return LAKE_OK; /* a warehouse keeps no session */
    int rc = lake__spark_session_take(in->c, &in->session, err);
    in->have_session = rc == LAKE_OK;
    return rc;
}

/* On Databricks the request's VALUES parameters go with every statement:
 * the statements that read its rows name them. */
static int sql(lake_ingest *in, const char *text, const char *const *params, size_t n, lake_error *err) {
    if (in->c->dbx) return lake__dbx_sql(in->c->dbx, text, params, n, in->named, in->named_count, err);
    return lake__spark_sql(in->c->spark, &in->session, text, params, n, NULL, 0, err);
}

static int query_text(lake_ingest *in, const char *text, const char *const *params, size_t n, char *out, size_t cap,
                      lake_error *err) {
    if (in->c->dbx)
        return lake__dbx_query_text(in->c->dbx, text, params, n, in->named, in->named_count, out, cap, err);
    return lake__spark_query_text(in->c->spark, &in->session, text, params, n, out, cap, err);
}

/* ---- idempotency keys */

/* Statements on _lakeorm_ingests: they read no rows of the request, so on
 * Databricks its VALUES parameters stay behind. */
static int key_sql(lake_ingest *in, const char *text, const char *const *params, size_t n, lake_error *err) {
    if (in->c->dbx) return lake__dbx_sql(in->c->dbx, text, params, n, NULL, 0, err);
    return lake__spark_sql(in->c->spark, &in->session, text, params, n, NULL, 0, err);
}

static int key_query(lake_ingest *in, const char *text, const char *const *params, size_t n, char *out, size_t cap,
                     lake_error *err) {
    if (in->c->dbx) return lake__dbx_query_text(in->c->dbx, text, params, n, NULL, 0, out, cap, err);
    return lake__spark_query_text(in->c->spark, &in->session, text, params, n, out, cap, err);
}

static bool has_fingerprint_column(lake_ingest *in) {
    char none[8];
    lake_error why = LAKE_ERROR_INIT;
    int rc = key_query(in, "SELECT fingerprint AS lake_key FROM `_lakeorm_ingests` LIMIT 0", NULL, 0, none, sizeof none,
                       &why);
    lake_error_clear(&why);
    return rc == LAKE_OK || rc == LAKE_ENOROWS;
}

static int ensure_ingests_table(lake_ingest *in, lake_error *err) {
    lake_client *c = in->c;
    if (__atomic_load_n(&c->ingests_table_ready, __ATOMIC_ACQUIRE)) return LAKE_OK;
    char text[300];
    snprintf(text, sizeof text,
             "CREATE TABLE IF NOT EXISTS `_lakeorm_ingests` (idempotency_key STRING, ingest_id STRING, "
             "table_name STRING, created_at TIMESTAMP, fingerprint STRING) USING %s",
             c->format == LAKE_DIALECT_DELTA ? "delta" : "iceberg");
    int rc = key_sql(in, text, NULL, 0, err);
    /* Versions before fingerprints made the table without the column, and Spark SQL has no
     * ADD COLUMNS IF NOT EXISTS: look, add, and look again when another client added it first. */
    if (!rc && !has_fingerprint_column(in)) {
        lake_error why = LAKE_ERROR_INIT;
        rc = key_sql(in, "ALTER TABLE `_lakeorm_ingests` ADD COLUMNS (fingerprint STRING)", NULL, 0, &why);
        if (rc && has_fingerprint_column(in)) rc = LAKE_OK;
        else if (rc) rc = lake__error(err, rc, "adding _lakeorm_ingests.fingerprint: %s", why.message);
        lake_error_clear(&why);
    }
    if (!rc) __atomic_store_n(&c->ingests_table_ready, true, __ATOMIC_RELEASE);
    return rc;
}

int lake__remote_ingest_find_key(lake_ingest *in, lake_error *err) {
    int rc = take_session(in, err);
    if (!rc) rc = ensure_ingests_table(in, err);
    if (rc) return rc;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char cutoff[32];
    snprintf(cutoff, sizeof cutoff, "%lld",
             (long long)now.tv_sec * 1000000 + now.tv_nsec / 1000 - (long long)in->c->opts.idempotency_ttl_us);
    const char *find[] = {in->o.idempotency_key, cutoff};
    char record[sizeof in->original + sizeof in->recorded_print + sizeof in->recorded_table];
    rc = key_query(in, "SELECT " LAKE__KEY_RECORD_SELECT " FROM `_lakeorm_ingests` WHERE idempotency_key = ? "
                       "AND created_at > timestamp_micros(CAST(? AS BIGINT)) ORDER BY created_at DESC LIMIT 1",
                   find, 2, record, sizeof record, err);
    if (rc) return rc == LAKE_ENOROWS ? LAKE_OK : rc;
    lake__ingest_key_record(in, record);
    /* Claimed before: the request it names, when its rows are in its table; a
     * claim whose rows never landed (a failed or crashed attempt) is taken over. */
    lake__buf q = LAKE__BUF_INIT;
    lake__buf_puts(&q, "SELECT `_ingest_id` AS lake_key FROM ");
    lake__sql_quote_table(&q, in->recorded_table, LAKE_ENGINE_SPARK);
    lake__buf_puts(&q, " WHERE `_ingest_id` = ? LIMIT 1");
    const char *id[] = {in->original};
    char found[64];
    rc = q.failed ? oom(err) : key_query(in, q.data, id, 1, found, sizeof found, err);
    lake__buf_dispose(&q);
    in->replayed = rc == LAKE_OK;
    return rc == LAKE_ENOROWS ? LAKE_OK : rc;
}

/* Claims the key for this request, with its fingerprint, just before the
 * statement that writes its rows: a claim always says what it was for. */
static int claim_key(lake_ingest *in, lake_error *err) {
    const char *claim[] = {in->o.idempotency_key, in->id, lake_schema_table(in->schema), in->fingerprint};
    return key_sql(in,
                   "MERGE INTO `_lakeorm_ingests` AS t USING (SELECT ? AS idempotency_key, ? AS ingest_id, ? AS table_name, "
                   "current_timestamp() AS created_at, ? AS fingerprint) AS s ON t.idempotency_key = s.idempotency_key "
                   "WHEN MATCHED THEN UPDATE SET ingest_id = s.ingest_id, table_name = s.table_name, "
                   "created_at = s.created_at, fingerprint = s.fingerprint "
                   "WHEN NOT MATCHED THEN INSERT (idempotency_key, ingest_id, table_name, created_at, fingerprint) "
                   "VALUES (s.idempotency_key, s.ingest_id, s.table_name, s.created_at, s.fingerprint)",
                   claim, 4, err);
}

/* ---- moving the rows */

/* Iceberg and Delta refuse a commit when a concurrent one changed what this
 * statement read; nothing was written, and the statement (filtered by this
 * request's ingest id) can run again. */
static bool commit_conflict(const lake_error *why) {
    return strstr(why->message, "Concurrent") || strstr(why->message, "CONCURRENT") ||
           strstr(why->message, "CommitFailedException") || strstr(why->message, "ValidationException");
}

static int move_rows(lake_ingest *in, const char *source, const char *const *params, size_t n, lake_error *err) {
    bool merging = in->merge || in->o.on_conflict != LAKE_CONFLICT_ERROR;
    lake__match_on on = in->merge ? LAKE__MATCH_MERGE_KEYS : LAKE__MATCH_PRIMARY_KEY;
    lake__buf text = LAKE__BUF_INIT;
    int rc = LAKE_OK;
    if (merging) {
        /* A MERGE matching one target row twice fails or depends on row order: refuse first. */
        char key[256];
        lake_error none = LAKE_ERROR_INIT;
        rc = lake__sql_duplicate_key(&text, in->schema, source, on, LAKE_ENGINE_SPARK)
               ? oom(err)
               : query_text(in, text.data, params, n, key, sizeof key, &none);
        if (rc == LAKE_OK)
            rc = lake__error(err, LAKE_EINVAL, "%s (%s) appears more than once in this request: each key can be "
                                               "written once per insert", in->merge ? "merge key" : "primary key", key);
        else if (rc == LAKE_ENOROWS) rc = LAKE_OK;
        else if (rc != LAKE_ENOMEM) rc = lake__error(err, rc, "checking keys: %s", none.message);
        /* Neither engine reports what a MERGE matched on every table format: count
         * the request's rows whose key the table holds just before it (exact unless
         * another writer changes those keys in between). */
        text.len = 0;
        if (!rc && lake__sql_count_matched(&text, in->schema, NULL, source, on, LAKE_ENGINE_SPARK)) rc = oom(err);
        if (!rc) {
            rc = query_text(in, text.data, params, n, key, sizeof key, &none);
            if (!rc) in->matched = strtoull(key, NULL, 10);
            else rc = lake__error(err, rc, "counting existing keys: %s", none.message);
        }
        lake_error_clear(&none);
        text.len = 0;
    }
    if (!rc && in->o.idempotency_key) rc = claim_key(in, err);
    if (!rc && (merging ? lake__sql_merge(&text, in->schema, NULL, source, on,
                                          in->merge || in->o.on_conflict == LAKE_CONFLICT_UPDATE, LAKE_ENGINE_SPARK)
                        : lake__sql_insert_select(&text, in->schema, NULL, "INSERT INTO ", source, LAKE_ENGINE_SPARK)))
        rc = oom(err);
    for (unsigned attempt = 0; !rc; attempt++) {
        /* The conflict is told by the engine's message, whether the caller wants one or not. */
        lake_error why = LAKE_ERROR_INIT;
        rc = sql(in, text.data, params, n, &why);
        bool retry = rc == LAKE_EREMOTE && commit_conflict(&why) && attempt < 8;
        if (rc && !retry) lake__error(err, rc, "%s", why.message);
        lake_error_clear(&why);
        if (!retry) break;
        lake__log(in->c, LAKE_LOG_INFO, "insert.commit_conflict_retried", "table", lake_schema_table(in->schema),
                  "ingest_id", in->id, NULL);
        rc = LAKE_OK;
        struct timespec pause = {0, (long)(attempt + 1) * 50000000};
        nanosleep(&pause, NULL);
    }
    lake__buf_dispose(&text);
    return rc;
}

/* ---- the direct path: Arrow streams as temporary views on Spark (databricks_values.c on a warehouse) */

int lake__remote_ingest_open_direct(lake_ingest *in, lake_error *err) {
    if (in->c->dbx) return lake__dbx_ingest_open_direct(in, err);
    int rc = take_session(in, err);
    if (rc) return rc;
    snprintf(in->temp, sizeof in->temp, "lake_batch_%.8s%.4s%.4s%.4s", in->id, in->id + 9, in->id + 14, in->id + 24);
    lake__arrow_options o;
    return lake__arrow_write_schema(&in->arrow, in->schema, arrow_options(in, &o), err);
}

static int flush_view(lake_ingest *in, lake_error *err) {
    lake__arrow_write_end(&in->arrow);
    if (in->arrow.failed) return oom(err);
    char name[96];
    snprintf(name, sizeof name, "%s_%u", in->temp, in->views);
    int rc = lake__spark_view(in->c->spark, &in->session, name, in->arrow.data, in->arrow.len, err);
    if (rc) return rc;
    in->views++;
    in->view_rows = 0;
    in->arrow.len = 0;
    lake__arrow_options o;
    return lake__arrow_write_schema(&in->arrow, in->schema, arrow_options(in, &o), err);
}

/* Record batches of at most this many rows: views stay near their byte
 * bound, and the server converts the stream batch by batch. */
enum { BATCH_ROWS = 16384 };

static int add_arrow(lake_ingest *in, const void *records, size_t count, lake_error *err) {
    lake__arrow_options o;
    size_t size = lake_schema_record_size(in->schema);
    int rc = LAKE_OK;
    for (size_t at = 0; !rc && at < count; at += BATCH_ROWS) {
        size_t n = count - at < BATCH_ROWS ? count - at : BATCH_ROWS;
        rc = lake__arrow_write_batch(&in->arrow, in->schema, (const char *)records + at * size, n, arrow_options(in, &o), err);
        in->view_rows += n;
        if (!rc && in->arrow.len >= view_bytes(in->c)) rc = flush_view(in, err);
    }
    return rc;
}

int lake__remote_ingest_add(lake_ingest *in, const void *records, const void *const *ptrs, size_t count, lake_error *err) {
    if (in->c->dbx) return lake__dbx_ingest_add(in, records, ptrs, count, err);
    return lake__ingest_contiguous(in, records, ptrs, count, add_arrow, err);
}

/* The FROM-clause source over every view of the request. */
static int views_source(lake_ingest *in, lake__buf *source, lake_error *err) {
    int rc = in->view_rows ? flush_view(in, err) : LAKE_OK;
    if (in->views > 1) lake__buf_puts(source, "(");
    for (unsigned v = 0; v < in->views; v++) {
        char name[96];
        snprintf(name, sizeof name, "%s_%u", in->temp, v);
        if (v) lake__buf_puts(source, " UNION ALL ");
        if (in->views > 1) lake__buf_puts(source, "SELECT * FROM ");
        ident(source, name);
    }
    if (in->views > 1) lake__buf_puts(source, ")");
    return rc ? rc : source->failed ? oom(err) : LAKE_OK;
}

int lake__remote_ingest_commit_direct(lake_ingest *in, lake_error *err) {
    if (!in->rows) return LAKE_OK;
    lake__buf source = LAKE__BUF_INIT;
    int rc = in->c->dbx ? lake__dbx_ingest_source(in, &source, err) : views_source(in, &source, err);
    if (!rc) rc = move_rows(in, source.data, NULL, 0, err);
    lake__buf_dispose(&source);
    return rc;
}

/* ---- the staged path: Parquet parts Spark reads where they are */

/* Where Spark finds the request's parts: a local folder it shares, or the
 * object store through Hadoop's connectors (s3a://, gs://). */
static int parts_location(lake_ingest *in, lake__buf *out, lake_error *err) {
    const char *root = lake_backend_local_root(in->c->staging), *url = lake_backend_url(in->c->staging);
    if (root) {
        lake__buf_printf(out, "%s/%s", root, in->prefix);
    } else if (!strncmp(url, "s3://", 5) || !strncmp(url, "gs://", 5)) {
        size_t end = strcspn(url, "?");
        /* Spark reaches S3 through Hadoop's s3a connector; Databricks reads s3:// itself. */
        lake__buf_printf(out, "%s%.*s", url[0] == 'g' ? "gs://" : in->c->dbx ? "s3://" : "s3a://", (int)(end - 5),
                         url + 5);
        if (out->len && out->data[out->len - 1] != '/') lake__buf_putc(out, '/');
        lake__buf_puts(out, in->prefix);
    } else {
        return lake__error(err, LAKE_ENOTSUP, "the engine cannot read parts staged on %s", url);
    }
    return out->failed ? oom(err) : LAKE_OK;
}

int lake__remote_ingest_commit_staged(lake_ingest *in, lake_error *err) {
    if (!in->rows) return LAKE_OK;
    int rc = take_session(in, err);
    lake__buf where = LAKE__BUF_INIT, source = LAKE__BUF_INIT;
    if (!rc) rc = parts_location(in, &where, err);
    if (rc) return rc;
    /* The _ingest_id filter keeps the statement to this request's rows whatever else the folder holds. */
    lake__buf_puts(&source, "(SELECT * FROM parquet.");
    ident(&source, where.data);
    lake__buf_puts(&source, " WHERE `_ingest_id` = ?)");
    const char *params[] = {in->id};
    rc = source.failed ? oom(err) : move_rows(in, source.data, params, 1, err);
    lake__buf_dispose(&where);
    lake__buf_dispose(&source);
    return rc;
}

void lake__remote_ingest_release(lake_ingest *in) {
    lake__dbx_ingest_release(in);
    if (!in->have_session) {
        lake__buf_dispose(&in->arrow);
        return;
    }
    for (unsigned v = 0; v < in->views; v++) {
        lake__buf drop = LAKE__BUF_INIT;
        char name[96];
        snprintf(name, sizeof name, "%s_%u", in->temp, v);
        lake__buf_puts(&drop, "DROP VIEW IF EXISTS ");
        ident(&drop, name);
        lake_error ignored = LAKE_ERROR_INIT; /* a leftover view dies with the session */
        if (!drop.failed) sql(in, drop.data, NULL, 0, &ignored);
        lake_error_clear(&ignored);
        lake__buf_dispose(&drop);
    }
    in->views = 0;
    lake__spark_session_put(in->c->spark, &in->session);
    in->have_session = false;
    lake__buf_dispose(&in->arrow);
}
