/* SPDX-License-Identifier: MIT */
/* Idempotency keys: the table _lakeorm_ingests remembers which request a key
 * named (its ingest id, table and fingerprint), so that a retry writes
 * nothing and reports the first request's outcome. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client/ingest.h"
#include "error/error.h"

static bool has_fingerprint_column(lake_ingest *in) {
    lake__buf sql = LAKE__BUF_INIT;
    char none[8];
    lake_error why = LAKE_ERROR_INIT;
    in->c->dialect->ingests_probe_fingerprint(&sql);
    int rc = lake__session_text(in->c, in->session, &sql, NULL, 0, false, none, sizeof none, &why);
    lake_error_clear(&why);
    lake__buf_dispose(&sql);
    return rc == LAKE_OK || rc == LAKE_ENOROWS;
}

int lake__keys_ready(lake_ingest *in, lake_error *err) {
    lake_client *c = in->c;
    /* A table format records keys in the table itself, with the rows. */
    if (c->format || __atomic_load_n(&c->ingests_table_ready, __ATOMIC_ACQUIRE)) return LAKE_OK;
    int rc = lake__ingest_session(in, err);
    if (rc) return rc;
    /* Concurrent CREATE TABLE IF NOT EXISTS conflict in DuckDB's catalog: one at a time. */
    pthread_mutex_lock(&c->lock);
    lake__buf sql = LAKE__BUF_INIT;
    if (!c->ingests_table_ready) {
        c->dialect->ingests_create(&sql);
        rc = lake__session_exec(c, in->session, &sql, NULL, 0, false, NULL, err);
    }
    /* Versions before fingerprints made the table without the column: add it
     * once, and look again when another client added it first. */
    if (!rc && !c->ingests_table_ready && !has_fingerprint_column(in)) {
        lake_error why = LAKE_ERROR_INIT;
        sql.len = 0;
        c->dialect->ingests_add_fingerprint(&sql);
        rc = lake__session_exec(c, in->session, &sql, NULL, 0, false, NULL, &why);
        if (rc && has_fingerprint_column(in)) rc = LAKE_OK;
        else if (rc) rc = lake__error_forward(err, &why, "adding _lakeorm_ingests.fingerprint: ");
        lake_error_clear(&why);
    }
    if (!rc) __atomic_store_n(&c->ingests_table_ready, true, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&c->lock);
    lake__buf_dispose(&sql);
    return rc;
}

/* The parts of a key's record, read as one text "<ingest id> <fingerprint or
 * -> <table>" (every engine reads one cell). */
static void parse_record(lake_ingest *in, const char *text) {
    size_t id = strcspn(text, " ");
    snprintf(in->original, sizeof in->original, "%.*s", (int)id, text);
    const char *print = text + id + (text[id] == ' ');
    size_t len = strcspn(print, " ");
    snprintf(in->recorded_print, sizeof in->recorded_print, "%.*s", len == 1 && *print == '-' ? 0 : (int)len, print);
    snprintf(in->recorded_table, sizeof in->recorded_table, "%s", print + len + (print[len] == ' '));
}

/* Whether the rows of the recorded request are in its table. */
static int landed(lake_ingest *in, bool *out, lake_error *err) {
    lake__buf sql = LAKE__BUF_INIT;
    in->c->dialect->ingest_landed(&sql, in->recorded_table);
    lake_param id = lake_param_text(in->original);
    char found[64];
    int rc = lake__session_text(in->c, in->session, &sql, &id, 1, false, found, sizeof found, err);
    lake__buf_dispose(&sql);
    *out = rc == LAKE_OK;
    return rc == LAKE_ENOROWS ? LAKE_OK : rc;
}

/* A table format's record of the key: written in the same commit as the
 * rows, so one that is found landed. */
static int format_find(lake_ingest *in, int64_t since_us, lake_error *err) {
    lake__format_key key;
    int rc = in->c->format->key_find(in->c->format_impl, lake_schema_table(in->schema), in->o.idempotency_key, since_us,
                                     &key, err);
    in->replayed = !rc && key.found;
    if (in->replayed) {
        snprintf(in->original, sizeof in->original, "%.*s", (int)sizeof in->original - 1, key.ingest_id);
        snprintf(in->recorded_print, sizeof in->recorded_print, "%.*s", (int)sizeof in->recorded_print - 1, key.fingerprint);
        snprintf(in->recorded_table, sizeof in->recorded_table, "%.*s", (int)sizeof in->recorded_table - 1, key.table);
    }
    return rc;
}

int lake__keys_find(lake_ingest *in, lake_error *err) {
    lake_client *c = in->c;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t now_us = (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
    if (c->format) return format_find(in, now_us - c->opts.idempotency_ttl_us, err);
    int rc = lake__ingest_session(in, err);
    if (rc) return rc;
    lake_param find[] = {lake_param_text(in->o.idempotency_key), lake_param_timestamp(now_us - c->opts.idempotency_ttl_us)};
    char record[sizeof in->original + sizeof in->recorded_print + sizeof in->recorded_table];
    lake__buf sql = LAKE__BUF_INIT;
    c->dialect->ingests_find(&sql);
    lake_error none = LAKE_ERROR_INIT;
    rc = lake__session_text(c, in->session, &sql, find, 2, false, record, sizeof record, &none);
    lake__buf_dispose(&sql);
    in->replayed = false;
    if (rc == LAKE_ENOROWS) rc = LAKE_OK;
    else if (rc) rc = lake__error_forward(err, &none, "%s", "");
    else parse_record(in, record);
    lake_error_clear(&none);
    if (rc || !in->original[0]) return rc;
    if (c->ops->caps.transactional) in->replayed = true;
    else rc = landed(in, &in->replayed, err);
    return rc;
}

int lake__keys_claim(lake_ingest *in, lake_error *err) {
    lake_client *c = in->c;
    lake_param claim[] = {lake_param_text(in->o.idempotency_key), lake_param_text(in->id), lake_param_text(lake_schema_table(in->schema)),
                          lake_param_text(in->fingerprint)};
    lake__buf sql = LAKE__BUF_INIT;
    c->dialect->ingests_claim(&sql);
    lake_error why = LAKE_ERROR_INIT;
    int rc = lake__session_exec(c, in->session, &sql, claim, 4, false, NULL, &why);
    lake__buf_dispose(&sql);
    /* Another transaction holds the key: its outcome decides whether this request is a retry. The
     * claim replaces a key's record, so an integrity violation (SQLSTATE class 23) on it can only be a
     * concurrent transaction's claim that this one's snapshot did not see. */
    bool concurrent = why.kind == LAKE_KIND_CONFLICT || !strncmp(why.sqlstate, "23", 2);
    if (rc == LAKE_EREMOTE && concurrent)
        rc = lake__error(err, LAKE_ECONFLICT, "a concurrent request with idempotency key \"%.300s\" is in progress; "
                                              "retry to learn its outcome", in->o.idempotency_key);
    else if (rc)
        rc = lake__error_forward(err, &why, "%s", "");
    lake_error_clear(&why);
    return rc;
}

/* A record from a version without fingerprints is trusted for its own table,
 * as that version did. */
int lake__keys_check_replay(lake_ingest *in, lake_error *err) {
    const char *table = lake_schema_table(in->schema);
    bool same_table = !strcmp(in->recorded_table, table);
    if (in->recorded_print[0] ? !strcmp(in->recorded_print, in->fingerprint) : same_table) return LAKE_OK;
    return lake__error(err, LAKE_EKEYREUSED,
                       "idempotency key \"%.200s\" was used within its TTL by another request (ingest id %s, %s%.100s): "
                       "a key names one request; use a new key for new records. Nothing written",
                       in->o.idempotency_key, in->original, same_table ? "other records for " : "table ",
                       in->recorded_table);
}
