/* SPDX-License-Identifier: MIT */
#include "formats/iceberg/rest_response.h"

#include <string.h>

#include "error/error.h"
#include "json/scan.h"
#include "util/arena.h"

/* A table's metadata nests its schemas' types: deeper than any lakeorm writes
 * (metadata_read.c reads with the same bound). */
enum { MAX_DEPTH = 64 };

static bool is(const char *key, size_t len, const char *name) { return strlen(name) == len && !memcmp(key, name, len); }

static int malformed(lake_error *err, const lake__json *j, const char *what) {
    if (j->oom) return lake__error(err, LAKE_ENOMEM, "out of memory reading the Iceberg REST catalog's answer");
    return lake__error(err, LAKE_EREMOTE, "Iceberg REST catalog: malformed %s%s%s (at byte %zu)", what,
                       j->error ? ": " : "", j->error ? j->error : "", (size_t)(j->p - j->start));
}

/* A string value into arena, NUL-terminated. */
static bool text_value(lake__json *j, lake_arena *arena, const char **out, size_t *len) {
    const char *s;
    if (lake__json_peek(j) != LAKE__J_STRING) return lake__json_fail(j, "expected a string");
    if (!lake__json_string(j, arena, &s, len)) return false;
    if (!(*out = lake__arena_strndup(arena, s, *len))) j->oom = true;
    return *out != NULL;
}

/* The "prefix" member of a string map (defaults or overrides), if any. */
static bool prefix_of(lake__json *j, lake_arena *arena, const char **prefix) {
    bool first = true;
    const char *key;
    size_t len, n;
    while (lake__json_member(j, arena, &first, &key, &len)) {
        bool ok = is(key, len, "prefix") ? text_value(j, arena, prefix, &n) : lake__json_skip(j, MAX_DEPTH);
        if (!ok) return false;
    }
    return !j->error && !j->oom;
}

/* The prefix is pasted into every path as the server gave it (the spec's
 * {prefix}, which Iceberg's own client does not encode): nothing in it may
 * end the path or climb out of it. */
static bool path_safe(const char *s) {
    if (!*s || strstr(s, "..")) return false;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || *s == 0x7f || *s == '?' || *s == '#' || *s == '\\') return false;
    return true;
}

int lake__iceberg_rest_config_read(const char *json, size_t len, lake_arena *arena, const char **prefix,
                                   lake_error *err) {
    const char *defaults = NULL, *overrides = NULL, *key;
    size_t key_len;
    bool first = true, ok = true;
    lake__json j;
    lake__json_init(&j, json, len);
    while (ok && lake__json_member(&j, arena, &first, &key, &key_len)) {
        if (is(key, key_len, "defaults")) ok = prefix_of(&j, arena, &defaults);
        else if (is(key, key_len, "overrides")) ok = prefix_of(&j, arena, &overrides);
        else ok = lake__json_skip(&j, MAX_DEPTH);
    }
    if (!ok || j.error || j.oom || !lake__json_at_end(&j)) return malformed(err, &j, "catalog configuration");
    *prefix = overrides ? overrides : defaults;
    if (*prefix && !path_safe(*prefix))
        return lake__error(err, LAKE_EREMOTE, "Iceberg REST catalog: the configuration's prefix cannot stand in a "
                                              "URL path");
    return LAKE_OK;
}

static void empty(lake__buf *b) {
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

int lake__iceberg_rest_table_read(const char *json, size_t len, lake__buf *location, lake__buf *metadata,
                                  lake_error *err) {
    lake_arena *arena;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    empty(location);
    empty(metadata);
    const char *where = NULL, *key;
    size_t where_len = 0, key_len;
    bool first = true, ok = true, have_metadata = false;
    lake__json j;
    lake__json_init(&j, json, len);
    while (ok && lake__json_member(&j, arena, &first, &key, &key_len)) {
        if (is(key, key_len, "metadata-location") && lake__json_peek(&j) == LAKE__J_STRING) {
            ok = text_value(&j, arena, &where, &where_len);
        } else if (is(key, key_len, "metadata") && lake__json_peek(&j) == LAKE__J_OBJECT) {
            empty(metadata);
            ok = lake__json_copy(&j, MAX_DEPTH, metadata);
            have_metadata = true;
        } else {
            ok = lake__json_skip(&j, MAX_DEPTH);
        }
    }
    int rc = LAKE_OK;
    if (!ok || j.error || j.oom || !lake__json_at_end(&j)) rc = malformed(err, &j, "table answer");
    else if (!where || !where_len || !have_metadata)
        rc = lake__error(err, LAKE_EREMOTE, "Iceberg REST catalog: the table answer has no %s",
                         have_metadata ? "metadata-location" : "metadata object");
    if (!rc) {
        /* Hadoop's FileIO names local files file:/abs; lakeorm's locations are URIs with an authority. */
        if (where_len > 6 && !memcmp(where, "file:/", 6) && where[6] != '/') {
            lake__buf_puts(location, "file://");
            lake__buf_put(location, where + 5, where_len - 5);
        } else {
            lake__buf_put(location, where, where_len);
        }
        if (location->failed || metadata->failed) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    lake_arena_free(arena);
    return rc;
}

bool lake__iceberg_rest_error_read(const char *json, size_t len, lake_arena *arena, const char **message,
                                   const char **type) {
    *message = *type = NULL;
    const char *key;
    size_t key_len, n;
    bool first = true, found = false, ok = true;
    lake__json j;
    lake__json_init(&j, json, len);
    while (ok && lake__json_member(&j, arena, &first, &key, &key_len)) {
        if (!is(key, key_len, "error") || lake__json_peek(&j) != LAKE__J_OBJECT) {
            ok = lake__json_skip(&j, MAX_DEPTH);
            continue;
        }
        found = true;
        bool inner = true;
        while (ok && lake__json_member(&j, arena, &inner, &key, &key_len)) {
            bool text = lake__json_peek(&j) == LAKE__J_STRING;
            if (text && is(key, key_len, "message")) ok = text_value(&j, arena, message, &n);
            else if (text && is(key, key_len, "type")) ok = text_value(&j, arena, type, &n);
            else ok = lake__json_skip(&j, MAX_DEPTH);
        }
    }
    if (!ok || j.error || j.oom || !lake__json_at_end(&j) || !found) {
        *message = *type = NULL;
        return false;
    }
    return true;
}

bool lake__iceberg_rest_token_usable(const char *token) {
    if (!*token) return false;
    for (; *token; token++)
        if ((unsigned char)*token < 0x21 || (unsigned char)*token > 0x7e) return false;
    return true;
}

int lake__iceberg_rest_token_read(const char *json, size_t len, lake_arena *arena, const char **token,
                                  int64_t *expires_in, lake_error *err) {
    *token = NULL;
    *expires_in = 0;
    const char *key;
    size_t key_len, n;
    bool first = true, ok = true;
    lake__json j;
    lake__json_init(&j, json, len);
    while (ok && lake__json_member(&j, arena, &first, &key, &key_len)) {
        lake__json_kind kind = lake__json_peek(&j);
        if (is(key, key_len, "access_token") && kind == LAKE__J_STRING) {
            ok = text_value(&j, arena, token, &n);
        } else if (is(key, key_len, "expires_in") && kind == LAKE__J_NUMBER) {
            lake__json_num num;
            ok = lake__json_number(&j, &num);
            if (ok && !lake__json_number_int64(&num, expires_in)) *expires_in = 0; /* a fraction: refreshed on 401 */
        } else {
            ok = lake__json_skip(&j, MAX_DEPTH);
        }
    }
    if (j.oom) return lake__error(err, LAKE_ENOMEM, "out of memory");
    /* The token itself is never echoed, nor the answer that holds it. */
    if (!ok || j.error || !lake__json_at_end(&j) || !*token || !lake__iceberg_rest_token_usable(*token))
        return lake__error(err, LAKE_EAUTH, "Iceberg REST catalog: the OAuth2 token endpoint answered without a "
                                            "usable access_token");
    if (*expires_in < 0) *expires_in = 0;
    return LAKE_OK;
}
