/* SPDX-License-Identifier: MIT */
/* LAKE_LIST_OF names the view's element type; another type must not compile. */
#include <lakeorm.h>
typedef struct row { lake_list_i64 xs; } row;
static const lake_field row_fields[] = {LAKE_LIST_OF(row, xs, int32_t, LAKE_ELEM(int32_t), "xs", "")};
const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);
