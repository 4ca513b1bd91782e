/* SPDX-License-Identifier: MIT */
#include "validate/check.h"

#include <stdio.h>
#include <string.h>

#include "util/utf8.h"
#include "validate/formats.h"

/* A column value, read once per check. */
typedef struct value {
    const void *raw; /* the value inside the record, for custom rules */
    lake_type type;
    const char *s; /* string and bytes */
    size_t len;
    int64_t i;
    double f;
    lake__i128 d;
    bool b;
} value;

static value read_value(const lake__column *c, const void *record) {
    const unsigned char *p = (const unsigned char *)record + c->pub.offset;
    value v = {.raw = p, .type = c->pub.type};
    switch (c->pub.type) {
    case LAKE_BOOL: v.b = *(const bool *)p; break;
    case LAKE_INT8: v.i = *(const int8_t *)p; break;
    case LAKE_INT16: v.i = *(const int16_t *)p; break;
    case LAKE_INT32: v.i = *(const int32_t *)p; break;
    case LAKE_INT64: v.i = *(const int64_t *)p; break;
    case LAKE_FLOAT32: v.f = *(const float *)p; break;
    case LAKE_FLOAT64: v.f = *(const double *)p; break;
    case LAKE_DECIMAL: v.d = lake__dec_get(*(const lake_dec128 *)p); break;
    case LAKE_STRING:
    case LAKE_BYTES:
        v.s = ((const lake_str *)p)->ptr;
        v.len = ((const lake_str *)p)->len;
        break;
    default: break;
    }
    return v;
}

/* The C zero value: what omitempty skips, as Go's validator skips zero values. */
static bool is_zero(const lake__column *c, const void *record, const value *v) {
    if (c->pub.type == LAKE_STRING || c->pub.type == LAKE_BYTES) return v->len == 0;
    const unsigned char *p = (const unsigned char *)record + c->pub.offset;
    size_t n = c->optional ? c->valid_offset - c->pub.offset : c->size;
    for (size_t i = 0; i < n; i++)
        if (p[i]) return false;
    return true;
}

/* -1, 0 or 1 comparing the value (or, for text and bytes, its length) with the
 * parameter; 2 when they are unordered (NaN). */
static int compare(const value *v, const lake__rule *r) {
    switch (v->type) {
    case LAKE_STRING: {
        uint64_t n = lake__utf8_count(v->s, v->len);
        return n < r->num.count ? -1 : n > r->num.count;
    }
    case LAKE_BYTES: return v->len < r->num.count ? -1 : v->len > r->num.count;
    case LAKE_FLOAT32:
    case LAKE_FLOAT64:
        if (v->f != v->f) return 2;
        return v->f < r->num.f ? -1 : v->f > r->num.f;
    case LAKE_DECIMAL: return v->d < r->num.dec ? -1 : v->d > r->num.dec;
    default: return v->i < r->num.i ? -1 : v->i > r->num.i;
    }
}

static bool text_equals(const value *v, const lake__rule *r) {
    return v->len == r->param_len && memcmp(v->s, r->param, v->len) == 0;
}

static bool passes(const lake__column *c, const lake__rule *r, const value *v) {
    int cmp;
    switch (r->op) {
    case LAKE__R_REQUIRED: return v->type != LAKE_STRING && v->type != LAKE_BYTES ? true : v->len > 0;
    case LAKE__R_EMAIL: return lake__is_email(v->s, v->len);
    case LAKE__R_UUID: return lake__is_uuid(v->s, v->len);
    case LAKE__R_UUID4: return lake__is_uuid4(v->s, v->len);
    case LAKE__R_URL: return lake__is_url(v->s, v->len);
    case LAKE__R_URI: return lake__is_uri(v->s, v->len);
    case LAKE__R_MIN: case LAKE__R_GTE: cmp = compare(v, r); return cmp == 0 || cmp == 1;
    case LAKE__R_MAX: case LAKE__R_LTE: cmp = compare(v, r); return cmp == 0 || cmp == -1;
    case LAKE__R_LEN: return compare(v, r) == 0;
    case LAKE__R_GT: return compare(v, r) == 1;
    case LAKE__R_LT: return compare(v, r) == -1;
    case LAKE__R_EQ:
    case LAKE__R_NE: {
        bool eq = v->type == LAKE_STRING ? text_equals(v, r)
                : v->type == LAKE_BOOL   ? v->b == r->num.b
                                         : compare(v, r) == 0;
        return r->op == LAKE__R_EQ ? eq : !eq;
    }
    case LAKE__R_ONEOF:
        for (size_t i = 0; i < r->count; i++) {
            if (r->nums ? v->i == r->nums[i].i
                        : v->len == r->items[i].len && memcmp(v->s, r->items[i].ptr, v->len) == 0)
                return true;
        }
        return false;
    case LAKE__R_ALPHA: return lake__is_alpha(v->s, v->len);
    case LAKE__R_ALPHANUM: return lake__is_alphanum(v->s, v->len);
    case LAKE__R_NUMERIC: return lake__is_numeric(v->s, v->len);
    case LAKE__R_HEXADECIMAL: return lake__is_hexadecimal(v->s, v->len);
    case LAKE__R_LOWERCASE: return lake__is_lowercase(v->s, v->len);
    case LAKE__R_UPPERCASE: return lake__is_uppercase(v->s, v->len);
    case LAKE__R_CONTAINS: return lake__contains(v->s, v->len, r->param, r->param_len);
    case LAKE__R_STARTSWITH: return lake__has_prefix(v->s, v->len, r->param, r->param_len);
    case LAKE__R_ENDSWITH: return lake__has_suffix(v->s, v->len, r->param, r->param_len);
    case LAKE__R_IP: return lake__is_ip(v->s, v->len);
    case LAKE__R_IPV4: return lake__is_ipv4(v->s, v->len);
    case LAKE__R_IPV6: return lake__is_ipv6(v->s, v->len);
    case LAKE__R_E164: return lake__is_e164(v->s, v->len);
    case LAKE__R_DATETIME: return lake__matches_go_layout(r->param, r->param_len, v->s, v->len);
    case LAKE__R_CUSTOM: return r->fn(&c->pub, v->raw, r->param, r->ctx);
    }
    return false;
}

static void describe(char *out, size_t n, const lake__rule *r, lake_type t) {
    const char *unit = t == LAKE_STRING ? " characters" : t == LAKE_BYTES ? " bytes" : "";
    bool length = t == LAKE_STRING || t == LAKE_BYTES;
    const char *p = r->param;
    switch (r->op) {
    case LAKE__R_REQUIRED: snprintf(out, n, length ? "must be present and not empty" : "must not be null"); break;
    case LAKE__R_EMAIL: snprintf(out, n, "must be a valid email address"); break;
    case LAKE__R_UUID: snprintf(out, n, "must be a UUID in lowercase canonical form"); break;
    case LAKE__R_UUID4: snprintf(out, n, "must be a version 4 UUID in lowercase canonical form"); break;
    case LAKE__R_URL: snprintf(out, n, "must be a URL with a scheme"); break;
    case LAKE__R_URI: snprintf(out, n, "must be an absolute URI or an absolute path"); break;
    case LAKE__R_MIN: case LAKE__R_GTE:
        snprintf(out, n, length ? "must be at least %s%s long" : "must be at least %s%s", p, unit); break;
    case LAKE__R_MAX: case LAKE__R_LTE:
        snprintf(out, n, length ? "must be at most %s%s long" : "must be at most %s%s", p, unit); break;
    case LAKE__R_LEN: snprintf(out, n, length ? "must be exactly %s%s long" : "must equal %s%s", p, unit); break;
    case LAKE__R_GT: snprintf(out, n, length ? "must be longer than %s%s" : "must be greater than %s%s", p, unit); break;
    case LAKE__R_LT: snprintf(out, n, length ? "must be shorter than %s%s" : "must be less than %s%s", p, unit); break;
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
    case LAKE__R_CUSTOM: snprintf(out, n, *p ? "must satisfy %s=%s" : "must satisfy %s%s", r->name, p); break;
    }
}

static void report(lake__report *r, const lake__column *c, const lake__rule_group *g) {
    char what[300];
    describe(what, sizeof what, &g->alts[0], c->pub.type);
    if (g->count > 1) {
        size_t len = strlen(what);
        snprintf(what + len, sizeof what - len, " (or pass one of: %s)", g->text);
    }
    lake__report_add(r, c->pub.name, strlen(c->pub.name), r->depth ? r->top_column : c->pub.name,
                     g->count == 1 ? g->alts[0].name : g->text, g->count == 1 ? g->alts[0].param : "",
                     "%s", what);
}

/* What the column type itself demands of a value built in C: a decimal within
 * its precision, text that is UTF-8, no NULL where the column has none. The
 * JSON decoder guarantees these already (r->decoded). */
static bool type_holds(const lake__column *c, const void *record, lake__report *r) {
    const char *name = c->pub.name, *column = r->depth ? r->top_column : c->pub.name;
    if (lake__is_null(c, record)) {
        if (c->pub.nullable) return true;
        lake__report_add(r, name, strlen(name), column, "null", "", "NULL in a column that is not nullable");
        return false;
    }
    const unsigned char *p = (const unsigned char *)record + c->pub.offset;
    if (c->pub.type == LAKE_DECIMAL) {
        lake__i128 v = lake__dec_get(*(const lake_dec128 *)p), limit = 1;
        for (unsigned i = 0; i < c->pub.precision; i++) limit *= 10;
        if (v >= limit || v <= -limit) {
            lake__report_add(r, name, strlen(name), column, "range", "", "does not fit DECIMAL(%u,%u)",
                             c->pub.precision, c->pub.scale);
            return false;
        }
    } else if (c->pub.type == LAKE_STRING && !r->decoded) {
        const lake_str *s = (const lake_str *)p;
        if (!lake__utf8_valid(s->ptr, s->len)) {
            lake__report_add(r, name, strlen(name), column, "utf8", "", "text that is not valid UTF-8");
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
                if (rules->groups[i].alts[0].op == LAKE__R_REQUIRED) report(r, c, &rules->groups[i]);
        return;
    }
    value v = read_value(c, record);
    if (rules->omitempty && is_zero(c, record, &v)) return;
    for (size_t i = 0; i < rules->count; i++) {
        const lake__rule_group *g = &rules->groups[i];
        bool ok = false;
        for (size_t k = 0; k < g->count && !ok; k++) ok = passes(c, &g->alts[k], &v);
        if (!ok) {
            report(r, c, g); /* one issue per field: the first rule it breaks, as Go's validator */
            return;
        }
    }
}

void lake__check_record(const lake_schema *s, const void *record, lake__report *r) {
    for (size_t i = 0; i < s->column_count; i++) {
        const lake__column *c = &s->columns[i];
        if (c->pub.auto_ingest_id) continue; /* lakeorm writes it, not the caller */
        if (c->pub.type == LAKE_LIST || c->pub.type == LAKE_MAP) continue; /* collections: validation's own work */
        lake__check_column(c, record, r);
        if (c->pub.child && lake__struct_at(c, record)) { /* a NULL struct's members are not checked */
            if (r->depth == 0) r->top_column = c->pub.name;
            lake__report_push(r, c->pub.name, strlen(c->pub.name));
            lake__check_record(c->pub.child, lake__struct_at(c, record), r);
            lake__report_pop(r);
        }
    }
}
