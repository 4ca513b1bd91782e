/* SPDX-License-Identifier: MIT */
/* What every table format's vacuum does once it knows which files the
 * table needs (sweep.c): list the objects under the table, finished uploads
 * and unfinished ones, and delete the ones its rule dooms, telling the
 * caller of each as it goes. */
#ifndef LAKE_FORMATS_SWEEP_H
#define LAKE_FORMATS_SWEEP_H

#include <lakeorm/client.h>

#include "util/arena.h"

typedef struct lake__sweep_object {
    const char *key;
    uint64_t size;
    bool unfinished; /* an upload never completed: discarded, not removed */
} lake__sweep_object;

typedef struct lake__sweep {
    lake_backend *store;
    const char *table; /* for messages */
    lake_arena *arena;
    lake__sweep_object *objects; /* the listing, in key order */
    size_t count, cap;
    lake_error *err;
} lake__sweep;

/* Lists the objects under prefix into s (s->store, table, arena and err set by the caller). */
int lake__sweep_list(lake__sweep *s, const char *prefix);

/* Tells fn (may be NULL) of each object doomed(ctx, object) chooses, then
 * deletes it, in batches (unless dry_run): a file is reported exactly when
 * it goes. *files and *bytes count them. */
int lake__sweep_run(lake__sweep *s, bool (*doomed)(void *ctx, const lake__sweep_object *o), void *doomed_ctx,
                    bool dry_run, lake_vacuum_fn fn, void *ctx, uint64_t *files, uint64_t *bytes);

/* When lakeorm wrote an object, by the UUIDv7 its name carries after
 * `prefix` and digits-and-dashes (a name "part-00001-<uuid>...", or
 * "<uuid>-m0.avro" with prefix ""): Unix ms, or -1 for any other name. The
 * file backend's unfinished upload of it starts with '.'. */
int64_t lake__sweep_written_ms(const char *key, const char *prefix, bool unfinished);

#endif
