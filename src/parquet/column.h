/* SPDX-License-Identifier: MIT */
/* One leaf column's chunk within the current row group: values are encoded
 * into pages as they arrive; the pages wait (compressed) until the row group
 * is written out. */
#ifndef LAKE_PARQUET_COLUMN_H
#define LAKE_PARQUET_COLUMN_H

#include "parquet/codec.h"
#include "parquet/dictionary.h"
#include "parquet/layout.h"
#include "values/values.h"

/* Min, max and nulls in the leaf's sort order (parquet.thrift ColumnOrder). */
typedef struct lake__stats {
    bool any;            /* a value counted toward min/max */
    int64_t imin, imax;  /* BOOLEAN, INT32, INT64 */
    double fmin, fmax;   /* FLOAT, DOUBLE (NaN never counts) */
    lake__buf bmin, bmax; /* BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY */
    uint64_t nulls;
} lake__stats;

/* What the footer records of a finished column chunk. */
typedef struct lake__chunk_meta {
    int64_t data_page_offset, dictionary_page_offset; /* -1: none */
    int64_t num_values, uncompressed, compressed;
    bool plain, dictionary;  /* encodings used by data pages */
    lake__stats stats;
} lake__chunk_meta;

/* A data page encoded but not yet compressed (lake__column_writer.deferred). */
typedef struct lake__staged_page {
    int encoding;
    size_t values, len; /* entries; bytes in the stage's raw */
    lake__stats stats;
} lake__staged_page;

typedef struct lake__stage {
    lake__buf raw; /* the pages' bytes, one after another */
    lake__staged_page *pages;
    size_t count, cap;
} lake__stage;

typedef struct lake__column_writer {
    const lake__leaf *leaf;
    size_t page_bytes, dictionary_bytes;
    unsigned def_bits, rep_bits; /* of the leaf's maximum levels; 0: none written */
    /* the current page: per entry a repetition and a definition level */
    uint32_t *defs, *reps, *indices;
    size_t nlevels, nindices, defs_cap, reps_cap, indices_cap;
    lake__buf plain;
    size_t bool_bits;
    size_t page_values;
    lake__stats page_stats;
    /* the chunk */
    bool dict_mode;
    bool probed; /* the dictionary's worth was checked for this chunk */
    bool plain_due; /* the chunk goes PLAIN from the next record on */
    uint32_t *seen; /* per dictionary entry: the last page whose statistics include it */
    size_t seen_cap;
    uint32_t page_no;
    lake__dict dict;
    lake__buf pages, dict_page; /* the chunk's encoded data pages; its dictionary page once sealed */
    /* Deferred: full pages wait, uncompressed, in stages[filling]; between
     * rounds of encoding the caller flips `filling`, and the pages of the other
     * stage are compressed (lake__column_compress_staged) on whichever helper
     * is free, beside the encoding of the next round and across its end. A
     * page's compression is the largest single piece of work (a few
     * milliseconds for 1 MiB, as long as a whole round of 8,192 records):
     * tied to its round, it left the other threads waiting for it. */
    bool deferred;
    unsigned filling;
    lake__stage stages[2];
    size_t staged_bytes; /* of the chunk's pages so far, uncompressed: counted by the encoder alone */
    lake__chunk_meta meta;
} lake__column_writer;

/* Scratch space shared by all columns of a writer. */
typedef struct lake__page_scratch {
    lake__buf raw, compressed, header, joined;
    lake__codec codec;
    char text[LAKE__VALUE_TEXT_MAX]; /* a value rendered as text (uuid, ksuid) */
} lake__page_scratch;

int lake__column_init(lake__column_writer *c, const lake__leaf *leaf, size_t page_bytes, size_t dictionary_bytes);
void lake__column_dispose(lake__column_writer *c);

/* Appends `count` copies of one text value (the _ingest_id stamp). */
int lake__column_append_constant(lake__column_writer *c, lake__page_scratch *s, const char *text, size_t count);

/* Compresses, onto the chunk, the pages of the stage not being filled; may run
 * beside the encoding of the same column on another thread. */
int lake__column_compress_staged(lake__column_writer *c, lake__page_scratch *s);

/* Whether the stage being filled holds pages, and the other none: then the
 * caller may flip them between rounds. */
static inline bool lake__column_stage_ready(const lake__column_writer *c) {
    return c->stages[c->filling].count && !c->stages[!c->filling].count;
}

/* Bytes of the page being filled (values, levels), roughly as encoded. */
static inline size_t lake__column_page_size(const lake__column_writer *c) {
    size_t v = c->dict_mode ? c->nindices * 4 : c->plain.len;
    return v + c->nlevels * (c->def_bits + c->rep_bits) / 8;
}

/* Whether the page must end before the next record: it is full, or the chunk
 * switches to PLAIN. A page ends only between records, so a record's entries
 * never span pages, which readers of v1 pages assume. */
static inline bool lake__column_page_due(const lake__column_writer *c) {
    return c->plain_due || lake__column_page_size(c) >= c->page_bytes;
}
/* Ends the page; the chunk goes PLAIN from here when that is due. */
int lake__column_end_page(lake__column_writer *c, lake__page_scratch *s);

/* One entry: a value (its PLAIN bytes; BYTE_ARRAY: the content) defined at the
 * leaf's maximum level, or a NULL, empty or absent slot defined up to `def`. */
int lake__column_put_value(lake__column_writer *c, const void *v, size_t n, uint32_t rep);
int lake__column_put_null(lake__column_writer *c, uint32_t rep, uint32_t def);

/* Uncompressed bytes buffered for the row group so far (for its size target). */
size_t lake__column_buffered(const lake__column_writer *c);

/* Closes the chunk: flushes the last page and, when data pages use the
 * dictionary, builds the dictionary page. The chunk's bytes are then
 * c->dict_page followed by c->pages, and c->meta is complete but for its
 * offsets. Touches only c and s, so columns seal on several threads at once. */
int lake__column_seal(lake__column_writer *c, lake__page_scratch *s);

/* Moves a sealed chunk's metadata out, its offsets counted from `at` (where
 * c->dict_page lands in the file), and readies the writer for the next row
 * group. The caller empties c->dict_page and c->pages, once emitted, itself. */
void lake__column_take_meta(lake__column_writer *c, int64_t at, lake__chunk_meta *out);

void lake__stats_dispose(lake__stats *st);
/* Adds `from` (of the same leaf) into `into`: nulls summed, min and max widened. */
void lake__stats_merge(const lake__leaf *l, lake__stats *into, const lake__stats *from);

/* Writes a Statistics struct as field `id` of the current Thrift struct. */
struct lake__thrift;
void lake__write_statistics(struct lake__thrift *t, int16_t id, const lake__leaf *l, const lake__stats *st);

#endif
