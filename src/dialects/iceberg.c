/* SPDX-License-Identifier: MIT */
/* The Iceberg dialect: Iceberg tables in Spark SQL (spark.c). What is
 * Iceberg's own: USING iceberg, partition transforms (days(ts), bucket(n, c)),
 * and primary keys kept as identifier fields. */
#include "dialects/changes.h"
#include "dialects/spark.h"

static int create_table(lake__buf *b, const lake_schema *s, const char *table) {
    return lake__spark_create_table(b, s, table, LAKE_DIALECT_ICEBERG);
}

static int ingests_create(lake__buf *b) { return lake__spark_ingests_create(b, LAKE_DIALECT_ICEBERG); }

static int render_changes(lake__buf *b, const lake__diff *d) {
    return lake__spark_render_changes(b, d, LAKE_DIALECT_ICEBERG);
}

const lake__dialect lake__dialect_iceberg = {
    .id = LAKE_DIALECT_ICEBERG,
    .name = "iceberg",
    LAKE__SPARK_SQL_MEMBERS,
    .create_table = create_table,
    .ingests_create = ingests_create,
    .render_changes = render_changes,
};
