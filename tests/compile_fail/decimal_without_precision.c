/* SPDX-License-Identifier: MIT */
/* A decimal member needs LAKE_DECIMAL: precision and scale are not optional. */
#include <lakeorm.h>
typedef struct row { lake_dec128 amount; } row;
static const lake_field row_fields[] = {LAKE_FIELD(row, amount, "amount", "")};
const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);
