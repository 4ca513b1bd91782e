/* SPDX-License-Identifier: MIT */
/* schema infer: the shape of a sample's records, merged record by record in
 * memory that grows with the distinct keys and nesting, never with the rows,
 * then written as a schema file (docs/cli.md, "lakeorm schema infer"). */
#ifndef LAKE_CLI_INFER_H
#define LAKE_CLI_INFER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

typedef struct infer_shape infer_shape;

/* text: every value was a CSV cell, so values that disagree widen to string
 * (a CSV json column would need each cell to be one JSON value). NULL when
 * memory runs out. Free with infer_free. */
infer_shape *infer_new(bool text);
void infer_free(infer_shape *s);

/* Merges one record, a JSON object, into the shape. NULL, or a static
 * reason the record cannot be (not JSON, not an object, a key that cannot be
 * a column name, memory). */
const char *infer_record(infer_shape *s, const char *json, size_t len);

/* The schema file: version 1, the table, the fields in first-seen key order.
 * 0, or -1 when memory ran out. */
int infer_write(const infer_shape *s, const char *table, lake__buf *out);

#endif
