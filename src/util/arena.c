/* SPDX-License-Identifier: MIT */
#include "util/arena.h"

#include <string.h>

#include "util/alloc.h"

#include <lakeorm/error.h>

typedef struct block {
    struct block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} block;

struct lake_arena {
    block *head;
    size_t used;
    lake__buf scratch;
};

enum { MIN_BLOCK = 16 * 1024 };

int lake_arena_new(lake_arena **out) {
    *out = lake__calloc(1, sizeof(lake_arena));
    return *out ? LAKE_OK : LAKE_ENOMEM;
}

static void free_blocks(block *b) {
    while (b) {
        block *next = b->next;
        lake__free(b);
        b = next;
    }
}

void lake_arena_reset(lake_arena *arena) {
    if (!arena || !arena->head) return;
    /* Keep the newest (largest) block so a reused arena stops allocating. */
    free_blocks(arena->head->next);
    arena->head->next = NULL;
    arena->head->used = 0;
    arena->used = 0;
}

void lake_arena_free(lake_arena *arena) {
    if (!arena) return;
    free_blocks(arena->head);
    lake__buf_dispose(&arena->scratch);
    lake__free(arena);
}

void *lake__arena_alloc(lake_arena *arena, size_t size, size_t align) {
    block *b = arena->head;
    if (b) {
        size_t at = (b->used + align - 1) & ~(align - 1);
        if (at <= b->size && size <= b->size - at) {
            b->used = at + size;
            arena->used += size;
            return b->data + at;
        }
    }
    size_t want = b ? b->size * 2 : MIN_BLOCK, total;
    if (want < size + align) want = size + align;
    if (lake__add_size(&total, sizeof(block), want)) return NULL;
    block *nb = lake__malloc(total);
    if (!nb) return NULL;
    nb->next = b;
    nb->size = want;
    nb->used = size;
    arena->head = nb;
    arena->used += size;
    return nb->data;
}

char *lake__arena_strndup(lake_arena *arena, const char *s, size_t len) {
    char *p = lake__arena_alloc(arena, len + 1, 1);
    if (!p) return NULL;
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

size_t lake__arena_used(const lake_arena *arena) { return arena->used; }

lake__buf *lake__arena_scratch(lake_arena *arena) { return &arena->scratch; }
