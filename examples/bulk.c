/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
/* bulk: a large insert takes the staged path: records stream into Parquet
 * parts on the staging backend, then one INSERT ... SELECT makes them all
 * visible at once. Usage: example_bulk [ROWS]   (default 200000) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <lakeorm.h>

typedef struct reading {
    int64_t     sensor;
    lake_ts     at;
    double      celsius;
    lake_opt_f64 humidity;
} reading;

static const lake_field reading_fields[] = {
    LAKE_FIELD(reading, sensor, "sensor", "min=1"),
    LAKE_FIELD(reading, at, "at,partition=day", ""),
    LAKE_FIELD(reading, celsius, "celsius", "gte=-90,lte=60"),
    LAKE_FIELD(reading, humidity, "humidity", "omitempty,gte=0,lte=100"),
};
static const lake_model reading_model = LAKE_MODEL(reading, "readings", reading_fields);

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 200000;
    reading *rows = malloc(n * sizeof *rows);
    if (!rows) return 1;
    for (size_t i = 0; i < n; i++)
        rows[i] = (reading){1 + (int64_t)(i % 500), {1700000000000000LL + (int64_t)i * 1000000}, 15.0 + (double)(i % 200) / 10,
                            {(double)(i % 100), i % 7 != 0}};

    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *schema;
    lake_client *client = NULL;
    if (lake_schema_of(&schema, &reading_model, &err) || lake_client_open(&client, NULL, &err) ||
        lake_client_migrate(client, schema, &err))
        goto fail;
    lake_insert_options opts = LAKE_INSERT_OPTIONS_INIT;
    opts.path = LAKE_PATH_STAGED; /* AUTO picks it by itself above 128 MiB */
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    double t = seconds();
    if (lake_client_insert(client, schema, rows, n, &opts, &r, &err)) goto fail;
    t = seconds() - t;
    printf("%zu readings in %.2f s (%.0f rows/s), %.1f MB of Parquet staged and removed\n", n, t, (double)n / t,
           (double)r.bytes_staged / 1e6);
    lake_client_close(client);
    free(rows);
    return r.path == LAKE_PATH_STAGED && r.rows == n ? 0 : 1;
fail:
    fprintf(stderr, "bulk: %s\n", err.message);
    lake_error_clear(&err);
    lake_client_close(client);
    free(rows);
    return 1;
}
