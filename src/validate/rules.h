/* SPDX-License-Identifier: MIT */
/* Validation rules compiled from their go-playground-style text, once per
 * column. Checking a value never parses text. */
#ifndef LAKE_VALIDATE_RULES_H
#define LAKE_VALIDATE_RULES_H

#include <lakeorm/json.h>
#include <lakeorm/schema.h>
#include <lakeorm/validate.h>

#include "util/decimal.h"

typedef enum lake__rule_op {
    LAKE__R_REQUIRED = 1,
    LAKE__R_EMAIL,
    LAKE__R_UUID,
    LAKE__R_UUID4,
    LAKE__R_URL,
    LAKE__R_URI,
    LAKE__R_MIN,
    LAKE__R_MAX,
    LAKE__R_LEN,
    LAKE__R_EQ,
    LAKE__R_NE,
    LAKE__R_GT,
    LAKE__R_GTE,
    LAKE__R_LT,
    LAKE__R_LTE,
    LAKE__R_ONEOF,
    LAKE__R_ALPHA,
    LAKE__R_ALPHANUM,
    LAKE__R_NUMERIC,
    LAKE__R_HEXADECIMAL,
    LAKE__R_LOWERCASE,
    LAKE__R_UPPERCASE,
    LAKE__R_CONTAINS,
    LAKE__R_STARTSWITH,
    LAKE__R_ENDSWITH,
    LAKE__R_IP,
    LAKE__R_IPV4,
    LAKE__R_IPV6,
    LAKE__R_E164,
    LAKE__R_DATETIME,
    LAKE__R_UNIQUE, /* lists and maps: no two elements (or values, or members) equal */
    LAKE__R_CUSTOM, /* registered with lake_rule_register */
    /* Cross-field rules: they read sibling columns of the same struct, so they
     * run once the whole struct has its values (lake__check_fields). */
    LAKE__R_EQFIELD,
    LAKE__R_NEFIELD,
    LAKE__R_GTFIELD,
    LAKE__R_GTEFIELD,
    LAKE__R_LTFIELD,
    LAKE__R_LTEFIELD,
    LAKE__R_REQUIRED_IF,
    LAKE__R_REQUIRED_UNLESS,
    LAKE__R_REQUIRED_WITH,
    LAKE__R_REQUIRED_WITHOUT,
    LAKE__R_EXCLUDED_IF,
} lake__rule_op;

static inline bool lake__rule_is_cross_field(lake__rule_op op) { return op >= LAKE__R_EQFIELD; }

struct lake__column;
struct lake__value;

/* How a rule's numeric parameter is read: a length/count for strings and bytes,
 * the column's own number kind otherwise. */
typedef union lake__rule_num {
    uint64_t count;
    int64_t i;
    double f;
    lake__i128 dec; /* unscaled at the column's scale */
    bool b;
} lake__rule_num;

typedef struct lake__rule {
    lake__rule_op op;
    const char *name;  /* as in issue.rule */
    const char *param; /* NUL-terminated, "" when none */
    size_t param_len;
    lake__rule_num num;
    /* oneof: the allowed values, as text (strings) or numbers */
    const lake_str *items;
    const lake__rule_num *nums;
    size_t count;
    /* custom rules */
    lake_rule_fn fn;
    void *ctx;
    /* Filled by lake__rules_resolve. Cross-field rules: the sibling columns
     * named (`count` of them), and for required_if, required_unless and
     * excluded_if the value each must hold, in the sibling's type. unique:
     * the element (list) or value (map) column, and the member compared
     * when the elements are structs (NULL otherwise). */
    const struct lake__column *const *fields;
    const struct lake__value *values;
    const struct lake__column *element, *member;
} lake__rule;

/* Alternatives joined by '|': the group passes when any alternative does. */
typedef struct lake__rule_group {
    const lake__rule *alts;
    size_t count;
    const char *text; /* the group as written, e.g. "uuid4|email" */
} lake__rule_group;

typedef struct lake__rules {
    const lake__rule_group *groups;
    size_t count;
    bool omitempty;
    bool required;
    bool cross_field; /* some group is a cross-field rule (checked by lake__check_fields) */
} lake__rules;

/* What the rule compiler needs to know about its column. */
typedef struct lake__rule_target {
    const char *column;
    lake_type type;
    bool nullable;
    unsigned scale; /* decimals */
} lake__rule_target;

/* A registered custom rule, or NULL. */
bool lake__custom_rule(const char *name, size_t len, const char **stable_name, lake_rule_fn *fn, void **ctx);

/* Compiles `text` for the column; memory comes from `arena`. Returns LAKE_OK or
 * LAKE_ESCHEMA with a message naming the column and the rule in why[]. */
int lake__rules_compile(lake__rules *out, const char *text, const lake__rule_target *target,
                        lake_arena *arena, char *why, size_t why_size);

/* The second pass, once every column of one struct (and its children) has
 * compiled: binds cross-field rules to the sibling columns they name and
 * their values to the siblings' types, and unique to the member it compares.
 * LAKE_ESCHEMA naming both columns when a sibling is unknown or its type does
 * not compare with the column's; LAKE_ENOMEM. */
struct lake_schema;
int lake__rules_resolve(struct lake_schema *schema, char *why, size_t why_size);

#endif
