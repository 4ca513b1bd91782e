/* SPDX-License-Identifier: MIT */
/* Format strings of the Arrow C Data Interface ("i", "tsu:UTC", "d:18,2",
 * "+m" ...; CDataInterface.html, "Data type description -- format
 * strings"): what each lakeorm column exports as, and what an imported
 * field's format means in the value table's terms (values/values.h). */
#ifndef LAKE_ARROW_C_FORMAT_H
#define LAKE_ARROW_C_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#include "schema/schema.h"
#include "values/values.h"

enum { LAKE__ARROW_FORMAT_MAX = 24 };

/* The format a column exports as, written into buf, and the canonical
 * extension type it carries (ARROW:extension:name), or NULL: UUIDs are
 * fixed_size_binary(16) "arrow.uuid", JSON is utf8 "arrow.json". */
const char *lake__arrow_format_of(const lake_column *c, char buf[LAKE__ARROW_FORMAT_MAX], const char **extension);

/* An imported field's physical layout. */
typedef enum lake__arrow_layout {
    LAKE__AL_NONE = 0, /* a format lakeorm does not read */
    LAKE__AL_BOOL,
    LAKE__AL_FIXED,        /* ints, floats, dates, timestamps, decimals: `width` bytes a value */
    LAKE__AL_BINARY,       /* utf8 / binary: int32 offsets, data */
    LAKE__AL_LARGE_BINARY, /* large_utf8 / large_binary: int64 offsets */
    LAKE__AL_VIEW,         /* utf8_view / binary_view: 16-byte views, variadic data buffers */
    LAKE__AL_FIXED_BINARY, /* fixed_size_binary(width) */
    LAKE__AL_STRUCT,
    LAKE__AL_LIST,        /* int32 offsets */
    LAKE__AL_LARGE_LIST,  /* int64 offsets */
    LAKE__AL_FIXED_LIST,  /* `width` elements a value */
    LAKE__AL_MAP,         /* a list of an entries struct of key and value */
} lake__arrow_layout;

typedef struct lake__arrow_type {
    lake__arrow_layout layout;
    int64_t width;    /* FIXED: bytes a value; FIXED_BINARY: bytes; FIXED_LIST: elements */
    bool text;        /* a string layout holding UTF-8 (utf8, large_utf8, utf8_view) */
    bool zoned;       /* a timestamp with a time zone */
    lake__source src; /* what it holds: kind NONE for a format lakeorm does not read */
} lake__arrow_type;

/* Parses a format string; false when it is malformed or one lakeorm does
 * not read (then *out's layout is NONE), never reading past its NUL. */
bool lake__arrow_format_parse(const char *format, lake__arrow_type *out);

/* How many buffers an array of the layout has (a view layout: at least). */
int lake__arrow_layout_buffers(lake__arrow_layout layout);

#endif
