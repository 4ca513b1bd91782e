/* SPDX-License-Identifier: MIT */
/* Arrow data in through the C Data Interface: a struct array into records,
 * strictly and without copying strings (include/lakeorm/arrow.h).
 *
 * First the type binds to the schema (c_bind.c: by name, each field's format
 * checked against its column once); then each row is read into its record,
 * every value through the value table's setters (values/values.h), so that
 * Arrow, JSON and engine results accept and refuse the same values. Value
 * problems become issues at JSON-pointer paths (error/report.h), as the JSON
 * decoder reports them, and reading goes on. */
#include <lakeorm/arrow.h>
#include <stdlib.h>
#include <string.h>

#include "arrow/c_bind.h"
#include "error/error.h"
#include "error/report.h"
#include "json/scan.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/utf8.h"

typedef struct importer {
    lake_arena *arena;
    lake__report r;
    lake_error *err;
    int fatal; /* LAKE_ENOMEM, or LAKE_EINVAL for an array whose buffers contradict it */
} importer;

static const char empty[1] = "";

static void malformed(importer *im, const char *what) {
    if (!im->fatal) im->fatal = lake__error(im->err, LAKE_EINVAL, "malformed Arrow array: %s", what);
}

static void no_memory(importer *im) {
    if (!im->fatal) im->fatal = lake__error(im->err, LAKE_ENOMEM, "out of memory importing Arrow data");
}

/* An issue with column c's value at the current path. */
#define ISSUE(im, c, rule, ...)                                                                                 \
    lake__report_add(&(im)->r, (c)->unnamed ? NULL : (c)->pub.name, (c)->unnamed ? 0 : (c)->name_len,          \
                     (im)->r.top_column, rule, "", __VA_ARGS__)

static bool bit(const void *bits, int64_t i) { return ((const uint8_t *)bits)[i / 8] >> (i % 8) & 1; }

static bool is_valid(const struct ArrowArray *a, int64_t j) {
    return a->null_count == 0 || !a->buffers[0] || bit(a->buffers[0], j);
}

/* An integer of a fixed layout at physical index j. */
static lake__i128 int_at(const void *values, const lake__source *s, int64_t j) {
    const unsigned char *v = values;
    switch (s->bits) {
    case 8: return s->is_signed ? (lake__i128)(int8_t)v[j] : (lake__i128)v[j];
    case 16: {
        uint16_t y;
        memcpy(&y, v + 2 * j, 2);
        return s->is_signed ? (lake__i128)(int16_t)y : (lake__i128)y;
    }
    case 32: {
        uint32_t y;
        memcpy(&y, v + 4 * j, 4);
        return s->is_signed ? (lake__i128)(int32_t)y : (lake__i128)y;
    }
    default: {
        uint64_t y;
        memcpy(&y, v + 8 * j, 8);
        return s->is_signed ? (lake__i128)(int64_t)y : (lake__i128)y;
    }
    }
}

/* The bytes of a string or binary value at physical index j; false when the
 * array contradicts itself (offsets backwards, a view past its buffer). */
static bool bytes_at(const struct ArrowArray *a, const lake__arrow_type *t, int64_t j, const char **ptr, size_t *len) {
    int64_t from, to;
    switch (t->layout) {
    case LAKE__AL_BINARY: {
        int32_t y[2];
        memcpy(y, (const int32_t *)a->buffers[1] + j, 8);
        from = y[0], to = y[1];
        break;
    }
    case LAKE__AL_LARGE_BINARY: memcpy(&from, (const int64_t *)a->buffers[1] + j, 8), memcpy(&to, (const int64_t *)a->buffers[1] + j + 1, 8); break;
    case LAKE__AL_FIXED_BINARY:
        *ptr = (const char *)a->buffers[1] + j * t->width;
        *len = (size_t)t->width;
        return true;
    case LAKE__AL_VIEW: { /* Arrow's view layout: int32 length, then 12 bytes inline or prefix, buffer, offset */
        const unsigned char *view = (const unsigned char *)a->buffers[1] + 16 * j;
        int32_t n, buffer, offset;
        memcpy(&n, view, 4);
        if (n < 0) return false;
        *len = (size_t)n;
        if (n <= 12) {
            *ptr = (const char *)view + 4;
            return true;
        }
        memcpy(&buffer, view + 8, 4);
        memcpy(&offset, view + 12, 4);
        int64_t nbuffers = a->n_buffers - 3, size;
        if (buffer < 0 || buffer >= nbuffers || offset < 0) return false;
        memcpy(&size, (const int64_t *)a->buffers[a->n_buffers - 1] + buffer, 8);
        if ((int64_t)offset + n > size || !a->buffers[2 + buffer]) return false;
        *ptr = (const char *)a->buffers[2 + buffer] + offset;
        return true;
    }
    default: return false;
    }
    const unsigned char *data = a->buffers[2]; /* offsets layouts: validity, offsets, data */
    if (from < 0 || to < from || (to > from && !data)) return false;
    *ptr = to > from ? (const char *)data + from : empty;
    *len = (size_t)(to - from);
    return true;
}

static const char *fit_rule(lake__fit fit) { return fit == LAKE__BAD_TEXT ? "format" : "range"; }

/* A JSON column's text: checked and normalized as the JSON decoder does
 * (json/scan.h), into the arena. */
static lake__fit set_json(importer *im, const lake__column *c, const char *s, size_t len, unsigned char *rec) {
    lake__json j;
    lake__json_init(&j, s, len);
    lake__buf *b = lake__arena_scratch(im->arena);
    size_t mark = b->len;
    bool ok = lake__json_copy(&j, 64, b) && lake__json_at_end(&j);
    char *text = ok && !b->failed ? lake__arena_strndup(im->arena, b->data + mark, b->len - mark) : NULL;
    size_t n = b->len - mark;
    b->len = mark;
    if (!ok) return j.oom ? LAKE__NO_MEMORY : LAKE__BAD_TEXT;
    if (!text) return LAKE__NO_MEMORY;
    *(lake_json *)(rec + c->pub.offset) = (lake_json){text, n};
    return LAKE__FITS;
}

/* A string or binary value into its column: strings and bytes point into
 * the Arrow buffer; JSON, UUID and KSUID text is converted. */
static lake__fit set_bytes(importer *im, const lake__column *c, const lake__arrow_type *t, const char *s, size_t len,
                           unsigned char *rec) {
    lake_type type = c->pub.type;
    if (t->src.kind == LAKE__V_UUID && type != LAKE_BYTES) return lake__value_set_id(c, (const uint8_t *)s, rec, im->arena);
    if (type == LAKE_UUID && !t->text) /* a binary's 16 bytes */
        return len == 16 ? lake__value_set_id(c, (const uint8_t *)s, rec, im->arena) : LAKE__BAD_TEXT;
    if (t->text && !lake__utf8_valid(s, len)) return LAKE__BAD_TEXT;
    if (type == LAKE_JSON) return set_json(im, c, s, len, rec);
    if (type != LAKE_STRING && type != LAKE_BYTES) return lake__value_parse_into(c, s, len, rec);
    *(lake_str *)(rec + c->pub.offset) = (lake_str){s, len};
    return LAKE__FITS;
}

/* A fixed-width value at physical index j into its column. */
static lake__fit set_fixed(const lake__column *c, const lake__arrow_type *t, const void *values, int64_t j,
                           unsigned char *rec) {
    const unsigned char *v = values;
    switch (t->src.kind) {
    case LAKE__V_INT: return lake__value_set_int(c, int_at(v, &t->src, j), rec);
    case LAKE__V_FLOAT:
        if (t->src.bits == 32) {
            float f;
            memcpy(&f, v + 4 * j, 4);
            return lake__value_set_float(c, f, rec);
        } else {
            double d;
            memcpy(&d, v + 8 * j, 8);
            return lake__value_set_float(c, d, rec);
        }
    case LAKE__V_DATE:
        return lake__value_set_date(c, t->src.unit == LAKE__UNIT_DAY ? (int64_t)(int32_t)int_at(v, &(lake__source){.bits = 32, .is_signed = true}, j)
                                                                     : (int64_t)int_at(v, &(lake__source){.bits = 64, .is_signed = true}, j),
                                    t->src.unit, rec);
    case LAKE__V_TIMESTAMP: {
        int64_t x;
        memcpy(&x, v + 8 * j, 8);
        if (t->src.unit == LAKE__UNIT_NS && x % 1000) return LAKE__TOO_BIG; /* precision is never dropped silently */
        return lake__value_set_timestamp(c, x, t->src.unit, rec);
    }
    case LAKE__V_DECIMAL: {
        lake_dec128 d; /* little-endian two's complement, low word first */
        memcpy(&d.lo, v + 16 * j, 8);
        memcpy(&d.hi, v + 16 * j + 8, 8);
        return lake__value_set_decimal(c, lake__dec_get(d), t->src.scale, rec);
    }
    default: return LAKE__TOO_BIG;
    }
}

static void decode(importer *im, const lake__field *f, int64_t i, unsigned char *rec);

/* The keys of a map's n entries (records of the map's child schema, `stride`
 * apart), each one that repeats an earlier one reported at its path. */
static int key_order(const void *x, const void *y) {
    const lake_str *a = *(const lake_str *const *)x, *b = *(const lake_str *const *)y;
    if (!a->ptr || !b->ptr) /* a NULL key (reported as `null`) repeats nothing */
        return a->ptr ? 1 : b->ptr ? -1 : (a > b) - (a < b);
    size_t n = a->len < b->len ? a->len : b->len;
    int d = n ? memcmp(a->ptr, b->ptr, n) : 0;
    if (d) return d;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    return a < b ? -1 : a > b; /* equal keys in input order: the later ones are the repetitions */
}

static void unique_keys(importer *im, const lake__column *c, unsigned char *entries, size_t n, size_t stride) {
    if (n < 2) return;
    const lake_str **keys = lake__malloc(n * sizeof *keys);
    if (!keys) return no_memory(im);
    for (size_t e = 0; e < n; e++) keys[e] = (const lake_str *)(entries + e * stride);
    qsort(keys, n, sizeof *keys, key_order);
    for (size_t e = 1; e < n; e++) {
        if (!keys[e]->ptr || !keys[e - 1]->ptr || keys[e]->len != keys[e - 1]->len ||
            memcmp(keys[e]->ptr, keys[e - 1]->ptr, keys[e]->len))
            continue;
        lake__report_push(&im->r, c->unnamed ? NULL : c->pub.name, c->unnamed ? 0 : c->name_len);
        if (c->unnamed) lake__report_pop(&im->r);
        lake__report_add(&im->r, keys[e]->ptr, keys[e]->len, im->r.top_column, "duplicate_key", "",
                         "the key \"%.*s\" appears twice in one map", (int)(keys[e]->len < 64 ? keys[e]->len : 64),
                         keys[e]->ptr);
        if (!c->unnamed) lake__report_pop(&im->r);
    }
    lake__free((void *)keys);
}

/* A list's elements or a map's entries [from, to) of the child into records in the arena. */
static void decode_items(importer *im, const lake__field *f, int64_t from, int64_t to, unsigned char *rec) {
    const lake__column *c = f->col;
    const lake_schema *s = c->pub.child;
    const struct ArrowArray *child = c->pub.type == LAKE_MAP ? f->entries : f->kids[0].a;
    if (from < 0 || to < from || to > child->length) return malformed(im, "list offsets past the child");
    size_t n = (size_t)(to - from);
    unsigned char *items = LAKE_EMPTY;
    if (n && !(items = lake__arena_alloc(im->arena, n * s->record_size, 16))) return no_memory(im);
    if (n) memset(items, 0, n * s->record_size);
    if (!c->unnamed) lake__report_push(&im->r, c->pub.name, c->name_len);
    for (size_t e = 0; e < n && !im->fatal; e++) {
        unsigned char *item = items + e * s->record_size;
        int64_t at = from + (int64_t)e;
        if (c->pub.type == LAKE_LIST) {
            lake__report_push_index(&im->r, e);
            decode(im, &f->kids[0], at, item);
            lake__report_pop(&im->r);
            continue;
        }
        /* a map entry: the entries struct's offset applies to its key and value */
        int64_t j = child->offset + at;
        decode(im, &f->kids[0], j, item);
        const lake_str *key = (const lake_str *)item;
        if (key->ptr) lake__report_push(&im->r, key->ptr, key->len);
        else lake__report_push_index(&im->r, e);
        decode(im, &f->kids[1], j, item);
        lake__report_pop(&im->r);
    }
    if (!c->unnamed) lake__report_pop(&im->r);
    if (c->pub.type == LAKE_MAP && !im->fatal) unique_keys(im, c, items, n, s->record_size);
    *(lake__view *)(rec + c->pub.offset) = (lake__view){items, n};
}

static void decode_struct(importer *im, const lake__field *f, int64_t j, unsigned char *rec) {
    const lake__column *c = f->col;
    const lake_schema *s = c->pub.child;
    unsigned char *members = rec + c->pub.offset;
    if (c->optional) {
        if (!(members = lake__arena_alloc(im->arena, s->record_size ? s->record_size : 1, 16))) return no_memory(im);
        memset(members, 0, s->record_size);
        memcpy(rec + c->pub.offset, &members, sizeof members);
    }
    if (!c->unnamed) lake__report_push(&im->r, c->pub.name, c->name_len);
    for (size_t k = 0; k < s->column_count && !im->fatal; k++) decode(im, &f->kids[k], j, members);
    if (!c->unnamed) lake__report_pop(&im->r);
}

/* Reads value i (before the array's offset) of field f into rec. */
static void decode(importer *im, const lake__field *f, int64_t i, unsigned char *rec) {
    const lake__column *c = f->col;
    const struct ArrowArray *a = f->a;
    if (!a) return; /* an absent nullable column: NULL */
    if (i >= a->length) return malformed(im, "a child shorter than its parent");
    int64_t j = a->offset + i;
    const struct ArrowArray *values = a;
    bool valid = is_valid(a, j);
    if (valid && f->dict) { /* the index picks the dictionary's value */
        int64_t k = (int64_t)int_at(a->buffers[1], &f->index.src, j);
        if (k < 0 || k >= f->dict->length) return malformed(im, "a dictionary index past the dictionary");
        values = f->dict;
        j = values->offset + k;
        valid = is_valid(values, j);
    }
    if (!valid) {
        if (!c->pub.nullable && !(c->pub.type == LAKE_STRUCT && c->optional))
            ISSUE(im, c, "null", "null is not allowed: %s",
                  c->unnamed ? "the elements are not nullable" : "the column is not nullable");
        return;
    }
    const lake__arrow_type *t = &f->t;
    lake__fit fit = LAKE__FITS;
    switch (t->layout) {
    case LAKE__AL_STRUCT: return decode_struct(im, f, j, rec);
    case LAKE__AL_LIST: case LAKE__AL_MAP: {
        int32_t y[2];
        memcpy(y, (const int32_t *)a->buffers[1] + j, 8);
        return decode_items(im, f, y[0], y[1], rec);
    }
    case LAKE__AL_LARGE_LIST: {
        int64_t y[2];
        memcpy(y, (const int64_t *)a->buffers[1] + j, 16);
        return decode_items(im, f, y[0], y[1], rec);
    }
    case LAKE__AL_FIXED_LIST: return decode_items(im, f, j * t->width, (j + 1) * t->width, rec);
    case LAKE__AL_BOOL: fit = lake__value_set_bool(c, bit(values->buffers[1], j), rec); break;
    case LAKE__AL_FIXED: fit = set_fixed(c, t, values->buffers[1], j, rec); break;
    default: {
        const char *s;
        size_t len;
        if (!bytes_at(values, t, j, &s, &len)) return malformed(im, "string offsets or views past their data");
        fit = set_bytes(im, c, t, s, len, rec);
    }
    }
    if (fit == LAKE__NO_MEMORY) return no_memory(im);
    if (fit == LAKE__FITS) return;
    /* the value is zeroed: a record with an issue still reads as defined memory */
    memset(rec + c->pub.offset, 0, c->size);
    if (fit == LAKE__BAD_TEXT)
        ISSUE(im, c, "format", "%s is not %s", t->text ? "the text" : "the value", lake__value_types[c->pub.type].what);
    else if (fit == LAKE__LOSES_DIGITS)
        ISSUE(im, c, "range", "the value has non-zero digits past the scale of DECIMAL(%u,%u)", c->pub.precision,
              c->pub.scale);
    else
        ISSUE(im, c, fit_rule(fit), "the value does not fit %s%s", lake_type_name(c->pub.type),
              t->src.kind == LAKE__V_TIMESTAMP ? " (microseconds: nanoseconds below them are not dropped)" : "");
}

int lake_arrow_import(const lake_schema *schema, const struct ArrowSchema *type, const struct ArrowArray *batch,
                      size_t first_record, lake_arena *arena, void **records, size_t *count, lake_error *err) {
    if (records) *records = NULL;
    if (count) *count = 0;
    if (!schema || !type || !batch || !arena || !records || !count)
        return lake__error(err, LAKE_EINVAL, "lake_arrow_import: schema, type, batch, arena, records and count are required");
    if (!type->release || !batch->release)
        return lake__error(err, LAKE_EINVAL, "lake_arrow_import: the ArrowSchema or ArrowArray was released");
    lake__binding *b;
    int rc = lake__arrow_bind(schema, type, batch, &b, err);
    if (rc) return rc;
    size_t n = (size_t)batch->length;
    unsigned char *recs = lake__calloc(n ? n : 1, schema->record_size ? schema->record_size : 1);
    if (!recs) {
        lake__arrow_binding_free(b);
        return lake__error(err, LAKE_ENOMEM, "out of memory importing %zu records", n);
    }
    importer im = {.arena = arena, .err = err};
    for (size_t row = 0; row < n && !im.fatal; row++) {
        unsigned char *rec = recs + row * schema->record_size;
        int64_t j = batch->offset + (int64_t)row;
        bool present = is_valid(batch, j); /* a NULL row: every column NULL */
        im.r.record = first_record + row;
        for (size_t k = 0; k < schema->column_count && !im.fatal; k++) {
            const lake__field *f = &b->top[k];
            im.r.top_column = f->col->pub.name;
            if (present) decode(&im, f, j, rec);
            else if (!f->col->pub.nullable && !(f->col->pub.type == LAKE_STRUCT && f->col->optional))
                ISSUE(&im, f->col, "null", "null is not allowed: the column is not nullable (the whole row is NULL)");
        }
        if (im.r.oom) no_memory(&im);
    }
    lake__arrow_binding_free(b);
    if (im.fatal) {
        lake__issues_free(im.r.issues);
        lake__free(recs);
        return im.fatal;
    }
    *records = recs;
    *count = n;
    if (im.r.issues) return lake__error_issues(err, im.r.issues, "Arrow values rejected");
    return LAKE_OK;
}
