/* SPDX-License-Identifier: MIT */
/* Text read from input, made safe to show on one line of a terminal, a log or
 * a migration file's comment. */
#ifndef LAKE_UTIL_ESCAPE_H
#define LAKE_UTIL_ESCAPE_H

#include <stddef.h>

#include "util/buf.h"

/* Appends text with every control character (lake__utf8_is_control) written
 * as \n, \r, \t or \uXXXX and every byte that is not UTF-8 as \xNN; the rest,
 * backslashes included, as is. Returns 0, or -1 when an allocation failed. */
int lake__escape_controls(lake__buf *b, const char *text, size_t len);

#endif
