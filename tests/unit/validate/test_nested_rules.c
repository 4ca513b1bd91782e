/* SPDX-License-Identifier: MIT */
/* Validation of nested data built in C: rules on lists and maps (counts,
 * required, omitempty, unique), dive into elements and map keys, nullable
 * structs whose members' rules do not run when NULL, NULL elements, and the
 * issue paths that name them (/items/3/sku, /attrs/color, /tags/0). */
#include <stdlib.h>

#include "lake_test.h"
#include "validation_checks.h"
#include "nested_event.h"
#include "schema/schema.h"

#define S(lit) ((lake_str){lit, sizeof(lit) - 1})

/* ---- the event model of tests/harness/nested_event.h */

static lake_str tags_red_xl[] = {{"red", 3}, {"xl", 2}};
static ev_item two_items[] = {
    {{"A-1", 3}, 2, {999, 0}, {tags_red_xl, 2}},
    {{"B-2", 3}, 1, {0, 0}, {LAKE_EMPTY, 0}},
};
static lake_map_str_entry channel_web[] = {{{"channel", 7}, {"web", 3}}, {{"campaign", 8}, {"spring", 6}}};
static int64_t row_a[] = {1, 2, 3}, row_b[] = {-4};
static lake_list_i64 score_rows[] = {{row_a, 3}, {LAKE_EMPTY, 0}, {row_b, 1}};
static lake_str note_texts[] = {{"gift", 4}, {NULL, 0}, {"fragile", 7}};
static lake_str team[] = {{"a", 1}, {"b", 1}};
static ev_label_map_entry label_entries[] = {{{"team", 4}, {team, 2}}, {{"none", 4}, {LAKE_EMPTY, 0}}};
static ev_address lyon = {{"Lyon", 4}, {69001, true}};

static event good_event(void) {
    event e = {0};
    e.kind = S("order.created");
    e.items = (ev_item_list){two_items, 2};
    e.shipping = &lyon;
    e.attrs = (lake_map_str){channel_web, 2};
    e.payload = (lake_json){"{\"total\":19.98}", 15};
    e.scores = (ev_i64_lists){score_rows, 3};
    e.notes = (lake_list_str){note_texts, 3};
    e.labels = (ev_label_map){label_entries, 2};
    return e;
}

static const lake_schema *event_schema(void) {
    const lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_of(&s, &event_model, &err)) LAKE_FAIL_AT("%s", err.message);
    return s;
}

static void accepts_every_nested_shape(void) {
    event e = good_event();
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "ok");
    /* empty collections, a NULL nullable list, a NULL JSON payload */
    e.attrs = (lake_map_str){LAKE_EMPTY, 0};
    e.scores = (ev_i64_lists){LAKE_EMPTY, 0};
    e.notes = (lake_list_str){NULL, 0};
    e.labels = (ev_label_map){LAKE_EMPTY, 0};
    e.payload = (lake_json){NULL, 0};
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "ok");
}

/* A JSON column built in C holds one JSON value, as the decoder stores it. */
static void json_text_built_in_c_is_one_value(void) {
    event e = good_event();
    static const char *good[] = {"null", "[1,\"two\",{\"3\":[]}]", " \"text\" ", "-0.5e3"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        e.payload = (lake_json){good[i], strlen(good[i])};
        CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "ok");
    }
    static const char *bad[] = {"", "{\"a\":", "[1] [2]", "{'a':1}", "NaN"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        e.payload = (lake_json){bad[i], strlen(bad[i])};
        CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "json@/payload");
    }
    char deep[200];
    memset(deep, '[', 65);
    memset(deep + 65, ']', 65);
    e.payload = (lake_json){deep, 130};
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "json@/payload");
}

static void counts_the_elements_of_a_list(void) {
    event e = good_event();
    e.items = (ev_item_list){LAKE_EMPTY, 0};
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "min@/items");
    lake_str six[] = {S("a"), S("b"), S("c"), S("d"), S("e"), S("f")};
    ev_item one = {S("A"), 1, {0, 0}, {six, 6}};
    e.items = (ev_item_list){&one, 1};
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "max@/items/0/tags");
    one.tags.len = 5;
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "ok");
}

static void names_elements_by_index(void) {
    event e = good_event();
    lake_str empty_tag[] = {S("ok"), S("")};
    ev_item items[] = {two_items[0], two_items[1], two_items[0],
                       {S(""), 0, {0, 0}, {empty_tag, 2}}};
    e.items = (ev_item_list){items, 4};
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "required@/items/3/sku;gte@/items/3/qty;required@/items/3/tags/1");
}

static void names_map_entries_by_key(void) {
    event e = good_event();
    char long_value[65];
    memset(long_value, 'v', sizeof long_value);
    lake_map_str_entry attrs[] = {{S("color"), {long_value, 65}}, {S("bad key"), S("v")}, {S("ok"), S("v")}};
    e.attrs = (lake_map_str){attrs, 3};
    /* the value's rule (max=64) and the key's rule (alphanum) both name the entry by its key */
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "max@/attrs/color;alphanum@/attrs/bad key");
    lake_map_str_entry many[21];
    char keys[21][4];
    for (int i = 0; i < 21; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        many[i] = (lake_map_str_entry){{keys[i], strlen(keys[i])}, S("v")};
    }
    e.attrs = (lake_map_str){many, 21};
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "max@/attrs");
}

static void refuses_duplicate_map_keys_built_in_c(void) {
    event e = good_event();
    lake_map_str_entry attrs[] = {{S("a"), S("1")}, {S("b"), S("2")}, {S("a"), S("3")}};
    e.attrs = (lake_map_str){attrs, 3};
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "duplicate_key@/attrs/a");
    /* past the pairwise bound, keys are hashed: the same answer */
    lake_map_str_entry many[40];
    char keys[40][4];
    for (int i = 0; i < 40; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i % 39); /* k0 again at 39 */
        many[i] = (lake_map_str_entry){{keys[i], strlen(keys[i])}, S("v")};
    }
    e.attrs = (lake_map_str){many, 40};
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "max@/attrs;duplicate_key@/attrs/k0");
}

static void skips_the_members_of_a_null_struct(void) {
    event e = good_event();
    e.shipping = NULL;
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "ok");
    ev_address nowhere = {S(""), {0, false}};
    e.shipping = &nowhere;
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "required@/shipping/city");
}

static void refuses_null_where_the_type_has_none(void) {
    event e = good_event();
    e.items = (ev_item_list){NULL, 0};
    e.scores = (ev_i64_lists){NULL, 0};
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "null@/items;null@/scores");
    e = good_event();
    lake_list_i64 rows[] = {{row_a, 3}, {NULL, 0}};
    e.scores = (ev_i64_lists){rows, 2};
    lake_str null_label[] = {{NULL, 0}};
    ev_label_map_entry labels[] = {{S("a"), {null_label, 1}}};
    e.labels = (ev_label_map){labels, 1};
    /* a NULL element of a non-nullable list, at its index; nullable elements (notes) pass */
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "null@/scores/1;null@/labels/a/0");
}

static void checks_nested_text_and_decimals_as_at_the_top(void) {
    event e = good_event();
    lake_str bad[] = {{"\xff", 1}};
    ev_item item = {S("A"), 1, {(uint64_t)10000000000, 0}, {bad, 1}}; /* 10^10 > DECIMAL(10,2) */
    e.items = (ev_item_list){&item, 1};
    lake_str notes[] = {{"\xc3", 1}};
    e.notes = (lake_list_str){notes, 1};
    CHECK_EQ_STR(lake_test_problems(event_schema(), &e, false), "range@/items/0/price;utf8@/items/0/tags/0;utf8@/notes/0");
    e = good_event();
    e.kind = S("");
    /* the path names the JSON key (json=type), the issue's column the column */
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake_validate(event_schema(), &e, 1, &err), LAKE_EVALIDATION, &err);
    const lake_issue *it = lake_issues_get(err.issues, 0);
    CHECK_EQ_STR(it->path, "/type");
    CHECK_EQ_STR(it->column, "kind");
    lake_error_clear(&err);
    e = good_event();
    e.items = (ev_item_list){(ev_item[]){{S(""), 1, {0, 0}, {LAKE_EMPTY, 0}}}, 1};
    CHECK_STATUS(lake_validate(event_schema(), &e, 1, &err), LAKE_EVALIDATION, &err);
    it = lake_issues_get(err.issues, 0);
    CHECK_EQ_STR(it->path, "/items/0/sku");
    CHECK_EQ_STR(it->column, "items"); /* the table column the value is inside */
    CHECK_EQ_STR(it->message, "must be present and not empty");
    lake_error_clear(&err);
}

/* ---- collection rules on a model of their own */

typedef struct sku_item {
    lake_str sku;
    int32_t qty;
} sku_item;
static const lake_field sku_item_fields[] = {
    LAKE_FIELD(sku_item, sku, "sku", ""),
    LAKE_FIELD(sku_item, qty, "qty", ""),
};
static const lake_model sku_item_model = LAKE_MODEL(sku_item, "", sku_item_fields);
LAKE_LIST_TYPE(sku_item_list, sku_item);
LAKE_LIST_TYPE(sku_item_ptrs, sku_item *);

typedef struct bag {
    lake_list_i32 nums;    /* unique */
    lake_list_str words;   /* omitempty,min=2,unique */
    sku_item_list items;   /* unique=sku */
    lake_list_str picks;   /* nullable, required: not NULL, may be empty */
    lake_json payload;     /* nullable, required */
    ev_address *home;      /* nullable struct, required */
    lake_map_i64 counts;   /* unique values, gt=0 */
    ev_i64_lists grid;     /* dive,dive,gte=0 */
    lake_list_f64 ratios;  /* len=2, lt=3 */
    sku_item_ptrs maybe;   /* nullable struct elements: unique=sku */
} bag;
static const lake_field bag_fields[] = {
    LAKE_LIST(bag, nums, "nums", "unique"),
    LAKE_LIST(bag, words, "words", "omitempty,min=2,unique"),
    LAKE_LIST_STRUCT(bag, items, sku_item, sku_item_model, "items", "unique=sku"),
    LAKE_LIST(bag, picks, "picks,nullable", "required"),
    LAKE_FIELD(bag, payload, "payload,nullable", "required"),
    LAKE_STRUCT_PTR(bag, home, ev_address, ev_address_model, "home", "required"),
    LAKE_MAP(bag, counts, "counts", "gt=0,unique"),
    LAKE_LIST_OF(bag, grid, lake_list_i64, LAKE_ELEM_LIST(lake_list_i64, LAKE_ELEM(int64_t)), "grid", "dive,dive,gte=0"),
    LAKE_LIST(bag, ratios, "ratios", "len=2,dive,lt=3"),
    LAKE_LIST_OF(bag, maybe, sku_item *, LAKE_ELEM_STRUCT_PTR(sku_item, sku_item_model), "maybe", "unique=sku"),
};
static const lake_model bag_model = LAKE_MODEL(bag, "bags", bag_fields);

static int32_t nums_123[] = {1, 2, 3};
static lake_str words_ab[] = {{"a", 1}, {"b", 1}};
static sku_item items_ab[] = {{{"a", 1}, 1}, {{"b", 1}, 1}};
static lake_map_i64_entry counts_xy[] = {{{"x", 1}, 1}, {{"y", 1}, 2}};
static double ratios_ok[] = {0.5, 2.5};

static bag good_bag(void) {
    bag b = {0};
    b.nums = (lake_list_i32){nums_123, 3};
    b.words = (lake_list_str){words_ab, 2};
    b.items = (sku_item_list){items_ab, 2};
    b.picks = (lake_list_str){LAKE_EMPTY, 0}; /* empty passes required, as a non-nil slice in Go */
    b.payload = (lake_json){"null", 4};       /* JSON null is a value: the column is not NULL */
    b.home = &lyon;
    b.counts = (lake_map_i64){counts_xy, 2};
    b.grid = (ev_i64_lists){score_rows, 1};
    b.ratios = (lake_list_f64){ratios_ok, 2};
    b.maybe = (sku_item_ptrs){LAKE_EMPTY, 0};
    return b;
}

static const lake_schema *bag_schema(void) {
    const lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_of(&s, &bag_model, &err)) LAKE_FAIL_AT("%s", err.message);
    return s;
}

static void required_on_collections_means_not_null(void) {
    bag b = good_bag();
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "ok");
    b.picks = (lake_list_str){NULL, 0};
    b.payload = (lake_json){NULL, 0};
    b.home = NULL;
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "required@/picks;required@/payload;required@/home");
}

static void omitempty_skips_null_and_empty_collections(void) {
    bag b = good_bag();
    b.words = (lake_list_str){LAKE_EMPTY, 0};
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "ok");
    b.words = (lake_list_str){words_ab, 1};
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "min@/words");
}

static void unique_compares_values(void) {
    bag b = good_bag();
    int32_t nums[] = {1, 2, 1};
    b.nums = (lake_list_i32){nums, 3};
    lake_str words[] = {S("x"), S("y"), S("x")};
    b.words = (lake_list_str){words, 3};
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "unique@/nums;unique@/words");
    /* a map's values, as Go's unique on a map */
    b = good_bag();
    lake_map_i64_entry counts[] = {{S("x"), 7}, {S("y"), 7}};
    b.counts = (lake_map_i64){counts, 2};
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "unique@/counts");
    /* many elements go through the hash table: the same answer */
    int32_t many[100];
    for (int i = 0; i < 100; i++) many[i] = i * 7;
    b = good_bag();
    b.nums = (lake_list_i32){many, 100};
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "ok");
    many[99] = 14;
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "unique@/nums");
}

static void unique_on_struct_elements_compares_the_member(void) {
    bag b = good_bag();
    sku_item items[] = {{S("a"), 1}, {S("b"), 1}, {S("a"), 2}};
    b.items = (sku_item_list){items, 3};
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "unique@/items");
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake_validate(bag_schema(), &b, 1, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->param, "sku");
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->message, "must not hold two elements with equal sku");
    lake_error_clear(&err);
    items[2].sku = S("c"); /* equal qty does not matter */
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "ok");
    /* NULL elements equal nothing */
    sku_item x = {S("x"), 1}, y = {S("x"), 2};
    sku_item *maybe[] = {&x, NULL, NULL};
    b.maybe = (sku_item_ptrs){maybe, 3};
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "ok");
    maybe[2] = &y;
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "unique@/maybe");
}

static void dive_dive_reaches_lists_of_lists(void) {
    bag b = good_bag();
    int64_t neg[] = {0, -1};
    lake_list_i64 rows[] = {{row_a, 3}, {neg, 2}};
    b.grid = (ev_i64_lists){rows, 2};
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "gte@/grid/1/1");
}

static void counts_and_element_rules_on_floats(void) {
    bag b = good_bag();
    double three[] = {0.5, 3.0, 1.0};
    b.ratios = (lake_list_f64){three, 3};
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "len@/ratios;lt@/ratios/1");
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake_validate(bag_schema(), &b, 1, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->message, "must have exactly 2 elements");
    lake_error_clear(&err);
    lake_map_i64_entry none[] = {{S("x"), 1}};
    b = good_bag();
    b.counts = (lake_map_i64){none, 0};
    CHECK_EQ_STR(lake_test_problems(bag_schema(), &b, false), "gt@/counts");
}

/* ---- schemas the rules refuse */

static void refuses_collection_rules_that_cannot_hold(void) {
    LAKE_CHECK_REFUSED("{\"tag\": \"l\", \"type\": \"list<struct>\", \"rules\": \"unique\", \"fields\": [{\"tag\": \"a\", \"type\": \"int32\"}]}",
            "name the member to compare, e.g. unique=id");
    LAKE_CHECK_REFUSED("{\"tag\": \"l\", \"type\": \"list<struct>\", \"rules\": \"unique=b\", \"fields\": [{\"tag\": \"a\", \"type\": \"int32\"}]}",
            "no member column \"b\"");
    LAKE_CHECK_REFUSED("{\"tag\": \"l\", \"type\": \"list<int32>\", \"rules\": \"unique=a\"}", "names a column of struct elements");
    LAKE_CHECK_REFUSED("{\"tag\": \"l\", \"type\": \"list<list<int32>>\", \"rules\": \"unique\"}", "list values do not compare");
    LAKE_CHECK_REFUSED("{\"tag\": \"s\", \"type\": \"string\", \"rules\": \"unique\"}", "rule unique does not apply to a string column");
    LAKE_CHECK_REFUSED("{\"tag\": \"l\", \"type\": \"list<int32>\", \"rules\": \"required\"}",
            "required cannot fail on a non-nullable list column");
    LAKE_CHECK_REFUSED("{\"tag\": \"l\", \"type\": \"list<int32>\", \"rules\": \"min=-1\"}", "min=-1: expected a length");
    LAKE_CHECK_REFUSED("{\"tag\": \"l\", \"type\": \"list<int32>\", \"rules\": \"email\"}", "rule email does not apply to a list column");
    LAKE_CHECK_REFUSED("{\"tag\": \"l\", \"type\": \"list<string>\", \"rules\": \"dive,min=x\"}", "min=x: expected a length");
    LAKE_CHECK_REFUSED("{\"tag\": \"m\", \"type\": \"map<string,int32>\", \"rules\": \"dive,keys,gte=x,endkeys\"}",
            "column \"key\": gte=x: expected a length");
}

int main(void) {
    LAKE_RUN(accepts_every_nested_shape);
    LAKE_RUN(json_text_built_in_c_is_one_value);
    LAKE_RUN(counts_the_elements_of_a_list);
    LAKE_RUN(names_elements_by_index);
    LAKE_RUN(names_map_entries_by_key);
    LAKE_RUN(refuses_duplicate_map_keys_built_in_c);
    LAKE_RUN(skips_the_members_of_a_null_struct);
    LAKE_RUN(refuses_null_where_the_type_has_none);
    LAKE_RUN(checks_nested_text_and_decimals_as_at_the_top);
    LAKE_RUN(required_on_collections_means_not_null);
    LAKE_RUN(omitempty_skips_null_and_empty_collections);
    LAKE_RUN(unique_compares_values);
    LAKE_RUN(unique_on_struct_elements_compares_the_member);
    LAKE_RUN(dive_dive_reaches_lists_of_lists);
    LAKE_RUN(counts_and_element_rules_on_floats);
    LAKE_RUN(refuses_collection_rules_that_cannot_hold);
    return lake_test_summary();
}
