/* SPDX-License-Identifier: MIT */
#include "config/interpolate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm/error.h>

#include "util/arena.h"
#include "util/buf.h"

static bool name_char(char ch, bool first) {
    return ch == '_' || isalpha((unsigned char)ch) || (!first && isdigit((unsigned char)ch));
}

int lake__interpolate(lake_arena *arena, const char *text, size_t len, const char **out, char *why, size_t size) {
    lake__buf b = LAKE__BUF_INIT;
    int rc = LAKE_OK;
    for (size_t i = 0; i < len && !rc; i++) {
        if (!text[i]) {
            snprintf(why, size, "a string holds a NUL byte");
            rc = LAKE_EINVAL;
        } else if (text[i] != '$') {
            rc = lake__buf_putc(&b, text[i]) ? LAKE_ENOMEM : LAKE_OK;
        } else if (i + 1 < len && text[i + 1] == '$') {
            rc = lake__buf_putc(&b, '$') ? LAKE_ENOMEM : LAKE_OK;
            i++;
        } else if (i + 1 < len && text[i + 1] == '{') {
            size_t start = i + 2, n = 0;
            while (start + n < len && name_char(text[start + n], n == 0)) n++;
            const char *end = memchr(text + start, '}', len - start);
            bool fallback = start + n + 1 < len && text[start + n] == ':' && text[start + n + 1] == '-';
            if (!n || !end || (text + start + n != end && !fallback)) {
                snprintf(why, size, "a malformed ${...}: write ${NAME} or ${NAME:-default} (NAME of letters, digits "
                                    "and _), and $$ for a literal $");
                rc = LAKE_EINVAL;
                break;
            }
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(n < 127 ? n : 127), text + start);
            const char *value = getenv(name);
            if (fallback && (!value || !*value)) {
                const char *d = text + start + n + 2;
                rc = lake__buf_put(&b, d, (size_t)(end - d)) ? LAKE_ENOMEM : LAKE_OK;
            } else if (!value) {
                snprintf(why, size, "${%s} is not set (give it a default: ${%s:-...})", name, name);
                rc = LAKE_ENOTFOUND;
            } else {
                rc = lake__buf_puts(&b, value) ? LAKE_ENOMEM : LAKE_OK;
            }
            i = (size_t)(end - text);
        } else {
            snprintf(why, size, "a $ that starts no ${NAME}: write $$ for a literal $");
            rc = LAKE_EINVAL;
        }
    }
    if (rc == LAKE_OK) {
        char *s = lake__arena_strndup(arena, b.data ? (const char *)b.data : "", b.len);
        if (!s) rc = LAKE_ENOMEM;
        *out = s;
    }
    if (rc == LAKE_ENOMEM) snprintf(why, size, "out of memory");
    lake__buf_dispose(&b);
    return rc;
}
