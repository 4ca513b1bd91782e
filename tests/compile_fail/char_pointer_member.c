/* SPDX-License-Identifier: MIT */
/* Strings are lake_str views, never bare char pointers. */
#include <lakeorm.h>
typedef struct row { const char *name; } row;
static const lake_field row_fields[] = {LAKE_FIELD(row, name, "name", "")};
const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);
