/* SPDX-License-Identifier: MIT */
/* What the Databricks Files API answers that the volume backend reads: a
 * page of a directory listing and an error document. Network input: fuzzed
 * (tests/fuzz/databricks_volumes_fuzzer.c). */
#ifndef LAKE_BACKENDS_VOLUMES_ANSWER_H
#define LAKE_BACKENDS_VOLUMES_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lakeorm/error.h>

#include "util/arena.h"

/* One entry of a listing page. name is one path segment: never empty, ".",
 * ".." nor holding a '/' or a NUL (such an entry makes the page malformed). */
typedef struct lake__volume_entry {
    const char *name;
    bool directory;
    uint64_t size; /* file_size; 0 for a directory */
} lake__volume_entry;

/* A page of GET /api/2.0/fs/directories{path}: {"contents": [{"name",
 * "is_directory", "file_size", ...}], "next_page_token"}; members the
 * backend does not read are skipped. Strings live in `arena`; *token is NULL
 * on the last page. LAKE_EREMOTE naming the problem when the text is not
 * such a page. */
int lake__volume_parse_page(const char *text, size_t len, lake_arena *arena, lake__volume_entry **entries,
                            size_t *count, const char **token, lake_error *err);

/* An error document, {"error_code": "...", "message": "..."}: either may be
 * NULL (absent, or the text is not one). Strings live in `arena`. */
void lake__volume_parse_error(const char *text, size_t len, lake_arena *arena, const char **code,
                              const char **message);

#endif
