/* SPDX-License-Identifier: MIT */
/* The value a JSON pointer (RFC 6901) names in a JSON text, as written:
 * how a rejection report quotes the value an issue's path points at. */
#ifndef LAKE_CLI_JSON_POINTER_H
#define LAKE_CLI_JSON_POINTER_H

#include <stdbool.h>
#include <stddef.h>

#include <lakeorm.h>

/* The bytes of json[0..len) that hold the value at pointer ("/a/0/b"; ""
 * is the whole text) as (*at, *at_len), pointing into json; false when the
 * text has no such value or is not JSON up to it. Keys with escapes are
 * decoded into arena to be compared. */
bool json_pointer_find(const char *json, size_t len, const char *pointer, lake_arena *arena, const char **at,
                       size_t *at_len);

#endif
