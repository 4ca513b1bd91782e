/* SPDX-License-Identifier: MIT */
#include "validate/rules.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "error/error.h"
#include "util/arena.h"
#include "validate/formats.h"

/* What a rule's parameter is. */
enum param_kind {
    P_NONE,
    P_NUMBER,
    P_TEXT,
    P_LIST,
    P_LAYOUT,
    P_FIELD,        /* one sibling column's name */
    P_FIELDS,       /* sibling columns' names, space-separated */
    P_FIELD_VALUES, /* "column value [column value...]" */
    P_MEMBER,       /* optional: the member of struct elements to compare */
};

/* Which column types a rule applies to. */
enum {
    C_TEXT = 1 << 0,  /* string */
    C_BYTES = 1 << 1, /* bytes */
    C_INT = 1 << 2,   /* int8..int64 */
    C_FLOAT = 1 << 3, /* float32, float64 */
    C_DEC = 1 << 4,   /* decimal */
    C_BOOL = 1 << 5,
    C_COUNT = 1 << 6, /* list, map: their element count */
    C_ANY = ~0u,      /* checked against the sibling's type by lake__rules_resolve */
};
#define C_NUM (C_INT | C_FLOAT | C_DEC)

static const struct rule_spec {
    const char *name;
    lake__rule_op op;
    enum param_kind param;
    unsigned applies;
} specs[] = {
    {"required", LAKE__R_REQUIRED, P_NONE, 0},
    {"email", LAKE__R_EMAIL, P_NONE, C_TEXT},
    {"uuid", LAKE__R_UUID, P_NONE, C_TEXT},
    {"uuid4", LAKE__R_UUID4, P_NONE, C_TEXT},
    {"url", LAKE__R_URL, P_NONE, C_TEXT},
    {"uri", LAKE__R_URI, P_NONE, C_TEXT},
    {"min", LAKE__R_MIN, P_NUMBER, C_TEXT | C_BYTES | C_NUM | C_COUNT},
    {"max", LAKE__R_MAX, P_NUMBER, C_TEXT | C_BYTES | C_NUM | C_COUNT},
    {"len", LAKE__R_LEN, P_NUMBER, C_TEXT | C_BYTES | C_NUM | C_COUNT},
    {"eq", LAKE__R_EQ, P_NUMBER, C_TEXT | C_NUM | C_BOOL},
    {"ne", LAKE__R_NE, P_NUMBER, C_TEXT | C_NUM | C_BOOL},
    {"gt", LAKE__R_GT, P_NUMBER, C_TEXT | C_BYTES | C_NUM | C_COUNT},
    {"gte", LAKE__R_GTE, P_NUMBER, C_TEXT | C_BYTES | C_NUM | C_COUNT},
    {"lt", LAKE__R_LT, P_NUMBER, C_TEXT | C_BYTES | C_NUM | C_COUNT},
    {"lte", LAKE__R_LTE, P_NUMBER, C_TEXT | C_BYTES | C_NUM | C_COUNT},
    {"oneof", LAKE__R_ONEOF, P_LIST, C_TEXT | C_INT},
    {"alpha", LAKE__R_ALPHA, P_NONE, C_TEXT},
    {"alphanum", LAKE__R_ALPHANUM, P_NONE, C_TEXT},
    {"numeric", LAKE__R_NUMERIC, P_NONE, C_TEXT},
    {"hexadecimal", LAKE__R_HEXADECIMAL, P_NONE, C_TEXT},
    {"lowercase", LAKE__R_LOWERCASE, P_NONE, C_TEXT},
    {"uppercase", LAKE__R_UPPERCASE, P_NONE, C_TEXT},
    {"contains", LAKE__R_CONTAINS, P_TEXT, C_TEXT},
    {"startswith", LAKE__R_STARTSWITH, P_TEXT, C_TEXT},
    {"endswith", LAKE__R_ENDSWITH, P_TEXT, C_TEXT},
    {"ip", LAKE__R_IP, P_NONE, C_TEXT},
    {"ipv4", LAKE__R_IPV4, P_NONE, C_TEXT},
    {"ipv6", LAKE__R_IPV6, P_NONE, C_TEXT},
    {"e164", LAKE__R_E164, P_NONE, C_TEXT},
    {"datetime", LAKE__R_DATETIME, P_LAYOUT, C_TEXT},
    {"unique", LAKE__R_UNIQUE, P_MEMBER, C_COUNT},
    {"eqfield", LAKE__R_EQFIELD, P_FIELD, C_ANY},
    {"nefield", LAKE__R_NEFIELD, P_FIELD, C_ANY},
    {"gtfield", LAKE__R_GTFIELD, P_FIELD, C_ANY},
    {"gtefield", LAKE__R_GTEFIELD, P_FIELD, C_ANY},
    {"ltfield", LAKE__R_LTFIELD, P_FIELD, C_ANY},
    {"ltefield", LAKE__R_LTEFIELD, P_FIELD, C_ANY},
    {"required_if", LAKE__R_REQUIRED_IF, P_FIELD_VALUES, C_ANY},
    {"required_unless", LAKE__R_REQUIRED_UNLESS, P_FIELD_VALUES, C_ANY},
    {"required_with", LAKE__R_REQUIRED_WITH, P_FIELDS, C_ANY},
    {"required_without", LAKE__R_REQUIRED_WITHOUT, P_FIELDS, C_ANY},
    {"excluded_if", LAKE__R_EXCLUDED_IF, P_FIELD_VALUES, C_ANY},
};

static unsigned class_of(lake_type t) {
    switch (t) {
    case LAKE_STRING: return C_TEXT;
    case LAKE_BYTES: return C_BYTES;
    case LAKE_INT8: case LAKE_INT16: case LAKE_INT32: case LAKE_INT64: return C_INT;
    case LAKE_FLOAT32: case LAKE_FLOAT64: return C_FLOAT;
    case LAKE_DECIMAL: return C_DEC;
    case LAKE_BOOL: return C_BOOL;
    case LAKE_LIST: case LAKE_MAP: return C_COUNT;
    default: return 0;
    }
}

typedef struct compiler {
    const lake__rule_target *target;
    lake_arena *arena;
    char *why;
    size_t why_size;
} compiler;

#define FAIL(c, ...)                                                                  \
    do {                                                                              \
        int n_ = snprintf((c)->why, (c)->why_size, "column \"%s\": ", (c)->target->column); \
        if (n_ >= 0 && (size_t)n_ < (c)->why_size)                                    \
            snprintf((c)->why + n_, (c)->why_size - (size_t)n_, __VA_ARGS__);         \
        return LAKE_ESCHEMA;                                                          \
    } while (0)

/* go-playground spells ',' and '|' inside parameters as 0x2C and 0x7C. */
static char *unescape_param(compiler *c, const char *s, size_t len, size_t *out_len) {
    char *out = lake__arena_alloc(c->arena, len + 1, 1);
    if (!out) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (i + 4 <= len && s[i] == '0' && s[i + 1] == 'x' && s[i + 2] == '2' &&
            (s[i + 3] == 'C' || s[i + 3] == 'c')) {
            out[o++] = ',', i += 3;
        } else if (i + 4 <= len && s[i] == '0' && s[i + 1] == 'x' && s[i + 2] == '7' &&
                   (s[i + 3] == 'C' || s[i + 3] == 'c')) {
            out[o++] = '|', i += 3;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

static int parse_number(compiler *c, const lake__rule *r, const char *p, size_t len,
                        lake__rule_num *num) {
    lake_type t = c->target->type;
    unsigned cls = class_of(t);
    char *end;
    errno = 0;
    if (cls == C_BOOL) {
        if (len == 4 && !memcmp(p, "true", 4)) num->b = true;
        else if (len == 5 && !memcmp(p, "false", 5)) num->b = false;
        else FAIL(c, "%s=%s: expected true or false", r->name, p);
        return LAKE_OK;
    }
    if (cls == C_TEXT && (r->op == LAKE__R_EQ || r->op == LAKE__R_NE)) return LAKE_OK; /* text compare */
    if (cls & (C_TEXT | C_BYTES | C_COUNT)) {
        if (len == 0 || p[0] < '0' || p[0] > '9') FAIL(c, "%s=%s: expected a length", r->name, p);
        unsigned long long v = strtoull(p, &end, 10);
        if (errno || *end) FAIL(c, "%s=%s: expected a length", r->name, p);
        num->count = v;
    } else if (cls == C_INT) {
        long long v = strtoll(p, &end, 10);
        if (len == 0 || errno || *end) FAIL(c, "%s=%s: expected an integer", r->name, p);
        num->i = v;
    } else if (cls == C_FLOAT) {
        double v = strtod(p, &end);
        if (len == 0 || errno || *end || !isfinite(v)) FAIL(c, "%s=%s: expected a number", r->name, p);
        num->f = v;
    } else {
        const char *why = lake__dec_parse(p, len, LAKE_DECIMAL_MAX_PRECISION, c->target->scale, &num->dec);
        if (why) FAIL(c, "%s=%s: %s", r->name, p, why);
    }
    return LAKE_OK;
}

/* oneof values and cross-field parameters are separated by spaces; 'single
 * quotes' keep spaces inside one. */
static int parse_list(compiler *c, lake__rule *r) {
    const char *p = r->param, *end = r->param + r->param_len;
    size_t n = 0;
    lake_str items[256];
    while (p < end) {
        while (p < end && *p == ' ') p++;
        if (p == end) break;
        const char *start = p;
        if (*p == '\'') {
            start = ++p;
            while (p < end && *p != '\'') p++;
            if (p == end) FAIL(c, "%s=%s: unterminated quote", r->name, r->param);
        } else {
            while (p < end && *p != ' ') p++;
        }
        if (n == sizeof items / sizeof items[0]) FAIL(c, "%s: more than 256 values", r->name);
        items[n].ptr = start;
        items[n++].len = (size_t)(p - start);
        if (p < end && *p == '\'') p++;
    }
    if (n == 0) FAIL(c, "%s needs at least one value", r->name);
    lake_str *copy = lake__arena_alloc(c->arena, n * sizeof *copy, _Alignof(lake_str));
    if (!copy) return LAKE_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        copy[i].ptr = lake__arena_strndup(c->arena, items[i].ptr, items[i].len);
        if (!copy[i].ptr) return LAKE_ENOMEM;
        copy[i].len = items[i].len;
    }
    r->items = copy;
    r->count = n;
    if (r->op == LAKE__R_ONEOF && class_of(c->target->type) == C_INT) {
        lake__rule_num *nums = lake__arena_alloc(c->arena, n * sizeof *nums, _Alignof(lake__rule_num));
        if (!nums) return LAKE_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            char *e;
            errno = 0;
            nums[i].i = strtoll(copy[i].ptr, &e, 10);
            if (errno || *e || !copy[i].len) FAIL(c, "oneof: \"%s\" is not an integer", copy[i].ptr);
        }
        r->nums = nums;
    }
    return LAKE_OK;
}

static int compile_rule(compiler *c, const char *s, size_t len, lake__rule *r) {
    const char *eq = memchr(s, '=', len);
    size_t name_len = eq ? (size_t)(eq - s) : len;
    const struct rule_spec *spec = NULL;
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (strlen(specs[i].name) == name_len && !memcmp(specs[i].name, s, name_len)) spec = &specs[i];
    if (!spec) {
        if (!lake__custom_rule(s, name_len, &r->name, &r->fn, &r->ctx))
            FAIL(c, "unknown validation rule \"%.*s\" (docs/validation.md lists the rules)", (int)name_len, s);
        r->op = LAKE__R_CUSTOM;
        r->param = "";
        if (eq && !(r->param = unescape_param(c, eq + 1, len - name_len - 1, &r->param_len))) return LAKE_ENOMEM;
        return LAKE_OK;
    }
    r->op = spec->op;
    r->name = spec->name;
    r->param = "";
    if (eq) {
        if (!(r->param = unescape_param(c, eq + 1, len - name_len - 1, &r->param_len))) return LAKE_ENOMEM;
    }
    if (spec->param == P_NONE && eq) FAIL(c, "rule %s takes no parameter", spec->name);
    if (spec->param != P_NONE && spec->param != P_MEMBER && (!eq || !r->param_len))
        FAIL(c, "rule %s needs a parameter, e.g. %s=...", spec->name, spec->name);

    lake_type t = c->target->type;
    /* required and its conditional forms ask for presence: a column that
     * cannot be absent would make them always pass (or, excluded_if, always
     * fail when its condition holds). */
    bool presence = spec->op == LAKE__R_REQUIRED || spec->op == LAKE__R_REQUIRED_IF ||
                    spec->op == LAKE__R_REQUIRED_UNLESS || spec->op == LAKE__R_REQUIRED_WITH ||
                    spec->op == LAKE__R_REQUIRED_WITHOUT || spec->op == LAKE__R_EXCLUDED_IF;
    if (presence && !c->target->nullable && t != LAKE_STRING && t != LAKE_BYTES)
        FAIL(c, "%s cannot fail on a non-nullable %s column: it always holds a value "
                "(and JSON input must carry it). Make it nullable (a lake_opt_* member, a "
                "nullable tag, a struct pointer) to require presence", spec->name, lake_type_name(t));
    if (spec->op == LAKE__R_REQUIRED) return LAKE_OK;
    if (spec->applies != C_ANY && !(spec->applies & class_of(t)))
        FAIL(c, "rule %s does not apply to a %s column", spec->name, lake_type_name(t));
    switch (spec->param) {
    case P_NUMBER: return parse_number(c, r, r->param, r->param_len, &r->num);
    case P_LIST: case P_FIELDS: return parse_list(c, r);
    case P_FIELD:
        if (memchr(r->param, ' ', r->param_len)) FAIL(c, "%s=%s: names one column", r->name, r->param);
        return LAKE_OK;
    case P_FIELD_VALUES: {
        int rc = parse_list(c, r);
        if (rc == LAKE_OK && r->count % 2)
            FAIL(c, "%s=%s: expected pairs of a column and a value", r->name, r->param);
        return rc;
    }
    case P_LAYOUT:
        if (!lake__go_layout_valid(r->param, r->param_len))
            FAIL(c, "datetime=%s: not a Go time layout (e.g. 2006-01-02)", r->param);
        return LAKE_OK;
    default: return LAKE_OK;
    }
}

static void trim(const char **s, size_t *len) {
    while (*len && (**s == ' ' || **s == '\t')) (*s)++, (*len)--;
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')) (*len)--;
}

int lake__rules_compile(lake__rules *out, const char *text, const lake__rule_target *target,
                        lake_arena *arena, char *why, size_t why_size) {
    compiler c = {target, arena, why, why_size};
    memset(out, 0, sizeof *out);
    if (!text || !*text) return LAKE_OK;
    size_t ngroups = 1;
    for (const char *p = text; *p; p++) ngroups += *p == ',';
    lake__rule_group *groups = lake__arena_alloc(arena, ngroups * sizeof *groups, _Alignof(lake__rule_group));
    if (!groups) return LAKE_ENOMEM;
    size_t count = 0;
    const char *p = text;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        const char *tok = p;
        trim(&tok, &len);
        if (len == 0) FAIL(&c, "empty validation rule in \"%s\"", text);
        if (len == 9 && !memcmp(tok, "omitempty", 9)) {
            out->omitempty = true;
        } else {
            size_t nalts = 1;
            for (size_t i = 0; i < len; i++) nalts += tok[i] == '|';
            lake__rule *alts = lake__arena_alloc(arena, nalts * sizeof *alts, _Alignof(lake__rule));
            if (!alts) return LAKE_ENOMEM;
            memset(alts, 0, nalts * sizeof *alts);
            const char *a = tok, *tok_end = tok + len;
            for (size_t k = 0; k < nalts; k++) {
                const char *bar = memchr(a, '|', (size_t)(tok_end - a));
                size_t alen = bar ? (size_t)(bar - a) : (size_t)(tok_end - a);
                const char *at = a;
                trim(&at, &alen);
                if (alen == 0) FAIL(&c, "empty alternative in \"%.*s\"", (int)len, tok);
                int rc = compile_rule(&c, at, alen, &alts[k]);
                if (rc) return rc;
                if (alts[k].op == LAKE__R_REQUIRED) {
                    if (nalts > 1) FAIL(&c, "required cannot be an alternative");
                    out->required = true;
                }
                if (lake__rule_is_cross_field(alts[k].op)) {
                    /* they run after the struct is complete, the others as each value arrives */
                    if (nalts > 1) FAIL(&c, "a cross-field rule (%s) cannot be an alternative", alts[k].name);
                    out->cross_field = true;
                }
                a = bar ? bar + 1 : tok_end;
            }
            groups[count].alts = alts;
            groups[count].count = nalts;
            if (!(groups[count].text = lake__arena_strndup(arena, tok, len))) return LAKE_ENOMEM;
            count++;
        }
        if (!comma) break;
        p = comma + 1;
    }
    out->groups = groups;
    out->count = count;
    return LAKE_OK;
}

/* The process-wide registry of custom rules: appended under a lock, never removed. */
enum { MAX_CUSTOM_RULES = 256 };
static struct custom_rule {
    char name[64];
    lake_rule_fn fn;
    void *ctx;
} custom_rules[MAX_CUSTOM_RULES];
static size_t custom_count;
static pthread_mutex_t custom_lock = PTHREAD_MUTEX_INITIALIZER;

static struct custom_rule *find_locked(const char *name, size_t len) {
    for (size_t i = 0; i < custom_count; i++)
        if (strlen(custom_rules[i].name) == len && memcmp(custom_rules[i].name, name, len) == 0) return &custom_rules[i];
    return NULL;
}

bool lake__custom_rule(const char *name, size_t len, const char **stable_name, lake_rule_fn *fn, void **ctx) {
    pthread_mutex_lock(&custom_lock);
    struct custom_rule *r = find_locked(name, len);
    if (r) *stable_name = r->name, *fn = r->fn, *ctx = r->ctx;
    pthread_mutex_unlock(&custom_lock);
    return r != NULL;
}

int lake_rule_register(const char *name, lake_rule_fn fn, void *ctx, lake_error *err) {
    size_t len = name ? strlen(name) : 0;
    if (!fn || len == 0 || len >= sizeof custom_rules[0].name)
        return lake__error(err, LAKE_EINVAL, "lake_rule_register: a name of 1-63 characters and a function are required");
    for (size_t i = 0; i < len; i++) {
        char ch = name[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'))
            return lake__error(err, LAKE_EINVAL, "rule name \"%s\": use letters, digits and '_'", name);
    }
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++)
        if (strcmp(specs[i].name, name) == 0 || strcmp(name, "omitempty") == 0)
            return lake__error(err, LAKE_EINVAL, "rule name \"%s\" is built in", name);
    int rc = LAKE_OK;
    pthread_mutex_lock(&custom_lock);
    if (find_locked(name, len)) {
        rc = lake__error(err, LAKE_EINVAL, "rule \"%s\" is already registered", name);
    } else if (custom_count == MAX_CUSTOM_RULES) {
        rc = lake__error(err, LAKE_EINVAL, "more than %d custom rules", MAX_CUSTOM_RULES);
    } else {
        struct custom_rule *r = &custom_rules[custom_count++];
        memcpy(r->name, name, len + 1);
        r->fn = fn;
        r->ctx = ctx;
    }
    pthread_mutex_unlock(&custom_lock);
    return rc;
}
