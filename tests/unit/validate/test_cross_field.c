/* SPDX-License-Identifier: MIT */
/* Cross-field rules: eqfield, nefield, gtfield, gtefield, ltfield, ltefield,
 * required_if, required_unless, required_with, required_without and
 * excluded_if, with go-playground's meanings; siblings named by column name
 * and bound when the schema compiles, which refuses unknown siblings and
 * types that do not compare. */
#include <stdlib.h>

#include "lake_test.h"
#include "validation_checks.h"
#include "schema/schema.h"

#define S(lit) ((lake_str){lit, sizeof(lit) - 1})

typedef struct booking {
    lake_ts starts;
    lake_ts ends;          /* gtfield=starts */
    lake_opt_i32 min_guests;
    lake_opt_i32 max_guests; /* gtefield=min_guests */
    lake_date check_in;    /* ltfield=check_out */
    lake_date check_out;
    lake_dec128 deposit;   /* ltefield=total */
    lake_dec128 total;
    lake_str password;
    lake_str confirm;      /* eqfield=password */
    lake_str new_password; /* nefield=password */
    lake_str status;
    lake_str reason;       /* nullable, required_if=status cancelled */
    lake_str invoice;      /* nullable, required_unless=status draft */
    lake_str email;        /* nullable, required_without=phone */
    lake_str phone;        /* nullable, required_with=sms */
    lake_opt_bool sms;
    lake_str promo;        /* nullable, excluded_if=status cancelled */
    lake_list_str guests;  /* ltefield=rooms: counts */
    lake_list_str rooms;
} booking;
static const lake_field booking_fields[] = {
    LAKE_FIELD(booking, starts, "starts", ""),
    LAKE_FIELD(booking, ends, "ends", "gtfield=starts"),
    LAKE_FIELD(booking, min_guests, "min_guests", ""),
    LAKE_FIELD(booking, max_guests, "max_guests", "gtefield=min_guests"),
    LAKE_FIELD(booking, check_in, "check_in", "ltfield=check_out"),
    LAKE_FIELD(booking, check_out, "check_out", ""),
    LAKE_DECIMAL(booking, deposit, 10, 2, "deposit", "ltefield=total"),
    LAKE_DECIMAL(booking, total, 12, 2, "total", ""),
    LAKE_FIELD(booking, password, "password", ""),
    LAKE_FIELD(booking, confirm, "confirm", "eqfield=password"),
    LAKE_FIELD(booking, new_password, "new_password,nullable", "nefield=password"),
    LAKE_FIELD(booking, status, "status", "oneof=draft confirmed cancelled"),
    LAKE_FIELD(booking, reason, "reason,nullable", "required_if=status cancelled"),
    LAKE_FIELD(booking, invoice, "invoice,nullable", "required_unless=status draft"),
    LAKE_FIELD(booking, email, "email,nullable", "required_without=phone"),
    LAKE_FIELD(booking, phone, "phone,nullable", "required_with=sms"),
    LAKE_FIELD(booking, sms, "sms", ""),
    LAKE_FIELD(booking, promo, "promo,nullable", "omitempty,min=3,excluded_if=status cancelled"),
    LAKE_LIST(booking, guests, "guests", "ltefield=rooms"),
    LAKE_LIST(booking, rooms, "rooms", ""),
};
static const lake_model booking_model = LAKE_MODEL(booking, "bookings", booking_fields);

static lake_str one_guest[] = {{"ann", 3}}, three_guests[] = {{"a", 1}, {"b", 1}, {"c", 1}};
static lake_str two_rooms[] = {{"101", 3}, {"102", 3}};

static booking good(void) {
    booking b = {0};
    b.starts.us = 1000;
    b.ends.us = 2000;
    b.min_guests = (lake_opt_i32){2, true};
    b.max_guests = (lake_opt_i32){2, true};
    b.check_in.days = 10;
    b.check_out.days = 12;
    b.deposit = (lake_dec128){5000, 0};
    b.total = (lake_dec128){5000, 0};
    b.password = S("hunter2");
    b.confirm = S("hunter2");
    b.new_password = (lake_str){NULL, 0};
    b.status = S("draft");
    b.email = S("a@example.com");
    b.guests = (lake_list_str){one_guest, 1};
    b.rooms = (lake_list_str){two_rooms, 2};
    return b;
}

static const lake_schema *schema(void) {
    const lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_of(&s, &booking_model, &err)) LAKE_FAIL_AT("%s", err.message);
    return s;
}

static void accepts_a_consistent_record(void) {
    booking b = good();
    CHECK_EQ_STR(lake_test_problems(schema(), &b, true), "ok");
}

static void compares_with_a_sibling(void) {
    booking b = good();
    b.ends.us = 1000;           /* not after starts */
    b.max_guests.v = 1;         /* below min_guests */
    b.check_in.days = 12;       /* not before check_out */
    b.deposit.lo = 5001;        /* above total */
    b.confirm = S("hunter3");   /* text compares by value */
    b.new_password = S("hunter2");
    b.guests.len = 0;           /* fine: 0 <= 2 */
    CHECK_EQ_STR(lake_test_problems(schema(), &b, true),
                 "gtfield=starts@/ends;gtefield=min_guests@/max_guests;ltfield=check_out@/check_in;"
                 "ltefield=total@/deposit;eqfield=password@/confirm;nefield=password@/new_password");
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake_validate(schema(), &b, 1, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->message, "must be greater than starts");
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->column, "ends");
    lake_error_clear(&err);
}

static void compares_collections_by_count(void) {
    booking b = good();
    b.guests = (lake_list_str){three_guests, 3};
    CHECK_EQ_STR(lake_test_problems(schema(), &b, true), "ltefield=rooms@/guests");
}

static void null_on_either_side_passes_comparisons(void) {
    booking b = good();
    b.min_guests.valid = false;
    b.max_guests.v = 0;
    CHECK_EQ_STR(lake_test_problems(schema(), &b, true), "ok");
    b.min_guests.valid = true;
    b.max_guests.valid = false;
    CHECK_EQ_STR(lake_test_problems(schema(), &b, true), "ok");
}

static void required_if_and_unless_follow_the_sibling_value(void) {
    booking b = good();
    b.status = S("cancelled");
    /* cancelled: a reason is required, and (not draft) an invoice */
    CHECK_EQ_STR(lake_test_problems(schema(), &b, true), "required_if=status cancelled@/reason;required_unless=status draft@/invoice");
    b.reason = S("");
    b.invoice = S("INV-1");
    CHECK_EQ_STR(lake_test_problems(schema(), &b, true), "required_if=status cancelled@/reason"); /* "" is not present */
    b.reason = S("weather");
    CHECK_EQ_STR(lake_test_problems(schema(), &b, true), "ok");
    lake_error err = LAKE_ERROR_INIT;
    b.reason = (lake_str){NULL, 0};
    CHECK_STATUS(lake_validate(schema(), &b, 1, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->message, "is required when status cancelled");
    lake_error_clear(&err);
}

static void required_with_and_without_follow_presence(void) {
    booking b = good();
    b.email = (lake_str){NULL, 0};
    CHECK_EQ_STR(lake_test_problems(schema(), &b, true), "required_without=phone@/email");
    b.phone = S("+14155552671");
    CHECK_EQ_STR(lake_test_problems(schema(), &b, true), "ok");
    b = good();
    b.sms = (lake_opt_bool){false, true}; /* false is present: the column is not NULL */
    CHECK_EQ_STR(lake_test_problems(schema(), &b, true), "required_with=sms@/phone");
}

static void excluded_if_wants_absence(void) {
    booking b = good();
    b.status = S("cancelled");
    b.reason = S("x");
    b.invoice = S("x");
    b.promo = S("SPRING");
    CHECK_EQ_STR(lake_test_problems(schema(), &b, true), "excluded_if=status cancelled@/promo");
    b.promo = S(""); /* omitempty: an empty promo skips every rule */
    CHECK_EQ_STR(lake_test_problems(schema(), &b, true), "ok");
    b.status = S("draft");
    b.promo = S("SP"); /* its own rule (min=3) and the cross-field ones report apart */
    CHECK_EQ_STR(lake_test_problems(schema(), &b, true), "min=3@/promo");
}

/* Cross-field rules inside list elements compare members of the same element. */
typedef struct span {
    int32_t lo, hi;
} span;
static const lake_field span_fields[] = {
    LAKE_FIELD(span, lo, "lo", ""),
    LAKE_FIELD(span, hi, "hi", "gtefield=lo"),
};
static const lake_model span_model = LAKE_MODEL(span, "", span_fields);
LAKE_LIST_TYPE(span_list, span);
typedef struct ranges {
    span_list spans;
} ranges;
static const lake_field ranges_fields[] = {
    LAKE_LIST_STRUCT(ranges, spans, span, span_model, "spans", "dive"),
};
static const lake_model ranges_model = LAKE_MODEL(ranges, "ranges", ranges_fields);

static void checks_siblings_inside_elements(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &ranges_model, &err), &err);
    span spans[] = {{1, 2}, {3, 3}, {5, 4}};
    ranges r = {{spans, 3}};
    CHECK_EQ_STR(lake_test_problems(s, &r, true), "gtefield=lo@/spans/2/hi");
}

/* eqfield on ids, required_if on a list's count (Go compares a slice's
 * length), and a NULL struct whose members' cross-field rules do not run. */
typedef struct ticket {
    lake_uuid owner;
    lake_uuid approver; /* nefield=owner */
    lake_list_str tags;
    lake_str why;       /* nullable, required_if=tags 0 */
    span *window;       /* nullable: its gtefield does not run when NULL */
} ticket;
static const lake_field ticket_fields[] = {
    LAKE_FIELD(ticket, owner, "owner", ""),
    LAKE_FIELD(ticket, approver, "approver", "nefield=owner"),
    LAKE_LIST(ticket, tags, "tags", ""),
    LAKE_FIELD(ticket, why, "why,nullable", "required_if=tags 0"),
    LAKE_STRUCT_PTR(ticket, window, span, span_model, "window", ""),
};
static const lake_model ticket_model = LAKE_MODEL(ticket, "tickets", ticket_fields);

static void compares_ids_counts_and_skips_null_structs(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &ticket_model, &err), &err);
    lake_str one[] = {S("urgent")};
    ticket t = {{{1}}, {{2}}, {one, 1}, {NULL, 0}, NULL};
    CHECK_EQ_STR(lake_test_problems(s, &t, true), "ok");
    t.approver = t.owner;
    t.tags.len = 0;
    CHECK_EQ_STR(lake_test_problems(s, &t, true), "nefield=owner@/approver;required_if=tags 0@/why");
    t = (ticket){{{1}}, {{2}}, {one, 1}, {NULL, 0}, &(span){5, 4}};
    CHECK_EQ_STR(lake_test_problems(s, &t, true), "gtefield=lo@/window/hi");
}

static void applies_to_decoded_json(void) {
    const char *text =
        "{\"table\": \"t\", \"fields\": ["
        "{\"tag\": \"lo\", \"type\": \"int32\"},"
        "{\"tag\": \"hi\", \"type\": \"int32\", \"rules\": \"gtfield=lo\"},"
        "{\"tag\": \"kind\", \"type\": \"string\"},"
        "{\"tag\": \"note,nullable\", \"type\": \"string\", \"rules\": \"required_if=kind 'needs note'\"}]}";
    lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_parse(&s, text, strlen(text), &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    void *rec = calloc(1, lake_schema_record_size(s));
    /* hi comes first in the object: the rule waits for lo */
    const char *json = "{\"hi\": 1, \"lo\": 5, \"kind\": \"needs note\"}";
    CHECK_STATUS(lake_json_decode(s, json, strlen(json), rec, arena, 0, NULL, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_INT(lake_issues_count(err.issues), 2);
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->path, "/hi");
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->rule, "gtfield");
    CHECK_EQ_STR(lake_issues_get(err.issues, 1)->path, "/note");
    CHECK_EQ_STR(lake_issues_get(err.issues, 1)->rule, "required_if");
    lake_error_clear(&err);
    json = "{\"hi\": 9, \"lo\": 5, \"kind\": \"needs note\", \"note\": \"here\"}";
    CHECK_OK(lake_json_decode(s, json, strlen(json), rec, arena, 0, NULL, &err), &err);
    free(rec);
    lake_arena_free(arena);
    lake_schema_free(s);
}

#define F(tag, type, rules) "{\"tag\": \"" tag "\", \"type\": \"" type "\", \"rules\": \"" rules "\"}"

static void refuses_siblings_that_do_not_fit_at_compile_time(void) {
    LAKE_CHECK_REFUSED(F("a", "int32", "gtfield=b"), "column \"a\": gtfield=b: no column \"b\" in this struct");
    LAKE_CHECK_REFUSED(F("a", "int32", "gtfield=a"), "names the column itself");
    LAKE_CHECK_REFUSED(F("a", "int32", "gtfield=b") "," F("b", "string", ""),
            "column \"a\": gtfield=b: a int32 column and the string column \"b\" do not compare");
    LAKE_CHECK_REFUSED(F("a", "int32", "eqfield=b") "," F("b", "float64", ""), "do not compare");
    LAKE_CHECK_REFUSED(F("a", "bool", "gtfield=b") "," F("b", "bool", ""), "bool values have no order");
    LAKE_CHECK_REFUSED(F("a", "uuid", "ltfield=b") "," F("b", "uuid", ""), "uuid values have no order");
    LAKE_CHECK_REFUSED(F("a", "decimal(10,2)", "ltefield=b") "," F("b", "decimal(10,3)", ""), "decimals of scale 2 and 3");
    LAKE_CHECK_REFUSED(F("a", "json", "eqfield=b") "," F("b", "json", ""), "do not compare");
    LAKE_CHECK_REFUSED(F("a,nullable", "string", "required_if=b") "," F("b", "int32", ""), "expected pairs of a column and a value");
    LAKE_CHECK_REFUSED(F("a,nullable", "string", "required_if=b x") "," F("b", "int32", ""), "\"x\": column \"b\" is an integer");
    LAKE_CHECK_REFUSED(F("a,nullable", "string", "required_if=b maybe") "," F("b", "bool", ""), "is a bool (true or false)");
    LAKE_CHECK_REFUSED(F("a,nullable", "string", "excluded_if=b 2024-13-01") "," F("b", "date", ""), "for column \"b\"");
    LAKE_CHECK_REFUSED(F("a,nullable", "string", "required_with=b c") "," F("b", "int32", ""), "no column \"c\"");
    LAKE_CHECK_REFUSED(F("a", "int32", "required_if=b 1") "," F("b", "int32", ""),
            "required_if cannot fail on a non-nullable int32 column");
    LAKE_CHECK_REFUSED(F("a,nullable", "int32", "gt=1|gtfield=b") "," F("b", "int32", ""), "cannot be an alternative");
    LAKE_CHECK_REFUSED(F("a", "int32", "gtfield") "," F("b", "int32", ""), "rule gtfield needs a parameter");
    LAKE_CHECK_REFUSED(F("a", "int32", "gtfield=b c") "," F("b", "int32", ""), "names one column");
    LAKE_CHECK_REFUSED(F("a", "int32", "eqfield=B") "," F("b", "int32", ""), "no column \"B\""); /* names are exact */
}

static void binds_values_in_the_sibling_type(void) {
    /* each pair's value is read as its sibling's type, and compares exactly */
    const char *text =
        "{\"table\": \"t\", \"fields\": ["
        F("price", "decimal(10,2)", "") "," F("day", "date", "") "," F("flag", "bool", "") ","
        F("a,nullable", "string", "required_if=price 1.5 day 2024-03-05 flag true") "]}";
    lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_parse(&s, text, strlen(text), &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    void *rec = calloc(1, lake_schema_record_size(s));
    const char *all = "{\"price\": \"1.50\", \"day\": \"2024-03-05\", \"flag\": true, \"a\": null}";
    CHECK_STATUS(lake_json_decode(s, all, strlen(all), rec, arena, 0, NULL, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->rule, "required_if");
    lake_error_clear(&err);
    /* one pair off: not required */
    const char *one_off = "{\"price\": \"1.51\", \"day\": \"2024-03-05\", \"flag\": true, \"a\": null}";
    CHECK_OK(lake_json_decode(s, one_off, strlen(one_off), rec, arena, 0, NULL, &err), &err);
    free(rec);
    lake_arena_free(arena);
    lake_schema_free(s);
}

int main(void) {
    LAKE_RUN(accepts_a_consistent_record);
    LAKE_RUN(compares_with_a_sibling);
    LAKE_RUN(compares_collections_by_count);
    LAKE_RUN(null_on_either_side_passes_comparisons);
    LAKE_RUN(required_if_and_unless_follow_the_sibling_value);
    LAKE_RUN(required_with_and_without_follow_presence);
    LAKE_RUN(excluded_if_wants_absence);
    LAKE_RUN(checks_siblings_inside_elements);
    LAKE_RUN(compares_ids_counts_and_skips_null_structs);
    LAKE_RUN(applies_to_decoded_json);
    LAKE_RUN(refuses_siblings_that_do_not_fit_at_compile_time);
    LAKE_RUN(binds_values_in_the_sibling_type);
    return lake_test_summary();
}
