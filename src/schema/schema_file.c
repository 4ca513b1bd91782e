/* SPDX-License-Identifier: MIT */
/* Schema files: the JSON form of a model, for the CLI and language bindings.
 * A file is turned into the same lake_field table a C model declares, with
 * offsets laid out here, and compiled by the same code (docs/schema.md). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "json/scan.h"
#include "json/write.h"
#include "schema/name.h"
#include "schema/schema.h"
#include "schema/tag.h"
#include "schema/type_table.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/escape.h"

enum { MAX_FIELDS = 4096, MAX_DEPTH = 16 };

typedef struct loader {
    lake__json j;
    lake_arena *tmp; /* models, fields and strings until compiled */
    lake_error *err;
    char where[128]; /* e.g. fields[2].fields[0] */
} loader;

__attribute__((format(printf, 2, 3))) static int fail(loader *l, const char *fmt, ...) {
    char why[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    /* Reasons quote keys, tags and types from the file: escaped, so a message is one printable line. */
    lake__buf shown = LAKE__BUF_INIT;
    if (lake__escape_controls(&shown, why, strlen(why))) {
        lake__buf_dispose(&shown);
        return lake__error(l->err, LAKE_ENOMEM, "out of memory reporting a schema file error");
    }
    int rc = lake__error(l->err, LAKE_ESCHEMA, "schema file: %s%s%s", l->where, *l->where ? ": " : "",
                         shown.data ? shown.data : "");
    lake__buf_dispose(&shown);
    return rc;
}

static int syntax(loader *l) {
    if (l->j.oom) return lake__error(l->err, LAKE_ENOMEM, "out of memory reading the schema file");
    return lake__error(l->err, LAKE_ESCHEMA, "schema file: invalid JSON at byte %zu: %s",
                       l->j.error_offset, l->j.error ? l->j.error : "unexpected value");
}

static bool key_is(const char *k, size_t n, const char *word) {
    return strlen(word) == n && memcmp(k, word, n) == 0;
}

/* Reads a JSON string into a NUL-terminated copy in the temporary arena. */
static int read_string(loader *l, const char *what, char **out) {
    if (lake__json_peek(&l->j) != LAKE__J_STRING) return fail(l, "%s must be a string", what);
    const char *s;
    size_t n;
    if (!lake__json_string(&l->j, l->tmp, &s, &n)) return syntax(l);
    if (memchr(s, '\0', n)) return fail(l, "%s contains a NUL character", what);
    if (!(*out = lake__arena_strndup(l->tmp, s, n))) return lake__error(l->err, LAKE_ENOMEM, "out of memory");
    return LAKE_OK;
}

static const char type_names[] = "bool, int8, int16, int32, int64, float32, float64, string, bytes, json, "
                                 "timestamp, date, decimal(p,s), uuid, sortable_id, struct, list<T>, map<string,T>";

static void trim(const char **s, size_t *n) {
    while (*n && (**s == ' ' || **s == '\t')) (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t')) (*n)--;
}

static bool has_prefix(const char *s, size_t n, const char *prefix) {
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

/* Where a value of f's type lives in a record: its bytes and alignment.
 * `struct_align` is the alignment of the struct model the type names. */
static void layout(const lake_field *f, size_t struct_align, size_t *size, size_t *align) {
    switch (f->type) {
    case LAKE_STRUCT:
        if (f->optional) *size = sizeof(void *), *align = _Alignof(void *);
        else *size = f->child->size, *align = struct_align;
        return;
    case LAKE_LIST: case LAKE_MAP:
        *size = sizeof(lake__view), *align = _Alignof(lake__view);
        return;
    default: {
        const lake__type_info *info = lake__type_info_of(f->type);
        *size = f->optional ? info->opt_size : info->size;
        *align = f->optional ? info->opt_align : info->align;
    }
    }
}

/* Whether a value of this type needs its lake_opt_* form or a pointer to
 * hold NULL (strings, bytes, json, lists and maps hold it as a NULL view). */
static bool needs_optional_form(lake_type t) {
    return t != LAKE_STRING && t != LAKE_BYTES && t != LAKE_JSON && t != LAKE_LIST && t != LAKE_MAP;
}

/* Parses a type ("int32", "decimal(10,2)", "list<map<string,struct?>>")
 * into f: type, precision and scale, the element descriptors of lists and
 * maps (a trailing ? makes an element nullable), and `child` for the one
 * struct the type may name. *names_struct says whether it did. */
static int parse_type(loader *l, const char *text, size_t len, lake_field *f, lake_model *child,
                      size_t child_align, bool *names_struct, unsigned depth) {
    trim(&text, &len);
    if (depth >= MAX_DEPTH) return fail(l, "type nested more than %d deep", MAX_DEPTH);
    bool list = has_prefix(text, len, "list<"), map = has_prefix(text, len, "map<");
    if (list || map) {
        if (text[len - 1] != '>') return fail(l, "type \"%.*s\": expected a closing '>'", (int)len, text);
        const char *inner = text + (list ? 5 : 4);
        size_t inner_len = len - (list ? 5 : 4) - 1;
        if (map) {
            const char *comma = memchr(inner, ',', inner_len);
            const char *key = inner;
            size_t key_len = comma ? (size_t)(comma - inner) : 0;
            trim(&key, &key_len);
            if (!comma || key_len != 6 || memcmp(key, "string", 6) != 0)
                return fail(l, "type \"%.*s\": maps are written map<string,T> (keys are strings)", (int)len, text);
            inner_len -= (size_t)(comma + 1 - inner);
            inner = comma + 1;
        }
        trim(&inner, &inner_len);
        bool nullable = inner_len && inner[inner_len - 1] == '?';
        if (nullable) inner_len--;
        if (!inner_len) return fail(l, "type \"%.*s\": the %s type is missing", (int)len, text, list ? "element" : "value");
        lake_field *e = lake__arena_alloc(l->tmp, sizeof *e, _Alignof(lake_field));
        if (!e) return lake__error(l->err, LAKE_ENOMEM, "out of memory");
        memset(e, 0, sizeof *e);
        int rc = parse_type(l, inner, inner_len, e, child, child_align, names_struct, depth + 1);
        if (rc) return rc;
        e->member = "element";
        e->optional = nullable && needs_optional_form(e->type);
        e->tag = nullable ? "element,nullable" : "element";
        e->rules = "";
        size_t align;
        layout(e, child_align, &e->size, &align);
        f->type = list ? LAKE_LIST : LAKE_MAP;
        f->element = e;
        f->element_size = e->size;
        return LAKE_OK;
    }
    if (has_prefix(text, len, "decimal(")) {
        unsigned p, s;
        int end = -1;
        char buf[32];
        if (len >= sizeof buf) return fail(l, "type \"%.*s\": write decimals as decimal(precision,scale)", (int)len, text);
        memcpy(buf, text, len);
        buf[len] = '\0';
        if (sscanf(buf, "decimal(%2u,%2u)%n", &p, &s, &end) != 2 || end < 0 || (size_t)end != len)
            return fail(l, "type \"%s\": write decimals as decimal(precision,scale)", buf);
        if (p < 1 || p > 38 || s > p) return fail(l, "type \"%s\": precision must be 1-38 and scale 0-precision", buf);
        f->type = LAKE_DECIMAL;
        f->precision = (uint8_t)p;
        f->scale = (uint8_t)s;
        return LAKE_OK;
    }
    f->type = lake__type_by_name(text, len);
    if (!f->type || f->type == LAKE_DECIMAL) return fail(l, "unknown type \"%.*s\" (%s)", (int)len, text, type_names);
    if (f->type == LAKE_STRUCT) {
        if (*names_struct) return fail(l, "a type names struct once: its members are the field's \"fields\"");
        if (!child) return fail(l, "a struct type needs \"fields\"");
        *names_struct = true;
        f->child = child;
    }
    return LAKE_OK;
}

static int read_fields(loader *l, lake_model *m, size_t *align, unsigned depth);

static int read_field(loader *l, lake_field *f, size_t *offset, size_t *align, unsigned depth) {
    char *tag = NULL, *type = NULL, *rules = NULL;
    lake_model *child = NULL;
    size_t child_align = 1;
    bool has_fields = false;
    int rc;
    if (lake__json_peek(&l->j) != LAKE__J_OBJECT) return fail(l, "each field must be an object");
    l->j.p++;
    for (bool first = true;; first = false) {
        lake__json_ws(&l->j);
        if (first && l->j.p < l->j.end && *l->j.p == '}') break;
        const char *k;
        size_t kn;
        if (lake__json_peek(&l->j) != LAKE__J_STRING) return syntax(l);
        if (!lake__json_string(&l->j, l->tmp, &k, &kn) || !lake__json_expect(&l->j, ':', "expected ':'"))
            return syntax(l);
        if (key_is(k, kn, "tag") && !tag) rc = read_string(l, "tag", &tag);
        else if (key_is(k, kn, "type") && !type) rc = read_string(l, "type", &type);
        else if (key_is(k, kn, "rules") && !rules) rc = read_string(l, "rules", &rules);
        else if (key_is(k, kn, "fields") && !has_fields) {
            has_fields = true;
            size_t where = strlen(l->where);
            if (!(child = lake__arena_alloc(l->tmp, sizeof *child, _Alignof(lake_model))))
                return lake__error(l->err, LAKE_ENOMEM, "out of memory");
            memset(child, 0, sizeof *child);
            rc = read_fields(l, child, &child_align, depth + 1);
            l->where[where] = '\0';
        } else if (key_is(k, kn, "tag") || key_is(k, kn, "type") || key_is(k, kn, "rules") || key_is(k, kn, "fields"))
            return fail(l, "duplicate key \"%.*s\"", (int)kn, k);
        else return fail(l, "unknown key \"%.*s\" (tag, type, rules, fields)", (int)kn, k);
        if (rc) return rc;
        lake__json_ws(&l->j);
        if (l->j.p < l->j.end && *l->j.p == ',') {
            l->j.p++;
            continue;
        }
        if (!lake__json_expect(&l->j, '}', "expected ',' or '}'")) return syntax(l);
        break;
    }
    if (!tag) return fail(l, "missing \"tag\"");
    if (!type) return fail(l, "missing \"type\"");
    bool names_struct = false;
    if ((rc = parse_type(l, type, strlen(type), f, child, child_align, &names_struct, 0))) return rc;
    if (has_fields && !names_struct) return fail(l, "only fields whose type names struct have \"fields\"");

    /* Nullability comes from the tag, as for strings in C; lay the value out
     * as its lake_opt_* form (or a pointer, for a struct) when it is nullable. */
    char why[300];
    lake__tag parsed;
    if (lake__tag_parse(&parsed, tag, why, sizeof why)) return fail(l, "tag \"%s\": %s", tag, why);
    char *member = lake__arena_strndup(l->tmp, parsed.name, parsed.name_len);
    if (!member) return lake__error(l->err, LAKE_ENOMEM, "out of memory");
    f->optional = parsed.nullable && needs_optional_form(f->type);
    size_t size, al;
    layout(f, child_align, &size, &al);
    *offset = (*offset + al - 1) / al * al;
    f->member = member;
    f->offset = *offset;
    f->size = size;
    f->tag = tag;
    f->rules = rules ? rules : "";
    *offset += size;
    if (al > *align) *align = al;
    (void)depth;
    return LAKE_OK;
}

static int read_fields(loader *l, lake_model *m, size_t *align, unsigned depth) {
    if (depth >= MAX_DEPTH) return fail(l, "structs nested more than %d deep", MAX_DEPTH);
    if (lake__json_peek(&l->j) != LAKE__J_ARRAY) return fail(l, "\"fields\" must be an array");
    l->j.p++;
    size_t cap = 16, n = 0, offset = 0;
    lake_field *fields = lake__arena_alloc(l->tmp, cap * sizeof *fields, _Alignof(lake_field));
    if (!fields) return lake__error(l->err, LAKE_ENOMEM, "out of memory");
    size_t base = strlen(l->where);
    lake__json_ws(&l->j);
    if (l->j.p < l->j.end && *l->j.p == ']') {
        l->j.p++;
    } else {
        for (;;) {
            if (n == MAX_FIELDS) return fail(l, "more than %d fields", MAX_FIELDS);
            if (n == cap) {
                lake_field *bigger = lake__arena_alloc(l->tmp, 2 * cap * sizeof *fields, _Alignof(lake_field));
                if (!bigger) return lake__error(l->err, LAKE_ENOMEM, "out of memory");
                memcpy(bigger, fields, n * sizeof *fields);
                fields = bigger, cap *= 2;
            }
            memset(&fields[n], 0, sizeof fields[n]);
            snprintf(l->where + base, sizeof l->where - base, "%sfields[%zu]", base ? "." : "", n);
            int rc = read_field(l, &fields[n], &offset, align, depth);
            if (rc) return rc;
            n++;
            lake__json_ws(&l->j);
            if (l->j.p < l->j.end && *l->j.p == ',') {
                l->j.p++;
                continue;
            }
            if (!lake__json_expect(&l->j, ']', "expected ',' or ']'")) return syntax(l);
            break;
        }
    }
    l->where[base] = '\0';
    m->magic = LAKE_MODEL_MAGIC;
    m->fields = fields;
    m->field_count = n;
    m->size = (offset + *align - 1) / *align * *align;
    if (m->size == 0) m->size = 1;
    return LAKE_OK;
}

/* Names nested models "table.column.column" so schema errors say where they are. */
static int name_models(loader *l, lake_model *m, const char *name) {
    m->type_name = name;
    for (size_t i = 0; i < m->field_count; i++) {
        const lake_field *f = &m->fields[i];
        while (f->element) f = f->element; /* the struct of a list<struct>, map<string,struct> ... */
        lake_model *child = (lake_model *)f->child;
        if (!child) continue;
        size_t n = strlen(name) + strlen(m->fields[i].member) + 2;
        char *child_name = lake__arena_alloc(l->tmp, n, 1);
        if (!child_name) return lake__error(l->err, LAKE_ENOMEM, "out of memory");
        snprintf(child_name, n, "%s.%s", name, m->fields[i].member);
        int rc = name_models(l, child, child_name);
        if (rc) return rc;
    }
    return LAKE_OK;
}

int lake_schema_parse(lake_schema **out, const char *json, size_t len, lake_error *err) {
    if (!out || (!json && len)) return lake__error(err, LAKE_EINVAL, "lake_schema_parse: out and json are required");
    *out = NULL;
    loader l = {.err = err};
    if (lake_arena_new(&l.tmp)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__json_init(&l.j, json ? json : "", len);
    lake_model model = {0};
    char *table = NULL;
    bool has_fields = false, has_version = false;
    size_t align = 1;
    int rc;
    if (lake__json_peek(&l.j) != LAKE__J_OBJECT) {
        rc = l.j.p == l.j.end ? fail(&l, "empty file") : fail(&l, "the file must hold one JSON object");
        goto done;
    }
    l.j.p++;
    for (bool first = true;; first = false) {
        lake__json_ws(&l.j);
        if (first && l.j.p < l.j.end && *l.j.p == '}') break;
        const char *k;
        size_t kn;
        if (lake__json_peek(&l.j) != LAKE__J_STRING || !lake__json_string(&l.j, l.tmp, &k, &kn) ||
            !lake__json_expect(&l.j, ':', "expected ':'")) {
            rc = syntax(&l);
            goto done;
        }
        if (key_is(k, kn, "table") && !table) {
            char why[300];
            /* Checked here as well as when compiled: the compiler's messages name the model by its table. */
            if (!(rc = read_string(&l, "table", &table)) &&
                lake__name_check(table, strlen(table), LAKE__NAME_TABLE, why, sizeof why))
                rc = fail(&l, "%s", why);
        } else if (key_is(k, kn, "fields") && !has_fields) {
            has_fields = true;
            rc = read_fields(&l, &model, &align, 0);
        } else if (key_is(k, kn, "version") && !has_version) {
            has_version = true;
            lake__json_num n;
            int64_t v;
            rc = lake__json_peek(&l.j) != LAKE__J_NUMBER ? fail(&l, "\"version\" must be 1")
               : !lake__json_number(&l.j, &n) ? syntax(&l)
               : !lake__json_number_int64(&n, &v) || v != 1 ? fail(&l, "unsupported version (this library reads version 1)")
               : LAKE_OK;
        } else if (key_is(k, kn, "table") || key_is(k, kn, "fields") || key_is(k, kn, "version")) {
            rc = fail(&l, "duplicate key \"%.*s\"", (int)kn, k);
        } else {
            rc = fail(&l, "unknown key \"%.*s\" (version, table, fields)", (int)kn, k);
        }
        if (rc) goto done;
        lake__json_ws(&l.j);
        if (l.j.p < l.j.end && *l.j.p == ',') {
            l.j.p++;
            continue;
        }
        if (!lake__json_expect(&l.j, '}', "expected ',' or '}'")) {
            rc = syntax(&l);
            goto done;
        }
        break;
    }
    if (!lake__json_at_end(&l.j)) {
        rc = fail(&l, "unexpected data after the schema object");
        goto done;
    }
    if (!table) {
        rc = fail(&l, "missing \"table\"");
        goto done;
    }
    if (!has_fields) {
        rc = fail(&l, "missing \"fields\"");
        goto done;
    }
    model.table = table;
    if (!(rc = name_models(&l, &model, table))) rc = lake__schema_compile(out, &model, err);
done:
    lake_arena_free(l.tmp);
    return rc;
}

int lake_schema_load(lake_schema **out, const char *path, lake_error *err) {
    if (!out || !path) return lake__error(err, LAKE_EINVAL, "lake_schema_load: out and path are required");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) return lake__error(err, LAKE_EIO, "cannot open schema file %s: %s", path, strerror(errno));
    lake__buf b = LAKE__BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) lake__buf_put(&b, chunk, n);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        lake__buf_dispose(&b);
        return lake__error(err, LAKE_EIO, "cannot read schema file %s", path);
    }
    if (b.failed) return lake__error(err, LAKE_ENOMEM, "out of memory reading %s", path);
    int rc = lake_schema_parse(out, b.data ? b.data : "", b.len, err);
    lake__buf_dispose(&b);
    if (rc && err) {
        /* Prefix the path; the message keeps as much of the reason as fits. */
        char msg[sizeof err->message];
        size_t at = (size_t)snprintf(msg, sizeof msg, "%s: ", path);
        if (at < sizeof msg) {
            memcpy(msg + at, err->message, sizeof msg - at - 1);
            msg[sizeof msg - 1] = '\0';
            memcpy(err->message, msg, sizeof msg);
        }
    }
    return rc;
}

static const char *partition_text(const lake_column *c, char *buf, size_t n) {
    static const char *names[] = {"", "identity", "year", "month", "day", "hour", "bucket", "truncate"};
    if (c->partition == LAKE_PARTITION_BUCKET || c->partition == LAKE_PARTITION_TRUNCATE)
        snprintf(buf, n, "%s[%d]", names[c->partition], (int)c->partition_param);
    else snprintf(buf, n, "%s", names[c->partition]);
    return buf;
}

/* A column's type as schema files write it; *fields is the schema of the
 * struct it names, if any (the members of list<struct>, ...). */
static void write_type(lake__buf *b, const lake_column *c, const lake_schema **fields) {
    switch (c->type) {
    case LAKE_DECIMAL: lake__buf_printf(b, "decimal(%u,%u)", c->precision, c->scale); return;
    case LAKE_STRUCT: *fields = c->child; lake__buf_puts(b, "struct"); return;
    case LAKE_LIST: case LAKE_MAP: {
        const lake_column *e = lake_schema_column(c->child, c->type == LAKE_MAP);
        lake__buf_puts(b, c->type == LAKE_MAP ? "map<string," : "list<");
        write_type(b, e, fields);
        lake__buf_puts(b, e->nullable ? "?>" : ">");
        return;
    }
    default: lake__buf_puts(b, lake_type_name(c->type)); return;
    }
}

static void write_fields(lake__buf *b, const lake_schema *s) {
    lake__buf_puts(b, "[");
    for (size_t i = 0; i < s->column_count; i++) {
        const lake_column *c = &s->columns[i].pub;
        lake__buf tag = LAKE__BUF_INIT;
        char part[32];
        lake__buf_puts(&tag, c->name);
        if (c->primary_key) lake__buf_puts(&tag, ",pk");
        if (c->merge_key) lake__buf_puts(&tag, ",mergeKey");
        if (c->nullable) lake__buf_puts(&tag, ",nullable");
        if (c->partition) lake__buf_printf(&tag, ",partition=%s", partition_text(c, part, sizeof part));
        if (c->auto_ingest_id) lake__buf_puts(&tag, ",auto=ingestID");
        if (strcmp(c->json_name, c->name) != 0) lake__buf_printf(&tag, ",json=%s", c->json_name);
        lake__buf_puts(b, i ? ",\n    {\"tag\": " : "\n    {\"tag\": ");
        lake__json_write_string(b, tag.data ? tag.data : "", tag.len);
        lake__buf_dispose(&tag);
        const lake_schema *fields = NULL;
        lake__buf type = LAKE__BUF_INIT;
        write_type(&type, c, &fields);
        lake__buf_puts(b, ", \"type\": ");
        lake__json_write_string(b, type.data ? type.data : "", type.len);
        lake__buf_dispose(&type);
        if (*c->rules) {
            lake__buf_puts(b, ", \"rules\": ");
            lake__json_write_string(b, c->rules, strlen(c->rules));
        }
        if (fields) {
            lake__buf_puts(b, ", \"fields\": ");
            write_fields(b, fields);
        }
        lake__buf_puts(b, "}");
    }
    lake__buf_puts(b, "]");
}

int lake_schema_to_json(const lake_schema *s, char **out, size_t *out_len) {
    if (!s || !out) return LAKE_EINVAL;
    lake__buf b = LAKE__BUF_INIT;
    lake__buf_puts(&b, "{\"version\": 1, \"table\": ");
    lake__json_write_string(&b, s->table, strlen(s->table));
    lake__buf_puts(&b, ", \"fields\": ");
    write_fields(&b, s);
    lake__buf_puts(&b, "}\n");
    *out = lake__buf_detach(&b, out_len);
    return *out ? LAKE_OK : LAKE_ENOMEM;
}
