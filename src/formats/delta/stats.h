/* SPDX-License-Identifier: MIT */
/* A data file's statistics as Delta records them in its add action
 * (PROTOCOL.md, "Per-file Statistics"), in the form Spark writes: numRecords,
 * then minValues, maxValues and nullCount nesting as the columns' structs
 * do. Min and max come from the Parquet writer's own statistics; what those
 * cannot tell, the NULLs of a list or map column as a whole, is counted
 * here as records go by. */
#ifndef LAKE_FORMATS_DELTA_STATS_H
#define LAKE_FORMATS_DELTA_STATS_H

#include "parquet/writer.h"
#include "schema/schema.h"
#include "util/buf.h"

/* A list or map column outside any list or map (at the top, or inside
 * structs): the columns from the top-level one down to it. */
typedef struct lake__delta_nest {
    const lake__column *steps[LAKE__SCHEMA_NESTING_MAX + 1];
    size_t depth;
} lake__delta_nest;

typedef struct lake__delta_nests {
    lake__delta_nest *at;
    size_t count;
} lake__delta_nests;

/* The schema's nests, leaving out the top-level columns omit marks (may be
 * NULL). Non-zero: out of memory. Free with lake__delta_nests_free. */
int lake__delta_nests_find(const lake_schema *s, const bool *omit, lake__delta_nests *out);
void lake__delta_nests_free(lake__delta_nests *n);
/* Adds to nulls[i] the records (record_size apart) in which nest i is NULL,
 * a NULL struct above it included. */
void lake__delta_nests_count(const lake__delta_nests *n, const unsigned char *records, size_t count,
                             size_t record_size, uint64_t *nulls);

/* The stats JSON of a file: its rows, the writer's leaf summaries, and the
 * nests' NULL counts. Columns omit marks are left out (partition columns).
 * Non-zero: out of memory. */
int lake__delta_stats_json(lake__buf *out, const lake_schema *s, const bool *omit, const lake__leaf_summary *leaves,
                           size_t leaf_count, const lake__delta_nests *nests, const uint64_t *nest_nulls,
                           uint64_t rows);

/* Spark's bounds of a string column (data skipping's 32-character prefix,
 * counted in UTF-16 units as Java counts them): the minimum is cut to the
 * prefix; the maximum is cut and given a tie-breaker that keeps it above
 * every value, or is absent (false) when no short bound exists. */
void lake__delta_string_min(const char *s, size_t len, size_t *out_len);
bool lake__delta_string_max(const char *s, size_t len, lake__buf *out);

#endif
