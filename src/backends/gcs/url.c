/* SPDX-License-Identifier: MIT */
/* gs:// URLs: the options their query sets, then the backend. */
#include <string.h>

#include "backends/backend.h"
#include "backends/url_query.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/version.h"

/* An item of the query, into an option the caller left unset. */
static bool take(void *opts, const char *key, const char *v, unsigned long long n, bool number) {
    lake_gcs_options *o = opts;
    if (!strcmp(key, "endpoint")) o->endpoint = o->endpoint ? o->endpoint : v;
    else if (!strcmp(key, "region")) o->region = o->region ? o->region : v;
    else if (!strcmp(key, "credentials_file")) o->credentials_file = o->credentials_file ? o->credentials_file : v;
    else if (!strcmp(key, "chunk_size") && number) o->chunk_size = o->chunk_size ? o->chunk_size : n;
    else if (!strcmp(key, "max_attempts") && number && n && n < 100) o->max_attempts = (unsigned)n;
    else if (!strcmp(key, "timeout_ms") && number && n) o->timeout_ms = (long)n;
    else if (!strcmp(key, "insecure") && number) o->insecure = n != 0;
    else return false;
    return true;
}

/* gs://bucket/prefix?key=value&...: the query fills options the caller left unset. */
int lake__gcs_backend_open_url(lake_backend *b, const char *rest, const lake_gcs_options *given, lake_error *err) {
    lake_gcs_options o = LAKE_GCS_OPTIONS_INIT;
    if (given) {
        int rc = LAKE__VERSION_CHECK(given, lake_gcs_options, LAKE_GCS_OPTIONS, err);
        if (rc) return rc;
        o = *given;
    }
    char *bucket;
    int rc = lake__url_query_each(rest, "gs", "endpoint, region, credentials_file, chunk_size, max_attempts, "
                                  "timeout_ms, insecure", take, &o, &bucket, err);
    if (!rc) rc = lake__gcs_backend_open(b, bucket, &o, err);
    lake__free(bucket);
    return rc;
}
