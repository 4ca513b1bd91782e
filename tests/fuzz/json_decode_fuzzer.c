/* SPDX-License-Identifier: MIT */
/* The strict decoder against arbitrary bytes, through a model that has every
 * column type and a nested struct, and through the events model of every
 * nested shape (lists of structs, lists of lists, maps, a nullable struct, a
 * json column, a key alias). Invariants: no crash or leak, a status that is
 * OK or a rejection with issues, strings that are valid UTF-8, and a decoded
 * event that renders to JSON the decoder reads back to the same rendering. */
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

#include "json/render.h"
#include "nested_event.h"
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

static void check_utf8(lake_str s) {
    if (s.ptr && !lake__utf8_valid(s.ptr, s.len)) abort();
}

/* The nested shapes: strings valid, and render -> decode -> render stable. */
static void fuzz_nested(const uint8_t *data, size_t size) {
    const lake_schema *s;
    if (lake_schema_of(&s, &event_model, NULL)) abort();
    lake_arena *arena;
    if (lake_arena_new(&arena)) return;
    event e, again;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake_json_decode(s, (const char *)data, size, &e, arena, 0, NULL, &err);
    if (rc != LAKE_OK && rc != LAKE_ENOMEM && (rc != LAKE_EVALIDATION || lake_issues_count(err.issues) == 0))
        abort();
    lake_error_clear(&err);
    /* decoding alone, so the round trip also meets records the rules refuse */
    lake_decode_options decode_only = LAKE_DECODE_OPTIONS_INIT;
    decode_only.skip_validation = true;
    rc = lake_json_decode(s, (const char *)data, size, &e, arena, 0, &decode_only, &err);
    if (rc == LAKE_OK) {
        check_utf8(e.kind);
        for (size_t i = 0; i < e.items.len; i++) {
            check_utf8(e.items.ptr[i].sku);
            for (size_t k = 0; k < e.items.ptr[i].tags.len; k++) check_utf8(e.items.ptr[i].tags.ptr[k]);
        }
        for (size_t i = 0; i < e.attrs.len; i++) check_utf8(e.attrs.ptr[i].key), check_utf8(e.attrs.ptr[i].value);
        if (e.payload.ptr && !lake__utf8_valid(e.payload.ptr, e.payload.len)) abort();
        lake__buf once = LAKE__BUF_INIT, twice = LAKE__BUF_INIT;
        if (lake__json_write_record(&once, s, &e) == 0) {
            if (lake_json_decode(s, once.data, once.len, &again, arena, 0, &decode_only, &err) != LAKE_OK) abort();
            if (lake__json_write_record(&twice, s, &again) == 0 &&
                (twice.len != once.len || memcmp(twice.data, once.data, once.len) != 0))
                abort();
        }
        lake__buf_dispose(&once);
        lake__buf_dispose(&twice);
    } else if (rc != LAKE_EVALIDATION || lake_issues_count(err.issues) == 0) {
        if (rc != LAKE_ENOMEM) abort();
    }
    lake_error_clear(&err);
    lake_arena_free(arena);
}

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
    fuzz_nested(data, size);
    return 0;
}
