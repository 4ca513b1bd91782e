/* SPDX-License-Identifier: MIT */
/* LAKE_DECIMAL declares a decimal: an int64_t member must not compile. */
#include <lakeorm.h>
typedef struct row { int64_t amount; } row;
static const lake_field row_fields[] = {LAKE_DECIMAL(row, amount, 18, 2, "amount", "")};
const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);
