/* SPDX-License-Identifier: MIT */
/* What a SQL warehouse (or anything posing as one) answers: statement
 * status, manifests, result chunks, error documents, OAuth tokens. Any bytes
 * parse to a response or a clear error, in both readings, and nothing leaks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/databricks/response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    for (int as_chunk = 0; as_chunk < 2; as_chunk++) {
        lake_arena *arena;
        if (lake_arena_new(&arena)) return 0;
        lake__dbx_response r;
        lake_error err = LAKE_ERROR_INIT;
        if (lake__dbx_response_parse((const char *)data, size, as_chunk, arena, &r, &err) == LAKE_OK) {
            for (size_t i = 0; i < r.link_count; i++)
                for (size_t h = 0; h < r.links[i].header_count; h++) (void)strlen(r.links[i].headers[h]);
            for (size_t i = 0; i < r.column_count; i++) (void)strlen(r.columns[i]);
        }
        lake_error_clear(&err);
        lake_arena_free(arena);
    }
    return 0;
}
