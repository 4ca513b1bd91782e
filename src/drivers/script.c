/* SPDX-License-Identifier: MIT */
/* Scripts cut into statements, for engines that run one per call. */
#include <string.h>

#include "drivers/driver.h"
#include "error/error.h"
#include "util/alloc.h"

/* Whether SQL text holds nothing but "--" comments and blanks (Spark's parser
 * refuses such a statement; a migration section can be only comments). */
static bool only_comments(const char *sql) {
    for (const char *p = sql; *p;) {
        p += strspn(p, " \t\r\n");
        if (!strncmp(p, "--", 2)) p += strcspn(p, "\n");
        else if (*p) return false;
    }
    return true;
}

int lake__script_each(const char *sql, int (*fn)(void *ctx, const char *one, lake_error *err), void *ctx,
                      lake_error *err) {
    int rc = LAKE_OK;
    for (const char *at = sql; !rc && *at;) {
        const char *end = strstr(at, ";\n");
        size_t n = end ? (size_t)(end - at) : strlen(at);
        while (n && (at[n - 1] == ';' || at[n - 1] == ' ' || at[n - 1] == '\n')) n--;
        char *one = lake__strndup(at, n);
        if (!one) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        else if (!only_comments(one)) rc = fn(ctx, one, err);
        lake__free(one);
        at = end ? end + 2 : at + strlen(at);
    }
    return rc;
}
