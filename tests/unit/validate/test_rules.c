/* SPDX-License-Identifier: MIT */
/* Validation semantics: required per C type, NULL handling, omitempty, lengths
 * in code points, numeric comparisons, oneof, alternatives, and collect-all. */
#include <stdlib.h>

#include "lake_test.h"
#include "schema/schema.h"

typedef struct account {
    lake_str email;
    lake_str name;
    lake_str country;
    lake_opt_i32 age;
    int32_t score;
    double ratio;
    lake_dec128 balance;
    lake_bytes avatar;
    lake_str nick;
    bool active;
    lake_str contact;
    lake_opt_i64 level;
} account;

static const lake_field account_fields[] = {
    LAKE_FIELD(account, email, "email", "required,email"),
    LAKE_FIELD(account, name, "name", "required,min=2,max=5"),
    LAKE_FIELD(account, country, "country", "oneof=UK US 'New Zealand'"),
    LAKE_FIELD(account, age, "age", "required,gte=0,lte=150"),
    LAKE_FIELD(account, score, "score", "omitempty,gt=10"),
    LAKE_FIELD(account, ratio, "ratio", "gte=0,lt=1.5"),
    LAKE_DECIMAL(account, balance, 18, 2, "balance", "gte=-100.5,ne=13.13"),
    LAKE_FIELD(account, avatar, "avatar,nullable", "max=4"),
    LAKE_FIELD(account, nick, "nick,nullable", "omitempty,alphanum,len=3"),
    LAKE_FIELD(account, active, "active", "eq=true"),
    LAKE_FIELD(account, contact, "contact", "email|e164"),
    LAKE_FIELD(account, level, "level", "oneof=1 2 3"),
};
static const lake_model account_model = LAKE_MODEL(account, "accounts", account_fields);

#define S(lit) ((lake_str){lit, sizeof(lit) - 1})

static account good(void) {
    account a = {0};
    a.email = S("ann@example.com");
    a.name = S("Ann");
    a.country = S("New Zealand");
    a.age = (lake_opt_i32){0, true}; /* a legitimate zero passes required */
    a.score = 0;                     /* omitempty skips the zero value */
    a.ratio = 0.5;
    a.balance = (lake_dec128){10050, 0};
    a.avatar = (lake_bytes){NULL, 0}; /* NULL satisfies max */
    a.nick = S("");                   /* omitempty skips "" */
    a.active = true;
    a.contact = S("+14155552671");
    a.level = (lake_opt_i64){0, false};
    return a;
}

static const lake_schema *schema(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_of(&s, &account_model, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return NULL;
    }
    return s;
}

/* Validates one record and returns "ok" or "rule@path;rule@path...". */
static const char *problems(const account *a) {
    static char out[1024];
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake_validate(schema(), a, 1, &err);
    if (rc == LAKE_OK) return "ok";
    out[0] = '\0';
    for (size_t i = 0; i < lake_issues_count(err.issues); i++) {
        const lake_issue *it = lake_issues_get(err.issues, i);
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s@%s", i ? ";" : "", it->rule, it->path);
    }
    lake_error_clear(&err);
    return out;
}

static void accepts_a_good_record(void) {
    account a = good();
    CHECK_EQ_STR(problems(&a), "ok");
}

static void required_means_present_and_not_empty(void) {
    account a = good();
    a.email = (lake_str){NULL, 0};
    CHECK_EQ_STR(problems(&a), "null@/email"); /* the column is not nullable: its type forbids NULL */
    a.email = S("");
    CHECK_EQ_STR(problems(&a), "required@/email"); /* one issue per field */
    a = good();
    a.age.valid = false;
    CHECK_EQ_STR(problems(&a), "required@/age");
}

static void null_passes_every_rule_but_required(void) {
    account a = good();
    a.level = (lake_opt_i64){7, false};
    a.avatar = (lake_bytes){NULL, 0};
    CHECK_EQ_STR(problems(&a), "ok");
    a.level.valid = true;
    CHECK_EQ_STR(problems(&a), "oneof@/level");
}

static void lengths_count_code_points(void) {
    account a = good();
    a.name = S("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"); /* 5 code points, 10 bytes */
    CHECK_EQ_STR(problems(&a), "ok");
    a.name = S("\xF0\x9F\x98\x80"); /* 1 code point */
    CHECK_EQ_STR(problems(&a), "min@/name");
    a.name = S("abcdef");
    CHECK_EQ_STR(problems(&a), "max@/name");
    a.avatar = (lake_bytes){(const uint8_t *)"12345", 5}; /* bytes count bytes */
    a.name = S("Ann");
    CHECK_EQ_STR(problems(&a), "max@/avatar");
}

static void compares_numbers_by_value(void) {
    account a = good();
    a.age.v = 151;
    a.score = 10;
    a.ratio = 1.5;
    CHECK_EQ_STR(problems(&a), "lte@/age;gt@/score;lt@/ratio");
    a = good();
    a.age.v = -1;
    a.score = 11;
    a.ratio = -0.0;
    CHECK_EQ_STR(problems(&a), "gte@/age");
}

static void compares_decimals_exactly(void) {
    account a = good();
    a.balance = (lake_dec128){(uint64_t)-10050, -1}; /* -100.50: the bound */
    CHECK_EQ_STR(problems(&a), "ok");
    a.balance = (lake_dec128){(uint64_t)-10051, -1}; /* -100.51 */
    CHECK_EQ_STR(problems(&a), "gte@/balance");
    a.balance = (lake_dec128){1313, 0};
    CHECK_EQ_STR(problems(&a), "ne@/balance");
}

static void oneof_matches_whole_values(void) {
    account a = good();
    a.country = S("UK");
    CHECK_EQ_STR(problems(&a), "ok");
    a.country = S("New");
    CHECK_EQ_STR(problems(&a), "oneof@/country");
    a.country = S("uk");
    CHECK_EQ_STR(problems(&a), "oneof@/country");
}

static void omitempty_skips_only_the_zero_value(void) {
    account a = good();
    a.nick = S("ab");
    CHECK_EQ_STR(problems(&a), "len@/nick");
    a.nick = S("a-c");
    CHECK_EQ_STR(problems(&a), "alphanum@/nick");
    a.nick = S("abc");
    CHECK_EQ_STR(problems(&a), "ok");
}

static void alternatives_pass_when_any_passes(void) {
    account a = good();
    a.contact = S("ann@example.com");
    CHECK_EQ_STR(problems(&a), "ok");
    a.contact = S("call me");
    CHECK_EQ_STR(problems(&a), "email|e164@/contact");
    a.active = false;
    CHECK_EQ_STR(problems(&a), "eq@/active;email|e164@/contact");
}

static void checks_what_the_type_demands(void) {
    account a = good();
    a.balance = (lake_dec128){1000000000000000000u, 0}; /* 10^18 does not fit DECIMAL(18,2) */
    a.name = S("\xC3\x28");                            /* not UTF-8 */
    CHECK_EQ_STR(problems(&a), "utf8@/name;range@/balance");
    a.balance = (lake_dec128){999999999999999999u, 0}; /* the largest that fits */
    a.name = S("Ann");
    CHECK_EQ_STR(problems(&a), "ok");
}

static void reports_every_field_of_every_record(void) {
    account rs[3] = {good(), good(), good()};
    rs[0].email = S("nope");
    rs[2].name = S("A");
    rs[2].age.v = 200;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake_validate(schema(), rs, 3, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_INT(lake_issues_count(err.issues), 3);
    const lake_issue *i0 = lake_issues_get(err.issues, 0), *i2 = lake_issues_get(err.issues, 2);
    CHECK_EQ_INT(i0->record, 0);
    CHECK_EQ_STR(i0->column, "email");
    CHECK_EQ_STR(i0->rule, "email");
    CHECK_EQ_STR(i0->message, "must be a valid email address");
    CHECK_EQ_INT(i2->record, 2);
    CHECK_EQ_STR(i2->rule, "lte");
    CHECK_EQ_STR(i2->param, "150");
    CHECK_EQ_STR(i2->message, "must be at most 150");
    lake_error_clear(&err);

    const account *ptrs[3] = {&rs[1], NULL, &rs[1]};
    CHECK_STATUS(lake_validate_ptrs(schema(), (const void *const *)ptrs, 3, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_INT(lake_issues_count(err.issues), 1);
    CHECK_EQ_INT(lake_issues_get(err.issues, 0)->record, 1);
    lake_error_clear(&err);
    CHECK_OK(lake_validate(schema(), rs, 0, &err), &err);
}

/* A batch large enough to be checked in ranges on several threads reports
 * exactly what the same records report checked a few at a time: every issue,
 * in record order, each with its own record's index. */
static void a_large_batch_reports_as_small_ones_do(void) {
    enum { N = 50000, SMALL = 1000 };
    account *rs = malloc(N * sizeof *rs);
    const account **ptrs = malloc(N * sizeof *ptrs);
    CHECK(rs && ptrs);
    for (size_t i = 0; i < N; i++) {
        rs[i] = good();
        if (i % 997 == 5) rs[i].email = S("nope");            /* one issue */
        if (i % 1499 == 7) rs[i].name = S("A"), rs[i].age.v = 200; /* two */
        ptrs[i] = i % 4999 == 3 ? NULL : &rs[i];
    }
    lake_error all = LAKE_ERROR_INIT, part = LAKE_ERROR_INIT;
    for (int by_pointer = 0; by_pointer < 2; by_pointer++) {
        int rc = by_pointer ? lake_validate_ptrs(schema(), (const void *const *)ptrs, N, &all)
                            : lake_validate(schema(), rs, N, &all);
        CHECK_STATUS(rc, LAKE_EVALIDATION, &all);
        size_t expected = 0, at = 0;
        for (size_t from = 0; from < N; from += SMALL) {
            rc = by_pointer ? lake_validate_ptrs(schema(), (const void *const *)ptrs + from, SMALL, &part)
                            : lake_validate(schema(), rs + from, SMALL, &part);
            for (size_t k = 0; k < lake_issues_count(part.issues); k++, at++) {
                const lake_issue *want = lake_issues_get(part.issues, k), *got = lake_issues_get(all.issues, at);
                CHECK(got != NULL);
                if (!got) break;
                if (got->record != want->record + from || strcmp(got->path, want->path) || strcmp(got->rule, want->rule))
                    LAKE_FAIL_AT("issue %zu: record %zu %s %s, expected record %zu %s %s", at, got->record, got->path,
                                 got->rule, want->record + from, want->path, want->rule);
            }
            expected += lake_issues_count(part.issues);
            lake_error_clear(&part);
        }
        CHECK_EQ_INT(lake_issues_count(all.issues), expected);
        CHECK(expected > 100);
        lake_error_clear(&all);
    }
    for (size_t i = 0; i < N; i++) rs[i] = good();
    CHECK_OK(lake_validate(schema(), rs, N, &all), &all);
    free(ptrs);
    free(rs);
}

static void error_object_is_reusable_and_null_tolerant(void) {
    account a = good();
    a.email = S("x");
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_INT(lake_validate(schema(), &a, 1, NULL), LAKE_EVALIDATION);
    CHECK_EQ_INT(lake_validate(schema(), &a, 1, &err), LAKE_EVALIDATION);
    CHECK_EQ_INT(lake_validate(schema(), &a, 1, &err), LAKE_EVALIDATION); /* replaces, no leak */
    CHECK_EQ_INT(lake_issues_count(err.issues), 1);
    lake_error_clear(&err);
    lake_error_clear(&err);
    CHECK(err.issues == NULL && err.code == LAKE_OK);
    CHECK_EQ_STR(lake_strerror(LAKE_EVALIDATION), "validation failed");
    CHECK_EQ_STR(lake_strerror(12345), "unknown status");
}

/* The reference's custom rule (lake-orm registers "upperonly" in its tests). */
static bool upperonly(const lake_column *column, const void *value, const char *param, void *ctx) {
    (void)column;
    (void)param;
    (*(int *)ctx)++;
    const lake_str *s = value;
    for (size_t i = 0; i < s->len; i++)
        if (s->ptr[i] < 'A' || s->ptr[i] > 'Z') return false;
    return true;
}

static bool divisible_by(const lake_column *column, const void *value, const char *param, void *ctx) {
    (void)ctx;
    return column->type == LAKE_INT64 && *(const int64_t *)value % atoi(param) == 0;
}

typedef struct coded {
    lake_str code;
    int64_t count;
} coded;

static void custom_rules_run_like_built_in_ones(void) {
    static const lake_field fields[] = {
        LAKE_FIELD(coded, code, "code", "required,upperonly"),
        LAKE_FIELD(coded, count, "count", "divisible_by=3"),
    };
    lake_model m = LAKE_MODEL(coded, "codes", fields);
    lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake__schema_compile(&s, &m, &err), LAKE_ESCHEMA, &err); /* not registered yet */
    CHECK_CONTAINS(err.message, "unknown validation rule \"upperonly\"");
    int calls = 0;
    CHECK_OK(lake_rule_register("upperonly", upperonly, &calls, &err), &err);
    CHECK_OK(lake_rule_register("divisible_by", divisible_by, NULL, &err), &err);
    CHECK_EQ_INT(lake_rule_register("upperonly", upperonly, NULL, &err), LAKE_EINVAL);
    CHECK_EQ_INT(lake_rule_register("email", upperonly, NULL, &err), LAKE_EINVAL);
    CHECK_EQ_INT(lake_rule_register("bad name", upperonly, NULL, &err), LAKE_EINVAL);
    CHECK_OK(lake__schema_compile(&s, &m, &err), &err);
    coded rs[3] = {{{"ABC", 3}, 9}, {{"AbC", 3}, 9}, {{"XYZ", 3}, 10}};
    CHECK_STATUS(lake_validate(s, rs, 3, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_INT(lake_issues_count(err.issues), 2);
    const lake_issue *a = lake_issues_get(err.issues, 0), *b = lake_issues_get(err.issues, 1);
    CHECK(a->record == 1 && !strcmp(a->rule, "upperonly") && !strcmp(a->message, "must satisfy upperonly"));
    CHECK(b->record == 2 && !strcmp(b->rule, "divisible_by") && !strcmp(b->param, "3"));
    CHECK_EQ_STR(b->message, "must satisfy divisible_by=3");
    CHECK_EQ_INT(calls, 3);
    lake_error_clear(&err);
    lake_schema_free(s);
}

int main(void) {
    LAKE_RUN(accepts_a_good_record);
    LAKE_RUN(required_means_present_and_not_empty);
    LAKE_RUN(null_passes_every_rule_but_required);
    LAKE_RUN(lengths_count_code_points);
    LAKE_RUN(compares_numbers_by_value);
    LAKE_RUN(compares_decimals_exactly);
    LAKE_RUN(oneof_matches_whole_values);
    LAKE_RUN(omitempty_skips_only_the_zero_value);
    LAKE_RUN(alternatives_pass_when_any_passes);
    LAKE_RUN(checks_what_the_type_demands);
    LAKE_RUN(reports_every_field_of_every_record);
    LAKE_RUN(a_large_batch_reports_as_small_ones_do);
    LAKE_RUN(error_object_is_reusable_and_null_tolerant);
    LAKE_RUN(custom_rules_run_like_built_in_ones);
    return lake_test_summary();
}
