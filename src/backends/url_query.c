/* SPDX-License-Identifier: MIT */
/* The query of an object-store URL: see url_query.h. */
#include "backends/url_query.h"

#include <stdlib.h>
#include <string.h>

#include "error/error.h"
#include "util/alloc.h"
#include "util/redact.h"

char *lake__url_query_split(const char *rest, char **query) {
    char *copy = lake__strndup(rest, strlen(rest));
    *query = copy ? strchr(copy, '?') : NULL;
    if (*query) *(*query)++ = 0;
    return copy;
}

int lake__url_query_next(char **cursor, char **key, char **value, unsigned long long *n, bool *number,
                         const char *scheme, lake_error *err) {
    char *pair = *cursor;
    if (!pair || !*pair) return 0;
    char *next = strchr(pair, '&');
    if (next) *next++ = 0;
    *cursor = next;
    char *v = strchr(pair, '=');
    /* Not echoed: an item without '=' may be a pasted secret. */
    if (!v)
        return lake__error(err, LAKE_EINVAL, "%s URL: an item of the query has no value (the query holds key=value pairs)",
                           scheme);
    *v++ = 0;
    char *end;
    *n = strtoull(v, &end, 10);
    *number = *v && !*end;
    *key = pair;
    *value = v;
    return 1;
}

/* The error for a query item no option takes: a known key's bad value is
 * shown (these are not secrets); a credential is refused with where
 * credentials go; any other key is named, its value never echoed. */
int lake__url_query_bad_item(const char *scheme, const char *key, const char *value, const char *known,
                             lake_error *err) {
    size_t n = strlen(key);
    for (const char *k = known; (k = strstr(k, key)); k += n)
        if ((k == known || k[-1] == ' ') && (k[n] == ',' || !k[n]))
            return lake__error(err, LAKE_EINVAL, "%s URL: %s=%.100s is not a value lakeorm accepts for %s", scheme, key,
                               value, key);
    if (lake__redact_secret_key(key, n))
        return lake__error(err, LAKE_EINVAL, "%s URL: \"%.100s\" is a credential, and a URL is no place for one: "
                                             "credentials go in the environment or the shared credentials file "
                                             "(see docs/backends.md)", scheme, key);
    return lake__error(err, LAKE_EINVAL, "%s URL: \"%.100s\" is not an option lakeorm knows (%s)", scheme, key, known);
}
