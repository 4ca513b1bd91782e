/* SPDX-License-Identifier: MIT */
/* joins: a read-side projection struct over a join. Result columns bind to
 * fields by name; the projection needs no table of its own. */
#include <stdio.h>

#include <lakeorm.h>

typedef struct customer {
    int64_t  id;
    lake_str name;
} customer;
static const lake_field customer_fields[] = {
    LAKE_FIELD(customer, id, "id,pk", ""),
    LAKE_FIELD(customer, name, "name", "required"),
};
static const lake_model customer_model = LAKE_MODEL(customer, "customers", customer_fields);

typedef struct purchase {
    int64_t     id;
    int64_t     customer_id;
    lake_dec128 amount;
} purchase;
static const lake_field purchase_fields[] = {
    LAKE_FIELD(purchase, id, "id,pk", ""),
    LAKE_FIELD(purchase, customer_id, "customer_id", "min=1"),
    LAKE_DECIMAL(purchase, amount, 12, 2, "amount", "gt=0"),
};
static const lake_model purchase_model = LAKE_MODEL(purchase, "purchases", purchase_fields);

/* What the report needs, shaped like the query's result, not like a table. */
typedef struct spend {
    lake_str    name;
    int64_t     purchases;
    lake_dec128 total;
} spend;
static const lake_field spend_fields[] = {
    LAKE_FIELD(spend, name, "name", ""),
    LAKE_FIELD(spend, purchases, "purchases", ""),
    LAKE_DECIMAL(spend, total, 18, 2, "total", ""),
};
static const lake_model spend_model = LAKE_MODEL(spend, "spend", spend_fields);

#define S(text) ((lake_str){text, sizeof text - 1})
#define CENTS(n) ((lake_dec128){(uint64_t)(n), 0})

int main(void) {
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *customers, *purchases, *report;
    lake_client *client = NULL;
    lake_arena *arena = NULL;
    void *rows = NULL;
    size_t n = 0;
    if (lake_schema_of(&customers, &customer_model, &err) || lake_schema_of(&purchases, &purchase_model, &err) ||
        lake_schema_of(&report, &spend_model, &err) || lake_client_open(&client, NULL, &err) ||
        lake_client_migrate(client, customers, &err) || lake_client_migrate(client, purchases, &err) ||
        lake_arena_new(&arena))
        goto fail;
    customer c[] = {{1, S("Ada")}, {2, S("Grace")}, {3, S("Edsger")}};
    purchase p[] = {{1, 1, CENTS(1999)}, {2, 1, CENTS(500)}, {3, 2, CENTS(12000)}, {4, 3, CENTS(250)}};
    if (lake_client_insert(client, customers, c, 3, NULL, NULL, &err) ||
        lake_client_insert(client, purchases, p, 4, NULL, NULL, &err))
        goto fail;
    lake_param min_total[] = {lake_param_decimal(1000, 10, 2)};
    lake_source q = LAKE_SQL_PARAMS("SELECT c.name, count(*) AS purchases, sum(p.amount) AS total "
                                    "FROM customers c JOIN purchases p ON p.customer_id = c.id "
                                    "GROUP BY c.name HAVING sum(p.amount) >= CAST(? AS DECIMAL(18,2)) ORDER BY total DESC",
                                    min_total, 1);
    if (lake_client_query_all(client, report, &q, arena, &rows, &n, &err)) goto fail;
    for (size_t i = 0; i < n; i++) {
        const spend *s = (const spend *)rows + i;
        printf("%-8.*s %lld purchases, %llu.%02llu total\n", (int)s->name.len, s->name.ptr, (long long)s->purchases,
               (unsigned long long)(s->total.lo / 100), (unsigned long long)(s->total.lo % 100));
    }
    lake_free(rows);
    lake_arena_free(arena);
    lake_client_close(client);
    return n == 2 ? 0 : 1;
fail:
    fprintf(stderr, "joins: %s\n", err.message);
    lake_error_clear(&err);
    lake_arena_free(arena);
    lake_client_close(client);
    return 1;
}
