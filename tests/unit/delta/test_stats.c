/* SPDX-License-Identifier: MIT */
/* Per-file statistics (formats/delta/stats.c): Spark's string bounds, and
 * the stats of every type next to what deltalake writes for the same rows
 * (tests/delta/files_stats.py makes the rows and compares). */
#include <math.h>

#include "files_fixture.h"
#include "formats/delta/stats.h"

static void string_minimum_is_a_32_character_prefix(void) {
    size_t n;
    lake__delta_string_min("short", 5, &n);
    CHECK_EQ_INT(n, 5);
    const char *a40 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    lake__delta_string_min(a40, 40, &n);
    CHECK_EQ_INT(n, 32);
    /* é is one UTF-16 unit in two bytes */
    char e40[81] = {0};
    for (int i = 0; i < 40; i++) memcpy(e40 + 2 * i, "\xC3\xA9", 2);
    lake__delta_string_min(e40, 80, &n);
    CHECK_EQ_INT(n, 64);
    /* 31 ASCII, then a character of two UTF-16 units: kept whole (33 units) */
    char sup[64];
    memset(sup, 'x', 31);
    memcpy(sup + 31, "\xF0\x9F\x98\x80yz", 6);
    lake__delta_string_min(sup, 37, &n);
    CHECK_EQ_INT(n, 35);
}

static void string_maximum_stays_above_every_value(void) {
    lake__buf b = LAKE__BUF_INIT;
    CHECK(lake__delta_string_max("zz", 2, &b));
    CHECK_EQ_STR(b.data, "zz");
    b.len = 0;
    /* Cut after 32 ASCII characters; the next, 'a', is below 0x7F. */
    const char *a40 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    CHECK(lake__delta_string_max(a40, 40, &b));
    CHECK_EQ_INT(b.len, 33);
    CHECK(memcmp(b.data, a40, 32) == 0 && b.data[32] == 0x7F);
    b.len = 0;
    /* The next character is not ASCII: U+10FFFF follows. */
    char e40[81] = {0};
    for (int i = 0; i < 40; i++) memcpy(e40 + 2 * i, "\xC3\xA9", 2);
    CHECK(lake__delta_string_max(e40, 80, &b));
    CHECK_EQ_INT(b.len, 68);
    CHECK(memcmp(b.data + 64, "\xF4\x8F\xBF\xBF", 4) == 0);
    CHECK(memcmp(b.data, e40, 80) > 0);
    b.len = 0;
    /* Runs of U+10FFFF past the prefix cannot be exceeded by cutting them: they are kept. */
    char top[200];
    memset(top, 'q', 32);
    size_t len = 32;
    for (int i = 0; i < 3; i++) memcpy(top + len, "\xF4\x8F\xBF\xBF", 4), len += 4;
    top[len++] = 'r';
    top[len++] = 's';
    CHECK(lake__delta_string_max(top, len, &b));
    CHECK_EQ_INT(b.len, 32 + 12 + 1);
    CHECK(b.data[44] == 0x7F);
    b.len = 0;
    /* Nothing but U+10FFFF past 64 units: no short bound exists. */
    len = 32;
    for (int i = 0; i < 20; i++) memcpy(top + len, "\xF4\x8F\xBF\xBF", 4), len += 4;
    top[len++] = 'r';
    CHECK(!lake__delta_string_max(top, len, &b));
    lake__buf_dispose(&b);
}

typedef struct floats {
    lake_opt_f64 x;
    lake_opt_f32 y;
} floats;
static const lake_field floats_fields[] = {
    LAKE_FIELD(floats, x, "x", ""),
    LAKE_FIELD(floats, y, "y", ""),
};
static const lake_model floats_model = LAKE_MODEL(floats, "floats", floats_fields);

/* NaN bounds nothing; an infinite bound is left out (JSON has no infinity). */
static void nan_and_infinity_never_bound_floats(void) {
    fixture fx;
    fixture_open(&fx);
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &floats_model, &err), &err);
    floats rows[] = {{{NAN, true}, {1.5f, true}}, {{-2.25, true}, {INFINITY, true}}, {{0, false}, {NAN, true}}};
    lake__delta_files_spec spec = {s, NULL, 0, "i", "i", LAKE_CODEC_ZSTD, 0, 0, 0};
    lake__delta_files *f;
    CHECK_OK(lake__delta_files_open(&fx.table, &spec, &f, &err), &err);
    CHECK_OK(lake__delta_files_add(f, rows, 3, &err), &err);
    const lake__delta_written *w;
    size_t n;
    CHECK_OK(lake__delta_files_close(f, &w, &n, &err), &err);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_STR(w[0].stats, "{\"numRecords\":3,\"minValues\":{\"x\":-2.25,\"y\":1.5,\"_ingest_id\":\"i\"},"
                             "\"maxValues\":{\"x\":-2.25,\"_ingest_id\":\"i\"},"
                             "\"nullCount\":{\"x\":1,\"y\":0,\"_ingest_id\":0}}");
    lake__delta_files_free(f, false);
    fixture_close(&fx);
}

typedef struct pair {
    int64_t id;
    lake_str s;
} pair;
static const lake_field pair_fields[] = {
    LAKE_FIELD(pair, id, "id", ""),
    LAKE_FIELD(pair, s, "s", ""),
};
static const lake_model pair_model = LAKE_MODEL(pair, "pairs", pair_fields);

/* A file's bounds are over all its row groups, wherever the extremes lie. */
static void bounds_span_row_groups(void) {
    fixture fx;
    fixture_open(&fx);
    enum { N = 20000 };
    pair *rows = calloc(N, sizeof *rows);
    char(*text)[8] = calloc(N, sizeof *text);
    for (int i = 0; i < N; i++) {
        int v = (int)((i * 7919LL) % N); /* a permutation: 0 and N-1 land mid-file */
        snprintf(text[i], sizeof text[i], "s%05d", v);
        rows[i] = (pair){v, {text[i], 6}};
    }
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &pair_model, &err), &err);
    lake__delta_files_spec spec = {s, NULL, 0, "i", "i", LAKE_CODEC_ZSTD, 4 << 10, 0, 0};
    lake__delta_files *f;
    CHECK_OK(lake__delta_files_open(&fx.table, &spec, &f, &err), &err);
    CHECK_OK(lake__delta_files_add(f, rows, N, &err), &err);
    const lake__delta_written *w;
    size_t n;
    CHECK_OK(lake__delta_files_close(f, &w, &n, &err), &err);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_STR(w[0].stats, "{\"numRecords\":20000,\"minValues\":{\"id\":0,\"s\":\"s00000\",\"_ingest_id\":\"i\"},"
                             "\"maxValues\":{\"id\":19999,\"s\":\"s19999\",\"_ingest_id\":\"i\"},"
                             "\"nullCount\":{\"id\":0,\"s\":0,\"_ingest_id\":0}}");
    fixture_manifest(&fx, w, n);
    CHECK_EQ_INT(fixture_python(&fx, "files_check.py", "row_groups"), 0);
    lake__delta_files_free(f, false);
    free(rows);
    free(text);
    fixture_close(&fx);
}

/* ---- every type, next to deltalake */

typedef struct inner {
    lake_opt_f64 w;
} inner;
static const lake_field inner_fields[] = {LAKE_FIELD(inner, w, "w", "")};
static const lake_model inner_model = LAKE_MODEL(inner, "inner", inner_fields);

typedef struct outer {
    lake_opt_i32 x;
    lake_str y;
    inner *z;
    lake_list_str tags;
} outer;
static const lake_field outer_fields[] = {
    LAKE_FIELD(outer, x, "x", ""),
    LAKE_FIELD(outer, y, "y,nullable", ""),
    LAKE_STRUCT_PTR(outer, z, inner, inner_model, "z", ""),
    LAKE_LIST(outer, tags, "tags,nullable", ""),
};
static const lake_model outer_model = LAKE_MODEL(outer, "outer", outer_fields);

typedef struct wide {
    int64_t id;
    lake_opt_i8 i8;
    lake_opt_i16 i16;
    lake_opt_i32 i32;
    lake_opt_i64 i64;
    lake_opt_f32 f32;
    lake_opt_f64 f64;
    lake_opt_bool b;
    lake_str s;
    lake_bytes bin;
    lake_opt_ts ts;
    lake_opt_date d;
    lake_opt_dec128 dec;
    lake_opt_dec128 dec38;
    lake_opt_uuid uid;
    lake_list_i64 l;
    lake_map_i64 m;
    outer *st;
    lake_str part;
} wide;
static const lake_field wide_fields[] = {
    LAKE_FIELD(wide, id, "id", ""),
    LAKE_FIELD(wide, i8, "i8", ""),
    LAKE_FIELD(wide, i16, "i16", ""),
    LAKE_FIELD(wide, i32, "i32", ""),
    LAKE_FIELD(wide, i64, "i64", ""),
    LAKE_FIELD(wide, f32, "f32", ""),
    LAKE_FIELD(wide, f64, "f64", ""),
    LAKE_FIELD(wide, b, "b", ""),
    LAKE_FIELD(wide, s, "s,nullable", ""),
    LAKE_FIELD(wide, bin, "bin,nullable", ""),
    LAKE_FIELD(wide, ts, "ts", ""),
    LAKE_FIELD(wide, d, "d", ""),
    LAKE_DECIMAL(wide, dec, 10, 2, "dec", ""),
    LAKE_DECIMAL(wide, dec38, 38, 2, "dec38", ""),
    LAKE_FIELD(wide, uid, "uid", ""),
    LAKE_LIST(wide, l, "l,nullable", ""),
    LAKE_MAP(wide, m, "m,nullable", ""),
    LAKE_STRUCT_PTR(wide, st, outer, outer_model, "st", ""),
    LAKE_FIELD(wide, part, "part,nullable", ""),
};
static const lake_model wide_model = LAKE_MODEL(wide, "wide", wide_fields);

static void stats_match_what_deltalake_writes(void) {
    fixture fx;
    fixture_open(&fx);
    CHECK_EQ_INT(fixture_python(&fx, "files_stats.py", "gen"), 0);
    char path[300];
    snprintf(path, sizeof path, "%s/rows.ndjson", fx.dir);
    FILE *in = fopen(path, "r");
    CHECK(in != NULL);
    char *text = malloc(1 << 20);
    size_t len = fread(text, 1, 1 << 20, in);
    fclose(in);
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &wide_model, &err), &err);
    lake_records *recs;
    CHECK_OK(lake_ndjson_decode(&recs, s, text, len, NULL, &err), &err);
    free(text);
    const char *parts[] = {"part"};
    lake__delta_files_spec spec = {s, parts, 1, "ing-7", "ing-7", LAKE_CODEC_ZSTD, 0, 0, 0};
    lake__delta_files *f;
    CHECK_OK(lake__delta_files_open(&fx.table, &spec, &f, &err), &err);
    /* Two batches: a file's statistics span them. */
    size_t count = lake_records_count(recs), half = count / 2;
    CHECK_OK(lake__delta_files_add(f, lake_records_data(recs), half, &err), &err);
    CHECK_OK(lake__delta_files_add(f, (const char *)lake_records_data(recs) + half * lake_schema_record_size(s),
                                   count - half, &err),
             &err);
    const lake__delta_written *w;
    size_t n;
    CHECK_OK(lake__delta_files_close(f, &w, &n, &err), &err);
    fixture_manifest(&fx, w, n);
    lake__delta_files_free(f, false);
    lake_records_free(recs);
    CHECK_EQ_INT(fixture_python(&fx, "files_stats.py", "check"), 0);
    fixture_close(&fx);
}

int main(void) {
    LAKE_RUN(string_minimum_is_a_32_character_prefix);
    LAKE_RUN(string_maximum_stays_above_every_value);
    LAKE_RUN(nan_and_infinity_never_bound_floats);
    LAKE_RUN(bounds_span_row_groups);
    LAKE_RUN(stats_match_what_deltalake_writes);
    return lake_test_summary();
}
