/* SPDX-License-Identifier: MIT */
/* Arrow IPC streams arrive from Spark Connect and Databricks servers: the
 * reader over any bytes, into a record of every type it reads, and into the
 * nested event model (lists of structs of lists, nullable structs, maps of
 * lists, list<list<>>), whose every element is touched. */
#include <stdint.h>
#include <string.h>

#include "arrow/ipc.h"
#include "nested_event.h"
#include "schema/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct inner {
    lake_str city;
    lake_opt_i64 n;
} inner;
static const lake_field inner_fields[] = {LAKE_FIELD(inner, city, "city", ""), LAKE_FIELD(inner, n, "n", "")};
static const lake_model inner_model = LAKE_MODEL(inner, "inner", inner_fields);

typedef struct any {
    int64_t id;
    int8_t tiny;
    lake_opt_i32 maybe;
    double score;
    float ratio;
    bool flag;
    lake_str name;
    lake_bytes blob;
    lake_ts at;
    lake_date day;
    lake_opt_dec128 amount;
    lake_uuid uid;
    inner place;
} any;
static const lake_field any_fields[] = {
    LAKE_FIELD(any, id, "id", ""),        LAKE_FIELD(any, tiny, "tiny", ""),
    LAKE_FIELD(any, maybe, "maybe", ""),  LAKE_FIELD(any, score, "score", ""),
    LAKE_FIELD(any, ratio, "ratio", ""),  LAKE_FIELD(any, flag, "flag", ""),
    LAKE_FIELD(any, name, "name,nullable", ""), LAKE_FIELD(any, blob, "blob", ""),
    LAKE_FIELD(any, at, "at", ""),        LAKE_FIELD(any, day, "day", ""),
    LAKE_DECIMAL(any, amount, 38, 4, "amount", ""), LAKE_FIELD(any, uid, "uid", ""),
    LAKE_STRUCT(any, place, inner, inner_model, "place", ""),
};
static const lake_model any_model = LAKE_MODEL(any, "rows", any_fields);

static int touch(void *ctx, const void *record) {
    const any *a = record;
    size_t *sum = ctx;
    for (size_t i = 0; i < a->name.len; i++) *sum += (unsigned char)a->name.ptr[i];
    for (size_t i = 0; i < a->blob.len; i++) *sum += a->blob.ptr[i];
    for (size_t i = 0; i < a->place.city.len; i++) *sum += (unsigned char)a->place.city.ptr[i];
    return 0;
}

/* Sums every byte a record of schema s holds, at every level: reads past
 * what the reader allocated show up under the sanitizers. */
static size_t touch_nested(const lake_schema *s, const unsigned char *rec) {
    size_t sum = 0;
    for (size_t i = 0; i < s->column_count; i++) {
        const lake__column *c = &s->columns[i];
        if (lake__is_null(c, rec)) continue;
        const lake__view *v = (const lake__view *)(rec + c->pub.offset);
        switch (c->pub.type) {
        case LAKE_STRING: case LAKE_BYTES: case LAKE_JSON:
            for (size_t k = 0; k < v->len; k++) sum += ((const unsigned char *)v->ptr)[k];
            break;
        case LAKE_STRUCT: sum += touch_nested(c->pub.child, lake__struct_at(c, rec)); break;
        case LAKE_LIST: case LAKE_MAP:
            for (size_t k = 0; k < v->len; k++)
                sum += touch_nested(c->pub.child, (const unsigned char *)v->ptr + k * c->pub.child->record_size);
            break;
        default: sum += rec[c->pub.offset];
        }
    }
    return sum;
}

static int touch_event(void *ctx, const void *record) {
    const lake_schema *s;
    lake_schema_of(&s, &event_model, NULL);
    *(size_t *)ctx += touch_nested(s, record);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const lake_schema *s, *nested;
    if (lake_schema_of(&s, &any_model, NULL) || lake_schema_of(&nested, &event_model, NULL)) return 0;
    lake_arena *arena;
    if (lake_arena_new(&arena)) return 0;
    size_t sum = 0;
    lake__arrow_read(data, size, s, arena, true, touch, &sum, NULL);
    lake__arrow_read(data, size, nested, arena, true, touch_event, &sum, NULL);
    lake_arena_free(arena);
    return 0;
}
