/* SPDX-License-Identifier: MIT */
/* Cleanup of staging that inserts left behind: every insert stages under
 * _staging/<ingest id>/, and a UUIDv7 carries its creation time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lakeorm/ids.h>

#include "backends/backend.h"
#include "client/client.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/version.h"

static const char staging_prefix[] = "_staging/";

typedef struct prefixes {
    char (*names)[LAKE_UUID_TEXT_LEN + 8];
    size_t count, cap;
    size_t odd; /* entries too long to be an ingest id */
    bool oom;
} prefixes;

/* Keys arrive in order, so equal prefixes of one listing are neighbours. */
static int collect(void *ctx, const char *key, uint64_t size) {
    (void)size;
    prefixes *p = ctx;
    const char *name = key + sizeof staging_prefix - 1;
    const char *slash = strchr(name, '/');
    size_t len = slash ? (size_t)(slash - name) : strlen(name);
    if (len >= sizeof p->names[0]) {
        p->odd++;
        return LAKE_OK;
    }
    if (p->count && strlen(p->names[p->count - 1]) == len && !memcmp(p->names[p->count - 1], name, len)) return LAKE_OK;
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        void *grown = lake__realloc(p->names, p->cap * sizeof p->names[0], cap * sizeof p->names[0]);
        if (!grown) {
            p->oom = true;
            return LAKE_ENOMEM;
        }
        p->names = grown;
        p->cap = cap;
    }
    memcpy(p->names[p->count], name, len);
    p->names[p->count++][len] = 0;
    return LAKE_OK;
}

/* The unfinished uploads found under _staging/ (their keys, sorted), which
 * cleanup discards with their prefix. */
typedef struct unfinished {
    prefixes *prefixes;
    char **keys;
    size_t count, cap;
} unfinished;

static int collect_unfinished(void *ctx, const char *key, uint64_t size) {
    unfinished *u = ctx;
    int rc = collect(u->prefixes, key, size);
    if (rc) return rc;
    if (u->count == u->cap) {
        size_t cap = u->cap ? u->cap * 2 : 16;
        char **grown = lake__realloc(u->keys, u->cap * sizeof *grown, cap * sizeof *grown);
        if (!grown) return u->prefixes->oom = true, LAKE_ENOMEM;
        u->keys = grown;
        u->cap = cap;
    }
    if (!(u->keys[u->count] = lake__strndup(key, strlen(key)))) return u->prefixes->oom = true, LAKE_ENOMEM;
    u->count++;
    return LAKE_OK;
}

static void unfinished_free(unfinished *u) {
    for (size_t i = 0; i < u->count; i++) lake__free(u->keys[i]);
    lake__free(u->keys);
}

/* Discards the unfinished uploads under prefix ("_staging/<id>"), counting them. */
static int discard_under(lake_client *c, const unfinished *u, const char *prefix, size_t *discarded, lake_error *err) {
    size_t n = strlen(prefix);
    for (size_t i = 0; i < u->count; i++) {
        if (strncmp(u->keys[i], prefix, n) || u->keys[i][n] != '/') continue;
        if (i && !strcmp(u->keys[i], u->keys[i - 1])) continue; /* one discard takes every upload of a key */
        int rc = lake__backend_discard_unfinished(c->staging, u->keys[i], err);
        if (rc) return rc;
        ++*discarded;
    }
    return LAKE_OK;
}

static int by_name(const void *a, const void *b) { return strcmp(a, b); }

/* Sorts the names and drops repeats: the two listings may name one prefix. */
static void unique(prefixes *p) {
    if (!p->count) return;
    qsort(p->names, p->count, sizeof p->names[0], by_name);
    size_t kept = 1;
    for (size_t i = 1; i < p->count; i++)
        if (strcmp(p->names[i], p->names[kept - 1])) memcpy(p->names[kept++], p->names[i], sizeof p->names[0]);
    p->count = kept;
}

int lake_client_cleanup_staging(lake_client *c, int64_t older_than_us, lake_cleanup_report *report, lake_error *err) {
    if (!c || older_than_us < 0)
        return lake__error(err, LAKE_EINVAL, "lake_client_cleanup_staging: a client and a non-negative age are required");
    int status = report ? LAKE__VERSION_CHECK(report, lake_cleanup_report, LAKE_CLEANUP_REPORT, err) : LAKE_OK;
    if (!status) status = lake__client_writable(c, "clean up staging", err);
    if (status) return status;
    /* Version 1 is the whole struct; a later version fills only the caller's version's fields. */
    lake_cleanup_report r = LAKE_CLEANUP_REPORT_INIT;
    r.version = report ? report->version : LAKE_CLEANUP_REPORT_VERSION;
    double started = lake__seconds();
    prefixes p = {NULL, 0, 0, 0, false};
    unfinished u = {&p, NULL, 0, 0};
    int rc = lake_backend_list(c->staging, staging_prefix, collect, &p, err);
    /* A request killed mid-upload may have left nothing but an unfinished part. */
    if (!rc) rc = lake__backend_list_unfinished(c->staging, staging_prefix, collect_unfinished, &u, err);
    if (p.oom) rc = lake__error(err, LAKE_ENOMEM, "out of memory listing staging");
    if (!rc) unique(&p);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t cutoff_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 - older_than_us / 1000;
    r.scanned = p.count + p.odd;
    r.failed = p.odd;
    for (size_t i = 0; !rc && i < p.count; i++) {
        lake_uuid id;
        int64_t ms = lake_uuid_parse(&id, p.names[i], strlen(p.names[i])) ? -1 : lake_uuid7_unix_ms(&id);
        char prefix[sizeof staging_prefix + sizeof p.names[0]];
        snprintf(prefix, sizeof prefix, "%s%s", staging_prefix, p.names[i]);
        if (ms < 0) {
            r.failed++; /* not lakeorm's: left alone, but reported */
            lake__log(c, LAKE_LOG_WARN, "staging.unknown_prefix", LOG_TEXT("prefix", prefix), NULL);
            continue;
        }
        if (ms >= cutoff_ms) continue;
        size_t deleted = 0;
        lake_error why = LAKE_ERROR_INIT;
        size_t discarded = 0;
        /* Unfinished uploads first: on file:// the last removal then prunes the prefix's folders. */
        if (discard_under(c, &u, prefix, &discarded, &why) ||
            lake_backend_delete_prefix(c->staging, prefix, &deleted, &why)) {
            r.failed++;
            lake__log(c, LAKE_LOG_WARN, "staging.delete_failed", LOG_TEXT("prefix", prefix), LOG_TEXT("error", why.message),
                      NULL);
        } else {
            r.deleted++;
        }
        r.objects += deleted + discarded;
        lake_error_clear(&why);
    }
    lake__free(p.names);
    unfinished_free(&u);
    lake__metric_phase(c, LAKE_PHASE_CLEANUP, started);
    if (report) *report = r;
    if (!rc && lake__log_enabled(c, LAKE_LOG_INFO)) {
        char scanned[24], deleted[24], failed[24];
        snprintf(scanned, sizeof scanned, "%zu", r.scanned);
        snprintf(deleted, sizeof deleted, "%zu", r.deleted);
        snprintf(failed, sizeof failed, "%zu", r.failed);
        lake__log(c, LAKE_LOG_INFO, "staging.cleanup", LOG_INT("scanned", scanned), LOG_INT("deleted", deleted),
                  LOG_INT("failed", failed), NULL);
    }
    return lake__metric_error(c, rc);
}
