/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
/* delta: Delta Lake tables. With no URL, lakeorm keeps the tables itself in a
 * warehouse folder and the embedded DuckDB only computes: no cluster runs, and
 * Spark, delta-rs or DuckDB read the folder afterwards. The same program runs
 * on Spark with Delta (sc://host:15002?dialect=delta&schema=NAME). Each write
 * is one Delta commit: create, insert, then an upsert on the merge keys that
 * rewrites the files holding those keys. Vacuum then lists the files no
 * version needs any more.
 * Usage: example_delta [URL]   (default $LAKEORM_URL, else
 *   duckdb://?dialect=delta&warehouse=file://<a new folder in $TMPDIR>) */
#include <stdio.h>
#include <stdlib.h>

#include <lakeorm.h>

typedef struct shipment {
    lake_str   carrier;
    lake_str   tracking;
    lake_str   status;
    lake_date  shipped_on;
    lake_opt_ts delivered_at;
} shipment;

static const lake_field shipment_fields[] = {
    LAKE_FIELD(shipment, carrier, "carrier,mergeKey,partition", "required"),
    LAKE_FIELD(shipment, tracking, "tracking,mergeKey", "required,alphanum"),
    LAKE_FIELD(shipment, status, "status", "required,oneof=label transit delivered"),
    LAKE_FIELD(shipment, shipped_on, "shipped_on", ""),
    LAKE_FIELD(shipment, delivered_at, "delivered_at", ""),
};
static const lake_model shipment_model = LAKE_MODEL(shipment, "shipments", shipment_fields);

static int print_shipment(void *ctx, const void *record) {
    const shipment *s = record;
    (void)ctx;
    char day[LAKE_DATE_TEXT_MAX], at[LAKE_TS_TEXT_MAX] = "-";
    lake_date_format(s->shipped_on, day);
    if (s->delivered_at.valid) lake_ts_format(s->delivered_at.v, at);
    printf("  %-4.*s %-8.*s %-9.*s shipped %s delivered %s\n", (int)s->carrier.len, s->carrier.ptr,
           (int)s->tracking.len, s->tracking.ptr, (int)s->status.len, s->status.ptr, day, at);
    return 0;
}

static int print_file(void *ctx, const char *key, uint64_t size) {
    (void)ctx;
    printf("  %s (%llu bytes)\n", key, (unsigned long long)size);
    return 0;
}

int main(int argc, char **argv) {
    char url_buf[4200], dir[4096];
    const char *url = argc > 1 ? argv[1] : getenv("LAKEORM_URL");
    if (!url) {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/lakeorm-delta-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(dir)) {
            perror("delta: mkdtemp");
            return 1;
        }
        snprintf(url_buf, sizeof url_buf, "duckdb://?dialect=delta&warehouse=file://%s", dir);
        url = url_buf;
    }
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *schema;
    lake_client *client = NULL;
    if (lake_schema_of(&schema, &shipment_model, &err) || lake_client_open_url(&client, url, NULL, &err)) goto fail;
    printf("delta tables through %s\n", url);
    /* A rerun on Spark starts over; a new warehouse folder has nothing to drop. */
    if (lake_client_exec(client, "DROP TABLE IF EXISTS shipments", NULL, 0, NULL, &err) && err.code != LAKE_ENOTSUP)
        goto fail;
    lake_error_clear(&err);
    if (lake_client_migrate(client, schema, &err)) goto fail;

    lake_date d;
    lake_date_from_civil(&d, 2024, 6, 3);
    shipment monday[] = {
        {LAKE_STR("DHL"), LAKE_STR("JD0001"), LAKE_STR("transit"), d, {{0}, false}},
        {LAKE_STR("DHL"), LAKE_STR("JD0002"), LAKE_STR("label"), d, {{0}, false}},
        {LAKE_STR("UPS"), LAKE_STR("1Z0003"), LAKE_STR("transit"), d, {{0}, false}},
    };
    lake_insert_result result = LAKE_INSERT_RESULT_INIT;
    if (lake_client_insert(client, schema, monday, 3, NULL, &result, &err)) goto fail;
    printf("insert: %llu rows inserted\n", (unsigned long long)result.inserted);

    lake_ts delivered;
    if (lake_ts_parse(&delivered, "2024-06-05T14:30:00Z", 20, &err)) goto fail;
    shipment wednesday[] = {
        {LAKE_STR("DHL"), LAKE_STR("JD0001"), LAKE_STR("delivered"), d, {delivered, true}},
        {LAKE_STR("UPS"), LAKE_STR("1Z0004"), LAKE_STR("label"), d, {{0}, false}},
    };
    if (lake_client_insert(client, schema, wednesday, 2, NULL, &result, &err)) goto fail;
    printf("upsert on (carrier, tracking): %llu inserted, %llu updated\n", (unsigned long long)result.inserted,
           (unsigned long long)result.updated);

    lake_source all = LAKE_SQL("SELECT * FROM shipments ORDER BY carrier, tracking");
    if (lake_client_query(client, schema, &all, print_shipment, NULL, &err)) goto fail;

    /* The upsert replaced the DHL partition's file; the old one is still in
     * the table's history. A dry run with no retention lists it. */
    lake_vacuum_report report = LAKE_VACUUM_REPORT_INIT;
    int rc = lake_client_vacuum(client, "shipments", 0, true, print_file, NULL, &report, &err);
    if (rc == LAKE_ENOTSUP)
        printf("vacuum: the engine keeps these tables (run its own VACUUM)\n");
    else if (rc)
        goto fail;
    else
        printf("vacuum (dry run): %llu file(s) no current version reads\n", (unsigned long long)report.files);
    lake_error_clear(&err);
    lake_client_close(client);
    return 0;
fail:
    fprintf(stderr, "delta: %s\n", err.message);
    lake_error_clear(&err);
    lake_client_close(client);
    return 1;
}
