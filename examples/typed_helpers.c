/* SPDX-License-Identifier: MIT */
/* typed_helpers: the four ways to read rows into a model's structs, and when
 * each fits. A callback per row and a stream hold one row at a time whatever
 * the count; "all" fills one array for a result known to be small; "first"
 * reads one row, and says LAKE_ENOROWS when there is none. A projection
 * model reads a query's own columns (an aggregate here), bound by name.
 * Usage: example_typed_helpers [URL]   (default $LAKEORM_URL, else duckdb://:memory:) */
#include <stdio.h>
#include <stdlib.h>

#include <lakeorm.h>

typedef struct product {
    lake_str sku;
    lake_str category;
    int64_t  cents;
    lake_opt_i32 stock;
} product;
static const lake_field product_fields[] = {
    LAKE_FIELD(product, sku, "sku,pk", "required"),
    LAKE_FIELD(product, category, "category", "required"),
    LAKE_FIELD(product, cents, "cents", "gt=0"),
    LAKE_FIELD(product, stock, "stock", "omitempty,gte=0"),
};
static const lake_model product_model = LAKE_MODEL(product, "products", product_fields);

/* A read-side projection: no table of its own, its columns named by the query. */
typedef struct category_total {
    lake_str category;
    int64_t  items;
    int64_t  stock;
} category_total;
static const lake_field category_total_fields[] = {
    LAKE_FIELD(category_total, category, "category", ""),
    LAKE_FIELD(category_total, items, "items", ""),
    LAKE_FIELD(category_total, stock, "stock", ""),
};
static const lake_model category_total_model = LAKE_MODEL(category_total, "category_totals", category_total_fields);

static int count_row(void *ctx, const void *record) {
    const product *p = record;
    int64_t *value = ctx;
    *value += p->cents * (p->stock.valid ? p->stock.v : 0);
    return 0;
}

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1] : getenv("LAKEORM_URL");
    if (!url) url = "duckdb://:memory:";
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *products, *totals;
    lake_client *client = NULL;
    lake_arena *arena = NULL;
    lake_rows *rows = NULL;
    void *all = NULL;
    if (lake_schema_of(&products, &product_model, &err) || lake_schema_of(&totals, &category_total_model, &err) ||
        lake_client_open_url(&client, url, NULL, &err) ||
        lake_client_exec(client, "DROP TABLE IF EXISTS products", NULL, 0, NULL, &err) ||
        lake_client_migrate(client, products, &err) || lake_arena_new(&arena))
        goto fail;
    product catalogue[] = {
        {LAKE_STR("KB-01"), LAKE_STR("keyboards"), 4999, {12, true}},
        {LAKE_STR("KB-02"), LAKE_STR("keyboards"), 8999, {3, true}},
        {LAKE_STR("MS-01"), LAKE_STR("mice"), 1999, {40, true}},
        {LAKE_STR("MS-02"), LAKE_STR("mice"), 2999, {0, false}},
        {LAKE_STR("CB-01"), LAKE_STR("cables"), 499, {250, true}},
    };
    if (lake_client_insert(client, products, catalogue, 5, NULL, NULL, &err)) goto fail;

    /* 1. A callback per row: constant memory, the record valid during the call. */
    int64_t value = 0;
    lake_source everything = LAKE_TABLE(NULL);
    if (lake_client_query(client, products, &everything, count_row, &value, &err)) goto fail;
    printf("query: stock worth %lld.%02lld\n", (long long)(value / 100), (long long)(value % 100));

    /* 2. A stream: pull one record at a time, stop when you like. */
    lake_param min_cents[] = {lake_param_int64(2000)};
    lake_source dear = LAKE_SQL_PARAMS("SELECT * FROM products WHERE cents >= ? ORDER BY cents DESC", min_cents, 1);
    if (lake_client_rows(client, products, &dear, &rows, &err)) goto fail;
    printf("rows: at least 20.00, dearest first:");
    const void *rec;
    while (!lake_rows_next(rows, &rec, &err) && rec) {
        const product *p = rec;
        printf(" %.*s", (int)p->sku.len, p->sku.ptr);
    }
    if (err.code) goto fail;
    lake_rows_close(rows);
    rows = NULL;
    printf("\n");

    /* 3. Every row into one array, its strings in the caller's arena. */
    size_t count;
    lake_source per_category = LAKE_SQL(
        "SELECT category, count(*) AS items, coalesce(sum(stock), 0) AS stock FROM products "
        "GROUP BY category ORDER BY category");
    if (lake_client_query_all(client, totals, &per_category, arena, &all, &count, &err)) goto fail;
    printf("query_all: %zu categories\n", count);
    for (size_t i = 0; i < count; i++) {
        const category_total *t = (const category_total *)all + i;
        printf("  %-10.*s %lld items, %lld in stock\n", (int)t->category.len, t->category.ptr, (long long)t->items,
               (long long)t->stock);
    }

    /* 4. The first row, and LAKE_ENOROWS when nothing matches. */
    product found;
    const char *skus[] = {"MS-02", "ZZ-99"};
    for (size_t i = 0; i < 2; i++) {
        lake_param key[] = {lake_param_text(skus[i])};
        lake_source by_sku = LAKE_SQL_PARAMS("SELECT * FROM products WHERE sku = ?", key, 1);
        int rc = lake_client_query_first(client, products, &by_sku, arena, &found, &err);
        if (rc == LAKE_ENOROWS)
            printf("query_first %s: no such product (LAKE_ENOROWS)\n", skus[i]);
        else if (rc)
            goto fail;
        else
            printf("query_first %s: %.*s, %lld cents, stock %s\n", skus[i], (int)found.category.len,
                   found.category.ptr, (long long)found.cents, found.stock.valid ? "known" : "unknown (NULL)");
    }
    lake_free(all);
    lake_arena_free(arena);
    lake_client_close(client);
    return 0;
fail:
    fprintf(stderr, "typed_helpers: %s\n", err.message);
    lake_error_clear(&err);
    lake_rows_close(rows);
    lake_free(all);
    lake_arena_free(arena);
    lake_client_close(client);
    return 1;
}
