/* SPDX-License-Identifier: MIT */
#include "arrow/flatbuf.h"

#include <string.h>

void lake__fb_put(lake__buf *b, const void *v, size_t size) { lake__buf_put(b, v, size); }

void lake__fb_align(lake__buf *b, size_t align) {
    static const char zeros[8] = {0};
    while (b->len % align) lake__buf_put(b, zeros, 1);
}

static void put_le(lake__buf *b, uint64_t v, int size) {
    uint8_t bytes[8];
    for (int i = 0; i < size; i++) bytes[i] = (uint8_t)(v >> (8 * i));
    lake__buf_put(b, bytes, (size_t)size);
}

size_t lake__fb_table(lake__buf *b, const lake__fb_field *fields, int n, size_t *offsets) {
    /* Layout inside the table: the soffset at 0, then fields by size, largest
     * first from offset 8 (8-byte ones stay aligned), 4-byte ones from 4. */
    int order[LAKE__FB_MAX_SLOTS];
    for (int i = 0; i < n; i++) order[i] = i;
    for (int i = 1; i < n; i++)
        for (int k = i; k > 0 && fields[order[k]].size > fields[order[k - 1]].size; k--) {
            int t = order[k];
            order[k] = order[k - 1], order[k - 1] = t;
        }
    uint16_t at[LAKE__FB_MAX_SLOTS] = {0};
    size_t pos = 8;
    bool four_used = false;
    for (int i = 0; i < n; i++) {
        const lake__fb_field *f = &fields[order[i]];
        if (f->size == 4 && !four_used) { /* the word beside the soffset */
            at[order[i]] = 4;
            four_used = true;
            continue;
        }
        while (pos % (size_t)f->size) pos++;
        at[order[i]] = (uint16_t)pos;
        pos += (size_t)f->size;
    }
    size_t inline_size = (pos + 3) / 4 * 4;
    int max_slot = -1;
    for (int i = 0; i < n; i++)
        if (fields[i].slot > max_slot) max_slot = fields[i].slot;
    uint16_t vt_size = (uint16_t)(4 + 2 * (max_slot + 1));
    /* The vtable, then the table 8-aligned right after it. */
    lake__fb_align(b, 2);
    size_t vtable = b->len;
    put_le(b, vt_size, 2);
    put_le(b, inline_size, 2);
    for (int s = 0; s <= max_slot; s++) {
        uint16_t off = 0;
        for (int i = 0; i < n; i++)
            if (fields[i].slot == s) off = at[i];
        put_le(b, off, 2);
    }
    lake__fb_align(b, 8);
    size_t table = b->len;
    size_t start = b->len;
    uint8_t zero[64] = {0};
    lake__buf_put(b, zero, inline_size);
    if (b->failed) return table;
    int32_t soff = (int32_t)(table - vtable);
    memcpy(b->data + table, &soff, 4);
    for (int i = 0; i < n; i++) {
        uint8_t bytes[8];
        for (int k = 0; k < fields[i].size; k++) bytes[k] = (uint8_t)(fields[i].value >> (8 * k));
        memcpy(b->data + start + at[i], bytes, (size_t)fields[i].size);
        if (offsets) offsets[i] = fields[i].is_offset ? start + at[i] : 0;
    }
    return table;
}

void lake__fb_patch(lake__buf *b, size_t at, size_t target) {
    if (b->failed || at + 4 > b->len) return;
    uint32_t rel = (uint32_t)(target - at);
    memcpy(b->data + at, &rel, 4);
}

size_t lake__fb_string(lake__buf *b, const char *s, size_t len) {
    lake__fb_align(b, 4);
    size_t pos = b->len;
    put_le(b, len, 4);
    lake__buf_put(b, s, len);
    lake__buf_putc(b, 0);
    return pos;
}

size_t lake__fb_vector(lake__buf *b, uint32_t count, size_t elem_size, size_t align) {
    (void)elem_size;
    if (align < 4) align = 4;
    lake__fb_align(b, 4);
    while ((b->len + 4) % align) lake__buf_putc(b, 0);
    size_t pos = b->len;
    put_le(b, count, 4);
    return pos;
}

/* ---- reading */

static bool in(const lake__fb *f, size_t pos, size_t size) { return pos <= f->len && size <= f->len - pos; }

static uint32_t u32(const lake__fb *f, size_t pos) {
    uint32_t v;
    memcpy(&v, f->data + pos, 4);
    return v;
}

bool lake__fb_root(const lake__fb *f, size_t *table) {
    if (!in(f, 0, 4)) return false;
    *table = u32(f, 0);
    return in(f, *table, 4);
}

size_t lake__fb_at(const lake__fb *f, size_t table, int slot, size_t size) {
    if (!in(f, table, 4)) return 0;
    int32_t soff;
    memcpy(&soff, f->data + table, 4);
    int64_t vt = (int64_t)table - soff;
    if (vt < 0 || !in(f, (size_t)vt, 4)) return 0;
    uint16_t vsize, tsize;
    memcpy(&vsize, f->data + vt, 2);
    memcpy(&tsize, f->data + vt + 2, 2);
    if (vsize < 4 || !in(f, (size_t)vt, vsize) || !in(f, table, tsize)) return 0;
    size_t entry = (size_t)vt + 4 + 2 * (size_t)slot;
    if (4 + 2 * (size_t)slot + 2 > vsize) return 0;
    uint16_t off;
    memcpy(&off, f->data + entry, 2);
    if (!off || off + size > tsize) return 0;
    return table + off;
}

#define SCALAR(name, type)                                                                   \
    bool name(const lake__fb *f, size_t table, int slot, type def, type *out) {              \
        size_t at = lake__fb_at(f, table, slot, sizeof(type));                            \
        *out = def;                                                                          \
        if (at) memcpy(out, f->data + at, sizeof(type));                                     \
        return true;                                                                         \
    }
SCALAR(lake__fb_u8, uint8_t)
SCALAR(lake__fb_i16, int16_t)
SCALAR(lake__fb_i32, int32_t)
SCALAR(lake__fb_i64, int64_t)

bool lake__fb_deref(const lake__fb *f, size_t table, int slot, size_t *target) {
    size_t at = lake__fb_at(f, table, slot, 4);
    *target = 0;
    if (!at) return true;
    uint32_t rel = u32(f, at);
    if (!rel || !in(f, at + rel, 4)) return false;
    *target = at + rel;
    return true;
}

bool lake__fb_vec(const lake__fb *f, size_t pos, size_t elem_size, uint32_t *count, size_t *first) {
    if (!in(f, pos, 4)) return false;
    *count = u32(f, pos);
    *first = pos + 4;
    return (uint64_t)*count * elem_size <= f->len - *first;
}

bool lake__fb_vec_table(const lake__fb *f, size_t first, uint32_t i, size_t *table) {
    size_t at = first + 4 * (size_t)i;
    if (!in(f, at, 4)) return false;
    uint32_t rel = u32(f, at);
    *table = at + rel;
    return rel && in(f, *table, 4);
}

bool lake__fb_str(const lake__fb *f, size_t pos, const char **s, size_t *len) {
    if (!in(f, pos, 4)) return false;
    *len = u32(f, pos);
    if (!in(f, pos + 4, *len)) return false;
    *s = (const char *)f->data + pos + 4;
    return true;
}
