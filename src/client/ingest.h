/* SPDX-License-Identifier: MIT */
/* An insert request's state, shared by the request logic (insert.c) and the
 * remote engines' paths (remote_ingest.c: Spark Connect and Databricks SQL);
 * DuckDB's live in insert.c. */
#ifndef LAKE_CLIENT_INGEST_H
#define LAKE_CLIENT_INGEST_H

#include <lakeorm/ids.h>

#include "client/client.h"
#include "client/fingerprint.h"
#include "util/buf.h"

typedef struct counting_sinks {
    lake_part_sinks inner;
    uint64_t bytes;
} counting_sinks;

struct lake_ingest {
    lake_client *c;
    const lake_schema *schema;
    lake_insert_options o;
    bool merge;    /* the model has merge keys: upsert on them */
    bool staged;   /* else direct */
    bool via_temp; /* direct, merging or with a conflict strategy: rows go to a temporary table first */
    bool replayed; /* the key was used: appends are validated and fingerprinted, not written */
    bool broken;   /* a write failed: only abort remains */
    char id[LAKE_UUID_TEXT_LEN + 1];
    /* An idempotency key's record, when one was found: the first request's
     * ingest id, its fingerprint ("" when an older version recorded none) and
     * table. A replay is a request with the same fingerprint; another is refused. */
    char original[64];
    char recorded_print[LAKE__FINGERPRINT_HEX + 1];
    char recorded_table[256];
    lake__fingerprint print; /* of this request, while it runs (keyed requests only) */
    char fingerprint[LAKE__FINGERPRINT_HEX + 1]; /* its hex digest, from commit on */
    uint64_t rows;
    uint64_t matched; /* rows whose key the table held already (conflict strategies and merges) */
    uint64_t inserted; /* what the engine reported inserting, when it does */
    double seconds[LAKE_PHASE_COUNT]; /* time in each phase, recorded once per request */
    /* direct */
    lake__duckdb con;
    bool in_transaction;
    lake__duckdb_appender *appender;
    char temp[64];
    /* staged */
    char prefix[64];
    char glob[4300];
    char fetched[4200]; /* remote staging: the local copies the engine reads */
    counting_sinks sinks;
    bool have_sinks;
    lake_parquet_parts *parts;
    unsigned char *slice;
    /* Spark Connect */
    lake__spark_session session;
    bool have_session;
    lake__buf arrow;  /* the direct path's Arrow stream under way */
    unsigned views;   /* temporary views registered: <temp>_0, <temp>_1, ... */
    uint64_t view_rows; /* rows in the stream under way, not yet in a view */
    /* Databricks SQL: the direct path's rows as one VALUES list of parameters */
    lake__buf values;
    lake__dbx_param *named; /* bound with every statement that reads the request's rows */
    size_t named_count, named_cap;
    lake_arena *named_text; /* their names and values */
    uint64_t request_bytes; /* what the statement's body will weigh */
};


enum { LAKE__GATHER = 1024 }; /* records gathered from pointers into one contiguous slice */

/* Calls fn over the records: directly when contiguous, else over copies of
 * the pointed-to records gathered LAKE__GATHER at a time. */
typedef int (*lake__contiguous_fn)(lake_ingest *in, const void *records, size_t count, lake_error *err);
int lake__ingest_contiguous(lake_ingest *in, const void *records, const void *const *ptrs, size_t count,
                            lake__contiguous_fn fn, lake_error *err);

/* A request's paths on the engines that speak Spark SQL from afar, Spark
 * Connect and Databricks SQL (remote_ingest.c); their direct paths differ
 * (Arrow views, VALUES parameters), the rest is shared. */
int lake__remote_ingest_open_direct(lake_ingest *in, lake_error *err);
int lake__remote_ingest_add(lake_ingest *in, const void *records, const void *const *ptrs, size_t count, lake_error *err);
int lake__remote_ingest_commit_direct(lake_ingest *in, lake_error *err);
int lake__remote_ingest_commit_staged(lake_ingest *in, lake_error *err);
/* An idempotency key on Spark, where a request cannot hold a transaction:
 * find_key (at begin) looks the key up; a record whose rows are in its table
 * makes this request a candidate replay (in->replayed, in->original and the
 * recorded fingerprint and table), one whose rows never landed is ignored and
 * taken over at commit. The key is claimed at commit, with the request's
 * fingerprint, just before the statement that writes its rows. */
int lake__remote_ingest_find_key(lake_ingest *in, lake_error *err);

/* The parts of a key's record, read as one text "<ingest id> <fingerprint or
 * -> <table>" (the drivers read one cell), into in->original,
 * in->recorded_print and in->recorded_table. */
#define LAKE__KEY_RECORD_SELECT "concat_ws(' ', ingest_id, coalesce(fingerprint, '-'), table_name) AS lake_key"
void lake__ingest_key_record(lake_ingest *in, const char *text);
/* Drops the request's views and returns its session; safe to call twice. */
void lake__remote_ingest_release(lake_ingest *in);

/* The direct path on Databricks SQL (databricks_values.c): rows become one
 * VALUES list of typed named parameters, read by the same INSERT or MERGE. */
int lake__dbx_ingest_open_direct(lake_ingest *in, lake_error *err);
int lake__dbx_ingest_add(lake_ingest *in, const void *records, const void *const *ptrs, size_t count, lake_error *err);
/* The FROM-clause source over the VALUES list, into *out. */
int lake__dbx_ingest_source(lake_ingest *in, lake__buf *out, lake_error *err);
void lake__dbx_ingest_release(lake_ingest *in);

#endif
