/* SPDX-License-Identifier: MIT */
/* A data file's column statistics as an Iceberg manifest records them,
 * from what the Parquet writer kept for its footer: value and null counts
 * per field id, and lower and upper bounds in the single-value form,
 * strings and binary cut to 16 characters or bytes (Iceberg's default
 * metrics mode, truncate(16)) with the upper bound raised so it still
 * bounds. NaN never counts toward float bounds. */
#ifndef LAKE_FORMATS_ICEBERG_STATS_H
#define LAKE_FORMATS_ICEBERG_STATS_H

#include "formats/iceberg/metadata.h"
#include "parquet/writer.h"

enum { LAKE__ICEBERG_TRUNCATE = 16 };

/* Fills the statistics members of *out (column_count, field_ids, counts,
 * bounds) from a closed file's leaf summaries; everything in arena. */
int lake__iceberg_file_stats(const lake__leaf_summary *leaves, size_t count, lake_arena *arena,
                             lake__iceberg_data_file *out, lake_error *err);

/* The upper bound of text cut to n code points (or bytes, for binary):
 * the cut with its last character raised by one, dropping characters that
 * cannot be raised; 0 when none can (no upper bound then). Writes at most
 * 4 * n bytes into out; returns the length. */
size_t lake__iceberg_upper_text(const unsigned char *s, size_t len, size_t n, bool binary, unsigned char *out);

#endif
