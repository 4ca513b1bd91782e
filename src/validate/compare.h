/* SPDX-License-Identifier: MIT */
/* Values as rules compare them: equality, order, and equal elements of a
 * collection. Shared by the value rules (check.c), the cross-field rules
 * (cross_field.c) and unique / map keys. */
#ifndef LAKE_VALIDATE_COMPARE_H
#define LAKE_VALIDATE_COMPARE_H

#include "values/values.h"

/* The column's value in `record` as rules compare it: lake__value_get, and
 * for a list or map its element count in .i. The caller checks lake__is_null. */
void lake__compare_read(const lake__column *c, const void *record, lake__value *out);

/* The kind values of the column are compared as (its row in the value table). */
static inline lake__vkind lake__compare_kind(const lake__column *c) {
    return lake__value_types[c->pub.type].kind;
}

/* Equal values of one kind: text and bytes by content, collections by count,
 * floats as doubles (NaN equals nothing). */
bool lake__compare_equal(lake__vkind kind, const lake__value *a, const lake__value *b);

/* -1, 0 or 1 ordering a before b; 2 when unordered (NaN, or a kind without an
 * order). Numbers and instants by value; text by its length in code points,
 * bytes by length, collections by count, as Go's validator compares them. */
int lake__compare_order(lake__vkind kind, const lake__value *a, const lake__value *b);

/* Element i of a collection for lake__each_duplicate; false when it is NULL
 * (NULL equals nothing). */
typedef bool (*lake__element_value)(const void *ctx, size_t i, lake__value *out);

/* Calls found(i) for every element equal to an earlier one, in order, until
 * found returns false. Returns false when out of memory. */
bool lake__each_duplicate(size_t n, lake__vkind kind, lake__element_value get, const void *ctx,
                          bool (*found)(void *found_ctx, size_t i), void *found_ctx);

#endif
