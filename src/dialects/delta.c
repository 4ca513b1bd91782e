/* SPDX-License-Identifier: MIT */
/* The Delta dialect: Delta Lake tables in Spark SQL (spark.c), on Spark
 * Connect and Databricks SQL warehouses. What is Delta's own: USING delta,
 * partitioning by value only (its transforms need generated columns), and no
 * primary key at all (lakeorm checks keys itself). */
#include "dialects/changes.h"
#include "dialects/spark.h"

static int create_table(lake__buf *b, const lake_schema *s, const char *table) {
    return lake__spark_create_table(b, s, table, LAKE_DIALECT_DELTA);
}

static int ingests_create(lake__buf *b) { return lake__spark_ingests_create(b, LAKE_DIALECT_DELTA); }

static int render_changes(lake__buf *b, const lake__diff *d) {
    return lake__spark_render_changes(b, d, LAKE_DIALECT_DELTA);
}

const lake__dialect lake__dialect_delta = {
    .id = LAKE_DIALECT_DELTA,
    .name = "delta",
    LAKE__SPARK_SQL_MEMBERS,
    .type_probe = lake__spark_type_probe,
    .create_table = create_table,
    .ingests_create = ingests_create,
    .render_changes = render_changes,
    .key_property = NULL, /* Delta keeps no primary key */
};
