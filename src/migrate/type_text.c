/* SPDX-License-Identifier: MIT */
/* Reading the type texts engines print into trees, and comparing two trees.
 * One strict grammar covers both engines:
 *
 *     type    := head [ ('(' | '<') args (')' | '>') ] { "[]" }
 *     member  := name (' ' | ':') type        -- inside STRUCT( / struct<
 *
 * DuckDB writes a list as a "[]" suffix and quotes a member name that needs
 * it with "..." (doubling "); Spark writes array<T> and quotes with `...`
 * (doubling `). Anything else with arguments (DECIMAL(10,2)) is a scalar,
 * compared as text. */
#include "migrate/type_text.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"

typedef enum shape_kind { SCALAR, LIST, MAP, STRUCT } shape_kind;

typedef struct shape {
    shape_kind kind;
    const char *text; /* the whole type, as printed */
    size_t len;
    const char *name; /* a struct member's name, still quoted (quote: its quote character, 0 for none) */
    size_t name_len;
    char quote;
    struct shape *child, *next; /* the members; the element; the key, then the value */
} shape;

typedef struct parser {
    const char *p, *end;
    shape *nodes;
    size_t n, cap;
} parser;

static void skip_space(parser *ps) {
    while (ps->p < ps->end && *ps->p == ' ') ps->p++;
}

static bool eat(parser *ps, char c) {
    skip_space(ps);
    if (ps->p == ps->end || *ps->p != c) return false;
    ps->p++;
    return true;
}

static shape *node(parser *ps) {
    return ps->n < ps->cap ? &ps->nodes[ps->n++] : NULL;
}

static shape *parse_type(parser *ps, unsigned depth);

/* A member's name, quoted or bare, and the separator after it: Spark's
 * ':', DuckDB's space. */
static bool parse_name(parser *ps, shape *m, char open) {
    char stop = open == '<' ? ':' : ' ';
    skip_space(ps);
    char q = ps->p < ps->end ? *ps->p : 0;
    if (q != '"' && q != '`') {
        m->name = ps->p;
        while (ps->p < ps->end && *ps->p != stop) ps->p++;
        m->name_len = (size_t)(ps->p - m->name);
        return m->name_len && ps->p++ < ps->end;
    }
    m->quote = q;
    m->name = ++ps->p;
    for (; ps->p < ps->end; ps->p++) {
        if (*ps->p != q) continue;
        if (ps->p + 1 < ps->end && ps->p[1] == q) {
            ps->p++;
            continue;
        }
        m->name_len = (size_t)(ps->p++ - m->name);
        return stop == ' ' ? ps->p < ps->end && *ps->p == ' ' : eat(ps, stop);
    }
    return false;
}

static shape_kind kind_of(const char *head, size_t len) {
    if ((len == 6 && !strncasecmp(head, "STRUCT", 6)) || (len == 3 && !strncasecmp(head, "ROW", 3))) return STRUCT;
    if (len == 3 && !strncasecmp(head, "MAP", 3)) return MAP;
    if ((len == 5 && !strncasecmp(head, "ARRAY", 5)) || (len == 4 && !strncasecmp(head, "LIST", 4))) return LIST;
    return SCALAR;
}

/* The arguments of a composite type, up to its closing bracket. */
static bool parse_args(parser *ps, shape *t, char open, unsigned depth) {
    char close = open == '(' ? ')' : '>';
    shape **tail = &t->child;
    size_t count = 0;
    do {
        shape name = {0};
        if (t->kind == STRUCT && !parse_name(ps, &name, open)) return false;
        if (!(*tail = parse_type(ps, depth + 1))) return false;
        (*tail)->name = name.name, (*tail)->name_len = name.name_len, (*tail)->quote = name.quote;
        tail = &(*tail)->next;
        count++;
    } while (eat(ps, ','));
    if (!eat(ps, close)) return false;
    return t->kind == STRUCT || count == (t->kind == MAP ? 2u : 1u);
}

static shape *parse_type(parser *ps, unsigned depth) {
    if (depth > 64) return NULL; /* deeper than any schema nests: not a type lakeorm wrote */
    skip_space(ps);
    const char *start = ps->p;
    while (ps->p < ps->end && !strchr("()<>[],:", *ps->p)) ps->p++;
    const char *head_end = ps->p;
    while (head_end > start && head_end[-1] == ' ') head_end--;
    if (head_end == start) return NULL;
    shape *t = node(ps);
    if (!t) return NULL;
    t->kind = kind_of(start, (size_t)(head_end - start));
    if (ps->p < ps->end && (*ps->p == '(' || *ps->p == '<')) {
        char open = *ps->p++;
        if (t->kind != SCALAR) {
            if (!parse_args(ps, t, open, depth)) return NULL;
        } else { /* DECIMAL(10,2), VARCHAR(20): arguments are part of the scalar's text */
            while (ps->p < ps->end && *ps->p != (open == '(' ? ')' : '>')) ps->p++;
            if (ps->p++ == ps->end) return NULL;
        }
    } else if (t->kind != SCALAR) {
        t->kind = SCALAR; /* a bare word that only looks like a composite's head */
    }
    t->text = start;
    t->len = (size_t)(ps->p - start);
    while (ps->p + 1 < ps->end && ps->p[0] == '[' && ps->p[1] == ']') { /* DuckDB's T[] */
        ps->p += 2;
        shape *list = node(ps);
        if (!list) return NULL;
        *list = (shape){LIST, start, (size_t)(ps->p - start), NULL, 0, 0, t, NULL};
        t = list;
    }
    return t;
}

/* The tree of a type text, its nodes in *nodes (free them). */
static shape *parse(const char *text, shape **nodes) {
    size_t len = strlen(text);
    parser ps = {text, text + len, lake__calloc(len + 1, sizeof(shape)), 0, len + 1};
    *nodes = ps.nodes;
    if (!ps.nodes) return NULL;
    shape *t = parse_type(&ps, 0);
    skip_space(&ps);
    return t && ps.p == ps.end ? t : NULL;
}

/* A member's name without its quotes, into out. */
static void unquote(const shape *m, char *out, size_t cap) {
    size_t n = 0;
    for (size_t i = 0; i < m->name_len && n + 1 < cap; i++) {
        out[n++] = m->name[i];
        if (m->quote && m->name[i] == m->quote) i++; /* a doubled quote is one */
    }
    out[n] = 0;
}

static const shape *member_named(const shape *s, const char *name) {
    char here[256];
    for (const shape *m = s->child; m; m = m->next) {
        unquote(m, here, sizeof here);
        if (!strcmp(here, name)) return m;
    }
    return NULL;
}

static void step(lake__type_difference *out, size_t at, const char *name) {
    snprintf(out->path + at, sizeof out->path - at, ".%s", name);
}

static void names(const shape *s, char *out, size_t cap) {
    size_t n = 0;
    out[0] = 0;
    for (const shape *m = s->child; m && n + 1 < cap; m = m->next) {
        char name[256];
        unquote(m, name, sizeof name);
        n += (size_t)snprintf(out + n, cap - n, "%s%s", m == s->child ? "" : ", ", name);
        if (n >= cap) n = cap - 1;
    }
}

static int compare(const shape *model, const shape *table, lake__type_difference *out) {
    size_t at = strlen(out->path);
    if (model->kind != table->kind || (model->kind == SCALAR && (model->len != table->len ||
                                                                  strncasecmp(model->text, table->text, model->len)))) {
        snprintf(out->what, sizeof out->what, "the table has %.*s, the model says %.*s", (int)table->len, table->text,
                 (int)model->len, model->text);
        return 1;
    }
    if (model->kind == LIST) {
        step(out, at, "element");
        if (compare(model->child, table->child, out)) return 1;
    }
    if (model->kind == MAP) {
        step(out, at, "key");
        if (compare(model->child, table->child, out)) return 1;
        step(out, at, "value");
        if (compare(model->child->next, table->child->next, out)) return 1;
    }
    if (model->kind == STRUCT) {
        char name[256];
        for (const shape *m = model->child; m; m = m->next) {
            unquote(m, name, sizeof name);
            const shape *t = member_named(table, name);
            step(out, at, name);
            if (!t) {
                snprintf(out->what, sizeof out->what, "the table has no such member, the model says %.*s", (int)m->len,
                         m->text);
                return 1;
            }
            if (compare(m, t, out)) return 1;
        }
        for (const shape *t = table->child; t; t = t->next) {
            unquote(t, name, sizeof name);
            if (member_named(model, name)) continue;
            step(out, at, name);
            snprintf(out->what, sizeof out->what, "the table has this member (%.*s), the model does not", (int)t->len,
                     t->text);
            return 1;
        }
        out->path[at] = 0;
        const shape *m = model->child, *t = table->child;
        while (m && t && m->name_len == t->name_len && !memcmp(m->name, t->name, m->name_len)) m = m->next, t = t->next;
        if (m || t) {
            char a[400], b[400];
            names(table, a, sizeof a);
            names(model, b, sizeof b);
            snprintf(out->what, sizeof out->what, "the members are in another order: the table has (%s), the model (%s)", a, b);
            return 1;
        }
    }
    out->path[at] = 0;
    return 0;
}

int lake__type_text_compare(const char *model, const char *table, lake__type_difference *out) {
    out->path[0] = out->what[0] = 0;
    shape *mn = NULL, *tn = NULL;
    const shape *m = parse(model, &mn), *t = parse(table, &tn);
    int rc = m && t ? compare(m, t, out) : -1;
    lake__free(mn);
    lake__free(tn);
    return rc;
}
