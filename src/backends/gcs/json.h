/* SPDX-License-Identifier: MIT */
/* The few JSON answers the GCS backend reads: flat objects (tokens, key
 * files), object listings and error documents. Network input: fuzzed. */
#ifndef LAKE_BACKENDS_GCS_JSON_H
#define LAKE_BACKENDS_GCS_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <lakeorm/error.h>

/* String or number members named in want[] of one JSON object, copied into
 * out[] (free each with lake__free; NULL when absent). */
int lake__gcs_json_fields(const char *text, size_t len, const char *const *want, char **out, size_t n, lake_error *err);

/* {"items":[{"name":..,"size":".."}], "nextPageToken":..}: fn per item; the
 * token into `token` ("" when last). -1 when malformed, else fn's result or 0. */
typedef int (*lake__gcs_item_fn)(void *ctx, const char *name, uint64_t size);
int lake__gcs_parse_list(const char *text, size_t len, lake__gcs_item_fn fn, void *ctx, char *token, size_t cap);

/* {"error":{"code":..,"message":".."}}: the message into out; 0 when found. */
int lake__gcs_parse_error(const char *text, size_t len, char *out, size_t cap);

#endif
