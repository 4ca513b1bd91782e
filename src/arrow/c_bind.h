/* SPDX-License-Identifier: MIT */
/* Binding an imported Arrow type and array (C Data Interface) to a schema:
 * each column to the struct child of its name (a list's element and a map's
 * key and value by position), its format checked against the column's type
 * once, and the array's shape (buffers, children) against its format, so
 * that reading rows (c_import.c) only checks what varies per value. */
#ifndef LAKE_ARROW_C_BIND_H
#define LAKE_ARROW_C_BIND_H

#include <lakeorm/arrow.h>

#include "arrow/c_format.h"
#include "schema/schema.h"

/* One column and the Arrow array it reads from. */
typedef struct lake__field {
    const lake__column *col;
    const struct ArrowArray *a;       /* NULL: no such field, NULL throughout (a nullable column) */
    lake__arrow_type t;               /* the values' type: for a dictionary, its values' */
    lake__arrow_type index;           /* a dictionary's indices (an integer type) */
    const struct ArrowArray *dict;    /* a dictionary's values, or NULL */
    const struct ArrowArray *entries; /* a map's entries struct */
    struct lake__field *kids;         /* a struct's members per child column; a list's element; a map's key, value */
} lake__field;

typedef struct lake__binding {
    lake__field *top; /* per schema column */
    lake_arena *arena;
} lake__binding;

/* LAKE_ESCHEMA naming the column and both types when the type does not
 * fit the schema (docs/arrow.md), LAKE_EINVAL when the array contradicts its
 * type. Free *out with lake__arrow_binding_free. */
int lake__arrow_bind(const lake_schema *s, const struct ArrowSchema *type, const struct ArrowArray *batch,
                     lake__binding **out, lake_error *err);
void lake__arrow_binding_free(lake__binding *b);

#endif
