/* SPDX-License-Identifier: MIT */
/* native_sql: the engine's own SQL when a model is not the point: DDL, DML and
 * reads of any shape, every value bound as a typed parameter (never pasted
 * into the text). Rows of a result no model describes come back typed, with
 * the schema the result has, or as one JSON object each.
 * Usage: example_native_sql [URL]   (default $LAKEORM_URL, else duckdb://:memory:) */
#include <stdio.h>
#include <stdlib.h>

#include <lakeorm.h>

static int print_json(void *ctx, const char *json, size_t len) {
    (void)ctx;
    printf("  %.*s\n", (int)len, json);
    return 0;
}

int main(int argc, char **argv) {
    const char *url = argc > 1 ? argv[1] : getenv("LAKEORM_URL");
    if (!url) url = "duckdb://:memory:";
    lake_error err = LAKE_ERROR_INIT;
    lake_client *client = NULL;
    lake_rows *rows = NULL;
    if (lake_client_open_url(&client, url, NULL, &err)) goto fail;

    /* Several statements without parameters run in turn. */
    if (lake_client_exec(client,
                         "DROP TABLE IF EXISTS fx_rates;\n"
                         "CREATE TABLE fx_rates (base VARCHAR, quote VARCHAR, day DATE, rate DECIMAL(12,6))",
                         NULL, 0, NULL, &err))
        goto fail;
    /* One statement, its ? markers bound in order. A text parameter that
     * looks like SQL stays a value. */
    lake_date d1, d2;
    lake_date_from_civil(&d1, 2024, 3, 1);
    lake_date_from_civil(&d2, 2024, 3, 2);
    const char *insert = "INSERT INTO fx_rates VALUES (?, ?, ?, ?)";
    struct { const char *base, *quote; lake_date day; int64_t micro; } rates[] = {
        {"EUR", "USD", d1, 1084250}, {"EUR", "USD", d2, 1085100},
        {"EUR", "GBP", d1, 856300},  {"EUR", "x'); DROP TABLE fx_rates; --", d2, 1},
    };
    int64_t inserted = 0;
    for (size_t i = 0; i < sizeof rates / sizeof *rates; i++) {
        lake_param p[] = {lake_param_text(rates[i].base), lake_param_text(rates[i].quote),
                          lake_param_date(rates[i].day.days), lake_param_decimal(rates[i].micro, 12, 6)};
        int64_t n;
        if (lake_client_exec(client, insert, p, 4, &n, &err)) goto fail;
        inserted += n;
    }
    printf("inserted %lld rows, one statement each\n", (long long)inserted);
    lake_param junk[] = {lake_param_decimal(1, 12, 6)};
    int64_t deleted;
    if (lake_client_exec(client, "DELETE FROM fx_rates WHERE rate = ?", junk, 1, &deleted, &err)) goto fail;
    printf("deleted %lld row (the one whose quote was an injection attempt)\n", (long long)deleted);

    /* A result of any shape as JSON objects, one per row. */
    lake_param eur[] = {lake_param_text("EUR")};
    lake_source by_day = LAKE_SQL_PARAMS("SELECT quote, day, rate FROM fx_rates WHERE base = ? ORDER BY quote, day",
                                         eur, 1);
    printf("rates as JSON:\n");
    if (lake_client_query_json(client, &by_day, print_json, NULL, &err)) goto fail;

    /* The same kind of result typed: lake_client_rows without a schema reads
     * the result's own (every column nullable), known after the first row. */
    lake_source summary = LAKE_SQL_PARAMS(
        "SELECT quote, count(*) AS days, max(rate) AS best FROM fx_rates WHERE base = ? GROUP BY quote ORDER BY quote",
        eur, 1);
    if (lake_client_rows(client, NULL, &summary, &rows, &err)) goto fail;
    const void *rec;
    bool header = false;
    while (!lake_rows_next(rows, &rec, &err) && rec) {
        const lake_schema *s = lake_rows_schema(rows);
        if (!header) {
            printf("summary, typed from the result's schema:");
            for (size_t i = 0; i < lake_schema_column_count(s); i++) {
                const lake_column *col = lake_schema_column(s, i);
                printf(" %s:%s", col->name, lake_type_name(col->type));
            }
            printf("\n");
            header = true;
        }
        const lake_column *quote = lake_schema_find(s, "quote"), *days = lake_schema_find(s, "days"),
                          *best = lake_schema_find(s, "best");
        const lake_str *q = (const lake_str *)((const char *)rec + quote->offset);
        const lake_opt_i64 *n = (const lake_opt_i64 *)((const char *)rec + days->offset);
        const lake_opt_dec128 *b = (const lake_opt_dec128 *)((const char *)rec + best->offset);
        char best_text[LAKE_DEC128_TEXT_MAX];
        lake_dec128_format(b->v, best->scale, best_text);
        printf("  %.*s  %lld days  best %s\n", (int)q->len, q->ptr, (long long)n->v, best_text);
    }
    if (err.code) goto fail;
    lake_rows_close(rows);
    lake_client_close(client);
    return 0;
fail:
    fprintf(stderr, "native_sql: %s\n", err.message);
    lake_error_clear(&err);
    lake_rows_close(rows);
    lake_client_close(client);
    return 1;
}
