/* SPDX-License-Identifier: MIT */
#include "validate/check.h"

#include <stdio.h>
#include <string.h>

#include "json/scan.h"
#include "util/utf8.h"
#include "validate/compare.h"
#include "validate/formats.h"

/* A column value, read once per check through the value table. */
typedef struct value {
    const void *raw; /* the value inside the record, for custom rules */
    lake_type type;
    lake__vkind kind;
    lake__value v; /* text and bytes in .s, a collection's count in .i */
} value;

/* The C zero value of a value that is not NULL. */
static bool is_zero(const lake__column *c, const value *v) {
    switch (v->kind) {
    case LAKE__V_TEXT: case LAKE__V_BINARY: return v->v.s.len == 0;
    case LAKE__V_LIST: case LAKE__V_MAP: return v->v.i == 0;
    case LAKE__V_STRUCT: return false; /* only a NULL struct is empty, and NULL never gets here */
    default: break;
    }
    const unsigned char *p = v->raw;
    size_t n = c->optional ? c->valid_offset - c->pub.offset : c->size;
    for (size_t i = 0; i < n; i++)
        if (p[i]) return false;
    return true;
}

/* -1, 0 or 1 comparing the value (or, for text, bytes and collections, its
 * length or count) with the rule's parameter; 2 when they are unordered (NaN). */
static int compare(const value *v, const lake__rule *r) {
    uint64_t n;
    switch (v->kind) {
    case LAKE__V_TEXT: n = lake__utf8_count(v->v.s.ptr, v->v.s.len); break;
    case LAKE__V_BINARY: n = v->v.s.len; break;
    case LAKE__V_LIST: case LAKE__V_MAP: n = (uint64_t)v->v.i; break;
    case LAKE__V_FLOAT:
        if (v->v.f != v->v.f) return 2;
        return v->v.f < r->num.f ? -1 : v->v.f > r->num.f;
    case LAKE__V_DECIMAL: return v->v.i < r->num.dec ? -1 : v->v.i > r->num.dec;
    default: return v->v.i < r->num.i ? -1 : v->v.i > r->num.i;
    }
    return n < r->num.count ? -1 : n > r->num.count;
}

static bool text_equals(const value *v, const char *s, size_t len) {
    return v->v.s.len == len && memcmp(v->v.s.ptr, s, len) == 0;
}

/* unique: the compared value of element i of the collection, NULL skipped. */
typedef struct elements {
    const unsigned char *base;
    size_t stride;
    const lake__column *element, *member;
} elements;

static bool element_value(const void *ctx, size_t i, lake__value *out) {
    const elements *e = ctx;
    const void *rec = e->base + i * e->stride;
    const lake__column *c = e->element;
    if (lake__is_null(c, rec)) return false;
    if (e->member) {
        rec = lake__struct_at(c, rec);
        c = e->member;
        if (lake__is_null(c, rec)) return false;
    }
    lake__compare_read(c, rec, out);
    return true;
}

static bool stop_at_first(void *found, size_t i) {
    (void)i;
    *(bool *)found = true;
    return false;
}

static bool unique_holds(const lake__column *c, const void *record, const lake__rule *rule, lake__report *r) {
    const lake__view *view = lake__view_at(c, record);
    elements e = {view->ptr, c->pub.child->record_size, rule->element, rule->member};
    bool duplicate = false;
    lake__vkind kind = lake__compare_kind(rule->member ? rule->member : rule->element);
    if (!lake__each_duplicate(view->len, kind, element_value, &e, stop_at_first, &duplicate)) r->oom = true;
    return !duplicate;
}

static bool passes(const lake__column *c, const lake__rule *r, const value *v, const void *record,
                   lake__report *report) {
    const char *s = v->v.s.ptr;
    size_t len = v->v.s.len;
    int cmp;
    switch (r->op) {
    case LAKE__R_REQUIRED: return lake__is_present(c, record);
    case LAKE__R_EMAIL: return lake__is_email(s, len);
    case LAKE__R_UUID: return lake__is_uuid(s, len);
    case LAKE__R_UUID4: return lake__is_uuid4(s, len);
    case LAKE__R_URL: return lake__is_url(s, len);
    case LAKE__R_URI: return lake__is_uri(s, len);
    case LAKE__R_MIN: case LAKE__R_GTE: cmp = compare(v, r); return cmp == 0 || cmp == 1;
    case LAKE__R_MAX: case LAKE__R_LTE: cmp = compare(v, r); return cmp == 0 || cmp == -1;
    case LAKE__R_LEN: return compare(v, r) == 0;
    case LAKE__R_GT: return compare(v, r) == 1;
    case LAKE__R_LT: return compare(v, r) == -1;
    case LAKE__R_EQ:
    case LAKE__R_NE: {
        bool eq = v->kind == LAKE__V_TEXT ? text_equals(v, r->param, r->param_len)
                : v->kind == LAKE__V_BOOL ? v->v.b == r->num.b
                                          : compare(v, r) == 0;
        return r->op == LAKE__R_EQ ? eq : !eq;
    }
    case LAKE__R_ONEOF:
        for (size_t i = 0; i < r->count; i++)
            if (r->nums ? v->v.i == r->nums[i].i : text_equals(v, r->items[i].ptr, r->items[i].len)) return true;
        return false;
    case LAKE__R_ALPHA: return lake__is_alpha(s, len);
    case LAKE__R_ALPHANUM: return lake__is_alphanum(s, len);
    case LAKE__R_NUMERIC: return lake__is_numeric(s, len);
    case LAKE__R_HEXADECIMAL: return lake__is_hexadecimal(s, len);
    case LAKE__R_LOWERCASE: return lake__is_lowercase(s, len);
    case LAKE__R_UPPERCASE: return lake__is_uppercase(s, len);
    case LAKE__R_CONTAINS: return lake__contains(s, len, r->param, r->param_len);
    case LAKE__R_STARTSWITH: return lake__has_prefix(s, len, r->param, r->param_len);
    case LAKE__R_ENDSWITH: return lake__has_suffix(s, len, r->param, r->param_len);
    case LAKE__R_IP: return lake__is_ip(s, len);
    case LAKE__R_IPV4: return lake__is_ipv4(s, len);
    case LAKE__R_IPV6: return lake__is_ipv6(s, len);
    case LAKE__R_E164: return lake__is_e164(s, len);
    case LAKE__R_DATETIME: return lake__matches_go_layout(r->param, r->param_len, s, len);
    case LAKE__R_UNIQUE: return unique_holds(c, record, r, report);
    case LAKE__R_CUSTOM: return r->fn(&c->pub, v->raw, r->param, r->ctx);
    default: return true; /* cross-field rules: lake__check_fields */
    }
}

static void describe(char *out, size_t n, const lake__rule *r, lake_type t) {
    const char *p = r->param;
    const char *unit = t == LAKE_STRING ? " characters" : t == LAKE_BYTES ? " bytes"
                     : t == LAKE_LIST || t == LAKE_MAP ? (strcmp(p, "1") ? " elements" : " element") : "";
    bool length = *unit != '\0', count = t == LAKE_LIST || t == LAKE_MAP;
    switch (r->op) {
    case LAKE__R_REQUIRED:
        snprintf(out, n, t == LAKE_STRING || t == LAKE_BYTES ? "must be present and not empty" : "must not be null");
        break;
    case LAKE__R_EMAIL: snprintf(out, n, "must be a valid email address"); break;
    case LAKE__R_UUID: snprintf(out, n, "must be a UUID in lowercase canonical form"); break;
    case LAKE__R_UUID4: snprintf(out, n, "must be a version 4 UUID in lowercase canonical form"); break;
    case LAKE__R_URL: snprintf(out, n, "must be a URL with a scheme"); break;
    case LAKE__R_URI: snprintf(out, n, "must be an absolute URI or an absolute path"); break;
    case LAKE__R_MIN: case LAKE__R_GTE:
        snprintf(out, n, count ? "must have at least %s%s" : length ? "must be at least %s%s long" : "must be at least %s%s", p, unit); break;
    case LAKE__R_MAX: case LAKE__R_LTE:
        snprintf(out, n, count ? "must have at most %s%s" : length ? "must be at most %s%s long" : "must be at most %s%s", p, unit); break;
    case LAKE__R_LEN:
        snprintf(out, n, count ? "must have exactly %s%s" : length ? "must be exactly %s%s long" : "must equal %s%s", p, unit);
        break;
    case LAKE__R_GT:
        snprintf(out, n, count ? "must have more than %s%s" : length ? "must be longer than %s%s" : "must be greater than %s%s", p, unit);
        break;
    case LAKE__R_LT:
        snprintf(out, n, count ? "must have fewer than %s%s" : length ? "must be shorter than %s%s" : "must be less than %s%s", p, unit);
        break;
    case LAKE__R_EQ: snprintf(out, n, t == LAKE_STRING ? "must equal \"%s\"" : "must equal %s", p); break;
    case LAKE__R_NE: snprintf(out, n, t == LAKE_STRING ? "must not equal \"%s\"" : "must not equal %s", p); break;
    case LAKE__R_ONEOF: snprintf(out, n, "must be one of [%s]", p); break;
    case LAKE__R_ALPHA: snprintf(out, n, "must contain only ASCII letters"); break;
    case LAKE__R_ALPHANUM: snprintf(out, n, "must contain only ASCII letters and digits"); break;
    case LAKE__R_NUMERIC: snprintf(out, n, "must be a number"); break;
    case LAKE__R_HEXADECIMAL: snprintf(out, n, "must be hexadecimal"); break;
    case LAKE__R_LOWERCASE: snprintf(out, n, "must be lowercase"); break;
    case LAKE__R_UPPERCASE: snprintf(out, n, "must be uppercase"); break;
    case LAKE__R_CONTAINS: snprintf(out, n, "must contain \"%s\"", p); break;
    case LAKE__R_STARTSWITH: snprintf(out, n, "must start with \"%s\"", p); break;
    case LAKE__R_ENDSWITH: snprintf(out, n, "must end with \"%s\"", p); break;
    case LAKE__R_IP: snprintf(out, n, "must be an IP address"); break;
    case LAKE__R_IPV4: snprintf(out, n, "must be an IPv4 address"); break;
    case LAKE__R_IPV6: snprintf(out, n, "must be an IPv6 address"); break;
    case LAKE__R_E164: snprintf(out, n, "must be an E.164 phone number such as +14155552671"); break;
    case LAKE__R_DATETIME: snprintf(out, n, "must match the time layout \"%s\"", p); break;
    case LAKE__R_UNIQUE:
        snprintf(out, n, *p ? "must not hold two elements with equal %s" : "must not hold equal elements", p); break;
    case LAKE__R_CUSTOM: snprintf(out, n, *p ? "must satisfy %s=%s" : "must satisfy %s%s", r->name, p); break;
    /* Ordered, text, bytes and collections compare by length (code points) or count, as in Go. */
    case LAKE__R_EQFIELD:
        snprintf(out, n, count ? "must have as many elements as %s" : "must equal %s", p);
        break;
    case LAKE__R_NEFIELD:
        snprintf(out, n, count ? "must not have as many elements as %s" : "must not equal %s", p);
        break;
    case LAKE__R_GTFIELD: snprintf(out, n, length ? "must be longer than %s" : "must be greater than %s", p); break;
    case LAKE__R_GTEFIELD: snprintf(out, n, length ? "must be at least as long as %s" : "must be at least %s", p); break;
    case LAKE__R_LTFIELD: snprintf(out, n, length ? "must be shorter than %s" : "must be less than %s", p); break;
    case LAKE__R_LTEFIELD: snprintf(out, n, length ? "must be at most as long as %s" : "must be at most %s", p); break;
    case LAKE__R_REQUIRED_IF: snprintf(out, n, "is required when %s", p); break;
    case LAKE__R_REQUIRED_UNLESS: snprintf(out, n, "is required unless %s", p); break;
    case LAKE__R_REQUIRED_WITH: snprintf(out, n, "is required when any of [%s] is present", p); break;
    case LAKE__R_REQUIRED_WITHOUT: snprintf(out, n, "is required when any of [%s] is absent", p); break;
    case LAKE__R_EXCLUDED_IF: snprintf(out, n, "must be absent when %s", p); break;
    }
}

/* Fills *v in place: a returned copy would load the value back wider than
 * lake__compare_read just stored it, which stalls on every field. */
static void read_value(const lake__column *c, const void *record, value *v) {
    v->raw = (const unsigned char *)record + c->pub.offset;
    v->type = c->pub.type;
    v->kind = lake__compare_kind(c);
    memset(&v->v, 0, sizeof v->v);
    lake__compare_read(c, record, &v->v);
}

bool lake__is_empty(const lake__column *c, const void *record) {
    if (lake__is_null(c, record)) return true;
    value v;
    read_value(c, record, &v);
    return is_zero(c, &v);
}

static const char *column_of(const lake__report *r, const lake__column *c) {
    return r->depth ? r->top_column : c->pub.name;
}

void lake__check_report(lake__report *r, const lake__column *c, const lake__rule_group *g) {
    char what[300];
    describe(what, sizeof what, &g->alts[0], c->pub.type);
    if (g->count > 1) {
        size_t len = strlen(what);
        snprintf(what + len, sizeof what - len, " (or pass one of: %s)", g->text);
    }
    size_t leaf_len;
    const char *leaf = lake__column_leaf(c, &leaf_len);
    lake__report_add(r, leaf, leaf_len, column_of(r, c), g->count == 1 ? g->alts[0].name : g->text,
                     g->count == 1 ? g->alts[0].param : "", "%s", what);
}

static void type_issue(lake__report *r, const lake__column *c, const char *rule, const char *message) {
    size_t leaf_len;
    const char *leaf = lake__column_leaf(c, &leaf_len);
    lake__report_add(r, leaf, leaf_len, column_of(r, c), rule, "", "%s", message);
}

/* A JSON column's text, as the decoder would have stored it: one value of
 * any kind, its containers nested at most as deep as the decoder's default. */
static bool is_one_json_value(const lake_str *s) {
    lake__json j;
    lake__json_init(&j, s->ptr ? s->ptr : "", s->len);
    return lake__json_skip(&j, 64) && lake__json_at_end(&j);
}

/* What the column type itself demands of a value built in C: a decimal within
 * its precision, text that is UTF-8, no NULL where the column has none. The
 * JSON decoder guarantees these already (r->decoded). */
static bool type_holds(const lake__column *c, const void *record, lake__report *r) {
    if (lake__is_null(c, record)) {
        if (c->pub.nullable) return true;
        type_issue(r, c, "null", "NULL in a column that is not nullable");
        return false;
    }
    const unsigned char *p = (const unsigned char *)record + c->pub.offset;
    if (c->pub.type == LAKE_DECIMAL) {
        lake__i128 v = lake__dec_get(*(const lake_dec128 *)p), limit = lake__pow10[c->pub.precision];
        if (v >= limit || v <= -limit) {
            char why[64];
            snprintf(why, sizeof why, "does not fit DECIMAL(%u,%u)", c->pub.precision, c->pub.scale);
            type_issue(r, c, "range", why);
            return false;
        }
    } else if (c->pub.type == LAKE_STRING || c->pub.type == LAKE_JSON) {
        const lake_str *s = (const lake_str *)p;
        if (!lake__utf8_valid(s->ptr, s->len)) {
            type_issue(r, c, "utf8", "text that is not valid UTF-8");
            return false;
        }
        if (c->pub.type == LAKE_JSON && !is_one_json_value(s)) {
            type_issue(r, c, "json", "not one JSON value (nested at most 64 deep)");
            return false;
        }
    }
    return true;
}

void lake__check_column(const lake__column *c, const void *record, lake__report *r) {
    const lake__rules *rules = &c->rules;
    if (!r->decoded && !type_holds(c, record, r)) return;
    if (rules->count == 0) return;
    if (lake__is_null(c, record)) {
        /* NULL satisfies every rule but required: it means "unknown", not "wrong". */
        if (rules->required)
            for (size_t i = 0; i < rules->count; i++)
                if (rules->groups[i].alts[0].op == LAKE__R_REQUIRED) lake__check_report(r, c, &rules->groups[i]);
        return;
    }
    value v;
    read_value(c, record, &v);
    if (rules->omitempty && is_zero(c, &v)) return;
    for (size_t i = 0; i < rules->count; i++) {
        const lake__rule_group *g = &rules->groups[i];
        bool ok = false;
        for (size_t k = 0; k < g->count && !ok; k++) ok = passes(c, &g->alts[k], &v, record, r);
        if (!ok) {
            lake__check_report(r, c, g); /* one issue per field: the first rule it breaks, as Go's validator */
            return;
        }
    }
}

/* ---- walking a record built in C */

static void check_value(const lake__column *c, const void *record, lake__report *r);

/* Map keys are unique within a map: the decoder refuses a repeated key; a
 * record built in C is told here, at the repeated key. */
typedef struct map_keys {
    const unsigned char *base;
    size_t stride;
    const lake__column *key, *value;
    lake__report *r;
} map_keys;

static bool key_value(const void *ctx, size_t i, lake__value *out) {
    const map_keys *m = ctx;
    lake__value_get(m->key, m->base + i * m->stride, out);
    return out->s.ptr != NULL;
}

static bool report_duplicate_key(void *ctx, size_t i) {
    map_keys *m = ctx;
    const lake_str *key = (const lake_str *)(m->base + i * m->stride);
    lake__report_add(m->r, key->ptr, key->len, m->r->top_column, "duplicate_key", "", "duplicate key");
    return true;
}

static void check_contents(const lake__column *c, const void *record, lake__report *r) {
    const lake_schema *child = c->pub.child;
    if (c->pub.type == LAKE_STRUCT) {
        lake__check_record(child, lake__struct_at(c, record), r);
        return;
    }
    const lake__view *view = lake__view_at(c, record);
    const unsigned char *base = view->ptr;
    size_t stride = child->record_size;
    if (c->pub.type == LAKE_LIST) {
        for (size_t i = 0; i < view->len; i++) {
            lake__report_push_index(r, i);
            check_value(&child->columns[0], base + i * stride, r);
            lake__report_pop(r);
        }
        return;
    }
    map_keys keys = {base, stride, &child->columns[0], &child->columns[1], r};
    if (!lake__each_duplicate(view->len, LAKE__V_TEXT, key_value, &keys, report_duplicate_key, &keys)) r->oom = true;
    for (size_t i = 0; i < view->len; i++) {
        const unsigned char *entry = base + i * stride;
        const lake_str *key = (const lake_str *)entry;
        /* key rules and value rules both name the entry by its key: /attrs/color */
        lake__report_push(r, key->ptr, key->len);
        check_value(keys.key, entry, r);
        check_value(keys.value, entry, r);
        lake__report_pop(r);
    }
}

/* A column's own rules, then (when it holds a value) what is inside it. */
static void check_value(const lake__column *c, const void *record, lake__report *r) {
    lake__check_column(c, record, r);
    if (!c->pub.child || lake__is_null(c, record)) return;
    size_t leaf_len;
    const char *leaf = lake__column_leaf(c, &leaf_len);
    if (r->depth == 0) r->top_column = c->pub.name;
    if (leaf) lake__report_push(r, leaf, leaf_len);
    check_contents(c, record, r);
    if (leaf) lake__report_pop(r);
}

void lake__check_record(const lake_schema *s, const void *record, lake__report *r) {
    for (size_t i = 0; i < s->column_count; i++) {
        const lake__column *c = &s->columns[i];
        if (c->pub.auto_ingest_id) continue; /* lakeorm writes it, not the caller */
        check_value(c, record, r);
    }
    lake__check_fields(s, record, r);
}
