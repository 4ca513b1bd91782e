/* SPDX-License-Identifier: MIT */
/* The filter a read's scan gets is read from DuckDB's parse of a statement
 * the user wrote (drivers/duckdb/filter.c): the JSON reader and the walk
 * over the parse, over any bytes, with parameters of every type. */
#include <stdint.h>

#include "drivers/duckdb/filter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lake_arena *arena;
    if (lake_arena_new(&arena)) return 0;
    static const uint8_t bytes[] = {1, 2, 3};
    const lake_param params[] = {lake_param_int64(7), lake_param_text("x"), lake_param_null(),
                                 lake_param_date(3), lake_param_timestamp(-1), lake_param_decimal(-15, 4, 1),
                                 lake_param_bool(true), lake_param_double(0.5), lake_param_bytes(bytes, 3)};
    lake__scan_filter f;
    lake__duckdb_filter_read((const char *)data, size, params, sizeof params / sizeof *params, arena, &f);
    volatile size_t seen = 0;
    for (size_t i = 0; i < f.term_count; i++) seen += f.terms[i].value_count + (size_t)f.terms[i].column[0];
    lake_arena_free(arena);
    return 0;
}
