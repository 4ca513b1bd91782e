/* SPDX-License-Identifier: MIT */
/* Strict single-pass decoding of JSON objects straight into records through
 * the compiled schema: no tree is built, and every problem is reported. */
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

typedef struct decoder {
    lake__json j;
    lake_arena *arena;
    lake__report r;
    unsigned max_depth;
    bool validate;
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

static const char *column_of(decoder *d, const lake__column *c) {
    return d->r.depth ? d->r.top_column : c->pub.name;
}

static void issue(decoder *d, const lake__column *c, const char *rule, const char *message) {
    lake__report_add(&d->r, c->pub.name, strlen(c->pub.name), column_of(d, c), rule, "", "%s", message);
}

static void set_valid(const lake__column *c, unsigned char *base) {
    if (c->optional) *(bool *)(base + c->valid_offset) = true;
}

static bool decode_object(decoder *d, const lake_schema *s, unsigned char *base, unsigned depth);

/* Integers: exact, no fraction or exponent, within the column's width. */
static bool decode_int(decoder *d, const lake__column *c, unsigned char *p) {
    lake__json_num n;
    if (!lake__json_number(&d->j, &n)) return false;
    const lake__value_type *t = lake__value_type_of(c->pub.type);
    int64_t v;
    if (n.fraction || n.exponent) {
        lake__report_add(&d->r, c->pub.name, strlen(c->pub.name), column_of(d, c), "type", "",
                         "expected an integer, got %.*s", (int)(n.len > 40 ? 40 : n.len), n.text);
        return true;
    }
    /* the value table narrows (values/values.h) */
    if (!lake__json_number_int64(&n, &v) || lake__value_set_int(c, v, p - c->pub.offset) != LAKE__FITS) {
        lake__report_add(&d->r, c->pub.name, strlen(c->pub.name), column_of(d, c), "range", "",
                         "%.*s does not fit %s (%lld to %lld)", (int)(n.len > 40 ? 40 : n.len), n.text,
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
        lake__report_add(&d->r, c->pub.name, strlen(c->pub.name), column_of(d, c), "range", "",
                         "%.*s is too large for %s", (int)(n.len > 40 ? 40 : n.len), n.text,
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
        lake__report_add(&d->r, c->pub.name, strlen(c->pub.name), column_of(d, c),
                         strstr(why, "expected") ? "format" : "range", "", "%s (DECIMAL(%u,%u))", why,
                         c->pub.precision, c->pub.scale);
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
    issue(d, c, "format", why);
    return true;
}

/* Decodes one member's value. Returns false only on a syntax error (fatal for
 * the record); a value of the wrong kind is reported and skipped. */
static bool decode_value(decoder *d, const lake__column *c, unsigned char *base, unsigned depth) {
    unsigned char *p = base + c->pub.offset;
    lake__json_kind k = lake__json_peek(&d->j);
    size_t issues_before = d->r.count;
    bool ok;
    if (k == LAKE__J_NULL) {
        if (!lake__json_literal(&d->j, k)) return false;
        if (!c->pub.nullable)
            issue(d, c, "null", "null is not allowed: the column is not nullable");
        else if (d->validate)
            lake__check_column(c, base, &d->r);
        return true;
    }
    switch (c->pub.type) {
    case LAKE_BOOL:
        if (k != LAKE__J_TRUE && k != LAKE__J_FALSE) goto mismatch;
        if (!lake__json_literal(&d->j, k)) return false;
        *(bool *)p = k == LAKE__J_TRUE;
        set_valid(c, base);
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
    case LAKE_STRUCT:
        if (k != LAKE__J_OBJECT) goto mismatch;
        if (depth == 0) d->r.top_column = c->pub.name;
        lake__report_push(&d->r, c->pub.name, strlen(c->pub.name));
        ok = decode_object(d, c->pub.child, p, depth + 1);
        lake__report_pop(&d->r);
        return ok;
    default:
        if (k != LAKE__J_STRING) goto mismatch;
        ok = decode_text(d, c, p);
        break;
    }
    if (ok && d->validate && d->r.count == issues_before) lake__check_column(c, base, &d->r);
    return ok;
mismatch:
    if (k == LAKE__J_INVALID || k == LAKE__J_END)
        return lake__json_fail(&d->j, k == LAKE__J_END ? "unexpected end of input" : "unexpected character");
    lake__report_add(&d->r, c->pub.name, strlen(c->pub.name), column_of(d, c), "type", "",
                     "expected %s, got %s", expected_for(c), kind_name(k));
    return lake__json_skip(&d->j, d->max_depth > depth ? d->max_depth - depth : 1);
}

static const lake__column *find(const lake_schema *s, const char *key, size_t len, size_t *hint) {
    /* Keys usually arrive in declaration order: try the next column first. */
    size_t n = s->column_count;
    for (size_t k = 0; k < n; k++) {
        size_t i = (*hint + k) % n;
        const lake__column *c = &s->columns[i];
        if (c->name_len == len && memcmp(c->pub.name, key, len) == 0) {
            *hint = i + 1;
            return &s->columns[i];
        }
    }
    return NULL;
}

static bool decode_object(decoder *d, const lake_schema *s, unsigned char *base, unsigned depth) {
    lake__json *j = &d->j;
    if (depth >= d->max_depth) return lake__json_fail(j, "nesting too deep");
    j->p++; /* '{', checked by the caller */
    uint64_t seen_small[4] = {0};
    uint64_t *seen = seen_small;
    if (s->column_count > 256) {
        seen = lake__arena_alloc(d->arena, (s->column_count + 63) / 64 * 8, 8);
        if (!seen) {
            d->r.oom = true;
            return false;
        }
        memset(seen, 0, (s->column_count + 63) / 64 * 8);
    }
    size_t hint = 0;
    lake__json_ws(j);
    if (j->p < j->end && *j->p == '}') {
        j->p++;
    } else {
        for (;;) {
            lake__json_ws(j);
            if (j->p == j->end || *j->p != '"') return lake__json_fail(j, "expected a key string");
            const char *key;
            size_t key_len;
            if (!lake__json_string(j, d->arena, &key, &key_len)) return false;
            if (!lake__json_expect(j, ':', "expected ':' after key")) return false;
            lake__json_ws(j);
            const lake__column *c = find(s, key, key_len, &hint);
            size_t i = c ? (size_t)(c - s->columns) : 0;
            if (!c || (seen[i / 64] >> (i % 64) & 1) || c->pub.auto_ingest_id) {
                const char *rule = !c ? "unknown_key" : c->pub.auto_ingest_id ? "auto" : "duplicate_key";
                const char *why = !c ? "unknown key: the table has no such column"
                                : c->pub.auto_ingest_id ? "lakeorm fills this column with the insert's ingest id; leave it out"
                                                        : "duplicate key";
                lake__report_add(&d->r, key, key_len, d->r.depth ? d->r.top_column : (c ? c->pub.name : ""),
                                 rule, "", "%s", why);
                if (!lake__json_skip(j, d->max_depth - depth)) return false;
            } else {
                seen[i / 64] |= (uint64_t)1 << (i % 64);
                if (!decode_value(d, c, base, depth)) return false;
            }
            lake__json_ws(j);
            if (j->p < j->end && *j->p == ',') {
                j->p++;
                continue;
            }
            if (j->p < j->end && *j->p == '}') {
                j->p++;
                break;
            }
            return lake__json_fail(j, "expected ',' or '}'");
        }
    }
    for (size_t i = 0; i < s->column_count; i++) {
        if (seen[i / 64] >> (i % 64) & 1) continue;
        const lake__column *c = &s->columns[i];
        if (c->pub.auto_ingest_id) continue;
        if (!c->pub.nullable)
            lake__report_add(&d->r, c->pub.name, strlen(c->pub.name), column_of(d, c), "missing", "",
                             "missing: the column is not nullable");
        else if (d->validate)
            lake__check_column(c, base, &d->r);
    }
    if (d->validate) lake__check_fields(s, base, &d->r); /* cross-field rules: every member is in */
    return true;
}

int lake__json_decode_into(const lake_schema *s, const char *json, size_t len, void *record,
                           lake_arena *arena, lake_issues **issues, size_t record_index,
                           const lake_decode_options *opts) {
    decoder d = {.arena = arena, .max_depth = 64, .validate = true};
    d.r.decoded = true;
    d.r.issues = *issues;
    d.r.record = record_index;
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
    } else if (decode_object(&d, s, record, 0) && !lake__json_at_end(&d.j)) {
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
