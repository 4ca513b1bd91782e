/* SPDX-License-Identifier: MIT */
/* What a workspace's Files API (or anything posing as one) answers the
 * volume backend: directory listing pages and error documents. Any bytes
 * parse to a page whose names are single path segments, or a clear error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/volumes/answer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lake_arena *arena;
    if (lake_arena_new(&arena)) return 0;
    lake__volume_entry *entries;
    size_t n;
    const char *token, *code, *message;
    lake_error err = LAKE_ERROR_INIT;
    if (lake__volume_parse_page((const char *)data, size, arena, &entries, &n, &token, &err) == LAKE_OK) {
        for (size_t i = 0; i < n; i++)
            if (!*entries[i].name || strchr(entries[i].name, '/') || !strcmp(entries[i].name, "..")) abort();
        if (token) (void)strlen(token);
    }
    lake_error_clear(&err);
    lake__volume_parse_error((const char *)data, size, arena, &code, &message);
    if (code) (void)strlen(code);
    if (message) (void)strlen(message);
    lake_arena_free(arena);
    return 0;
}
