/* SPDX-License-Identifier: MIT */
/* A schema read off a query's result rather than declared: what a read of
 * any shape (lake_client_query_json) decodes its rows with. */
#ifndef LAKE_SCHEMA_RESULT_H
#define LAKE_SCHEMA_RESULT_H

#include "schema/schema.h"

/* One result column as a driver describes it. */
typedef struct lake__result_column {
    const char *name;
    lake_type type;
    uint8_t precision, scale; /* LAKE_DECIMAL */
    /* LAKE_STRUCT: its members; LAKE_LIST: "element"; LAKE_MAP: "key" (a string) and "value" */
    const struct lake__result_column *children;
    size_t child_count;
} lake__result_column;

/* Builds the schema: every column nullable (a struct's members, a list's
 * elements and a map's values too, but not its keys; a struct is a pointer
 * to its members' record), laid out by lakeorm, bound to the result by position
 * (result column names may repeat or hold any character). Free it with
 * lake_schema_free. */
int lake__schema_of_result(lake_schema **out, const lake__result_column *cols, size_t count, lake_error *err);

#endif
