/* SPDX-License-Identifier: MIT */
/* The CLI's JSON pointer lookup (tools/lakeorm/json_pointer.c), which walks
 * rejected records, valid JSON or not, to quote the value an issue names.
 * The input is a pointer, a NUL, then the JSON text. A value found must lie
 * inside the text and be one whole JSON value. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json/scan.h"
#include "json_pointer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *nul = memchr(data, 0, size);
    if (!nul) return 0;
    char *pointer = strdup((const char *)data); /* up to the NUL */
    size_t len = size - (size_t)(nul - (const char *)data) - 1;
    char *json = malloc(len + 1); /* its own block, so a read past it is caught */
    lake_arena *arena = NULL;
    if (!pointer || !json || lake_arena_new(&arena)) abort();
    memcpy(json, nul + 1, len);
    const char *at;
    size_t n;
    if (json_pointer_find(json, len, pointer, arena, &at, &n)) {
        if (at < json || at + n > json + len || !n) abort();
        lake__json j;
        lake__json_init(&j, at, n);
        if (!lake__json_skip(&j, 1024) || j.p != at + n) abort();
    }
    lake_arena_free(arena);
    free(json);
    free(pointer);
    return 0;
}
