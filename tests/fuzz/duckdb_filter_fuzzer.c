/* SPDX-License-Identifier: MIT */
/* The filter a read's scan gets is read from DuckDB's parse of a statement
 * the user wrote (drivers/duckdb/filter.c): the JSON reader and the walk
 * over the parse, over any bytes, with parameters of every type. */
#include <stdint.h>
#include <stdlib.h>

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
    /* every term names a column; value-taking ones carry values, none a NULL */
    if (f.term_count && !f.table) abort();
    for (size_t i = 0; i < f.term_count; i++) {
        const lake__filter_term *t = &f.terms[i];
        bool takes_values = t->op != LAKE__FILTER_IS_NULL && t->op != LAKE__FILTER_NOT_NULL;
        if (!t->column || takes_values != (t->value_count > 0) || (t->value_count && !t->values)) abort();
        for (size_t v = 0; v < t->value_count; v++)
            if (t->values[v].type == LAKE_PARAM_NULL) abort();
    }
    lake_arena_free(arena);
    return 0;
}
