/* SPDX-License-Identifier: MIT */
#include "dialects/quote.h"

#include <string.h>

int lake__quote_n(lake__buf *b, const char *name, size_t n, char q) {
    lake__buf_putc(b, q);
    for (size_t i = 0; i < n; i++) {
        if (name[i] == q) lake__buf_putc(b, q);
        lake__buf_putc(b, name[i]);
    }
    lake__buf_putc(b, q);
    return b->failed ? -1 : 0;
}

int lake__quote(lake__buf *b, const char *name, char q) { return lake__quote_n(b, name, strlen(name), q); }

int lake__quote_dotted(lake__buf *b, const char *name, char q) {
    for (const char *part = name;;) {
        size_t n = strcspn(part, ".");
        lake__quote_n(b, part, n, q);
        if (!part[n]) return b->failed ? -1 : 0;
        lake__buf_putc(b, '.');
        part += n + 1;
    }
}
