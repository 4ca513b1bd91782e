/* SPDX-License-Identifier: MIT */
/* ${NAME} and ${NAME:-default} in a configuration file's strings. */
#ifndef LAKE_CONFIG_INTERPOLATE_H
#define LAKE_CONFIG_INTERPOLATE_H

#include <stddef.h>

#include <lakeorm/json.h>

/* Expands text[len] into arena: ${NAME} is the variable's value (an unset
 * one is an error), ${NAME:-default} the value or, when unset or empty,
 * default (any text without "}"), $$ a literal $. NAME is a letter or _
 * then letters, digits and _. LAKE_OK with *out (NUL-terminated); LAKE_EINVAL
 * for a malformed reference or a NUL byte; LAKE_ENOTFOUND for an unset
 * variable without a default; LAKE_ENOMEM. why[size] gets the reason,
 * naming the variable, for the caller to prefix with file, line and key. */
int lake__interpolate(lake_arena *arena, const char *text, size_t len, const char **out, char *why, size_t size);

#endif
