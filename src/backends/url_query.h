/* SPDX-License-Identifier: MIT */
/* The query of an object-store URL (s3://bucket/prefix?key=value&...): cut
 * from the URL, walked item by item into the opener's options, and the one
 * error for an item no option takes. Shared by the s3:// and gs:// openers. */
#ifndef LAKE_BACKENDS_URL_QUERY_H
#define LAKE_BACKENDS_URL_QUERY_H

#include <stdbool.h>

#include <lakeorm/error.h>

/* One key=value item for an opener's options: true when an option takes it
 * (or knowingly ignores it). `number` says whether the whole value is a
 * decimal number, then in n. value stays valid as long as the bucket copy. */
typedef bool (*lake__url_query_take)(void *opts, const char *key, const char *value, unsigned long long n,
                                     bool number);

/* Walks the query of rest ("bucket/prefix?query"), handing every item to
 * take. *bucket is a copy of rest cut at the '?' (what the backend opens),
 * which the values point into: free it with lake__free whatever the outcome
 * (NULL when out of memory). Errors, `scheme` ("s3") first: an item without
 * '=' (not echoed: it may be a pasted secret), or one take refuses: a key of
 * the `known` list ("a, b, c") with its bad value shown (these are not
 * secrets), a credential refused with where credentials go, any other key
 * named with the list, its value never echoed. All LAKE_EINVAL. */
int lake__url_query_each(const char *rest, const char *scheme, const char *known, lake__url_query_take take,
                         void *opts, char **bucket, lake_error *err);

#endif
