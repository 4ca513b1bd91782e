/* SPDX-License-Identifier: MIT */
/* Strict single-pass decoding of JSON objects straight into records through
 * the compiled schema: no tree is built, and every problem is reported.
 *
 * Nesting is an explicit stack of frames, one per open object, list or map
 * the schema describes, never recursion: the schema bounds how many there
 * can be (LAKE__SCHEMA_NESTING_MAX), and JSON it does not describe (json
 * columns, values skipped after an issue) is read by lake__json_copy, which
 * is iterative too. So input nested to max_depth costs no C stack per level.
 *
 * A list's elements and a map's entries are built in the arena's scratch
 * buffer and copied into the arena once, when the collection closes. The
 * buffer is a stack whose top is the innermost open collection's current
 * element, so nested collections never interleave, and growing a collection
 * copies nothing but the buffer's own doubling. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error/report.h"
#include "json/decode.h"
#include "json/scan.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/decimal.h"
#include "validate/check.h"
#include "values/values.h"

/* Where a record is: at a fixed address (the caller's record, a nullable
 * struct's copy in the arena), or at an offset in the scratch buffer (a list
 * element or map entry being built), which moves when the buffer grows. */
typedef struct place {
    unsigned char *ptr; /* NULL: in the scratch buffer, at `off` */
    size_t off;
} place;

typedef enum frame_kind { F_OBJECT, F_LIST, F_MAP } frame_kind;

/* An open container the schema describes. */
typedef struct frame {
    frame_kind kind;
    char close;                /* the bracket that ends it */
    const lake__column *col;   /* the column it is the value of; NULL for the top-level record */
    const lake_schema *schema; /* an object's members; a list's element, a map's key and value */
    place owner;               /* the record col belongs to */
    place rec;                 /* an object's members; a collection's element or entry being decoded */
    size_t start;              /* a collection's first element in the scratch buffer */
    size_t count;              /* keys, elements or entries read so far */
    size_t bad_before;         /* decode issues when it opened: col's rules run on a clean value only */
    size_t hint;               /* an object's next expected column */
    size_t named;              /* an object's columns read so far */
    uint64_t *seen;            /* an object's columns read so far: seen_small, or in the arena */
    uint64_t seen_small[4];
} frame;

typedef struct decoder {
    lake__json j;
    lake_arena *arena;
    lake__buf *scratch;
    lake__report r;
    unsigned max_depth;
    bool validate;
    size_t bad;     /* decode issues so far: a value's rules run only when it added none */
    unsigned depth; /* open frames */
    frame stack[LAKE__SCHEMA_NESTING_MAX];
} decoder;

static const char *kind_name(lake__json_kind k) {
    switch (k) {
    case LAKE__J_OBJECT: return "an object";
    case LAKE__J_ARRAY: return "an array";
    case LAKE__J_STRING: return "a string";
    case LAKE__J_NUMBER: return "a number";
    case LAKE__J_TRUE: case LAKE__J_FALSE: return "a boolean";
    case LAKE__J_NULL: return "null";
    default: return "invalid JSON";
    }
}

static const char *expected_for(const lake__column *c) {
    switch (c->pub.type) {
    case LAKE_BOOL: return "true or false";
    case LAKE_INT8: case LAKE_INT16: case LAKE_INT32: case LAKE_INT64: return "an integer";
    case LAKE_FLOAT32: case LAKE_FLOAT64: return "a number";
    case LAKE_DECIMAL: return "a decimal number or a string holding one";
    case LAKE_STRING: return "a string";
    case LAKE_BYTES: return "a base64 string";
    case LAKE_TIMESTAMP: return "an RFC 3339 timestamp string";
    case LAKE_DATE: return "a YYYY-MM-DD date string";
    case LAKE_UUID: return "a UUID string";
    case LAKE_SORTABLE_ID: return "a 27-character KSUID string";
    case LAKE_STRUCT: return "an object";
    case LAKE_LIST: return "an array";
    case LAKE_MAP: return "an object";
    case LAKE_JSON: return "a JSON value";
    }
    return "a value";
}

static unsigned char *at(const decoder *d, place p) {
    return p.ptr ? p.ptr : (unsigned char *)d->scratch->data + p.off;
}

static place place_add(place p, size_t n) {
    if (p.ptr) p.ptr += n;
    else p.off += n;
    return p;
}

static const char *column_of(decoder *d, const lake__column *c) {
    return d->r.depth ? d->r.top_column : c->pub.name;
}

/* A decode problem at the current path extended by `leaf`. */
#define REPORT(d, leaf, leaf_len, column, rule, ...)                                            \
    do {                                                                                        \
        (d)->bad++;                                                                             \
        lake__report_add(&(d)->r, leaf, leaf_len, column, rule, "", __VA_ARGS__);               \
    } while (0)

/* A problem with column c's value, at its path: its key, or for an element
 * the index or key the decoder pushed. */
#define ISSUE(d, c, rule, ...)                                                                  \
    do {                                                                                        \
        size_t leaf_len_;                                                                       \
        const char *leaf_ = lake__column_leaf(c, &leaf_len_);                                   \
        REPORT(d, leaf_, leaf_len_, column_of(d, c), rule, __VA_ARGS__);                        \
    } while (0)

static void set_valid(const lake__column *c, unsigned char *base) {
    if (c->optional) *(bool *)(base + c->valid_offset) = true;
}

/* Integers: exact, no fraction or exponent, within the column's width. */
static bool decode_int(decoder *d, const lake__column *c, unsigned char *p) {
    lake__json_num n;
    if (!lake__json_number(&d->j, &n)) return false;
    const lake__value_type *t = lake__value_type_of(c->pub.type);
    int64_t v;
    if (n.fraction || n.exponent) {
        ISSUE(d, c, "type", "expected an integer, got %.*s", (int)(n.len > 40 ? 40 : n.len), n.text);
        return true;
    }
    /* the value table narrows (values/values.h) */
    if (!lake__json_number_int64(&n, &v) || lake__value_set_int(c, v, p - c->pub.offset) != LAKE__FITS) {
        ISSUE(d, c, "range", "%.*s does not fit %s (%lld to %lld)", (int)(n.len > 40 ? 40 : n.len), n.text,
              lake_type_name(c->pub.type), (long long)t->min, (long long)t->max);
    }
    return true;
}

static bool decode_float(decoder *d, const lake__column *c, unsigned char *p) {
    lake__json_num n;
    if (!lake__json_number(&d->j, &n)) return false;
    char buf[128];
    double v;
    if (n.len < sizeof buf) {
        memcpy(buf, n.text, n.len);
        buf[n.len] = '\0';
        errno = 0;
        v = strtod(buf, NULL);
    } else {
        char *copy = lake__strndup(n.text, n.len);
        if (!copy) {
            d->r.oom = true;
            return false;
        }
        errno = 0;
        v = strtod(copy, NULL);
        lake__free(copy);
    }
    /* JSON has no infinity: one here is a number past DOUBLE's range. */
    if (isinf(v) || lake__value_set_float(c, v, p - c->pub.offset) != LAKE__FITS) {
        ISSUE(d, c, "range", "%.*s is too large for %s", (int)(n.len > 40 ? 40 : n.len), n.text,
              lake_type_name(c->pub.type));
    }
    return true;
}

static bool decode_decimal(decoder *d, const lake__column *c, unsigned char *p, lake__json_kind k) {
    const char *text;
    size_t len;
    if (k == LAKE__J_NUMBER) {
        lake__json_num n;
        if (!lake__json_number(&d->j, &n)) return false;
        text = n.text, len = n.len;
    } else if (!lake__json_string(&d->j, d->arena, &text, &len)) {
        return false;
    }
    lake__value v;
    const char *why = lake__value_parse(&c->pub, text, len, &v);
    if (why) {
        ISSUE(d, c, strstr(why, "expected") ? "format" : "range", "%s (DECIMAL(%u,%u))", why, c->pub.precision,
              c->pub.scale);
        return true;
    }
    /* parsed at the column's scale and checked against its precision: it fits */
    lake__value_set_decimal(c, v.i, c->pub.scale, p - c->pub.offset);
    return true;
}

/* String-carried types: text, bytes, timestamps, dates, UUIDs, KSUIDs. */
static bool decode_text(decoder *d, const lake__column *c, unsigned char *p) {
    const char *s;
    size_t len;
    if (!lake__json_string(&d->j, d->arena, &s, &len)) return false;
    const char *why = NULL;
    switch (c->pub.type) {
    case LAKE_STRING: {
        /* Unescaped text already lives in the arena; views into the input are copied. */
        bool in_input = s >= d->j.start && s < d->j.end;
        const char *copy = in_input ? lake__arena_strndup(d->arena, s, len) : s;
        if (!copy) {
            d->r.oom = true;
            return false;
        }
        ((lake_str *)p)->ptr = copy;
        ((lake_str *)p)->len = len;
        return true;
    }
    case LAKE_BYTES: {
        uint8_t *out = lake__arena_alloc(d->arena, lake__base64_decoded_max(len) + 1, 1);
        if (!out) {
            d->r.oom = true;
            return false;
        }
        size_t n = lake__base64_decode(s, len, out);
        if (n == (size_t)-1) {
            why = "expected standard base64 with padding";
            break;
        }
        ((lake_bytes *)p)->ptr = out;
        ((lake_bytes *)p)->len = n;
        return true;
    }
    default: {
        /* Timestamps, dates, UUIDs and KSUIDs: their text form, parsed by the table. */
        lake__value v;
        why = lake__value_parse(&c->pub, s, len, &v);
        if (why) break;
        unsigned char *rec = p - c->pub.offset;
        if (c->pub.type == LAKE_TIMESTAMP) lake__value_set_timestamp(c, v.t, LAKE__UNIT_US, rec);
        else if (c->pub.type == LAKE_DATE) lake__value_set_date(c, v.t, LAKE__UNIT_DAY, rec);
        else lake__value_set_id(c, v.id, rec, d->arena);
        return true;
    }
    }
    ISSUE(d, c, "format", "%s", why);
    return true;
}

/* A JSON column's value: normalized (json/scan.h) in the scratch buffer's
 * free top, then copied into the arena. */
static bool decode_json(decoder *d, const lake__column *c, place base) {
    lake__buf *b = d->scratch;
    size_t mark = b->len;
    if (!lake__json_copy(&d->j, d->max_depth - d->depth, b)) {
        b->len = mark;
        return false;
    }
    char *text = b->failed ? NULL : lake__arena_strndup(d->arena, b->data + mark, b->len - mark);
    size_t len = b->len - mark;
    b->len = mark;
    if (!text) {
        d->r.oom = true;
        return false;
    }
    unsigned char *rec = at(d, base);
    *(lake_json *)(rec + c->pub.offset) = (lake_json){text, len};
    if (d->validate) lake__check_column(c, rec, &d->r);
    return true;
}

/* Opens a frame for the container at the input, the value of column c (or
 * the top-level record when c is NULL) in the record at `owner`. */
static frame *open_frame(decoder *d, frame_kind kind, const lake__column *c, const lake_schema *s, place owner) {
    /* The schema's bound keeps the stack in range whatever max_depth says. */
    if (d->depth >= d->max_depth || d->depth == LAKE__SCHEMA_NESTING_MAX) {
        lake__json_fail(&d->j, "nesting too deep");
        return NULL;
    }
    d->j.p++; /* '{' or '[', checked by the caller */
    frame *f = &d->stack[d->depth++];
    f->kind = kind;
    f->close = kind == F_LIST ? ']' : '}';
    f->col = c;
    f->schema = s;
    f->owner = owner;
    f->count = 0;
    f->bad_before = d->bad;
    if (c && !c->unnamed) {
        if (d->r.depth == 0) d->r.top_column = c->pub.name;
        lake__report_push(&d->r, c->pub.json_name, c->pub.json_name_len);
    }
    if (kind != F_OBJECT) {
        /* Elements start past everything open, aligned for any member. */
        f->start = (d->scratch->len + 15) & ~(size_t)15;
        return f;
    }
    f->hint = 0;
    f->named = 0;
    f->seen = f->seen_small;
    if (s->column_count > 64 * sizeof f->seen_small / sizeof f->seen_small[0]) {
        f->seen = lake__arena_alloc(d->arena, (s->column_count + 63) / 64 * 8, 8);
        if (!f->seen) {
            d->r.oom = true;
            return NULL;
        }
    }
    memset(f->seen, 0, (s->column_count + 63) / 64 * 8);
    return f;
}

/* A struct's members: in the record (a struct column), or for a nullable
 * struct in a zeroed record in the arena its pointer points to. */
static bool open_struct(decoder *d, const lake__column *c, place base) {
    const lake_schema *s = c->pub.child;
    place members = place_add(base, c->pub.offset);
    if (c->optional) {
        void *rec = lake__arena_alloc(d->arena, s->record_size, 16);
        if (!rec) {
            d->r.oom = true;
            return false;
        }
        memset(rec, 0, s->record_size);
        *(void **)at(d, members) = rec;
        members = (place){rec, 0};
    }
    frame *f = open_frame(d, F_OBJECT, c, s, base);
    if (f) f->rec = members;
    return f != NULL;
}

/* Decodes the value at the input into column c of the record at `base`. A
 * struct, list or map opens a frame, which the caller's loop then reads;
 * any other value is read whole. Returns false on a syntax error or when
 * memory ran out (fatal for the record); a value of the wrong kind is
 * reported and skipped. */
static bool value(decoder *d, const lake__column *c, place base) {
    lake__json_kind k = lake__json_peek(&d->j);
    size_t bad_before = d->bad;
    unsigned char *rec = at(d, base), *p = rec + c->pub.offset; /* until the scratch buffer grows */
    bool ok;
    if (k == LAKE__J_NULL) {
        if (!lake__json_literal(&d->j, k)) return false;
        if (!c->pub.nullable)
            ISSUE(d, c, "null", "null is not allowed: %s", c->unnamed ? "the elements are not nullable"
                                                                      : "the column is not nullable");
        else if (d->validate)
            lake__check_column(c, rec, &d->r);
        return true;
    }
    switch (c->pub.type) {
    case LAKE_STRUCT:
        if (k != LAKE__J_OBJECT) goto mismatch;
        return open_struct(d, c, base);
    case LAKE_LIST:
    case LAKE_MAP:
        if (k != (c->pub.type == LAKE_LIST ? LAKE__J_ARRAY : LAKE__J_OBJECT)) goto mismatch;
        return open_frame(d, c->pub.type == LAKE_LIST ? F_LIST : F_MAP, c, c->pub.child, base) != NULL;
    case LAKE_JSON:
        if (k == LAKE__J_INVALID || k == LAKE__J_END) goto mismatch;
        return decode_json(d, c, base);
    case LAKE_BOOL:
        if (k != LAKE__J_TRUE && k != LAKE__J_FALSE) goto mismatch;
        if (!lake__json_literal(&d->j, k)) return false;
        *(bool *)p = k == LAKE__J_TRUE;
        set_valid(c, rec);
        ok = true;
        break;
    case LAKE_INT8: case LAKE_INT16: case LAKE_INT32: case LAKE_INT64:
        if (k != LAKE__J_NUMBER) goto mismatch;
        ok = decode_int(d, c, p);
        break;
    case LAKE_FLOAT32: case LAKE_FLOAT64:
        if (k != LAKE__J_NUMBER) goto mismatch;
        ok = decode_float(d, c, p);
        break;
    case LAKE_DECIMAL:
        if (k != LAKE__J_NUMBER && k != LAKE__J_STRING) goto mismatch;
        ok = decode_decimal(d, c, p, k);
        break;
    default:
        if (k != LAKE__J_STRING) goto mismatch;
        ok = decode_text(d, c, p);
        break;
    }
    if (ok && d->validate && d->bad == bad_before) lake__check_column(c, rec, &d->r);
    return ok;
mismatch:
    if (k == LAKE__J_INVALID || k == LAKE__J_END)
        return lake__json_fail(&d->j, k == LAKE__J_END ? "unexpected end of input" : "unexpected character");
    ISSUE(d, c, "type", "expected %s, got %s", expected_for(c), kind_name(k));
    return lake__json_skip(&d->j, d->max_depth - d->depth);
}

static const lake__column *find(const lake_schema *s, const char *key, size_t len, size_t *hint) {
    /* Keys usually arrive in declaration order: try the next column first. */
    size_t n = s->column_count, i = *hint < n ? *hint : 0;
    for (size_t k = 0; k < n; k++, i = i + 1 < n ? i + 1 : 0) {
        const lake__column *c = &s->columns[i];
        if (c->pub.json_name_len == len && memcmp(c->pub.json_name, key, len) == 0) {
            *hint = i + 1;
            return c;
        }
    }
    return NULL;
}

/* A key and its colon (at the key's first byte). */
static bool read_key(decoder *d, const char **key, size_t *len) {
    lake__json *j = &d->j;
    if (j->p == j->end || *j->p != '"') return lake__json_fail(j, "expected a key string");
    return lake__json_string(j, d->arena, key, len) && lake__json_expect(j, ':', "expected ':' after key");
}

/* An object's next key (at its first byte): the column it names, or NULL when it names none
 * the object may hold (reported, and its value skipped). */
static bool object_key(decoder *d, frame *f, const lake__column **out) {
    lake__json *j = &d->j;
    *out = NULL;
    const char *key;
    size_t key_len;
    if (!read_key(d, &key, &key_len)) return false;
    const lake_schema *s = f->schema;
    const lake__column *c = find(s, key, key_len, &f->hint);
    size_t i = c ? (size_t)(c - s->columns) : 0;
    if (!c || (f->seen[i / 64] >> (i % 64) & 1) || c->pub.auto_ingest_id) {
        const char *rule = !c ? "unknown_key" : c->pub.auto_ingest_id ? "auto" : "duplicate_key";
        const char *why = !c ? "unknown key: the table has no such column"
                        : c->pub.auto_ingest_id ? "lakeorm fills this column with the insert's ingest id; leave it out"
                                                : "duplicate key";
        REPORT(d, key, key_len, d->r.depth ? d->r.top_column : (c ? c->pub.name : ""), rule, "%s", why);
        return lake__json_skip(j, d->max_depth - d->depth);
    }
    f->seen[i / 64] |= (uint64_t)1 << (i % 64);
    f->named++;
    *out = c;
    return true;
}

/* A zeroed record for the collection's next element or entry, on top of
 * the scratch buffer. */
static bool append(decoder *d, frame *f) {
    lake__buf *b = d->scratch;
    size_t stride = f->schema->record_size;
    b->len = f->start + (f->count - 1) * stride;
    if (lake__buf_grow(b, stride)) {
        d->r.oom = true;
        return false;
    }
    memset(b->data + b->len, 0, stride);
    f->rec = (place){NULL, b->len};
    b->len += stride;
    return true;
}

/* A list's next element: its record, and its index on the path. */
static bool list_element(decoder *d, frame *f) {
    if (!append(d, f)) return false;
    lake__report_push_index(&d->r, f->count - 1);
    return true;
}

/* A map's next entry (at its key's first byte): its record, its key
 * (checked) on the path. */
static bool map_entry(decoder *d, frame *f) {
    lake__json *j = &d->j;
    const char *key;
    size_t key_len;
    if (!read_key(d, &key, &key_len)) return false;
    /* Unescaped keys already live in the arena; views into the input are copied. */
    if (key >= j->start && key < j->end && !(key = lake__arena_strndup(d->arena, key, key_len))) {
        d->r.oom = true;
        return false;
    }
    if (!append(d, f)) return false;
    *(lake_str *)at(d, f->rec) = (lake_str){key, key_len};
    lake__report_push(&d->r, key, key_len);
    if (d->validate) lake__check_column(&f->schema->columns[0], at(d, f->rec), &d->r);
    return true;
}

/* One key of a map, for finding duplicates. */
typedef struct key_ref {
    const char *ptr;
    size_t len, index;
} key_ref;

static int key_order(const void *a, const void *b) {
    const key_ref *x = a, *y = b;
    int c = memcmp(x->ptr, y->ptr, x->len < y->len ? x->len : y->len);
    if (c) return c;
    if (x->len != y->len) return x->len < y->len ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Reports every key a map repeats, at the repetition: sorting finds them
 * in n log n, where comparing each key with those before it would not. */
static bool refuse_duplicate_keys(decoder *d, frame *f) {
    if (f->count < 2) return true;
    lake__buf *b = d->scratch;
    size_t stride = f->schema->record_size, refs_at = (f->start + f->count * stride + 15) & ~(size_t)15;
    size_t bytes = f->count * sizeof(key_ref); /* fits: no more than the entries (key and value) take */
    b->len = refs_at;
    if (lake__buf_grow(b, bytes)) {
        d->r.oom = true;
        return false;
    }
    key_ref *refs = (key_ref *)(b->data + refs_at);
    for (size_t i = 0; i < f->count; i++) {
        const lake_str *key = (const lake_str *)(b->data + f->start + i * stride);
        refs[i] = (key_ref){key->ptr, key->len, i};
    }
    qsort(refs, f->count, sizeof *refs, key_order);
    for (size_t i = 1; i < f->count; i++)
        if (refs[i].len == refs[i - 1].len && memcmp(refs[i].ptr, refs[i - 1].ptr, refs[i].len) == 0)
            REPORT(d, refs[i].ptr, refs[i].len, d->r.top_column, "duplicate_key",
                   "duplicate key: a map's keys are unique");
    return true;
}

/* The elements built in the scratch buffer, copied once into the arena and
 * set in the collection's view; the buffer's top goes back to where they began. */
static bool store_elements(decoder *d, frame *f) {
    size_t bytes = f->count * f->schema->record_size;
    void *elements = LAKE_EMPTY;
    if (f->count) {
        if (!(elements = lake__arena_alloc(d->arena, bytes, 16))) {
            d->r.oom = true;
            return false;
        }
        memcpy(elements, d->scratch->data + f->start, bytes);
    }
    *(lake__view *)(at(d, f->owner) + f->col->pub.offset) = (lake__view){elements, f->count};
    d->scratch->len = f->start;
    return true;
}

/* An object's members it did not name: missing, or NULL. */
static void absent_members(decoder *d, const frame *f) {
    const lake_schema *s = f->schema;
    if (f->named == s->column_count) return; /* the usual case: every member named */
    for (size_t i = 0; i < s->column_count; i++) {
        if (f->seen[i / 64] >> (i % 64) & 1) continue;
        const lake__column *c = &s->columns[i];
        if (c->pub.auto_ingest_id) continue;
        if (!c->pub.nullable) ISSUE(d, c, "missing", "missing: the column is not nullable");
        else if (d->validate) lake__check_column(c, at(d, f->rec), &d->r);
    }
}

/* An element or entry is decoded: its index or key leaves the path. */
static void item_done(decoder *d, const frame *f) {
    if (f->kind != F_OBJECT) lake__report_pop(&d->r);
}

/* Closes the innermost frame (its closing bracket read): what an object
 * lacks, a collection's elements stored, then the column's own rules. */
static bool close_frame(decoder *d) {
    frame *f = &d->stack[d->depth - 1];
    if (f->kind == F_OBJECT) {
        absent_members(d, f);
        /* cross-field rules: every member of the object is in */
        if (d->validate) lake__check_fields(f->schema, at(d, f->rec), &d->r);
    } else if ((f->kind == F_MAP && !refuse_duplicate_keys(d, f)) || !store_elements(d, f)) return false;
    d->depth--;
    if (!f->col) return true;
    if (!f->col->unnamed) lake__report_pop(&d->r);
    if (d->validate && d->bad == f->bad_before) lake__check_column(f->col, at(d, f->owner), &d->r);
    item_done(d, &d->stack[d->depth - 1]);
    return true;
}

/* Reads the object at the input into `record`, frame by frame. */
static bool decode_record(decoder *d, const lake_schema *s, unsigned char *record) {
    lake__json *j = &d->j;
    frame *top = open_frame(d, F_OBJECT, NULL, s, (place){record, 0});
    if (!top) return false;
    top->rec = (place){record, 0};
    while (d->depth) {
        unsigned depth = d->depth;
        frame *f = &d->stack[depth - 1];
        lake__json_ws(j);
        if (j->p < j->end && *j->p == f->close) {
            j->p++;
            if (!close_frame(d)) return false;
            continue;
        }
        if (f->count) {
            if (j->p == j->end || *j->p != ',')
                return lake__json_fail(j, f->close == ']' ? "expected ',' or ']'" : "expected ',' or '}'");
            j->p++;
            lake__json_ws(j);
        }
        f->count++; /* at the item's first byte */
        /* the next value: a member's, an element's or an entry's */
        const lake__column *c;
        bool ok = f->kind == F_OBJECT ? object_key(d, f, &c)
                : f->kind == F_LIST   ? (c = &f->schema->columns[0], list_element(d, f))
                                      : (c = &f->schema->columns[1], map_entry(d, f));
        if (!ok || (c && !value(d, c, f->rec))) return false;
        if (d->depth == depth) item_done(d, f); /* read whole: no frame opened */
    }
    return true;
}

int lake__json_decode_into(const lake_schema *s, const char *json, size_t len, void *record,
                           lake_arena *arena, lake_issues **issues, size_t record_index,
                           const lake_decode_options *opts) {
    /* Fields one by one: the frames and the report's path arrays are read
     * only below their depth, and zeroing them costs more than a short key. */
    decoder d;
    d.arena = arena;
    d.scratch = lake__arena_scratch(arena);
    d.scratch->len = 0;
    d.scratch->failed = 0; /* a past call's failure is not this one's */
    d.max_depth = 64;
    d.validate = true;
    d.bad = 0;
    d.depth = 0;
    d.r.issues = *issues;
    d.r.record = record_index;
    d.r.top_column = NULL;
    d.r.depth = 0;
    d.r.count = 0;
    d.r.decoded = true;
    d.r.oom = false;
    if (opts) {
        if (opts->max_depth) d.max_depth = opts->max_depth > 1024 ? 1024 : opts->max_depth;
        d.validate = !opts->skip_validation;
    }
    memset(record, 0, s->record_size);
    lake__json_init(&d.j, json, len);
    lake__json_kind k = lake__json_peek(&d.j);
    if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0) {
        lake__json_fail(&d.j, "byte order mark before the JSON text");
    } else if (k == LAKE__J_END) {
        lake__json_fail(&d.j, "empty input: expected a JSON object");
    } else if (k != LAKE__J_OBJECT) {
        /* Only valid JSON of another kind is a type problem; anything else is syntax. */
        if (lake__json_skip(&d.j, d.max_depth))
            lake__report_add(&d.r, NULL, 0, "", "type", "", "expected a JSON object, got %s", kind_name(k));
    } else if (decode_record(&d, s, record) && !lake__json_at_end(&d.j)) {
        lake__report_add(&d.r, NULL, 0, "", "trailing", "",
                         "unexpected data after the JSON object at byte %zu", (size_t)(d.j.p - json));
    }
    if (d.j.oom) d.r.oom = true;
    if (d.j.error && !d.r.oom) {
        d.r.depth = 0;
        lake__report_add(&d.r, NULL, 0, "", "syntax", "", "invalid JSON at byte %zu: %s", d.j.error_offset,
                         d.j.error);
    }
    *issues = d.r.issues;
    if (d.r.oom) return LAKE_ENOMEM;
    return d.r.count ? LAKE_EVALIDATION : LAKE_OK;
}
