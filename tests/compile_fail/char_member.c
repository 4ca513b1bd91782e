/* SPDX-License-Identifier: MIT */
/* char is neither int8_t (signed char) nor text: it must not compile. */
#include <lakeorm.h>
typedef struct row { char flag; } row;
static const lake_field row_fields[] = {LAKE_FIELD(row, flag, "flag", "")};
const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);
