/* SPDX-License-Identifier: MIT */
/* A list of a C type lakeorm does not map (unsigned) must not compile. */
#include <lakeorm.h>
LAKE_LIST_TYPE(uint_list, unsigned);
typedef struct row { uint_list xs; } row;
static const lake_field row_fields[] = {LAKE_LIST(row, xs, "xs", "")};
const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);
