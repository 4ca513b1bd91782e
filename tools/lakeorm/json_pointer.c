/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "json/scan.h"
#include "json_pointer.h"

/* Nesting is bounded as the decoder bounds it. */
enum { MAX_DEPTH = 1024 };

/* Whether key[0..key_len) is the pointer token tok[0..n), whose ~1 is "/" and ~0 is "~". */
static bool token_is(const char *tok, size_t n, const char *key, size_t key_len) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++, k++) {
        char c = tok[i];
        if (c == '~' && i + 1 < n && (tok[i + 1] == '0' || tok[i + 1] == '1')) c = tok[++i] == '0' ? '~' : '/';
        if (k == key_len || key[k] != c) return false;
    }
    return k == key_len;
}

/* Steps j into the member or item that tok[0..n) names. */
static bool step(lake__json *j, lake_arena *arena, const char *tok, size_t n) {
    lake__json_kind kind = lake__json_peek(j);
    if (kind == LAKE__J_OBJECT) {
        bool first = true;
        const char *key;
        size_t key_len;
        while (lake__json_member(j, arena, &first, &key, &key_len)) {
            if (token_is(tok, n, key, key_len)) return true;
            if (!lake__json_skip(j, MAX_DEPTH)) return false;
        }
        return false;
    }
    if (kind != LAKE__J_ARRAY || !n || n > 9 || strspn(tok, "0123456789") < n || (n > 1 && tok[0] == '0'))
        return false;
    unsigned long index = strtoul(tok, NULL, 10); /* tok ends at a '/' or the NUL: strtoul stops there */
    if (!lake__json_expect(j, '[', "")) return false;
    for (unsigned long i = 0; i < index; i++)
        if (lake__json_peek(j) == LAKE__J_END || !lake__json_skip(j, MAX_DEPTH) || !lake__json_expect(j, ',', ""))
            return false;
    lake__json_ws(j);
    return j->p < j->end && *j->p != ']';
}

bool json_pointer_find(const char *json, size_t len, const char *pointer, lake_arena *arena, const char **at,
                       size_t *at_len) {
    lake__json j;
    lake__json_init(&j, json, len);
    for (const char *p = pointer; *p;) {
        if (*p++ != '/') return false;
        size_t n = strcspn(p, "/");
        if (!step(&j, arena, p, n)) return false;
        p += n;
    }
    lake__json_ws(&j);
    const char *start = j.p;
    if (!lake__json_skip(&j, MAX_DEPTH)) return false;
    *at = start;
    *at_len = (size_t)(j.p - start);
    return true;
}
