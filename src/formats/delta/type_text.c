/* SPDX-License-Identifier: MIT */
/* Delta types as Spark SQL prints them ("bigint", "struct<a:int>",
 * "array<string>"): the spelling assert_schema compares a table's columns
 * and a model's in, as it does for Delta tables on Spark. */
#include <string.h>

#include "error/error.h"
#include "formats/delta/delta.h"
#include "json/scan.h"

enum { MAX_DEPTH = 64 };

static const struct {
    const char *delta, *sql;
} renamed[] = {
    {"long", "bigint"}, {"integer", "int"}, {"short", "smallint"}, {"byte", "tinyint"},
};

static bool same(const char *s, size_t len, const char *lit) { return len == strlen(lit) && !memcmp(s, lit, len); }

static int type_text(lake__json *j, lake__buf *out, unsigned depth);

/* Calls member(j, name, len, ctx) for each member of an object; false on a syntax error. */
static bool each_member(lake__json *j, bool (*member)(lake__json *, const char *, size_t, void *), void *ctx) {
    if (!lake__json_expect(j, '{', "an object")) return false;
    lake__json_ws(j);
    if (j->p < j->end && *j->p == '}') return j->p++, true;
    for (;;) {
        const char *name;
        size_t len;
        lake__json_ws(j);
        if (!lake__json_string(j, NULL, &name, &len) || !lake__json_expect(j, ':', "':'") || !member(j, name, len, ctx))
            return false;
        lake__json_ws(j);
        if (j->p < j->end && *j->p == '}') return j->p++, true;
        if (!lake__json_expect(j, ',', "','")) return false;
    }
}

typedef struct field {
    const char *name;
    size_t name_len;
    lake__buf type;
    unsigned depth;
    int rc;
} field;

static bool field_member(lake__json *j, const char *name, size_t len, void *ctx) {
    field *f = ctx;
    if (same(name, len, "name")) return lake__json_string(j, NULL, &f->name, &f->name_len);
    if (same(name, len, "type")) return (f->rc = type_text(j, &f->type, f->depth)) == 0;
    return lake__json_skip(j, MAX_DEPTH);
}

typedef struct complex {
    char kind[16];
    lake__buf element, key, value, fields;
    unsigned depth;
    int rc;
} complex;

static bool fields_array(lake__json *j, complex *c) {
    if (!lake__json_expect(j, '[', "a field array")) return false;
    for (bool first = true;; first = false) {
        lake__json_ws(j);
        if (j->p < j->end && *j->p == ']') return j->p++, true;
        if (!first && !lake__json_expect(j, ',', "','")) return false;
        field f = {NULL, 0, LAKE__BUF_INIT, c->depth, 0};
        bool ok = each_member(j, field_member, &f) && f.name && f.type.len;
        if (ok) {
            if (!first) lake__buf_putc(&c->fields, ',');
            lake__buf_put(&c->fields, f.name, f.name_len);
            lake__buf_putc(&c->fields, ':');
            lake__buf_put(&c->fields, f.type.data, f.type.len);
        }
        if (f.rc) c->rc = f.rc;
        lake__buf_dispose(&f.type);
        if (!ok) return false;
    }
}

static bool complex_member(lake__json *j, const char *name, size_t len, void *ctx) {
    complex *c = ctx;
    if (same(name, len, "type")) {
        const char *kind;
        size_t kind_len;
        if (!lake__json_string(j, NULL, &kind, &kind_len) || kind_len >= sizeof c->kind) return false;
        memcpy(c->kind, kind, kind_len);
        c->kind[kind_len] = 0;
        return true;
    }
    lake__buf *into = same(name, len, "elementType") ? &c->element
                    : same(name, len, "keyType")     ? &c->key
                    : same(name, len, "valueType")   ? &c->value
                                                     : NULL;
    if (into) return (c->rc = type_text(j, into, c->depth)) == 0;
    if (same(name, len, "fields")) return fields_array(j, c);
    return lake__json_skip(j, MAX_DEPTH);
}

static int type_text(lake__json *j, lake__buf *out, unsigned depth) {
    if (depth > MAX_DEPTH) return -1;
    if (lake__json_peek(j) == LAKE__J_STRING) {
        const char *s;
        size_t len;
        if (!lake__json_string(j, NULL, &s, &len)) return -1;
        for (size_t i = 0; i < sizeof renamed / sizeof *renamed; i++)
            if (same(s, len, renamed[i].delta)) return lake__buf_puts(out, renamed[i].sql);
        return lake__buf_put(out, s, len);
    }
    complex c = {"", LAKE__BUF_INIT, LAKE__BUF_INIT, LAKE__BUF_INIT, LAKE__BUF_INIT, depth + 1, 0};
    int rc = each_member(j, complex_member, &c) ? c.rc : -1;
    if (!rc && !strcmp(c.kind, "struct"))
        rc = lake__buf_printf(out, "struct<%.*s>", (int)c.fields.len, c.fields.data ? c.fields.data : "");
    else if (!rc && !strcmp(c.kind, "array") && c.element.len)
        rc = lake__buf_printf(out, "array<%.*s>", (int)c.element.len, c.element.data);
    else if (!rc && !strcmp(c.kind, "map") && c.key.len && c.value.len)
        rc = lake__buf_printf(out, "map<%.*s,%.*s>", (int)c.key.len, c.key.data, (int)c.value.len, c.value.data);
    else if (!rc)
        rc = -1;
    lake__buf_dispose(&c.element);
    lake__buf_dispose(&c.key);
    lake__buf_dispose(&c.value);
    lake__buf_dispose(&c.fields);
    return rc;
}

int lake__delta_type_text(lake__buf *out, const char *type_json, lake_error *err) {
    lake__json j;
    lake__json_init(&j, type_json, strlen(type_json));
    size_t mark = out->len;
    int rc = type_text(&j, out, 0);
    if (!rc && !lake__json_at_end(&j)) rc = -1;
    if (rc) {
        out->len = mark;
        return out->failed ? lake__error(err, LAKE_ENOMEM, "out of memory")
                           : lake__error(err, LAKE_EIO, "a Delta type lakeorm cannot read: %.200s", type_json);
    }
    return LAKE_OK;
}
