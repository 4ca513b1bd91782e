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
    LAKE__R_CUSTOM, /* registered with lake_rule_register */
} lake__rule_op;

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

#endif
