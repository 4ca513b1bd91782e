/* SPDX-License-Identifier: MIT */
/* JSON output: the one place strings are escaped for JSON. */
#ifndef LAKE_JSON_WRITE_H
#define LAKE_JSON_WRITE_H

#include <stddef.h>

#include "util/buf.h"

/* Appends s as a JSON string literal. Bytes that are not valid UTF-8 are
 * written as U+FFFD so the output is always valid JSON. */
int lake__json_write_string(lake__buf *b, const char *s, size_t len);

#endif
