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

enum { MAX_NESTING = 16 };

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
    case LAKE_PARTITION_IDENTITY: return t != LAKE_STRUCT && t != LAKE_FLOAT32 && t != LAKE_FLOAT64;
    case LAKE_PARTITION_YEAR: case LAKE_PARTITION_MONTH: case LAKE_PARTITION_DAY:
        return t == LAKE_TIMESTAMP || t == LAKE_DATE;
    case LAKE_PARTITION_HOUR: return t == LAKE_TIMESTAMP;
    case LAKE_PARTITION_BUCKET:
        return t != LAKE_STRUCT && t != LAKE_BOOL && t != LAKE_FLOAT32 && t != LAKE_FLOAT64;
    case LAKE_PARTITION_TRUNCATE:
        return t == LAKE_INT8 || t == LAKE_INT16 || t == LAKE_INT32 || t == LAKE_INT64 ||
               t == LAKE_STRING || t == LAKE_BYTES || t == LAKE_DECIMAL;
    }
    return false;
}

static int compile_model(lake_schema **out, const lake_model *model, unsigned depth, lake_error *err);

static int compile_column(compile_ctx *c, lake_schema *s, lake__column *col, unsigned depth) {
    const lake_field *f = c->field;
    lake_type t = f->type;
    const lake__type_info *info = lake__type_info_of(t);
    if (!info && t != LAKE_STRUCT) return fail(c, "unknown column type %d", (int)t);
    if (f->optional && (t == LAKE_STRING || t == LAKE_BYTES || t == LAKE_STRUCT))
        return fail(c, "a %s member has no optional form", lake_type_name(t));

    size_t want = t == LAKE_STRUCT ? (f->child ? f->child->size : 0)
                                   : f->optional ? info->opt_size : info->size;
    if (t == LAKE_STRUCT && !f->child) return fail(c, "a struct field needs its child model");
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
        !(pub->rules = lake__arena_strndup(s->arena, f->rules ? f->rules : "",
                                           f->rules ? strlen(f->rules) : 0)))
        return lake__error(c->err, LAKE_ENOMEM, "out of memory compiling model %s", c->model->type_name);
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
    col->valid_offset = f->optional ? f->offset + info->valid_offset : (size_t)-1;

    if (tag.nullable && !f->optional && t != LAKE_STRING && t != LAKE_BYTES) {
        if (t == LAKE_STRUCT) return fail(c, "a struct column cannot be nullable");
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
    if ((tag.primary_key || tag.merge_key || tag.partition) && t == LAKE_STRUCT)
        return fail(c, "a struct column cannot be a key or a partition");
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

    lake__rule_target target = {pub->name, t, pub->nullable, pub->scale};
    int rc = lake__rules_compile(&col->rules, f->rules, &target, s->arena, why, sizeof why);
    if (rc == LAKE_ENOMEM) return lake__error(c->err, rc, "out of memory compiling rules");
    if (rc) return fail(c, "%s", why);

    if (t == LAKE_STRUCT) {
        if (depth + 1 >= MAX_NESTING) return fail(c, "structs nested more than %d deep", MAX_NESTING);
        lake_schema *child;
        rc = compile_model(&child, f->child, depth + 1, c->err);
        if (rc) return rc;
        pub->child = child;
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
            if (c.field->offset < g->offset + g->size && g->offset < c.field->offset + c.field->size) {
                rc = fail(&c, "overlaps field %s in the struct", g->member);
                goto fail;
            }
        }
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
