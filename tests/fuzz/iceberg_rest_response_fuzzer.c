/* SPDX-License-Identifier: MIT */
/* What an Iceberg REST catalog answers (formats/iceberg/rest_response.c)
 * against arbitrary bytes, read as each answer the client reads: a
 * configuration, a table, a list of namespaces, an error document, a token. Each reads or fails
 * with a message; what reads holds what the client relies on: a prefix that
 * stays in the URL path, a metadata object whose normalized text copies to
 * itself, a token and vended storage secrets that cannot end a header line. */
#include <stdlib.h>
#include <string.h>

#include "formats/iceberg/rest_response.h"
#include "json/scan.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_config(const char *text, size_t size, lake_arena *arena) {
    lake_error err = LAKE_ERROR_INIT;
    const char *prefix = NULL;
    if (lake__iceberg_rest_config_read(text, size, arena, &prefix, &err)) {
        if (!err.message[0]) abort(); /* every refusal says why */
    } else if (prefix && (!*prefix || strpbrk(prefix, "?# ") || strstr(prefix, ".."))) {
        abort();
    }
    lake_error_clear(&err);
}

static void check_table(const char *text, size_t size, lake_arena *arena) {
    lake_error err = LAKE_ERROR_INIT;
    lake__buf where = LAKE__BUF_INIT, metadata = LAKE__BUF_INIT, again = LAKE__BUF_INIT;
    lake__iceberg_storage s;
    if (lake__iceberg_rest_table_read(text, size, &where, &metadata, arena, &s, &err)) {
        if (!err.message[0]) abort();
    } else {
        const char *secrets[] = {s.access_key, s.secret_key, s.session_token, s.gcs_token};
        for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++)
            if (secrets[i] && !lake__iceberg_rest_token_usable(secrets[i])) abort();
        if (s.path_style < -1 || s.path_style > 1) abort();
        if (!where.len || metadata.len < 2 || metadata.data[0] != '{') abort();
        lake__json j;
        lake__json_init(&j, metadata.data, metadata.len);
        if (!lake__json_copy(&j, 64, &again) || !lake__json_at_end(&j) || again.len != metadata.len ||
            memcmp(again.data, metadata.data, metadata.len))
            abort();
    }
    lake__buf_dispose(&where);
    lake__buf_dispose(&metadata);
    lake__buf_dispose(&again);
    lake_error_clear(&err);
}

/* Every namespace read is non-empty text, and there are as many as counted. */
static void check_namespaces(const char *text, size_t size, lake_arena *arena) {
    lake_error err = LAKE_ERROR_INIT;
    lake__buf names = LAKE__BUF_INIT;
    size_t count;
    const char *next;
    if (lake__iceberg_rest_namespaces_read(text, size, arena, &names, &count, &next, &err)) {
        if (!err.message[0] || count || names.len) abort();
    } else {
        size_t seen = 0;
        for (size_t at = 0; at < names.len; seen++) {
            size_t n = strnlen(names.data + at, names.len - at);
            if (!n || at + n >= names.len) abort(); /* empty, or not NUL-terminated */
            at += n + 1;
        }
        if (seen != count) abort();
    }
    lake__buf_dispose(&names);
    lake_error_clear(&err);
}

static void check_error_and_token(const char *text, size_t size, lake_arena *arena) {
    const char *message, *type;
    if (!lake__iceberg_rest_error_read(text, size, arena, &message, &type) && (message || type)) abort();
    lake_error err = LAKE_ERROR_INIT;
    const char *token;
    int64_t expires_in;
    if (lake__iceberg_rest_token_read(text, size, arena, &token, &expires_in, &err)) {
        if (!err.message[0]) abort();
    } else if (!lake__iceberg_rest_token_usable(token) || expires_in < 0) {
        abort();
    }
    lake_error_clear(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lake_arena *arena;
    if (lake_arena_new(&arena)) return 0;
    const char *text = (const char *)data;
    check_config(text, size, arena);
    check_table(text, size, arena);
    check_namespaces(text, size, arena);
    check_error_and_token(text, size, arena);
    lake_arena_free(arena);
    return 0;
}
