/* SPDX-License-Identifier: MIT */
/* Per-client metrics: atomic counters, phase histograms, and their
 * Prometheus text form. */
#include <stdio.h>
#include <string.h>

#include "client/client.h"
#include "util/buf.h"
#include "util/version.h"

static const double bounds[LAKE_HISTOGRAM_BUCKETS] = {0.0005, 0.001, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,    0.25,  0.5,   1,    5,     1.0 / 0.0};

const double *lake_histogram_bounds(void) { return bounds; }

void lake__metric_add(uint64_t *counter, uint64_t n) { __atomic_fetch_add(counter, n, __ATOMIC_RELAXED); }

void lake__metric_phase(lake_client *c, lake_phase phase, double started) {
    lake__metric_observe(c, phase, lake__seconds() - started);
}

void lake__metric_observe(lake_client *c, lake_phase phase, double took) {
    if (took < 0) took = 0;
    size_t b = 0;
    while (took > bounds[b]) b++; /* the last bound is +Inf */
    pthread_mutex_lock(&c->metrics.lock);
    lake_histogram *h = &c->metrics.phases[phase];
    h->count++;
    h->sum_seconds += took;
    h->buckets[b]++;
    pthread_mutex_unlock(&c->metrics.lock);
}

int lake__metric_error(lake_client *c, int status) {
    if (status < 0 && -status < LAKE_STATUS_SLOTS) lake__metric_add(&c->metrics.errors_by_code[-status], 1);
    return status;
}

static uint64_t load(const uint64_t *x) { return __atomic_load_n(x, __ATOMIC_RELAXED); }

int lake_client_metrics(lake_client *c, lake_metrics *out) {
    if (!out || LAKE__VERSION_CHECK(out, lake_metrics, LAKE_METRICS, NULL)) return LAKE_EINVAL;
    /* Version 1 is the whole struct; a later version fills only the caller's version's fields. */
    unsigned version = out->version;
    memset(out, 0, sizeof *out);
    out->version = version;
    if (!c) return LAKE_EINVAL;
    const lake__metrics *m = &c->metrics;
    out->inserts_direct = load(&m->inserts_direct);
    out->inserts_staged = load(&m->inserts_staged);
    out->inserts_replayed = load(&m->inserts_replayed);
    out->rows_written = load(&m->rows_written);
    out->bytes_staged = load(&m->bytes_staged);
    out->records_rejected = load(&m->records_rejected);
    out->queries = load(&m->queries);
    out->rows_read = load(&m->rows_read);
    out->sessions_opened = load(&m->sessions_opened);
    for (int i = 0; i < LAKE_STATUS_SLOTS; i++) out->errors_by_code[i] = load(&m->errors_by_code[i]);
    pthread_mutex_lock(&c->metrics.lock);
    memcpy(out->phases, m->phases, sizeof out->phases);
    pthread_mutex_unlock(&c->metrics.lock);
    return LAKE_OK;
}

static void counter(lake__buf *b, const char *prefix, const char *name, const char *help, const char *label,
                    const uint64_t *values, const char *const *label_values, size_t n) {
    lake__buf_printf(b, "# HELP %s_%s %s\n# TYPE %s_%s counter\n", prefix, name, help, prefix, name);
    for (size_t i = 0; i < n; i++) {
        if (label) lake__buf_printf(b, "%s_%s{%s=\"%s\"} %llu\n", prefix, name, label, label_values[i], (unsigned long long)values[i]);
        else lake__buf_printf(b, "%s_%s %llu\n", prefix, name, (unsigned long long)values[i]);
    }
}

static const char *const phase_names[LAKE_PHASE_COUNT] = {"validate", "stage", "commit", "query", "cleanup"};

/* Label values: short, stable, one per lake_status (index -status). */
static const char *const status_labels[LAKE_STATUS_SLOTS] = {
    "ok", "error", "nomem", "inval", "schema", "validation", "notfound", "norows",
    "io", "conflict", "notsup", "remote", "timeout", "auth", "mismatch", "keyreused"};

int lake_client_metrics_text(lake_client *c, const char *prefix, char **text, size_t *len) {
    if (!c || !text) return LAKE_EINVAL;
    if (!prefix) prefix = "lakeorm";
    lake_metrics m = LAKE_METRICS_INIT;
    lake_client_metrics(c, &m);
    lake__buf b = LAKE__BUF_INIT;
    const uint64_t inserts[] = {m.inserts_direct, m.inserts_staged, m.inserts_replayed};
    const char *const paths[] = {"direct", "staged", "replayed"};
    counter(&b, prefix, "inserts_total", "Committed inserts by write path (replayed: idempotent retries).", "path",
            inserts, paths, 3);
    counter(&b, prefix, "rows_written_total", "Rows written by committed inserts.", NULL, &m.rows_written, NULL, 1);
    counter(&b, prefix, "staged_bytes_total", "Parquet bytes written to the staging backend.", NULL, &m.bytes_staged,
            NULL, 1);
    counter(&b, prefix, "rejected_records_total", "Records refused by validation.", NULL, &m.records_rejected, NULL, 1);
    counter(&b, prefix, "queries_total", "Typed reads run.", NULL, &m.queries, NULL, 1);
    counter(&b, prefix, "rows_read_total", "Rows decoded by typed reads.", NULL, &m.rows_read, NULL, 1);
    counter(&b, prefix, "sessions_opened_total", "Engine sessions opened (the pool reuses them).", NULL,
            &m.sessions_opened, NULL, 1);
    uint64_t errors[LAKE_STATUS_SLOTS];
    const char *labels[LAKE_STATUS_SLOTS];
    size_t n = 0;
    for (int i = 1; i < LAKE_STATUS_SLOTS; i++) {
        if (!m.errors_by_code[i]) continue;
        labels[n] = status_labels[i];
        errors[n++] = m.errors_by_code[i];
    }
    counter(&b, prefix, "errors_total", "Failed calls by status.", "code", errors, labels, n);
    lake__buf_printf(&b, "# HELP %s_phase_seconds Time spent in each phase of inserts and reads.\n"
                         "# TYPE %s_phase_seconds histogram\n", prefix, prefix);
    for (int p = 0; p < LAKE_PHASE_COUNT; p++) {
        const lake_histogram *h = &m.phases[p];
        uint64_t cumulative = 0;
        for (int k = 0; k < LAKE_HISTOGRAM_BUCKETS; k++) {
            cumulative += h->buckets[k];
            if (k + 1 < LAKE_HISTOGRAM_BUCKETS)
                lake__buf_printf(&b, "%s_phase_seconds_bucket{phase=\"%s\",le=\"%g\"} %llu\n", prefix, phase_names[p],
                                 bounds[k], (unsigned long long)cumulative);
            else
                lake__buf_printf(&b, "%s_phase_seconds_bucket{phase=\"%s\",le=\"+Inf\"} %llu\n", prefix,
                                 phase_names[p], (unsigned long long)cumulative);
        }
        lake__buf_printf(&b, "%s_phase_seconds_sum{phase=\"%s\"} %.9g\n%s_phase_seconds_count{phase=\"%s\"} %llu\n",
                         prefix, phase_names[p], h->sum_seconds, prefix, phase_names[p], (unsigned long long)h->count);
    }
    if (b.failed) {
        lake__buf_dispose(&b);
        return LAKE_ENOMEM;
    }
    *text = lake__buf_detach(&b, len);
    return *text ? LAKE_OK : LAKE_ENOMEM;
}
