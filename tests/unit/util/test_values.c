/* SPDX-License-Identifier: MIT */
/* The value helpers: exact decimals, calendar arithmetic, base64 and UTF-8. */
#include "lake_test.h"
#include "util/base64.h"
#include "util/decimal.h"
#include "util/time.h"
#include "util/utf8.h"

static const char *dec(const char *text, unsigned p, unsigned s, char out[48]) {
    lake__i128 v;
    const char *why = lake__dec_parse(text, strlen(text), p, s, &v);
    if (why) return why;
    lake__dec_format(v, s, out);
    return out;
}

static void decimals_parse_exactly(void) {
    char b[48];
    CHECK_EQ_STR(dec("12.3", 5, 2, b), "12.30");
    CHECK_EQ_STR(dec("-0.01", 5, 2, b), "-0.01");
    CHECK_EQ_STR(dec("0", 1, 0, b), "0");
    CHECK_EQ_STR(dec("-0", 1, 0, b), "0");
    CHECK_EQ_STR(dec("1.5e2", 5, 2, b), "150.00");
    CHECK_EQ_STR(dec("15E-1", 5, 2, b), "1.50");
    CHECK_EQ_STR(dec("1.230000", 5, 2, b), "1.23");
    CHECK_EQ_STR(dec("99999999999999999999999999999999999999", 38, 0, b), "99999999999999999999999999999999999999");
    CHECK_EQ_STR(dec("-9999999999999999999999999999.9999999999", 38, 10, b), "-9999999999999999999999999999.9999999999");
    CHECK_CONTAINS(dec("100000000000000000000000000000000000000", 38, 0, b), "precision");
    CHECK_CONTAINS(dec("1.234", 5, 2, b), "scale");
    CHECK_CONTAINS(dec("1e-3", 5, 2, b), "scale");
    CHECK_CONTAINS(dec("1000.00", 5, 2, b), "precision");
    CHECK_CONTAINS(dec("1e100000", 38, 0, b), "precision");
    CHECK_EQ_STR(dec("0e100000", 38, 0, b), "0");
    CHECK_EQ_STR(dec("0.000e-100000", 5, 2, b), "0.00");
    CHECK_CONTAINS(dec("", 5, 2, b), "expected");
    CHECK_CONTAINS(dec("01", 5, 2, b), "expected");
    CHECK_CONTAINS(dec("+1", 5, 2, b), "expected");
    CHECK_CONTAINS(dec("1.", 5, 2, b), "expected");
    CHECK_CONTAINS(dec(".1", 5, 2, b), "expected");
    CHECK_CONTAINS(dec("1,5", 5, 2, b), "expected");
    CHECK_CONTAINS(dec("1e", 5, 2, b), "expected");
    CHECK_CONTAINS(dec(" 1", 5, 2, b), "expected");
}

static void calendar_round_trips(void) {
    CHECK_EQ_INT(lake__days_from_civil(1970, 1, 1), 0);
    CHECK_EQ_INT(lake__days_from_civil(2000, 3, 1), 11017);
    CHECK_EQ_INT(lake__days_from_civil(1969, 12, 31), -1);
    CHECK_EQ_INT(lake__days_from_civil(1, 1, 1), -719162);
    for (int64_t d = -800000; d <= 3000000; d += 997) {
        int64_t y;
        unsigned m, day;
        lake__civil_from_days(d, &y, &m, &day);
        CHECK_EQ_INT(lake__days_from_civil(y, m, day), d);
    }
    CHECK_EQ_INT(lake__days_in_month(2000, 2), 29);
    CHECK_EQ_INT(lake__days_in_month(1900, 2), 28);
    CHECK_EQ_INT(lake__days_in_month(2024, 2), 29);
}

static void timestamps_parse_and_format(void) {
    int64_t us;
    char out[40];
    CHECK(lake__parse_timestamp("1970-01-01T00:00:00Z", 20, &us) == NULL && us == 0);
    CHECK(lake__parse_timestamp("1969-12-31T23:59:59.999999Z", 27, &us) == NULL && us == -1);
    CHECK(lake__parse_timestamp("0001-01-01T00:00:00Z", 20, &us) == NULL);
    lake__format_timestamp(us, out);
    CHECK_EQ_STR(out, "0001-01-01T00:00:00Z");
    CHECK(lake__parse_timestamp("9999-12-31T23:59:59.999999+00:00", 32, &us) == NULL);
    lake__format_timestamp(us, out);
    CHECK_EQ_STR(out, "9999-12-31T23:59:59.999999Z");
    CHECK(lake__parse_timestamp("2024-03-05T12:34:56.5-23:59", 27, &us) == NULL);
    lake__format_timestamp(us, out);
    CHECK_EQ_STR(out, "2024-03-06T12:33:56.500000Z");
    lake__format_timestamp(-1, out);
    CHECK_EQ_STR(out, "1969-12-31T23:59:59.999999Z");
    CHECK(lake__parse_timestamp("2024-03-05T12:34:56+24:00", 25, &us) != NULL);
    CHECK(lake__parse_timestamp("2024-03-05T12:34:56.Z", 21, &us) != NULL);
    CHECK(lake__parse_timestamp("2024-03-05T12:34:56ZZ", 21, &us) != NULL);
    CHECK(lake__parse_timestamp("2024-03-05T12:34Z", 17, &us) != NULL);
    int32_t days;
    CHECK(lake__parse_date("1900-02-29", 10, &days) != NULL);
    CHECK(lake__parse_date("2000-02-29", 10, &days) == NULL && days == 11016);
    lake__format_date(-1, out);
    CHECK_EQ_STR(out, "1969-12-31");
}

static void base64_is_strict(void) {
    uint8_t out[16];
    char enc[32];
    CHECK_EQ_INT(lake__base64_decode("", 0, out), 0);
    CHECK_EQ_INT(lake__base64_decode("Zm8=", 4, out), 2);
    CHECK_EQ_INT(lake__base64_decode("Zg==", 4, out), 1);
    CHECK_EQ_INT(lake__base64_decode("+/+/", 4, out), 3);
    CHECK_EQ_INT(lake__base64_decode("Zh==", 4, out), (size_t)-1); /* non-zero unused bits */
    CHECK_EQ_INT(lake__base64_decode("Zg=", 3, out), (size_t)-1);
    CHECK_EQ_INT(lake__base64_decode("Z===", 4, out), (size_t)-1);
    CHECK_EQ_INT(lake__base64_decode("Zg==Zg==", 8, out), (size_t)-1);
    CHECK_EQ_INT(lake__base64_decode("-_8=", 4, out), (size_t)-1); /* URL alphabet */
    for (size_t n = 0; n < 10; n++) {
        uint8_t in[10];
        for (size_t i = 0; i < n; i++) in[i] = (uint8_t)(i * 37 + 200);
        size_t e = lake__base64_encode(in, n, enc);
        CHECK_EQ_INT(e, (n + 2) / 3 * 4);
        CHECK_EQ_INT(lake__base64_decode(enc, e, out), n);
        CHECK(memcmp(in, out, n) == 0);
    }
}

static void utf8_follows_rfc3629(void) {
    CHECK(lake__utf8_valid("caf\xC3\xA9 \xF0\x9F\x98\x80", 10));
    CHECK(!lake__utf8_valid("\xC0\x80", 2));
    CHECK(!lake__utf8_valid("\xED\xBF\xBF", 3));
    CHECK(!lake__utf8_valid("\xF4\x90\x80\x80", 4));
    CHECK(!lake__utf8_valid("\x80", 1));
    CHECK(!lake__utf8_valid("\xE2\x82", 2));
    CHECK(lake__utf8_valid("\xEF\xBF\xBF", 3));
    CHECK_EQ_INT(lake__utf8_count("caf\xC3\xA9", 5), 4);
    char buf[4];
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp += 0x101) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        size_t n = lake__utf8_encode(cp, buf);
        uint32_t back;
        CHECK_EQ_INT(lake__utf8_decode((const unsigned char *)buf, n, &back), n);
        CHECK_EQ_INT(back, cp);
    }
}

int main(void) {
    LAKE_RUN(decimals_parse_exactly);
    LAKE_RUN(calendar_round_trips);
    LAKE_RUN(timestamps_parse_and_format);
    LAKE_RUN(base64_is_strict);
    LAKE_RUN(utf8_follows_rfc3629);
    return lake_test_summary();
}
