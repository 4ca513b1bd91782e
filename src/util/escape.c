/* SPDX-License-Identifier: MIT */
#include "util/escape.h"

#include <stdint.h>
#include <stdio.h>

#include "util/utf8.h"

int lake__escape_controls(lake__buf *b, const char *text, size_t len) {
    const unsigned char *p = (const unsigned char *)text;
    size_t run = 0; /* bytes copied verbatim, flushed in one append */
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = lake__utf8_decode(p + i, len - i, &cp);
        if (n && !lake__utf8_is_control(cp)) {
            i += n;
            run += n;
            continue;
        }
        lake__buf_put(b, text + i - run, run);
        run = 0;
        if (!n) lake__buf_printf(b, "\\x%02x", p[i]);
        else if (cp == '\n') lake__buf_puts(b, "\\n");
        else if (cp == '\r') lake__buf_puts(b, "\\r");
        else if (cp == '\t') lake__buf_puts(b, "\\t");
        else lake__buf_printf(b, "\\u%04x", (unsigned)cp);
        i += n ? n : 1;
    }
    lake__buf_put(b, text + len - run, run);
    return b->failed ? -1 : 0;
}
