/* SPDX-License-Identifier: MIT */
/* s3:// URLs: the options their query sets, then the backend. */
#include <string.h>

#include "backends/backend.h"
#include "backends/url_query.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/version.h"

/* s3://bucket/prefix?key=value&...: the query fills options the caller left unset. */
int lake__s3_backend_open_url(lake_backend *b, const char *rest, const lake_s3_options *given, lake_error *err) {
    lake_s3_options o = LAKE_S3_OPTIONS_INIT;
    if (given) {
        int rc = LAKE__VERSION_CHECK(given, lake_s3_options, LAKE_S3_OPTIONS, err);
        if (rc) return rc;
        o = *given;
    }
    char *query, *copy = lake__url_query_split(rest, &query);
    if (!copy) return lake__error(err, LAKE_ENOMEM, "out of memory");
    int rc = LAKE_OK;
    char *pair = NULL, *v = NULL; /* set by lake__url_query_next whenever it returns 1; -O3 cannot tell */
    unsigned long long n = 0;
    bool number = false;
    for (char *cursor = query; !rc;) {
        int got = lake__url_query_next(&cursor, &pair, &v, &n, &number, "s3", err);
        if (got <= 0) {
            rc = got;
            break;
        }
        if (!strcmp(pair, "endpoint") && !o.endpoint) o.endpoint = v;
        else if (!strcmp(pair, "region") && !o.region) o.region = v;
        else if (!strcmp(pair, "profile") && !o.profile) o.profile = v;
        else if (!strcmp(pair, "path_style") && number) o.path_style = n != 0;
        else if (!strcmp(pair, "insecure") && number) o.insecure = n != 0;
        else if (!strcmp(pair, "part_size") && number) o.part_size = o.part_size ? o.part_size : n;
        else if (!strcmp(pair, "max_parallel") && number && n && n < 1024) o.max_parallel = (unsigned)n;
        else if (!strcmp(pair, "max_attempts") && number && n && n < 100) o.max_attempts = (unsigned)n;
        else if (!strcmp(pair, "timeout_ms") && number && n) o.timeout_ms = (long)n;
        else if (!strcmp(pair, "endpoint") || !strcmp(pair, "region") || !strcmp(pair, "profile")) continue;
        else rc = lake__url_query_bad_item("s3", pair, v, "endpoint, region, profile, path_style, insecure, part_size, max_parallel, "
                                       "max_attempts, timeout_ms", err);
    }
    if (!rc) rc = lake__s3_backend_open(b, copy, &o, err);
    lake__free(copy);
    return rc;
}
