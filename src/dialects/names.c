/* SPDX-License-Identifier: MIT */
/* The public names of the dialects. */
#include <string.h>

#include <lakeorm/schema.h>

#include "error/error.h"

static const char *const names[] = {[LAKE_DIALECT_DUCKDB] = "duckdb", [LAKE_DIALECT_ICEBERG] = "iceberg",
                                    [LAKE_DIALECT_DELTA] = "delta"};

const char *lake_dialect_name(lake_dialect dialect) {
    return (unsigned)dialect < sizeof names / sizeof *names && names[dialect] ? names[dialect] : "unknown";
}

int lake_dialect_parse(const char *name, lake_dialect *out) {
    for (unsigned d = 1; name && d < sizeof names / sizeof *names; d++) {
        if (!strcmp(name, names[d])) {
            if (out) *out = (lake_dialect)d;
            return LAKE_OK;
        }
    }
    return LAKE_EINVAL;
}
