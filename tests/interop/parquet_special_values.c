/* SPDX-License-Identifier: MIT */
/* Test tool: writes values JSON cannot carry (NaN, infinities, negative zero)
 * and long strings whose statistics must be truncated, for the Python readers.
 * usage: parquet_special_values OUT */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <lakeorm.h>

typedef struct special {
    double d;
    lake_opt_f32 f;
    lake_str s;
} special;
static const lake_field special_fields[] = {
    LAKE_FIELD(special, d, "d", ""),
    LAKE_FIELD(special, f, "f", ""),
    LAKE_FIELD(special, s, "s", ""),
};
static const lake_model special_model = LAKE_MODEL(special, "special", special_fields);

int main(int argc, char **argv) {
    if (argc != 2) return 2;
    static char low[100], high[100];
    memset(low, 'a', 99);
    memset(high, 0xFF, 99); /* not UTF-8 text, but bytes: the max cannot be shortened */
    memset(high, 'z', 70);
    static const char *names[] = {"x", "", low, "zz"};
    special rows[] = {
        {NAN, {NAN, true}, {names[0], 1}},
        {INFINITY, {INFINITY, true}, {names[1], 0}},
        {-INFINITY, {-INFINITY, true}, {names[2], 99}},
        {-0.0, {-0.0f, true}, {names[3], 2}},
        {0.0, {0, false}, {high, 70}},
        {1.5, {2.5f, true}, {names[0], 1}},
    };
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    FILE *out = fopen(argv[1], "wb");
    if (!out || lake_schema_of(&s, &special_model, &err)) return 2;
    lake_sink sink = lake_sink_stdio(out);
    lake_parquet_writer *w;
    if (lake_parquet_writer_open(&w, s, &sink, NULL, &err) ||
        lake_parquet_writer_append(w, rows, sizeof rows / sizeof rows[0], &err) ||
        lake_parquet_writer_close(w, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    lake_parquet_writer_free(w);
    fclose(out);
    return 0;
}
