/* SPDX-License-Identifier: MIT */
/* ingest's parallel decoding: records copied, as read, into chunks of
 * consecutive input; each chunk decoded and checked whole by one of N
 * threads; chunks handed back to the caller's thread in input order. At most
 * a window of chunks is alive at once, so memory is bounded by the chunks in
 * flight whatever the input size. */
#ifndef LAKE_CLI_PIPELINE_H
#define LAKE_CLI_PIPELINE_H

#include <stddef.h>

#include <lakeorm.h>

#include "input.h"

typedef struct pipeline pipeline;
/* One chunk as decoded: borrowed for the length of the pipeline_fn call. */
typedef struct pipeline_chunk pipeline_chunk;

/* Called on the thread that adds records, with each decoded chunk in input
 * order; a non-zero return is handed back by the pipeline_add or
 * pipeline_flush that made the call, and no further chunk is handed out. */
typedef int (*pipeline_fn)(void *ctx, pipeline_chunk *chunk);

/* What pipeline_open, pipeline_add, pipeline_add_text and pipeline_flush
 * return when memory or a thread could not be had (distinct from every exit
 * status). */
enum { PIPELINE_NOMEM = -1 };

/* Starts `threads` decoding threads (at most PIPELINE_THREADS_MAX: each
 * brings two chunks of memory, and more than a large machine's cores only
 * wait) for records of schema (which outlives the pipeline). 0, or
 * PIPELINE_NOMEM. Free with pipeline_free. */
enum { PIPELINE_THREADS_MAX = 64 };
int pipeline_open(pipeline **out, const lake_schema *schema, unsigned threads, pipeline_fn fn, void *ctx);
/* Copies the record (its texts, line, file name pointer and share read; not
 * its issues: a record with issues is the caller's to judge after
 * pipeline_flush) into the chunk being filled. A full chunk goes to the
 * threads, and every chunk decoded by then is handed to fn. */
int pipeline_add(pipeline *p, const input_record *record);
/* Copies NDJSON text that ends at a line end (or at the end of the file)
 * into the chunk being filled: a thread finds its lines and numbers them
 * as the file does (records as next_record_line reads them; each record's
 * share read is `done`). A chunk holds text of one file: call
 * pipeline_file_start before each file's first text. */
int pipeline_add_text(pipeline *p, const char *file, const char *text, size_t len, double done);
/* The text added next starts a file (its first line is line 1). */
int pipeline_file_start(pipeline *p);
/* Sends the chunk being filled and hands every chunk to fn: when it returns
 * 0, every record added so far has been handed out. */
int pipeline_flush(pipeline *p);
/* Stops the threads (a chunk being decoded is finished first) and frees
 * everything, chunks not handed out included. NULL is ignored. */
void pipeline_free(pipeline *p);

size_t pipeline_chunk_count(const pipeline_chunk *c);
/* Record i as it was added (texts pointing into the chunk; issues NULL). */
void pipeline_chunk_record(const pipeline_chunk *c, size_t i, input_record *out);
/* Record i's verdict: LAKE_OK with *good its place among the chunk's good
 * records; LAKE_EVALIDATION with its issues in (*err)->issues; or another
 * status (LAKE_ENOMEM ...) with (*err)->message. */
int pipeline_chunk_outcome(const pipeline_chunk *c, size_t i, size_t *good, const lake_error **err);
/* The chunk's good records, decoded, contiguous and in input order; their
 * strings live as long as the chunk. */
const void *pipeline_chunk_good(const pipeline_chunk *c, size_t *count);

#endif
