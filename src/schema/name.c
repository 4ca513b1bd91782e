/* SPDX-License-Identifier: MIT */
#include "schema/name.h"

#include <stdint.h>
#include <stdio.h>
#include <strings.h>

#include <lakeorm/error.h>

#include "util/utf8.h"

enum { MAX_NAME = 128 };

int lake__name_check(const char *name, size_t len, lake__name_kind kind, char *why, size_t why_size) {
    const char *what = kind == LAKE__NAME_TABLE ? "table name" : "column name";
    if (len == 0) {
        snprintf(why, why_size, "empty %s", what);
        return LAKE_ESCHEMA;
    }
    if (len > MAX_NAME) {
        snprintf(why, why_size, "%s longer than %d bytes", what, MAX_NAME);
        return LAKE_ESCHEMA;
    }
    const unsigned char *p = (const unsigned char *)name;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = lake__utf8_decode(p + i, len - i, &cp);
        if (!n) {
            snprintf(why, why_size, "%s is not valid UTF-8 (byte %zu)", what, i + 1);
            return LAKE_ESCHEMA;
        }
        if (lake__utf8_is_control(cp)) {
            snprintf(why, why_size, "%s has a control character (U+%04X at byte %zu)", what, (unsigned)cp, i + 1);
            return LAKE_ESCHEMA;
        }
        i += n;
    }
    if (kind == LAKE__NAME_TABLE) {
        /* Spark reads dots as catalog.schema.table: no part may pass for one of lakeorm's tables. */
        const size_t plen = sizeof LAKE__RESERVED_TABLE_PREFIX - 1;
        for (size_t at = 0; at < len;) {
            size_t end = at;
            while (end < len && name[end] != '.') end++;
            if (end - at >= plen && strncasecmp(name + at, LAKE__RESERVED_TABLE_PREFIX, plen) == 0) {
                snprintf(why, why_size, "table names starting with \"%s\" (in any case) are reserved for lakeorm's "
                                        "own tables", LAKE__RESERVED_TABLE_PREFIX);
                return LAKE_ESCHEMA;
            }
            at = end + 1;
        }
    }
    return LAKE_OK;
}
