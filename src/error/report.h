/* SPDX-License-Identifier: MIT */
/* Issue reporting with a JSON-pointer path, shared by the decoder and the
 * validator so both name fields the same way. */
#ifndef LAKE_ERROR_REPORT_H
#define LAKE_ERROR_REPORT_H

#include <stddef.h>

#include "error/error.h"

enum { LAKE__PATH_MAX = 32 };

typedef struct lake__report {
    lake_issues *issues; /* created at the first issue, so clean records allocate nothing */
    size_t record;
    const char *top_column; /* the table column the current path is inside */
    const char *parts[LAKE__PATH_MAX];
    size_t lens[LAKE__PATH_MAX];
    char indexes[LAKE__PATH_MAX][21]; /* the text of list indexes pushed at each depth */
    unsigned depth;
    size_t count; /* issues reported for the current record */
    bool decoded; /* values come from the JSON decoder, which already checked their types */
    bool oom;
} lake__report;

static inline void lake__report_push(lake__report *r, const char *part, size_t len) {
    if (r->depth < LAKE__PATH_MAX) r->parts[r->depth] = part, r->lens[r->depth] = len;
    r->depth++;
}
static inline void lake__report_pop(lake__report *r) { r->depth--; }

/* Pushes a list index ("/items/3"); pop it with lake__report_pop. */
void lake__report_push_index(lake__report *r, size_t index);

/* Adds an issue at the current path extended by `leaf` (may be NULL). */
void lake__report_add(lake__report *r, const char *leaf, size_t leaf_len, const char *column,
                      const char *rule, const char *param, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

#endif
