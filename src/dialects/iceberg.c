/* SPDX-License-Identifier: MIT */
/* The Iceberg dialect: Iceberg tables in Spark SQL (spark.c). What is
 * Iceberg's own: USING iceberg, partition transforms (days(ts), bucket(n, c)),
 * and primary keys kept as identifier fields. */
#include "dialects/changes.h"
#include "dialects/spark.h"

#include <string.h>

static int create_table(lake__buf *b, const lake_schema *s, const char *table) {
    return lake__spark_create_table(b, s, table, LAKE_DIALECT_ICEBERG);
}

static int ingests_create(lake__buf *b) { return lake__spark_ingests_create(b, LAKE_DIALECT_ICEBERG); }

/* Iceberg has no 8- or 16-bit integers, at any depth: the catalog shows
 * such a column, member or element as int, so that is what the model's type
 * is compared as. Spark's type text quotes every name, so a bare word is a
 * type keyword. */
static int type_probe(lake__buf *b, const lake_column *c) {
    lake__buf spark = LAKE__BUF_INIT;
    lake__spark_type_probe(&spark, c);
    for (size_t i = 0; !spark.failed && i < spark.len;) {
        const char *p = spark.data + i;
        size_t n = 1;
        if (*p == '`') { /* a name, through its closing quote; a doubled quote is part of it */
            while (i + n < spark.len) {
                if (p[n++] != '`') continue;
                if (i + n < spark.len && p[n] == '`') n++;
                else break;
            }
        } else if (*p >= 'A' && *p <= 'Z') {
            while (i + n < spark.len && p[n] >= 'A' && p[n] <= 'Z') n++;
            if ((n == 7 && !memcmp(p, "TINYINT", 7)) || (n == 8 && !memcmp(p, "SMALLINT", 8))) {
                lake__buf_puts(b, "INT");
                i += n;
                continue;
            }
        }
        lake__buf_put(b, p, n);
        i += n;
    }
    if (spark.failed) b->failed = 1;
    lake__buf_dispose(&spark);
    return b->failed ? -1 : 0;
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
