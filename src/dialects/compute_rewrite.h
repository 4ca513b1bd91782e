/* SPDX-License-Identifier: MIT */
/* The statements the embedded engine (DuckDB) runs when a table format's
 * rows are matched by key and files rewritten (formats/delta/rewrite.c).
 * Every relation is a SELECT's text (a scan of files), read in parentheses;
 * keys are columns by name, never NULL. Builders return the buffer's
 * failure state. */
#ifndef LAKE_DIALECTS_COMPUTE_REWRITE_H
#define LAKE_DIALECTS_COMPUTE_REWRITE_H

#include "util/buf.h"

/* SELECT, as one text "v1, v2", the first key that occurs twice in `source`. */
int lake__rewrite_duplicate_key(lake__buf *out, const char *source, const char *const *keys, size_t n);
/* SELECT count(*) of source rows whose key `table` holds. */
int lake__rewrite_count_matched(lake__buf *out, const char *source, const char *table, const char *const *keys,
                                size_t n);
/* SELECT the rows of `keep` whose key `drop` does not hold, every column. */
int lake__rewrite_anti_join(lake__buf *out, const char *keep, const char *drop, const char *const *keys, size_t n);
/* SELECT, one text per row, the indexes i of relations[i] that hold a key of `source`. */
int lake__rewrite_files_matched(lake__buf *out, const char *const *relations, size_t count, const char *source,
                                const char *const *keys, size_t n);

#endif
