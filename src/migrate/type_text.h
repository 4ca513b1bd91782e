/* SPDX-License-Identifier: MIT */
/* Types as engines print them, compared by structure: DuckDB's
 * STRUCT("a b" DECIMAL(10,2), c INTEGER[])[] and MAP(VARCHAR, BIGINT[]),
 * Spark's array<struct<a:decimal(10,2),c:array<int>>> and
 * map<string,array<bigint>>. A difference is named by its path below the
 * column (items.element.price), as assert_schema reports it. */
#ifndef LAKE_MIGRATE_TYPE_TEXT_H
#define LAKE_MIGRATE_TYPE_TEXT_H

#include <stddef.h>

typedef struct lake__type_difference {
    char path[512];  /* below the column, each step after a '.': ".element.price"; "" for the column */
    char what[1024]; /* e.g. "the table has decimal(12,2), the model says decimal(10,2)" */
} lake__type_difference;

/* Compares the model's type with the table's, both as the same engine
 * prints them. Struct members match by name and must come in the same
 * order (rows are written by position). Returns 0 when they are alike, 1
 * when they differ (*out says where and how), -1 when a text is not a type
 * this parser reads or memory runs out: the caller compares the texts whole. */
int lake__type_text_compare(const char *model, const char *table, lake__type_difference *out);

#endif
