/* SPDX-License-Identifier: MIT */
#include "backends/gcs/json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error/error.h"
#include "json/scan.h"
#include "util/alloc.h"
#include "util/arena.h"

/* A member's key and its ':' (the scanner reads strings only from their quote). */
static bool read_key(lake__json *j, lake_arena *arena, const char **key, size_t *len) {
    return lake__json_peek(j) == LAKE__J_STRING && lake__json_string(j, arena, key, len) &&
           lake__json_expect(j, ':', "expected ':'");
}

/* One object at j: members named in want[] into out[] (strings and numbers as text). */
static int object_fields(lake__json *j, lake_arena *arena, const char *const *want, char **out, size_t n) {
    if (!lake__json_expect(j, '{', "expected an object")) return LAKE_EINVAL;
    for (bool first = true;; first = false) {
        lake__json_ws(j);
        if (j->p < j->end && *j->p == '}') break;
        if (!first && !lake__json_expect(j, ',', "expected ','")) return LAKE_EINVAL;
        const char *key, *value;
        size_t klen, vlen;
        if (!read_key(j, arena, &key, &klen)) return LAKE_EINVAL;
        size_t k = 0;
        while (k < n && (strlen(want[k]) != klen || memcmp(want[k], key, klen))) k++;
        lake__json_kind kind = lake__json_peek(j);
        if (k < n && kind == LAKE__J_STRING) {
            if (!lake__json_string(j, arena, &value, &vlen)) return LAKE_EINVAL;
            if (!out[k] && !(out[k] = lake__strndup(value, vlen))) return LAKE_ENOMEM;
        } else if (k < n && kind == LAKE__J_NUMBER) {
            lake__json_num num;
            if (!lake__json_number(j, &num)) return LAKE_EINVAL;
            if (!out[k] && !(out[k] = lake__strndup(num.text, num.len))) return LAKE_ENOMEM;
        } else if (!lake__json_skip(j, 32)) {
            return LAKE_EINVAL;
        }
    }
    return lake__json_expect(j, '}', "expected '}'") ? LAKE_OK : LAKE_EINVAL;
}

int lake__gcs_json_fields(const char *text, size_t len, const char *const *want, char **out, size_t n, lake_error *err) {
    lake__json j;
    lake__json_init(&j, text, len);
    lake_arena *arena;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    int rc = object_fields(&j, arena, want, out, n);
    lake_arena_free(arena);
    if (rc) {
        for (size_t i = 0; i < n; i++) lake__free(out[i]), out[i] = NULL;
        return rc == LAKE_ENOMEM ? lake__error(err, rc, "out of memory")
                                 : lake__error(err, LAKE_EINVAL, "not the JSON object expected: %s", j.error ? j.error : "");
    }
    return LAKE_OK;
}

int lake__gcs_parse_list(const char *text, size_t len, lake__gcs_item_fn fn, void *ctx, char *token, size_t cap) {
    if (cap) token[0] = 0;
    lake__json j;
    lake__json_init(&j, text, len);
    lake_arena *arena;
    if (lake_arena_new(&arena)) return -1;
    int rc = lake__json_expect(&j, '{', "expected an object") ? 0 : -1;
    for (bool first = true; !rc; first = false) {
        lake__json_ws(&j);
        if (j.p < j.end && *j.p == '}') break;
        const char *key, *value;
        size_t klen, vlen;
        if ((!first && !lake__json_expect(&j, ',', "expected ','")) || !read_key(&j, arena, &key, &klen)) {
            rc = -1;
            break;
        }
        if (klen == 13 && !memcmp(key, "nextPageToken", 13) && lake__json_peek(&j) == LAKE__J_STRING) {
            if (!lake__json_string(&j, arena, &value, &vlen) || vlen >= cap) rc = -1;
            else memcpy(token, value, vlen), token[vlen] = 0;
        } else if (klen == 5 && !memcmp(key, "items", 5) && lake__json_peek(&j) == LAKE__J_ARRAY) {
            if (!lake__json_expect(&j, '[', "expected '['")) rc = -1;
            for (bool firsti = true; !rc; firsti = false) {
                lake__json_ws(&j);
                if (j.p < j.end && *j.p == ']') break;
                if (!firsti && !lake__json_expect(&j, ',', "expected ','")) {
                    rc = -1;
                    break;
                }
                static const char *const want[] = {"name", "size"};
                char *got[2] = {NULL, NULL};
                lake__json_ws(&j);
                if (object_fields(&j, arena, want, got, 2) || !got[0]) {
                    rc = -1;
                } else {
                    char *end = NULL;
                    uint64_t size = got[1] ? strtoull(got[1], &end, 10) : 0;
                    if (got[1] && (!*got[1] || *end)) rc = -1;
                    else rc = fn(ctx, got[0], size);
                }
                lake__free(got[0]);
                lake__free(got[1]);
            }
            if (!rc && !lake__json_expect(&j, ']', "expected ']'")) rc = -1;
        } else if (!lake__json_skip(&j, 32)) {
            rc = -1;
        }
    }
    if (!rc && !lake__json_expect(&j, '}', "expected '}'")) rc = -1;
    lake_arena_free(arena);
    return rc;
}

int lake__gcs_parse_error(const char *text, size_t len, char *out, size_t cap) {
    lake__json j;
    lake__json_init(&j, text, len);
    lake_arena *arena;
    if (lake_arena_new(&arena)) return -1;
    int rc = -1;
    if (lake__json_expect(&j, '{', "expected an object")) {
        for (bool first = true;; first = false) {
            lake__json_ws(&j);
            if (j.p >= j.end || *j.p == '}') break;
            const char *key;
            size_t klen;
            if ((!first && !lake__json_expect(&j, ',', "expected ','")) || !read_key(&j, arena, &key, &klen)) break;
            if (klen == 5 && !memcmp(key, "error", 5) && lake__json_peek(&j) == LAKE__J_OBJECT) {
                static const char *const want[] = {"message"};
                char *msg[1] = {NULL};
                lake__json_ws(&j);
                if (!object_fields(&j, arena, want, msg, 1) && msg[0]) {
                    snprintf(out, cap, "%s", msg[0]);
                    rc = 0;
                }
                lake__free(msg[0]);
                break;
            }
            if (!lake__json_skip(&j, 32)) break;
        }
    }
    lake_arena_free(arena);
    return rc;
}
