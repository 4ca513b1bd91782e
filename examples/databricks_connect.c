/* SPDX-License-Identifier: MIT */
/* databricks_connect: a Databricks cluster through Databricks Connect, which
 * is Spark Connect over TLS with a token and the cluster's id as request
 * headers. The Spark driver speaks it unchanged; the dialect is Delta, and
 * names are Unity Catalog's catalog.schema.table. The token never appears in
 * output or errors.
 * Usage: example_databricks_connect [URL]   (default $LAKEORM_URL, else built from
 *   DATABRICKS_HOST, DATABRICKS_TOKEN and DATABRICKS_CLUSTER_ID:
 *   sc://HOST:443/;token=TOKEN;x-databricks-cluster-id=ID?dialect=delta&schema=main.lakeorm_examples;
 *   staging must be a location the cluster reads: add &staging=s3://bucket/prefix) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

typedef struct sensor_alert {
    lake_str sensor;
    lake_ts  raised_at;
    lake_str level;
    double   value;
} sensor_alert;

static const lake_field sensor_alert_fields[] = {
    LAKE_FIELD(sensor_alert, sensor, "sensor,mergeKey", "required"),
    LAKE_FIELD(sensor_alert, raised_at, "raised_at,mergeKey", ""),
    LAKE_FIELD(sensor_alert, level, "level", "required,oneof=warn critical"),
    LAKE_FIELD(sensor_alert, value, "value", ""),
};
static const lake_model sensor_alert_model = LAKE_MODEL(sensor_alert, "sensor_alerts", sensor_alert_fields);

int main(int argc, char **argv) {
    char built[2048];
    const char *url = argc > 1 ? argv[1] : getenv("LAKEORM_URL");
    const char *host = getenv("DATABRICKS_HOST"), *token = getenv("DATABRICKS_TOKEN"),
               *cluster = getenv("DATABRICKS_CLUSTER_ID");
    if (!url && host && token && cluster) {
        if (!strncmp(host, "https://", 8)) host += 8;
        snprintf(built, sizeof built, "sc://%.*s:443/;token=%s;x-databricks-cluster-id=%s?dialect=delta&schema=main.lakeorm_examples",
                 (int)strcspn(host, "/"), host, token, cluster);
        url = built;
    }
    if (!url) {
        fprintf(stderr, "usage: example_databricks_connect URL\n"
                        "  (or set DATABRICKS_HOST, DATABRICKS_TOKEN and DATABRICKS_CLUSTER_ID)\n");
        return 2;
    }
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *schema;
    lake_client *client = NULL;
    lake_arena *arena = NULL;
    const char *driver;
    if (lake_schema_of(&schema, &sensor_alert_model, &err) || lake_client_open_url(&client, url, NULL, &err) ||
        lake_arena_new(&arena))
        goto fail;
    lake_client_native(client, &driver);
    /* Print where, never the address itself: it holds the token. */
    printf("connected through the %s driver to %.*s\n", driver, (int)strcspn(url + 5, "/;?"), url + 5);
    if (lake_client_exec(client, "DROP TABLE IF EXISTS sensor_alerts", NULL, 0, NULL, &err) ||
        lake_client_migrate(client, schema, &err))
        goto fail;

    lake_ts t0;
    if (lake_ts_parse(&t0, "2024-07-01T08:00:00Z", 20, &err)) goto fail;
    sensor_alert alerts[] = {
        {LAKE_STR("boiler-1"), t0, LAKE_STR("warn"), 81.5},
        {LAKE_STR("boiler-2"), t0, LAKE_STR("warn"), 79.0},
    };
    lake_insert_result result = LAKE_INSERT_RESULT_INIT;
    if (lake_client_insert(client, schema, alerts, 2, NULL, &result, &err)) goto fail;
    printf("raised %llu alerts\n", (unsigned long long)result.inserted);
    /* The same alert again, escalated: an upsert on (sensor, raised_at). */
    alerts[0].level = LAKE_STR("critical");
    alerts[0].value = 96.0;
    if (lake_client_insert(client, schema, alerts, 1, NULL, &result, &err)) goto fail;
    printf("escalated: %llu updated\n", (unsigned long long)result.updated);

    sensor_alert worst;
    lake_source top = LAKE_SQL("SELECT * FROM sensor_alerts ORDER BY value DESC LIMIT 1");
    if (lake_client_query_first(client, schema, &top, arena, &worst, &err)) goto fail;
    printf("worst: %.*s %.*s %.1f\n", (int)worst.sensor.len, worst.sensor.ptr, (int)worst.level.len, worst.level.ptr,
           worst.value);
    lake_arena_free(arena);
    lake_client_close(client);
    return 0;
fail:
    fprintf(stderr, "databricks_connect: %s\n", err.message);
    lake_error_clear(&err);
    lake_arena_free(arena);
    lake_client_close(client);
    return 1;
}
