/* SPDX-License-Identifier: MIT */
#include "error/report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"

/* RFC 6901: '~' is written ~0 and '/' is written ~1. A NUL (a key may hold
 * \u0000) would end the path's C string: it is written as the six characters
 * \u0000, so the rest of the key still shows. */
static void put_part(char *out, size_t cap, size_t *o, const char *s, size_t len) {
    if (*o + 1 < cap) out[(*o)++] = '/';
    for (size_t i = 0; i < len && *o + 2 < cap; i++) {
        if (s[i] == '~' || s[i] == '/') {
            out[(*o)++] = '~';
            out[(*o)++] = s[i] == '~' ? '0' : '1';
        } else if (!s[i]) {
            if (*o + 7 >= cap) break;
            memcpy(out + *o, "\\u0000", 6);
            *o += 6;
        } else {
            out[(*o)++] = s[i];
        }
    }
}

void lake__report_push_index(lake__report *r, size_t index) {
    if (r->depth < LAKE__PATH_MAX) {
        int n = snprintf(r->indexes[r->depth], sizeof r->indexes[r->depth], "%zu", index);
        r->parts[r->depth] = r->indexes[r->depth], r->lens[r->depth] = (size_t)n;
    }
    r->depth++;
}

void lake__report_add(lake__report *r, const char *leaf, size_t leaf_len, const char *column,
                      const char *rule, const char *param, const char *fmt, ...) {
    char path[512], message[512];
    size_t o = 0;
    unsigned depth = r->depth < LAKE__PATH_MAX ? r->depth : LAKE__PATH_MAX;
    for (unsigned i = 0; i < depth; i++) put_part(path, sizeof path, &o, r->parts[i], r->lens[i]);
    if (leaf) put_part(path, sizeof path, &o, leaf, leaf_len);
    path[o] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    r->count++;
    if (!r->issues && lake__issues_new(&r->issues)) {
        r->oom = true;
        return;
    }
    if (lake__issues_add(r->issues, r->record, path, column ? column : "", rule, param ? param : "",
                         "%s", message))
        r->oom = true;
}
