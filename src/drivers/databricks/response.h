/* SPDX-License-Identifier: MIT */
/* What the Statement Execution API answers, read into one struct: a
 * statement's status, its manifest, a result chunk (inline rows or external
 * links), an error document, or an OAuth token. Network input: fuzzed
 * (tests/fuzz/databricks_response_fuzzer.c). */
#ifndef LAKE_DRIVERS_DATABRICKS_RESPONSE_H
#define LAKE_DRIVERS_DATABRICKS_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lakeorm/error.h>
#include <lakeorm/json.h>

typedef enum lake__dbx_state {
    LAKE__DBX_UNKNOWN = 0, LAKE__DBX_PENDING, LAKE__DBX_RUNNING, LAKE__DBX_SUCCEEDED,
    LAKE__DBX_FAILED, LAKE__DBX_CANCELED, LAKE__DBX_CLOSED,
} lake__dbx_state;

typedef struct lake__dbx_link {
    const char *url;
    int64_t chunk_index, row_count, next_chunk_index; /* next: -1 when last */
    const char **headers; /* "Name: value" lines to send with it */
    size_t header_count;
} lake__dbx_link;

/* Strings live in the arena given to the parser. Integers absent: -1. */
typedef struct lake__dbx_response {
    const char *statement_id;
    lake__dbx_state state;
    const char *error_code, *message, *sql_state; /* a failed statement, or an error document */
    /* The Spark error class a failed statement's message starts with
     * ("[TABLE_OR_VIEW_NOT_FOUND] The table ..."): Databricks SQL reports a
     * statement's error class only so (its documented error-message format). */
    const char *error_class;
    int64_t total_chunk_count, total_row_count;
    bool truncated;
    const char **columns; /* the manifest's column names, in order */
    size_t column_count;
    /* the result chunk carried (the statement's first, or the one asked for) */
    int64_t chunk_index, row_count, next_chunk_index;
    lake__dbx_link *links;
    size_t link_count;
    bool has_first_value;     /* inline rows: data_array[0][0] */
    const char *first_value;  /* NULL: SQL NULL */
    /* an OAuth token answer */
    const char *access_token;
    int64_t expires_in;
} lake__dbx_response;

/* Parses any of the answers above. Members other APIs may add are skipped;
 * LAKE_EREMOTE when the text is not JSON. Chunk answers carry the result
 * object at the top: as_chunk reads them into the same fields. */
int lake__dbx_response_parse(const char *text, size_t len, bool as_chunk, lake_arena *arena, lake__dbx_response *out,
                             lake_error *err);

const char *lake__dbx_state_name(lake__dbx_state s);

#endif
