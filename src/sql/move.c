/* SPDX-License-Identifier: MIT */
#include "sql/move.h"

#include "dialects/move.h"

static const lake__dialect *of(lake__engine engine) {
    return engine == LAKE_ENGINE_SPARK ? &lake__dialect_iceberg : &lake__dialect_duckdb;
}

static const char *text_type(lake__engine engine) { return engine == LAKE_ENGINE_SPARK ? "STRING" : "VARCHAR"; }

int lake__sql_insert_select(lake__buf *b, const lake_schema *s, const char *table, const char *verb,
                            const char *source, lake__engine e) {
    return lake__move_insert(b, of(e), &(lake__move){s, table, source, LAKE__MATCH_NONE, LAKE_CONFLICT_ERROR}, verb);
}

int lake__sql_merge(lake__buf *b, const lake_schema *s, const char *table, const char *source, lake__match_on on,
                    bool update_matched, lake__engine e) {
    return lake__move_merge(b, of(e), &(lake__move){s, table, source, on, LAKE_CONFLICT_ERROR}, update_matched);
}

int lake__sql_duplicate_key(lake__buf *b, const lake_schema *s, const char *source, lake__match_on on, lake__engine e) {
    return lake__move_duplicate_key(b, of(e), &(lake__move){s, NULL, source, on, LAKE_CONFLICT_ERROR}, text_type(e));
}

int lake__sql_count_matched(lake__buf *b, const lake_schema *s, const char *table, const char *source,
                            lake__match_on on, lake__engine e) {
    return lake__move_count_matched(b, of(e), &(lake__move){s, table, source, on, LAKE_CONFLICT_ERROR}, text_type(e));
}
