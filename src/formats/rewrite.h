/* SPDX-License-Identifier: MIT */
/* Copy-on-write, for every table format (rewrite.c): an insert that matches
 * rows by key has its rows in data files already; the engine reads them
 * and the table's candidate files to find which files hold a request key,
 * and the plan is to remove those files and write their other rows anew
 * (merge keys, on_conflict update), or to write anew only the request's
 * rows whose key the table lacks (on_conflict ignore). The format says how
 * its files are read and written; this decides. */
#ifndef LAKE_FORMATS_REWRITE_H
#define LAKE_FORMATS_REWRITE_H

#include "formats/format.h"

/* Runs a query through the engine: its first cell as text into `text`
 * ("" when it has no row), or each row as a record of `schema` to fn. The
 * records' strings live in `arena` until its owner resets it, or (arena
 * NULL) until the engine's next chunk of rows. */
typedef int (*lake__engine_row_fn)(void *ctx, const void *record, lake_error *err);
int lake__engine_run(const lake__engine *e, const lake__buf *sql, char *text, size_t cap, const lake_schema *schema,
                     lake__engine_row_fn fn, void *ctx, lake_arena *arena, lake_error *err);

typedef struct lake__rewrite_request {
    const lake__engine *engine;
    const char *table;           /* its name, for messages */
    const lake_schema *extended; /* the model and its _ingest_id member (schema/extend.c) */
    const char *const *keys;     /* merge keys or the primary key; none: a blind append (no plan) */
    size_t key_count;
    lake__match_on on;
    lake_on_conflict on_conflict;
    size_t file_count;           /* the table's live data files, numbered from 0 */
    /* A SELECT over some of the table's files (indexes), or over the
     * request's own files (indexes NULL), as the engine reads them. */
    int (*scan)(void *ctx, const size_t *indexes, size_t count, lake__buf *out, lake_error *err);
    /* Whether a file's statistics leave it able to hold a request key; NULL: every file may. */
    bool (*may_hold)(void *ctx, size_t file);
    /* Takes rows written anew, in batches: records of `extended`, each with its own _ingest_id. */
    int (*write)(void *ctx, const void *records, size_t count, lake_error *err);
    void *ctx;
} lake__rewrite_request;

typedef struct lake__rewrite_plan {
    uint64_t matched;     /* request rows whose key the table holds */
    bool replace_request; /* the request's files are not committed: the rows written anew hold its rows that land */
    size_t *removed;      /* the table files the commit removes */
    size_t removed_count;
    size_t *read;         /* the files the decision read (a concurrent commit removing one conflicts) */
    size_t read_count;
} lake__rewrite_plan;

/* The columns a request's rows match on: merge keys (on MERGE_KEYS), else
 * the primary key; into keys (at most cap). LAKE_EINVAL past cap. */
int lake__rewrite_keys(const lake_schema *s, lake__match_on on, const char **keys, size_t cap, size_t *count,
                       lake_error *err);

/* Checks the request's keys (each once; with on NONE, none the table holds)
 * and plans its commit. LAKE_EREMOTE for a primary key the table holds with
 * on_conflict error; LAKE_EINVAL for a key twice in the request. */
int lake__rewrite_plan_make(const lake__rewrite_request *r, lake__rewrite_plan *plan, lake_error *err);
void lake__rewrite_plan_free(lake__rewrite_plan *plan);

#endif
