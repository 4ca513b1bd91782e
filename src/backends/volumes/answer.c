/* SPDX-License-Identifier: MIT */
#include "backends/volumes/answer.h"

#include <string.h>

#include "error/error.h"
#include "json/tree.h"

/* A page holds at most 1000 entries of a few members: no deeper nesting is read. */
enum { MAX_DEPTH = 8 };

static bool one_segment(const char *name, size_t len) {
    return len && !(len == 1 && name[0] == '.') && !(len == 2 && name[0] == '.' && name[1] == '.') &&
           !memchr(name, '/', len) && strlen(name) == len;
}

static int malformed(lake_error *err, const char *why) {
    return lake__error(err, LAKE_EREMOTE, "databricks volume: a directory listing that is not one: %s", why);
}

static int read_entry(const lake__json_value *v, lake__volume_entry *out, lake_error *err) {
    const lake__json_value *name = lake__json_get(v, "name"), *dir = lake__json_get(v, "is_directory"),
                           *size = lake__json_get(v, "file_size");
    if (!name || name->kind != LAKE__J_STRING || !one_segment(name->text, name->len))
        return malformed(err, "an entry's name is missing or not one path segment");
    out->name = name->text;
    out->directory = dir && dir->kind == LAKE__J_TRUE;
    out->size = 0;
    if (dir && dir->kind != LAKE__J_TRUE && dir->kind != LAKE__J_FALSE)
        return malformed(err, "is_directory is not a boolean");
    if (!out->directory && size) {
        int64_t n;
        if (size->kind != LAKE__J_NUMBER || !lake__json_parse_int64(size->text, size->len, &n) || n < 0)
            return malformed(err, "file_size is not a size");
        out->size = (uint64_t)n;
    }
    return LAKE_OK;
}

int lake__volume_parse_page(const char *text, size_t len, lake_arena *arena, lake__volume_entry **entries,
                            size_t *count, const char **token, lake_error *err) {
    *entries = NULL, *count = 0, *token = NULL;
    lake__json j;
    lake__json_init(&j, text, len);
    lake__json_value page;
    if (!lake__json_tree(&j, arena, MAX_DEPTH, &page))
        return j.oom ? lake__error(err, LAKE_ENOMEM, "out of memory") : malformed(err, j.error ? j.error : "not JSON");
    if (page.kind != LAKE__J_OBJECT || !lake__json_at_end(&j)) return malformed(err, "not one JSON object");
    const lake__json_value *contents = lake__json_get(&page, "contents"), *next = lake__json_get(&page, "next_page_token");
    if (next && next->kind == LAKE__J_STRING && next->len) *token = next->text;
    else if (next && next->kind != LAKE__J_STRING && next->kind != LAKE__J_NULL)
        return malformed(err, "next_page_token is not a string");
    if (!contents || contents->kind == LAKE__J_NULL) return LAKE_OK; /* an empty directory: no member */
    if (contents->kind != LAKE__J_ARRAY) return malformed(err, "contents is not an array");
    if (!contents->count) return LAKE_OK;
    lake__volume_entry *e = lake__arena_alloc(arena, contents->count * sizeof *e, _Alignof(lake__volume_entry));
    if (!e) return lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; i < contents->count; i++) {
        if (contents->items[i].kind != LAKE__J_OBJECT) return malformed(err, "an entry is not an object");
        int rc = read_entry(&contents->items[i], &e[i], err);
        if (rc) return rc;
    }
    *entries = e, *count = contents->count;
    return LAKE_OK;
}

void lake__volume_parse_error(const char *text, size_t len, lake_arena *arena, const char **code,
                              const char **message) {
    *code = *message = NULL;
    lake__json j;
    lake__json_init(&j, text, len);
    lake__json_value doc;
    if (!lake__json_tree(&j, arena, MAX_DEPTH, &doc) || doc.kind != LAKE__J_OBJECT) return;
    const lake__json_value *c = lake__json_get(&doc, "error_code"), *m = lake__json_get(&doc, "message");
    if (c && c->kind == LAKE__J_STRING) *code = c->text;
    if (m && m->kind == LAKE__J_STRING) *message = m->text;
}
