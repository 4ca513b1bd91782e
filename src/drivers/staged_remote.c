/* SPDX-License-Identifier: MIT */
#include "drivers/staged_remote.h"

#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "util/redact.h"

int lake__staged_remote(lake_backend *staging, const char *prefix, const char *s3_scheme, lake__staged *out,
                        lake_error *err) {
    out->location[0] = out->local_copy[0] = 0;
    const char *root = lake_backend_local_root(staging), *url = lake_backend_url(staging);
    lake_reach reach = lake_backend_reach(staging);
    char shown[256];
    int n;
    if (reach == LAKE_REACH_NETWORK) {
        /* The store and its key prefix; the query string holds the backend's own options (endpoint, region). */
        size_t end = strcspn(url, "?");
        bool s3 = !strncmp(url, "s3://", 5), slash = end && url[end - 1] == '/';
        n = snprintf(out->location, sizeof out->location, "%s%.*s%s%s", s3 ? s3_scheme : "", (int)(s3 ? end - 5 : end),
                     s3 ? url + 5 : url, slash ? "" : "/", prefix);
    } else if (reach == LAKE_REACH_MACHINE) {
        n = snprintf(out->location, sizeof out->location, "%s/%s", root, prefix);
    } else {
        return lake__error(err, LAKE_ENOTSUP, "the engine runs in another process and cannot read parts staged on %s, "
                                              "which only this process reaches: stage on s3://, gs:// or a folder "
                                              "the engine shares", lake__redact(url, shown, sizeof shown));
    }
    if (n < 0 || (size_t)n >= sizeof out->location) {
        out->location[0] = 0;
        return lake__error(err, LAKE_EINVAL, "the staged parts' location is over %zu bytes", sizeof out->location - 1);
    }
    return LAKE_OK;
}
