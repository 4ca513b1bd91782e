/* SPDX-License-Identifier: MIT */
/* Commits: a new _delta_log/<version>.json published with put-if-absent, so
 * two writers can never both own a version (PROTOCOL.md, "Delta Log
 * Entries": one linear history needs mutual exclusion on each entry).
 * The writer that loses reads the commits that won, decides whether they
 * conflict with what it read, and otherwise tries the next free version. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "error/error.h"
#include "formats/delta/delta.h"
#include "ids/random.h"
#include "util/alloc.h"

enum {
    DEFAULT_ATTEMPTS = 20,
    MAX_PAUSE_MS = 200, /* past this, waiting longer only delays a writer whose rivals have finished */
};

/* A random pause in [1, 2^attempt] ms, capped: writers that collided once
 * should not collide again in lockstep. */
static void pause_before(unsigned attempt) {
    unsigned span = attempt >= 8 ? MAX_PAUSE_MS : 1u << attempt;
    if (span > MAX_PAUSE_MS) span = MAX_PAUSE_MS;
    unsigned r = 0;
    if (lake__random_bytes(&r, sizeof r)) r = attempt; /* no randomness: still pause, just not jittered */
    long ms = 1 + (long)(r % span);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) && errno == EINTR) {
    }
}

/* Whether a commit that won the race conflicts with ours. */
static int check_winner(const lake__delta_table *t, const lake__delta_commit_spec *spec,
                        const lake__delta_commit_file *w, lake_error *err) {
    /* Our actions were rendered against the read snapshot's schema and
     * protocol; any change to either invalidates them, whatever they are. */
    if (w->has_protocol || w->has_metadata)
        return lake__error(err, LAKE_ECONFLICT,
                           "table %s: version %lld changed the table's schema or protocol concurrently; run the "
                           "request again",
                           t->name, (long long)w->version);
    for (size_t i = 0; spec->app_id && i < w->txn_count; i++)
        if (w->txns[i].app_id && !strcmp(w->txns[i].app_id, spec->app_id))
            return lake__error(err, LAKE_ECONFLICT,
                               "table %s: version %lld committed the same transaction (%s) concurrently", t->name,
                               (long long)w->version, spec->app_id);
    return spec->check ? spec->check(spec->ctx, w, err) : LAKE_OK;
}

/* Whether the entry at `key` holds exactly our actions: a put the store
 * applied but whose answer was lost, then retried by the backend, comes
 * back as a conflict with ourselves. Equal bytes are our own commit because
 * render makes every commit's bytes its own (commitInfo carries the
 * request's ingest id, a create its new table id); two commits rendered
 * byte for byte alike would be taken for one. */
static int is_ours(const lake__delta_table *t, const char *key, const lake__buf *actions, bool *ours,
                   lake_error *err) {
    char *data = NULL;
    size_t len = 0;
    int rc = lake_backend_get(t->store, key, &data, &len, err);
    *ours = !rc && len == actions->len && !memcmp(data, actions->data, len);
    lake_free(data);
    return rc == LAKE_ENOTFOUND ? LAKE_OK : rc; /* a store whose reads lag its writes: not ours, checked below */
}

/* Checks the commits after *checked and advances it past them. */
static int check_winners(const lake__delta_table *t, const lake__delta_commit_spec *spec, int64_t *checked,
                         lake_error *err) {
    lake_arena *arena = NULL;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__delta_commit_file *winners = NULL;
    size_t count = 0;
    int rc = lake__delta_commits_since(t, *checked, arena, &winners, &count, err);
    for (size_t i = 0; !rc && i < count; i++) {
        rc = check_winner(t, spec, &winners[i], err);
        if (!rc) *checked = winners[i].version;
    }
    lake__free(winners);
    lake_arena_free(arena);
    return rc;
}

int lake__delta_commit(const lake__delta_table *t, const lake__delta_commit_spec *spec, int64_t *version,
                       lake_error *err) {
    unsigned attempts = spec->max_attempts ? spec->max_attempts : DEFAULT_ATTEMPTS;
    /* Every version up to `checked` is known not to conflict. */
    int64_t checked = spec->read_version;
    lake__buf actions = LAKE__BUF_INIT;
    char key[sizeof t->root + 40];
    int rc = LAKE_OK;
    for (unsigned attempt = 1;; attempt++) {
        int64_t v = checked + 1;
        actions.len = 0;
        rc = spec->render(spec->ctx, v, &actions, err);
        if (rc) break;
        snprintf(key, sizeof key, "%s_delta_log/%020lld.json", t->root, (long long)v);
        rc = lake_backend_put_if_absent(t->store, key, actions.data, actions.len, err);
        if (rc == LAKE_ECONFLICT) {
            bool ours = false;
            rc = is_ours(t, key, &actions, &ours, err);
            if (!rc && !ours) rc = LAKE_ECONFLICT;
        }
        if (rc != LAKE_ECONFLICT) {
            if (!rc) *version = v;
            break;
        }
        /* A listing can lag the conditional write that refused us (it never
         * does on stores with strong read-after-write, but nothing past an
         * unchecked version may be written): then `checked` stays and the
         * same version is tried again after the pause. */
        rc = check_winners(t, spec, &checked, err);
        if (rc) break;
        if (attempt == attempts) {
            rc = lake__error(err, LAKE_ECONFLICT,
                             "table %s: other writers won each of %u attempts to commit (the last at version %lld); "
                             "run the request again",
                             t->name, attempts, (long long)v);
            break;
        }
        pause_before(attempt);
    }
    lake__buf_dispose(&actions);
    return rc;
}
