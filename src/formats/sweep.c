/* SPDX-License-Identifier: MIT */
/* The listing and deleting every format's vacuum shares (sweep.h). */
#include <string.h>

#include <lakeorm/ids.h>

#include "backends/backend.h"
#include "error/error.h"
#include "formats/sweep.h"

enum { DELETE_BATCH = 1000 }; /* S3's DeleteObjects takes at most 1,000 keys */

static int add_object(lake__sweep *v, const char *key, uint64_t size, bool unfinished) {
    if (v->count == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 256;
        lake__sweep_object *grown = lake__arena_alloc(v->arena, cap * sizeof *grown, _Alignof(lake__sweep_object));
        if (!grown) return lake__error(v->err, LAKE_ENOMEM, "out of memory");
        if (v->count) memcpy(grown, v->objects, v->count * sizeof *grown);
        v->objects = grown, v->cap = cap;
    }
    const char *copy = lake__arena_strndup(v->arena, key, strlen(key));
    if (!copy) return lake__error(v->err, LAKE_ENOMEM, "out of memory");
    v->objects[v->count++] = (lake__sweep_object){copy, size, unfinished};
    return LAKE_OK;
}

static int collect(void *ctx, const char *key, uint64_t size) { return add_object(ctx, key, size, false); }

/* S3 lists a key once per unfinished upload; one discard takes them all. */
static int collect_unfinished(void *ctx, const char *key, uint64_t size) {
    lake__sweep *v = ctx;
    const lake__sweep_object *last = v->count ? &v->objects[v->count - 1] : NULL;
    if (last && last->unfinished && !strcmp(last->key, key)) return LAKE_OK;
    return add_object(v, key, size, true);
}

int lake__sweep_list(lake__sweep *s, const char *prefix) {
    int rc = lake_backend_list(s->store, prefix, collect, s, s->err);
    return rc ? rc : lake__backend_list_unfinished(s->store, prefix, collect_unfinished, s, s->err);
}

/* Deletes exact keys (lake_backend_delete_prefix would also take the keys
 * that merely start with one). The keys came from the store's listing. */
static int remove_keys(const lake__sweep *v, const char **keys, size_t n) {
    lake_backend *b = v->store;
    if (!n) return LAKE_OK;
    if (b->ops.remove_many) return b->ops.remove_many(b, keys, n, v->err);
    int rc = LAKE_OK;
    for (size_t i = 0; !rc && i < n; i++) rc = b->ops.remove(b, keys[i], v->err);
    return rc;
}

int lake__sweep_run(lake__sweep *v, bool (*doomed)(void *ctx, const lake__sweep_object *o), void *doomed_ctx,
                    bool dry_run, lake_vacuum_fn fn, void *ctx, uint64_t *files, uint64_t *bytes) {
    const char *batch[DELETE_BATCH];
    size_t pending = 0;
    int rc = LAKE_OK;
    for (size_t i = 0; !rc && i < v->count; i++) {
        const lake__sweep_object *o = &v->objects[i];
        if (!doomed(doomed_ctx, o)) continue;
        rc = fn ? fn(ctx, o->key, o->size) : LAKE_OK;
        if (rc) {
            lake__error(v->err, rc, "table %s: vacuum stopped by its callback at %s", v->table, o->key);
            break;
        }
        (*files)++, *bytes += o->size;
        if (dry_run) continue;
        if (o->unfinished) {
            rc = lake__backend_discard_unfinished(v->store, o->key, v->err);
            continue;
        }
        batch[pending++] = o->key;
        if (pending == DELETE_BATCH) rc = remove_keys(v, batch, pending), pending = 0;
    }
    int flushed = remove_keys(v, batch, pending);
    return rc ? rc : flushed;
}

/* The time of the UUIDv7 text at p, ended by the end, '-' or '.'; else -1. */
static int64_t uuid7_ms(const char *p) {
    if (strlen(p) < LAKE_UUID_TEXT_LEN) return -1;
    char after = p[LAKE_UUID_TEXT_LEN];
    if (after && after != '-' && after != '.') return -1;
    lake_uuid id;
    if (lake_uuid_parse(&id, p, LAKE_UUID_TEXT_LEN) || lake_uuid_version(&id) != 7) return -1;
    return lake_uuid7_unix_ms(&id);
}

int64_t lake__sweep_written_ms(const char *key, const char *prefix, bool unfinished) {
    const char *name = strrchr(key, '/');
    name = name ? name + 1 : key;
    if (unfinished && *name == '.') name++;
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n)) return -1;
    const char *p = name + n;
    /* "part-00001-<uuid>", "snap-<id>-1-<uuid>", "00001-<uuid>.metadata.json",
     * "<uuid>-m0.avro": up to two groups of digits, each ended by a dash,
     * then the uuid (whose first group may be digits too: the groups end
     * where a uuid begins) */
    for (int groups = 0;; groups++) {
        int64_t ms = uuid7_ms(p);
        if (ms >= 0 || groups == 2) return ms;
        const char *q = p;
        while (*q >= '0' && *q <= '9') q++;
        if (q == p || *q != '-') return -1;
        p = q + 1;
    }
}
