/* SPDX-License-Identifier: MIT */
/* upsert: a composite merge key. Inserting a record whose (warehouse, sku)
 * exists updates that row; new keys are inserted; all in one request. */
#include <stdio.h>
#include <string.h>

#include <lakeorm.h>

typedef struct stock {
    lake_str warehouse;
    lake_str sku;
    int64_t  quantity;
} stock;

static const lake_field stock_fields[] = {
    LAKE_FIELD(stock, warehouse, "warehouse,mergeKey", "required"),
    LAKE_FIELD(stock, sku, "sku,mergeKey", "required,alphanum"),
    LAKE_FIELD(stock, quantity, "quantity", "gte=0"),
};
static const lake_model stock_model = LAKE_MODEL(stock, "stock", stock_fields);

#define S(text) ((lake_str){text, sizeof text - 1})

static int print_stock(void *ctx, const void *record) {
    const stock *s = record;
    (void)ctx;
    printf("  %-4.*s %-6.*s %lld\n", (int)s->warehouse.len, s->warehouse.ptr, (int)s->sku.len, s->sku.ptr,
           (long long)s->quantity);
    return 0;
}

int main(void) {
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *schema;
    lake_client *client = NULL;
    if (lake_schema_of(&schema, &stock_model, &err) || lake_client_open(&client, NULL, &err) ||
        lake_client_migrate(client, schema, &err))
        goto fail;
    stock monday[] = {{S("AMS"), S("A100"), 10}, {S("AMS"), S("B200"), 5}, {S("BER"), S("A100"), 7}};
    stock tuesday[] = {{S("AMS"), S("B200"), 4}, {S("BER"), S("C300"), 12}};
    if (lake_client_insert(client, schema, monday, 3, NULL, NULL, &err) ||
        lake_client_insert(client, schema, tuesday, 2, NULL, NULL, &err))
        goto fail;
    /* The same on the staged path: MERGE straight from the Parquet parts. */
    lake_insert_options staged = LAKE_INSERT_OPTIONS_INIT;
    staged.path = LAKE_PATH_STAGED;
    stock wednesday[] = {{S("AMS"), S("A100"), 9}};
    if (lake_client_insert(client, schema, wednesday, 1, &staged, NULL, &err)) goto fail;

    printf("stock after three upserts:\n");
    lake_source all = LAKE_SQL("SELECT * FROM stock ORDER BY warehouse, sku");
    if (lake_client_query(client, schema, &all, print_stock, NULL, &err)) goto fail;
    lake_client_close(client);
    return 0;
fail:
    fprintf(stderr, "upsert: %s\n", err.message);
    lake_error_clear(&err);
    lake_client_close(client);
    return 1;
}
