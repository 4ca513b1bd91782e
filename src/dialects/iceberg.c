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

/* Iceberg has no 8- or 16-bit integers: the catalog shows such a column as
 * int, so that is what the model's type is compared as. */
static int type_probe(lake__buf *b, const lake_column *c) {
    if (c->type != LAKE_INT8 && c->type != LAKE_INT16) return lake__spark_type_probe(b, c);
    lake_column as_int = *c;
    as_int.type = LAKE_INT32;
    return lake__spark_type_probe(b, &as_int);
}

static int render_changes(lake__buf *b, const lake__diff *d) {
    return lake__spark_render_changes(b, d, LAKE_DIALECT_ICEBERG);
}

const lake__dialect lake__dialect_iceberg = {
    .id = LAKE_DIALECT_ICEBERG,
    .name = "iceberg",
    LAKE__SPARK_SQL_MEMBERS,
    .type_probe = type_probe,
    .create_table = create_table,
    .ingests_create = ingests_create,
    .render_changes = render_changes,
    /* Iceberg's SparkTable lists them as "[a,b]"; lakeorm sets them (create_table). */
    .key_property = "identifier-fields",
};
