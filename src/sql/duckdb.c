/* SPDX-License-Identifier: MIT */
#include "sql/duckdb.h"

int lake__duckdb_create_table(lake__buf *b, const lake_schema *s, const char *table) {
    if (lake__dialect_duckdb.create_table(b, s, table)) return -1;
    b->len -= 2; /* ";\n": client/ adds its own terminator, or none */
    b->data[b->len] = '\0';
    return 0;
}

int lake__duckdb_merge(lake__buf *b, const lake_schema *s, const char *table, const char *source) {
    return lake__dialect_duckdb.move(b, &(lake__move){s, table, source, LAKE__MATCH_MERGE_KEYS, LAKE_CONFLICT_UPDATE});
}

int lake__duckdb_insert_select(lake__buf *b, const lake_schema *s, const char *table, lake_on_conflict on_conflict,
                               const char *source) {
    return lake__dialect_duckdb.move(b, &(lake__move){s, table, source, LAKE__MATCH_PRIMARY_KEY, on_conflict});
}

int lake__duckdb_duplicate_key(lake__buf *b, const lake_schema *s, const char *source, lake__match_on on) {
    return lake__dialect_duckdb.duplicate_key(b, &(lake__move){s, NULL, source, on, LAKE_CONFLICT_ERROR});
}
