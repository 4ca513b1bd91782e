/* SPDX-License-Identifier: MIT */
/* Cross-field rules (eqfield, gtfield, required_if, ...) and unique's member:
 * bound once per schema to the sibling columns they name, then checked once
 * a struct holds all its values. Siblings are named by column name: schema
 * files have no Go field names, and a C member name is not part of the table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "validate/check.h"
#include "validate/compare.h"

typedef struct resolver {
    lake_schema *schema;
    const lake__column *column;
    const lake__rule *rule;
    char *why;
    size_t why_size;
} resolver;

#define FAIL(rs, ...)                                                                           \
    do {                                                                                        \
        int n_ = snprintf((rs)->why, (rs)->why_size, "column \"%s\": %s=%s: ", (rs)->column->pub.name, \
                          (rs)->rule->name, (rs)->rule->param);                                 \
        if (n_ >= 0 && (size_t)n_ < (rs)->why_size)                                             \
            snprintf((rs)->why + n_, (rs)->why_size - (size_t)n_, __VA_ARGS__);                 \
        return LAKE_ESCHEMA;                                                                    \
    } while (0)

static const lake__column *find(const lake_schema *s, const char *name, size_t len) {
    for (size_t i = 0; i < s->column_count; i++)
        if (s->columns[i].name_len == len && memcmp(s->columns[i].pub.name, name, len) == 0) return &s->columns[i];
    return NULL;
}

static bool is_ordering(lake__rule_op op) {
    return op == LAKE__R_GTFIELD || op == LAKE__R_GTEFIELD || op == LAKE__R_LTFIELD || op == LAKE__R_LTEFIELD;
}

static bool names_values(lake__rule_op op) {
    return op == LAKE__R_REQUIRED_IF || op == LAKE__R_REQUIRED_UNLESS || op == LAKE__R_EXCLUDED_IF;
}

/* Whether eqfield..ltefield can compare the column with the sibling. */
static int check_comparable(resolver *rs, const lake__column *sib) {
    const lake__column *c = rs->column;
    lake__vkind kind = lake__compare_kind(c);
    lake_type a = c->pub.type, b = sib->pub.type;
    if (kind != lake__compare_kind(sib) || a == LAKE_JSON || b == LAKE_JSON || a == LAKE_STRUCT || b == LAKE_STRUCT)
        FAIL(rs, "a %s column and the %s column \"%s\" do not compare", lake_type_name(a), lake_type_name(b),
             sib->pub.name);
    if (kind == LAKE__V_DECIMAL && c->pub.scale != sib->pub.scale)
        FAIL(rs, "decimals of scale %u and %u (column \"%s\") compare only at one scale", c->pub.scale,
             sib->pub.scale, sib->pub.name);
    if (is_ordering(rs->rule->op) && (kind == LAKE__V_BOOL || kind == LAKE__V_UUID || kind == LAKE__V_KSUID))
        FAIL(rs, "%s values have no order (column \"%s\"): use eqfield or nefield", lake_type_name(a), sib->pub.name);
    return LAKE_OK;
}

/* The value a required_if / required_unless / excluded_if pair names, in the
 * sibling's type: what lake__compare_equal meets the sibling's value with. */
static int parse_value(resolver *rs, const lake__column *sib, const lake_str *text, lake__value *out) {
    memset(out, 0, sizeof *out);
    char *end;
    errno = 0;
    switch (lake__compare_kind(sib)) {
    case LAKE__V_BOOL:
        if (text->len == 4 && !memcmp(text->ptr, "true", 4)) out->b = true;
        else if (!(text->len == 5 && !memcmp(text->ptr, "false", 5)))
            FAIL(rs, "\"%s\": column \"%s\" is a bool (true or false)", text->ptr, sib->pub.name);
        return LAKE_OK;
    case LAKE__V_INT:
        out->i = strtoll(text->ptr, &end, 10);
        if (errno || *end) FAIL(rs, "\"%s\": column \"%s\" is an integer", text->ptr, sib->pub.name);
        return LAKE_OK;
    case LAKE__V_FLOAT:
        out->f = strtod(text->ptr, &end);
        if (errno || *end) FAIL(rs, "\"%s\": column \"%s\" is a number", text->ptr, sib->pub.name);
        return LAKE_OK;
    case LAKE__V_LIST:
    case LAKE__V_MAP: /* Go compares a slice's or map's length with the value */
        if (text->ptr[0] < '0' || text->ptr[0] > '9') FAIL(rs, "\"%s\": expected a count of elements", text->ptr);
        out->i = (lake__i128)strtoull(text->ptr, &end, 10);
        if (errno || *end) FAIL(rs, "\"%s\": expected a count of elements", text->ptr);
        return LAKE_OK;
    case LAKE__V_TEXT:
        if (sib->pub.type == LAKE_JSON) break;
        /* fallthrough */
    case LAKE__V_BINARY:
        out->s.ptr = text->ptr, out->s.len = text->len;
        return LAKE_OK;
    case LAKE__V_DECIMAL: case LAKE__V_TIMESTAMP: case LAKE__V_DATE: case LAKE__V_UUID: case LAKE__V_KSUID: {
        const char *why = lake__value_parse(&sib->pub, text->ptr, text->len, out);
        if (why) FAIL(rs, "\"%s\" for column \"%s\": %s", text->ptr, sib->pub.name, why);
        return LAKE_OK;
    }
    default: break;
    }
    FAIL(rs, "column \"%s\" is a %s, whose value a rule cannot name", sib->pub.name, lake_type_name(sib->pub.type));
}

static int resolve_cross_field(resolver *rs, lake__rule *r) {
    lake_arena *a = rs->schema->arena;
    bool pairs = names_values(r->op);
    lake_str single = {r->param, r->param_len};
    const lake_str *names = r->items ? r->items : &single;
    size_t stride = pairs ? 2 : 1, n = r->items ? r->count / stride : 1;
    const lake__column **fields = lake__arena_alloc(a, n * sizeof *fields, _Alignof(const lake__column *));
    lake__value *values = pairs ? lake__arena_alloc(a, n * sizeof *values, _Alignof(lake__value)) : NULL;
    if (!fields || (pairs && !values)) return LAKE_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        const lake_str *name = &names[k * stride];
        const lake__column *sib = find(rs->schema, name->ptr, name->len);
        if (!sib) FAIL(rs, "no column \"%.*s\" in this struct (a cross-field rule names a sibling column by its column name)",
                       (int)name->len, name->ptr);
        if (sib == rs->column) FAIL(rs, "names the column itself");
        int rc = pairs ? parse_value(rs, sib, &names[k * stride + 1], &values[k])
               : r->op < LAKE__R_REQUIRED_IF ? check_comparable(rs, sib) /* eqfield..ltefield */
                                             : LAKE_OK;
        if (rc) return rc;
        fields[k] = sib;
    }
    r->fields = fields;
    r->values = values;
    r->count = n;
    return LAKE_OK;
}

/* unique compares a list's elements (a map's values), or the member of struct elements it names. */
static int resolve_unique(resolver *rs, lake__rule *r) {
    const lake__column *c = rs->column;
    const lake__column *e = &c->pub.child->columns[c->pub.type == LAKE_MAP ? 1 : 0];
    r->element = e;
    if (e->pub.type == LAKE_STRUCT) {
        if (!r->param_len) FAIL(rs, "the elements are structs: name the member to compare, e.g. unique=id");
        r->member = find(e->pub.child, r->param, r->param_len);
        if (!r->member) FAIL(rs, "the elements have no member column \"%s\"", r->param);
        e = r->member;
    } else if (r->param_len) {
        FAIL(rs, "a member to compare names a column of struct elements; these are %s", lake_type_name(e->pub.type));
    }
    if (lake__type_is_composite(e->pub.type))
        FAIL(rs, "%s values do not compare: unique compares scalars, strings and bytes", lake_type_name(e->pub.type));
    return LAKE_OK;
}

int lake__rules_resolve(lake_schema *s, char *why, size_t why_size) {
    for (size_t i = 0; i < s->column_count; i++) {
        const lake__rules *rules = &s->columns[i].rules;
        for (size_t g = 0; g < rules->count; g++) {
            for (size_t k = 0; k < rules->groups[g].count; k++) {
                /* the compiler's own rules, in the schema's arena: bound here, read-only after */
                lake__rule *r = (lake__rule *)&rules->groups[g].alts[k];
                resolver rs = {s, &s->columns[i], r, why, why_size};
                int rc = r->op == LAKE__R_UNIQUE ? resolve_unique(&rs, r)
                       : lake__rule_is_cross_field(r->op) ? resolve_cross_field(&rs, r)
                                                          : LAKE_OK;
                if (rc == LAKE_ENOMEM) snprintf(why, why_size, "out of memory compiling rules");
                if (rc) return rc;
            }
        }
    }
    return LAKE_OK;
}

/* ---- checking */

static bool sibling_is(const lake__rule *r, size_t k, const void *record) {
    const lake__column *sib = r->fields[k];
    if (lake__is_null(sib, record)) return false;
    lake__value v;
    lake__compare_read(sib, record, &v);
    return lake__compare_equal(lake__compare_kind(sib), &v, &r->values[k]);
}

/* required_if, required_unless, excluded_if: whether every pair holds, as in Go. */
static bool all_pairs_hold(const lake__rule *r, const void *record) {
    for (size_t k = 0; k < r->count; k++)
        if (!sibling_is(r, k, record)) return false;
    return true;
}

/* required_with (any present), required_without (any absent). */
static bool any_sibling_present(const lake__rule *r, const void *record, bool present) {
    for (size_t k = 0; k < r->count; k++)
        if (lake__is_present(r->fields[k], record) == present) return true;
    return false;
}

static bool compares(const lake__column *c, const lake__rule *r, const void *record) {
    const lake__column *sib = r->fields[0];
    /* NULL on either side is unknown, and satisfies the comparison as it satisfies min or gt */
    if (lake__is_null(c, record) || lake__is_null(sib, record)) return true;
    lake__value a, b;
    lake__compare_read(c, record, &a);
    lake__compare_read(sib, record, &b);
    lake__vkind kind = lake__compare_kind(c);
    if (r->op == LAKE__R_EQFIELD) return lake__compare_equal(kind, &a, &b);
    if (r->op == LAKE__R_NEFIELD) return !lake__compare_equal(kind, &a, &b);
    int cmp = lake__compare_order(kind, &a, &b);
    switch (r->op) {
    case LAKE__R_GTFIELD: return cmp == 1;
    case LAKE__R_GTEFIELD: return cmp == 0 || cmp == 1;
    case LAKE__R_LTFIELD: return cmp == -1;
    default: return cmp == 0 || cmp == -1;
    }
}

static bool holds(const lake__column *c, const lake__rule *r, const void *record) {
    switch (r->op) {
    case LAKE__R_REQUIRED_IF: return !all_pairs_hold(r, record) || lake__is_present(c, record);
    case LAKE__R_REQUIRED_UNLESS: return all_pairs_hold(r, record) || lake__is_present(c, record);
    case LAKE__R_REQUIRED_WITH: return !any_sibling_present(r, record, true) || lake__is_present(c, record);
    case LAKE__R_REQUIRED_WITHOUT: return !any_sibling_present(r, record, false) || lake__is_present(c, record);
    case LAKE__R_EXCLUDED_IF: return !all_pairs_hold(r, record) || !lake__is_present(c, record);
    default: return compares(c, r, record);
    }
}

void lake__check_fields(const lake_schema *s, const void *record, lake__report *r) {
    for (size_t i = 0; i < s->column_count; i++) {
        const lake__column *c = &s->columns[i];
        const lake__rules *rules = &c->rules;
        if (!rules->cross_field || c->pub.auto_ingest_id) continue;
        if (rules->omitempty && lake__is_empty(c, record)) continue; /* as Go: omitempty skips every rule */
        for (size_t g = 0; g < rules->count; g++) {
            const lake__rule *rule = &rules->groups[g].alts[0]; /* a cross-field rule is never an alternative */
            if (!lake__rule_is_cross_field(rule->op) || holds(c, rule, record)) continue;
            lake__check_report(r, c, &rules->groups[g]);
            break; /* one issue per field, as for its own rules */
        }
    }
}
