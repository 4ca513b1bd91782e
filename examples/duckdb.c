/* SPDX-License-Identifier: MIT */
/* duckdb: the embedded default end to end, on a database file. Opens a client
 * from a URL, creates a table, ingests a batch of orders through both write
 * paths, reads them back typed, exports them with DuckDB itself through the
 * native handle, and prints the client's metrics.
 * Usage: example_duckdb DIRECTORY   (the database and the export go there) */
#include <stdio.h>
#include <string.h>

#include <duckdb.h>
#include <lakeorm.h>

typedef struct order {
    int64_t     id;
    lake_str    customer;
    lake_str    country;
    lake_dec128 total;
    lake_ts     placed_at;
    lake_str    note;
} order;

static const lake_field order_fields[] = {
    LAKE_FIELD(order, id, "id,pk", "min=1"),
    LAKE_FIELD(order, customer, "customer", "required,email"),
    LAKE_FIELD(order, country, "country", "required,len=2,uppercase"),
    LAKE_DECIMAL(order, total, 12, 2, "total", "gte=0"),
    LAKE_FIELD(order, placed_at, "placed_at,partition=day", ""),
    LAKE_FIELD(order, note, "note,nullable", "max=200"),
};
static const lake_model order_model = LAKE_MODEL(order, "orders", order_fields);

enum { ORDERS = 50000 };
static order orders[ORDERS];

static int sum_totals(void *ctx, const void *record) {
    *(unsigned long long *)ctx += ((const order *)record)->total.lo;
    return 0;
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    static const char *customers[] = {"ann@example.com", "bob@example.org", "chlo\xC3\xA9@example.fr"};
    static const char *countries[] = {"GB", "NL", "FR"};
    for (int i = 0; i < ORDERS; i++)
        orders[i] = (order){i + 1, {customers[i % 3], strlen(customers[i % 3])}, {countries[i % 3], 2},
                            {(uint64_t)(100 + i % 10000), 0}, {1700000000000000LL + (int64_t)i * 60000000},
                            i % 5 ? (lake_str){NULL, 0} : (lake_str){"gift wrap", 9}};

    char url[4200];
    snprintf(url, sizeof url, "duckdb://%s/lake.duckdb?staging=file://%s/staging&compression=zstd", dir, dir);
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *schema;
    lake_client *client = NULL;
    if (lake_schema_of(&schema, &order_model, &err) || lake_client_open_url(&client, url, NULL, &err) ||
        lake_client_migrate(client, schema, &err))
        goto fail;
    lake_client_exec(client, "DELETE FROM orders", NULL, 0, NULL, &err); /* a rerun starts over */

    lake_insert_options direct = LAKE_INSERT_OPTIONS_INIT, staged = LAKE_INSERT_OPTIONS_INIT;
    direct.path = LAKE_PATH_DIRECT;
    staged.path = LAKE_PATH_STAGED;
    lake_insert_result a = LAKE_INSERT_RESULT_INIT, b = LAKE_INSERT_RESULT_INIT;
    if (lake_client_insert(client, schema, orders, ORDERS / 2, &direct, &a, &err) ||
        lake_client_insert(client, schema, orders + ORDERS / 2, ORDERS / 2, &staged, &b, &err))
        goto fail;
    printf("inserted %llu orders directly and %llu through %.1f kB of staged Parquet\n", (unsigned long long)a.rows,
           (unsigned long long)b.rows, (double)b.bytes_staged / 1e3);

    unsigned long long cents = 0;
    lake_source gb = LAKE_SQL("SELECT * FROM orders WHERE country = 'GB'");
    if (lake_client_query(client, schema, &gb, sum_totals, &cents, &err)) goto fail;
    printf("orders from GB total %llu.%02llu\n", cents / 100, cents % 100);

    /* Anything lakeorm does not do, DuckDB does: here an export to Parquet. */
    duckdb_database *db = lake_client_native(client, NULL);
    duckdb_connection con;
    char copy[4300];
    snprintf(copy, sizeof copy, "COPY (SELECT country, count(*) AS n FROM orders GROUP BY country) TO '%s/by_country.parquet'",
             dir);
    if (duckdb_connect(*db, &con) == DuckDBError) goto fail;
    duckdb_state st = duckdb_query(con, copy, NULL);
    duckdb_disconnect(&con);
    if (st == DuckDBError) goto fail;
    printf("wrote %s/by_country.parquet with DuckDB's own COPY\n", dir);

    char *metrics;
    size_t len;
    if (lake_client_metrics_text(client, NULL, &metrics, &len) == LAKE_OK) {
        for (char *line = strtok(metrics, "\n"); line; line = strtok(NULL, "\n"))
            if (!strncmp(line, "lakeorm_inserts_total", 21) || !strncmp(line, "lakeorm_rows_written_total", 26))
                printf("%s\n", line);
        lake_free(metrics);
    }
    lake_client_close(client);
    printf("database: %s/lake.duckdb\n", dir);
    return 0;
fail:
    fprintf(stderr, "duckdb: %s\n", err.code ? err.message : "engine error");
    lake_error_clear(&err);
    lake_client_close(client);
    return 1;
}
