/* SPDX-License-Identifier: MIT */
#include "drivers/databricks/response.h"

#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "json/scan.h"
#include "util/alloc.h"
#include "util/arena.h"

enum { MAX_DEPTH = 64, MAX_LINKS = 4096, MAX_HEADERS = 32 };

typedef struct walk {
    lake__json j;
    lake_arena *arena;
    lake__dbx_response *r;
    size_t link_cap, column_cap;
    bool oom;
} walk;

static const char *const state_names[] = {"UNKNOWN", "PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED", "CLOSED"};

const char *lake__dbx_state_name(lake__dbx_state s) { return state_names[s <= LAKE__DBX_CLOSED ? s : 0]; }

static lake__dbx_state state_of(const char *s) {
    for (unsigned i = 1; i <= LAKE__DBX_CLOSED; i++)
        if (!strcmp(s, state_names[i])) return (lake__dbx_state)i;
    return LAKE__DBX_UNKNOWN;
}

/* A scalar as text in the arena (strings decoded, numbers and literals as written). */
static bool scalar(walk *w, lake__json_kind kind, const char **out) {
    const char *s = NULL;
    size_t len = 0;
    lake__json_num num;
    switch (kind) {
    case LAKE__J_STRING:
        if (!lake__json_string(&w->j, w->arena, &s, &len)) return false;
        break;
    case LAKE__J_NUMBER:
        if (!lake__json_number(&w->j, &num)) return false;
        s = num.text, len = num.len;
        break;
    case LAKE__J_TRUE: case LAKE__J_FALSE:
        if (!lake__json_literal(&w->j, kind)) return false;
        s = kind == LAKE__J_TRUE ? "true" : "false", len = strlen(s);
        break;
    case LAKE__J_NULL:
        *out = NULL;
        return lake__json_literal(&w->j, kind);
    default:
        return lake__json_fail(&w->j, "expected a value");
    }
    if (!(*out = lake__arena_strndup(w->arena, s, len))) w->oom = true;
    return !w->oom;
}

static int64_t integer(const char *s) {
    if (!s || !*s) return -1;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > INT64_MAX / 10 - 9) return -1;
        v = v * 10 + (*p - '0');
    }
    return v;
}

/* Where in the document a value sits: the dotted path of member names, "[]"
 * for array elements; idx holds the innermost array indexes. */
typedef struct place {
    char path[160];
    int64_t idx[2];
} place;

static lake__dbx_link *current_link(walk *w, int64_t index) {
    lake__dbx_response *r = w->r;
    if (index < (int64_t)r->link_count) return &r->links[index];
    if (index != (int64_t)r->link_count || r->link_count >= MAX_LINKS) return NULL;
    if (r->link_count == w->link_cap) {
        size_t cap = w->link_cap ? w->link_cap * 2 : 4;
        lake__dbx_link *p = lake__arena_alloc(w->arena, cap * sizeof *p, _Alignof(lake__dbx_link));
        if (!p) {
            w->oom = true;
            return NULL;
        }
        if (r->link_count) memcpy(p, r->links, r->link_count * sizeof *p);
        r->links = p;
        w->link_cap = cap;
    }
    lake__dbx_link *l = &r->links[r->link_count++];
    memset(l, 0, sizeof *l);
    l->chunk_index = l->row_count = l->next_chunk_index = -1;
    return l;
}

static void add_header(walk *w, lake__dbx_link *l, const char *name, const char *value) {
    if (!value || l->header_count >= MAX_HEADERS || strpbrk(name, "\r\n:") || strpbrk(value, "\r\n")) return;
    size_t n = strlen(name) + strlen(value) + 3;
    char *line = lake__arena_alloc(w->arena, n, 1);
    const char **grown = lake__arena_alloc(w->arena, (l->header_count + 1) * sizeof *grown, _Alignof(const char *));
    if (!line || !grown) {
        w->oom = true;
        return;
    }
    snprintf(line, n, "%s: %s", name, value);
    if (l->header_count) memcpy(grown, l->headers, l->header_count * sizeof *grown);
    grown[l->header_count++] = line;
    l->headers = grown;
}

static void add_column(walk *w, const char *name) {
    lake__dbx_response *r = w->r;
    if (!name || r->column_count >= 100000) return;
    if (r->column_count == w->column_cap) {
        size_t cap = w->column_cap ? w->column_cap * 2 : 16;
        const char **p = lake__arena_alloc(w->arena, cap * sizeof *p, _Alignof(const char *));
        if (!p) {
            w->oom = true;
            return;
        }
        if (r->column_count) memcpy(p, r->columns, r->column_count * sizeof *p);
        r->columns = p;
        w->column_cap = cap;
    }
    r->columns[r->column_count++] = name;
}

/* Keeps the values lakeorm reads; everything else is skipped. */
static void take(walk *w, const place *at, const char *key, const char *v) {
    lake__dbx_response *r = w->r;
    const char *p = at->path;
    if (!strcmp(p, "statement_id")) r->statement_id = v;
    else if (!strcmp(p, "status.state") && v) r->state = state_of(v);
    else if (!strcmp(p, "status.error.error_code") || !strcmp(p, "error_code")) r->error_code = v;
    else if (!strcmp(p, "status.error.message") || !strcmp(p, "message")) r->message = v;
    else if (!strcmp(p, "status.sql_state")) r->sql_state = v;
    else if (!strcmp(p, "manifest.total_chunk_count")) r->total_chunk_count = integer(v);
    else if (!strcmp(p, "manifest.total_row_count")) r->total_row_count = integer(v);
    else if (!strcmp(p, "manifest.schema.columns[].name")) add_column(w, v);
    else if (!strcmp(p, "manifest.truncated")) r->truncated = v && !strcmp(v, "true");
    else if (!strcmp(p, "result.chunk_index")) r->chunk_index = integer(v);
    else if (!strcmp(p, "result.row_count")) r->row_count = integer(v);
    else if (!strcmp(p, "result.next_chunk_index")) r->next_chunk_index = integer(v);
    else if (!strcmp(p, "result.data_array[][]")) {
        if (at->idx[0] == 0 && at->idx[1] == 0) r->has_first_value = true, r->first_value = v;
    } else if (!strncmp(p, "result.external_links[].", 24)) {
        lake__dbx_link *l = current_link(w, at->idx[0]);
        const char *m = p + 24;
        if (!l) return;
        if (!strcmp(m, "external_link")) l->url = v;
        else if (!strcmp(m, "chunk_index")) l->chunk_index = integer(v);
        else if (!strcmp(m, "row_count")) l->row_count = integer(v);
        else if (!strcmp(m, "next_chunk_index")) l->next_chunk_index = integer(v);
        else if (!strncmp(m, "http_headers.", 13)) add_header(w, l, key, v);
    } else if (!strcmp(p, "access_token")) r->access_token = v;
    else if (!strcmp(p, "expires_in")) r->expires_in = integer(v);
}

static bool value(walk *w, place *at, const char *key, unsigned depth);

static bool append_path(place *at, const char *part, size_t *saved) {
    size_t at_end = *saved = strlen(at->path), n = strlen(part);
    if (at_end + n + 2 > sizeof at->path) return false;
    if (at_end && part[0] != '[') at->path[at_end++] = '.';
    memcpy(at->path + at_end, part, n + 1);
    return true;
}

static bool object(walk *w, place *at, unsigned depth) {
    lake__json *j = &w->j;
    j->p++;
    lake__json_ws(j);
    if (j->p < j->end && *j->p == '}') return j->p++, true;
    for (;;) {
        if (lake__json_peek(j) != LAKE__J_STRING) return lake__json_fail(j, "expected a member name");
        const char *name;
        size_t nlen;
        if (!lake__json_string(j, w->arena, &name, &nlen)) return false;
        char key[96];
        bool known = nlen < sizeof key && !memchr(name, 0, nlen);
        if (known) memcpy(key, name, nlen), key[nlen] = 0;
        if (!lake__json_expect(j, ':', "expected ':'")) return false;
        size_t saved = strlen(at->path);
        bool keep = known && append_path(at, key, &saved);
        if (keep ? !value(w, at, key, depth + 1) : !lake__json_skip(j, MAX_DEPTH - depth)) return false;
        at->path[saved] = 0;
        lake__json_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        return lake__json_expect(j, '}', "expected ',' or '}'");
    }
}

static bool array(walk *w, place *at, unsigned depth) {
    lake__json *j = &w->j;
    j->p++;
    lake__json_ws(j);
    if (j->p < j->end && *j->p == ']') return j->p++, true;
    size_t saved;
    if (!append_path(at, "[]", &saved)) return lake__json_skip(j, MAX_DEPTH - depth); /* unreachable by design */
    unsigned slot = strstr(at->path, "[]") == at->path + saved ? 0 : 1; /* the outer array or one inside it */
    int64_t keep_idx = at->idx[slot];
    for (int64_t i = 0;; i++) {
        at->idx[slot] = i;
        if (!value(w, at, "", depth + 1)) return false;
        lake__json_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        break;
    }
    at->idx[slot] = keep_idx;
    at->path[saved] = 0;
    return lake__json_expect(j, ']', "expected ',' or ']'");
}

static bool value(walk *w, place *at, const char *key, unsigned depth) {
    if (depth > MAX_DEPTH) return lake__json_fail(&w->j, "nested too deeply");
    lake__json_kind kind = lake__json_peek(&w->j);
    if (kind == LAKE__J_OBJECT) return object(w, at, depth);
    if (kind == LAKE__J_ARRAY) return array(w, at, depth);
    const char *v = NULL;
    if (!scalar(w, kind, &v)) return false;
    take(w, at, key, v);
    return !w->oom;
}

/* "[CLASS] message" or "[CLASS.SUB_CLASS] message": the condition's name is
 * capitals, digits and underscores (Spark's error-conditions grammar). */
static const char *error_class_of(const char *message, lake_arena *arena, bool *oom) {
    if (!message || message[0] != '[') return NULL;
    size_t n = 1;
    while ((message[n] >= 'A' && message[n] <= 'Z') || (message[n] >= '0' && message[n] <= '9') || message[n] == '_' ||
           (message[n] == '.' && n > 1))
        n++;
    if (message[n] != ']' || n == 1 || n > 128) return NULL;
    const char *cls = lake__arena_strndup(arena, message + 1, n - 1);
    if (!cls) *oom = true;
    return cls;
}

int lake__dbx_response_parse(const char *text, size_t len, bool as_chunk, lake_arena *arena, lake__dbx_response *out,
                             lake_error *err) {
    memset(out, 0, sizeof *out);
    out->total_chunk_count = out->total_row_count = out->chunk_index = out->row_count = out->next_chunk_index = -1;
    out->expires_in = -1;
    walk w = {.arena = arena, .r = out};
    lake__json_init(&w.j, text, len);
    place at = {{0}, {0, 0}};
    if (as_chunk) strcpy(at.path, "result");
    bool ok = lake__json_peek(&w.j) == LAKE__J_OBJECT && object(&w, &at, 0) && lake__json_at_end(&w.j);
    if (ok) out->error_class = error_class_of(out->message, arena, &w.oom);
    if (w.oom || w.j.oom) return lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!ok)
        return lake__error(err, LAKE_EREMOTE, "databricks: the server's answer is not the JSON object expected (%s at "
                                              "byte %zu)", w.j.error ? w.j.error : "not an object", w.j.error_offset);
    return LAKE_OK;
}
