/* SPDX-License-Identifier: MIT */
/* Integers and decimals read into decimal fields of a larger scale: the
 * rescale is checked (an error naming the column), never a wrapped value.
 * Both readers share lake__dec_rescale, tested here directly too. */
#include "drivers/duckdb/connection.h"
#include "drivers/duckdb/read.h"
#include "lake_test.h"
#include "util/decimal.h"

typedef struct amount {
    lake_opt_dec128 v;
} amount;
static const lake_field amount_fields[] = {LAKE_DECIMAL(amount, v, 38, 10, "v", "")};
static const lake_model amount_model = LAKE_MODEL(amount, "amounts", amount_fields);
static const lake_field fine_fields[] = {LAKE_DECIMAL(amount, v, 38, 30, "v", "")};
static const lake_model fine_model = LAKE_MODEL(amount, "fine_amounts", fine_fields);

static int keep_first(void *ctx, const void *record) {
    *(amount *)ctx = *(const amount *)record;
    return 0;
}

/* Reads `SELECT <expr> AS v` into the model's decimal; the status, and *out. */
static int read_into(const lake_model *m, const char *expr, amount *out, lake_error *err) {
    const lake_schema *s;
    CHECK_OK(lake_schema_of(&s, m, err), err);
    lake__duckdb d;
    CHECK_OK(lake__duckdb_open(&d, NULL, err), err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s AS v", expr);
    memset(out, 0, sizeof *out);
    int rc = lake__duckdb_read(&d, s, sql, NULL, 0, arena, keep_first, out, err);
    lake_arena_free(arena);
    lake__duckdb_close(&d);
    return rc;
}

static int read_one(const char *expr, amount *out, lake_error *err) { return read_into(&amount_model, expr, out, err); }

static void hugeint_overflowing_the_scale_is_an_error(void) {
    lake_error err = LAKE_ERROR_INIT;
    amount a;
    /* 2^118 * 10^10 is 0 modulo 2^128: an unchecked multiply reads 0. */
    CHECK_STATUS(read_one("CAST(332306998946228968225951765070086144 AS HUGEINT)", &a, &err), LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, "\"v\"");
    lake_error_clear(&err);
    CHECK_STATUS(read_one("CAST(-170141183460469231731687303715884105728 AS HUGEINT)", &a, &err), LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, "\"v\"");
    lake_error_clear(&err);
}

static void large_bigint_is_an_error(void) {
    lake_error err = LAKE_ERROR_INIT;
    amount a;
    /* 9223372036854775807 * 10^30 overflows 128 bits. */
    CHECK_STATUS(read_into(&fine_model, "CAST(9223372036854775807 AS BIGINT)", &a, &err), LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, "does not fit");
    lake_error_clear(&err);
    CHECK_OK(read_into(&fine_model, "CAST(-12 AS BIGINT)", &a, &err), &err);
    char text[48];
    lake__dec_format(lake__dec_get(a.v.v), 30, text);
    CHECK_EQ_STR(text, "-12.000000000000000000000000000000");
}

static void fitting_values_rescale_exactly(void) {
    lake_error err = LAKE_ERROR_INIT;
    amount a;
    char text[48];
    CHECK_OK(read_one("CAST(9999999999999999999999999999 AS HUGEINT)", &a, &err), &err);
    CHECK(a.v.valid);
    lake__dec_format(lake__dec_get(a.v.v), 10, text);
    CHECK_EQ_STR(text, "9999999999999999999999999999.0000000000");
    CHECK_OK(read_one("CAST(-12.5 AS DECIMAL(4,1))", &a, &err), &err);
    lake__dec_format(lake__dec_get(a.v.v), 10, text);
    CHECK_EQ_STR(text, "-12.5000000000");
    lake_error_clear(&err);
}

static void rescale_checks_every_step(void) {
    lake__i128 x = (lake__i128)1 << 118;
    CHECK_EQ_INT(lake__dec_rescale(&x, 0, 10, 38), LAKE__DEC_TOO_BIG);
    CHECK(x == (lake__i128)1 << 118); /* untouched on failure */
    x = 1;
    CHECK_EQ_INT(lake__dec_rescale(&x, 0, 38, 38), LAKE__DEC_TOO_BIG); /* 10^38 has 39 digits */
    x = 1;
    CHECK_EQ_INT(lake__dec_rescale(&x, 0, 37, 38), LAKE__DEC_FITS);
    x = 123;
    CHECK_EQ_INT(lake__dec_rescale(&x, 2, 1, 5), LAKE__DEC_LOSES_DIGITS);
    x = 120;
    CHECK_EQ_INT(lake__dec_rescale(&x, 2, 1, 5), LAKE__DEC_FITS);
    CHECK(x == 12);
    x = 0; /* a server's absurd scale ends at once */
    CHECK_EQ_INT(lake__dec_rescale(&x, -2147483647 - 1, 2147483647, 38), LAKE__DEC_FITS);
    x = 5;
    CHECK_EQ_INT(lake__dec_rescale(&x, 2147483647, -2147483647 - 1, 38), LAKE__DEC_LOSES_DIGITS);
}

int main(void) {
    LAKE_RUN(hugeint_overflowing_the_scale_is_an_error);
    LAKE_RUN(large_bigint_is_an_error);
    LAKE_RUN(fitting_values_rescale_exactly);
    LAKE_RUN(rescale_checks_every_step);
    return lake_test_summary();
}
