/* SPDX-License-Identifier: MIT */
#include "json/tree.h"

#include <string.h>

#include "util/alloc.h"

static bool oom(lake__json *j) {
    j->oom = true;
    return false;
}

/* A container's items and keys, gathered in growing scratch arrays and then
 * copied into the arena once their count is known. */
static bool container(lake__json *j, lake_arena *arena, unsigned depth, bool object, lake__json_value *out) {
    lake__json_value *items = NULL;
    const char **keys = NULL;
    size_t n = 0, cap = 0;
    bool ok = true, first = true;
    if (!object) {
        j->p++; /* '[' */
        lake__json_ws(j);
        first = j->p < j->end && *j->p == ']';
        if (first) j->p++;
    }
    for (;;) {
        const char *key = NULL;
        size_t key_len = 0;
        if (object) {
            if (!lake__json_member(j, arena, &first, &key, &key_len)) {
                ok = !j->error && !j->oom;
                break;
            }
            if (!(key = lake__arena_strndup(arena, key, key_len))) {
                ok = oom(j);
                break;
            }
        } else if (first) {
            break; /* an empty array */
        }
        if (n == cap) {
            size_t grown = cap ? 2 * cap : 8;
            lake__json_value *i2 = lake__realloc(items, cap * sizeof *items, grown * sizeof *items);
            if (i2) items = i2;
            const char **k2 = i2 ? lake__realloc(keys, cap * sizeof *keys, grown * sizeof *keys) : NULL;
            if (k2) keys = k2;
            if (!i2 || !k2) {
                ok = oom(j);
                break;
            }
            cap = grown;
        }
        keys[n] = key;
        if (!(ok = lake__json_tree(j, arena, depth - 1, &items[n++]))) break;
        if (!object) {
            lake__json_ws(j);
            if (j->p < j->end && *j->p == ']') {
                j->p++;
                break;
            }
            if (!(ok = lake__json_expect(j, ',', "expected ',' or ']'"))) break;
        }
    }
    if (ok && n) {
        lake__json_value *i2 = lake__arena_alloc(arena, n * sizeof *i2, _Alignof(lake__json_value));
        const char **k2 = object ? lake__arena_alloc(arena, n * sizeof *k2, _Alignof(const char *)) : NULL;
        if (!i2 || (object && !k2)) ok = oom(j);
        else {
            memcpy(i2, items, n * sizeof *i2);
            if (object) memcpy(k2, keys, n * sizeof *k2);
            out->items = i2, out->keys = k2, out->count = n;
        }
    }
    lake__free(items);
    lake__free(keys);
    return ok;
}

bool lake__json_tree(lake__json *j, lake_arena *arena, unsigned max_depth, lake__json_value *out) {
    *out = (lake__json_value){lake__json_peek(j), NULL, 0, NULL, NULL, 0};
    switch (out->kind) {
    case LAKE__J_OBJECT:
    case LAKE__J_ARRAY:
        if (!max_depth) return lake__json_fail(j, "nested too deep");
        return container(j, arena, max_depth, out->kind == LAKE__J_OBJECT, out);
    case LAKE__J_STRING: {
        const char *s;
        if (!lake__json_string(j, arena, &s, &out->len)) return false;
        if (!(out->text = lake__arena_strndup(arena, s, out->len))) return oom(j);
        return true;
    }
    case LAKE__J_NUMBER: {
        lake__json_num n;
        if (!lake__json_number(j, &n)) return false;
        out->text = n.text, out->len = n.len;
        return true;
    }
    case LAKE__J_TRUE: case LAKE__J_FALSE: case LAKE__J_NULL: return lake__json_literal(j, out->kind);
    default: return lake__json_fail(j, "expected a value");
    }
}

const lake__json_value *lake__json_get(const lake__json_value *v, const char *key) {
    if (!v || v->kind != LAKE__J_OBJECT) return NULL;
    for (size_t i = 0; i < v->count; i++)
        if (!strcmp(v->keys[i], key)) return &v->items[i];
    return NULL;
}

bool lake__json_is(const lake__json_value *v, const char *text) {
    return v && v->kind == LAKE__J_STRING && !strcmp(v->text, text);
}
