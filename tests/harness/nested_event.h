/* SPDX-License-Identifier: MIT */
/* The nested shapes every layer is tested with: an event feed's record with a
 * list of structs (each with a list), a nullable struct, maps (of strings,
 * of lists), a JSON payload, a list of lists and a nullable list of nullable
 * strings. tests/data/nested/events.schema.json describes the same table;
 * events.ndjson holds records of it (valid ones, then rejected ones). */
#ifndef LAKE_TEST_NESTED_EVENT_H
#define LAKE_TEST_NESTED_EVENT_H

#include <lakeorm.h>

typedef struct ev_item {
    lake_str sku;
    int32_t qty;
    lake_dec128 price;
    lake_list_str tags;
} ev_item;
static const lake_field ev_item_fields[] = {
    LAKE_FIELD(ev_item, sku, "sku", "required"),
    LAKE_FIELD(ev_item, qty, "qty", "gte=1"),
    LAKE_DECIMAL(ev_item, price, 10, 2, "price", "gte=0"),
    LAKE_LIST(ev_item, tags, "tags", "max=5,dive,required"),
};
static const lake_model ev_item_model = LAKE_MODEL(ev_item, "", ev_item_fields);
LAKE_LIST_TYPE(ev_item_list, ev_item);

typedef struct ev_address {
    lake_str city;
    lake_opt_i32 zip;
} ev_address;
static const lake_field ev_address_fields[] = {
    LAKE_FIELD(ev_address, city, "city", "required"),
    LAKE_FIELD(ev_address, zip, "zip", ""),
};
static const lake_model ev_address_model = LAKE_MODEL(ev_address, "", ev_address_fields);

LAKE_LIST_TYPE(ev_i64_lists, lake_list_i64);
LAKE_MAP_TYPE(ev_label_map, lake_list_str);

typedef struct event {
    lake_uuid event_id;
    lake_str kind;
    lake_ts at;
    ev_item_list items;   /* list<struct> */
    ev_address *shipping; /* nullable struct */
    lake_map_str attrs;   /* map<string,string> */
    lake_json payload;    /* json, nullable */
    ev_i64_lists scores;  /* list<list<int64>> */
    lake_list_str notes;  /* nullable list<string?> */
    ev_label_map labels;  /* map<string,list<string>> */
} event;
static const lake_field event_fields[] = {
    LAKE_FIELD(event, event_id, "event_id,pk", ""),
    LAKE_FIELD(event, kind, "kind,json=type", "required"),
    LAKE_FIELD(event, at, "at", ""),
    LAKE_LIST_OF(event, items, ev_item, LAKE_ELEM_STRUCT(ev_item, ev_item_model), "items", "min=1,dive"),
    LAKE_STRUCT_PTR(event, shipping, ev_address, ev_address_model, "shipping,nullable", ""),
    LAKE_MAP(event, attrs, "attrs", "max=20,dive,keys,alphanum,endkeys,max=64"),
    LAKE_FIELD(event, payload, "payload,nullable", ""),
    LAKE_LIST_OF(event, scores, lake_list_i64, LAKE_ELEM_LIST(lake_list_i64, LAKE_ELEM(int64_t)), "scores", ""),
    LAKE_LIST_OF(event, notes, lake_str, LAKE_ELEM_NULLABLE(lake_str), "notes,nullable", ""),
    LAKE_MAP_OF(event, labels, lake_list_str, LAKE_ELEM_LIST(lake_list_str, LAKE_ELEM(lake_str)), "labels", ""),
};
static const lake_model event_model = LAKE_MODEL(event, "events", event_fields);

#endif
