/* SPDX-License-Identifier: MIT */
/* The query of an object-store URL (s3://bucket/prefix?key=value&...): cut
 * from the URL, walked pair by pair, and the one error for an item no option
 * takes. Shared by the s3:// and gs:// openers. */
#ifndef LAKE_BACKENDS_URL_QUERY_H
#define LAKE_BACKENDS_URL_QUERY_H

#include <stdbool.h>

#include <lakeorm/error.h>

/* A copy of "bucket/prefix?query" cut at the '?': *query points into it, or
 * is NULL. Free the copy with lake__free; NULL when out of memory. */
char *lake__url_query_split(const char *rest, char **query);

/* The next key=value of a query (*cursor advances, the pair is cut in place):
 * 1, 0 at the end, or an error (an item without '=', not echoed: it may be a
 * pasted secret). *number says whether the whole value is a decimal number,
 * then in *n. `scheme` ("s3") prefixes messages. */
int lake__url_query_next(char **cursor, char **key, char **value, unsigned long long *n, bool *number,
                         const char *scheme, lake_error *err);

/* The error for an item no option takes: a known key's bad value is shown
 * (these are not secrets); a credential is refused with where credentials go;
 * any other key is named with the `known` list ("a, b, c"), its value never
 * echoed. Returns LAKE_EINVAL. */
int lake__url_query_bad_item(const char *scheme, const char *key, const char *value, const char *known,
                             lake_error *err);

#endif
