/* SPDX-License-Identifier: MIT */
/* The query of an object-store URL: see url_query.h. */
#include "backends/url_query.h"

#include <stdlib.h>
#include <string.h>

#include "error/error.h"
#include "util/alloc.h"
#include "util/redact.h"

static int bad_item(const char *scheme, const char *key, const char *value, const char *known, lake_error *err) {
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

int lake__url_query_each(const char *rest, const char *scheme, const char *known, lake__url_query_take take,
                         void *opts, char **bucket, lake_error *err) {
    char *copy = lake__strndup(rest, strlen(rest));
    *bucket = copy;
    if (!copy) return lake__error(err, LAKE_ENOMEM, "out of memory");
    char *query = strchr(copy, '?');
    if (query) *query++ = 0;
    for (char *pair = query; pair && *pair;) {
        char *next = strchr(pair, '&');
        if (next) *next++ = 0;
        char *v = strchr(pair, '=');
        /* Not echoed: an item without '=' may be a pasted secret. */
        if (!v)
            return lake__error(err, LAKE_EINVAL, "%s URL: an item of the query has no value (the query holds key=value "
                                                 "pairs)", scheme);
        *v++ = 0;
        char *end;
        unsigned long long n = strtoull(v, &end, 10);
        if (!take(opts, pair, v, n, *v && !*end)) return bad_item(scheme, pair, v, known, err);
        pair = next;
    }
    return LAKE_OK;
}
