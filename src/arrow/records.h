/* SPDX-License-Identifier: MIT */
/* Records decoded from one Arrow stream or batch, held so a cursor can hand
 * them out one at a time: the buffer the Spark and Databricks readers fill
 * through lake__arrow_read and drain with lake__arrow_records_next. */
#ifndef LAKE_ARROW_RECORDS_H
#define LAKE_ARROW_RECORDS_H

#include <stddef.h>

#include <lakeorm/error.h>
#include <lakeorm/json.h>
#include <lakeorm/schema.h>

typedef struct lake__arrow_records {
    unsigned char *data;
    size_t size;      /* one record's bytes */
    size_t count, cap, at;
    lake_error *err;  /* where an allocation failure is reported while filling */
    lake_schema *shape; /* a read of any shape: the result's own schema, from its first stream */
} lake__arrow_records;

/* An empty buffer of records of `size` bytes (0 is taken as 1). */
void lake__arrow_records_init(lake__arrow_records *r, size_t size);
/* A lake__arrow_row_fn: appends a copy of the record (ctx: the buffer). */
int lake__arrow_records_add(void *ctx, const void *record);
/* Forgets what the buffer holds, keeping its memory for the next batch. */
void lake__arrow_records_clear(lake__arrow_records *r);
/* The next record not yet handed out, or NULL. */
const void *lake__arrow_records_next(lake__arrow_records *r);
void lake__arrow_records_dispose(lake__arrow_records *r);

/* Decodes one Arrow stream after what the buffer holds: records of `s`, or
 * with s NULL of the result's own schema, built from the first stream and
 * kept in r->shape (later streams bind to it by position; dispose frees it). */
int lake__arrow_records_fill(lake__arrow_records *r, const void *data, size_t len, const lake_schema *s,
                             lake_arena *arena, lake_error *err);
/* The schema the records are of: `s` as given to fill, else the shape (NULL
 * before the first stream). */
static inline const lake_schema *lake__arrow_records_schema(const lake__arrow_records *r, const lake_schema *s) {
    return s ? s : r->shape;
}

#endif
