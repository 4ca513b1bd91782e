/* SPDX-License-Identifier: MIT */
/* The public value helpers (lakeorm/values.h): LAKE_STR, lake_str_of, and the
 * text forms of timestamps, dates and decimals, which must agree with the JSON
 * decoder's. */
#include "lake_test.h"

static void lake_str_counts_the_literal_at_compile_time(void) {
    lake_str s = LAKE_STR("ann@example.com");
    CHECK_EQ_INT(s.len, 15);
    CHECK(memcmp(s.ptr, "ann@example.com", 15) == 0);
    static const lake_str k = LAKE_STR_INIT("a\0b"); /* an embedded NUL counts */
    CHECK_EQ_INT(k.len, 3);
    _Static_assert(sizeof(LAKE_STR("abc").ptr) == sizeof(char *), "a view");
    lake_str e = LAKE_STR("");
    CHECK(e.ptr != NULL);
    CHECK_EQ_INT(e.len, 0);
}

static void lake_str_of_keeps_null_and_empty_apart(void) {
    lake_str n = lake_str_of(NULL), e = lake_str_of(""), a = lake_str_of("abc");
    CHECK(n.ptr == NULL);
    CHECK_EQ_INT(n.len, 0);
    CHECK(e.ptr != NULL);
    CHECK_EQ_INT(e.len, 0);
    CHECK_EQ_INT(a.len, 3);
}

static void ts_parse_reads_rfc3339_and_offsets(void) {
    lake_ts t;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_ts_parse(&t, "1970-01-01T00:00:00Z", 20, &err), &err);
    CHECK_EQ_INT(t.us, 0);
    CHECK_OK(lake_ts_parse(&t, "2024-03-05T12:34:56.5+01:00", 27, &err), &err);
    CHECK_EQ_INT(t.us, 1709638496500000LL);
    char text[LAKE_TS_TEXT_MAX];
    CHECK_EQ_INT(lake_ts_format(t, text), 27);
    CHECK_EQ_STR(text, "2024-03-05T11:34:56.500000Z");
    CHECK_OK(lake_ts_parse(&t, "1969-12-31t23:59:59.999999z", 27, &err), &err);
    CHECK_EQ_INT(t.us, -1);
    lake_ts_format(t, text);
    CHECK_EQ_STR(text, "1969-12-31T23:59:59.999999Z");
    CHECK_EQ_INT(lake_ts_from_unix(1709638496).us, 1709638496000000LL);
    lake_ts_format(lake_ts_from_unix(1709638496), text);
    CHECK_EQ_STR(text, "2024-03-05T11:34:56Z");
}

static void ts_parse_refuses_what_json_refuses(void) {
    static const char *bad[] = {
        "2024-03-05 12:34:56Z",        /* a space for T */
        "2024-03-05T12:34:56",         /* no zone */
        "2024-03-05T12:34:56.1234567Z", /* sub-microsecond digits */
        "2024-02-30T00:00:00Z",        /* no such day */
        "2024-03-05T24:00:00Z",
        "",
    };
    lake_ts t = {42};
    lake_error err = LAKE_ERROR_INIT;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ_INT(lake_ts_parse(&t, bad[i], strlen(bad[i]), &err), LAKE_EINVAL);
        CHECK_CONTAINS(err.message, "RFC 3339 timestamp");
    }
    CHECK_EQ_INT(t.us, 42); /* untouched on failure */
    CHECK_CONTAINS(err.message, "cannot read \"\"");
    CHECK_EQ_INT(lake_ts_parse(&t, "x", 1, NULL), LAKE_EINVAL); /* err may be NULL */
    lake_ts z;
    CHECK_OK(lake_ts_parse(&z, "2024-03-05T12:34:56.1234560Z", 28, &err), &err); /* trailing zeros are fine */
    lake_error_clear(&err);
}

static void date_parse_format_and_civil(void) {
    lake_date d;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_date_parse(&d, "2024-02-29", 10, &err), &err);
    CHECK_EQ_INT(d.days, 19782);
    char text[LAKE_DATE_TEXT_MAX];
    CHECK_EQ_INT(lake_date_format(d, text), 10);
    CHECK_EQ_STR(text, "2024-02-29");
    CHECK_EQ_INT(lake_date_parse(&d, "2023-02-29", 10, &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "2023-02-29");
    CHECK_EQ_INT(lake_date_parse(&d, "2024-2-29", 9, &err), LAKE_EINVAL);
    lake_date c;
    CHECK_OK(lake_date_from_civil(&c, 1969, 12, 31), NULL);
    CHECK_EQ_INT(c.days, -1);
    CHECK_EQ_INT(lake_date_from_civil(&c, 2023, 2, 29), LAKE_EINVAL);
    CHECK_EQ_INT(lake_date_from_civil(&c, 2023, 13, 1), LAKE_EINVAL);
    CHECK_EQ_INT(lake_date_from_civil(&c, 2023, 1, 0), LAKE_EINVAL);
    CHECK_EQ_INT(lake_date_from_civil(&c, 6000000, 1, 1), LAKE_EINVAL); /* past int32 days */
    int32_t y;
    unsigned m, dd;
    lake_date_to_civil((lake_date){19782}, &y, &m, &dd);
    CHECK(y == 2024 && m == 2 && dd == 29);
    lake_date_to_civil((lake_date){-719528}, &y, NULL, NULL); /* 0000-01-01 */
    CHECK_EQ_INT(y, 0);
    lake_error_clear(&err);
}

static void dec128_parse_is_exact(void) {
    lake_dec128 v;
    lake_error err = LAKE_ERROR_INIT;
    char text[LAKE_DEC128_TEXT_MAX];
    CHECK_OK(lake_dec128_parse(&v, "10.5", 4, 18, 2, &err), &err);
    CHECK(v.lo == 1050 && v.hi == 0);
    lake_dec128_format(v, 2, text);
    CHECK_EQ_STR(text, "10.50");
    CHECK_OK(lake_dec128_parse(&v, "-1.5e2", 6, 5, 1, &err), &err);
    CHECK(v.lo == (uint64_t)-1500 && v.hi == -1);
    lake_dec128_format(v, 1, text);
    CHECK_EQ_STR(text, "-150.0");
    CHECK_OK(lake_dec128_parse(&v, "1.000", 5, 3, 0, &err), &err); /* zeros past the scale are fine */
    CHECK(v.lo == 1 && v.hi == 0);
    /* 38 nines: the widest DECIMAL(38,0), past 64 bits. */
    const char *max = "99999999999999999999999999999999999999";
    CHECK_OK(lake_dec128_parse(&v, max, 38, 38, 0, &err), &err);
    CHECK(v.hi > 0);
    CHECK_EQ_INT(lake_dec128_format(v, 0, text), 38);
    CHECK_EQ_STR(text, max);
    lake_dec128_format(v, 38, text);
    CHECK_EQ_STR(text, "0.99999999999999999999999999999999999999");
    lake_dec128_format(lake_dec128_from_i64(-5), 2, text);
    CHECK_EQ_STR(text, "-0.05");
    CHECK_EQ_INT(lake_dec128_format(v, 39, text), 0);
    CHECK_EQ_STR(text, "");
}

static void dec128_parse_refuses_lost_digits_and_bad_types(void) {
    lake_dec128 v = {7, 0};
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_INT(lake_dec128_parse(&v, "1.005", 5, 18, 2, &err), LAKE_EINVAL); /* never rounded */
    CHECK_CONTAINS(err.message, "DECIMAL(18,2)");
    CHECK_EQ_INT(lake_dec128_parse(&v, "1000", 4, 5, 2, &err), LAKE_EINVAL); /* 3 integer digits at most */
    CHECK_EQ_INT(lake_dec128_parse(&v, "abc", 3, 5, 2, &err), LAKE_EINVAL);
    CHECK_EQ_INT(lake_dec128_parse(&v, "1", 1, 0, 0, &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "precision is 1-38");
    CHECK_EQ_INT(lake_dec128_parse(&v, "1", 1, 39, 0, &err), LAKE_EINVAL);
    CHECK_EQ_INT(lake_dec128_parse(&v, "1", 1, 5, 6, &err), LAKE_EINVAL);
    CHECK(v.lo == 7 && v.hi == 0);
    lake_error_clear(&err);
}

/* The helpers and the JSON decoder accept and refuse the same text. */
typedef struct when {
    lake_ts at;
    lake_date on;
    lake_dec128 amount;
} when;
static const lake_field when_fields[] = {
    LAKE_FIELD(when, at, "at", ""),
    LAKE_FIELD(when, on, "on", ""),
    LAKE_DECIMAL(when, amount, 9, 2, "amount", ""),
};
static const lake_model when_model = LAKE_MODEL(when, "when", when_fields);

static void helpers_agree_with_the_json_decoder(void) {
    static const char *ts[] = {"2024-03-05T12:34:56Z", "2024-03-05T12:34:56.000001-07:30", "2024-03-05 12:34:56Z",
                               "2024-03-05T12:34:56.0000001Z", "0001-01-01T00:00:00Z"};
    static const char *amounts[] = {"1.25", "-0.5", "1.255", "1e2", "10000000", "1234567.89"};
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &when_model, &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        for (size_t j = 0; j < sizeof amounts / sizeof amounts[0]; j++) {
            char json[256];
            int n = snprintf(json, sizeof json, "{\"at\":\"%s\",\"on\":\"2024-03-05\",\"amount\":%s}", ts[i], amounts[j]);
            when w;
            int json_rc = lake_json_decode(s, json, (size_t)n, &w, arena, 0, NULL, &err);
            lake_ts t;
            lake_dec128 a;
            int ts_rc = lake_ts_parse(&t, ts[i], strlen(ts[i]), NULL);
            int dec_rc = lake_dec128_parse(&a, amounts[j], strlen(amounts[j]), 9, 2, NULL);
            CHECK_EQ_INT(json_rc == LAKE_OK, ts_rc == LAKE_OK && dec_rc == LAKE_OK);
            if (json_rc == LAKE_OK) {
                CHECK_EQ_INT(w.at.us, t.us);
                CHECK(w.amount.lo == a.lo && w.amount.hi == a.hi);
                CHECK_EQ_INT(w.on.days, 19787);
            }
        }
    }
    lake_arena_free(arena);
    lake_error_clear(&err);
}

int main(void) {
    LAKE_RUN(lake_str_counts_the_literal_at_compile_time);
    LAKE_RUN(lake_str_of_keeps_null_and_empty_apart);
    LAKE_RUN(ts_parse_reads_rfc3339_and_offsets);
    LAKE_RUN(ts_parse_refuses_what_json_refuses);
    LAKE_RUN(date_parse_format_and_civil);
    LAKE_RUN(dec128_parse_is_exact);
    LAKE_RUN(dec128_parse_refuses_lost_digits_and_bad_types);
    LAKE_RUN(helpers_agree_with_the_json_decoder);
    return lake_test_summary();
}
