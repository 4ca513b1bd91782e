/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "error/error.h"
#include "schema/name.h"
#include "schema/schema.h"
#include "schema/tag.h"
#include "schema/type_table.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/escape.h"

typedef struct compile_ctx {
    const lake_model *model;
    const lake_field *field;
    lake_error *err;
} compile_ctx;

__attribute__((format(printf, 2, 3))) static int fail(const compile_ctx *c, const char *fmt, ...) {
    char why[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    /* Reasons quote tags and rules as written: escaped, so a message is one printable line. */
    lake__buf shown = LAKE__BUF_INIT;
    if (lake__escape_controls(&shown, why, strlen(why))) {
        lake__buf_dispose(&shown);
        return lake__error(c->err, LAKE_ENOMEM, "out of memory reporting a schema error");
    }
    int rc = c->field ? lake__error(c->err, LAKE_ESCHEMA, "model %s, field %s: %s", c->model->type_name,
                                    c->field->member ? c->field->member : "?", shown.data ? shown.data : "")
                      : lake__error(c->err, LAKE_ESCHEMA, "model %s: %s", c->model->type_name ? c->model->type_name : "?",
                                    shown.data ? shown.data : "");
    lake__buf_dispose(&shown);
    return rc;
}

static bool partition_fits(lake_partition_transform p, lake_type t) {
    switch (p) {
    case LAKE_PARTITION_NONE: return true;
    case LAKE_PARTITION_IDENTITY: return !lake__type_is_composite(t) && t != LAKE_FLOAT32 && t != LAKE_FLOAT64;
    case LAKE_PARTITION_YEAR: case LAKE_PARTITION_MONTH: case LAKE_PARTITION_DAY:
        return t == LAKE_TIMESTAMP || t == LAKE_DATE;
    case LAKE_PARTITION_HOUR: return t == LAKE_TIMESTAMP;
    case LAKE_PARTITION_BUCKET:
        return !lake__type_is_composite(t) && t != LAKE_BOOL && t != LAKE_FLOAT32 && t != LAKE_FLOAT64;
    case LAKE_PARTITION_TRUNCATE:
        return t == LAKE_INT8 || t == LAKE_INT16 || t == LAKE_INT32 || t == LAKE_INT64 ||
               t == LAKE_STRING || t == LAKE_BYTES || t == LAKE_DECIMAL;
    }
    return false;
}

static int compile_model(lake_schema **out, const lake_model *model, unsigned depth, lake_error *err);

/* The bytes a member of type t takes in its record (0 when unknown). */
static size_t member_size(const lake_field *f) {
    switch (f->type) {
    case LAKE_STRUCT: return f->optional ? sizeof(void *) : f->child ? f->child->size : 0;
    case LAKE_LIST: case LAKE_MAP: return sizeof(lake__view);
    default: {
        const lake__type_info *info = lake__type_info_of(f->type);
        return !info ? 0 : f->optional ? info->opt_size : info->size;
    }
    }
}

/* Splits a collection's rules at "dive": the collection's own before it,
 * its elements' after. For a map, "keys,...,endkeys" right after dive are
 * the keys' rules. Parameters spell commas as 0x2C, so every comma separates
 * rules. Each part is a NUL-terminated copy in `a`. */
typedef struct dive_split {
    char *own, *keys, *elements;
    bool dives;
} dive_split;

enum { MAX_RULE_TOKENS = 256 };

static bool token_is(const char *p, size_t n, const char *word) {
    while (n && (*p == ' ' || *p == '\t')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) n--;
    return strlen(word) == n && memcmp(p, word, n) == 0;
}

/* Tokens [from, to) of text as one string. */
static char *tokens(lake_arena *a, const char *text, const size_t *start, const size_t *end, size_t from, size_t to) {
    if (from >= to) return lake__arena_strndup(a, "", 0);
    return lake__arena_strndup(a, text + start[from], end[to - 1] - start[from]);
}

static int split_dive(const compile_ctx *c, const char *rules, bool is_map, lake_arena *a, dive_split *out) {
    const char *text = rules ? rules : "";
    size_t start[MAX_RULE_TOKENS], end[MAX_RULE_TOKENS], n = 0;
    for (size_t i = 0;;) {
        if (n == MAX_RULE_TOKENS) return fail(c, "rules \"%s\": more than %d rules", text, MAX_RULE_TOKENS);
        const char *comma = strchr(text + i, ',');
        start[n] = i;
        end[n] = comma ? (size_t)(comma - text) : strlen(text);
        n++;
        if (!comma) break;
        i = end[n - 1] + 1;
    }
    size_t dive = n, keys = n, endkeys = n;
    for (size_t i = 0; i < n && dive == n; i++) {
        const char *tok = text + start[i];
        size_t len = end[i] - start[i];
        if (token_is(tok, len, "dive")) dive = i;
        else if (token_is(tok, len, "keys") || token_is(tok, len, "endkeys"))
            return fail(c, "rules \"%s\": key rules are written dive,keys,...,endkeys", text);
    }
    /* What follows dive is the elements' (checked when they compile), but for a map's key block. */
    if (dive + 1 < n && token_is(text + start[dive + 1], end[dive + 1] - start[dive + 1], "keys")) {
        if (!is_map) return fail(c, "rules \"%s\": keys...endkeys apply to maps only", text);
        keys = dive + 1;
        for (size_t i = keys + 1; i < n && endkeys == n; i++)
            if (token_is(text + start[i], end[i] - start[i], "endkeys")) endkeys = i;
        if (endkeys == n) return fail(c, "rules \"%s\": keys without endkeys", text);
    }
    out->dives = dive != n;
    if (dive == n) {
        out->own = tokens(a, text, start, end, 0, n);
        out->keys = out->elements = tokens(a, text, start, end, 0, 0);
    } else {
        out->own = tokens(a, text, start, end, 0, dive);
        out->keys = keys == n ? tokens(a, text, start, end, 0, 0) : tokens(a, text, start, end, keys + 1, endkeys);
        out->elements = tokens(a, text, start, end, keys == n ? dive + 1 : endkeys + 1, n);
    }
    if (!out->own || !out->keys || !out->elements)
        return lake__error(c->err, LAKE_ENOMEM, "out of memory compiling rules");
    return LAKE_OK;
}

/* A list's elements or a map's entries as a schema of their own: "element",
 * or "key" and "value", laid out in one element's (entry's) record. */
static int compile_elements(compile_ctx *c, lake_schema *s, lake__column *col, const dive_split *rules,
                            unsigned depth) {
    const lake_field *f = c->field, *e = f->element;
    if (!e) return fail(c, "a %s field needs its element descriptor", lake_type_name(f->type));
    if (e->rules && *e->rules)
        return fail(c, "element rules go after dive in the %s's rules (\"dive,%s\")", lake_type_name(f->type), e->rules);
    char why[300];
    lake__tag etag;
    if (lake__tag_parse(&etag, e->tag, why, sizeof why)) return fail(c, "element tag \"%s\": %s", e->tag, why);
    if (etag.primary_key || etag.merge_key || etag.partition || etag.auto_ingest_id || etag.json_name)
        return fail(c, "an element takes no modifier but nullable");
    bool is_map = f->type == LAKE_MAP;
    size_t esize = member_size(e);
    if (!esize) return fail(c, "element of unknown type %d", (int)e->type);
    if (e->size != esize || (f->element_size && f->element_size != esize))
        return fail(c, "the view's %s are %zu bytes but its descriptor describes a %s%s of %zu: the "
                       "descriptor does not match the view", is_map ? "values" : "elements",
                    f->element_size ? f->element_size : e->size, e->optional ? "nullable " : "",
                    lake_type_name(e->type), esize);
    lake_field fields[2];
    fields[0] = (lake_field){"key", LAKE_STRING, 0, 0, sizeof(lake_str), "key", rules->keys, 0, 0, NULL, NULL, 0};
    lake_field *v = &fields[is_map];
    *v = *e;
    v->member = is_map ? "value" : "element";
    v->tag = etag.nullable ? (is_map ? "value,nullable" : "element,nullable") : (is_map ? "value" : "element");
    v->rules = rules->elements;
    v->offset = is_map ? sizeof(lake_str) : 0;
    char name[160];
    snprintf(name, sizeof name, "%s.%s", c->model->type_name ? c->model->type_name : "?", f->member ? f->member : "?");
    struct lake_model_cache unused = {NULL};
    lake_model m = {LAKE_MODEL_MAGIC, name, "", is_map ? (sizeof(lake_str) + esize + 7) / 8 * 8 : esize,
                    fields, is_map ? 2 : 1, &unused};
    if (depth + 1 >= LAKE__SCHEMA_NESTING_MAX)
        return fail(c, "collections nested more than %d deep", LAKE__SCHEMA_NESTING_MAX);
    lake_schema *child;
    int rc = compile_model(&child, &m, depth + 1, c->err);
    if (rc) return rc;
    for (size_t i = 0; i < child->column_count; i++) child->columns[i].unnamed = true;
    col->pub.child = child;
    (void)s;
    return LAKE_OK;
}

static int compile_column(compile_ctx *c, lake_schema *s, lake__column *col, unsigned depth) {
    const lake_field *f = c->field;
    lake_type t = f->type;
    const lake__type_info *info = lake__type_info_of(t);
    if (!info && !lake__type_is_composite(t)) return fail(c, "unknown column type %d", (int)t);
    if (f->optional && (t == LAKE_STRING || t == LAKE_BYTES || t == LAKE_JSON || t == LAKE_LIST || t == LAKE_MAP))
        return fail(c, "a %s member has no optional form", lake_type_name(t));
    if (t == LAKE_STRUCT && !f->child) return fail(c, "a struct field needs its child model");
    if ((t == LAKE_LIST || t == LAKE_MAP) && !f->element)
        return fail(c, "a %s field needs its element descriptor", lake_type_name(t));

    size_t want = member_size(f);
    if (f->size != want)
        return fail(c, "member is %zu bytes but a %s%s value is %zu: the field table does not "
                       "match the struct", f->size, f->optional ? "nullable " : "", lake_type_name(t), want);
    if (f->offset > c->model->size || f->size > c->model->size - f->offset)
        return fail(c, "member lies outside the struct (offset %zu, size %zu, struct %zu bytes)",
                    f->offset, f->size, c->model->size);

    char why[300];
    lake__tag tag;
    if (lake__tag_parse(&tag, f->tag, why, sizeof why)) return fail(c, "tag \"%s\": %s", f->tag ? f->tag : "", why);

    lake_column *pub = &col->pub;
    if (!(pub->name = lake__arena_strndup(s->arena, tag.name, tag.name_len)) ||
        !(pub->member = lake__arena_strndup(s->arena, f->member ? f->member : pub->name,
                                            strlen(f->member ? f->member : pub->name))) ||
        !(pub->json_name = tag.json_name ? lake__arena_strndup(s->arena, tag.json_name, tag.json_name_len)
                                         : pub->name))
        return lake__error(c->err, LAKE_ENOMEM, "out of memory compiling model %s", c->model->type_name);
    pub->json_name_len = tag.json_name ? tag.json_name_len : tag.name_len;
    col->name_len = tag.name_len;
    pub->type = t;
    pub->offset = f->offset;
    pub->primary_key = tag.primary_key;
    pub->merge_key = tag.merge_key;
    pub->auto_ingest_id = tag.auto_ingest_id;
    pub->partition = tag.partition;
    pub->partition_param = tag.partition_param;
    col->size = f->size;
    col->optional = f->optional;
    col->valid_offset = f->optional && info ? f->offset + info->valid_offset : (size_t)-1;

    bool holds_null = f->optional || t == LAKE_STRING || t == LAKE_BYTES || t == LAKE_JSON || t == LAKE_LIST ||
                      t == LAKE_MAP;
    if (tag.nullable && !holds_null) {
        if (t == LAKE_STRUCT)
            return fail(c, "a nullable struct is a pointer member: declare it with LAKE_STRUCT_PTR (T *member)");
        return fail(c, "nullable, but the member is a plain %s that cannot hold NULL: declare it "
                       "as its lake_opt_* type", lake_type_name(t));
    }
    pub->nullable = f->optional || tag.nullable;
    if (strcasecmp(pub->name, "_ingest_id") == 0) {
        /* The system column, named by a read-side projection model only. */
        if (depth > 0 || tag.primary_key || tag.merge_key || tag.auto_ingest_id || tag.partition ||
            (t != LAKE_STRING && t != LAKE_UUID))
            return fail(c, "\"_ingest_id\" is the system column lakeorm adds to every table: a read model may "
                           "name it as a plain top-level string or uuid field; to store the id in a column of "
                           "your own, use auto=ingestID");
        s->reads_ingest_id = true;
    }
    if (tag.auto_ingest_id && depth > 0) return fail(c, "auto=ingestID belongs on a top-level field");
    if ((tag.primary_key || tag.merge_key) && pub->nullable)
        return fail(c, "a %s column cannot be nullable", tag.primary_key ? "primary-key" : "merge-key");
    if ((tag.primary_key || tag.merge_key || tag.partition) && (lake__type_is_composite(t) || t == LAKE_JSON))
        return fail(c, "a %s column cannot be a key or a partition", lake_type_name(t));
    if (!partition_fits(tag.partition, t))
        return fail(c, "this partition transform does not apply to a %s column", lake_type_name(t));
    if (tag.auto_ingest_id && t != LAKE_STRING)
        return fail(c, "auto=ingestID needs a string (lake_str) field; this one is %s", lake_type_name(t));
    if (t == LAKE_DECIMAL) {
        if (f->precision < 1 || f->precision > 38 || f->scale > f->precision)
            return fail(c, "DECIMAL(%u,%u): precision must be 1-38 and scale 0-precision",
                        f->precision, f->scale);
        pub->precision = f->precision;
        pub->scale = f->scale;
    }

    dive_split rules = {0}; /* split_dive fills it on success; -O3 cannot see that */
    int rc = split_dive(c, f->rules, t == LAKE_MAP, s->arena, &rules);
    if (rc) return rc;
    if (rules.dives && t != LAKE_LIST && t != LAKE_MAP)
        return fail(c, "dive applies to lists and maps; this column is %s", lake_type_name(t));
    if (!(pub->rules = lake__arena_strndup(s->arena, f->rules ? f->rules : "", f->rules ? strlen(f->rules) : 0)))
        return lake__error(c->err, LAKE_ENOMEM, "out of memory compiling model %s", c->model->type_name);

    lake__rule_target target = {pub->name, t, pub->nullable, pub->scale};
    rc = lake__rules_compile(&col->rules, rules.own, &target, s->arena, why, sizeof why);
    if (rc == LAKE_ENOMEM) return lake__error(c->err, rc, "out of memory compiling rules");
    if (rc) return fail(c, "%s", why);

    if (t == LAKE_STRUCT) {
        if (depth + 1 >= LAKE__SCHEMA_NESTING_MAX)
            return fail(c, "structs nested more than %d deep", LAKE__SCHEMA_NESTING_MAX);
        lake_schema *child;
        rc = compile_model(&child, f->child, depth + 1, c->err);
        if (rc) return rc;
        pub->child = child;
    } else if (t == LAKE_LIST || t == LAKE_MAP) {
        return compile_elements(c, s, col, &rules, depth);
    }
    return LAKE_OK;
}

static void assign_field_ids(lake_schema *s, int32_t *next) {
    for (size_t i = 0; i < s->column_count; i++) s->columns[i].pub.field_id = (*next)++;
    for (size_t i = 0; i < s->column_count; i++)
        if (s->columns[i].pub.child) assign_field_ids((lake_schema *)s->columns[i].pub.child, next);
}

static int compile_model(lake_schema **out, const lake_model *model, unsigned depth, lake_error *err) {
    compile_ctx c = {model, NULL, err};
    *out = NULL;
    if (!model || model->magic != LAKE_MODEL_MAGIC)
        return lake__error(err, LAKE_EINVAL, "not a lake_model (build it with LAKE_MODEL)");
    if (!model->fields || model->field_count == 0) return fail(&c, "a model needs at least one field");
    if (depth == 0) {
        char why[300];
        const char *table = model->table ? model->table : "";
        if (lake__name_check(table, strlen(table), LAKE__NAME_TABLE, why, sizeof why)) return fail(&c, "%s", why);
    }

    lake_schema *s = lake__calloc(1, sizeof *s);
    if (!s || lake_arena_new(&s->arena)) {
        lake__free(s);
        return lake__error(err, LAKE_ENOMEM, "out of memory compiling model %s", model->type_name);
    }
    int rc = LAKE_ENOMEM;
    s->record_size = model->size;
    s->column_count = model->field_count;
    s->columns = lake__arena_alloc(s->arena, model->field_count * sizeof *s->columns, _Alignof(lake__column));
    if (s->columns) memset(s->columns, 0, model->field_count * sizeof *s->columns);
    s->table = lake__arena_strndup(s->arena, model->table ? model->table : "",
                                   model->table ? strlen(model->table) : 0);
    if (!s->columns || !s->table) {
        lake__error(err, rc, "out of memory compiling model %s", model->type_name);
        goto fail;
    }
    for (size_t i = 0; i < model->field_count; i++) {
        c.field = &model->fields[i];
        if ((rc = compile_column(&c, s, &s->columns[i], depth))) goto fail;
        for (size_t j = 0; j < i; j++) {
            const lake_field *g = &model->fields[j];
            if (strcasecmp(s->columns[j].pub.name, s->columns[i].pub.name) == 0) {
                rc = fail(&c, "duplicate column \"%s\": already declared by field %s (engines compare "
                              "column names without case)", s->columns[i].pub.name, g->member);
                goto fail;
            }
            if (strcmp(s->columns[j].pub.json_name, s->columns[i].pub.json_name) == 0) {
                rc = fail(&c, "JSON key \"%s\" is already field %s's", s->columns[i].pub.json_name, g->member);
                goto fail;
            }
            if (c.field->offset < g->offset + g->size && g->offset < c.field->offset + c.field->size) {
                rc = fail(&c, "overlaps field %s in the struct", g->member);
                goto fail;
            }
        }
    }
    /* Cross-field rules name sibling columns: bound once all of them compiled. */
    char why[300];
    c.field = NULL;
    if ((rc = lake__rules_resolve(s, why, sizeof why))) {
        rc = rc == LAKE_ENOMEM ? lake__error(err, rc, "%s", why) : fail(&c, "%s", why);
        goto fail;
    }
    if (depth == 0) {
        int32_t next = 1;
        assign_field_ids(s, &next);
    }
    *out = s;
    return LAKE_OK;
fail:
    lake_schema_free(s);
    return rc;
}

int lake__schema_compile(lake_schema **out, const lake_model *model, lake_error *err) {
    return compile_model(out, model, 0, err);
}

int lake_schema_of(const lake_schema **out, const lake_model *model, lake_error *err) {
    if (!out) return lake__error(err, LAKE_EINVAL, "lake_schema_of: out is NULL");
    if (!model || model->magic != LAKE_MODEL_MAGIC || !model->cache)
        return lake__error(err, LAKE_EINVAL, "not a lake_model (build it with LAKE_MODEL)");
    lake_schema *s = __atomic_load_n((lake_schema **)&model->cache->schema, __ATOMIC_ACQUIRE);
    if (!s) {
        int rc = lake__schema_compile(&s, model, err);
        if (rc) return rc;
        void *expected = NULL;
        /* Another thread may have compiled it first: keep theirs. */
        if (!__atomic_compare_exchange_n(&model->cache->schema, &expected, s, false,
                                         __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            lake_schema_free(s);
            s = expected;
        }
    }
    *out = s;
    return LAKE_OK;
}

int lake_schema_set_table(lake_schema *s, const char *table, lake_error *err) {
    if (!s || !table) return lake__error(err, LAKE_EINVAL, "lake_schema_set_table: schema and table are required");
    char why[300];
    if (lake__name_check(table, strlen(table), LAKE__NAME_TABLE, why, sizeof why))
        return lake__error(err, LAKE_ESCHEMA, "%s", why);
    char *copy = lake__arena_strndup(s->arena, table, strlen(table));
    if (!copy) return lake__error(err, LAKE_ENOMEM, "out of memory");
    s->table = copy;
    return LAKE_OK;
}

int lake__schema_check_writable(const lake_schema *s, lake_error *err) {
    if (!s->reads_ingest_id) return LAKE_OK;
    return lake__error(err, LAKE_EINVAL, "model %s names the system column _ingest_id, so it can only read tables: it "
                                         "cannot define or write one (to store the ingest id in a column of your own, "
                                         "use auto=ingestID)", s->table);
}

void lake_schema_free(lake_schema *s) {
    if (!s) return;
    if (s->columns)
        for (size_t i = 0; i < s->column_count; i++)
            lake_schema_free((lake_schema *)s->columns[i].pub.child);
    lake_arena_free(s->arena);
    lake__free(s);
}

const char *lake_schema_table(const lake_schema *s) { return s->table; }
size_t lake_schema_record_size(const lake_schema *s) { return s->record_size; }
size_t lake_schema_column_count(const lake_schema *s) { return s->column_count; }

const lake_column *lake_schema_column(const lake_schema *s, size_t i) {
    return i < s->column_count ? &s->columns[i].pub : NULL;
}

const lake_column *lake_schema_find(const lake_schema *s, const char *name) {
    for (size_t i = 0; i < s->column_count; i++)
        if (strcmp(s->columns[i].pub.name, name) == 0) return &s->columns[i].pub;
    return NULL;
}

int32_t lake__schema_max_field_id(const lake_schema *s) {
    int32_t m = 0;
    for (size_t i = 0; i < s->column_count; i++) {
        const lake_column *c = &s->columns[i].pub;
        if (c->field_id > m) m = c->field_id;
        if (c->child) {
            int32_t inner = lake__schema_max_field_id(c->child);
            if (inner > m) m = inner;
        }
    }
    return m;
}
