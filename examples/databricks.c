/* SPDX-License-Identifier: MIT */
/* databricks: a Databricks SQL warehouse, no cluster to attach to. The
 * warehouse's Statement Execution API runs every statement; lakeorm creates a
 * Delta table, writes a request as one statement of typed parameters, and
 * reads the results (Arrow chunks behind pre-signed links) into structs.
 * Credentials come from the address (;token=...) or from the environment
 * Databricks' own tools read (DATABRICKS_TOKEN, or DATABRICKS_CLIENT_ID and
 * DATABRICKS_CLIENT_SECRET for a service principal).
 * Usage: example_databricks [URL]   (default $LAKEORM_URL, else built from
 *   DATABRICKS_HOST and DATABRICKS_WAREHOUSE_ID:
 *   https://HOST/sql/1.0/warehouses/ID?schema=main.lakeorm_examples) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

typedef struct invoice {
    lake_str    number;
    lake_str    customer;
    lake_dec128 amount;
    lake_date   issued_on;
    bool        paid;
} invoice;

static const lake_field invoice_fields[] = {
    LAKE_FIELD(invoice, number, "number,mergeKey", "required,startswith=INV-"),
    LAKE_FIELD(invoice, customer, "customer", "required"),
    LAKE_DECIMAL(invoice, amount, 12, 2, "amount", "gt=0"),
    LAKE_FIELD(invoice, issued_on, "issued_on", ""),
    LAKE_FIELD(invoice, paid, "paid", ""),
};
static const lake_model invoice_model = LAKE_MODEL(invoice, "invoices", invoice_fields);

static int print_invoice(void *ctx, const void *record) {
    const invoice *i = record;
    (void)ctx;
    char amount[LAKE_DEC128_TEXT_MAX], day[LAKE_DATE_TEXT_MAX];
    lake_dec128_format(i->amount, 2, amount);
    lake_date_format(i->issued_on, day);
    printf("  %.*s %-8.*s %9s %s %s\n", (int)i->number.len, i->number.ptr, (int)i->customer.len, i->customer.ptr,
           amount, day, i->paid ? "paid" : "open");
    return 0;
}

int main(int argc, char **argv) {
    char built[512];
    const char *url = argc > 1 ? argv[1] : getenv("LAKEORM_URL");
    const char *host = getenv("DATABRICKS_HOST"), *warehouse = getenv("DATABRICKS_WAREHOUSE_ID");
    if (!url && host && warehouse) {
        if (!strncmp(host, "https://", 8)) host += 8;
        snprintf(built, sizeof built, "https://%s/sql/1.0/warehouses/%s?schema=main.lakeorm_examples", host, warehouse);
        url = built;
    }
    if (!url) {
        fprintf(stderr, "usage: example_databricks URL   (or set DATABRICKS_HOST and DATABRICKS_WAREHOUSE_ID)\n");
        return 2;
    }
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *schema;
    lake_client *client = NULL;
    if (lake_schema_of(&schema, &invoice_model, &err) || lake_client_open_url(&client, url, NULL, &err) ||
        lake_client_exec(client, "DROP TABLE IF EXISTS invoices", NULL, 0, NULL, &err) ||
        lake_client_migrate(client, schema, &err))
        goto fail;

    lake_date may, june;
    lake_date_from_civil(&may, 2024, 5, 31);
    lake_date_from_civil(&june, 2024, 6, 14);
    invoice batch[] = {
        {LAKE_STR("INV-1001"), LAKE_STR("acme"), {125000, 0}, may, true},
        {LAKE_STR("INV-1002"), LAKE_STR("globex"), {9950, 0}, may, false},
        {LAKE_STR("INV-1003"), LAKE_STR("acme"), {31000, 0}, june, false},
    };
    lake_insert_result result = LAKE_INSERT_RESULT_INIT;
    if (lake_client_insert(client, schema, batch, 3, NULL, &result, &err)) goto fail;
    printf("inserted %llu invoices in one statement\n", (unsigned long long)result.inserted);
    invoice paid = batch[1];
    paid.paid = true;
    if (lake_client_insert(client, schema, &paid, 1, NULL, &result, &err)) goto fail;
    printf("INV-1002 paid: %llu updated (MERGE on the merge key)\n", (unsigned long long)result.updated);

    /* The ? markers travel as the API's named parameters, never in the text. */
    lake_param who[] = {lake_param_text("acme")};
    lake_source of_acme = LAKE_SQL_PARAMS("SELECT * FROM invoices WHERE customer = ? ORDER BY number", who, 1);
    printf("invoices of acme:\n");
    if (lake_client_query(client, schema, &of_acme, print_invoice, NULL, &err)) goto fail;
    lake_source open_ones = LAKE_SQL("SELECT * FROM invoices WHERE NOT paid ORDER BY number");
    printf("open invoices:\n");
    if (lake_client_query(client, schema, &open_ones, print_invoice, NULL, &err)) goto fail;
    lake_client_close(client);
    return 0;
fail:
    fprintf(stderr, "databricks: %s\n", err.message);
    lake_error_clear(&err);
    lake_client_close(client);
    return 1;
}
