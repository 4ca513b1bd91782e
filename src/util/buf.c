/* SPDX-License-Identifier: MIT */
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

int lake__buf_grow(lake__buf *b, size_t extra) {
    if (b->failed) return -1;
    size_t need;
    if (lake__add_size(&need, b->len, extra) || lake__add_size(&need, need, 1)) goto fail;
    if (need <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (lake__mul_size(&cap, cap, 2)) goto fail;
    }
    char *p = lake__realloc(b->data, b->cap, cap);
    if (!p) goto fail;
    b->data = p;
    b->cap = cap;
    return 0;
fail:
    b->failed = 1;
    return -1;
}

int lake__buf_put_slow(lake__buf *b, const void *data, size_t len) {
    if (lake__buf_grow(b, len)) return -1;
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int lake__buf_puts(lake__buf *b, const char *s) { return lake__buf_put(b, s, strlen(s)); }

int lake__buf_putc(lake__buf *b, char c) { return lake__buf_put(b, &c, 1); }

int lake__buf_printf(lake__buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || lake__buf_grow(b, (size_t)n)) return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

char *lake__buf_detach(lake__buf *b, size_t *len) {
    if (b->failed || lake__buf_grow(b, 0)) {
        lake__buf_dispose(b);
        return NULL;
    }
    char *p = b->data;
    if (len) *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void lake__buf_dispose(lake__buf *b) {
    lake__free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}
