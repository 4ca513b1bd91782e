/* SPDX-License-Identifier: MIT */
/* Spark SQL, which the Iceberg and Delta dialects share (iceberg.c, delta.c):
 * the statements that do not depend on the table format, and the pieces of
 * the ones that do. `format` is LAKE_DIALECT_ICEBERG or LAKE_DIALECT_DELTA. */
#ifndef LAKE_DIALECTS_SPARK_H
#define LAKE_DIALECTS_SPARK_H

#include "dialects/dialect.h"
#include "dialects/move.h"

/* CREATE TABLE IF NOT EXISTS with every column, NOT NULL where the schema
 * says so, _ingest_id, USING iceberg|delta, and PARTITIONED BY the partition
 * columns (Iceberg transforms; Delta by value only). Iceberg primary keys
 * become identifier fields in a second statement; each ends in ";\n". */
int lake__spark_create_table(lake__buf *out, const lake_schema *s, const char *table, lake_dialect format);

/* The partition expression of a column: days(`ts`), bucket(16, `id`), `c`. */
int lake__spark_partition_expr(lake__buf *out, const lake_column *c, lake_dialect format);

/* ALTER TABLE t SET IDENTIFIER FIELDS a, b; (or DROP IDENTIFIER FIELDS the
 * previous ones when the schema has no primary key). Iceberg only. */
int lake__spark_identifier_fields(lake__buf *out, const char *table, const lake_schema *now, const lake_schema *before);

/* _lakeorm_ingests in the table format. */
int lake__spark_ingests_create(lake__buf *out, lake_dialect format);

/* The builders that do not depend on the format (see dialect.h). */
int lake__spark_ident(lake__buf *out, const char *name);
int lake__spark_table(lake__buf *out, const char *name);
int lake__spark_type(lake__buf *out, const lake_column *column);
int lake__spark_type_probe(lake__buf *out, const lake_column *column);
int lake__spark_create_schema(lake__buf *out, const char *catalog, const char *schema);
int lake__spark_use_schema(lake__buf *out, const char *catalog, const char *schema);
int lake__spark_select_all(lake__buf *out, const char *table);
int lake__spark_move(lake__buf *out, const lake__move *m);
int lake__spark_duplicate_key(lake__buf *out, const lake__move *m);
int lake__spark_count_matched(lake__buf *out, const lake__move *m);
int lake__spark_count_rows(lake__buf *out, const char *table);
int lake__spark_staged_source(lake__buf *out, const char *location, const char *ingest_id, bool filter,
                              lake_param *params, size_t *n);
int lake__spark_drop_view(lake__buf *out, const char *view);
int lake__spark_from_base64(lake__buf *out, const char *marker);
int lake__spark_typed_null(lake__buf *out, const lake_column *column);
int lake__spark_struct_value(lake__buf *out, const lake_schema *child, lake__field_value field, void *ctx);
int lake__spark_collection_value(lake__buf *out, const lake_column *column, size_t count, lake__field_value item,
                                 void *ctx);
int lake__spark_values_source(lake__buf *out, const lake_schema *s, const char *rows, size_t rows_len,
                              const char *ingest_id);
int lake__spark_ingests_probe_fingerprint(lake__buf *out);
int lake__spark_ingests_add_fingerprint(lake__buf *out);
int lake__spark_ingests_find(lake__buf *out);
int lake__spark_ingests_claim(lake__buf *out);
int lake__spark_ingest_landed(lake__buf *out, const char *table);
int lake__spark_describe(lake__buf *out, const char *table);
int lake__spark_describe_json(lake__buf *out, const char *table);
int lake__spark_properties(lake__buf *out, const char *table);

/* The members of a Spark SQL dialect object that do not depend on the format;
 * a Spark SQL engine commits each statement alone, so there are no transactions,
 * and it keeps no temporary tables (a request's rows are temporary views). */
#define LAKE__SPARK_SQL_MEMBERS                                                                         \
    .enforces_primary_keys = false, .ident = lake__spark_ident, .table = lake__spark_table,             \
    .type = lake__spark_type,                                                                           \
    .create_schema = lake__spark_create_schema, .use_schema = lake__spark_use_schema,                   \
    .select_all = lake__spark_select_all, .engine_version = lake__dialect_version_select, .begin = NULL, .commit = NULL, .rollback = NULL,              \
    .move = lake__spark_move, .duplicate_key = lake__spark_duplicate_key,                               \
    .count_matched = lake__spark_count_matched, .count_rows = lake__spark_count_rows,                   \
    .staged_source = lake__spark_staged_source, .create_temp_like = NULL, .drop_temp = NULL,            \
    .drop_view = lake__spark_drop_view, .union_all = lake__move_union_all,                              \
    .from_base64 = lake__spark_from_base64, .typed_null = lake__spark_typed_null,                       \
    .struct_value = lake__spark_struct_value, .collection_value = lake__spark_collection_value,         \
    .values_source = lake__spark_values_source,                                                          \
    .ingests_probe_fingerprint = lake__spark_ingests_probe_fingerprint,                                 \
    .ingests_add_fingerprint = lake__spark_ingests_add_fingerprint,                                     \
    .ingests_find = lake__spark_ingests_find, .ingests_claim = lake__spark_ingests_claim,               \
    .ingest_landed = lake__spark_ingest_landed, .describe = lake__spark_describe,                       \
    .describe_json = lake__spark_describe_json, .properties = lake__spark_properties

#endif
