/* SPDX-License-Identifier: MIT */
/* Just enough FlatBuffers for Arrow IPC metadata, written and read by hand
 * (no flatcc in the distribution). Writing goes front to back: a table's
 * vtable precedes it, its children follow it, and offsets are patched once a
 * child's position is known. Reading checks every access against the bounds:
 * the bytes come from the network. */
#ifndef LAKE_ARROW_FLATBUF_H
#define LAKE_ARROW_FLATBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* ---- writing */

enum { LAKE__FB_MAX_SLOTS = 8 };

/* One field of a table: a scalar of `size` bytes (1, 2, 4 or 8), or an offset
 * (size 4, is_offset) to a child written later with lake__fb_patch. */
typedef struct lake__fb_field {
    int slot;
    int size;
    uint64_t value;
    bool is_offset;
} lake__fb_field;

/* Writes a table (8-aligned) and its vtable; *offsets receives, in field
 * order, the buffer position of each offset field (0 for scalars). Returns
 * the table's position. */
size_t lake__fb_table(lake__buf *b, const lake__fb_field *fields, int n, size_t *offsets);
/* Points the offset field at `at` to `target` (which must lie after it). */
void lake__fb_patch(lake__buf *b, size_t at, size_t target);
/* A string (length, bytes, NUL), 4-aligned; returns its position. */
size_t lake__fb_string(lake__buf *b, const char *s, size_t len);
/* A vector header whose elements of `elem_size` follow aligned to `align`;
 * returns the vector's position (of its length word). */
size_t lake__fb_vector(lake__buf *b, uint32_t count, size_t elem_size, size_t align);
void lake__fb_align(lake__buf *b, size_t align);
void lake__fb_put(lake__buf *b, const void *v, size_t size);

/* ---- reading */

typedef struct lake__fb {
    const uint8_t *data;
    size_t len;
} lake__fb;

/* A table at position `pos`; false when out of bounds or malformed. */
bool lake__fb_root(const lake__fb *f, size_t *table);
/* The absolute position of a field, or 0 when absent. */
size_t lake__fb_at(const lake__fb *f, size_t table, int slot, size_t size);
bool lake__fb_u8(const lake__fb *f, size_t table, int slot, uint8_t def, uint8_t *out);
bool lake__fb_i16(const lake__fb *f, size_t table, int slot, int16_t def, int16_t *out);
bool lake__fb_i32(const lake__fb *f, size_t table, int slot, int32_t def, int32_t *out);
bool lake__fb_i64(const lake__fb *f, size_t table, int slot, int64_t def, int64_t *out);
/* Follows an offset field to a table, vector or string; 0 when absent. */
bool lake__fb_deref(const lake__fb *f, size_t table, int slot, size_t *target);
/* A vector at pos: element count and first element's position (elements of elem_size checked in bounds). */
bool lake__fb_vec(const lake__fb *f, size_t pos, size_t elem_size, uint32_t *count, size_t *first);
/* The table that element i of a vector of tables points to. */
bool lake__fb_vec_table(const lake__fb *f, size_t first, uint32_t i, size_t *table);
/* A string at pos. */
bool lake__fb_str(const lake__fb *f, size_t pos, const char **s, size_t *len);

#endif
