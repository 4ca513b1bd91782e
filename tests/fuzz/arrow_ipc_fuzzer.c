/* SPDX-License-Identifier: MIT */
/* Arrow IPC streams arrive from Spark Connect and Databricks servers: the
 * reader over any bytes, into a record of every type it reads. */
#include <stdint.h>
#include <string.h>

#include "arrow/ipc.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const lake_schema *s;
    if (lake_schema_of(&s, &any_model, NULL)) return 0;
    lake_arena *arena;
    if (lake_arena_new(&arena)) return 0;
    size_t sum = 0;
    lake__arrow_read(data, size, s, arena, true, touch, &sum, NULL);
    lake_arena_free(arena);
    return 0;
}
