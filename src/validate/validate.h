/* SPDX-License-Identifier: MIT */
/* lake_validate with the caller's thread budget: an insert checks its batch
 * on at most its client's `threads`. */
#ifndef LAKE_VALIDATE_VALIDATE_H
#define LAKE_VALIDATE_VALIDATE_H

#include <lakeorm/validate.h>

/* As lake_validate (records) or lake_validate_ptrs (ptrs), on at most
 * `threads` threads, the caller's included (0: the process's default). */
int lake__validate_on(const lake_schema *s, const void *records, const void *const *ptrs, size_t count,
                      unsigned threads, lake_error *err);

#endif
