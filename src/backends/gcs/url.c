/* SPDX-License-Identifier: MIT */
/* gs:// URLs: the options their query sets, then the backend. */
#include <string.h>

#include "backends/backend.h"
#include "backends/url_query.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/version.h"

/* gs://bucket/prefix?key=value&...: the query fills options the caller left unset. */
int lake__gcs_backend_open_url(lake_backend *b, const char *rest, const lake_gcs_options *given, lake_error *err) {
    lake_gcs_options o = LAKE_GCS_OPTIONS_INIT;
    if (given) {
        int rc = LAKE__VERSION_CHECK(given, lake_gcs_options, LAKE_GCS_OPTIONS, err);
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
        int got = lake__url_query_next(&cursor, &pair, &v, &n, &number, "gs", err);
        if (got <= 0) {
            rc = got;
            break;
        }
        if (!strcmp(pair, "endpoint")) o.endpoint = o.endpoint ? o.endpoint : v;
        else if (!strcmp(pair, "region")) o.region = o.region ? o.region : v;
        else if (!strcmp(pair, "credentials_file")) o.credentials_file = o.credentials_file ? o.credentials_file : v;
        else if (!strcmp(pair, "chunk_size") && number) o.chunk_size = o.chunk_size ? o.chunk_size : n;
        else if (!strcmp(pair, "max_attempts") && number && n && n < 100) o.max_attempts = (unsigned)n;
        else if (!strcmp(pair, "timeout_ms") && number && n) o.timeout_ms = (long)n;
        else if (!strcmp(pair, "insecure") && number) o.insecure = n != 0;
        else rc = lake__url_query_bad_item("gs", pair, v, "endpoint, region, credentials_file, chunk_size, max_attempts, timeout_ms, "
                                       "insecure", err);
    }
    if (!rc) rc = lake__gcs_backend_open(b, copy, &o, err);
    lake__free(copy);
    return rc;
}
