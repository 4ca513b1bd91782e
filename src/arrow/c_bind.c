/* SPDX-License-Identifier: MIT */
/* Binding an Arrow C Data type and array to a schema (arrow/c_bind.h). */
#include "arrow/c_bind.h"

#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "util/alloc.h"
#include "util/arena.h"

enum { WHERE_MAX = 200 };

typedef struct binder {
    lake_arena *arena;
    lake_error *err;
} binder;

static int malformed(binder *b, const char *where, const char *what) {
    return lake__error(b->err, LAKE_EINVAL, "malformed Arrow array at \"%s\": %s", where, what);
}

/* "decimal(18,2)", "list", "int8" ... */
static const char *type_text(const lake_column *c, char *buf, size_t cap) {
    if (c->type != LAKE_DECIMAL) return lake_type_name(c->type);
    snprintf(buf, cap, "decimal(%u,%u)", (unsigned)c->precision, (unsigned)c->scale);
    return buf;
}

static int mismatch(binder *b, const char *where, const lake_column *c, const char *format, const char *why) {
    char t[32];
    return lake__error(b->err, LAKE_ESCHEMA, "column \"%s\" is %s but its Arrow field has format \"%.40s\"%s", where,
                       type_text(c, t, sizeof t), format, why);
}

static lake__field *fields(binder *b, size_t n) {
    lake__field *f = lake__arena_alloc(b->arena, (n ? n : 1) * sizeof *f, _Alignof(lake__field));
    if (f) memset(f, 0, (n ? n : 1) * sizeof *f);
    return f;
}

/* The array's shape against its layout: buffer and child counts, the
 * buffers a non-empty array reads through. */
static int check_array(binder *b, const char *where, const struct ArrowSchema *t, const struct ArrowArray *a,
                       lake__arrow_layout layout) {
    if (!a || !a->release) return malformed(b, where, "no array, or a released one");
    if (t->n_children < 0 || (t->n_children && !t->children))
        return malformed(b, where, "a type whose children are missing");
    if (a->length < 0 || a->offset < 0 || a->n_buffers < 0 || a->n_children != t->n_children ||
        (a->n_buffers && !a->buffers) || (a->n_children && !a->children))
        return malformed(b, where, "a negative length or offset, or children that do not match the type's");
    int want = lake__arrow_layout_buffers(layout);
    if (layout == LAKE__AL_VIEW ? a->n_buffers < want : a->n_buffers != want)
        return malformed(b, where, "a buffer count its format does not have");
    if (a->null_count != 0 && a->null_count != -1 && !a->buffers[0] && a->length)
        return malformed(b, where, "NULLs without a validity bitmap");
    bool empty = a->length == 0;
    if (!empty && want >= 2 && !a->buffers[1]) return malformed(b, where, "a NULL values or offsets buffer");
    if (!empty && layout == LAKE__AL_VIEW && !a->buffers[a->n_buffers - 1])
        return malformed(b, where, "no buffer of the variadic buffers' sizes");
    return LAKE_OK;
}

static int bind_struct(binder *b, const lake_schema *s, const struct ArrowSchema *t, const struct ArrowArray *a,
                       const char *where, lake__field **out);

/* Binds column col to the field of type t and array a. */
static int bind_field(binder *b, const lake__column *col, const struct ArrowSchema *t, const struct ArrowArray *a,
                      const char *where, lake__field *f) {
    const lake_column *c = &col->pub;
    f->col = col;
    f->a = a;
    if (!t->format) return malformed(b, where, "a type without a format");
    const char *format = t->format;
    bool known = lake__arrow_format_parse(t->dictionary ? t->dictionary->format : format, &f->t);
    if (t->dictionary) { /* the format is the indices' type; the dictionary holds the values */
        if (!lake__arrow_format_parse(format, &f->index) || f->index.src.kind != LAKE__V_INT)
            return malformed(b, where, "dictionary indices that are not integers");
        if (f->t.src.kind == LAKE__V_STRUCT || f->t.src.kind == LAKE__V_LIST || f->t.src.kind == LAKE__V_MAP)
            known = false;
        int rc = check_array(b, where, t, a, LAKE__AL_FIXED);
        if (!rc && !a->dictionary) rc = malformed(b, where, "a dictionary type without its dictionary");
        if (!rc) rc = check_array(b, where, t->dictionary, a->dictionary, f->t.layout);
        if (rc) return rc;
        f->dict = a->dictionary;
        format = t->dictionary->format;
    }
    if (!known) return mismatch(b, where, c, format, ", which lakeorm does not read");
    const lake__source *src = &f->t.src;
    if (src->kind == LAKE__V_TIMESTAMP && !f->t.zoned)
        return mismatch(b, where, c, format, ": a timestamp without a time zone names no instant, and lakeorm stores "
                        "instants: give it one (\"UTC\" when its values are UTC), e.g. in pyarrow "
                        ".cast(pa.timestamp(\"us\", tz=\"UTC\"))");
    /* A fixed_size_binary of any width holds bytes; Arrow's UUIDs are
     * fixed_size_binary(16), and binaries of 16 bytes are UUIDs too (polars,
     * which has no fixed-size binary, exports its UUIDs so). */
    bool binary = !f->t.text && (f->t.layout == LAKE__AL_BINARY || f->t.layout == LAKE__AL_LARGE_BINARY ||
                                 f->t.layout == LAKE__AL_VIEW);
    bool bytes = (c->type == LAKE_BYTES && f->t.layout == LAKE__AL_FIXED_BINARY) || (c->type == LAKE_UUID && binary);
    if (!bytes && !lake__value_converts(c->type, src)) return mismatch(b, where, c, format, "");
    if (!t->dictionary) {
        int rc = check_array(b, where, t, a, f->t.layout);
        if (rc) return rc;
    }
    char inner[WHERE_MAX];
    switch (f->t.layout) {
    case LAKE__AL_STRUCT: return bind_struct(b, c->child, t, a, where, &f->kids);
    case LAKE__AL_LIST: case LAKE__AL_LARGE_LIST: case LAKE__AL_FIXED_LIST: {
        const lake__column *element = &c->child->columns[0];
        if (t->n_children != 1 || !t->children[0] || !a->children[0]) return malformed(b, where, "a list without its element");
        if (!(f->kids = fields(b, 1))) return lake__error(b->err, LAKE_ENOMEM, "out of memory");
        snprintf(inner, sizeof inner, "%s.%s", where, element->pub.name);
        return bind_field(b, element, t->children[0], a->children[0], inner, &f->kids[0]);
    }
    case LAKE__AL_MAP: {
        const struct ArrowSchema *entries = t->n_children == 1 ? t->children[0] : NULL;
        if (!entries || !entries->format || strcmp(entries->format, "+s") || entries->n_children != 2 ||
            !entries->children[0] || !entries->children[1])
            return malformed(b, where, "a map whose child is not an entries struct of a key and a value");
        int rc = check_array(b, where, entries, a->children[0], LAKE__AL_STRUCT);
        if (rc) return rc;
        f->entries = a->children[0];
        if (!(f->kids = fields(b, 2))) return lake__error(b->err, LAKE_ENOMEM, "out of memory");
        for (int k = 0; k < 2 && !rc; k++) {
            snprintf(inner, sizeof inner, "%s.%s", where, c->child->columns[k].pub.name);
            rc = bind_field(b, &c->child->columns[k], entries->children[k], f->entries->children[k], inner, &f->kids[k]);
        }
        return rc;
    }
    default: return LAKE_OK;
    }
}

/* A struct's children bind to the schema's columns by name, exactly: a
 * child naming no column is refused (as the JSON decoder's unknown_key), a
 * column no child names is NULL throughout when nullable, else refused. */
static int bind_struct(binder *b, const lake_schema *s, const struct ArrowSchema *t, const struct ArrowArray *a,
                       const char *where, lake__field **out) {
    lake__field *f = *out = fields(b, s->column_count);
    if (!f) return lake__error(b->err, LAKE_ENOMEM, "out of memory");
    char inner[WHERE_MAX];
    for (int64_t i = 0; i < t->n_children; i++) {
        const struct ArrowSchema *ct = t->children[i];
        const char *name = ct && ct->name ? ct->name : "";
        size_t k = 0;
        while (k < s->column_count && strcmp(s->columns[k].pub.name, name)) k++;
        snprintf(inner, sizeof inner, "%s%s%s", where, *where ? "." : "", name);
        if (k == s->column_count)
            return lake__error(b->err, LAKE_ESCHEMA, "Arrow field \"%s\" names no column%s%s%s: the schema has no such "
                               "column (drop or rename it before importing)", inner, *where ? " of \"" : "", where,
                               *where ? "\"" : "");
        if (f[k].col) return lake__error(b->err, LAKE_ESCHEMA, "Arrow field \"%s\" appears twice", inner);
        if (!ct || !a->children[i]) return malformed(b, inner, "a NULL child");
        int rc = bind_field(b, &s->columns[k], ct, a->children[i], inner, &f[k]);
        if (rc) return rc;
    }
    for (size_t k = 0; k < s->column_count; k++) {
        const lake__column *c = &s->columns[k];
        if (f[k].col) continue;
        f[k].col = c;
        if (!c->pub.nullable && !(c->pub.type == LAKE_STRUCT && c->optional)) {
            char tt[32];
            return lake__error(b->err, LAKE_ESCHEMA, "column \"%s%s%s\" (%s, not nullable) has no Arrow field of its "
                               "name", where, *where ? "." : "", c->pub.name, type_text(&c->pub, tt, sizeof tt));
        }
    }
    return LAKE_OK;
}

void lake__arrow_binding_free(lake__binding *b) {
    if (!b) return;
    lake_arena_free(b->arena);
    lake__free(b);
}

int lake__arrow_bind(const lake_schema *s, const struct ArrowSchema *type, const struct ArrowArray *batch,
                     lake__binding **out, lake_error *err) {
    *out = NULL;
    lake__binding *bd = lake__calloc(1, sizeof *bd);
    if (!bd || lake_arena_new(&bd->arena)) {
        lake__free(bd);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    binder b = {bd->arena, err};
    int rc = LAKE_OK;
    if (!type->format || strcmp(type->format, "+s"))
        rc = lake__error(err, LAKE_ESCHEMA, "an Arrow record batch is a struct (format \"+s\"), not \"%.40s\"",
                         type->format ? type->format : "(null)");
    if (!rc) rc = check_array(&b, "", type, batch, LAKE__AL_STRUCT);
    if (!rc) rc = bind_struct(&b, s, type, batch, "", &bd->top);
    if (rc) {
        lake__arrow_binding_free(bd);
        return rc;
    }
    *out = bd;
    return LAKE_OK;
}
