/* SPDX-License-Identifier: MIT */
/* Finding a dialect object by its public name, and what the public API asks
 * of one. */
#include <string.h>

#include "dialects/dialect.h"
#include "error/error.h"

const lake__dialect *lake__dialect_of(lake_dialect id) {
    switch (id) {
    case LAKE_DIALECT_DUCKDB: return &lake__dialect_duckdb;
    case LAKE_DIALECT_ICEBERG: return &lake__dialect_iceberg;
    case LAKE_DIALECT_DELTA: return &lake__dialect_delta;
    }
    return NULL;
}

int lake__dialect_version_select(lake__buf *out) { return lake__buf_puts(out, "SELECT version()"); }

int lake_column_sql_type(const lake_column *column, lake_dialect dialect, char *buf, size_t buf_size) {
    const lake__dialect *d = lake__dialect_of(dialect);
    if (!column || !buf || !d) return LAKE_EINVAL;
    lake__buf b = LAKE__BUF_INIT;
    if (d->type(&b, column) || b.len + 1 > buf_size) {
        int rc = b.failed ? LAKE_ENOMEM : LAKE_EINVAL;
        lake__buf_dispose(&b);
        if (buf_size) buf[0] = '\0';
        return rc;
    }
    memcpy(buf, b.data, b.len + 1);
    lake__buf_dispose(&b);
    return LAKE_OK;
}
