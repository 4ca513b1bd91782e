/* SPDX-License-Identifier: MIT */
/* Copy-on-write on a Delta table (rewrite.c): the shared plan
 * (formats/rewrite.h) over the snapshot's files, pruned by their stats. */
#ifndef LAKE_FORMATS_DELTA_REWRITE_H
#define LAKE_FORMATS_DELTA_REWRITE_H

#include "formats/delta/delta.h"
#include "formats/delta/prune.h"
#include "formats/rewrite.h"

typedef struct lake__delta_request {
    const lake__delta_table *t;
    const lake__delta_snapshot *snap;   /* the version the request read */
    const lake_schema *schema;          /* the model */
    const lake_schema *extended;        /* the model and its _ingest_id member (schema/extend.c) */
    const char *const *keys;            /* merge keys or the primary key; none: a blind append */
    size_t key_count;
    lake__match_on on;
    lake_on_conflict on_conflict;
    const lake__delta_written *written; /* the request's own data files */
    size_t written_count;
} lake__delta_request;

typedef struct lake__delta_plan {
    lake__rewrite_plan base;      /* removed and read: indexes in snap->files */
    lake__delta_key_range *range; /* the request's keys (a winner adding a file in it conflicts); NULL: none */
    lake__delta_files *extra;     /* rows written anew: rewritten files' kept rows, or the request's unmatched ones */
    const lake__delta_written *extra_written;
    size_t extra_count;
} lake__delta_plan;

/* Checks the request's keys (each once; with on NONE, none the table holds)
 * and plans its commit. LAKE_EREMOTE for a primary key the table holds with
 * on_conflict error; LAKE_EINVAL for a key twice in the request. */
int lake__delta_plan_request(const lake__delta_request *r, lake__delta_plan *plan, lake_error *err);
/* Frees the plan; with delete_files, removes the files it wrote. */
void lake__delta_plan_free(lake__delta_plan *plan, bool delete_files);

/* A SELECT over some of a snapshot's files (indexes), or written files, as the engine reads them. */
int lake__delta_scan_files(const lake__delta_table *t, const lake__delta_snapshot *snap, const size_t *indexes,
                           size_t count, lake__buf *out, lake_error *err);
int lake__delta_scan_written(const lake__delta_table *t, const lake__delta_snapshot *snap,
                             const lake__delta_written *files, size_t count, lake__buf *out, lake_error *err);

#endif
