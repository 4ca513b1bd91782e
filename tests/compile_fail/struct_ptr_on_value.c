/* SPDX-License-Identifier: MIT */
/* LAKE_STRUCT_PTR takes a pointer member; a struct held by value must not compile. */
#include <lakeorm.h>
typedef struct a { int32_t x; } a;
static const lake_field a_fields[] = {LAKE_FIELD(a, x, "x", "")};
static const lake_model a_model = LAKE_MODEL(a, "a", a_fields);
typedef struct row { a nested; } row;
static const lake_field row_fields[] = {LAKE_STRUCT_PTR(row, nested, a, a_model, "nested", "")};
const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);
