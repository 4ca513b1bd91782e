// SPDX-License-Identifier: MIT
// A C++17 program declares a model with every column type through the same
// LAKE_* macros as C, inserts it through the embedded client and reads it
// back. tests/compile_fail also compiles each of its C cases as C++: a member
// of the wrong type is still refused.
#include <cstdio>
#include <cstring>
#include <string>

#include <lakeorm.h>

static int failures;
#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            std::fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            failures++;                                                    \
        }                                                                  \
    } while (0)
#define CHECK_OK(expr, err)                                                \
    do {                                                                   \
        int rc_ = (expr);                                                  \
        if (rc_ != LAKE_OK) {                                              \
            std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #expr, (err).message); \
            return 1;                                                      \
        }                                                                  \
    } while (0)

struct address {
    lake_str city;
    int32_t zip;
};
static const lake_field address_fields[] = {
    LAKE_FIELD(address, city, "city", "required"),
    LAKE_FIELD(address, zip, "zip", ""),
};
static const lake_model address_model = LAKE_MODEL(address, "", address_fields);
LAKE_LIST_TYPE(address_list, address);

struct everything {
    int64_t id;
    bool flag;
    int8_t tiny;
    int16_t small;
    int32_t medium;
    float ratio;
    double score;
    lake_str name;
    lake_bytes blob;
    lake_json payload;
    lake_ts at;
    lake_date on;
    lake_dec128 balance;
    lake_uuid uid;
    lake_ksuid kid;
    lake_opt_i32 maybe_age;
    lake_opt_ts maybe_at;
    lake_opt_dec128 maybe_fee;
    address home;
    address *work;
    lake_list_str tags;
    lake_map_i64 counts;
    address_list past;
    lake_list_dec128 prices;
};
static const lake_field everything_fields[] = {
    LAKE_FIELD(everything, id, "id,pk", ""),
    LAKE_FIELD(everything, flag, "flag", ""),
    LAKE_FIELD(everything, tiny, "tiny", ""),
    LAKE_FIELD(everything, small, "small", ""),
    LAKE_FIELD(everything, medium, "medium", ""),
    LAKE_FIELD(everything, ratio, "ratio", ""),
    LAKE_FIELD(everything, score, "score", ""),
    LAKE_FIELD(everything, name, "name", "required"),
    LAKE_FIELD(everything, blob, "blob", ""),
    LAKE_FIELD(everything, payload, "payload", ""),
    LAKE_FIELD(everything, at, "at", ""),
    LAKE_FIELD(everything, on, "on", ""),
    LAKE_DECIMAL(everything, balance, 18, 2, "balance", ""),
    LAKE_FIELD(everything, uid, "uid", ""),
    LAKE_FIELD(everything, kid, "kid", ""),
    LAKE_FIELD(everything, maybe_age, "maybe_age", ""),
    LAKE_FIELD(everything, maybe_at, "maybe_at", ""),
    LAKE_DECIMAL(everything, maybe_fee, 9, 3, "maybe_fee", ""),
    LAKE_STRUCT(everything, home, address, address_model, "home", ""),
    LAKE_STRUCT_PTR(everything, work, address, address_model, "work", ""),
    LAKE_LIST(everything, tags, "tags", ""),
    LAKE_MAP(everything, counts, "counts", ""),
    LAKE_LIST_STRUCT(everything, past, address, address_model, "past", ""),
    LAKE_LIST_DECIMAL(everything, prices, lake_dec128, 10, 2, "prices", ""),
};
static const lake_model everything_model = LAKE_MODEL(everything, "everything", everything_fields);

static bool same(lake_str a, const char *b) { return a.ptr && a.len == std::strlen(b) && !std::memcmp(a.ptr, b, a.len); }

int main() {
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *schema;
    CHECK_OK(lake_schema_of(&schema, &everything_model, &err), err);
    CHECK(lake_schema_column_count(schema) == 24);
    CHECK(lake_schema_find(schema, "maybe_fee")->type == LAKE_DECIMAL && lake_schema_find(schema, "maybe_fee")->nullable);
    CHECK(lake_schema_find(schema, "work")->nullable);
    CHECK(lake_schema_find(schema, "kid")->type == LAKE_SORTABLE_ID);

    lake_client *c;
    CHECK_OK(lake_client_open(&c, nullptr, &err), err);
    CHECK_OK(lake_client_migrate(c, schema, &err), err);

    static const uint8_t raw[] = {0, 1, 2, 255};
    lake_str tags[] = {LAKE_STR("a"), LAKE_STR("b")};
    lake_map_i64_entry counts[] = {{LAKE_STR("x"), 1}, {LAKE_STR("y"), -2}};
    address past[] = {{LAKE_STR("Ghent"), 9000}};
    lake_dec128 prices[] = {lake_dec128_from_i64(199), lake_dec128_from_i64(-5)};
    address office = {LAKE_STR("Antwerp"), 2000};

    everything rows[2] = {};
    for (int i = 0; i < 2; i++) {
        everything &r = rows[i];
        r.id = i + 1;
        r.flag = i == 0;
        r.tiny = -8;
        r.small = 300;
        r.medium = 70000;
        r.ratio = 0.5f;
        r.score = 2.25;
        r.name = i == 0 ? LAKE_STR("ann") : lake_str_of("bob");
        r.blob = lake_bytes{raw, sizeof raw};
        r.payload = lake_json{"{\"k\":[1,2]}", 11};
        CHECK_OK(lake_ts_parse(&r.at, "2024-03-05T12:34:56.5Z", 22, &err), err);
        CHECK_OK(lake_date_parse(&r.on, "2024-02-29", 10, &err), err);
        CHECK_OK(lake_dec128_parse(&r.balance, "10.5", 4, 18, 2, &err), err);
        CHECK_OK(lake_uuid_parse(&r.uid, "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f", 36), err);
        CHECK_OK(lake_ksuid_parse(&r.kid, "0ujtsYcgvSTl8PAuAdqWYSMnLOv", 27), err);
        r.maybe_age = lake_opt_i32{31, i == 0};
        r.maybe_at = lake_opt_ts{{0}, false};
        r.maybe_fee = lake_opt_dec128{lake_dec128_from_i64(1234), i == 1};
        r.home = address{LAKE_STR("Brussels"), 1000};
        r.work = i == 0 ? &office : nullptr;
        r.tags = lake_list_str{tags, 2};
        r.counts = lake_map_i64{counts, 2};
        r.past = address_list{past, i == 0 ? 1u : 0u};
        r.prices = lake_list_dec128{prices, 2};
    }
    lake_insert_result result = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema, rows, 2, nullptr, &result, &err), err);
    CHECK(result.rows == 2);

    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), err);
    void *out;
    size_t n;
    lake_source q = LAKE_SQL("SELECT * FROM everything ORDER BY id");
    CHECK_OK(lake_client_query_all(c, schema, &q, arena, &out, &n, &err), err);
    CHECK(n == 2);
    const everything *got = static_cast<const everything *>(out);
    for (size_t i = 0; i < n && i < 2; i++) {
        const everything &g = got[i];
        CHECK(g.id == (int64_t)i + 1);
        CHECK(g.flag == (i == 0));
        CHECK(g.tiny == -8 && g.small == 300 && g.medium == 70000);
        CHECK(g.ratio == 0.5f && g.score == 2.25);
        CHECK(same(g.name, i == 0 ? "ann" : "bob"));
        CHECK(g.blob.len == 4 && !std::memcmp(g.blob.ptr, raw, 4));
        CHECK(g.payload.ptr && std::string(g.payload.ptr, g.payload.len) == "{\"k\":[1,2]}");
        char text[LAKE_TS_TEXT_MAX];
        lake_ts_format(g.at, text);
        CHECK(std::string(text) == "2024-03-05T12:34:56.500000Z");
        char day[LAKE_DATE_TEXT_MAX];
        lake_date_format(g.on, day);
        CHECK(std::string(day) == "2024-02-29");
        char dec[LAKE_DEC128_TEXT_MAX];
        lake_dec128_format(g.balance, 2, dec);
        CHECK(std::string(dec) == "10.50");
        char uid[LAKE_UUID_TEXT_LEN + 1], kid[LAKE_KSUID_TEXT_LEN + 1];
        lake_uuid_format(&g.uid, uid);
        lake_ksuid_format(&g.kid, kid);
        CHECK(std::string(uid) == "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f");
        CHECK(std::string(kid) == "0ujtsYcgvSTl8PAuAdqWYSMnLOv");
        CHECK(g.maybe_age.valid == (i == 0) && (i != 0 || g.maybe_age.v == 31));
        CHECK(!g.maybe_at.valid);
        CHECK(g.maybe_fee.valid == (i == 1) && (i != 1 || g.maybe_fee.v.lo == 1234));
        CHECK(same(g.home.city, "Brussels") && g.home.zip == 1000);
        CHECK(i == 0 ? g.work && same(g.work->city, "Antwerp") && g.work->zip == 2000 : !g.work);
        CHECK(g.tags.len == 2 && same(g.tags.ptr[0], "a") && same(g.tags.ptr[1], "b"));
        CHECK(g.counts.len == 2 && same(g.counts.ptr[1].key, "y") && g.counts.ptr[1].value == -2);
        CHECK(g.past.len == (i == 0 ? 1u : 0u) && g.past.ptr);
        CHECK(i != 0 || (same(g.past.ptr[0].city, "Ghent") && g.past.ptr[0].zip == 9000));
        CHECK(g.prices.len == 2 && g.prices.ptr[0].lo == 199 && g.prices.ptr[1].hi == -1);
    }
    lake_free(out);
    lake_arena_free(arena);
    lake_client_close(c);
    lake_error_clear(&err);
    std::printf("%s: %d failures\n", failures ? "FAIL" : "ok", failures);
    return failures ? 1 : 0;
}
