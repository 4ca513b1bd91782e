/* SPDX-License-Identifier: MIT */
/* s3:// URLs: the options their query sets, then the backend. */
#include <string.h>

#include "backends/backend.h"
#include "backends/url_query.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/version.h"

/* An item of the query, into an option the caller left unset. A repeated
 * endpoint, region or profile keeps the first. */
static bool take(void *opts, const char *key, const char *v, unsigned long long n, bool number) {
    lake_s3_options *o = opts;
    if (!strcmp(key, "endpoint")) o->endpoint = o->endpoint ? o->endpoint : v;
    else if (!strcmp(key, "region")) o->region = o->region ? o->region : v;
    else if (!strcmp(key, "profile")) o->profile = o->profile ? o->profile : v;
    else if (!strcmp(key, "path_style") && number) o->path_style = n != 0;
    else if (!strcmp(key, "insecure") && number) o->insecure = n != 0;
    else if (!strcmp(key, "part_size") && number) o->part_size = o->part_size ? o->part_size : n;
    else if (!strcmp(key, "max_parallel") && number && n && n < 1024) o->max_parallel = (unsigned)n;
    else if (!strcmp(key, "max_attempts") && number && n && n < 100) o->max_attempts = (unsigned)n;
    else if (!strcmp(key, "timeout_ms") && number && n) o->timeout_ms = (long)n;
    else return false;
    return true;
}

/* s3://bucket/prefix?key=value&...: the query fills options the caller left unset. */
int lake__s3_backend_open_url(lake_backend *b, const char *rest, const lake_s3_options *given, lake_error *err) {
    lake_s3_options o = LAKE_S3_OPTIONS_INIT;
    if (given) {
        int rc = LAKE__VERSION_CHECK(given, lake_s3_options, LAKE_S3_OPTIONS, err);
        if (rc) return rc;
        o = *given;
    }
    char *bucket;
    int rc = lake__url_query_each(rest, "s3", "endpoint, region, profile, path_style, insecure, part_size, "
                                  "max_parallel, max_attempts, timeout_ms", take, &o, &bucket, err);
    if (!rc) rc = lake__s3_backend_open(b, bucket, &o, err);
    lake__free(bucket);
    return rc;
}
