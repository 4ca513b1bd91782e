/* SPDX-License-Identifier: MIT */
/* Strict JSON decoding: the RFC 8259 edge-case table, every type's text form,
 * every rejection, and the reference library's JSON cases. */
#include <math.h>

#include "lake_test.h"

/* ---- a model of nullable columns for the syntax table: {} is a valid record */
typedef struct edge {
    lake_str s;
    lake_opt_f64 f;
    lake_opt_i64 i;
    lake_opt_i8 small;
    lake_opt_bool b;
    lake_opt_f32 f32;
} edge;
static const lake_field edge_fields[] = {
    LAKE_FIELD(edge, s, "s,nullable", ""), LAKE_FIELD(edge, f, "f", ""),
    LAKE_FIELD(edge, i, "i", ""),         LAKE_FIELD(edge, small, "small", ""),
    LAKE_FIELD(edge, b, "b", ""),         LAKE_FIELD(edge, f32, "f32", ""),
};
static const lake_model edge_model = LAKE_MODEL(edge, "edge", edge_fields);

/* Decodes and returns the first issue's rule, or "ok". */
static const char *verdict(const lake_model *m, const char *json, size_t len, void *record,
                           lake_arena *arena, lake_error *err) {
    const lake_schema *s;
    if (lake_schema_of(&s, m, err)) return "schema";
    int rc = lake_json_decode(s, json, len, record, arena, 0, NULL, err);
    if (rc == LAKE_OK) return "ok";
    if (rc != LAKE_EVALIDATION) return "status";
    return lake_issues_get(err->issues, 0)->rule;
}

static const struct {
    const char *json;
    size_t len; /* 0: strlen */
    const char *verdict;
} edge_cases[] = {
    {"{}", 0, "ok"},
    {" \t\r\n{ } \n", 0, "ok"},
    {"", 0, "syntax"},
    {"   ", 0, "syntax"},
    {"\xEF\xBB\xBF{}", 0, "syntax"}, /* byte order mark */
    {"[]", 0, "type"},
    {"\"x\"", 0, "type"},
    {"null", 0, "type"},
    {"42", 0, "type"},
    {"{}{}", 0, "trailing"},
    {"{} x", 0, "trailing"},
    {"{}]", 0, "trailing"},
    {"{}}", 0, "trailing"},
    {"{\"s\":\"x\"", 0, "syntax"},
    {"{\"s\":\"x\",}", 0, "syntax"},
    {"{\"s\" \"x\"}", 0, "syntax"},
    {"{s:\"x\"}", 0, "syntax"},
    {"{'s':'x'}", 0, "syntax"},
    {"{\"s\":\"x\" \"i\":1}", 0, "syntax"},
    {"{\"nope\":1}", 0, "unknown_key"},
    {"{\"S\":\"x\"}", 0, "unknown_key"}, /* keys match columns exactly */
    {"{\"s\\u0000\":\"x\"}", 0, "unknown_key"},
    {"{\"\\u0073\":\"x\"}", 0, "ok"}, /* an escaped key is the same key */
    {"{\"\":1}", 0, "unknown_key"},
    {"{\"s\":\"x\",\"s\":\"y\"}", 0, "duplicate_key"},
    {"{\"s\":null}", 0, "ok"},
    {"{\"s\":\"\\ud83d\\ude00\"}", 0, "ok"},
    {"{\"s\":\"\\ud800\"}", 0, "syntax"},
    {"{\"s\":\"\\ud800x\"}", 0, "syntax"},
    {"{\"s\":\"\\ud800\\u0041\"}", 0, "syntax"},
    {"{\"s\":\"\\udc00\"}", 0, "syntax"},
    {"{\"s\":\"\\u12\"}", 0, "syntax"},
    {"{\"s\":\"\\u12G4\"}", 0, "syntax"},
    {"{\"s\":\"\\x\"}", 0, "syntax"},
    {"{\"s\":\"\\'\"}", 0, "syntax"},
    {"{\"s\":\"a\x01z\"}", 0, "syntax"},   /* raw control character */
    {"{\"s\":\"a\tz\"}", 0, "syntax"},     /* raw tab */
    {"{\"s\":\"\xC0\xAF\"}", 0, "syntax"}, /* overlong '/' */
    {"{\"s\":\"\xE0\x80\xAF\"}", 0, "syntax"},
    {"{\"s\":\"\xED\xA0\x80\"}", 0, "syntax"},     /* encoded surrogate */
    {"{\"s\":\"\xF4\x90\x80\x80\"}", 0, "syntax"}, /* past U+10FFFF */
    {"{\"s\":\"\xFF\"}", 0, "syntax"},
    {"{\"s\":\"\xE2\x82\"}", 0, "syntax"}, /* truncated sequence */
    {"{\"s\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}", 0, "ok"},
    {"{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", 0, "ok"},
    {"{\"s\":\"a\\u0000b\"}", 0, "ok"},
    {"{\"f\":-0}", 0, "ok"},
    {"{\"f\":-0.0e0}", 0, "ok"},
    {"{\"f\":1E5}", 0, "ok"},
    {"{\"f\":1e400}", 0, "range"},
    {"{\"f\":-1e400}", 0, "range"},
    {"{\"f\":1e-400}", 0, "ok"},
    {"{\"f\":1.7976931348623157e308}", 0, "ok"},
    {"{\"f32\":3.5e38}", 0, "range"},
    {"{\"f32\":3.4e38}", 0, "ok"},
    {"{\"f\":01}", 0, "syntax"},
    {"{\"f\":+1}", 0, "syntax"},
    {"{\"f\":.5}", 0, "syntax"},
    {"{\"f\":1.}", 0, "syntax"},
    {"{\"f\":1e}", 0, "syntax"},
    {"{\"f\":1e+}", 0, "syntax"},
    {"{\"f\":-}", 0, "syntax"},
    {"{\"f\":NaN}", 0, "syntax"},
    {"{\"f\":Infinity}", 0, "syntax"},
    {"{\"f\":0x10}", 0, "syntax"},
    {"{\"i\":-0}", 0, "ok"},
    {"{\"i\":9223372036854775807}", 0, "ok"},
    {"{\"i\":-9223372036854775808}", 0, "ok"},
    {"{\"i\":9223372036854775808}", 0, "range"},
    {"{\"i\":-9223372036854775809}", 0, "range"},
    {"{\"i\":123456789012345678901234567890}", 0, "range"},
    {"{\"i\":1.5}", 0, "type"},
    {"{\"i\":1.0}", 0, "type"},
    {"{\"i\":1e2}", 0, "type"},
    {"{\"i\":\"5\"}", 0, "type"},
    {"{\"i\":true}", 0, "type"},
    {"{\"small\":300}", 0, "range"},
    {"{\"small\":-129}", 0, "range"},
    {"{\"small\":-128}", 0, "ok"},
    {"{\"b\":1}", 0, "type"},
    {"{\"b\":tru}", 0, "syntax"},
    {"{\"b\":True}", 0, "syntax"},
    {"{\"b\":nul}", 0, "syntax"},
    {"{\"s\":{\"x\":1}}", 0, "type"},
    {"{\"s\":[1,2]}", 0, "type"},
    {"{\"nope\":[[[[[[[[[[{\"a\":[1,{}]}]]]]]]]]]]}", 0, "unknown_key"},
    {"{\"nope\":[1,]}", 0, "unknown_key"}, /* then syntax: checked below */
    {"{\"nope\":{\"a\" 1}}", 0, "unknown_key"},
    {"{\"i\":[1,]}", 0, "type"},
    {"{\"s\":\"x\"}\0", 10, "trailing"}, /* an embedded NUL after the value */
};

static void edge_case_table(void) {
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    for (size_t i = 0; i < sizeof edge_cases / sizeof edge_cases[0]; i++) {
        edge rec;
        lake_error err = LAKE_ERROR_INIT;
        size_t len = edge_cases[i].len ? edge_cases[i].len : strlen(edge_cases[i].json);
        const char *got = verdict(&edge_model, edge_cases[i].json, len, &rec, arena, &err);
        if (strcmp(got, edge_cases[i].verdict) != 0) {
            fprintf(stderr, "  case %zu %s: got %s, want %s (%s)\n", i, edge_cases[i].json, got,
                    edge_cases[i].verdict, err.message);
            lake_error_clear(&err);
            CHECK(!"edge case verdict");
        }
        lake_error_clear(&err);
    }
    lake_arena_free(arena);
}

static void nesting_depth_is_bounded(void) {
    static char deep[200000];
    size_t n = 0;
    n += (size_t)sprintf(deep, "{\"nope\":");
    while (n < sizeof deep - 2) deep[n++] = '[';
    lake_arena *arena;
    lake_arena_new(&arena);
    edge rec;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_STR(verdict(&edge_model, deep, n, &rec, arena, &err), "unknown_key");
    CHECK_EQ_INT(lake_issues_count(err.issues), 2);
    CHECK_EQ_STR(lake_issues_get(err.issues, 1)->rule, "syntax");
    CHECK_CONTAINS(lake_issues_get(err.issues, 1)->message, "nesting too deep");
    lake_error_clear(&err);
    lake_arena_free(arena);
}

static void decodes_values_exactly(void) {
    lake_arena *arena;
    lake_arena_new(&arena);
    edge rec;
    lake_error err = LAKE_ERROR_INIT;
    const char *j = "{\"s\":\"caf\\u00e9\\ud83d\\ude00\\n\",\"f\":-0,\"i\":-9223372036854775808,\"small\":-128,\"b\":false,\"f32\":0.1}";
    CHECK_EQ_STR(verdict(&edge_model, j, strlen(j), &rec, arena, &err), "ok");
    CHECK_EQ_INT(rec.s.len, 10);
    CHECK(memcmp(rec.s.ptr, "caf\xC3\xA9\xF0\x9F\x98\x80\n", 10) == 0);
    CHECK_EQ_INT(rec.s.ptr[10], '\0');
    CHECK(rec.f.valid && rec.f.v == 0 && signbit(rec.f.v));
    CHECK(rec.i.valid && rec.i.v == INT64_MIN);
    CHECK(rec.small.valid && rec.small.v == -128);
    CHECK(rec.b.valid && !rec.b.v);
    CHECK(rec.f32.valid && rec.f32.v == 0.1f);
    CHECK_EQ_STR(verdict(&edge_model, "{}", 2, &rec, arena, &err), "ok");
    CHECK(rec.s.ptr == NULL && !rec.f.valid && !rec.i.valid && !rec.b.valid);
    CHECK_EQ_STR(verdict(&edge_model, "{\"s\":\"\"}", 8, &rec, arena, &err), "ok");
    CHECK(rec.s.ptr != NULL && rec.s.len == 0); /* empty is not NULL */
    CHECK_EQ_STR(verdict(&edge_model, "{\"s\":\"a\\u0000b\"}", 16, &rec, arena, &err), "ok");
    CHECK(rec.s.len == 3 && rec.s.ptr[1] == '\0');
    lake_arena_free(arena);
}

/* ---- every type's text form */
typedef struct typed {
    lake_ts at;
    lake_date day;
    lake_dec128 amount;
    lake_uuid id;
    lake_ksuid sid;
    lake_bytes blob;
    lake_opt_ts maybe_at;
} typed;
static const lake_field typed_fields[] = {
    LAKE_FIELD(typed, at, "at", ""),   LAKE_FIELD(typed, day, "day", ""),
    LAKE_DECIMAL(typed, amount, 18, 2, "amount", ""),
    LAKE_FIELD(typed, id, "id", ""),   LAKE_FIELD(typed, sid, "sid", ""),
    LAKE_FIELD(typed, blob, "blob", ""), LAKE_FIELD(typed, maybe_at, "maybe_at", ""),
};
static const lake_model typed_model = LAKE_MODEL(typed, "typed", typed_fields);

static const char *typed_json(char *buf, const char *at, const char *day, const char *amount,
                              const char *id, const char *blob) {
    sprintf(buf, "{\"at\":%s,\"day\":%s,\"amount\":%s,\"id\":%s,\"sid\":\"0ujtsYcgvSTl8PAuAdqWYSMnLOv\",\"blob\":%s}",
            at, day, amount, id, blob);
    return buf;
}

#define GOOD_AT "\"2024-03-05T12:34:56.123456Z\""
#define GOOD_DAY "\"2024-02-29\""
#define GOOD_AMOUNT "\"1234.50\""
#define GOOD_ID "\"0190F6A3-5B1C-7D2E-8F00-1A2B3C4D5E6F\""
#define GOOD_BLOB "\"aGVsbG8=\""

static void decodes_typed_text_forms(void) {
    lake_arena *arena;
    lake_arena_new(&arena);
    typed rec;
    char buf[512];
    lake_error err = LAKE_ERROR_INIT;
    typed_json(buf, GOOD_AT, GOOD_DAY, GOOD_AMOUNT, GOOD_ID, GOOD_BLOB);
    CHECK_EQ_STR(verdict(&typed_model, buf, strlen(buf), &rec, arena, &err), "ok");
    CHECK_EQ_INT(rec.at.us, 1709642096123456LL);
    CHECK_EQ_INT(rec.day.days, 19782);
    CHECK_EQ_INT(rec.amount.lo, 123450);
    CHECK_EQ_INT(rec.amount.hi, 0);
    CHECK_EQ_INT(rec.id.b[0], 0x01);
    CHECK_EQ_INT(rec.id.b[15], 0x6F);
    CHECK_EQ_INT(lake_ksuid_unix_seconds(&rec.sid), 1507608047);
    CHECK(rec.blob.len == 5 && memcmp(rec.blob.ptr, "hello", 5) == 0);
    CHECK(!rec.maybe_at.valid);

    static const struct { const char *at, *day, *amount, *id, *blob, *verdict; } cases[] = {
        {"\"2024-03-05T12:34:56+01:00\"", GOOD_DAY, GOOD_AMOUNT, GOOD_ID, GOOD_BLOB, "ok"},
        {"\"2024-03-05t12:34:56z\"", GOOD_DAY, GOOD_AMOUNT, GOOD_ID, GOOD_BLOB, "ok"},
        {"\"2024-03-05T12:34:56.123456000Z\"", GOOD_DAY, GOOD_AMOUNT, GOOD_ID, GOOD_BLOB, "ok"},
        {"\"2024-03-05T12:34:56.1234567Z\"", GOOD_DAY, GOOD_AMOUNT, GOOD_ID, GOOD_BLOB, "format"},
        {"\"2024-03-05 12:34:56Z\"", GOOD_DAY, GOOD_AMOUNT, GOOD_ID, GOOD_BLOB, "format"},
        {"\"2024-03-05T12:34:56\"", GOOD_DAY, GOOD_AMOUNT, GOOD_ID, GOOD_BLOB, "format"},
        {"\"2024-03-05T24:00:00Z\"", GOOD_DAY, GOOD_AMOUNT, GOOD_ID, GOOD_BLOB, "format"},
        {"\"2024-03-05T23:59:60Z\"", GOOD_DAY, GOOD_AMOUNT, GOOD_ID, GOOD_BLOB, "format"},
        {"\"2023-02-29T00:00:00Z\"", GOOD_DAY, GOOD_AMOUNT, GOOD_ID, GOOD_BLOB, "format"},
        {"1709642096", GOOD_DAY, GOOD_AMOUNT, GOOD_ID, GOOD_BLOB, "type"},
        {GOOD_AT, "\"2023-02-29\"", GOOD_AMOUNT, GOOD_ID, GOOD_BLOB, "format"},
        {GOOD_AT, "\"2024-13-01\"", GOOD_AMOUNT, GOOD_ID, GOOD_BLOB, "format"},
        {GOOD_AT, "\"2024-1-01\"", GOOD_AMOUNT, GOOD_ID, GOOD_BLOB, "format"},
        {GOOD_AT, "\"1969-07-20\"", GOOD_AMOUNT, GOOD_ID, GOOD_BLOB, "ok"},
        {GOOD_AT, GOOD_DAY, "1234.5", GOOD_ID, GOOD_BLOB, "ok"},
        {GOOD_AT, GOOD_DAY, "-0.01", GOOD_ID, GOOD_BLOB, "ok"},
        {GOOD_AT, GOOD_DAY, "1.5e2", GOOD_ID, GOOD_BLOB, "ok"},
        {GOOD_AT, GOOD_DAY, "\"1.230\"", GOOD_ID, GOOD_BLOB, "ok"},
        {GOOD_AT, GOOD_DAY, "\"1.234\"", GOOD_ID, GOOD_BLOB, "range"},
        {GOOD_AT, GOOD_DAY, "1.234", GOOD_ID, GOOD_BLOB, "range"},
        {GOOD_AT, GOOD_DAY, "\"9999999999999999.99\"", GOOD_ID, GOOD_BLOB, "ok"},
        {GOOD_AT, GOOD_DAY, "\"99999999999999999.99\"", GOOD_ID, GOOD_BLOB, "range"},
        {GOOD_AT, GOOD_DAY, "\"12,5\"", GOOD_ID, GOOD_BLOB, "format"},
        {GOOD_AT, GOOD_DAY, "\"\"", GOOD_ID, GOOD_BLOB, "format"},
        {GOOD_AT, GOOD_DAY, "true", GOOD_ID, GOOD_BLOB, "type"},
        {GOOD_AT, GOOD_DAY, GOOD_AMOUNT, "\"0190f6a35b1c7d2e8f001a2b3c4d5e6f\"", GOOD_BLOB, "format"},
        {GOOD_AT, GOOD_DAY, GOOD_AMOUNT, "\"{0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f}\"", GOOD_BLOB, "format"},
        {GOOD_AT, GOOD_DAY, GOOD_AMOUNT, GOOD_ID, "\"aGVsbG8\"", "format"},
        {GOOD_AT, GOOD_DAY, GOOD_AMOUNT, GOOD_ID, "\"aGVsbG9=\"", "format"},
        {GOOD_AT, GOOD_DAY, GOOD_AMOUNT, GOOD_ID, "\"aGVs bG8=\"", "format"},
        {GOOD_AT, GOOD_DAY, GOOD_AMOUNT, GOOD_ID, "\"\"", "ok"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        typed_json(buf, cases[i].at, cases[i].day, cases[i].amount, cases[i].id, cases[i].blob);
        const char *got = verdict(&typed_model, buf, strlen(buf), &rec, arena, &err);
        if (strcmp(got, cases[i].verdict) != 0) {
            fprintf(stderr, "  case %zu %s: got %s, want %s (%s)\n", i, buf, got, cases[i].verdict, err.message);
            CHECK(!"typed case verdict");
        }
        lake_error_clear(&err);
    }
    typed_json(buf, "\"2024-03-05T12:34:56-01:30\"", GOOD_DAY, "\"-1234.56\"", GOOD_ID, GOOD_BLOB);
    CHECK_EQ_STR(verdict(&typed_model, buf, strlen(buf), &rec, arena, &err), "ok");
    CHECK_EQ_INT(rec.at.us, 1709642096000000LL + 5400000000LL);
    CHECK(rec.amount.hi == -1 && (int64_t)rec.amount.lo == -123456);
    lake_arena_free(arena);
}

/* A key holding NUL is reported whole: the path's C string would end there. */
static void a_nul_in_a_key_does_not_cut_its_path(void) {
    lake_arena *arena;
    lake_arena_new(&arena);
    typed rec;
    lake_error err = LAKE_ERROR_INIT;
    const char *j = "{\"ex\\u0000tra/~\":1}";
    verdict(&typed_model, j, strlen(j), &rec, arena, &err);
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->path, "/ex\\u0000tra~1~0");
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->rule, "unknown_key");
    lake_error_clear(&err);
    lake_arena_free(arena);
}

static void reports_every_problem_of_a_record(void) {
    lake_arena *arena;
    lake_arena_new(&arena);
    typed rec;
    lake_error err = LAKE_ERROR_INIT;
    const char *j = "{\"at\":null,\"day\":5,\"extra\":1,\"amount\":\"x\",\"maybe_at\":null}";
    CHECK_EQ_STR(verdict(&typed_model, j, strlen(j), &rec, arena, &err), "null");
    const char *want[][2] = {{"/at", "null"}, {"/day", "type"}, {"/extra", "unknown_key"}, {"/amount", "format"},
                             {"/id", "missing"}, {"/sid", "missing"}, {"/blob", "missing"}};
    CHECK_EQ_INT(lake_issues_count(err.issues), 7);
    for (size_t i = 0; i < 7; i++) {
        CHECK_EQ_STR(lake_issues_get(err.issues, i)->path, want[i][0]);
        CHECK_EQ_STR(lake_issues_get(err.issues, i)->rule, want[i][1]);
    }
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->column, "at");
    CHECK_EQ_STR(lake_issues_get(err.issues, 2)->column, "");
    CHECK_EQ_INT(err.code, LAKE_EVALIDATION);
    CHECK_CONTAINS(err.message, "7 problems");
    lake_error_clear(&err);
    lake_arena_free(arena);
}

/* ---- the reference library's JSON cases (lake-orm structs/struct_json_test.go) */
typedef struct book {
    lake_str id, title, author;
} book;
static const lake_field book_fields[] = {
    LAKE_FIELD(book, id, "id", "required"),
    LAKE_FIELD(book, title, "title", "required"),
    LAKE_FIELD(book, author, "author", "required"),
};
static const lake_model book_model = LAKE_MODEL(book, "books", book_fields);

typedef struct publisher {
    lake_str name;
    lake_str country;
} publisher;
static const lake_field publisher_fields[] = {
    LAKE_FIELD(publisher, name, "name", "required"),
    LAKE_FIELD(publisher, country, "country", "required,len=2"),
};
static const lake_model publisher_model = LAKE_MODEL(publisher, "", publisher_fields);

typedef struct published_book {
    lake_str id;
    publisher publisher;
} published_book;
static const lake_field published_book_fields[] = {
    LAKE_FIELD(published_book, id, "id", "required"),
    LAKE_STRUCT(published_book, publisher, publisher, publisher_model, "publisher", ""),
};
static const lake_model published_book_model = LAKE_MODEL(published_book, "books", published_book_fields);

static void reference_json_cases(void) {
    lake_arena *arena;
    lake_arena_new(&arena);
    book b;
    published_book pb;
    lake_error err = LAKE_ERROR_INIT;
    const char *j = "{\"id\":\"b1\",\"title\":\"Ulysses\",\"author\":\"Joyce\"}";
    CHECK_EQ_STR(verdict(&book_model, j, strlen(j), &b, arena, &err), "ok");
    CHECK(b.title.len == 7 && memcmp(b.title.ptr, "Ulysses", 7) == 0);

    j = "{\"id\":\"b1\",\"title\":\"Ulysses\",\"author\":\"Joyce\",\"publisher\":\"Shakespeare and Co\"}";
    CHECK_EQ_STR(verdict(&book_model, j, strlen(j), &b, arena, &err), "unknown_key");
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->path, "/publisher");
    CHECK_CONTAINS(err.message, "publisher");

    j = "{\"id\":\"b1\",\"title\":{\"en\":\"Ulysses\",\"fr\":\"Ulysse\"},\"author\":\"Joyce\"}";
    CHECK_EQ_STR(verdict(&book_model, j, strlen(j), &b, arena, &err), "type");
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->path, "/title");

    j = "{\"id\":\"b1\"}";
    CHECK_EQ_STR(verdict(&book_model, j, strlen(j), &b, arena, &err), "missing");
    CHECK_EQ_INT(lake_issues_count(err.issues), 2);

    j = "{\"id\":\"b1\",\"title\":\"\",\"author\":\"Joyce\"}";
    CHECK_EQ_STR(verdict(&book_model, j, strlen(j), &b, arena, &err), "required");
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->column, "title");

    j = "{\"id\":\"b1\",\"title\":\"Ulysses\",\"author\":\"Joyce\"}{\"id\":\"b2\",\"title\":\"Dubliners\",\"author\":\"Joyce\"}";
    CHECK_EQ_STR(verdict(&book_model, j, strlen(j), &b, arena, &err), "trailing");

    j = "{\"id\":\"b1\",\"publisher\":{\"name\":\"Shakespeare and Co\",\"country\":\"FR\"}}";
    CHECK_EQ_STR(verdict(&published_book_model, j, strlen(j), &pb, arena, &err), "ok");
    CHECK(pb.publisher.country.len == 2 && memcmp(pb.publisher.country.ptr, "FR", 2) == 0);

    j = "{\"id\":\"b1\",\"publisher\":{\"name\":\"Shakespeare and Co\",\"country\":\"FR\",\"year\":1922}}";
    CHECK_EQ_STR(verdict(&published_book_model, j, strlen(j), &pb, arena, &err), "unknown_key");
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->path, "/publisher/year");
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->column, "publisher");

    j = "{\"id\":\"b1\",\"publisher\":{\"name\":\"\",\"country\":\"FRA\"}}";
    CHECK_EQ_STR(verdict(&published_book_model, j, strlen(j), &pb, arena, &err), "required");
    CHECK_EQ_INT(lake_issues_count(err.issues), 2);
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->path, "/publisher/name");
    CHECK_EQ_STR(lake_issues_get(err.issues, 1)->path, "/publisher/country");
    CHECK_EQ_STR(lake_issues_get(err.issues, 1)->rule, "len");
    CHECK_EQ_STR(lake_issues_get(err.issues, 1)->param, "2");

    j = "{\"id\":\"b1\"}";
    CHECK_EQ_STR(verdict(&published_book_model, j, strlen(j), &pb, arena, &err), "missing");
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->path, "/publisher");
    lake_error_clear(&err);
    lake_arena_free(arena);
}

static void ndjson_keeps_good_lines_and_reports_bad_ones(void) {
    const lake_schema *s;
    CHECK_OK(lake_schema_of(&s, &book_model, NULL), NULL);
    const char *data =
        "{\"id\":\"1\",\"title\":\"A\",\"author\":\"X\"}\n"
        "\n"
        "{\"id\":\"2\",\"title\":\"\",\"author\":\"Y\"}\r\n"
        "{\"id\":\"3\",\"title\":\"C\",\"author\":\"Z\"}\r\n"
        "not json\n"
        "   \n"
        "{\"id\":\"5\",\"title\":\"E\",\"author\":\"W\"}";
    lake_records *recs;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake_ndjson_decode(&recs, s, data, strlen(data), NULL, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_INT(lake_records_count(recs), 3);
    const book *b = lake_records_data(recs);
    CHECK(b[0].id.ptr[0] == '1' && b[1].id.ptr[0] == '3' && b[2].id.ptr[0] == '5');
    CHECK_EQ_INT(lake_records_line(recs, 0), 1);
    CHECK_EQ_INT(lake_records_line(recs, 1), 4);
    CHECK_EQ_INT(lake_records_line(recs, 2), 7);
    CHECK_EQ_INT(lake_issues_count(err.issues), 2);
    CHECK_EQ_INT(lake_issues_get(err.issues, 0)->record, 3);
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->rule, "required");
    CHECK_EQ_INT(lake_issues_get(err.issues, 1)->record, 5);
    CHECK_EQ_STR(lake_issues_get(err.issues, 1)->rule, "syntax");
    char *json;
    size_t len;
    CHECK_OK(lake_issues_to_json(err.issues, 0, 1, &json, &len), NULL);
    CHECK_EQ_STR(json, "[{\"record\":3,\"path\":\"/title\",\"column\":\"title\",\"rule\":\"required\",\"param\":\"\","
                       "\"message\":\"must be present and not empty\"}]");
    lake_free(json);
    lake_records_free(recs);
    lake_error_clear(&err);

    CHECK_OK(lake_ndjson_decode(&recs, s, "", 0, NULL, &err), &err);
    CHECK_EQ_INT(lake_records_count(recs), 0);
    lake_records_free(recs);
}

static void rejects_unknown_options_version(void) {
    const lake_schema *s;
    CHECK_OK(lake_schema_of(&s, &book_model, NULL), NULL);
    lake_decode_options o = LAKE_DECODE_OPTIONS_INIT;
    o.version = 99;
    lake_arena *arena;
    lake_arena_new(&arena);
    book b;
    CHECK_EQ_INT(lake_json_decode(s, "{}", 2, &b, arena, 0, &o, NULL), LAKE_EINVAL);
    o.version = LAKE_DECODE_OPTIONS_VERSION;
    o.skip_validation = true;
    const char *j = "{\"id\":\"\",\"title\":\"\",\"author\":\"\"}";
    CHECK_OK(lake_json_decode(s, j, strlen(j), &b, arena, 0, &o, NULL), NULL);
    lake_arena_free(arena);
}

int main(void) {
    LAKE_RUN(edge_case_table);
    LAKE_RUN(nesting_depth_is_bounded);
    LAKE_RUN(decodes_values_exactly);
    LAKE_RUN(decodes_typed_text_forms);
    LAKE_RUN(reports_every_problem_of_a_record);
    LAKE_RUN(a_nul_in_a_key_does_not_cut_its_path);
    LAKE_RUN(reference_json_cases);
    LAKE_RUN(ndjson_keeps_good_lines_and_reports_bad_ones);
    LAKE_RUN(rejects_unknown_options_version);
    return lake_test_summary();
}
