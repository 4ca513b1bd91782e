/* SPDX-License-Identifier: MIT */
/* Reading an Arrow IPC stream into records: every offset, length and count
 * is checked against the bytes at hand (they come from a server). */
#include <lakeorm/ids.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <lz4frame.h>
#include <zstd.h>

#include "arrow/flatbuf.h"
#include "arrow/ipc.h"
#include "error/error.h"
#include "schema/result.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/decimal.h"
#include "values/values.h"

enum { TYPE_INT = 2, TYPE_FLOAT = 3, TYPE_BINARY = 4, TYPE_UTF8 = 5, TYPE_BOOL = 6, TYPE_DECIMAL = 7, TYPE_DATE = 8,
       TYPE_TIMESTAMP = 10, TYPE_LIST = 12, TYPE_STRUCT = 13, TYPE_FIXED_BINARY = 15, TYPE_MAP = 17,
       TYPE_LARGE_BINARY = 19, TYPE_LARGE_UTF8 = 20, TYPE_LARGE_LIST = 21 };
enum { MAX_FIELDS = 1024, MAX_DEPTH = 32 };

typedef struct arrow_field {
    char name[256];
    uint8_t type;
    int32_t bits, precision, scale, width;
    int16_t unit;
    bool is_signed;
    int buffers;   /* how many buffers the field takes in a batch */
    uint32_t span; /* fields nested under this one: its children follow it, depth first */
    lake__source src; /* what it holds, for the value table */
} arrow_field;

/* A schema column's field, and for a composite its child columns' bindings
 * (a struct's members, a list's element, a map's key and value). */
typedef struct binding {
    uint32_t field;
    struct binding *children;
} binding;

enum { PATH_MAX_LEN = 256 };

typedef struct reader {
    const lake_schema *s;
    lake_schema **shape; /* lake__arrow_shape: build the result's own schema, read no batch */
    arrow_field *fields; /* every field, depth first: a batch's nodes come in this order */
    uint32_t nfields, cap;
    binding *bound; /* per schema column */
    lake_error *err;
    /* Where a nested value that does not fit lies ("/items/2/sku"), built
     * from the inside out as the failure returns through each level. */
    char path[PATH_MAX_LEN];
} reader;

static void bindings_free(binding *b, const lake_schema *s) {
    for (size_t i = 0; b && i < s->column_count; i++)
        if (lake__type_is_composite(s->columns[i].pub.type)) bindings_free(b[i].children, s->columns[i].pub.child);
    lake__free(b);
}

static int bad(lake_error *err, const char *what) {
    return lake__error(err, LAKE_EREMOTE, "malformed Arrow stream: %s", what);
}

/* An Arrow field's type in the value table's terms (values/values.h); kind
 * NONE for the types lakeorm does not read. */
static lake__source source_of(const arrow_field *af) {
    static const lake__unit time_units[] = {LAKE__UNIT_S, LAKE__UNIT_MS, LAKE__UNIT_US, LAKE__UNIT_NS};
    switch (af->type) {
    case TYPE_BOOL: return (lake__source){.kind = LAKE__V_BOOL};
    case TYPE_INT:
        if (af->bits != 8 && af->bits != 16 && af->bits != 32 && af->bits != 64) break;
        return (lake__source){.kind = LAKE__V_INT, .bits = (uint8_t)af->bits, .is_signed = af->is_signed};
    case TYPE_FLOAT:
        if (af->unit != 1 && af->unit != 2) break; /* half floats are not read */
        return (lake__source){.kind = LAKE__V_FLOAT, .bits = af->unit == 1 ? 32 : 64};
    case TYPE_UTF8: case TYPE_LARGE_UTF8: return (lake__source){.kind = LAKE__V_TEXT};
    case TYPE_BINARY: case TYPE_LARGE_BINARY: return (lake__source){.kind = LAKE__V_BINARY};
    case TYPE_FIXED_BINARY:
        if (af->width != 16) break;
        return (lake__source){.kind = LAKE__V_UUID};
    case TYPE_DATE:
        if (af->unit != 0 && af->unit != 1) break;
        return (lake__source){.kind = LAKE__V_DATE, .unit = af->unit == 0 ? LAKE__UNIT_DAY : LAKE__UNIT_MS};
    case TYPE_TIMESTAMP:
        if (af->unit < 0 || af->unit > 3) break;
        return (lake__source){.kind = LAKE__V_TIMESTAMP, .unit = time_units[af->unit]};
    case TYPE_DECIMAL:
        if (af->bits != 128 || af->scale < 0 || af->scale > LAKE_DECIMAL_MAX_PRECISION) break;
        return (lake__source){.kind = LAKE__V_DECIMAL, .scale = (int8_t)af->scale,
                              .precision = af->precision >= 1 && af->precision <= LAKE_DECIMAL_MAX_PRECISION
                                               ? (uint8_t)af->precision : 0};
    case TYPE_STRUCT: return (lake__source){.kind = LAKE__V_STRUCT};
    case TYPE_LIST: case TYPE_LARGE_LIST: return (lake__source){.kind = LAKE__V_LIST};
    case TYPE_MAP: return (lake__source){.kind = LAKE__V_MAP};
    default: break;
    }
    return (lake__source){.kind = LAKE__V_NONE};
}

/* Appends the fields of a Field vector (and, depth first, their children). */
static int read_fields(reader *rd, const lake__fb *fb, size_t vec, int depth) {
    uint32_t n;
    size_t first;
    if (depth > MAX_DEPTH || !lake__fb_vec(fb, vec, 4, &n, &first) || n > MAX_FIELDS - rd->nfields)
        return bad(rd->err, "schema fields");
    for (uint32_t i = 0; i < n; i++) {
        if (rd->nfields == rd->cap) {
            uint32_t cap = rd->cap ? rd->cap * 2 : 16;
            arrow_field *grown = lake__realloc(rd->fields, rd->cap * sizeof *grown, cap * sizeof *grown);
            if (!grown) return lake__error(rd->err, LAKE_ENOMEM, "out of memory");
            rd->fields = grown;
            rd->cap = cap;
        }
        uint32_t at = rd->nfields++;
        arrow_field *af = &rd->fields[at];
        memset(af, 0, sizeof *af);
        size_t field, name, type, dict, children;
        const char *text;
        size_t len;
        if (!lake__fb_vec_table(fb, first, i, &field) || !lake__fb_deref(fb, field, 0, &name) ||
            (name && !lake__fb_str(fb, name, &text, &len)) || !lake__fb_u8(fb, field, 2, 0, &af->type) ||
            !lake__fb_deref(fb, field, 3, &type) || !lake__fb_deref(fb, field, 4, &dict) ||
            !lake__fb_deref(fb, field, 5, &children))
            return bad(rd->err, "a schema field");
        if (name) snprintf(af->name, sizeof af->name, "%.*s", (int)(len < 255 ? len : 255), text);
        if (dict) return lake__error(rd->err, LAKE_ENOTSUP, "column %s is dictionary-encoded, which lakeorm does not read", af->name);
        uint32_t nchildren = 0;
        size_t cfirst;
        if (children && !lake__fb_vec(fb, children, 4, &nchildren, &cfirst)) return bad(rd->err, "field children");
        uint8_t is_signed = 1;
        af->unit = -1;
        switch (af->type) {
        case TYPE_INT:
            if (!type) return bad(rd->err, "an Int without its type");
            lake__fb_i32(fb, type, 0, 0, &af->bits);
            lake__fb_u8(fb, type, 1, 0, &is_signed);
            af->is_signed = is_signed;
            af->buffers = 2;
            break;
        case TYPE_FLOAT:
            lake__fb_i16(fb, type, 0, 0, &af->unit);
            af->buffers = 2;
            break;
        case TYPE_DECIMAL:
            lake__fb_i32(fb, type, 0, 0, &af->precision);
            lake__fb_i32(fb, type, 1, 0, &af->scale);
            lake__fb_i32(fb, type, 2, 128, &af->bits);
            af->buffers = 2;
            break;
        case TYPE_DATE: lake__fb_i16(fb, type, 0, 1, &af->unit), af->buffers = 2; break;
        case TYPE_TIMESTAMP: lake__fb_i16(fb, type, 0, 0, &af->unit), af->buffers = 2; break;
        case TYPE_FIXED_BINARY: lake__fb_i32(fb, type, 0, 0, &af->width), af->buffers = 2; break;
        case TYPE_BOOL: af->buffers = 2; break;
        case TYPE_UTF8: case TYPE_BINARY: case TYPE_LARGE_UTF8: case TYPE_LARGE_BINARY: af->buffers = 3; break;
        case TYPE_STRUCT: af->buffers = 1; break; /* validity; the members carry the values */
        /* validity and offsets into the one child: the element, or a map's entries */
        case TYPE_LIST: case TYPE_LARGE_LIST: case TYPE_MAP:
            af->buffers = 2;
            if (nchildren != 1) return bad(rd->err, "a list or map without its one child");
            break;
        default: af->buffers = -1; /* unsupported: fine while no schema column binds to it */
        }
        bool nests = af->type == TYPE_STRUCT || af->type == TYPE_LIST || af->type == TYPE_LARGE_LIST || af->type == TYPE_MAP;
        if (nchildren && !nests) {
            if (af->buffers > 0) return bad(rd->err, "children on a flat type");
            af->buffers = -1;
        }
        af->src = source_of(af);
        if (nchildren) {
            int rc = read_fields(rd, fb, children, depth + 1);
            if (rc) return rc;
            rd->fields[at].span = rd->nfields - at - 1; /* af may have moved */
        }
        /* A map's child is its entries: a struct of exactly a key and a value. */
        const arrow_field *entries = &rd->fields[at + 1];
        if (rd->fields[at].type == TYPE_MAP &&
            (entries->type != TYPE_STRUCT || entries->span < 2 || 1 + rd->fields[at + 2].span >= entries->span ||
             2 + rd->fields[at + 2].span + rd->fields[at + 3 + rd->fields[at + 2].span].span != entries->span))
            return bad(rd->err, "a map whose entries are not a struct of a key and a value");
    }
    return LAKE_OK;
}

static int bind(reader *rd, const lake_schema *s, uint32_t first, uint32_t end, const char *where, binding **out);

static void path_push(reader *rd, const char *segment, size_t len);
static int bind_field_at(reader *rd, const lake_column *col, uint32_t k, binding *b);

/* Binds one column to field k; a mismatch below it says the column's path
 * ("/scores/element/element"). */
static int bind_field(reader *rd, const lake_column *col, uint32_t k, binding *b) {
    int rc = bind_field_at(rd, col, k, b);
    if (rc == LAKE_EMISMATCH) path_push(rd, col->name, strlen(col->name));
    return rc;
}

/* Its type must convert, and a composite's children bind below it (a list's
 * element and a map's key and value by position: their Arrow names vary,
 * "item", "element", "entries"...). */
static int bind_field_at(reader *rd, const lake_column *col, uint32_t k, binding *b) {
    const arrow_field *af = &rd->fields[k];
    if (!lake__value_converts(col->type, &af->src)) {
        char engine[32];
        snprintf(engine, sizeof engine, "Arrow type %d", af->type);
        return lake__value_type_error(rd->err, af->name, &af->src, engine, col);
    }
    b->field = k;
    if (col->type == LAKE_STRUCT) return bind(rd, col->child, k + 1, k + 1 + af->span, col->name, &b->children);
    if (col->type != LAKE_LIST && col->type != LAKE_MAP) return LAKE_OK;
    size_t n = col->child->column_count;
    if (!(b->children = lake__calloc(n, sizeof *b->children))) return lake__error(rd->err, LAKE_ENOMEM, "out of memory");
    if (col->type == LAKE_LIST) return bind_field(rd, &col->child->columns[0].pub, k + 1, &b->children[0]);
    uint32_t key = k + 2, value = key + 1 + rd->fields[key].span; /* inside the entries struct at k + 1 */
    if (rd->fields[key].src.kind != LAKE__V_TEXT) {
        char what[64];
        lake__source_name(&rd->fields[key].src, what, sizeof what);
        return lake__error(rd->err, LAKE_EMISMATCH, "result column \"%s\" is a map with %s keys: lakeorm reads maps "
                           "with string keys only", af->name, rd->fields[key].src.kind ? what : "non-string");
    }
    int rc = bind_field(rd, &col->child->columns[0].pub, key, &b->children[0]);
    return rc ? rc : bind_field(rd, &col->child->columns[1].pub, value, &b->children[1]);
}

/* Binds a schema's columns, by name (exactly, else ignoring case), to the
 * fields [first, end) of one level. */
static int bind(reader *rd, const lake_schema *s, uint32_t first, uint32_t end, const char *where, binding **out) {
    binding *b = lake__calloc(s->column_count ? s->column_count : 1, sizeof *b);
    if (!b) return lake__error(rd->err, LAKE_ENOMEM, "out of memory");
    *out = b;
    for (size_t c = 0; c < s->column_count; c++) {
        const lake_column *col = &s->columns[c].pub;
        uint32_t k = end;
        if (s->positional) { /* the c-th field of this level */
            k = first;
            for (size_t skip = 0; skip < c && k < end; skip++) k += 1 + rd->fields[k].span;
        }
        for (uint32_t i = first; i < end && k == end && !s->positional; i += 1 + rd->fields[i].span)
            if (!strcmp(rd->fields[i].name, col->name)) k = i;
        for (uint32_t i = first; i < end && k == end && !s->positional; i += 1 + rd->fields[i].span)
            if (!strcasecmp(rd->fields[i].name, col->name)) k = i;
        if (k >= end) return lake__value_missing_error(rd->err, s, col->name, where);
        int rc = bind_field(rd, col, k, &b[c]);
        if (rc) return rc;
    }
    return LAKE_OK;
}

/* The lakeorm type each field of [first, end) reads as (schema/result.h, lake__value_natural). */
static int describe(reader *rd, uint32_t first, uint32_t end, lake_arena *tmp, lake__result_column **out, size_t *count) {
    size_t n = 0;
    for (uint32_t i = first; i < end; i += 1 + rd->fields[i].span) n++;
    lake__result_column *cols = lake__arena_alloc(tmp, (n ? n : 1) * sizeof *cols, _Alignof(lake__result_column));
    if (!cols) return lake__error(rd->err, LAKE_ENOMEM, "out of memory");
    memset(cols, 0, (n ? n : 1) * sizeof *cols);
    size_t c = 0;
    for (uint32_t i = first; i < end; i += 1 + rd->fields[i].span, c++) {
        const arrow_field *af = &rd->fields[i];
        lake__result_column *col = &cols[c];
        col->name = af->name;
        if (af->src.kind == LAKE__V_STRUCT || af->src.kind == LAKE__V_LIST || af->src.kind == LAKE__V_MAP) {
            /* A struct's members, a list's element; a map's key and value sit
             * under its entries struct (the field after it). */
            uint32_t from = i + 1 + (af->src.kind == LAKE__V_MAP);
            lake__result_column *children;
            size_t m;
            int rc = describe(rd, from, i + 1 + af->span, tmp, &children, &m);
            if (rc) return rc;
            if (m != (af->src.kind == LAKE__V_STRUCT ? m : af->src.kind == LAKE__V_LIST ? 1u : 2u))
                return bad(rd->err, "a list or map whose children do not match its type");
            col->type = af->src.kind == LAKE__V_STRUCT ? LAKE_STRUCT : af->src.kind == LAKE__V_LIST ? LAKE_LIST : LAKE_MAP;
            col->children = children;
            col->child_count = m;
        } else {
            col->type = lake__value_natural(&af->src, &col->precision, &col->scale);
        }
        if (!col->type)
            return lake__error(rd->err, LAKE_ENOTSUP, "result column \"%s\" has an Arrow type lakeorm does not read "
                               "(type %d: intervals, NULL literals...): cast it in the SQL, e.g. "
                               "CAST(x AS STRING)", af->name, af->type);
    }
    *out = cols;
    *count = n;
    return LAKE_OK;
}

static int build_shape(reader *rd) {
    lake_arena *tmp;
    if (lake_arena_new(&tmp)) return lake__error(rd->err, LAKE_ENOMEM, "out of memory");
    lake__result_column *cols;
    size_t n;
    int rc = describe(rd, 0, rd->nfields, tmp, &cols, &n);
    if (!rc) rc = lake__schema_of_result(rd->shape, cols, n, rd->err);
    lake_arena_free(tmp);
    return rc;
}

/* A mismatch below the top level says where it lies: " (at /items/2/sku, row 7)". */
static void nested_path_note(reader *rd, int rc, const char *row) {
    if (rc != LAKE_EMISMATCH || !rd->err || !strchr(rd->path + 1, '/')) return;
    size_t at = strlen(rd->err->message);
    snprintf(rd->err->message + at, sizeof rd->err->message - at, " (at %s%s)", rd->path, row);
}

static int read_schema(reader *rd, const lake__fb *fb, size_t header) {
    size_t vec;
    int16_t endianness;
    lake__fb_i16(fb, header, 0, 0, &endianness);
    if (endianness != 0) return lake__error(rd->err, LAKE_ENOTSUP, "big-endian Arrow streams are not supported");
    if (!lake__fb_deref(fb, header, 1, &vec) || !vec) return bad(rd->err, "schema fields");
    int rc = read_fields(rd, fb, vec, 0);
    if (rc) return rc;
    if (rd->shape) return build_shape(rd);
    rc = bind(rd, rd->s, 0, rd->nfields, "", &rd->bound);
    nested_path_note(rd, rc, "");
    return rc;
}

typedef struct span {
    const uint8_t *data;
    size_t len;
} span;

typedef struct column_data {
    int64_t length, nulls;
    span buf[3];
} column_data;

static bool valid(const column_data *c, int64_t row) {
    if (c->nulls == 0 || c->buf[0].len == 0) return true;
    return c->buf[0].data[row / 8] >> (row % 8) & 1;
}

/* Prepends one level to the path of a value that does not fit. */
static void path_push(reader *rd, const char *segment, size_t len) {
    size_t had = strlen(rd->path);
    if (len > 64) len = 64; /* a path names, it need not quote a long key whole */
    if (had + 1 + len >= sizeof rd->path) return;
    memmove(rd->path + 1 + len, rd->path, had + 1);
    rd->path[0] = '/';
    memcpy(rd->path + 1, segment, len);
}

static int decode(reader *rd, const column_data *cols, const lake__column *c, const binding *bd, int64_t row,
                  unsigned char *rec, lake_arena *arena, lake_error *err);

static int key_order(const void *a, const void *b) {
    const lake_str *x = a, *y = b;
    int d = memcmp(x->ptr, y->ptr, x->len < y->len ? x->len : y->len);
    return d ? d : (x->len > y->len) - (x->len < y->len);
}

/* A map holds each key once: the keys sorted, neighbours compared. */
static int unique_keys(reader *rd, const lake_column *col, const unsigned char *entries, size_t n, size_t stride,
                       lake_error *err) {
    if (n < 2) return LAKE_OK;
    lake_str *keys = lake__malloc(n * sizeof *keys);
    if (!keys) return lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) keys[i] = *(const lake_str *)(entries + i * stride);
    qsort(keys, n, sizeof *keys, key_order);
    int rc = LAKE_OK;
    for (size_t i = 1; i < n && !rc; i++) {
        if (key_order(&keys[i - 1], &keys[i])) continue;
        rc = lake__error(err, LAKE_EMISMATCH, "result column \"%s\" holds a map with the key \"%.*s\" twice", col->name,
                         (int)(keys[i].len < 64 ? keys[i].len : 64), keys[i].ptr);
        path_push(rd, keys[i].ptr, keys[i].len);
    }
    lake__free(keys);
    return rc;
}

/* A list's elements or a map's entries: offsets [a, b) into the child, each
 * decoded into a record of the column's child schema in the arena. */
static int decode_collection(reader *rd, const column_data *cols, const lake_column *col, const binding *bd,
                             const column_data *cd, int64_t row, unsigned char *rec, lake_arena *arena, lake_error *err) {
    const arrow_field *af = &rd->fields[bd->field];
    const column_data *child = &cols[bd->field + 1]; /* the element, or the map's entries */
    int64_t a, b;
    if (af->type == TYPE_LARGE_LIST) {
        memcpy(&a, cd->buf[1].data + 8 * row, 8);
        memcpy(&b, cd->buf[1].data + 8 * (row + 1), 8);
    } else {
        int32_t y, z;
        memcpy(&y, cd->buf[1].data + 4 * row, 4);
        memcpy(&z, cd->buf[1].data + 4 * (row + 1), 4);
        a = y, b = z;
    }
    if (a < 0 || b < a || b > child->length) return bad(err, "list offsets");
    const lake_schema *s = col->child;
    size_t n = (size_t)(b - a);
    unsigned char *items = LAKE_EMPTY;
    if (n) {
        if (!(items = lake__arena_alloc(arena, n * s->record_size, 16))) return lake__error(err, LAKE_ENOMEM, "out of memory");
        memset(items, 0, n * s->record_size);
    }
    for (size_t j = 0; j < n; j++) {
        int64_t at = a + (int64_t)j;
        unsigned char *item = items + j * s->record_size;
        int rc = LAKE_OK;
        if (col->type == LAKE_MAP && !valid(child, at)) rc = bad(err, "a NULL map entry");
        for (size_t k = 0; !rc && k < s->column_count; k++)
            rc = decode(rd, cols, &s->columns[k], &bd->children[k], at, item, arena, err);
        if (rc == LAKE_EMISMATCH) { /* named by its key when it has one, else by its index */
            const lake_str *key = (const lake_str *)item;
            char index[24];
            if (col->type == LAKE_MAP && key->ptr) path_push(rd, key->ptr, key->len);
            else path_push(rd, index, (size_t)snprintf(index, sizeof index, "%zu", j));
        }
        if (rc) return rc;
    }
    if (col->type == LAKE_MAP) {
        int rc = unique_keys(rd, col, items, n, s->record_size, err);
        if (rc) return rc;
    }
    lake__view *view = (lake__view *)(rec + col->offset);
    view->ptr = items;
    view->len = n;
    return LAKE_OK;
}

/* A struct's members: inside the record, or for a nullable struct in a
 * record of their own in the arena, which the member pointer points to. */
static int decode_struct(reader *rd, const column_data *cols, const lake__column *c, const binding *bd, int64_t row,
                         unsigned char *rec, lake_arena *arena, lake_error *err) {
    const lake_schema *s = c->pub.child;
    unsigned char *members = rec + c->pub.offset;
    if (c->optional) {
        if (!(members = lake__arena_alloc(arena, s->record_size ? s->record_size : 1, 16)))
            return lake__error(err, LAKE_ENOMEM, "out of memory");
        memset(members, 0, s->record_size);
    }
    for (size_t k = 0; k < s->column_count; k++) {
        int rc = decode(rd, cols, &s->columns[k], &bd->children[k], row, members, arena, err);
        if (rc) return rc;
    }
    if (c->optional) memcpy(rec + c->pub.offset, &members, sizeof members);
    return LAKE_OK;
}

/* Reads one value out of the Arrow buffers; the value table converts it into
 * the field (values/values.h), with the checks every reader shares. */
static int decode_value(reader *rd, const column_data *cols, const lake__column *c, const binding *bd, int64_t row,
                        unsigned char *rec, lake_arena *arena, lake_error *err) {
    const lake_column *col = &c->pub;
    const arrow_field *af = &rd->fields[bd->field];
    const column_data *cd = &cols[bd->field];
    /* A child may be shorter than its parent (struct members, list elements
     * past the offsets): every level checks the row it reads. */
    if (row >= cd->length) return bad(err, "a child shorter than its parent");
    if (!valid(cd, row)) {
        if (col->nullable) return LAKE_OK; /* the record was zeroed: NULL */
        return lake__value_null_error(err, col);
    }
    const uint8_t *v = cd->buf[1].data;
    lake__fit fit;
    /* memcpy throughout: buffers from the network need not be aligned */
    switch (af->src.kind) {
    case LAKE__V_STRUCT: return decode_struct(rd, cols, c, bd, row, rec, arena, err);
    case LAKE__V_LIST: case LAKE__V_MAP: return decode_collection(rd, cols, col, bd, cd, row, rec, arena, err);
    case LAKE__V_BOOL: fit = lake__value_set_bool(c, v[row / 8] >> (row % 8) & 1, rec); break;
    case LAKE__V_INT: {
        lake__i128 x;
        if (af->bits == 8) {
            x = af->is_signed ? (lake__i128)(int8_t)v[row] : (lake__i128)v[row];
        } else if (af->bits == 16) {
            uint16_t y;
            memcpy(&y, v + 2 * row, 2);
            x = af->is_signed ? (lake__i128)(int16_t)y : (lake__i128)y;
        } else if (af->bits == 32) {
            uint32_t y;
            memcpy(&y, v + 4 * row, 4);
            x = af->is_signed ? (lake__i128)(int32_t)y : (lake__i128)y;
        } else {
            uint64_t y;
            memcpy(&y, v + 8 * row, 8);
            x = af->is_signed ? (lake__i128)(int64_t)y : (lake__i128)y;
        }
        fit = lake__value_set_int(c, x, rec);
        break;
    }
    case LAKE__V_FLOAT:
        if (af->src.bits == 32) {
            float f;
            memcpy(&f, v + 4 * row, 4);
            fit = lake__value_set_float(c, f, rec);
        } else {
            double x;
            memcpy(&x, v + 8 * row, 8);
            fit = lake__value_set_float(c, x, rec);
        }
        break;
    case LAKE__V_UUID: fit = lake__value_set_id(c, v + 16 * row, rec, arena); break;
    case LAKE__V_TEXT: case LAKE__V_BINARY: {
        bool large = af->type == TYPE_LARGE_UTF8 || af->type == TYPE_LARGE_BINARY;
        int64_t a, b;
        if (large) {
            memcpy(&a, v + 8 * row, 8);
            memcpy(&b, v + 8 * (row + 1), 8);
        } else {
            int32_t y, z;
            memcpy(&y, v + 4 * row, 4);
            memcpy(&z, v + 4 * (row + 1), 4);
            a = y, b = z;
        }
        if (a < 0 || b < a || (uint64_t)b > cd->buf[2].len) return bad(err, "string offsets");
        fit = lake__value_set_text(c, (const char *)cd->buf[2].data + a, (size_t)(b - a), rec, arena);
        break;
    }
    case LAKE__V_TIMESTAMP: {
        int64_t t;
        memcpy(&t, v + 8 * row, 8);
        fit = lake__value_set_timestamp(c, t, af->src.unit, rec);
        break;
    }
    case LAKE__V_DATE:
        if (af->src.unit == LAKE__UNIT_DAY) {
            int32_t d;
            memcpy(&d, v + 4 * row, 4);
            fit = lake__value_set_date(c, d, LAKE__UNIT_DAY, rec);
        } else {
            int64_t ms;
            memcpy(&ms, v + 8 * row, 8);
            fit = lake__value_set_date(c, ms, LAKE__UNIT_MS, rec);
        }
        break;
    case LAKE__V_DECIMAL: {
        lake_dec128 d; /* little-endian two's complement, low word first */
        memcpy(&d.lo, v + 16 * row, 8);
        memcpy(&d.hi, v + 16 * row + 8, 8);
        fit = lake__value_set_decimal(c, lake__dec_get(d), af->src.scale, rec);
        break;
    }
    default: return lake__error(err, LAKE_ENOTSUP, "column \"%s\": its type is not read from Arrow", col->name);
    }
    return fit == LAKE__FITS ? LAKE_OK : lake__value_error(err, col, fit);
}

static int decode(reader *rd, const column_data *cols, const lake__column *c, const binding *bd, int64_t row,
                  unsigned char *rec, lake_arena *arena, lake_error *err) {
    int rc = decode_value(rd, cols, c, bd, row, rec, arena, err);
    if (rc == LAKE_EMISMATCH && !c->unnamed) path_push(rd, c->pub.name, strlen(c->pub.name));
    return rc;
}

/* Checks a field's buffers against its length and type: after this, decode reads in bounds. */
static int check_column(const arrow_field *af, const column_data *cd, lake_error *err) {
    int64_t n = cd->length;
    if (n < 0 || cd->nulls < 0 || cd->nulls > n) return bad(err, "a field node");
    if (cd->nulls && cd->buf[0].len && cd->buf[0].len < (size_t)((n + 7) / 8)) return bad(err, "a validity bitmap");
    if (cd->nulls && !cd->buf[0].len && n) return bad(err, "nulls without a validity bitmap");
    size_t need = 0;
    switch (af->type) {
    case TYPE_BOOL: need = (size_t)((n + 7) / 8); break;
    case TYPE_INT: need = (size_t)n * (size_t)(af->bits / 8); break;
    case TYPE_FLOAT: need = (size_t)n * (af->unit == 1 ? 4 : 8); break;
    case TYPE_DATE: need = (size_t)n * (af->unit == 0 ? 4 : 8); break;
    case TYPE_TIMESTAMP: need = (size_t)n * 8; break;
    case TYPE_DECIMAL: need = (size_t)n * 16; break;
    case TYPE_FIXED_BINARY: need = (size_t)n * (size_t)af->width; break;
    case TYPE_UTF8: case TYPE_BINARY: need = n ? (size_t)(n + 1) * 4 : 0; break;
    case TYPE_LARGE_UTF8: case TYPE_LARGE_BINARY: case TYPE_LARGE_LIST: need = n ? (size_t)(n + 1) * 8 : 0; break;
    case TYPE_LIST: case TYPE_MAP: need = n ? (size_t)(n + 1) * 4 : 0; break;
    default: break;
    }
    if (n && cd->buf[1].len < need) return bad(err, "a values buffer shorter than its rows");
    return LAKE_OK;
}

/* Resolves a buffer of the body, decompressing into the arena when the body is compressed. */
static int body_span(const uint8_t *body, size_t body_len, int64_t off, int64_t len, int codec, lake_arena *arena,
                     span *out, lake_error *err) {
    if (off < 0 || len < 0 || (uint64_t)off > body_len || (uint64_t)len > body_len - (uint64_t)off) return bad(err, "a buffer outside the body");
    out->data = body + off;
    out->len = (size_t)len;
    if (codec < 0 || len == 0) return LAKE_OK;
    if (len < 8) return bad(err, "a compressed buffer without its length");
    int64_t raw;
    memcpy(&raw, out->data, 8);
    if (raw == -1) { /* stored uncompressed */
        out->data += 8, out->len -= 8;
        return LAKE_OK;
    }
    if (codec != 0 && codec != 1) return bad(err, "an unknown body codec");
    /* A batch message is bounded by the gRPC limit (128 MiB): a buffer claiming
     * far more when inflated is refused before anything is allocated. */
    if (raw < 0) return bad(err, "a compressed buffer's length");
    if (raw > ((int64_t)256 << 20))
        return lake__error(err, LAKE_ENOTSUP, "an Arrow buffer of %lld bytes uncompressed: lakeorm reads up to 256 MiB",
                           (long long)raw);
    uint8_t *dst = lake__arena_alloc(arena, (size_t)raw ? (size_t)raw : 1, 8);
    if (!dst) return lake__error(err, LAKE_ENOMEM, "out of memory");
    if (codec == 1) {
        size_t got = ZSTD_decompress(dst, (size_t)raw, out->data + 8, out->len - 8);
        if (ZSTD_isError(got) || got != (size_t)raw) return bad(err, "a ZSTD buffer");
    } else { /* LZ4_FRAME: one frame holding the whole buffer */
        LZ4F_dctx *dctx;
        if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION)))
            return lake__error(err, LAKE_ENOMEM, "out of memory");
        size_t produced = 0, consumed = 0, src_len = out->len - 8, hint = 1;
        const uint8_t *src = out->data + 8;
        while (hint && !LZ4F_isError(hint) && consumed < src_len) {
            size_t dst_room = (size_t)raw - produced, src_room = src_len - consumed;
            hint = LZ4F_decompress(dctx, dst + produced, &dst_room, src + consumed, &src_room, NULL);
            produced += dst_room, consumed += src_room;
            if (!dst_room && !src_room) break; /* no progress */
        }
        LZ4F_freeDecompressionContext(dctx);
        if (LZ4F_isError(hint) || hint != 0 || produced != (size_t)raw) return bad(err, "an LZ4 frame");
    }
    out->data = dst, out->len = (size_t)raw;
    return LAKE_OK;
}

static int read_batch(reader *rd, const lake__fb *fb, size_t header, const uint8_t *body, size_t body_len,
                      lake_arena *arena, unsigned char *rec, lake__arrow_row_fn fn, void *ctx) {
    lake_error *err = rd->err;
    int64_t rows;
    size_t nodes_at, bufs_at, comp;
    uint32_t nnodes, nbufs;
    size_t nfirst, bfirst;
    lake__fb_i64(fb, header, 0, 0, &rows);
    if (!lake__fb_deref(fb, header, 1, &nodes_at) || !nodes_at || !lake__fb_vec(fb, nodes_at, 16, &nnodes, &nfirst) ||
        !lake__fb_deref(fb, header, 2, &bufs_at) || !bufs_at || !lake__fb_vec(fb, bufs_at, 16, &nbufs, &bfirst) ||
        !lake__fb_deref(fb, header, 3, &comp) || rows < 0)
        return bad(err, "a record batch header");
    int codec = -1;
    if (comp) {
        int8_t c8 = 0;
        lake__fb_u8(fb, comp, 0, 0, (uint8_t *)&c8);
        codec = c8;
    }
    if (nnodes != rd->nfields) return bad(err, "a record batch whose nodes do not match the schema");
    column_data *cols = lake__calloc(rd->nfields ? rd->nfields : 1, sizeof *cols);
    if (!cols) return lake__error(err, LAKE_ENOMEM, "out of memory");
    int rc = LAKE_OK;
    uint32_t b = 0;
    for (uint32_t i = 0; !rc && i < rd->nfields; i++) {
        const arrow_field *af = &rd->fields[i];
        memcpy(&cols[i].length, fb->data + nfirst + 16 * i, 8);
        memcpy(&cols[i].nulls, fb->data + nfirst + 16 * i + 8, 8);
        if (af->buffers < 0) {
            rc = lake__error(err, LAKE_ENOTSUP, "column %s has a nested or unsupported Arrow type", af->name);
            break;
        }
        if (b + (uint32_t)af->buffers > nbufs) {
            rc = bad(err, "fewer buffers than the fields need");
            break;
        }
        for (int k = 0; !rc && k < af->buffers; k++, b++) {
            int64_t off, len;
            memcpy(&off, fb->data + bfirst + 16 * b, 8);
            memcpy(&len, fb->data + bfirst + 16 * b + 8, 8);
            rc = body_span(body, body_len, off, len, codec, arena, &cols[i].buf[k], err);
        }
        if (!rc) rc = check_column(af, &cols[i], err);
    }
    for (uint32_t i = 0; !rc && i < rd->nfields; i += 1 + rd->fields[i].span)
        if (cols[i].length != rows) rc = bad(err, "a field whose length is not the batch's");
    /* A struct holds no more rows than its shortest member: a list's offsets
     * are then bounded by values that exist before any element is allocated. */
    for (uint32_t i = rd->nfields; !rc && i-- > 0;)
        for (uint32_t k = i + 1; rd->fields[i].type == TYPE_STRUCT && k <= i + rd->fields[i].span; k += 1 + rd->fields[k].span)
            if (cols[k].length < cols[i].length) cols[i].length = cols[k].length;
    const lake_schema *s = rd->s;
    for (int64_t r = 0; !rc && r < rows; r++) {
        memset(rec, 0, s->record_size);
        rd->path[0] = '\0';
        for (size_t c = 0; !rc && c < s->column_count; c++)
            rc = decode(rd, cols, &s->columns[c], &rd->bound[c], r, rec, arena, err);
        char row[32];
        snprintf(row, sizeof row, ", row %lld", (long long)r);
        nested_path_note(rd, rc, row);
        if (!rc) rc = fn(ctx, rec);
    }
    lake__free(cols);
    return rc;
}

/* Reads the stream's messages: with rd->shape, up to its schema only. */
static int read_stream(reader *rd, const void *data, size_t len, lake_arena *arena, bool reset_arena,
                       lake__arrow_row_fn fn, void *ctx, lake_error *err) {
    const lake_schema *s = rd->s;
    const uint8_t *p = data;
    size_t at = 0;
    int rc = LAKE_OK;
    unsigned char *rec = s ? lake__malloc(s->record_size ? s->record_size : 1) : NULL;
    if (s && !rec) return lake__error(err, LAKE_ENOMEM, "out of memory");
    bool have_schema = false;
    while (!rc && !(have_schema && rd->shape)) {
        if (len - at < 4) {
            rc = bad(err, "the stream ends without its end marker");
            break;
        }
        uint32_t size;
        memcpy(&size, p + at, 4);
        at += 4;
        if (size == 0xFFFFFFFFu) { /* a continuation marker, then the size */
            if (len - at < 4) {
                rc = bad(err, "a truncated message");
                break;
            }
            memcpy(&size, p + at, 4);
            at += 4;
        }
        if (size == 0) break; /* end of stream */
        if (size > len - at) {
            rc = bad(err, "a message past the end");
            break;
        }
        lake__fb fb = {p + at, size};
        at += size;
        size_t msg, header;
        int16_t version;
        uint8_t kind;
        int64_t body_len;
        if (!lake__fb_root(&fb, &msg) || !lake__fb_i16(&fb, msg, 0, 0, &version) || !lake__fb_u8(&fb, msg, 1, 0, &kind) ||
            !lake__fb_deref(&fb, msg, 2, &header) || !header || !lake__fb_i64(&fb, msg, 3, 0, &body_len) || body_len < 0 ||
            (uint64_t)body_len > len - at) {
            rc = bad(err, "a message header");
            break;
        }
        if (version < 3) {
            rc = lake__error(err, LAKE_ENOTSUP, "Arrow metadata version %d is older than lakeorm reads (V4)", version + 1);
            break;
        }
        const uint8_t *body = p + at;
        at += (size_t)body_len;
        if (kind == 1 && !have_schema) {
            rc = read_schema(rd, &fb, header);
            have_schema = true;
        } else if (kind == 3 && have_schema) {
            rc = read_batch(rd, &fb, header, body, (size_t)body_len, arena, rec, fn, ctx);
            if (reset_arena) lake_arena_reset(arena);
        } else if (kind == 2) {
            rc = lake__error(err, LAKE_ENOTSUP, "dictionary batches are not read");
        } else {
            rc = bad(err, have_schema ? "an unexpected message" : "a stream that does not start with its schema");
        }
    }
    if (!rc && !have_schema) rc = bad(err, "no schema");
    lake__free(rd->fields);
    if (s) bindings_free(rd->bound, s);
    lake__free(rec);
    return rc;
}

int lake__arrow_read(const void *data, size_t len, const lake_schema *s, lake_arena *arena, bool reset_arena,
                     lake__arrow_row_fn fn, void *ctx, lake_error *err) {
    reader rd = {.s = s, .err = err};
    return read_stream(&rd, data, len, arena, reset_arena, fn, ctx, err);
}

int lake__arrow_shape(const void *data, size_t len, lake_schema **shape, lake_error *err) {
    *shape = NULL;
    reader rd = {.shape = shape, .err = err};
    return read_stream(&rd, data, len, NULL, false, NULL, NULL, err);
}
