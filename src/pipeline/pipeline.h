/* SPDX-License-Identifier: MIT */
/* Parallel decoding: records, or NDJSON text, copied as they come into
 * chunks of consecutive input; each chunk decoded and checked whole
 * (lake_json_decode) by one of N threads; chunks handed back, in input
 * order, on the thread that feeds them. At most a window of chunks is alive
 * at once, so memory is bounded by the chunks in flight whatever the input
 * size. lake_ingest_ndjson (src/client/ndjson.c) and the CLI's ingest and
 * validate are built on it. */
#ifndef LAKE_PIPELINE_PIPELINE_H
#define LAKE_PIPELINE_PIPELINE_H

#include <stddef.h>

#include <lakeorm/error.h>
#include <lakeorm/schema.h>

typedef struct lake__pipeline lake__pipeline;
/* One chunk as decoded: borrowed for the length of the lake__chunk_fn call. */
typedef struct lake__chunk lake__chunk;

/* One record: as added, or as found in text. */
typedef struct lake__piped {
    const char *file; /* the feeder's name for its source, handed back as given: it must outlive the hand-out */
    size_t line;      /* added: as given; found in text: its physical line, counted from the text's start */
    const char *json; /* what the decoder reads (len bytes) */
    size_t len;
    const char *raw;  /* the record as read, its line end included (raw_len bytes); found in text: raw == json */
    size_t raw_len;
    double done;      /* the feeder's mark of progress, handed back as given */
} lake__piped;

/* Called on the feeding thread with each decoded chunk, in input order; a
 * non-zero return is handed back by the add, add_text, text_start or flush
 * that made the call, and by every later one: no further chunk is handed out. */
typedef int (*lake__chunk_fn)(void *ctx, lake__chunk *chunk);

/* Each thread brings two chunks of memory, and more than a large machine's cores only wait. */
enum { LAKE__PIPELINE_THREADS_MAX = 64 };

/* A text chunk holds at most this many lines (see lake__pipeline_add_text). */
enum { LAKE__PIPELINE_CHUNK_LINES = 16384 };

/* A pipeline for records of schema (which outlives it) decoded on `threads`
 * threads (at most LAKE__PIPELINE_THREADS_MAX), or, with 0, on the feeding
 * thread as each chunk fills (one thread's work, chunk by chunk). LAKE_OK or
 * LAKE_ENOMEM (memory or a thread could not be had). Free with
 * lake__pipeline_free. */
int lake__pipeline_open(lake__pipeline **out, const lake_schema *schema, unsigned threads, lake__chunk_fn fn,
                        void *ctx);

/* Copies the record (its texts, line, file pointer and done) into the chunk
 * being filled. A full chunk goes to the threads, and every chunk decoded by
 * then is handed to fn. LAKE_OK, LAKE_ENOMEM, or fn's status. */
int lake__pipeline_add(lake__pipeline *p, const lake__piped *record);

/* Copies NDJSON text into the chunk being filled; it may end anywhere, a
 * line cut between two calls included. A thread finds a chunk's lines and
 * numbers them as they stand in the text: blank lines (spaces and tabs
 * only) counted and skipped; a record's text without its line end (LF or
 * CRLF), which raw keeps. A chunk is sent at its last line end once it
 * holds about 1 MiB, the rest carried into the next, or at its
 * LAKE__PIPELINE_CHUNK_LINES-th line end, so that short or blank lines do
 * not make a chunk's decoded records outgrow its text; text_start and flush
 * send an unfinished last line as it is, the text's end. A chunk holds
 * text of one source: call lake__pipeline_text_start before each one. */
int lake__pipeline_add_text(lake__pipeline *p, const char *file, const char *text, size_t len, double done);

/* A chunk is sent at `bytes` instead of about 1 MiB: for the tests and the
 * fuzzer, whose small inputs then cross chunk bounds. */
void lake__pipeline_chunk_bytes(lake__pipeline *p, size_t bytes);

/* The text added next starts a source: its first line is line 1. */
int lake__pipeline_text_start(lake__pipeline *p);

/* Sends the chunk being filled and hands every chunk to fn: when it returns
 * LAKE_OK, every record added so far has been handed out. */
int lake__pipeline_flush(lake__pipeline *p);

/* Stops the threads (a chunk being decoded is finished first) and frees
 * everything, chunks not handed out included. NULL is ignored. */
void lake__pipeline_free(lake__pipeline *p);

size_t lake__chunk_count(const lake__chunk *c);
/* Record i as it was added or found (texts pointing into the chunk). */
void lake__chunk_record(const lake__chunk *c, size_t i, lake__piped *out);
/* Record i's verdict: LAKE_OK with *good its place among the chunk's good
 * records; LAKE_EVALIDATION with its issues in (*err)->issues, their record
 * the record's line; or another status (LAKE_ENOMEM: an allocation failed
 * while decoding it) with (*err)->message. */
int lake__chunk_outcome(const lake__chunk *c, size_t i, size_t *good, const lake_error **err);
/* The chunk's good records, decoded, contiguous and in input order; their
 * strings live as long as the chunk. */
const void *lake__chunk_good(const lake__chunk *c, size_t *count);

#endif
