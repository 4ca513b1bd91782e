/* SPDX-License-Identifier: MIT */
/* How a schema's columns become Parquet leaf columns. */
#ifndef LAKE_PARQUET_LAYOUT_H
#define LAKE_PARQUET_LAYOUT_H

#include "schema/schema.h"
#include "schema/type_table.h"

enum { LAKE__PQ_MAX_PATH = 17 };

typedef struct lake__leaf {
    const lake__column *col; /* NULL for the stamped _ingest_id column */
    lake_type type;
    lake__pq_physical physical;
    lake__pq_logical logical;
    int type_length;       /* FIXED_LEN_BYTE_ARRAY */
    size_t offset;         /* of the value inside the top-level record */
    size_t valid_offset;   /* of its valid flag, for lake_opt_* values */
    bool optional_value;   /* the value is a lake_opt_* */
    bool nullable;         /* OPTIONAL in Parquet: max definition level 1 */
    bool text;             /* written as text: uuid_as_string, sortable ids */
    const char *path[LAKE__PQ_MAX_PATH];
    size_t path_len;
    int32_t field_id;
} lake__leaf;

/* Bytes of the big-endian two's complement holding any DECIMAL(precision). */
int lake__decimal_bytes(unsigned precision);

/* The Parquet form of one column (physical, logical, length). */
void lake__leaf_types(lake__leaf *leaf, const lake_column *c, bool uuid_as_string);

/* Flattens the schema into leaves, depth first. *count is set; returns NULL
 * when out of memory. Free with lake__free. */
lake__leaf *lake__leaves(const lake_schema *s, bool uuid_as_string, bool ingest_id, size_t *count);

#endif
