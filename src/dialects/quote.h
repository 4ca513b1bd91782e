/* SPDX-License-Identifier: MIT */
/* Identifier quoting, the one way a name reaches SQL text: each dialect
 * quotes with its own character ("" for DuckDB, `` for Spark SQL), doubling
 * it inside the name. */
#ifndef LAKE_DIALECTS_QUOTE_H
#define LAKE_DIALECTS_QUOTE_H

#include <stddef.h>

#include "util/buf.h"

/* Appends the first n bytes of name quoted with q. */
int lake__quote_n(lake__buf *b, const char *name, size_t n, char q);
/* Appends name quoted with q. */
int lake__quote(lake__buf *b, const char *name, char q);
/* Appends a dotted name with each part quoted: `catalog`.`schema`.`table`. */
int lake__quote_dotted(lake__buf *b, const char *name, char q);

#endif
