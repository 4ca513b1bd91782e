/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>

#include <lakeorm/parquet.h>

#include "error/error.h"

static int stdio_write(void *ctx, const void *data, size_t len, lake_error *err) {
    if (fwrite(data, 1, len, ctx) == len) return LAKE_OK;
    return lake__error(err, LAKE_EIO, "writing failed: %s", strerror(errno));
}

lake_sink lake_sink_stdio(FILE *stream) {
    lake_sink s = {stdio_write, stream};
    return s;
}
