/* SPDX-License-Identifier: MIT */
/* The JSON scanner (RFC 8259): the one piece that reads JSON text, shared by
 * the record decoder and the schema-file reader. It never builds a tree. */
#ifndef LAKE_JSON_SCAN_H
#define LAKE_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lakeorm/json.h>

#include "util/buf.h"

typedef struct lake__json {
    const char *start, *p, *end;
    const char *error;    /* static reason of the first syntax error; scanning stops */
    size_t error_offset;  /* its byte offset */
    bool oom;
} lake__json;

typedef enum lake__json_kind {
    LAKE__J_END = 0, LAKE__J_OBJECT, LAKE__J_ARRAY, LAKE__J_STRING, LAKE__J_NUMBER,
    LAKE__J_TRUE, LAKE__J_FALSE, LAKE__J_NULL, LAKE__J_INVALID,
} lake__json_kind;

typedef struct lake__json_num {
    const char *text; /* the token, not NUL-terminated */
    size_t len;
    bool negative, fraction, exponent;
} lake__json_num;

void lake__json_init(lake__json *j, const char *text, size_t len);
/* Marks a syntax error at the current position; returns false. */
bool lake__json_fail(lake__json *j, const char *reason);

static inline void lake__json_ws(lake__json *j) {
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t')) j->p++;
}

/* What the next value is, after whitespace; does not consume it. */
lake__json_kind lake__json_peek(lake__json *j);
/* Consumes `c` after whitespace, or fails with `reason`. */
bool lake__json_expect(lake__json *j, char c, const char *reason);
/* Consumes true, false or null. */
bool lake__json_literal(lake__json *j, lake__json_kind kind);

/* Reads a string (j->p at its quote). Without escapes *out points into the input
 * (*len bytes, not NUL-terminated); with escapes it is decoded into `arena`
 * (NUL-terminated). A NULL arena only validates. Rejects control characters,
 * invalid UTF-8, bad escapes and lone surrogates. */
bool lake__json_string(lake__json *j, lake_arena *arena, const char **out, size_t *len);
/* Reads a number token with RFC 8259's grammar (no leading zeros, no '+'). */
bool lake__json_number(lake__json *j, lake__json_num *out);
/* Reads one value of any kind, checking its syntax, with containers nested
 * at most max_depth (at most 1024) deep, and appends it to `out` (when not
 * NULL) normalized: the tokens as written (strings with their escapes,
 * numbers digit for digit), keys in input order, without the whitespace
 * between them. Iterative: hostile nesting cannot exhaust the C stack. */
bool lake__json_copy(lake__json *j, unsigned max_depth, lake__buf *out);
/* Skips one value of any kind, checking it as lake__json_copy does. */
static inline bool lake__json_skip(lake__json *j, unsigned max_depth) { return lake__json_copy(j, max_depth, NULL); }
/* Steps through an object's members: *first true before its '{' (the call
 * clears it). True with the member's key read as lake__json_string reads it
 * and j->p at its value, which the caller consumes before the next call;
 * false after the closing '}', or on a syntax error (j->error set) or an
 * allocation failure (j->oom). */
bool lake__json_member(lake__json *j, lake_arena *arena, bool *first, const char **key, size_t *key_len);
/* True when only whitespace remains. */
bool lake__json_at_end(lake__json *j);

/* Integer value of a number token without fraction or exponent; false when it
 * has one or does not fit int64. */
bool lake__json_number_int64(const lake__json_num *n, int64_t *out);
/* The same of a whole text that is one such number, nothing around it. */
bool lake__json_parse_int64(const char *text, size_t len, int64_t *out);

#endif
