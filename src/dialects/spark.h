/* SPDX-License-Identifier: MIT */
/* The Spark SQL dialects: Iceberg and Delta tables, as Spark Connect (and the
 * migration files written for them) speak them. */
#ifndef LAKE_DIALECTS_SPARK_H
#define LAKE_DIALECTS_SPARK_H

#include <lakeorm/schema.h>

#include "util/buf.h"

typedef enum lake__table_format { LAKE__FORMAT_ICEBERG = 1, LAKE__FORMAT_DELTA } lake__table_format;

/* CREATE TABLE IF NOT EXISTS with every column, NOT NULL where the schema
 * says so, _ingest_id, USING iceberg|delta, and PARTITIONED BY the partition
 * columns (Iceberg transforms; Delta by value only). Iceberg primary keys
 * become identifier fields in a second statement; the statements end in ";". */
int lake__spark_create_table(lake__buf *out, const lake_schema *s, lake__table_format format);

/* The partition expression of a column: days(`ts`), bucket(16, `id`), `c`. */
int lake__spark_partition_expr(lake__buf *out, const lake_column *c, lake__table_format format);

/* ALTER TABLE t SET IDENTIFIER FIELDS a, b (or DROP IDENTIFIER FIELDS the
 * previous ones when the schema has no primary key). Iceberg only. */
int lake__spark_identifier_fields(lake__buf *out, const char *table, const lake_schema *now, const lake_schema *before);

#endif
