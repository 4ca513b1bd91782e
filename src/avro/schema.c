/* SPDX-License-Identifier: MIT */
/* Avro schemas from their JSON (specification, "Schema Declaration"): an
 * object's attributes may come in any order, so each object is scanned once
 * for where its attributes are, then read by what its "type" says. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "avro/avro.h"
#include "error/error.h"
#include "json/scan.h"
#include "util/arena.h"

enum { MAX_DEPTH = 64 };

typedef struct named {
    const lake__avro_schema *schema;
    struct named *next;
} named;

typedef struct parser {
    const char *end; /* of the whole text */
    lake_arena *arena;
    named *names;
    lake_error *err;
    int rc;
} parser;

__attribute__((format(printf, 2, 3))) static bool fail(parser *p, const char *fmt, ...) {
    if (p->rc) return false;
    char why[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    p->rc = lake__error(p->err, LAKE_ESCHEMA, "%s", why);
    return false;
}

static bool oom(parser *p) {
    if (!p->rc) p->rc = lake__error(p->err, LAKE_ENOMEM, "out of memory reading an Avro schema");
    return false;
}

static bool syntax(parser *p, const lake__json *j) {
    if (j->oom) return oom(p);
    return fail(p, "an Avro schema is not valid JSON: %s", j->error ? j->error : "unexpected input");
}

/* A JSON string as a NUL-terminated copy in the arena. */
static bool string_at(parser *p, lake__json *j, const char **out) {
    const char *s;
    size_t n;
    if (lake__json_peek(j) != LAKE__J_STRING) return fail(p, "an Avro schema has %s where a string belongs", "a value");
    if (!lake__json_string(j, p->arena, &s, &n)) return syntax(p, j);
    if (memchr(s, 0, n)) return fail(p, "an Avro schema name holds %s", "a NUL byte");
    return (*out = lake__arena_strndup(p->arena, s, n)) != NULL || oom(p);
}

static bool int_at(parser *p, lake__json *j, int64_t lo, int64_t hi, int64_t *out, const char *what) {
    lake__json_num n;
    if (lake__json_peek(j) != LAKE__J_NUMBER) return fail(p, "an Avro schema's %s is not a number", what);
    if (!lake__json_number(j, &n)) return syntax(p, j);
    if (!lake__json_number_int64(&n, out) || *out < lo || *out > hi)
        return fail(p, "an Avro schema's %s is out of range", what);
    return true;
}

static lake__avro_schema *node(parser *p, lake__avro_kind kind) {
    lake__avro_schema *s = lake__arena_alloc(p->arena, sizeof *s, _Alignof(lake__avro_schema));
    if (!s) return oom(p), NULL;
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->element_id = s->key_id = s->value_id = -1;
    return s;
}

static const struct {
    const char *name;
    lake__avro_kind kind;
} primitives[] = {
    {"null", LAKE__AVRO_NULL},     {"boolean", LAKE__AVRO_BOOLEAN}, {"int", LAKE__AVRO_INT},
    {"long", LAKE__AVRO_LONG},     {"float", LAKE__AVRO_FLOAT},     {"double", LAKE__AVRO_DOUBLE},
    {"bytes", LAKE__AVRO_BYTES},   {"string", LAKE__AVRO_STRING},
};

static int primitive(const char *name) {
    for (size_t i = 0; i < sizeof primitives / sizeof *primitives; i++)
        if (!strcmp(name, primitives[i].name)) return (int)primitives[i].kind;
    return -1;
}

/* The full name of `name` in namespace `space` (a dotted name is full already). */
static const char *full_name(parser *p, const char *name, const char *space) {
    if (strchr(name, '.') || !space || !*space) return name;
    size_t a = strlen(space), b = strlen(name);
    char *full = lake__arena_alloc(p->arena, a + b + 2, 1);
    if (!full) return oom(p), NULL;
    memcpy(full, space, a);
    full[a] = '.';
    memcpy(full + a + 1, name, b + 1);
    return full;
}

static const lake__avro_schema *find_named(const parser *p, const char *full) {
    for (const named *n = p->names; n; n = n->next)
        if (!strcmp(n->schema->name, full)) return n->schema;
    return NULL;
}

/* Names a record, enum or fixed: unique, and known from here on (a record's
 * fields may name the record itself). */
static bool define(parser *p, lake__avro_schema *s, const char *name, const char *space) {
    if (!*name) return fail(p, "an Avro %s has an empty name", "named type");
    if (!(s->name = full_name(p, name, space))) return false;
    if (find_named(p, s->name)) return fail(p, "the Avro type %s is defined twice", s->name);
    named *n = lake__arena_alloc(p->arena, sizeof *n, _Alignof(named));
    if (!n) return oom(p);
    *n = (named){s, p->names};
    p->names = n;
    return true;
}

static const lake__avro_schema *parse(parser *p, lake__json *j, const char *space, unsigned depth);

/* Where an object's attributes are: each a scanner positioned at its value. */
typedef struct attributes {
    const char *type, *name, *space, *fields, *symbols, *items, *values, *size, *logical, *element_id, *key_id,
        *value_id, *field_id;
} attributes;

static bool scan_object(parser *p, lake__json *j, attributes *a) {
    memset(a, 0, sizeof *a);
    if (!lake__json_expect(j, '{', "expected an object")) return syntax(p, j);
    lake__json_ws(j);
    if (j->p < j->end && *j->p == '}') return j->p++, true;
    for (;;) {
        const char *key;
        size_t n;
        if (lake__json_peek(j) != LAKE__J_STRING || !lake__json_string(j, p->arena, &key, &n)) return syntax(p, j);
        if (!lake__json_expect(j, ':', "expected ':'")) return syntax(p, j);
        lake__json_ws(j);
        static const char *const names[] = {"type", "name", "namespace", "fields", "symbols", "items", "values",
                                            "size", "logicalType", "element-id", "key-id", "value-id", "field-id"};
        const char **slots[] = {&a->type, &a->name, &a->space, &a->fields, &a->symbols, &a->items, &a->values,
                                &a->size, &a->logical, &a->element_id, &a->key_id, &a->value_id, &a->field_id};
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (strlen(names[i]) == n && !memcmp(names[i], key, n)) {
                if (*slots[i]) return fail(p, "an Avro schema object has \"%s\" twice", names[i]);
                *slots[i] = j->p;
            }
        if (!lake__json_skip(j, MAX_DEPTH)) return syntax(p, j);
        lake__json_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (!lake__json_expect(j, '}', "expected ',' or '}'")) return syntax(p, j);
        return true;
    }
}

/* Enters an array: 1 when an item follows, 0 when it is empty, -1 on bad syntax. */
static int array_open(lake__json *j) {
    if (!lake__json_expect(j, '[', "expected an array")) return -1;
    lake__json_ws(j);
    if (j->p < j->end && *j->p == ']') return j->p++, 0;
    return 1;
}

/* After an item: 1 when another follows, 0 at the end (consumed), -1 on bad syntax. */
static int array_next(lake__json *j) {
    lake__json_ws(j);
    if (j->p < j->end && *j->p == ',') return j->p++, 1;
    return lake__json_expect(j, ']', "expected ',' or ']'") ? 0 : -1;
}

static void at(const parser *p, lake__json *sub, const char *where) { lake__json_init(sub, where, (size_t)(p->end - where)); }

static bool optional_id(parser *p, const char *where, int32_t *out, const char *what) {
    if (!where) return true;
    lake__json sub;
    at(p, &sub, where);
    int64_t v;
    if (!int_at(p, &sub, 0, INT32_MAX, &v, what)) return false;
    *out = (int32_t)v;
    return true;
}

static bool parse_fields(parser *p, lake__avro_schema *s, const char *where, const char *space, unsigned depth) {
    lake__json j;
    at(p, &j, where);
    if (lake__json_peek(&j) != LAKE__J_ARRAY) return fail(p, "the Avro record %s has no array of fields", s->name);
    /* Two passes: count, then read into an array of the right size. */
    lake__json count = j;
    size_t n = 0;
    for (int more = array_open(&count); more; more = array_next(&count)) {
        if (more < 0 || !lake__json_skip(&count, MAX_DEPTH)) return syntax(p, &count);
        n++;
    }
    lake__avro_field *fields = lake__arena_alloc(p->arena, (n ? n : 1) * sizeof *fields, _Alignof(lake__avro_field));
    if (!fields) return oom(p);
    s->fields = fields;
    s->count = n;
    array_open(&j);
    for (size_t i = 0; i < n; i++, array_next(&j)) {
        if (lake__json_peek(&j) != LAKE__J_OBJECT) return fail(p, "a field of the Avro record %s is not an object", s->name);
        attributes a;
        if (!scan_object(p, &j, &a)) return false;
        if (!a.name || !a.type) return fail(p, "a field of the Avro record %s lacks a name or a type", s->name);
        lake__json sub;
        at(p, &sub, a.name);
        if (!string_at(p, &sub, &fields[i].name)) return false;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(fields[k].name, fields[i].name))
                return fail(p, "the Avro record has the field %s twice", fields[i].name);
        fields[i].field_id = -1;
        if (!optional_id(p, a.field_id, &fields[i].field_id, "field-id")) return false;
        at(p, &sub, a.type);
        if (!(fields[i].type = parse(p, &sub, space, depth + 1))) return false;
    }
    return true;
}

static bool parse_symbols(parser *p, lake__avro_schema *s, const char *where) {
    lake__json j;
    at(p, &j, where);
    size_t cap = 8, n = 0;
    const char **symbols = lake__arena_alloc(p->arena, cap * sizeof *symbols, _Alignof(const char *));
    if (!symbols) return oom(p);
    for (int more = array_open(&j); more; more = array_next(&j)) {
        if (more < 0) return syntax(p, &j);
        if (n == cap) {
            const char **grown = lake__arena_alloc(p->arena, 2 * cap * sizeof *grown, _Alignof(const char *));
            if (!grown) return oom(p);
            memcpy(grown, symbols, n * sizeof *grown);
            symbols = grown, cap *= 2;
        }
        if (!string_at(p, &j, &symbols[n])) return false;
        for (size_t k = 0; k < n; k++)
            if (!strcmp(symbols[k], symbols[n])) return fail(p, "the Avro enum has the symbol %s twice", symbols[n]);
        n++;
    }
    if (!n) return fail(p, "the Avro enum %s has no symbols", s->name);
    s->symbols = symbols;
    s->count = n;
    return true;
}

static const lake__avro_schema *parse_union(parser *p, lake__json *j, const char *space, unsigned depth) {
    lake__avro_schema *s = node(p, LAKE__AVRO_UNION);
    if (!s) return NULL;
    size_t cap = 4, n = 0;
    const lake__avro_schema **branches = lake__arena_alloc(p->arena, cap * sizeof *branches, _Alignof(void *));
    if (!branches) return oom(p), NULL;
    for (int more = array_open(j); more; more = array_next(j)) {
        if (more < 0) return syntax(p, j), NULL;
        if (n == cap) {
            const lake__avro_schema **grown = lake__arena_alloc(p->arena, 2 * cap * sizeof *grown, _Alignof(void *));
            if (!grown) return oom(p), NULL;
            memcpy(grown, branches, n * sizeof *grown);
            branches = grown, cap *= 2;
        }
        const lake__avro_schema *b = parse(p, j, space, depth + 1);
        if (!b) return NULL;
        if (b->kind == LAKE__AVRO_UNION) return fail(p, "an Avro union holds %s", "a union"), NULL;
        for (size_t k = 0; k < n; k++)
            if (branches[k]->kind == b->kind && (!b->name || !strcmp(branches[k]->name, b->name)))
                return fail(p, "an Avro union holds the same type twice (%s)", b->name ? b->name : "a primitive"), NULL;
        branches[n++] = b;
    }
    if (!n) return fail(p, "an Avro union has %s", "no branches"), NULL;
    s->branches = branches;
    s->count = n;
    return s;
}

static const lake__avro_schema *by_name(parser *p, const char *name, const char *space) {
    int kind = primitive(name);
    if (kind >= 0) return node(p, (lake__avro_kind)kind);
    const char *full = full_name(p, name, space);
    if (!full) return NULL;
    const lake__avro_schema *s = find_named(p, full);
    if (!s && full != name) s = find_named(p, name);
    if (!s) fail(p, "the Avro schema names an unknown type %s", name);
    return s;
}

static const lake__avro_schema *parse_object(parser *p, lake__json *j, const char *space, unsigned depth) {
    attributes a;
    if (!scan_object(p, j, &a)) return NULL;
    if (!a.type) return fail(p, "an Avro schema object has %s", "no type"), NULL;
    lake__json sub;
    at(p, &sub, a.type);
    if (lake__json_peek(&sub) != LAKE__J_STRING) return parse(p, &sub, space, depth + 1); /* {"type": {...}} */
    const char *type;
    if (!string_at(p, &sub, &type)) return NULL;
    const char *logical = NULL;
    if (a.logical) {
        at(p, &sub, a.logical);
        if (!string_at(p, &sub, &logical)) return NULL;
    }
    lake__avro_schema *s;
    if (!strcmp(type, "record") || !strcmp(type, "error") || !strcmp(type, "enum") || !strcmp(type, "fixed")) {
        if (!a.name) return fail(p, "an Avro %s has no name", type), NULL;
        const char *name, *inner = space;
        at(p, &sub, a.name);
        if (!string_at(p, &sub, &name)) return NULL;
        if (a.space) {
            at(p, &sub, a.space);
            if (!string_at(p, &sub, &inner)) return NULL;
        }
        s = node(p, type[0] == 'e' && type[1] == 'n' ? LAKE__AVRO_ENUM : type[0] == 'f' ? LAKE__AVRO_FIXED : LAKE__AVRO_RECORD);
        if (!s || !define(p, s, name, inner)) return NULL;
        /* Names inside take the namespace of the full name. */
        const char *dot = strrchr(s->name, '.');
        if (dot && !(inner = lake__arena_strndup(p->arena, s->name, (size_t)(dot - s->name)))) return oom(p), NULL;
        if (!dot) inner = NULL;
        if (s->kind == LAKE__AVRO_RECORD) {
            if (!a.fields) return fail(p, "the Avro record %s has no fields", s->name), NULL;
            if (!parse_fields(p, s, a.fields, inner, depth)) return NULL;
        } else if (s->kind == LAKE__AVRO_ENUM) {
            if (!a.symbols) return fail(p, "the Avro enum %s has no symbols", s->name), NULL;
            if (!parse_symbols(p, s, a.symbols)) return NULL;
        } else {
            int64_t size;
            if (!a.size) return fail(p, "the Avro fixed %s has no size", s->name), NULL;
            at(p, &sub, a.size);
            if (!int_at(p, &sub, 0, INT32_MAX, &size, "size")) return NULL;
            s->size = (size_t)size;
        }
    } else if (!strcmp(type, "array") || !strcmp(type, "map")) {
        s = node(p, type[0] == 'a' ? LAKE__AVRO_ARRAY : LAKE__AVRO_MAP);
        const char *inner = type[0] == 'a' ? a.items : a.values;
        if (!s) return NULL;
        if (!inner) return fail(p, "an Avro %s has no item type", type), NULL;
        at(p, &sub, inner);
        if (!(s->items = parse(p, &sub, space, depth + 1))) return NULL;
        if (!optional_id(p, a.element_id, &s->element_id, "element-id") ||
            !optional_id(p, a.key_id, &s->key_id, "key-id") || !optional_id(p, a.value_id, &s->value_id, "value-id"))
            return NULL;
    } else {
        /* A primitive with attributes ({"type": "long", "logicalType": ...}), or a named type. */
        const lake__avro_schema *named_type = by_name(p, type, space);
        if (!named_type) return NULL;
        if (primitive(type) < 0) return named_type;
        s = (lake__avro_schema *)named_type; /* a fresh node: by_name makes one per primitive */
    }
    s->logical = logical;
    return s;
}

static const lake__avro_schema *parse(parser *p, lake__json *j, const char *space, unsigned depth) {
    if (depth > MAX_DEPTH) return fail(p, "an Avro schema nests deeper than %s", "64"), NULL;
    switch (lake__json_peek(j)) {
    case LAKE__J_STRING: {
        const char *name;
        return string_at(p, j, &name) ? by_name(p, name, space) : NULL;
    }
    case LAKE__J_OBJECT: return parse_object(p, j, space, depth);
    case LAKE__J_ARRAY: return parse_union(p, j, space, depth);
    case LAKE__J_INVALID: return syntax(p, j), NULL;
    default: return fail(p, "an Avro schema is %s", "neither a name, an object nor a union"), NULL;
    }
}

int lake__avro_schema_parse(const char *json, size_t len, lake_arena *arena, const lake__avro_schema **out,
                            lake_error *err) {
    *out = NULL;
    parser p = {json + len, arena, NULL, err, LAKE_OK};
    lake__json j;
    lake__json_init(&j, json, len);
    const lake__avro_schema *s = parse(&p, &j, NULL, 0);
    if (s && !lake__json_at_end(&j)) s = NULL, fail(&p, "an Avro schema has %s after it", "more text");
    if (!s) return p.rc ? p.rc : lake__error(err, LAKE_ESCHEMA, "an Avro schema could not be read");
    *out = s;
    return LAKE_OK;
}
