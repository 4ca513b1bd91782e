/* SPDX-License-Identifier: MIT */
/* How a schema's columns become Parquet leaf columns. */
#ifndef LAKE_PARQUET_LAYOUT_H
#define LAKE_PARQUET_LAYOUT_H

#include "schema/schema.h"
#include "schema/type_table.h"

/* A leaf lies at most 16 columns deep (the schema's nesting bound); a list or
 * map adds a second name to its path ("list", "key_value"). */
enum { LAKE__PQ_MAX_STEPS = 17, LAKE__PQ_MAX_PATH = 2 * LAKE__PQ_MAX_STEPS };

typedef struct lake__leaf {
    const lake__column *col; /* NULL for the stamped _ingest_id column */
    lake_type type;
    lake__pq_physical physical;
    lake__pq_logical logical;
    int type_length;       /* FIXED_LEN_BYTE_ARRAY */
    bool nullable;         /* the leaf itself is OPTIONAL */
    bool text;             /* written as text: uuid_as_string, sortable ids */
    /* The columns from the top-level one down to the leaf: the shredder walks
     * them through each record (parquet/shred.c). */
    const lake__column *steps[LAKE__PQ_MAX_STEPS];
    size_t step_count;
    /* Definition level: one per OPTIONAL or repeated node on the path;
     * repetition level: one per repeated node (each list or map). */
    uint32_t max_def, max_rep;
    const char *path[LAKE__PQ_MAX_PATH];
    size_t path_len;
    int32_t field_id;
} lake__leaf;

/* Bytes of the big-endian two's complement holding any DECIMAL(precision). */
int lake__decimal_bytes(unsigned precision);

/* The Parquet form of one column (physical, logical, length). */
void lake__leaf_types(lake__leaf *leaf, const lake_column *c, bool uuid_as_string);

/* The name of the repeated group inside a list or map column. */
static inline const char *lake__repeated_name(lake_type t) {
    return t == LAKE_MAP ? "key_value" : "list";
}

/* Flattens the schema into leaves, depth first. *count is set; returns NULL
 * when out of memory. Free with lake__free. */
lake__leaf *lake__leaves(const lake_schema *s, bool uuid_as_string, bool ingest_id, size_t *count);
/* The same, leaving out the top-level columns `omit` marks (NULL: none):
 * a Delta data file does not hold its partition columns. */
lake__leaf *lake__leaves_except(const lake_schema *s, const bool *omit, bool uuid_as_string, bool ingest_id,
                                size_t *count);

#endif
