/* SPDX-License-Identifier: MIT */
/* A Delta table's log against arbitrary bytes: a commit file (any writer's,
 * or a damaged one) parses or fails with a message; the schemaString and
 * each column's type of a commit that parses are read as a scan and as
 * assert_schema read them. Commits that parse render back to actions that
 * parse again with the same counts. */
#include <stdlib.h>
#include <string.h>

#include "formats/delta/delta.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_types(const lake__delta_commit_file *c, lake_arena *arena) {
    if (!c->has_metadata || !c->metadata.schema_string) return;
    lake__delta_column *columns = NULL;
    size_t n = 0;
    lake_error err = LAKE_ERROR_INIT;
    if (lake__delta_schema_parse(c->metadata.schema_string, &c->metadata, arena, &columns, &n, &err) == LAKE_OK) {
        lake__buf text = LAKE__BUF_INIT;
        for (size_t i = 0; i < n; i++) {
            text.len = 0;
            lake__delta_engine_type(&text, columns[i].type_json, &err);
            lake_error_clear(&err);
            text.len = 0;
            lake__delta_type_text(&text, columns[i].type_json, &err);
            lake_error_clear(&err);
        }
        lake__buf_dispose(&text);
    } else if (!err.message[0]) {
        abort();
    }
    lake_error_clear(&err);
}

/* Adds and removes render to lines that parse back as the same actions. */
static void round_trip(const lake__delta_commit_file *c) {
    lake__buf text = LAKE__BUF_INIT;
    for (size_t i = 0; i < c->add_count; i++) lake__delta_render_add(&text, &c->adds[i]);
    for (size_t i = 0; i < c->remove_count; i++) lake__delta_render_remove(&text, &c->removes[i]);
    for (size_t i = 0; i < c->txn_count; i++) lake__delta_render_txn(&text, &c->txns[i]);
    if (!text.len) return; /* nothing to render back */
    lake_arena *arena = NULL;
    if (text.failed || lake_arena_new(&arena)) abort();
    lake__delta_commit_file again;
    lake_error err = LAKE_ERROR_INIT;
    if (lake__delta_parse_commit(text.data ? text.data : "", text.len, 1, arena, &again, &err)) abort();
    if (again.add_count != c->add_count || again.remove_count != c->remove_count || again.txn_count != c->txn_count) abort();
    for (size_t i = 0; i < c->add_count; i++)
        if (strcmp(again.adds[i].path, c->adds[i].path) || again.adds[i].size != c->adds[i].size) abort();
    lake_error_clear(&err);
    lake_arena_free(arena);
    lake__buf_dispose(&text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lake_arena *arena = NULL;
    if (lake_arena_new(&arena)) return 0;
    lake__delta_commit_file c;
    lake_error err = LAKE_ERROR_INIT;
    if (lake__delta_parse_commit((const char *)data, size, 7, arena, &c, &err) == LAKE_OK) {
        read_types(&c, arena);
        round_trip(&c);
    } else if (!err.message[0]) {
        abort();
    }
    lake_error_clear(&err);
    lake_arena_free(arena);
    return 0;
}
