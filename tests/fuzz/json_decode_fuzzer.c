/* SPDX-License-Identifier: MIT */
/* The strict decoder against arbitrary bytes, through a model that has every
 * column type and a nested struct. Invariants: no crash or leak, a status that
 * is OK or a rejection with issues, and strings that are valid UTF-8. */
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

#include "util/utf8.h"

typedef struct inner {
    lake_str name;
    lake_opt_i64 n;
} inner;
static const lake_field inner_fields[] = {
    LAKE_FIELD(inner, name, "name,nullable", "omitempty,min=1,max=8"),
    LAKE_FIELD(inner, n, "n", "gte=-5"),
};
static const lake_model inner_model = LAKE_MODEL(inner, "", inner_fields);

typedef struct everything {
    bool b;
    int8_t i8;
    lake_opt_i16 i16;
    int32_t i32;
    lake_opt_i64 i64;
    float f32;
    lake_opt_f64 f64;
    lake_str s;
    lake_bytes bytes;
    lake_ts ts;
    lake_opt_date date;
    lake_dec128 dec;
    lake_opt_uuid uuid;
    lake_opt_ksuid ksuid;
    lake_str email;
    inner nested;
} everything;
static const lake_field everything_fields[] = {
    LAKE_FIELD(everything, b, "b", ""),
    LAKE_FIELD(everything, i8, "i8", "oneof=1 2 3"),
    LAKE_FIELD(everything, i16, "i16", "omitempty,gt=0"),
    LAKE_FIELD(everything, i32, "i32", "lte=1000"),
    LAKE_FIELD(everything, i64, "i64", ""),
    LAKE_FIELD(everything, f32, "f32", "lt=1.5"),
    LAKE_FIELD(everything, f64, "f64", ""),
    LAKE_FIELD(everything, s, "s,nullable", "omitempty,alphanum|uuid4,max=20"),
    LAKE_FIELD(everything, bytes, "bytes,nullable", "max=64"),
    LAKE_FIELD(everything, ts, "ts", ""),
    LAKE_FIELD(everything, date, "date", ""),
    LAKE_DECIMAL(everything, dec, 20, 4, "dec", "gte=-1.5"),
    LAKE_FIELD(everything, uuid, "uuid", ""),
    LAKE_FIELD(everything, ksuid, "ksuid", ""),
    LAKE_FIELD(everything, email, "email,nullable", "omitempty,email|url|ipv6|datetime=2006-01-02"),
    LAKE_STRUCT(everything, nested, inner, inner_model, "nested", ""),
};
static const lake_model everything_model = LAKE_MODEL(everything, "everything", everything_fields);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const lake_schema *s;
    if (lake_schema_of(&s, &everything_model, NULL)) abort();
    lake_arena *arena;
    if (lake_arena_new(&arena)) return 0;
    everything rec;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake_json_decode(s, (const char *)data, size, &rec, arena, 0, NULL, &err);
    if (rc == LAKE_OK) {
        if (rec.s.ptr && !lake__utf8_valid(rec.s.ptr, rec.s.len)) abort();
        if (rec.nested.name.ptr && !lake__utf8_valid(rec.nested.name.ptr, rec.nested.name.len)) abort();
    } else if (rc != LAKE_EVALIDATION || lake_issues_count(err.issues) == 0) {
        if (rc != LAKE_ENOMEM) abort();
    }
    lake_error_clear(&err);

    lake_records *recs = NULL;
    rc = lake_ndjson_decode(&recs, s, (const char *)data, size, NULL, &err);
    if (rc != LAKE_OK && rc != LAKE_EVALIDATION && rc != LAKE_ENOMEM) abort();
    lake_records_free(recs);
    lake_error_clear(&err);
    lake_arena_free(arena);
    return 0;
}
