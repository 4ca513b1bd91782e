/* SPDX-License-Identifier: MIT */
/* The string formats behind text rules, case by case, with go-playground's verdicts. */
#include "lake_test.h"
#include "validate/formats.h"

typedef bool (*format_fn)(const char *, size_t);

static void table(format_fn f, const char *name, const char *const *good, const char *const *bad) {
    for (; *good; good++)
        if (!f(*good, strlen(*good))) {
            fprintf(stderr, "  %s rejects \"%s\"\n", name, *good);
            CHECK(!"should accept");
        }
    for (; *bad; bad++)
        if (f(*bad, strlen(*bad))) {
            fprintf(stderr, "  %s accepts \"%s\"\n", name, *bad);
            CHECK(!"should reject");
        }
}

#define TABLE(fn, ...)                                           \
    do {                                                         \
        static const char *const lists_[] = {__VA_ARGS__};       \
        const char *const *bad_ = lists_;                        \
        while (*bad_) bad_++;                                    \
        table(fn, #fn, lists_, bad_ + 1);                        \
    } while (0)

static void email(void) {
    TABLE(lake__is_email,
          "ann@example.com", "a.b-c+tag@sub.example.co.uk", "x@y.z", "chlo\xC3\xA9@example.fr",
          "\"quoted local\"@example.com", "o'hara@example.ie", "user@example.com.", "a@b-c.de", "a@1.co",
          "#!$%&'*+-/=?^_`{|}~@example.org", NULL,
          "", "plain", "@example.com", "ann@", "ann@example", "ann..b@example.com", ".ann@example.com",
          "ann.@example.com", "ann@.example.com", "ann@-example.com", "ann@example.1", "ann @example.com",
          "ann@exa mple.com", "a@b@c.com", "ann@example.com-", "\"unterminated@example.com", NULL);
}

static void uuids(void) {
    TABLE(lake__is_uuid, "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f", "00000000-0000-0000-0000-000000000000", NULL,
          "0190F6A3-5B1C-7D2E-8F00-1A2B3C4D5E6F", "0190f6a35b1c7d2e8f001a2b3c4d5e6f",
          "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6", "{0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f}", "", NULL);
    TABLE(lake__is_uuid4, "9b2c1f3e-4d5a-4b6c-8d7e-9f0a1b2c3d4e", "9b2c1f3e-4d5a-4b6c-bd7e-9f0a1b2c3d4e", NULL,
          "9b2c1f3e-4d5a-7b6c-8d7e-9f0a1b2c3d4e", "9b2c1f3e-4d5a-4b6c-cd7e-9f0a1b2c3d4e", NULL);
}

static void urls(void) {
    TABLE(lake__is_url, "https://example.com", "http://user:pw@example.com:8080/a/b?x=1#top",
          "mailto:ann@example.com", "ftp://[::1]:21/", "s3://bucket/key%20with%20space", "file:///etc/hosts",
          "http://example.com/a b", "urn:isbn:0451450523", "x:#frag", NULL,
          "", "example.com", "/relative/path", "http://", "://example.com", "http://exa mple.com/",
          "http://example.com:port/", "http://example.com/%zz", "http://[::1", "1http://example.com",
          "http://example.com/\x01", NULL);
    TABLE(lake__is_uri, "https://example.com/x", "/absolute/path", "mailto:ann@example.com", "/a#frag",
          "http://example.com/?q=1", NULL, "", "relative/path", "#frag", "http://exa mple.com/", "/%zz", NULL);
}

static void character_classes(void) {
    TABLE(lake__is_alpha, "abcXYZ", NULL, "", "abc1", "\xC3\xA9", "a b", NULL);
    TABLE(lake__is_alphanum, "abc123XYZ", NULL, "", "abc-1", "\xC3\xA9", NULL);
    TABLE(lake__is_numeric, "0", "-12", "+3.25", "007", NULL, "", "1.", ".5", "1e5", "--1", "1,5", "0x10", NULL);
    TABLE(lake__is_hexadecimal, "deadBEEF", "0x1f", "0X1F", "0", NULL, "", "0x", "xyz", "0x1g", NULL);
    TABLE(lake__is_lowercase, "abc", "abc 123", "\xC3\xA9t\xC3\xA9", "\xCF\x80", "123", NULL, "", "Abc",
          "\xC3\x89t\xC3\xA9", NULL);
    TABLE(lake__is_uppercase, "ABC", "ABC 123", "\xC3\x89T\xC3\x89", NULL, "", "aBC", "\xC3\xA9", NULL);
}

static void addresses_and_phones(void) {
    TABLE(lake__is_ipv4, "192.168.0.1", "0.0.0.0", "255.255.255.255", NULL, "", "256.1.1.1", "1.2.3", "01.2.3.4",
          "::1", "1.2.3.4 ", NULL);
    TABLE(lake__is_ipv6, "::1", "2001:db8::8a2e:370:7334", "::ffff:192.0.2.1", NULL, "", "1.2.3.4", "2001:db8:::1",
          "fe80::1%eth0", NULL);
    TABLE(lake__is_ip, "10.0.0.1", "::", NULL, "", "localhost", "10.0.0", NULL);
    TABLE(lake__is_e164, "+14155552671", "+442071838750", "+1234567", "+123456789012345", NULL, "", "14155552671",
          "+1415555267a", "+123456", "+1234567890123456", "+0123456789012345", NULL);
}

static void substrings(void) {
    CHECK(lake__contains("hello", 5, "ell", 3));
    CHECK(lake__contains("hello", 5, "", 0));
    CHECK(!lake__contains("hello", 5, "hello!", 6));
    CHECK(lake__has_prefix("hello", 5, "he", 2));
    CHECK(!lake__has_prefix("hello", 5, "lo", 2));
    CHECK(lake__has_suffix("hello", 5, "lo", 2));
    CHECK(!lake__has_suffix("lo", 2, "hello", 5));
}

static bool layout(const char *l, const char *v) { return lake__matches_go_layout(l, strlen(l), v, strlen(v)); }

static void go_time_layouts(void) {
    CHECK(layout("2006-01-02", "2024-02-29"));
    CHECK(!layout("2006-01-02", "2023-02-29"));
    CHECK(!layout("2006-01-02", "2024-13-01"));
    CHECK(!layout("2006-01-02", "2024-1-01"));
    CHECK(!layout("2006-01-02", "2024-01-01 "));
    CHECK(layout("2006-01-02T15:04:05Z07:00", "2024-03-05T12:34:56Z"));
    CHECK(layout("2006-01-02T15:04:05Z07:00", "2024-03-05T12:34:56.123+01:00"));
    CHECK(!layout("2006-01-02T15:04:05Z07:00", "2024-03-05T12:34:56"));
    CHECK(!layout("2006-01-02T15:04:05Z07:00", "2024-03-05T24:00:00Z"));
    CHECK(layout("3:04PM", "11:59PM"));
    CHECK(layout("3:04PM", "1:05AM"));
    CHECK(!layout("3:04PM", "13:00PM"));
    CHECK(!layout("3:04PM", "1:05 AM"));
    CHECK(layout("Jan _2 15:04:05.000", "Feb  3 04:05:06.789"));
    CHECK(!layout("Jan _2 15:04:05.000", "Feb  3 04:05:06.78"));
    CHECK(layout("15:04:05.999", "04:05:06"));
    CHECK(layout("15:04:05.999", "04:05:06.1"));
    CHECK(layout("Monday, 02-Jan-06 15:04:05 MST", "Tuesday, 05-Mar-24 12:34:56 UTC"));
    CHECK(!layout("Monday, 02-Jan-06 15:04:05 MST", "Tuesday, 05-Mar-24 12:34:56 utc"));
    CHECK(layout("January 2, 2006", "march 5, 2024"));
    CHECK(layout("02/01/2006 -0700", "31/12/1999 +0530"));
    CHECK(!layout("02/01/2006 -0700", "31/12/1999 +05:30"));
    CHECK(layout("2006-01-02 15:04", "2024-03-05   12:34")); /* spaces match runs of spaces */
    CHECK(lake__go_layout_valid("2006-01-02", 10));
    CHECK(lake__go_layout_valid("15:04", 5));
    CHECK(!lake__go_layout_valid("hello", 5));
    CHECK(!lake__go_layout_valid("Month", 5));
}

int main(void) {
    LAKE_RUN(email);
    LAKE_RUN(uuids);
    LAKE_RUN(urls);
    LAKE_RUN(character_classes);
    LAKE_RUN(addresses_and_phones);
    LAKE_RUN(substrings);
    LAKE_RUN(go_time_layouts);
    return lake_test_summary();
}
