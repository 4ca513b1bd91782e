/* SPDX-License-Identifier: MIT */
/* Running compiled rules over values in records. */
#ifndef LAKE_VALIDATE_CHECK_H
#define LAKE_VALIDATE_CHECK_H

#include "error/report.h"
#include "schema/schema.h"

/* Checks one column of `record` against its own rules, not entering its
 * contents: a struct's members, a list's elements and a map's keys and values
 * are columns of its child schema, checked with the element (entry) record as
 * `record` after the caller pushed the index (key) on the report. Cross-field
 * rules wait for lake__check_fields. */
void lake__check_column(const lake__column *col, const void *record, lake__report *r);

/* Checks the cross-field rules of one struct's columns (eqfield, required_if,
 * ...), once every column of `record` holds its value. */
void lake__check_fields(const lake_schema *schema, const void *record, lake__report *r);

/* Checks every column of a record built in C and everything inside it:
 * struct members (not a NULL struct's), list elements at their index, map
 * keys and values at their key (and keys unique within a map), then the
 * cross-field rules of each struct. */
void lake__check_record(const lake_schema *schema, const void *record, lake__report *r);

/* Whether the column holds a value, as required means it: not NULL, and a
 * string or bytes not empty (an empty list or map is present, as in Go). */
static inline bool lake__is_present(const lake__column *c, const void *record) {
    if (lake__is_null(c, record)) return false;
    if (c->pub.type != LAKE_STRING && c->pub.type != LAKE_BYTES) return true;
    return lake__view_at(c, record)->len > 0;
}

/* What omitempty skips, as Go's validator skips zero values: NULL, an empty
 * string, bytes, list or map, and the C zero value of other types. */
bool lake__is_empty(const lake__column *c, const void *record);

/* Reports that the column broke the group's rule, worded by the rule. */
void lake__check_report(lake__report *r, const lake__column *c, const lake__rule_group *g);

#endif
