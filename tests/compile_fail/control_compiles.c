/* SPDX-License-Identifier: MIT */
/* The control case: a correct model compiles with the same command line. */
#include <lakeorm.h>

typedef struct inner {
    int32_t n;
} inner;
static const lake_field inner_fields[] = {LAKE_FIELD(inner, n, "n", "")};
static const lake_model inner_model = LAKE_MODEL(inner, "inner", inner_fields);

typedef struct row {
    int64_t id;
    lake_dec128 amount;
    inner nested;
} row;
static const lake_field row_fields[] = {
    LAKE_FIELD(row, id, "id,pk", ""),
    LAKE_DECIMAL(row, amount, 18, 2, "amount", ""),
    LAKE_STRUCT(row, nested, inner, inner_model, "nested", ""),
};
const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);
