/* SPDX-License-Identifier: MIT */
/* The value table itself: ranges, checked narrowing into records, text
 * forms both ways, unit conversions at their bounds, what readers bind, and
 * the wording of their errors. */
#include <float.h>
#include <math.h>

#include "lake_test.h"
#include "values/values.h"

typedef struct every {
    bool b;
    int8_t i8;
    int16_t i16;
    int32_t i32;
    lake_opt_i64 i64;
    float f32;
    double f64;
    lake_str s;
    lake_bytes bin;
    lake_opt_ts at;
    lake_date day;
    lake_dec128 amount;
    lake_uuid id;
    lake_ksuid kid;
} every;
static const lake_field every_fields[] = {
    LAKE_FIELD(every, b, "b", ""),        LAKE_FIELD(every, i8, "i8", ""),
    LAKE_FIELD(every, i16, "i16", ""),    LAKE_FIELD(every, i32, "i32", ""),
    LAKE_FIELD(every, i64, "i64", ""),    LAKE_FIELD(every, f32, "f32", ""),
    LAKE_FIELD(every, f64, "f64", ""),    LAKE_FIELD(every, s, "s,nullable", ""),
    LAKE_FIELD(every, bin, "bin", ""),    LAKE_FIELD(every, at, "at", ""),
    LAKE_FIELD(every, day, "day", ""),    LAKE_DECIMAL(every, amount, 5, 2, "amount", ""),
    LAKE_FIELD(every, id, "id", ""),      LAKE_FIELD(every, kid, "kid", ""),
};
static const lake_model every_model = LAKE_MODEL(every, "every", every_fields);

static const lake__column *col(const char *name) {
    const lake_schema *s;
    if (lake_schema_of(&s, &every_model, NULL)) return NULL;
    const lake_column *c = lake_schema_find(s, name);
    return c ? lake__schema_col(s, (size_t)(c->field_id - 1)) : NULL;
}

static const lake__source INT64 = {.kind = LAKE__V_INT, .bits = 64, .is_signed = true};
static const lake__source INT128 = {.kind = LAKE__V_INT, .bits = 128, .is_signed = true};
static const lake__source DOUBLE = {.kind = LAKE__V_FLOAT, .bits = 64};
static const lake__source TEXT = {.kind = LAKE__V_TEXT};
static const lake__source UUID = {.kind = LAKE__V_UUID};

static lake__fit set_int(const char *name, lake__i128 x, every *e) {
    lake__value v = {.i = x};
    return lake__value_set(col(name), &INT128, &v, e, NULL);
}

static void rows_hold_each_types_range(void) {
    CHECK_EQ_INT(lake__value_type_of(LAKE_INT8)->min, INT8_MIN);
    CHECK_EQ_INT(lake__value_type_of(LAKE_INT8)->max, INT8_MAX);
    CHECK_EQ_INT(lake__value_type_of(LAKE_INT32)->max, INT32_MAX);
    CHECK_EQ_INT(lake__value_type_of(LAKE_INT64)->min, INT64_MIN);
    CHECK_EQ_INT(lake__value_type_of(LAKE_DECIMAL)->kind, LAKE__V_DECIMAL);
    CHECK(lake__value_type_of(LAKE_TIMESTAMP)->json_string);
    CHECK(!lake__value_type_of(LAKE_FLOAT64)->json_string);
    CHECK(lake__value_type_of(0) == NULL);
    CHECK(lake__value_type_of((lake_type)99) == NULL);
    /* every type has a row */
    for (int t = LAKE_BOOL; t <= LAKE_STRUCT; t++) CHECK(lake__value_type_of((lake_type)t)->kind != LAKE__V_NONE);
}

static void integers_narrow_checked(void) {
    every e;
    memset(&e, 0, sizeof e);
    CHECK_EQ_INT(set_int("i8", 127, &e), LAKE__FITS);
    CHECK_EQ_INT(e.i8, 127);
    CHECK_EQ_INT(set_int("i8", 128, &e), LAKE__TOO_BIG);
    CHECK_EQ_INT(set_int("i8", -129, &e), LAKE__TOO_BIG);
    CHECK_EQ_INT(e.i8, 127); /* a refused value leaves the field as it was */
    CHECK_EQ_INT(set_int("i16", -32768, &e), LAKE__FITS);
    CHECK_EQ_INT(e.i16, -32768);
    CHECK_EQ_INT(set_int("i16", 32768, &e), LAKE__TOO_BIG);
    CHECK_EQ_INT(set_int("i32", (lake__i128)INT32_MAX + 1, &e), LAKE__TOO_BIG);
    CHECK_EQ_INT(set_int("i64", (lake__i128)INT64_MAX + 1, &e), LAKE__TOO_BIG);
    CHECK(!e.i64.valid); /* and never marks it valid */
    CHECK_EQ_INT(set_int("i64", INT64_MIN, &e), LAKE__FITS);
    CHECK(e.i64.valid && e.i64.v == INT64_MIN);
    /* a 128-bit source past 64 bits */
    CHECK_EQ_INT(set_int("i64", (lake__i128)1 << 100, &e), LAKE__TOO_BIG);
}

static void floats_narrow_checked(void) {
    every e;
    memset(&e, 0, sizeof e);
    lake__value v = {.f = FLT_MAX};
    CHECK_EQ_INT(lake__value_set(col("f32"), &DOUBLE, &v, &e, NULL), LAKE__FITS);
    CHECK(e.f32 == FLT_MAX);
    v.f = nextafter((double)FLT_MAX, INFINITY) * 2;
    CHECK_EQ_INT(lake__value_set(col("f32"), &DOUBLE, &v, &e, NULL), LAKE__TOO_BIG);
    v.f = -1e300;
    CHECK_EQ_INT(lake__value_set(col("f32"), &DOUBLE, &v, &e, NULL), LAKE__TOO_BIG);
    v.f = -INFINITY; /* a value, not an overflow */
    CHECK_EQ_INT(lake__value_set(col("f32"), &DOUBLE, &v, &e, NULL), LAKE__FITS);
    CHECK(isinf(e.f32) && e.f32 < 0);
    v.f = NAN;
    CHECK_EQ_INT(lake__value_set(col("f32"), &DOUBLE, &v, &e, NULL), LAKE__FITS);
    CHECK(isnan(e.f32));
    v.f = 1e300;
    CHECK_EQ_INT(lake__value_set(col("f64"), &DOUBLE, &v, &e, NULL), LAKE__FITS);
    CHECK(e.f64 == 1e300);
}

static void decimals_rescale_exactly_or_not_at_all(void) {
    every e;
    memset(&e, 0, sizeof e);
    lake__source at3 = {.kind = LAKE__V_DECIMAL, .precision = 4, .scale = 3};
    lake__value v = {.i = 1234}; /* 1.234 into DECIMAL(5,2) */
    CHECK_EQ_INT(lake__value_set(col("amount"), &at3, &v, &e, NULL), LAKE__LOSES_DIGITS);
    v.i = -1230;
    CHECK_EQ_INT(lake__value_set(col("amount"), &at3, &v, &e, NULL), LAKE__FITS);
    CHECK(lake__dec_get(e.amount) == -123);
    v.i = 99999; /* an integer is a decimal of scale 0: 99999.00 has 7 digits */
    CHECK_EQ_INT(lake__value_set(col("amount"), &INT64, &v, &e, NULL), LAKE__TOO_BIG);
    v.i = 999;
    CHECK_EQ_INT(lake__value_set(col("amount"), &INT64, &v, &e, NULL), LAKE__FITS);
    CHECK(lake__dec_get(e.amount) == 99900);
    /* at the field's scale only the precision is checked, against 10^precision */
    lake__source at2 = {.kind = LAKE__V_DECIMAL, .precision = 38, .scale = 2};
    v.i = 99999;
    CHECK_EQ_INT(lake__value_set(col("amount"), &at2, &v, &e, NULL), LAKE__FITS);
    v.i = -100000;
    CHECK_EQ_INT(lake__value_set(col("amount"), &at2, &v, &e, NULL), LAKE__TOO_BIG);
    CHECK(lake__dec_get(e.amount) == 99999);
    CHECK(lake__pow10[0] == 1);
    for (int k = 1; k <= LAKE_DECIMAL_MAX_PRECISION; k++) CHECK(lake__pow10[k] == lake__pow10[k - 1] * 10);
    v.i = (lake__i128)1 << 126; /* rescaling overflows 128 bits: refused, never wrapped */
    CHECK_EQ_INT(lake__value_set(col("amount"), &INT128, &v, &e, NULL), LAKE__TOO_BIG);
    CHECK(lake__dec_get(e.amount) == 99999);
}

static void timestamps_convert_units_checked(void) {
    int64_t us = 0;
    CHECK_EQ_INT(lake__ts_to_us(INT64_MAX / 1000000, LAKE__UNIT_S, &us), LAKE__FITS);
    CHECK_EQ_INT(us, INT64_MAX / 1000000 * 1000000);
    CHECK_EQ_INT(lake__ts_to_us(INT64_MAX / 1000000 + 1, LAKE__UNIT_S, &us), LAKE__TOO_BIG);
    CHECK_EQ_INT(lake__ts_to_us(INT64_MIN / 1000000 - 1, LAKE__UNIT_S, &us), LAKE__TOO_BIG);
    CHECK_EQ_INT(lake__ts_to_us(INT64_MAX / 1000, LAKE__UNIT_MS, &us), LAKE__FITS);
    CHECK_EQ_INT(lake__ts_to_us(INT64_MAX / 1000 + 1, LAKE__UNIT_MS, &us), LAKE__TOO_BIG);
    CHECK_EQ_INT(lake__ts_to_us(INT64_MAX, LAKE__UNIT_US, &us), LAKE__FITS);
    CHECK_EQ_INT(us, INT64_MAX);
    /* nanoseconds are floored to the microsecond that holds the instant, and never overflow */
    CHECK_EQ_INT(lake__ts_to_us(1999, LAKE__UNIT_NS, &us), LAKE__FITS);
    CHECK_EQ_INT(us, 1);
    /* -1.4 us: floor -2, where pyarrow's cast (toward zero) and DuckDB's (to nearest) give -1 */
    CHECK_EQ_INT(lake__ts_to_us(-1400, LAKE__UNIT_NS, &us), LAKE__FITS);
    CHECK_EQ_INT(us, -2);
    CHECK_EQ_INT(lake__ts_to_us(1400, LAKE__UNIT_NS, &us), LAKE__FITS);
    CHECK_EQ_INT(us, 1);
    CHECK_EQ_INT(lake__ts_to_us(-1, LAKE__UNIT_NS, &us), LAKE__FITS); /* stays before the epoch */
    CHECK_EQ_INT(us, -1);
    CHECK_EQ_INT(lake__ts_to_us(-2000, LAKE__UNIT_NS, &us), LAKE__FITS); /* whole microseconds are exact */
    CHECK_EQ_INT(us, -2);
    CHECK_EQ_INT(lake__ts_to_us(INT64_MIN, LAKE__UNIT_NS, &us), LAKE__FITS);
    CHECK_EQ_INT(us, INT64_MIN / 1000 - 1);
    CHECK_EQ_INT(lake__ts_to_us(0, LAKE__UNIT_DAY, &us), LAKE__TOO_BIG); /* not a timestamp unit */

    int64_t x = 0;
    CHECK_EQ_INT(lake__ts_from_us(INT64_MAX / 1000, LAKE__UNIT_NS, &x), LAKE__FITS);
    CHECK_EQ_INT(x, INT64_MAX / 1000 * 1000);
    CHECK_EQ_INT(lake__ts_from_us(INT64_MAX / 1000 + 1, LAKE__UNIT_NS, &x), LAKE__TOO_BIG);
    CHECK_EQ_INT(lake__ts_from_us(INT64_MIN / 1000 - 1, LAKE__UNIT_NS, &x), LAKE__TOO_BIG);
    CHECK_EQ_INT(lake__ts_from_us(1500000, LAKE__UNIT_S, &x), LAKE__LOSES_DIGITS);
    CHECK_EQ_INT(lake__ts_from_us(-2000000, LAKE__UNIT_S, &x), LAKE__FITS);
    CHECK_EQ_INT(x, -2);
    CHECK_EQ_INT(lake__ts_from_us(-1000, LAKE__UNIT_MS, &x), LAKE__FITS);
    CHECK_EQ_INT(x, -1);

    /* into a record, from a source's unit */
    every e;
    memset(&e, 0, sizeof e);
    lake__source ms = {.kind = LAKE__V_TIMESTAMP, .unit = LAKE__UNIT_MS};
    lake__value v = {.t = INT64_MAX};
    CHECK_EQ_INT(lake__value_set(col("at"), &ms, &v, &e, NULL), LAKE__TOO_BIG);
    CHECK(!e.at.valid);
    v.t = -1;
    CHECK_EQ_INT(lake__value_set(col("at"), &ms, &v, &e, NULL), LAKE__FITS);
    CHECK(e.at.valid && e.at.v.us == -1000);
}

static void dates_convert_checked(void) {
    int32_t d = 0;
    CHECK_EQ_INT(lake__date_from_ms(-1, &d), LAKE__FITS);
    CHECK_EQ_INT(d, -1); /* floor: the instant before the epoch is the day before */
    CHECK_EQ_INT(lake__date_from_ms(86400000, &d), LAKE__FITS);
    CHECK_EQ_INT(d, 1);
    CHECK_EQ_INT(lake__date_from_ms((int64_t)INT32_MAX * 86400000, &d), LAKE__FITS);
    CHECK_EQ_INT(d, INT32_MAX);
    CHECK_EQ_INT(lake__date_from_ms(((int64_t)INT32_MAX + 1) * 86400000, &d), LAKE__TOO_BIG);
    CHECK_EQ_INT(lake__date_from_ms(((int64_t)INT32_MIN - 1) * 86400000, &d), LAKE__TOO_BIG);
    CHECK_EQ_INT(lake__date_from_ms(INT64_MIN, &d), LAKE__TOO_BIG);
    int64_t us = 0;
    CHECK_EQ_INT(lake__date_to_us(1, &us), LAKE__FITS);
    CHECK_EQ_INT(us, 86400000000LL);
    CHECK_EQ_INT(lake__date_to_us(-106751991, &us), LAKE__FITS);
    CHECK_EQ_INT(us, -106751991 * 86400000000LL);
    CHECK_EQ_INT(lake__date_to_us(106751992, &us), LAKE__TOO_BIG); /* past INT64_MAX microseconds */
    CHECK_EQ_INT(lake__date_to_us(INT32_MIN, &us), LAKE__TOO_BIG);
    CHECK_EQ_INT(lake__date_of_us(-1), -1);
    CHECK_EQ_INT(lake__date_of_us(86400000000LL), 1);
    CHECK_EQ_INT(lake__date_of_us(INT64_MIN), -106751992);

    every e;
    memset(&e, 0, sizeof e);
    lake__source days = {.kind = LAKE__V_DATE, .unit = LAKE__UNIT_DAY};
    lake__value v = {.t = (int64_t)INT32_MAX + 1};
    CHECK_EQ_INT(lake__value_set(col("day"), &days, &v, &e, NULL), LAKE__TOO_BIG);
    lake__source ms = {.kind = LAKE__V_DATE, .unit = LAKE__UNIT_MS};
    v.t = -86400001;
    CHECK_EQ_INT(lake__value_set(col("day"), &ms, &v, &e, NULL), LAKE__FITS);
    CHECK_EQ_INT(e.day.days, -2);
}

static const char *text_of(lake_type t, unsigned scale, lake__value v, char out[LAKE__VALUE_TEXT_MAX]) {
    size_t n = lake__value_text(t, scale, &v, out);
    return n == strlen(out) ? out : "(length differs)";
}

static void text_forms(void) {
    char b[LAKE__VALUE_TEXT_MAX];
    CHECK_EQ_STR(text_of(LAKE_BOOL, 0, (lake__value){.b = true}, b), "true");
    CHECK_EQ_STR(text_of(LAKE_INT8, 0, (lake__value){.i = -128}, b), "-128");
    CHECK_EQ_STR(text_of(LAKE_INT64, 0, (lake__value){.i = INT64_MIN}, b), "-9223372036854775808");
    CHECK_EQ_STR(text_of(LAKE_FLOAT32, 0, (lake__value){.f = 0.1f}, b), "0.1");
    CHECK_EQ_STR(text_of(LAKE_FLOAT64, 0, (lake__value){.f = 0.1f}, b), "0.10000000149011612");
    CHECK_EQ_STR(text_of(LAKE_FLOAT64, 0, (lake__value){.f = 1e20}, b), "100000000000000000000");
    CHECK_EQ_STR(text_of(LAKE_FLOAT64, 0, (lake__value){.f = 1e21}, b), "1e+21");
    CHECK_EQ_STR(text_of(LAKE_FLOAT64, 0, (lake__value){.f = 1.5e-7}, b), "1.5e-07");
    CHECK_EQ_STR(text_of(LAKE_FLOAT64, 0, (lake__value){.f = -0.0}, b), "-0");
    CHECK_EQ_STR(text_of(LAKE_FLOAT64, 0, (lake__value){.f = -DBL_MAX}, b), "-1.7976931348623157e+308");
    CHECK_EQ_STR(text_of(LAKE_FLOAT64, 0, (lake__value){.f = NAN}, b), "NaN");
    CHECK_EQ_STR(text_of(LAKE_FLOAT32, 0, (lake__value){.f = -INFINITY}, b), "-Infinity");
    CHECK_EQ_STR(text_of(LAKE_FLOAT32, 0, (lake__value){.f = INFINITY}, b), "Infinity");
    CHECK_EQ_STR(text_of(LAKE_DECIMAL, 2, (lake__value){.i = -1230}, b), "-12.30");
    CHECK_EQ_STR(text_of(LAKE_DECIMAL, 38, (lake__value){.i = 5}, b), "0.00000000000000000000000000000000000005");
    CHECK_EQ_STR(text_of(LAKE_TIMESTAMP, 0, (lake__value){.t = 1709642096500000}, b), "2024-03-05T12:34:56.500000Z");
    CHECK_EQ_STR(text_of(LAKE_TIMESTAMP, 0, (lake__value){.t = -1}, b), "1969-12-31T23:59:59.999999Z");
    CHECK_EQ_STR(text_of(LAKE_DATE, 0, (lake__value){.t = -719162}, b), "0001-01-01");
    lake__value id = {.t = 0};
    CHECK(lake__value_parse(&col("id")->pub, "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f", 36, &id) == NULL);
    CHECK_EQ_STR(text_of(LAKE_UUID, 0, id, b), "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f");
    CHECK(lake__value_parse(&col("kid")->pub, "0ujtsYcgvSTl8PAuAdqWYSMnLOv", 27, &id) == NULL);
    CHECK_EQ_STR(text_of(LAKE_SORTABLE_ID, 0, id, b), "0ujtsYcgvSTl8PAuAdqWYSMnLOv");
    /* strings, bytes and structs are their own text */
    CHECK_EQ_INT(lake__value_text(LAKE_STRING, 0, &id, b), 0);
    CHECK_EQ_INT(lake__value_text(LAKE_STRUCT, 0, &id, b), 0);
}

static void text_parses_back(void) {
    lake__value v;
    CHECK(lake__value_parse(&col("amount")->pub, "-12.3", 5, &v) == NULL);
    CHECK(v.i == -1230);
    CHECK_CONTAINS(lake__value_parse(&col("amount")->pub, "1.234", 5, &v), "scale");
    CHECK_CONTAINS(lake__value_parse(&col("amount")->pub, "1000", 4, &v), "precision");
    CHECK(lake__value_parse(&col("at")->pub, "2024-03-05T12:34:56.5Z", 22, &v) == NULL);
    CHECK_EQ_INT(v.t, 1709642096500000);
    CHECK_CONTAINS(lake__value_parse(&col("at")->pub, "2024-03-05T12:34:56.0000001Z", 28, &v), "sub-microsecond");
    CHECK(lake__value_parse(&col("day")->pub, "1969-12-31", 10, &v) == NULL);
    CHECK_EQ_INT(v.t, -1);
    CHECK_EQ_STR(lake__value_parse(&col("id")->pub, "nope", 4, &v),
                 "expected a UUID such as 0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f");
    CHECK_EQ_STR(lake__value_parse(&col("kid")->pub, "nope", 4, &v), "expected a 27-character base62 KSUID");
    CHECK(lake__value_parse(&col("i8")->pub, "1", 1, &v) != NULL); /* integers do not arrive as text */
    /* every text form reads back to the value it came from */
    char b[LAKE__VALUE_TEXT_MAX];
    for (int64_t us = -62135596800000000LL; us < 253402300800000000LL; us += 999999999999937LL) {
        lake__value t = {.t = us};
        size_t n = lake__value_text(LAKE_TIMESTAMP, 0, &t, b);
        CHECK(lake__value_parse(&col("at")->pub, b, n, &v) == NULL);
        CHECK_EQ_INT(v.t, us);
    }
}

static void records_round_trip_through_canonical_values(void) {
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    every e;
    memset(&e, 0, sizeof e);
    /* text and bytes are copied into the arena; an empty value stays non-NULL */
    lake__value v = {.s = {"", 0}};
    CHECK_EQ_INT(lake__value_set(col("s"), &TEXT, &v, &e, arena), LAKE__FITS);
    CHECK(e.s.ptr != NULL && e.s.len == 0);
    char text[] = "caf\xC3\xA9";
    v.s.ptr = text, v.s.len = 5;
    CHECK_EQ_INT(lake__value_set(col("s"), &TEXT, &v, &e, arena), LAKE__FITS);
    text[0] = 'X';
    CHECK(e.s.len == 5 && !memcmp(e.s.ptr, "caf\xC3\xA9", 5));
    /* a UUID into a string field is its text; UUID text into a UUID field is parsed */
    lake__value u;
    CHECK(lake__value_parse(&col("id")->pub, "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f", 36, &u) == NULL);
    CHECK_EQ_INT(lake__value_set(col("s"), &UUID, &u, &e, arena), LAKE__FITS);
    CHECK(e.s.len == 36 && !memcmp(e.s.ptr, "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f", 36));
    v.s.ptr = "0190F6A3-5B1C-7D2E-8F00-1A2B3C4D5E6F", v.s.len = 36;
    CHECK_EQ_INT(lake__value_set(col("id"), &TEXT, &v, &e, arena), LAKE__FITS);
    CHECK(!memcmp(e.id.b, u.id, 16));
    v.s.ptr = "0190f6a3", v.s.len = 8;
    CHECK_EQ_INT(lake__value_set(col("id"), &TEXT, &v, &e, arena), LAKE__BAD_TEXT);
    v.s.ptr = "not a ksuid", v.s.len = 11;
    CHECK_EQ_INT(lake__value_set(col("kid"), &TEXT, &v, &e, arena), LAKE__BAD_TEXT);
    /* get gives back what set stored */
    lake__value back;
    lake__value_get(col("id"), &e, &back);
    CHECK(!memcmp(back.id, u.id, 16));
    lake__value_get(col("s"), &e, &back);
    CHECK(back.s.len == 36 && back.s.ptr == e.s.ptr);
    e.i16 = -5, e.f32 = 0.5f, e.day.days = -3, e.amount = lake__dec_make(-7);
    lake__value_get(col("i16"), &e, &back);
    CHECK(back.i == -5);
    lake__value_get(col("f32"), &e, &back);
    CHECK(back.f == 0.5);
    lake__value_get(col("day"), &e, &back);
    CHECK_EQ_INT(back.t, -3);
    lake__value_get(col("amount"), &e, &back);
    CHECK(back.i == -7);
    lake_arena_free(arena);
}

static void readers_bind_by_the_table(void) {
    lake__source u8 = {.kind = LAKE__V_INT, .bits = 8}, u64 = {.kind = LAKE__V_INT, .bits = 64},
                 i8 = {.kind = LAKE__V_INT, .bits = 8, .is_signed = true},
                 dec = {.kind = LAKE__V_DECIMAL, .precision = 10, .scale = 2},
                 ts = {.kind = LAKE__V_TIMESTAMP, .unit = LAKE__UNIT_NS}, none = {.kind = LAKE__V_NONE};
    CHECK(lake__value_converts(LAKE_INT8, &u64));
    CHECK(lake__value_converts(LAKE_DECIMAL, &u8));
    CHECK(lake__value_converts(LAKE_DECIMAL, &dec));
    CHECK(!lake__value_converts(LAKE_INT64, &dec));
    CHECK(!lake__value_converts(LAKE_FLOAT64, &i8));
    CHECK(lake__value_converts(LAKE_STRING, &UUID));
    CHECK(lake__value_converts(LAKE_UUID, &TEXT));
    CHECK(lake__value_converts(LAKE_SORTABLE_ID, &TEXT));
    CHECK(!lake__value_converts(LAKE_BYTES, &TEXT));
    CHECK(!lake__value_converts(LAKE_DATE, &ts));
    CHECK(!lake__value_converts(LAKE_STRING, &none));
    CHECK(!lake__value_converts((lake_type)0, &TEXT));

    uint8_t p, s;
    CHECK_EQ_INT(lake__value_natural(&i8, &p, &s), LAKE_INT8);
    CHECK_EQ_INT(lake__value_natural(&u8, &p, &s), LAKE_INT16);
    CHECK_EQ_INT(lake__value_natural(&u64, &p, &s), LAKE_DECIMAL);
    CHECK_EQ_INT(p, 20);
    CHECK_EQ_INT(lake__value_natural(&INT128, &p, &s), LAKE_DECIMAL);
    CHECK_EQ_INT(p, 38);
    CHECK_EQ_INT(lake__value_natural(&dec, &p, &s), LAKE_DECIMAL);
    CHECK(p == 10 && s == 2);
    lake__source bad = {.kind = LAKE__V_DECIMAL, .precision = 3, .scale = 4};
    CHECK_EQ_INT(lake__value_natural(&bad, &p, &s), 0);
    CHECK_EQ_INT(lake__value_natural(&ts, &p, &s), LAKE_TIMESTAMP);
    CHECK_EQ_INT(lake__value_natural(&none, &p, &s), 0);

    char name[64];
    lake__source_name(&u64, name, sizeof name);
    CHECK_EQ_STR(name, "uint64");
    lake__source_name(&dec, name, sizeof name);
    CHECK_EQ_STR(name, "decimal(10,2)");
    lake__source_name(&ts, name, sizeof name);
    CHECK_EQ_STR(name, "timestamp[ns]");
}

static void reader_errors_name_the_column(void) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_INT(lake__value_error(&err, &col("i8")->pub, LAKE__TOO_BIG), LAKE_EMISMATCH);
    CHECK_EQ_STR(err.message, "result column \"i8\" holds a value that does not fit its int8 field");
    lake__value_error(&err, &col("amount")->pub, LAKE__TOO_BIG);
    CHECK_EQ_STR(err.message, "result column \"amount\" holds a value that does not fit its field (DECIMAL(5,2))");
    lake__value_error(&err, &col("amount")->pub, LAKE__LOSES_DIGITS);
    CHECK_EQ_STR(err.message, "result column \"amount\" has more decimal places than its field (DECIMAL(5,2))");
    lake__value_error(&err, &col("kid")->pub, LAKE__BAD_TEXT);
    CHECK_EQ_STR(err.message, "result column \"kid\" holds a string that is not a KSUID");
    CHECK_EQ_INT(lake__value_error(&err, &col("kid")->pub, LAKE__NO_MEMORY), LAKE_ENOMEM);
    CHECK_EQ_INT(lake__value_error(NULL, &col("kid")->pub, LAKE__FITS), LAKE_OK);
    lake__value_null_error(&err, &col("day")->pub);
    CHECK_EQ_STR(err.message, "NULL in result column \"day\", but its field is not nullable");
    lake__source none = {.kind = LAKE__V_NONE};
    lake__value_type_error(&err, "x", &none, "DuckDB type 24", &col("day")->pub);
    CHECK_EQ_STR(err.message, "result column \"x\" (DuckDB type 24) cannot be read into a date field");
    lake__value_type_error(&err, "x", &TEXT, "unused", &col("day")->pub);
    CHECK_EQ_STR(err.message, "result column \"x\" (text) cannot be read into a date field");
    const lake_schema *s;
    lake_schema_of(&s, &every_model, NULL);
    lake__value_missing_error(&err, s, "lat", "where");
    CHECK_EQ_STR(err.message, "the result has no column \"lat\" in where (model every)");
    CHECK_EQ_INT(lake__value_missing_error(NULL, s, "lat", ""), LAKE_EMISMATCH);
    lake_error_clear(&err);
}

/* Nested places render as one path; a map's repeated key is found among a
 * few keys and among many. */
static void nested_places_and_map_keys(void) {
    lake__place top = {NULL, "items", NULL, 0, 0, false}, third = {&top, NULL, NULL, 0, 3, true},
                sku = {&third, "sku", NULL, 0, 0, false}, any = {&top, NULL, NULL, 0, 0, false},
                key = {&sku, NULL, "k\"1", 3, 0, false};
    lake__named nm;
    CHECK_EQ_STR(lake__place_name(&nm, col("day"), &sku)->name, "items[3].sku");
    CHECK_EQ_STR(lake__place_name(&nm, col("day"), &any)->name, "items[]");
    CHECK_EQ_STR(lake__place_name(&nm, col("day"), &key)->name, "items[3].sku[\"k\"1\"]");
    CHECK_EQ_INT(lake__place_name(&nm, col("day"), &sku)->type, LAKE_DATE);
    enum { MANY = 40 };
    typedef struct entry {
        lake_str key;
        int64_t value;
    } entry;
    static char names[MANY][8];
    entry entries[MANY];
    for (int i = 0; i < MANY; i++) {
        snprintf(names[i], sizeof names[i], "k%d", i);
        entries[i] = (entry){{names[i], strlen(names[i])}, i};
    }
    bool no_memory = true;
    for (size_t n = 3; n <= MANY; n += MANY - 3) {
        CHECK(lake__map_duplicate_key(entries, n, sizeof(entry), &no_memory) == NULL);
        CHECK(!no_memory);
        entries[n - 1].key = (lake_str){"k1", 2};
        const lake_str *dup = lake__map_duplicate_key(entries, n, sizeof(entry), &no_memory);
        CHECK(dup != NULL && dup->len == 2 && !memcmp(dup->ptr, "k1", 2));
        entries[n - 1].key = (lake_str){names[n - 1], strlen(names[n - 1])};
    }
    entries[1].key = (lake_str){"", 0}, entries[2].key = (lake_str){"k", 1};
    CHECK(lake__map_duplicate_key(entries, MANY, sizeof(entry), &no_memory) == NULL); /* a prefix is another key */
    lake_error err = LAKE_ERROR_INIT;
    lake__value_duplicate_key_error(&err, lake__place_name(&nm, col("day"), &top), &(lake_str){"k1", 2});
    CHECK_EQ_STR(err.message, "result column \"items\" holds a map with the key \"k1\" twice; a map's keys are unique");
    lake_error_clear(&err);
}

int main(void) {
    LAKE_RUN(nested_places_and_map_keys);
    LAKE_RUN(rows_hold_each_types_range);
    LAKE_RUN(integers_narrow_checked);
    LAKE_RUN(floats_narrow_checked);
    LAKE_RUN(decimals_rescale_exactly_or_not_at_all);
    LAKE_RUN(timestamps_convert_units_checked);
    LAKE_RUN(dates_convert_checked);
    LAKE_RUN(text_forms);
    LAKE_RUN(text_parses_back);
    LAKE_RUN(records_round_trip_through_canonical_values);
    LAKE_RUN(readers_bind_by_the_table);
    LAKE_RUN(reader_errors_name_the_column);
    return lake_test_summary();
}
