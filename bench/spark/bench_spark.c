/* SPDX-License-Identifier: MIT */
/* lakeorm's Spark Connect driver on a local Spark server: ROWS records
 * inserted through the direct path (Arrow local relations) and the staged
 * path (Parquet parts Spark reads), then read back typed, once as a stream
 * (constant memory) and once into an array. Prints one line per measure:
 * name=... rows=... seconds=...
 * Usage: bench_spark sc://ADDRESS ROWS STAGING_DIR */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../sale.h"

static void die(const char *what, const lake_error *err) {
    fprintf(stderr, "bench_spark: %s: %s\n", what, err ? err->message : "");
    exit(1);
}

/* The same records bench/spark/pyspark_peer.py makes. */
static void make(sale *rows, size_t n) {
    static const char *tenants[] = {"acme", "globex", "initech", "umbrella"};
    static char products[100][16];
    for (int p = 0; p < 100; p++) snprintf(products[p], sizeof products[p], "product-%02d", p);
    for (size_t i = 0; i < n; i++) {
        int64_t id = (int64_t)i;
        rows[i] = (sale){id, {tenants[id % 4], strlen(tenants[id % 4])}, {products[id % 100], 10},
                         {{(uint64_t)(id % 100000), 0}, true}, {1700000000000000LL + id * 1000}, {19000 + (int32_t)(id % 1000)},
                         (double)(id % 1000) / 8.0, id % 2 == 0, id % 3 ? (lake_str){"gift wrap", 9} : (lake_str){NULL, 0}};
    }
}

typedef struct tally {
    size_t rows;
    int64_t sum;
} tally;

static int count(void *ctx, const void *record) {
    tally *t = ctx;
    t->rows++;
    t->sum += ((const sale *)record)->id;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: bench_spark sc://ADDRESS ROWS STAGING_DIR\n");
        return 2;
    }
    size_t n = strtoull(argv[2], NULL, 10);
    char staging[4200];
    snprintf(staging, sizeof staging, "file://%s", argv[3]);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.driver = "spark";
    o.dialect = "delta";
    o.database = argv[1];
    o.staging = staging;
    o.default_schema = "bench";
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_client_open(&c, &o, &err)) die("open", &err);
    const lake_schema *s;
    if (lake_schema_of(&s, &sale_model, &err)) die("model", &err);
    sale *rows = malloc(n * sizeof *rows);
    if (!rows) die("out of memory", NULL);
    make(rows, n);
    static const char *paths[] = {"direct", "staged"};
    for (int p = 0; p < 2; p++) {
        if (lake_client_exec(c, "DROP TABLE IF EXISTS bench_sales", NULL, 0, NULL, &err) || lake_client_migrate(c, s, &err)) die("migrate", &err);
        lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
        io.path = p ? LAKE_PATH_STAGED : LAKE_PATH_DIRECT;
        lake_insert_result r = LAKE_INSERT_RESULT_INIT;
        double t = now();
        if (lake_client_insert(c, s, rows, n, &io, &r, &err)) die(paths[p], &err);
        printf("name=lakeorm-%s rows=%zu seconds=%.3f\n", paths[p], n, now() - t);
        fflush(stdout);
    }
    /* Reads: the staged run's table, every row decoded into the struct. */
    lake_source all = LAKE_TABLE(NULL);
    /* The first scan of a freshly written table is slower on the server
     * (file listing, JIT of the scan): scan once untimed, so every timed read,
     * lakeorm's and PySpark's, finds the server equally warm. */
    tally k = {0, 0};
    if (lake_client_query(c, s, &all, count, &k, &err)) die("warm-up", &err);
    k = (tally){0, 0};
    double t = now();
    if (lake_client_query(c, s, &all, count, &k, &err)) die("stream", &err);
    printf("name=lakeorm-stream rows=%zu seconds=%.3f\n", k.rows, now() - t);
    lake_arena *arena;
    lake_arena_new(&arena);
    void *records;
    size_t got;
    t = now();
    if (lake_client_query_all(c, s, &all, arena, &records, &got, &err)) die("array", &err);
    printf("name=lakeorm-array rows=%zu seconds=%.3f\n", got, now() - t);
    if (k.rows != n || got != n || k.sum != (int64_t)(n * (n - 1) / 2)) die("the reads disagree with the writes", NULL);
    lake_free(records);
    lake_arena_free(arena);
    free(rows);
    lake_client_close(c);
    return 0;
}
