/* SPDX-License-Identifier: MIT */
/* Unsigned integers have no column type in every engine: they must not compile. */
#include <lakeorm.h>
typedef struct row { uint32_t id; } row;
static const lake_field row_fields[] = {LAKE_FIELD(row, id, "id", "")};
const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);
