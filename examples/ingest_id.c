/* SPDX-License-Identifier: MIT */
/* ingest-id: reconciliation by batch. Every insert is stamped with one UUIDv7
 * ingest id, in the system column _ingest_id and in any auto=ingestID field;
 * a read model names _ingest_id to group rows by the request that wrote them. */
#include <stdio.h>
#include <string.h>

#include <lakeorm.h>

typedef struct payment {
    int64_t     id;
    lake_dec128 amount;
    lake_str    batch; /* lakeorm fills it: the request's ingest id */
} payment;
static const lake_field payment_fields[] = {
    LAKE_FIELD(payment, id, "id,pk", ""),
    LAKE_DECIMAL(payment, amount, 12, 2, "amount", "gt=0"),
    LAKE_FIELD(payment, batch, "batch,auto=ingestID", ""),
};
static const lake_model payment_model = LAKE_MODEL(payment, "payments", payment_fields);

/* Per request: how many rows, and when it ran (UUIDv7 carries the time). */
typedef struct batch_total {
    lake_uuid ingest;
    int64_t   rows;
    lake_dec128 total;
} batch_total;
static const lake_field batch_total_fields[] = {
    LAKE_FIELD(batch_total, ingest, "_ingest_id", ""),
    LAKE_FIELD(batch_total, rows, "rows", ""),
    LAKE_DECIMAL(batch_total, total, 18, 2, "total", ""),
};
static const lake_model batch_total_model = LAKE_MODEL(batch_total, "payments", batch_total_fields);

static int print_batch(void *ctx, const void *record) {
    const batch_total *b = record;
    char id[LAKE_UUID_TEXT_LEN + 1];
    lake_uuid_format(&b->ingest, id);
    printf("  ingest %s at unix ms %lld: %lld rows, %llu.%02llu\n", id, (long long)lake_uuid7_unix_ms(&b->ingest),
           (long long)b->rows, (unsigned long long)(b->total.lo / 100), (unsigned long long)(b->total.lo % 100));
    ++*(int *)ctx;
    return 0;
}

int main(void) {
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *payments, *totals;
    lake_client *client = NULL;
    if (lake_schema_of(&payments, &payment_model, &err) || lake_schema_of(&totals, &batch_total_model, &err) ||
        lake_client_open(&client, NULL, &err) || lake_client_migrate(client, payments, &err))
        goto fail;
    payment morning[] = {{1, {1000, 0}, {NULL, 0}}, {2, {2550, 0}, {NULL, 0}}};
    payment evening[] = {{3, {99, 0}, {NULL, 0}}};
    lake_insert_result a = LAKE_INSERT_RESULT_INIT, b = LAKE_INSERT_RESULT_INIT;
    if (lake_client_insert(client, payments, morning, 2, NULL, &a, &err) ||
        lake_client_insert(client, payments, evening, 1, NULL, &b, &err))
        goto fail;
    int batches = 0;
    printf("payments by request:\n");
    lake_source q = LAKE_SQL("SELECT _ingest_id, count(*) AS rows, sum(amount) AS total FROM payments "
                             "GROUP BY _ingest_id ORDER BY _ingest_id");
    if (lake_client_query(client, totals, &q, print_batch, &batches, &err)) goto fail;

    /* The auto=ingestID column holds the same id, for tools that only see user columns. */
    char id[LAKE_UUID_TEXT_LEN + 1];
    lake_uuid_format(&b.ingest_id, id);
    lake_param params[] = {lake_param_text(id)};
    lake_arena *arena;
    payment last;
    lake_source evening_rows = LAKE_SQL_PARAMS("SELECT * FROM payments WHERE batch = ?", params, 1);
    if (lake_arena_new(&arena)) goto fail;
    int rc = lake_client_query_first(client, payments, &evening_rows, arena, &last, &err);
    lake_arena_free(arena);
    if (rc) goto fail;
    printf("the evening request wrote payment %lld\n", (long long)last.id);
    lake_client_close(client);
    return batches == 2 && last.id == 3 ? 0 : 1;
fail:
    fprintf(stderr, "ingest-id: %s\n", err.message);
    lake_error_clear(&err);
    lake_client_close(client);
    return 1;
}
