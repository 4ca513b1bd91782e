/* SPDX-License-Identifier: MIT */
/* LAKE_STRUCT names the member's struct type; another type must not compile. */
#include <lakeorm.h>
typedef struct a { int32_t x; } a;
typedef struct b { int32_t x; } b;
static const lake_field a_fields[] = {LAKE_FIELD(a, x, "x", "")};
static const lake_model a_model = LAKE_MODEL(a, "a", a_fields);
typedef struct row { b nested; } row;
static const lake_field row_fields[] = {LAKE_STRUCT(row, nested, a, a_model, "nested", "")};
const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);
