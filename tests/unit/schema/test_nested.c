/* SPDX-License-Identifier: MIT */
/* Lists, maps, nullable structs, JSON columns and key aliases: what C models
 * and schema files compile to, and the mistakes they refuse. */
#include "lake_test.h"
#include "nested_event.h"
#include "schema/schema.h"

static const lake_column *col(const lake_schema *s, const char *name) {
    const lake_column *c = lake_schema_find(s, name);
    if (!c) LAKE_FAIL_AT("no column %s", name);
    return c;
}

/* The compiled shape both forms must have; `c_model` also pins the C layout. */
static void check_event_shape(const lake_schema *s, bool c_model) {
    CHECK_EQ_INT(lake_schema_column_count(s), 10);
    CHECK_EQ_STR(col(s, "kind")->json_name, "type");
    CHECK_EQ_STR(col(s, "at")->json_name, "at");

    const lake_column *items = col(s, "items");
    CHECK_EQ_INT(items->type, LAKE_LIST);
    CHECK(!items->nullable);
    CHECK_EQ_INT(lake_schema_column_count(items->child), 1);
    const lake_column *item = lake_schema_column(items->child, 0);
    CHECK_EQ_STR(item->name, "element");
    CHECK_EQ_INT(item->type, LAKE_STRUCT);
    CHECK(!item->nullable);
    CHECK_EQ_INT(item->offset, 0);
    const lake_column *tags = col(item->child, "tags");
    CHECK_EQ_INT(tags->type, LAKE_LIST);
    CHECK_EQ_INT(lake_schema_column(tags->child, 0)->type, LAKE_STRING);
    if (c_model) {
        CHECK_EQ_INT(lake_schema_record_size(items->child), sizeof(ev_item));
        CHECK_EQ_INT(lake_schema_record_size(tags->child), sizeof(lake_str));
        CHECK_EQ_INT(col(item->child, "price")->offset, offsetof(ev_item, price));
    }

    const lake_column *shipping = col(s, "shipping");
    CHECK_EQ_INT(shipping->type, LAKE_STRUCT);
    CHECK(shipping->nullable);
    CHECK(col(shipping->child, "zip")->nullable);

    const lake_column *attrs = col(s, "attrs");
    CHECK_EQ_INT(attrs->type, LAKE_MAP);
    CHECK_EQ_INT(lake_schema_column_count(attrs->child), 2);
    CHECK_EQ_STR(lake_schema_column(attrs->child, 0)->name, "key");
    CHECK_EQ_INT(lake_schema_column(attrs->child, 0)->type, LAKE_STRING);
    CHECK_EQ_STR(lake_schema_column(attrs->child, 1)->name, "value");
    CHECK_EQ_INT(lake_schema_column(attrs->child, 1)->offset, sizeof(lake_str));
    CHECK_EQ_INT(lake_schema_record_size(attrs->child), 32);

    CHECK_EQ_INT(col(s, "payload")->type, LAKE_JSON);
    CHECK(col(s, "payload")->nullable);

    const lake_column *scores = col(s, "scores");
    const lake_column *inner = lake_schema_column(scores->child, 0);
    CHECK_EQ_INT(inner->type, LAKE_LIST);
    CHECK_EQ_INT(lake_schema_column(inner->child, 0)->type, LAKE_INT64);
    CHECK_EQ_INT(lake_schema_record_size(inner->child), 8);

    const lake_column *notes = col(s, "notes");
    CHECK(notes->nullable);
    CHECK(lake_schema_column(notes->child, 0)->nullable);

    const lake_column *labels = col(s, "labels");
    const lake_column *value = lake_schema_column(labels->child, 1);
    CHECK_EQ_INT(value->type, LAKE_LIST);
    CHECK_EQ_INT(lake_schema_column(value->child, 0)->type, LAKE_STRING);
    if (c_model) CHECK_EQ_INT(lake_schema_record_size(labels->child), sizeof(ev_label_map_entry));

    /* Field ids number every column, element, key and value once (Iceberg's rule). */
    CHECK_EQ_INT(col(s, "event_id")->field_id, 1);
    CHECK_EQ_INT(col(s, "labels")->field_id, 10);
    CHECK(item->field_id > 10);
    CHECK(lake_schema_column(value->child, 0)->field_id > value->field_id);
}

static void compiles_the_c_model(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &event_model, &err), &err);
    check_event_shape(s, true);
    const lake__column *shipping = (const lake__column *)col(s, "shipping");
    event e = {0};
    CHECK(lake__is_null(shipping, &e));
    ev_address home = {{"Lyon", 4}, {69001, true}};
    e.shipping = &home;
    CHECK(!lake__is_null(shipping, &e));
    CHECK(lake__struct_at(shipping, &e) == &home);
    CHECK(lake__is_null((const lake__column *)col(s, "items"), &e));
    e.items = (ev_item_list){LAKE_EMPTY, 0};
    CHECK(!lake__is_null((const lake__column *)col(s, "items"), &e));
}

static char *read_all(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void compiles_the_schema_file(void) {
    lake_schema *s, *again;
    lake_error err = LAKE_ERROR_INIT;
    const char *text = read_all(LAKE_TEST_DATA "/nested/events.schema.json");
    CHECK(text);
    CHECK_OK(lake_schema_parse(&s, text, strlen(text), &err), &err);
    check_event_shape(s, false);
    char *json;
    size_t len;
    CHECK_OK(lake_schema_to_json(s, &json, &len), NULL);
    CHECK_CONTAINS(json, "\"list<struct>\"");
    CHECK_CONTAINS(json, "\"list<string?>\"");
    CHECK_CONTAINS(json, "\"map<string,list<string>>\"");
    CHECK_CONTAINS(json, "kind,json=type");
    CHECK_CONTAINS(json, "max=20,dive,keys,alphanum,endkeys,max=64");
    CHECK_OK(lake_schema_parse(&again, json, len, &err), &err);
    check_event_shape(again, false);
    lake_free(json);
    lake_schema_free(again);
    lake_schema_free(s);
}

static void refuses_file(const char *fields, const char *why) {
    char text[2048];
    snprintf(text, sizeof text, "{\"table\": \"t\", \"fields\": [%s]}", fields);
    lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake_schema_parse(&s, text, strlen(text), &err);
    if (rc != LAKE_ESCHEMA) LAKE_FAIL_AT("%s: expected LAKE_ESCHEMA, got %d", fields, rc);
    if (!strstr(err.message, why)) LAKE_FAIL_AT("%s: message \"%s\" lacks \"%s\"", fields, err.message, why);
}

static void refuses_bad_schema_files(void) {
    refuses_file("{\"tag\": \"m\", \"type\": \"map<int32,string>\"}", "keys are strings");
    refuses_file("{\"tag\": \"l\", \"type\": \"list<strng>\"}", "unknown type \"strng\"");
    refuses_file("{\"tag\": \"l\", \"type\": \"list<string\"}", "closing '>'");
    refuses_file("{\"tag\": \"l\", \"type\": \"list<>\"}", "element type is missing");
    refuses_file("{\"tag\": \"l\", \"type\": \"list<struct>\"}", "needs \"fields\"");
    refuses_file("{\"tag\": \"l\", \"type\": \"list<int32>\", \"fields\": [{\"tag\": \"a\", \"type\": \"int32\"}]}",
                 "only fields whose type names struct");
    refuses_file("{\"tag\": \"l\", \"type\": \"list<int32>\", \"rules\": \"dive,keys,min=1,endkeys\"}",
                 "apply to maps only");
    refuses_file("{\"tag\": \"m\", \"type\": \"map<string,int32>\", \"rules\": \"dive,keys,min=1\"}",
                 "keys without endkeys");
    refuses_file("{\"tag\": \"m\", \"type\": \"map<string,int32>\", \"rules\": \"keys,min=1,endkeys\"}",
                 "dive,keys,...,endkeys");
    refuses_file("{\"tag\": \"x\", \"type\": \"int32\", \"rules\": \"dive,min=1\"}", "dive applies to lists and maps");
    refuses_file("{\"tag\": \"l,pk\", \"type\": \"list<int32>\"}", "cannot be a key");
    refuses_file("{\"tag\": \"j,partition\", \"type\": \"json\"}", "cannot be a key or a partition");
    refuses_file("{\"tag\": \"a,json=k\", \"type\": \"int32\"}, {\"tag\": \"k\", \"type\": \"int32\"}",
                 "JSON key \"k\" is already");
    refuses_file("{\"tag\": \"a,json=\", \"type\": \"int32\"}", "json= needs the object key");
    refuses_file("{\"tag\": \"l\", \"type\": \"list<list<list<list<list<list<list<list<list<list<list<list<list<list<"
                 "list<list<list<int32>>>>>>>>>>>>>>>>>\"}", "nested more than");
}

/* A plain struct member cannot hold NULL: the model must say so at compile time. */
typedef struct plain_holder {
    ev_address home;
} plain_holder;
static const lake_field plain_fields[] = {
    LAKE_STRUCT(plain_holder, home, ev_address, ev_address_model, "home,nullable", ""),
};
static const lake_model plain_model = LAKE_MODEL(plain_holder, "plain", plain_fields);

/* An element descriptor whose type does not match the view's element size. */
typedef struct mismatched {
    lake_list_i64 xs;
} mismatched;
static const lake_field mismatched_fields[] = {
    LAKE_LIST_OF(mismatched, xs, int64_t, LAKE_ELEM(int32_t), "xs", ""),
};
static const lake_model mismatched_model = LAKE_MODEL(mismatched, "mismatched", mismatched_fields);

/* Element rules belong after dive, not on the descriptor. */
typedef struct ruled {
    lake_list_i64 xs;
} ruled;
static const lake_field ruled_fields[] = {
    {"xs", LAKE_LIST, 0, offsetof(ruled, xs), sizeof(lake_list_i64), "xs", "", 0, 0, NULL,
     &(const lake_field){"element", LAKE_INT64, 0, 0, 8, "element", "min=1", 0, 0, NULL, NULL, 0}, 8},
};
static const lake_model ruled_model = LAKE_MODEL(ruled, "ruled", ruled_fields);

static void refuses_bad_c_models(void) {
    lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake__schema_compile(&s, &plain_model, &err), LAKE_ESCHEMA, &err);
    CHECK_CONTAINS(err.message, "LAKE_STRUCT_PTR");
    CHECK_STATUS(lake__schema_compile(&s, &mismatched_model, &err), LAKE_ESCHEMA, &err);
    CHECK_CONTAINS(err.message, "does not match the view");
    CHECK_STATUS(lake__schema_compile(&s, &ruled_model, &err), LAKE_ESCHEMA, &err);
    CHECK_CONTAINS(err.message, "after dive");
}

int main(void) {
    LAKE_RUN(compiles_the_c_model);
    LAKE_RUN(compiles_the_schema_file);
    LAKE_RUN(refuses_bad_schema_files);
    LAKE_RUN(refuses_bad_c_models);
    return lake_test_summary();
}
