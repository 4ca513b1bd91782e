/* SPDX-License-Identifier: MIT */
/* Type inference for schema infer. Each value meets the same parsers the
 * decoder applies (lake__parse_timestamp, lake__parse_date, lake_uuid_parse,
 * lake__json_number_int64), so the schema written validates the sample it
 * came from: a column is only given a type every value of it decodes as. */
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

#include "infer.h"
#include "json/scan.h"
#include "json/write.h"
#include "util/time.h"

/* Bounds on what becomes a struct: an object nested deeper, or with more
 * distinct keys across the sample, is a json column (free-form payloads,
 * maps keyed by ids); 64 levels and 256 keys are far past hand-made records. */
enum { MAX_DEPTH = 64, MAX_MEMBERS = 256 };

typedef enum kind { K_NONE, K_BOOL, K_INT, K_FLOAT, K_STRING, K_STRUCT, K_LIST, K_JSON } kind;

typedef struct member member;

struct infer_shape {
    kind kind;
    bool nullable;           /* a null seen (members: also a record without the key) */
    bool ts, date, uuid;     /* K_STRING: every string so far parses as one */
    bool text;               /* values are CSV cells */
    member *members;         /* K_STRUCT, in first-seen order */
    size_t nmembers, objects; /* objects: how many this struct has merged */
    infer_shape *elem;       /* K_LIST */
};

struct member {
    char *key;
    size_t len, seen;
    infer_shape shape;
};

typedef struct walk {
    lake__json j;
    lake_arena *arena;
    const char *error;
} walk;

static void clear(infer_shape *s) {
    for (size_t i = 0; i < s->nmembers; i++) {
        clear(&s->members[i].shape);
        free(s->members[i].key);
    }
    free(s->members);
    if (s->elem) clear(s->elem);
    free(s->elem);
    s->members = NULL;
    s->nmembers = s->objects = 0;
    s->elem = NULL;
}

infer_shape *infer_new(bool text) {
    infer_shape *s = calloc(1, sizeof *s);
    if (s) s->text = text;
    return s;
}

void infer_free(infer_shape *s) {
    if (!s) return;
    clear(s);
    free(s);
}

/* Values of two kinds in one place: ints widen to floats; anything else
 * that disagrees is json (text: string, every cell being text). */
static void widen(infer_shape *s, kind k) {
    if (s->kind == k || s->kind == K_JSON) return;
    if (s->kind == K_NONE) s->kind = k;
    else if ((s->kind == K_INT && k == K_FLOAT) || (s->kind == K_FLOAT && k == K_INT)) s->kind = K_FLOAT;
    else {
        clear(s);
        s->kind = s->text ? K_STRING : K_JSON;
        s->ts = s->date = s->uuid = false;
    }
}

static bool observe(walk *w, infer_shape *s, unsigned depth);

/* A key that can be the column's name as written: the tag grammar splits at
 * commas and trims whitespace, so such keys would name another column. */
static bool key_usable(const char *k, size_t len) {
    if (!len || memchr(k, ',', len)) return false;
    return !strchr(" \t\r\n", k[0]) && !strchr(" \t\r\n", k[len - 1]);
}

static bool observe_object(walk *w, infer_shape *s, unsigned depth) {
    bool first = true;
    const char *key;
    size_t len;
    s->objects++;
    while (lake__json_member(&w->j, w->arena, &first, &key, &len)) {
        if (s->kind != K_STRUCT) { /* it became json on the way */
            if (!lake__json_skip(&w->j, 1024)) return false;
            continue;
        }
        member *m = NULL;
        for (size_t i = 0; i < s->nmembers && !m; i++)
            if (s->members[i].len == len && !memcmp(s->members[i].key, key, len)) m = &s->members[i];
        if (!m && s->nmembers == MAX_MEMBERS) {
            widen(s, K_JSON);
            if (!lake__json_skip(&w->j, 1024)) return false;
            continue;
        }
        if (!m) {
            if (!key_usable(key, len)) {
                w->error = "a key that is empty, has a comma or starts or ends with whitespace cannot be a column name";
                return false;
            }
            member *grown = realloc(s->members, (s->nmembers + 1) * sizeof *grown);
            if (!grown) goto oom;
            s->members = grown;
            m = &s->members[s->nmembers];
            memset(m, 0, sizeof *m);
            if (!(m->key = malloc(len + 1))) goto oom;
            memcpy(m->key, key, len);
            m->key[len] = 0;
            m->len = len;
            m->shape.text = s->text;
            s->nmembers++;
        }
        m->seen++;
        if (!observe(w, &m->shape, depth + 1)) return false;
    }
    return !w->j.error && !w->j.oom;
oom:
    w->error = "out of memory";
    return false;
}

static bool observe_string(walk *w, infer_shape *s) {
    const char *v;
    size_t len;
    if (!lake__json_string(&w->j, w->arena, &v, &len)) return false;
    bool fresh = s->kind == K_NONE;
    widen(s, K_STRING);
    if (s->kind != K_STRING) return true;
    int64_t us;
    int32_t days;
    lake_uuid u;
    bool ts = !lake__parse_timestamp(v, len, &us), date = !lake__parse_date(v, len, &days);
    bool uuid = lake_uuid_parse(&u, v, len) == LAKE_OK;
    s->ts = (fresh || s->ts) && ts;
    s->date = (fresh || s->date) && date;
    s->uuid = (fresh || s->uuid) && uuid;
    return true;
}

static bool observe(walk *w, infer_shape *s, unsigned depth) {
    lake__json_kind k = lake__json_peek(&w->j);
    if (k == LAKE__J_NULL) {
        s->nullable = true;
        return lake__json_literal(&w->j, k);
    }
    if (s->kind == K_JSON) return lake__json_skip(&w->j, 1024);
    switch (k) {
    case LAKE__J_TRUE: case LAKE__J_FALSE:
        widen(s, K_BOOL);
        return lake__json_literal(&w->j, k);
    case LAKE__J_NUMBER: {
        lake__json_num n;
        int64_t i;
        if (!lake__json_number(&w->j, &n)) return false;
        widen(s, lake__json_number_int64(&n, &i) ? K_INT : K_FLOAT);
        return true;
    }
    case LAKE__J_STRING:
        return observe_string(w, s);
    case LAKE__J_OBJECT:
        widen(s, depth >= MAX_DEPTH ? K_JSON : K_STRUCT);
        return s->kind == K_STRUCT ? observe_object(w, s, depth) : lake__json_skip(&w->j, 1024);
    case LAKE__J_ARRAY: {
        widen(s, depth >= MAX_DEPTH ? K_JSON : K_LIST);
        if (s->kind != K_LIST) return lake__json_skip(&w->j, 1024);
        if (!s->elem && !(s->elem = infer_new(s->text))) {
            w->error = "out of memory";
            return false;
        }
        if (!lake__json_expect(&w->j, '[', "expected an array")) return false;
        lake__json_ws(&w->j);
        if (w->j.p < w->j.end && *w->j.p == ']') {
            w->j.p++;
            return true;
        }
        for (;;) {
            if (!observe(w, s->elem, depth + 1)) return false;
            if (s->kind != K_LIST) return false; /* cannot happen: a list stays a list */
            lake__json_ws(&w->j);
            if (w->j.p < w->j.end && *w->j.p == ',') {
                w->j.p++;
                continue;
            }
            return lake__json_expect(&w->j, ']', "expected , or ] in an array");
        }
    }
    default:
        return lake__json_fail(&w->j, "expected a JSON value");
    }
}

const char *infer_record(infer_shape *s, const char *json, size_t len) {
    walk w = {.error = NULL};
    if (lake_arena_new(&w.arena)) return "out of memory";
    lake__json_init(&w.j, json, len);
    if (lake__json_peek(&w.j) != LAKE__J_OBJECT) {
        lake_arena_free(w.arena);
        return w.j.error ? w.j.error : "not a JSON object";
    }
    if (s->kind == K_NONE) s->kind = K_STRUCT;
    bool ok = observe(&w, s, 0) && lake__json_at_end(&w.j);
    lake_arena_free(w.arena);
    if (ok) return NULL;
    if (w.error) return w.error;
    if (w.j.oom) return "out of memory";
    return w.j.error ? w.j.error : "text after the object";
}

/* ---- the schema file */

static void indent(lake__buf *out, unsigned depth) {
    for (unsigned i = 0; i < depth; i++) lake__buf_puts(out, "  ");
}

/* The type as the schema file writes it; the struct whose members it needs
 * (a struct, or a list's innermost element that is one) in *fields. */
static void type_name(const infer_shape *s, lake__buf *out, const infer_shape **fields) {
    switch (s->kind) {
    case K_BOOL: lake__buf_puts(out, "bool"); break;
    case K_INT: lake__buf_puts(out, "int64"); break;
    case K_FLOAT: lake__buf_puts(out, "float64"); break;
    case K_STRING:
        lake__buf_puts(out, s->ts ? "timestamp" : s->date ? "date" : s->uuid ? "uuid" : "string");
        break;
    case K_STRUCT:
        if (s->nmembers) {
            lake__buf_puts(out, "struct");
            *fields = s;
        } else {
            lake__buf_puts(out, "json"); /* only {} seen: a struct needs members */
        }
        break;
    case K_LIST:
        lake__buf_puts(out, "list<");
        if (s->elem) {
            type_name(s->elem, out, fields);
            if (s->elem->nullable) lake__buf_putc(out, '?');
        } else {
            lake__buf_puts(out, "json"); /* only [] seen */
        }
        lake__buf_putc(out, '>');
        break;
    default: lake__buf_puts(out, "json"); break; /* K_JSON, and K_NONE: only nulls seen */
    }
}

static void write_fields(const infer_shape *s, lake__buf *out, unsigned depth) {
    for (size_t i = 0; i < s->nmembers; i++) {
        const member *m = &s->members[i];
        lake__buf tag = {0};
        lake__buf_put(&tag, m->key, m->len);
        if (m->shape.nullable || m->seen < s->objects) lake__buf_puts(&tag, ",nullable");
        indent(out, depth);
        lake__buf_puts(out, "{\"tag\": ");
        lake__json_write_string(out, tag.data ? tag.data : "", tag.len);
        lake__buf_dispose(&tag);
        lake__buf_puts(out, ", \"type\": \"");
        const infer_shape *fields = NULL;
        type_name(&m->shape, out, &fields);
        lake__buf_putc(out, '"');
        if (fields) {
            lake__buf_puts(out, ", \"fields\": [\n");
            write_fields(fields, out, depth + 1);
            indent(out, depth);
            lake__buf_putc(out, ']');
        }
        lake__buf_puts(out, i + 1 < s->nmembers ? "},\n" : "}\n");
    }
}

int infer_write(const infer_shape *s, const char *table, lake__buf *out) {
    lake__buf_puts(out, "{\n  \"version\": 1,\n  \"table\": ");
    lake__json_write_string(out, table, strlen(table));
    lake__buf_puts(out, ",\n  \"fields\": [\n");
    write_fields(s, out, 2);
    lake__buf_puts(out, "  ]\n}\n");
    return out->failed ? -1 : 0;
}
