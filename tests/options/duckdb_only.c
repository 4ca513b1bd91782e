/* SPDX-License-Identifier: MIT */
/* The DuckDB-only build at work (tests/options/duckdb_only.sh builds it with
 * every LAKE_WITH_* off): a client opens, inserts, reads back, and every part
 * that was left out says so by name, LAKE_ENOTSUP, rather than failing in
 * some other way. Exit 0 when all holds, 1 with a line per failure. */
#include <stdio.h>
#include <string.h>

#include <lakeorm.h>

typedef struct item {
    int64_t id;
    lake_str name;
} item;
static const lake_field item_fields[] = {LAKE_FIELD(item, id, "id,pk", ""), LAKE_FIELD(item, name, "name", "required")};
static const lake_model item_model = LAKE_MODEL(item, "items", item_fields);

static int failures;

static void expect(int ok, const char *what, const lake_error *err) {
    if (ok) return;
    failures++;
    fprintf(stderr, "duckdb_only: %s%s%s\n", what, err && err->message[0] ? ": " : "", err ? err->message : "");
}

static int sum_ids(void *ctx, const void *record) {
    *(int64_t *)ctx += ((const item *)record)->id;
    return 0;
}

/* A part left out: LAKE_ENOTSUP, naming its option. */
static void left_out(int rc, const lake_error *err, const char *option) {
    char what[160];
    snprintf(what, sizeof what, "expected LAKE_ENOTSUP naming %s, got %s", option, lake_strerror(rc));
    expect(rc == LAKE_ENOTSUP && strstr(err->message, option), what, err);
}

int main(void) {
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *s;
    lake_client *c = NULL;
    if (lake_schema_of(&s, &item_model, &err) || lake_client_open(&c, NULL, &err) || lake_client_migrate(c, s, &err)) {
        fprintf(stderr, "duckdb_only: cannot open a DuckDB client: %s\n", err.message);
        return 1;
    }
    item rows[3] = {{1, {"one", 3}}, {2, {"two", 3}}, {3, {"three", 5}}};
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    expect(lake_client_insert(c, s, rows, 3, NULL, &r, &err) == LAKE_OK && r.inserted == 3, "insert of 3 rows", &err);
    int64_t sum = 0;
    lake_source all = LAKE_TABLE(NULL);
    expect(lake_client_query(c, s, &all, sum_ids, &sum, &err) == LAKE_OK && sum == 6, "query of the 3 rows", &err);
    lake_client_close(c);

    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.driver = "spark";
    o.database = "sc://127.0.0.1:15002";
    left_out(lake_client_open(&c, &o, &err), &err, "LAKE_WITH_SPARK");
    o.driver = "databricks";
    o.database = "https://example.cloud.databricks.com/sql/1.0/warehouses/abc";
    left_out(lake_client_open(&c, &o, &err), &err, "LAKE_WITH_DATABRICKS");
    left_out(lake_client_open_url(&c, "sc://127.0.0.1:15002", NULL, &err), &err, "LAKE_WITH_SPARK");

    lake_backend *b = NULL;
    left_out(lake_backend_open(&b, "s3://lake/stage", &err), &err, "LAKE_WITH_S3");
    left_out(lake_backend_open(&b, "gs://lake/stage", &err), &err, "LAKE_WITH_GCS");
    left_out(lake_backend_open_s3(&b, "s3://lake/stage", NULL, &err), &err, "LAKE_WITH_S3");
    left_out(lake_backend_open_gcs(&b, "gs://lake/stage", NULL, &err), &err, "LAKE_WITH_GCS");
    o = (lake_client_options)LAKE_CLIENT_OPTIONS_INIT;
    o.staging = "s3://lake/stage";
    left_out(lake_client_open(&c, &o, &err), &err, "LAKE_WITH_S3");
    lake_error_clear(&err);
    if (failures) return 1;
    printf("duckdb_only: insert and query work; spark, databricks, s3:// and gs:// answer LAKE_ENOTSUP naming their option\n");
    return 0;
}
