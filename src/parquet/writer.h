/* SPDX-License-Identifier: MIT */
/* What lakeorm's own table formats ask of the streaming writer beyond the
 * public header: files without some top-level columns (a Delta data file
 * does not hold its partition columns), and each leaf's statistics for the
 * file as a whole (what a table log records per data file). Both come from
 * what the writer keeps anyway for the footer: no work per value. */
#ifndef LAKE_PARQUET_WRITER_H
#define LAKE_PARQUET_WRITER_H

#include <lakeorm/parquet.h>

#include <stddef.h>

#include "parquet/column.h"

/* The bytes of a lake_parquet_options of `version`: version 1 ended before
 * `threads` (so did the `file` member of a version 1 lake_parquet_parts_options). */
static inline size_t lake__parquet_options_size(unsigned version) {
    return version == 1 ? offsetof(lake_parquet_options, threads) : sizeof(lake_parquet_options);
}

/* lake_parquet_writer_open, leaving out the top-level columns whose entry
 * in omit (one per column of the schema; NULL: none) is true. */
int lake__parquet_writer_open_except(lake_parquet_writer **out, const lake_schema *schema, const bool *omit,
                                     const lake_sink *sink, const lake_parquet_options *opts, lake_error *err);

/* One leaf column of a closed file. */
typedef struct lake__leaf_summary {
    const lake__leaf *leaf; /* borrowed from the writer: valid until it is freed */
    lake__stats stats;      /* merged over the row groups, in the leaf's sort order; untruncated */
    int64_t values;         /* entries: values and NULL, empty or absent slots */
} lake__leaf_summary;

/* The file's leaves in the footer's order (the stamped _ingest_id last),
 * after lake_parquet_writer_close. LAKE_EINVAL before then, LAKE_ENOMEM.
 * Free *out with lake__leaf_summaries_free. */
int lake__parquet_writer_summaries(const lake_parquet_writer *w, lake__leaf_summary **out, size_t *count);
void lake__leaf_summaries_free(lake__leaf_summary *s, size_t count);

#endif
