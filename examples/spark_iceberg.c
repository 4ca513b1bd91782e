/* SPDX-License-Identifier: MIT */
/* spark_iceberg: Apache Iceberg tables on a Spark cluster, through Spark
 * Connect. The table is created partitioned (days of the event time, buckets
 * of the user id), written by two requests (a small one straight through Arrow,
 * a larger one staged as Parquet that Spark reads from the staging folder),
 * and read back typed with a bound parameter.
 * Usage: example_spark_iceberg [URL]   (default $LAKEORM_URL, else
 *   sc://localhost:15002?dialect=iceberg&schema=lake.examples; the staging
 *   folder, a file:// one in $TMPDIR by default, must be one Spark reads:
 *   add &staging=s3://bucket/stage for a remote cluster) */
#include <stdio.h>
#include <stdlib.h>

#include <lakeorm.h>

typedef struct page_view {
    int64_t  user_id;
    lake_str path;
    lake_ts  viewed_at;
    lake_opt_i32 millis;
} page_view;

static const lake_field page_view_fields[] = {
    LAKE_FIELD(page_view, user_id, "user_id,partition=bucket[8]", "min=1"),
    LAKE_FIELD(page_view, path, "path", "required,startswith=/"),
    LAKE_FIELD(page_view, viewed_at, "viewed_at,partition=day", ""),
    LAKE_FIELD(page_view, millis, "millis", "omitempty,gte=0"),
};
static const lake_model page_view_model = LAKE_MODEL(page_view, "page_views", page_view_fields);

static int print_view(void *ctx, const void *record) {
    const page_view *v = record;
    (void)ctx;
    char at[LAKE_TS_TEXT_MAX];
    lake_ts_format(v->viewed_at, at);
    printf("  user %lld %-10.*s %s %s\n", (long long)v->user_id, (int)v->path.len, v->path.ptr, at,
           v->millis.valid ? "timed" : "untimed");
    return 0;
}

static int print_json(void *ctx, const char *json, size_t len) {
    (void)ctx;
    printf("totals: %.*s\n", (int)len, json);
    return 0;
}

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1] : getenv("LAKEORM_URL");
    if (!url) url = "sc://localhost:15002?dialect=iceberg&schema=lake.examples";
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *schema;
    lake_client *client = NULL;
    page_view *many = NULL;
    if (lake_schema_of(&schema, &page_view_model, &err) || lake_client_open_url(&client, url, NULL, &err) ||
        lake_client_exec(client, "DROP TABLE IF EXISTS page_views", NULL, 0, NULL, &err) ||
        lake_client_migrate(client, schema, &err))
        goto fail;

    const int64_t day = 86400000000LL, base = 1717200000000000LL; /* 2024-06-01T00:00:00Z */
    page_view few[] = {
        {7, LAKE_STR("/"), {base + 3600000000LL}, {120, true}},
        {7, LAKE_STR("/pricing"), {base + 3660000000LL}, {340, true}},
        {9, LAKE_STR("/docs"), {base + day}, {0, false}},
    };
    lake_insert_result result = LAKE_INSERT_RESULT_INIT;
    if (lake_client_insert(client, schema, few, 3, NULL, &result, &err)) goto fail;
    printf("inserted %llu views (%s)\n", (unsigned long long)result.rows,
           result.path == LAKE_PATH_DIRECT ? "direct, through Arrow" : "staged");

    enum { MANY = 2000 };
    many = calloc(MANY, sizeof *many);
    if (!many) {
        lake_error_set(&err, LAKE_ENOMEM, "out of memory for %d views", MANY);
        goto fail;
    }
    for (int i = 0; i < MANY; i++)
        many[i] = (page_view){100 + i % 50, LAKE_STR("/blog"), {base + (i % 3) * day + i}, {i % 900, true}};
    lake_insert_options staged = LAKE_INSERT_OPTIONS_INIT;
    staged.path = LAKE_PATH_STAGED;
    if (lake_client_insert(client, schema, many, MANY, &staged, &result, &err)) goto fail;
    printf("inserted %llu views (staged: %llu Parquet bytes, one INSERT ... SELECT)\n",
           (unsigned long long)result.rows, (unsigned long long)result.bytes_staged);

    lake_param user[] = {lake_param_int64(7)};
    lake_source of_user = LAKE_SQL_PARAMS("SELECT * FROM page_views WHERE user_id = ? ORDER BY viewed_at", user, 1);
    printf("views of user 7:\n");
    if (lake_client_query(client, schema, &of_user, print_view, NULL, &err)) goto fail;
    lake_source totals = LAKE_SQL("SELECT count(*) AS views, count(DISTINCT user_id) AS users FROM page_views");
    if (lake_client_query_json(client, &totals, print_json, NULL, &err)) goto fail;
    free(many);
    lake_client_close(client);
    return 0;
fail:
    fprintf(stderr, "spark_iceberg: %s\n", err.message);
    lake_error_clear(&err);
    free(many);
    lake_client_close(client);
    return 1;
}
