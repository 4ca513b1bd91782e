/* SPDX-License-Identifier: MIT */
/* A growable byte buffer, always NUL-terminated when non-empty. */
#ifndef LAKE_UTIL_BUF_H
#define LAKE_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct lake__buf {
    char *data;
    size_t len, cap;
    int failed; /* an allocation failed; every later append is a no-op */
} lake__buf;

#define LAKE__BUF_INIT {NULL, 0, 0, 0}

int lake__buf_grow(lake__buf *b, size_t extra);
int lake__buf_put_slow(lake__buf *b, const void *data, size_t len);

/* Appends bytes; inline because encoders call it once per value. */
static inline int lake__buf_put(lake__buf *b, const void *data, size_t len) {
    if (b->len + len < b->cap) {
        __builtin_memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
        return 0;
    }
    return lake__buf_put_slow(b, data, len);
}
int lake__buf_puts(lake__buf *b, const char *s);
int lake__buf_putc(lake__buf *b, char c);
int lake__buf_printf(lake__buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the bytes to the caller (free with lake__free); the buffer is emptied. */
char *lake__buf_detach(lake__buf *b, size_t *len);
void lake__buf_dispose(lake__buf *b);

#endif
