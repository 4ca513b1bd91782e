/* SPDX-License-Identifier: MIT */
#include "drivers/staged_remote.h"

#include <stdio.h>
#include <string.h>

#include "error/error.h"

int lake__staged_remote(lake_backend *staging, const char *prefix, const char *s3_scheme, lake__staged *out,
                        lake_error *err) {
    out->location[0] = out->local_copy[0] = 0;
    const char *root = lake_backend_local_root(staging), *url = lake_backend_url(staging);
    int n;
    if (root) {
        n = snprintf(out->location, sizeof out->location, "%s/%s", root, prefix);
    } else if (!strncmp(url, "s3://", 5) || !strncmp(url, "gs://", 5)) {
        /* The bucket and its key prefix; the query string holds the backend's own options (endpoint, region). */
        size_t end = strcspn(url, "?");
        bool slash = end > 5 && url[end - 1] == '/';
        n = snprintf(out->location, sizeof out->location, "%s%.*s%s%s", url[0] == 'g' ? "gs://" : s3_scheme,
                     (int)(end - 5), url + 5, slash ? "" : "/", prefix);
    } else {
        return lake__error(err, LAKE_ENOTSUP, "the engine cannot read parts staged on %s: stage on s3://, gs:// or a "
                                              "folder it shares", url);
    }
    if (n < 0 || (size_t)n >= sizeof out->location) {
        out->location[0] = 0;
        return lake__error(err, LAKE_EINVAL, "the staged parts' location is over %zu bytes", sizeof out->location - 1);
    }
    return LAKE_OK;
}
