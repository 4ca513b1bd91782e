/* SPDX-License-Identifier: MIT */
#include "json/write.h"

#include <lakeorm/json.h>

#include "util/utf8.h"

int lake__json_write_string(lake__buf *b, const char *s, size_t len) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    lake__buf_putc(b, '"');
    size_t run = 0; /* bytes copied verbatim, flushed in one append */
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        const char *esc = NULL;
        char u[6];
        size_t step = 1;
        if (c >= 0x80) {
            uint32_t cp;
            step = lake__utf8_decode(p + i, len - i, &cp);
            if (step) {
                i += step;
                run += step;
                continue;
            }
            step = 1;
            esc = "\xEF\xBF\xBD"; /* U+FFFD for a byte that is not UTF-8 */
        } else if (c == '"') {
            esc = "\\\"";
        } else if (c == '\\') {
            esc = "\\\\";
        } else if (c == '\n') {
            esc = "\\n";
        } else if (c == '\r') {
            esc = "\\r";
        } else if (c == '\t') {
            esc = "\\t";
        } else if (c < 0x20 || c == 0x7F) {
            u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0', u[4] = hex[c >> 4], u[5] = hex[c & 15];
        } else {
            i++;
            run++;
            continue;
        }
        lake__buf_put(b, s + i - run, run);
        run = 0;
        if (esc) lake__buf_puts(b, esc);
        else lake__buf_put(b, u, 6);
        i += step;
    }
    lake__buf_put(b, s + len - run, run);
    return lake__buf_putc(b, '"');
}

int lake_json_quote(const char *text, size_t len, char **out, size_t *out_len) {
    if (!out || (!text && len)) return LAKE_EINVAL;
    lake__buf b = LAKE__BUF_INIT;
    lake__json_write_string(&b, text ? text : "", len);
    *out = lake__buf_detach(&b, out_len);
    return *out ? LAKE_OK : LAKE_ENOMEM;
}
