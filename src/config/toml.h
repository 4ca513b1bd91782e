/* SPDX-License-Identifier: MIT */
/* A TOML document walked key by key (toml_read.cpp, over toml++): the one
 * place lakeorm reads TOML, behind a C interface, so the rest of the
 * configuration code is C and never sees a C++ type or exception. */
#ifndef LAKE_CONFIG_TOML_H
#define LAKE_CONFIG_TOML_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lake__toml_kind {
    LAKE__TOML_TABLE,
    LAKE__TOML_ARRAY,
    LAKE__TOML_STRING,
    LAKE__TOML_INTEGER,
    LAKE__TOML_FLOAT,
    LAKE__TOML_BOOLEAN,
    LAKE__TOML_DATETIME, /* a date, a time or both */
} lake__toml_kind;

/* One node: a table (before its members) or a value; arrays are not
 * entered, since no setting takes one. Everything lives for the call only. */
typedef struct lake__toml_item {
    const char *const *keys; /* the path from the root, keys[depth - 1] the node's own key */
    const size_t *key_lens;  /* keys may hold any byte, NUL too */
    size_t depth;
    lake__toml_kind kind;
    const char *text; /* STRING: its bytes (may hold a NUL) */
    size_t len;
    int64_t integer; /* INTEGER; BOOLEAN: 0 or 1 */
    unsigned line;   /* where the key is written, from 1 */
} lake__toml_item;

/* A document the parser refuses: where, and why (toml++'s words). */
typedef struct lake__toml_failure {
    unsigned line, column;
    char message[256];
} lake__toml_failure;

typedef int (*lake__toml_fn)(void *ctx, const lake__toml_item *item);

/* Parses text[len] as TOML 1.0 and calls fn for every node, depth first in
 * the document's order. LAKE_OK; fn's non-zero return, which stops the walk;
 * LAKE_EINVAL with *failure filled when the text is not TOML; LAKE_ENOMEM. */
int lake__toml_walk(const char *text, size_t len, lake__toml_fn fn, void *ctx, lake__toml_failure *failure);

#ifdef __cplusplus
}
#endif

#endif
