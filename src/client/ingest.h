/* SPDX-License-Identifier: MIT */
/* An insert request's state, shared by the request logic (insert.c) and its
 * idempotency keys (keys.c). Nothing here knows which engine runs it: the
 * driver's capabilities decide the order of statements. */
#ifndef LAKE_CLIENT_INGEST_H
#define LAKE_CLIENT_INGEST_H

#include <lakeorm/ids.h>

#include "client/client.h"
#include "client/fingerprint.h"

/* lake_ingest_ndjson's state while a text is fed (ndjson.c). */
typedef struct lake__ndjson lake__ndjson;
/* Stops its threads and frees it; NULL is ignored. */
void lake__ndjson_free(lake__ndjson *f);

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
    double seconds[LAKE_PHASE_COUNT]; /* time in each phase, recorded once per request */
    lake__session *session; /* the request's, taken when first needed */
    bool in_transaction;
    lake__direct *direct;   /* the direct path's rows under way */
    lake__format_write *files; /* with a table format: its data files under way (either path) */
    /* staged */
    char prefix[64];
    counting_sinks sinks;
    bool have_sinks;
    lake_parquet_parts *parts;
    lake__staged where; /* where the engine reads the parts */
    unsigned char *slice;
    lake__ndjson *ndjson; /* NDJSON text fed and not yet ended (ndjson.c), else NULL */
};

/* lake_ingest_append of records the caller decoded with lake_json_decode,
 * which ran the schema's checks on each (the same checks, lake__check_*):
 * the batch is not checked again. lake_ingest_ndjson and the CLI's parallel
 * ingest append the decoding pipeline's records (src/pipeline/) this way. */
int lake__ingest_append_checked(lake_ingest *in, const void *records, size_t count, lake_error *err);

/* The request's session, taken from the client's driver on first use. */
int lake__ingest_session(lake_ingest *in, lake_error *err);

/* ---- idempotency keys (keys.c) */

/* Makes sure _lakeorm_ingests exists with its fingerprint column. */
int lake__keys_ready(lake_ingest *in, lake_error *err);
/* Looks the request's key up. A record within the TTL makes the request a
 * candidate replay (in->replayed, in->original and the recorded fingerprint
 * and table) when its rows are in its table: always on a transactional
 * engine, where key and rows commit together; elsewhere a claim whose rows
 * never landed (a failed or crashed attempt) is ignored and taken over. */
int lake__keys_find(lake_ingest *in, lake_error *err);
/* Records the key for this request with its fingerprint: after the rows in
 * the same transaction, or just before the statement that writes them.
 * LAKE_ECONFLICT when a concurrent transaction holds the key. */
int lake__keys_claim(lake_ingest *in, lake_error *err);
/* A request that found its key recorded wrote nothing: it is that request's
 * replay when it carries the same records for the same table, and refused
 * (LAKE_EKEYREUSED) otherwise. */
int lake__keys_check_replay(lake_ingest *in, lake_error *err);

#endif
