/* SPDX-License-Identifier: MIT */
/* Finding a dialect object by its public name. */
#include "dialects/dialect.h"

const lake__dialect *lake__dialect_of(lake_dialect id) {
    switch (id) {
    case LAKE_DIALECT_DUCKDB: return &lake__dialect_duckdb;
    case LAKE_DIALECT_ICEBERG: return &lake__dialect_iceberg;
    case LAKE_DIALECT_DELTA: return &lake__dialect_delta;
    }
    return NULL;
}
