/* SPDX-License-Identifier: MIT */
/* A request's fingerprint is stored with its idempotency key in tables that
 * outlive the library's version: the same records must give the same digest
 * in every version. The digests here were computed by the encoder as it was
 * when fingerprints were first recorded; a change to one is a break, not a
 * golden file to regenerate. */
#include <math.h>
#include <string.h>

#include "client/fingerprint.h"
#include "lake_test.h"

typedef struct point {
    double lat;
    lake_opt_i32 zip;
} point;
static const lake_field point_fields[] = {
    LAKE_FIELD(point, lat, "lat", ""),
    LAKE_FIELD(point, zip, "zip", ""),
};
static const lake_model point_model = LAKE_MODEL(point, "point", point_fields);

typedef struct every {
    bool b;
    int8_t i8;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    lake_str s;
    lake_bytes raw;
    lake_ts at;
    lake_date day;
    lake_dec128 amount;
    lake_uuid ref;
    lake_ksuid sid;
    point where;
    lake_opt_i64 maybe;
    lake_str batch;
} every;
static const lake_field every_fields[] = {
    LAKE_FIELD(every, b, "b", ""),
    LAKE_FIELD(every, i8, "i8", ""),
    LAKE_FIELD(every, i16, "i16", ""),
    LAKE_FIELD(every, i32, "i32", ""),
    LAKE_FIELD(every, i64, "i64", ""),
    LAKE_FIELD(every, f32, "f32", ""),
    LAKE_FIELD(every, f64, "f64", ""),
    LAKE_FIELD(every, s, "s,nullable", ""),
    LAKE_FIELD(every, raw, "raw,nullable", ""),
    LAKE_FIELD(every, at, "at", ""),
    LAKE_FIELD(every, day, "day", ""),
    LAKE_DECIMAL(every, amount, 38, 4, "amount", ""),
    LAKE_FIELD(every, ref, "ref", ""),
    LAKE_FIELD(every, sid, "sid", ""),
    LAKE_STRUCT(every, where, point, point_model, "where", ""),
    LAKE_FIELD(every, maybe, "maybe", ""),
    LAKE_FIELD(every, batch, "batch,auto=ingestID", ""),
};
static const lake_model every_model = LAKE_MODEL(every, "every", every_fields);

static float float_of(uint32_t bits) {
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/* Negative numbers of every width, a decimal past 64 bits, NaNs with a
 * payload (quiet, and signalling: a float's own bits count, not what widening
 * it would make of them), -0.0, NULLs of each kind, empty text (not NULL), a
 * nested struct. */
static void fill(every *rows) {
    memset(rows, 0, 2 * sizeof *rows);
    static const uint8_t raw[] = {0x00, 0xff, 0x41};
    rows[0] = (every){.b = true, .i8 = -8, .i16 = -1600, .i32 = -320000, .i64 = -6400000000000,
                      .f32 = float_of(0x7fc00123u), .f64 = -0.0, .s = {"caf\xc3\xa9", 5}, .raw = {raw, sizeof raw},
                      .at = {-1}, .day = {-719162}, .amount = {0x0123456789abcdefu, -2},
                      .where = {-33.5, {2000, true}}, .maybe = {-1, true}, .batch = {"ingest-1", 8}};
    for (int i = 0; i < 16; i++) rows[0].ref.b[i] = (uint8_t)(i * 17);
    for (int i = 0; i < 20; i++) rows[0].sid.b[i] = (uint8_t)(255 - i);
    rows[1] = (every){.f32 = float_of(0x7f800001u), .f64 = 1e300, .s = {"", 0}, .raw = {NULL, 0}, .at = {INT64_MAX},
                      .amount = {1, 0}, .batch = {"ingest-2", 8}};
}

static void digest_of(const every *rows, const void *const *ptrs, size_t count, char out[LAKE__FINGERPRINT_HEX + 1]) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &every_model, &err), &err);
    lake__fingerprint f = {0};
    CHECK_OK(lake__fingerprint_begin(&f, "every", &err), &err);
    CHECK_OK(lake__fingerprint_add(&f, s, rows, ptrs, count, &err), &err);
    CHECK_OK(lake__fingerprint_end(&f, out, &err), &err);
}

static void fingerprints_stay_what_they_were(void) {
    every rows[2];
    fill(rows);
    char hex[LAKE__FINGERPRINT_HEX + 1];
    digest_of(rows, NULL, 2, hex);
    CHECK_EQ_STR(hex, "f75a8adc40a6855e6e61e915926b2a280923653298c079c7bbd368996f02d45d");
    digest_of(rows, NULL, 1, hex);
    CHECK_EQ_STR(hex, "02020210f4b84f97f26ccece8950c7fbf1f37fb4a4d78edea3b35a0dde4f7ffc");
    digest_of(rows, NULL, 0, hex);
    CHECK_EQ_STR(hex, "d70f7b28ca118d79b4a26f1824d4535ac584ff81f05bbaaa00b24a1d5e4001aa");
}

/* What is not a value does not count: the ingest id lakeorm fills, where the
 * strings live, whether records come contiguous or by pointer. */
static void only_values_count(void) {
    every rows[2], copy[2];
    fill(rows);
    fill(copy);
    char name[] = "caf\xc3\xa9";
    copy[0].s.ptr = name;
    copy[0].batch = (lake_str){"another id", 10};
    copy[1].batch = (lake_str){NULL, 0};
    char want[LAKE__FINGERPRINT_HEX + 1], got[LAKE__FINGERPRINT_HEX + 1];
    digest_of(rows, NULL, 2, want);
    const void *ptrs[] = {&copy[0], &copy[1]};
    digest_of(NULL, ptrs, 2, got);
    CHECK_EQ_STR(got, want);
    copy[1].s = (lake_str){NULL, 0}; /* NULL is not empty text */
    digest_of(NULL, ptrs, 2, got);
    CHECK(strcmp(got, want) != 0);
}

int main(void) {
    LAKE_RUN(fingerprints_stay_what_they_were);
    LAKE_RUN(only_values_count);
    return lake_test_summary();
}
