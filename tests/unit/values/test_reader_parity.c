/* SPDX-License-Identifier: MIT */
/* The two readers agree: the same edge value, read through DuckDB (a query's
 * result) and through the Arrow reader (what Spark Connect and Databricks
 * hand back; the stream written by pyarrow), into the same field, meets the
 * same outcome: the same value, or LAKE_EMISMATCH with the same message
 * naming the column. Integer bounds and one past them, decimals that lose
 * digits or fit, timestamps at unit bounds and their overflow, NULL into a
 * field that cannot hold it, UUID and KSUID text, bytes, type mismatches. */
#include <unistd.h>

#include "arrow/ipc.h"
#include "drivers/duckdb/connection.h"
#include "drivers/duckdb/read.h"
#include "lake_test.h"
#include "values/values.h"

#define ONE(T, C)                                                   \
    typedef struct T {                                              \
        C v;                                                        \
    } T;                                                            \
    static const lake_field T##_fields[] = {LAKE_FIELD(T, v, "v", "")}; \
    static const lake_model T##_model = LAKE_MODEL(T, "parity", T##_fields);

ONE(i8, int8_t)
ONE(i16, int16_t)
ONE(i32, int32_t)
ONE(i64, int64_t)
ONE(oi32, lake_opt_i32)
ONE(f32, float)
ONE(f64, double)
ONE(ts, lake_ts)
ONE(day, lake_date)
ONE(id, lake_uuid)
ONE(kid, lake_ksuid)
ONE(str, lake_str)
ONE(bin, lake_bytes)

typedef struct dec52 {
    lake_dec128 v;
} dec52;
static const lake_field dec52_fields[] = {LAKE_DECIMAL(dec52, v, 5, 2, "v", "")};
static const lake_model dec52_model = LAKE_MODEL(dec52, "parity", dec52_fields);
typedef struct dec3810 {
    lake_dec128 v;
} dec3810;
static const lake_field dec3810_fields[] = {LAKE_DECIMAL(dec3810, v, 38, 10, "v", "")};
static const lake_model dec3810_model = LAKE_MODEL(dec3810, "parity", dec3810_fields);

typedef struct parity_case {
    const lake_model *model;
    const char *sql;                      /* DuckDB: the result column's value */
    const char *arrow_type, *arrow_value; /* pyarrow: the same value */
    const char *want;                     /* the field read as text, or both readers' error message */
    const char *column;                   /* NULL: "v" */
} parity_case;

#define TOO_BIG(t) "result column \"v\" holds a value that does not fit its " t " field"
#define DEC_TOO_BIG(p, s) "result column \"v\" holds a value that does not fit its field (DECIMAL(" p "," s "))"
#define UUID_TEXT "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f"
#define KSUID_TEXT "0ujtsYcgvSTl8PAuAdqWYSMnLOv"

static const parity_case cases[] = {
    /* integers narrow checked, whatever the source's width and sign */
    {&i8_model, "CAST(127 AS BIGINT)", "pa.int64()", "127", "127", NULL},
    {&i8_model, "CAST(128 AS BIGINT)", "pa.int64()", "128", TOO_BIG("int8"), NULL},
    {&i8_model, "CAST(-128 AS SMALLINT)", "pa.int16()", "-128", "-128", NULL},
    {&i8_model, "CAST(-129 AS SMALLINT)", "pa.int16()", "-129", TOO_BIG("int8"), NULL},
    {&i8_model, "CAST(127 AS UTINYINT)", "pa.uint8()", "127", "127", NULL},
    {&i8_model, "CAST(128 AS UTINYINT)", "pa.uint8()", "128", TOO_BIG("int8"), NULL},
    {&i16_model, "CAST(32767 AS INTEGER)", "pa.int32()", "32767", "32767", NULL},
    {&i16_model, "CAST(32768 AS INTEGER)", "pa.int32()", "32768", TOO_BIG("int16"), NULL},
    {&i32_model, "CAST(2147483647 AS UINTEGER)", "pa.uint32()", "2147483647", "2147483647", NULL},
    {&i32_model, "CAST(2147483648 AS UINTEGER)", "pa.uint32()", "2147483648", TOO_BIG("int32"), NULL},
    {&i32_model, "CAST(-2147483649 AS BIGINT)", "pa.int64()", "-2147483649", TOO_BIG("int32"), NULL},
    {&i64_model, "CAST(9223372036854775807 AS UBIGINT)", "pa.uint64()", "2**63-1", "9223372036854775807", NULL},
    {&i64_model, "CAST(9223372036854775808 AS UBIGINT)", "pa.uint64()", "2**63", TOO_BIG("int64"), NULL},
    {&i64_model, "CAST(-9223372036854775808 AS BIGINT)", "pa.int64()", "-2**63", "-9223372036854775808", NULL},
    /* NULL: only into a field that holds it; an empty string is not NULL */
    {&i32_model, "CAST(NULL AS INTEGER)", "pa.int32()", "None",
     "NULL in result column \"v\", but its field is not nullable", NULL},
    {&oi32_model, "CAST(NULL AS INTEGER)", "pa.int32()", "None", "NULL", NULL},
    {&str_model, "CAST(NULL AS VARCHAR)", "pa.string()", "None",
     "NULL in result column \"v\", but its field is not nullable", NULL},
    {&str_model, "''", "pa.string()", "''", "", NULL},
    /* decimals rescale exactly or not at all */
    {&dec52_model, "CAST(123.45 AS DECIMAL(5,2))", "pa.decimal128(5,2)", "D('123.45')", "123.45", NULL},
    {&dec52_model, "CAST(1.234 AS DECIMAL(4,3))", "pa.decimal128(4,3)", "D('1.234')",
     "result column \"v\" has more decimal places than its field (DECIMAL(5,2))", NULL},
    {&dec52_model, "CAST(1.230 AS DECIMAL(4,3))", "pa.decimal128(4,3)", "D('1.230')", "1.23", NULL},
    {&dec52_model, "CAST(1000.00 AS DECIMAL(6,2))", "pa.decimal128(6,2)", "D('1000.00')", DEC_TOO_BIG("5", "2"), NULL},
    {&dec52_model, "CAST(-999.99 AS DECIMAL(38,2))", "pa.decimal128(38,2)", "D('-999.99')", "-999.99", NULL},
    {&dec52_model, "CAST(999 AS INTEGER)", "pa.int32()", "999", "999.00", NULL},
    {&dec52_model, "CAST(1000 AS INTEGER)", "pa.int32()", "1000", DEC_TOO_BIG("5", "2"), NULL},
    {&dec52_model, "CAST(255 AS UTINYINT)", "pa.uint8()", "255", "255.00", NULL},
    {&dec3810_model, "CAST(18446744073709551615 AS UBIGINT)", "pa.uint64()", "2**64-1",
     "18446744073709551615.0000000000", NULL},
    {&dec3810_model, "CAST(9999999999999999999999999999 AS DECIMAL(38,0))", "pa.decimal128(38,0)",
     "D('9999999999999999999999999999')", "9999999999999999999999999999.0000000000", NULL},
    {&dec3810_model, "CAST(99999999999999999999999999999 AS DECIMAL(38,0))", "pa.decimal128(38,0)",
     "D('99999999999999999999999999999')", DEC_TOO_BIG("38", "10"), NULL},
    /* timestamps: every unit to microseconds, overflow refused, nanoseconds floored */
    {&ts_model, "TIMESTAMP_S '294247-01-10 04:00:54'", "pa.timestamp('s')", "9223372036854",
     "294247-01-10T04:00:54Z", NULL},
    {&ts_model, "CAST('infinity' AS TIMESTAMP_S)", "pa.timestamp('s')", "2**63-1", TOO_BIG("timestamp"), NULL},
    {&ts_model, "TIMESTAMP_MS '294247-01-10 04:00:54.775'", "pa.timestamp('ms')", "9223372036854775",
     "294247-01-10T04:00:54.775000Z", NULL},
    {&ts_model, "CAST('infinity' AS TIMESTAMP_MS)", "pa.timestamp('ms')", "2**63-1", TOO_BIG("timestamp"), NULL},
    {&ts_model, "TIMESTAMP_NS '1969-12-31 23:59:59.999999999'", "pa.timestamp('ns')", "-1",
     "1969-12-31T23:59:59.999999Z", NULL},
    {&ts_model, "TIMESTAMP_NS '1969-12-31 23:59:59.999998500'", "pa.timestamp('ns')", "-1500",
     "1969-12-31T23:59:59.999998Z", NULL},
    {&ts_model, "TIMESTAMP_NS '1970-01-01 00:00:00.000001999'", "pa.timestamp('ns')", "1999",
     "1970-01-01T00:00:00.000001Z", NULL},
    {&ts_model, "TIMESTAMPTZ '2024-03-05 12:34:56.5+00'", "pa.timestamp('us', tz='UTC')", "1709642096500000",
     "2024-03-05T12:34:56.500000Z", NULL},
    {&day_model, "DATE '1970-01-01'", "pa.date32()", "0", "1970-01-01", NULL},
    {&day_model, "DATE '0001-01-01'", "pa.date32()", "-719162", "0001-01-01", NULL},
    /* floats: a double past FLT_MAX does not become infinity; NaN and infinities are values */
    {&f32_model, "CAST(1e300 AS DOUBLE)", "pa.float64()", "1e300", TOO_BIG("float32"), NULL},
    {&f32_model, "CAST(3.4028234663852886e38 AS DOUBLE)", "pa.float64()", "3.4028234663852886e38", "3.4028235e+38",
     NULL},
    {&f32_model, "CAST('NaN' AS DOUBLE)", "pa.float64()", "float('nan')", "NaN", NULL},
    {&f32_model, "CAST('-inf' AS DOUBLE)", "pa.float64()", "float('-inf')", "-Infinity", NULL},
    {&f64_model, "CAST(0.1 AS FLOAT)", "pa.float32()", "0.1", "0.10000000149011612", NULL},
    /* UUIDs and KSUIDs, as ids or as text */
    {&id_model, "UUID '" UUID_TEXT "'", "pa.binary(16)", "uuid.UUID('" UUID_TEXT "').bytes", UUID_TEXT, NULL},
    {&id_model, "'" UUID_TEXT "'", "pa.large_string()", "'" UUID_TEXT "'", UUID_TEXT, NULL},
    {&id_model, "'not-a-uuid'", "pa.string()", "'not-a-uuid'", "result column \"v\" holds a string that is not a UUID",
     NULL},
    {&str_model, "UUID '" UUID_TEXT "'", "pa.binary(16)", "uuid.UUID('" UUID_TEXT "').bytes", UUID_TEXT, NULL},
    {&kid_model, "'" KSUID_TEXT "'", "pa.string()", "'" KSUID_TEXT "'", KSUID_TEXT, NULL},
    {&kid_model, "'tooshort'", "pa.string()", "'tooshort'", "result column \"v\" holds a string that is not a KSUID",
     NULL},
    /* bytes, an empty value not NULL */
    {&bin_model, "'\\x00\\x01'::BLOB", "pa.binary()", "b'\\x00\\x01'", "0001", NULL},
    {&bin_model, "''::BLOB", "pa.binary()", "b''", "", NULL},
    /* a column that does not convert, and one that is missing */
    {&i8_model, "true", "pa.bool_()", "True", "result column \"v\" (bool) cannot be read into a int8 field", NULL},
    {&i32_model, "CAST(1.5 AS DECIMAL(4,1))", "pa.decimal128(4,1)", "D('1.5')",
     "result column \"v\" (decimal(4,1)) cannot be read into a int32 field", NULL},
    {&day_model, "TIMESTAMP '2024-01-01'", "pa.timestamp('us')", "0",
     "result column \"v\" (timestamp[us]) cannot be read into a date field", NULL},
    {&i8_model, "1", "pa.int64()", "1", "the result has no column \"v\" (model parity)", "w"},
};
enum { NCASES = sizeof cases / sizeof cases[0] };

/* What a read came to: its status and message, or the field as text. */
typedef struct outcome {
    int rc;
    char text[600];
} outcome;

typedef struct reading {
    const lake_schema *s;
    char text[256];
    size_t rows;
} reading;

/* The one field as text: "NULL", a string's content, bytes in hex, else its text form. */
static int field_text(void *ctx, const void *record) {
    reading *r = ctx;
    const lake__column *c = lake__schema_col(r->s, 0);
    r->rows++;
    if (lake__is_null(c, record)) return snprintf(r->text, sizeof r->text, "NULL"), 0;
    lake__value v;
    lake__value_get(c, record, &v);
    if (c->pub.type == LAKE_STRING) {
        snprintf(r->text, sizeof r->text, "%.*s", (int)v.s.len, v.s.ptr);
    } else if (c->pub.type == LAKE_BYTES) {
        r->text[0] = '\0';
        for (size_t i = 0; i < v.s.len && 2 * i + 2 < sizeof r->text; i++)
            snprintf(r->text + 2 * i, 3, "%02x", (unsigned)(unsigned char)v.s.ptr[i]);
    } else {
        char text[LAKE__VALUE_TEXT_MAX];
        lake__value_text(c->pub.type, c->pub.scale, &v, text);
        snprintf(r->text, sizeof r->text, "%s", text);
    }
    return 0;
}

static void finish(outcome *o, int rc, const reading *r, const lake_error *err) {
    o->rc = rc;
    if (rc) snprintf(o->text, sizeof o->text, "%s", err->message);
    else if (r->rows != 1) snprintf(o->text, sizeof o->text, "%zu rows", r->rows);
    else snprintf(o->text, sizeof o->text, "%s", r->text);
}

static void read_duckdb(lake__duckdb *db, const lake_schema *s, const parity_case *k, lake_arena *arena, outcome *o) {
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT %s AS %s", k->sql, k->column ? k->column : "v");
    reading r = {s, "", 0};
    lake_error err = LAKE_ERROR_INIT;
    finish(o, lake__duckdb_read(db, s, sql, NULL, 0, arena, field_text, &r, &err), &r, &err);
    lake_error_clear(&err);
}

static void read_arrow(const char *file, const lake_schema *s, lake_arena *arena, outcome *o) {
    char *data = NULL;
    size_t len = 0;
    FILE *f = fopen(file, "rb");
    if (f) {
        data = malloc(1 << 16);
        len = fread(data, 1, 1 << 16, f);
        fclose(f);
    }
    reading r = {s, "", 0};
    lake_error err = LAKE_ERROR_INIT;
    if (!data) {
        o->rc = -1;
        snprintf(o->text, sizeof o->text, "no stream %.200s", file);
    } else {
        finish(o, lake__arrow_read(data, len, s, arena, true, field_text, &r, &err), &r, &err);
    }
    free(data);
    lake_error_clear(&err);
}

static char dir[] = "/tmp/lake_parity_XXXXXX";

static void both_readers_agree_on_every_edge_value(void) {
    CHECK(mkdtemp(dir) != NULL);
    char spec[4096];
    snprintf(spec, sizeof spec, "%s/spec", dir);
    FILE *f = fopen(spec, "w");
    CHECK(f != NULL);
    for (size_t i = 0; i < NCASES; i++)
        fprintf(f, "%zu\t%s\t%s\t%s\n", i, cases[i].column ? cases[i].column : "v", cases[i].arrow_type,
                cases[i].arrow_value);
    fclose(f);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' '%s/arrow_cases.py' '%s' '%s'", LAKE_PYTHON, LAKE_TEST_DATA, spec, dir);
    CHECK_EQ_INT(system(cmd), 0);

    lake_error err = LAKE_ERROR_INIT;
    lake__duckdb db;
    CHECK_OK(lake__duckdb_open(&db, NULL, &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    int failures = 0;
    for (size_t i = 0; i < NCASES; i++) {
        const parity_case *k = &cases[i];
        const lake_schema *s;
        CHECK_OK(lake_schema_of(&s, k->model, &err), &err);
        outcome duck, arrow;
        read_duckdb(&db, s, k, arena, &duck);
        char file[4200];
        snprintf(file, sizeof file, "%s/%zu.arrows", dir, i);
        read_arrow(file, s, arena, &arrow);
        bool want_error = strstr(k->want, "result") || strstr(k->want, "NULL in");
        bool ok = duck.rc == arrow.rc && !strcmp(duck.text, arrow.text) && !strcmp(duck.text, k->want) &&
                  (want_error ? duck.rc == LAKE_EMISMATCH : duck.rc == LAKE_OK);
        if (!ok) {
            fprintf(stderr, "  case %zu (%s): want \"%s\"\n    duckdb %d \"%s\"\n    arrow  %d \"%s\"\n", i, k->sql,
                    k->want, duck.rc, duck.text, arrow.rc, arrow.text);
            failures++;
        }
        unlink(file);
    }
    unlink(spec);
    rmdir(dir);
    lake_arena_free(arena);
    lake__duckdb_close(&db);
    CHECK_EQ_INT(failures, 0);
}

int main(void) {
    LAKE_RUN(both_readers_agree_on_every_edge_value);
    return lake_test_summary();
}
