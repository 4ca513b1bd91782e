/* SPDX-License-Identifier: MIT */
/* ingest's and validate's --threads above 1: what they read goes through the
 * library's decoding pipeline (src/pipeline/pipeline.h), records in and out
 * as input_record, NDJSON as text its threads split. */
#ifndef LAKE_CLI_PARALLEL_H
#define LAKE_CLI_PARALLEL_H

#include "input.h"
#include "pipeline/pipeline.h"

typedef struct parallel {
    lake__pipeline *pipe;
    input_fn judge; /* a record rejected as read (a malformed CSV record), judged in its place */
    void *ctx;      /* judge's */
} parallel;

/* Reads one file (input_read_to) into the pipeline, its first line line 1,
 * and hands every record out before returning: CLI_OK; what input_read_to,
 * judge or the pipeline's function returned; LAKE_ENOMEM when the pipeline
 * could not have memory (the caller says so); CLI_FAILED once a signal was
 * caught (interrupt.h: the caller says why). */
int parallel_read(parallel *pl, const char *command, const char *file, input_format format, const lake_schema *schema);

/* Record i of a chunk as read; its good is the NDJSON line as read, or NULL
 * for a CSV record or Parquet row (whose good is its json and a "\n"). */
void parallel_record(const lake__chunk *c, size_t i, input_record *out);

#endif
