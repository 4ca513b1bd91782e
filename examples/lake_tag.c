/* SPDX-License-Identifier: MIT */
/* lake_tag: what a field's tag says, and what each modifier changes.
 *   "name"             the column (JSON uses it too unless json= says otherwise)
 *   pk, mergeKey       the primary key; the key inserts upsert on
 *   nullable           a NULL string pointer is SQL NULL (lake_opt_* types are nullable already)
 *   partition=<t>      how the table is partitioned (day, bucket[N], truncate[N], ...)
 *   json=<key>         the key JSON input, output and issue paths use
 *   auto=ingestID      lakeorm fills it with the insert's ingest id
 * The example prints the compiled columns with their SQL type in each
 * dialect, decodes request bodies that use the JSON keys, and upserts on the
 * merge key. Usage: example_lake_tag [URL]   (default $LAKEORM_URL, else duckdb://:memory:) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

typedef struct device_reading {
    lake_str    device_id;
    lake_ts     taken_at;
    lake_str    site;
    double      celsius;
    lake_str    firmware; /* nullable: NULL pointer = NULL, "" = an empty string */
    lake_opt_i32 battery;
    lake_str    batch;
} device_reading;

static const lake_field reading_fields[] = {
    LAKE_FIELD(device_reading, device_id, "device_id,mergeKey,partition=bucket[16],json=deviceId", "required"),
    LAKE_FIELD(device_reading, taken_at, "taken_at,mergeKey,partition=day,json=takenAt", ""),
    LAKE_FIELD(device_reading, site, "site,partition=truncate[3]", "required,uppercase"),
    LAKE_FIELD(device_reading, celsius, "celsius,json=tempC", "gte=-90,lte=60"),
    LAKE_FIELD(device_reading, firmware, "firmware,nullable", "omitempty,max=16"),
    LAKE_FIELD(device_reading, battery, "battery_pct,json=battery", "omitempty,gte=0,lte=100"),
    LAKE_FIELD(device_reading, batch, "batch,auto=ingestID", ""),
};
static const lake_model reading_model = LAKE_MODEL(device_reading, "device_readings", reading_fields);

static const char *partition_name(const lake_column *c, char *buf, size_t n) {
    static const char *const names[] = {"", "identity", "year", "month", "day", "hour", "bucket", "truncate"};
    if (c->partition == LAKE_PARTITION_BUCKET || c->partition == LAKE_PARTITION_TRUNCATE)
        snprintf(buf, n, "%s[%d]", names[c->partition], (int)c->partition_param);
    else
        snprintf(buf, n, "%s", names[c->partition]);
    return buf;
}

static int print_reading(void *ctx, const void *record) {
    const device_reading *r = record;
    (void)ctx;
    char at[LAKE_TS_TEXT_MAX];
    lake_ts_format(r->taken_at, at);
    printf("  %.*s %s %.*s %.1f C firmware=%s battery=%s batch=%.8s...\n", (int)r->device_id.len, r->device_id.ptr, at,
           (int)r->site.len, r->site.ptr, r->celsius, r->firmware.ptr ? "set" : "NULL",
           r->battery.valid ? "set" : "NULL", r->batch.ptr);
    return 0;
}

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1] : getenv("LAKEORM_URL");
    if (!url) url = "duckdb://:memory:";
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *schema;
    lake_client *client = NULL;
    lake_arena *arena = NULL;
    if (lake_schema_of(&schema, &reading_model, &err) || lake_arena_new(&arena)) goto fail;

    printf("%-12s %-10s %-12s %-32s %-6s %s\n", "column", "json key", "duckdb", "iceberg / delta", "keys",
           "partition");
    for (size_t i = 0; i < lake_schema_column_count(schema); i++) {
        const lake_column *c = lake_schema_column(schema, i);
        char duck[64], ice[64], delta[64], part[32];
        lake_column_sql_type(c, LAKE_DIALECT_DUCKDB, duck, sizeof duck);
        lake_column_sql_type(c, LAKE_DIALECT_ICEBERG, ice, sizeof ice);
        lake_column_sql_type(c, LAKE_DIALECT_DELTA, delta, sizeof delta);
        char both[140];
        snprintf(both, sizeof both, "%s / %s%s", ice, delta, c->nullable ? "" : " NOT NULL");
        printf("%-12s %-10.*s %-12s %-32s %-6s %s%s\n", c->name, (int)c->json_name_len, c->json_name, duck, both,
               c->merge_key ? "merge" : c->primary_key ? "pk" : "", partition_name(c, part, sizeof part),
               c->auto_ingest_id ? "(filled with the ingest id)" : "");
    }

    /* Request bodies use the JSON keys; an issue's path names the key the
     * client sent, its column the table's name. */
    const char *good[] = {
        "{\"deviceId\":\"th-001\",\"takenAt\":\"2024-05-01T10:00:00Z\",\"site\":\"AMS\",\"tempC\":21.5,"
        "\"firmware\":\"1.4.2\",\"battery\":88}",
        "{\"deviceId\":\"th-002\",\"takenAt\":\"2024-05-01T10:00:00Z\",\"site\":\"BER\",\"tempC\":19.0,"
        "\"firmware\":null}",
    };
    const char *bad = "{\"deviceId\":\"th-003\",\"takenAt\":\"2024-05-01T10:00:00Z\",\"site\":\"ber\",\"tempC\":19.0,"
                      "\"battery\":140,\"device_id\":\"x\"}";
    device_reading readings[2];
    for (size_t i = 0; i < 2; i++)
        if (lake_json_decode(schema, good[i], strlen(good[i]), &readings[i], arena, i, NULL, &err)) goto fail;
    device_reading rejected;
    if (lake_json_decode(schema, bad, strlen(bad), &rejected, arena, 0, NULL, &err) != LAKE_EVALIDATION) {
        fprintf(stderr, "lake_tag: the bad body was accepted\n");
        goto fail;
    }
    printf("a bad body, issue by issue:\n");
    for (size_t i = 0; i < lake_issues_count(err.issues); i++) {
        const lake_issue *is = lake_issues_get(err.issues, i);
        printf("  path %-12s column %-12s rule %s\n", is->path, is->column, is->rule);
    }
    lake_error_clear(&err);

    /* The merge keys make a second insert of the same (device, time) an update. */
    if (lake_client_open_url(&client, url, NULL, &err) ||
        lake_client_exec(client, "DROP TABLE IF EXISTS device_readings", NULL, 0, NULL, &err) ||
        lake_client_migrate(client, schema, &err) ||
        lake_client_insert(client, schema, readings, 2, NULL, NULL, &err))
        goto fail;
    readings[0].celsius = 22.0;
    lake_insert_result result = LAKE_INSERT_RESULT_INIT;
    if (lake_client_insert(client, schema, readings, 1, NULL, &result, &err)) goto fail;
    printf("second insert of th-001 at the same time: %llu inserted, %llu updated\n",
           (unsigned long long)result.inserted, (unsigned long long)result.updated);
    lake_source all = LAKE_SQL("SELECT * FROM device_readings ORDER BY device_id");
    if (lake_client_query(client, schema, &all, print_reading, NULL, &err)) goto fail;
    lake_arena_free(arena);
    lake_client_close(client);
    return 0;
fail:
    fprintf(stderr, "lake_tag: %s\n", err.message);
    lake_error_clear(&err);
    lake_arena_free(arena);
    lake_client_close(client);
    return 1;
}
