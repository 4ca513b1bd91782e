/* SPDX-License-Identifier: MIT */
#include "schema/result.h"

#include <string.h>

#include "error/error.h"
#include "schema/type_table.h"
#include "util/alloc.h"
#include "util/arena.h"

enum { MAX_NESTING = 16 };

static int build(lake_schema **out, const lake__result_column *cols, size_t count, unsigned depth, lake_error *err);

/* Lays out one column after *offset; *align grows to the record's alignment. */
static int column(lake_schema *s, lake__column *col, const lake__result_column *rc, size_t *offset, size_t *align,
                  unsigned depth, lake_error *err) {
    size_t size, al;
    lake_column *pub = &col->pub;
    if (!(pub->name = lake__arena_strndup(s->arena, rc->name, strlen(rc->name))))
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    pub->member = pub->name;
    pub->rules = "";
    pub->type = rc->type;
    col->name_len = strlen(rc->name);
    pub->json_name = pub->name; /* a result column has no alias */
    pub->json_name_len = col->name_len;
    pub->nullable = true;
    if (lake__type_is_composite(rc->type)) {
        if (depth + 1 >= MAX_NESTING)
            return lake__error(err, LAKE_ENOTSUP, "result column \"%s\": structs, lists and maps nested more than %d "
                               "deep", rc->name, MAX_NESTING);
        lake_schema *child;
        int st = build(&child, rc->children, rc->child_count, depth + 1, err);
        if (st) return st;
        pub->child = child;
        if (rc->type == LAKE_STRUCT) {
            /* A struct in a result may be NULL: a pointer to its members' record. */
            col->optional = true;
            size = al = sizeof(void *);
        } else {
            /* A list's element, a map's key and value are named by their place (schema/schema.h). */
            for (size_t i = 0; i < child->column_count; i++) child->columns[i].unnamed = true;
            if (rc->type == LAKE_MAP) child->columns[0].pub.nullable = false; /* keys are never NULL */
            size = sizeof(lake__view);
            al = _Alignof(lake__view);
        }
    } else {
        const lake__type_info *info = lake__type_info_of(rc->type);
        if (!info) return lake__error(err, LAKE_EINVAL, "result column \"%s\": unknown type %d", rc->name, (int)rc->type);
        /* NULL is a NULL pointer for strings, bytes and JSON, the valid flag for the rest. */
        col->optional = rc->type != LAKE_STRING && rc->type != LAKE_BYTES && rc->type != LAKE_JSON;
        size = col->optional ? info->opt_size : info->size;
        al = col->optional ? info->opt_align : info->align;
        pub->precision = rc->precision;
        pub->scale = rc->scale;
    }
    *offset = (*offset + al - 1) / al * al;
    pub->offset = *offset;
    col->size = size;
    col->valid_offset = col->optional && rc->type != LAKE_STRUCT ? *offset + lake__type_info_of(rc->type)->valid_offset
                                                               : (size_t)-1;
    *offset += size;
    if (al > *align) *align = al;
    return LAKE_OK;
}

static int build(lake_schema **out, const lake__result_column *cols, size_t count, unsigned depth, lake_error *err) {
    *out = NULL;
    lake_schema *s = lake__calloc(1, sizeof *s);
    if (!s || lake_arena_new(&s->arena)) {
        lake__free(s);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    s->positional = true;
    s->table = "result";
    s->column_count = count;
    int rc = LAKE_OK;
    if (count && !(s->columns = lake__arena_alloc(s->arena, count * sizeof *s->columns, _Alignof(lake__column))))
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (s->columns) memset(s->columns, 0, count * sizeof *s->columns);
    size_t offset = 0, align = 1;
    for (size_t i = 0; !rc && i < count; i++) {
        rc = column(s, &s->columns[i], &cols[i], &offset, &align, depth, err);
        s->columns[i].pub.field_id = (int32_t)i + 1;
    }
    if (rc) {
        s->column_count = s->columns ? count : 0; /* lake_schema_free frees the children built */
        lake_schema_free(s);
        return rc;
    }
    s->record_size = (offset + align - 1) / align * align;
    *out = s;
    return LAKE_OK;
}

int lake__schema_of_result(lake_schema **out, const lake__result_column *cols, size_t count, lake_error *err) {
    return build(out, cols, count, 0, err);
}
