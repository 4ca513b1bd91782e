/* SPDX-License-Identifier: MIT */
/* The control case: a correct model compiles with the same command line. */
#include <lakeorm.h>

typedef struct inner {
    int32_t n;
} inner;
static const lake_field inner_fields[] = {LAKE_FIELD(inner, n, "n", "")};
static const lake_model inner_model = LAKE_MODEL(inner, "inner", inner_fields);

LAKE_LIST_TYPE(inner_list, inner);
LAKE_LIST_TYPE(i64_lists, lake_list_i64);

typedef struct row {
    int64_t id;
    lake_dec128 amount;
    inner nested;
    inner *maybe;
    lake_list_str tags;
    inner_list inners;
    i64_lists grid;
    lake_map_i64 counts;
    lake_json payload;
} row;
static const lake_field row_fields[] = {
    LAKE_FIELD(row, id, "id,pk", ""),
    LAKE_DECIMAL(row, amount, 18, 2, "amount", ""),
    LAKE_STRUCT(row, nested, inner, inner_model, "nested", ""),
    LAKE_STRUCT_PTR(row, maybe, inner, inner_model, "maybe,nullable", ""),
    LAKE_LIST(row, tags, "tags", "dive,required"),
    LAKE_LIST_STRUCT(row, inners, inner, inner_model, "inners", ""),
    LAKE_LIST_OF(row, grid, lake_list_i64, LAKE_ELEM_LIST(lake_list_i64, LAKE_ELEM(int64_t)), "grid", ""),
    LAKE_MAP(row, counts, "counts", ""),
    LAKE_FIELD(row, payload, "payload,nullable", ""),
};
const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);
