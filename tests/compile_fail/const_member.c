/* SPDX-License-Identifier: MIT */
/* A const member cannot be decoded into: it must not compile. */
#include <lakeorm.h>
typedef struct row { const int64_t id; } row;
static const lake_field row_fields[] = {LAKE_FIELD(row, id, "id", "")};
const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);
