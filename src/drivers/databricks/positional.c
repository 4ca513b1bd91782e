/* SPDX-License-Identifier: MIT */
/* `?` parameters for a warehouse that binds only named ones. */
#include <stdio.h>
#include <string.h>

#include "drivers/databricks/warehouse.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/arena.h"

/* Where the quoted run or comment starting at p ends (just past it). Spark SQL
 * strings take backslash escapes; a doubled quote also continues them. */
static const char *skip_quoted(const char *p) {
    char q = *p++;
    for (; *p; p++) {
        if (*p == '\\' && q != '`' && p[1]) p++;
        else if (*p == q && p[1] == q) p++;
        else if (*p == q) return p + 1;
    }
    return p;
}

int lake__dbx_positional(const char *sql, size_t nparams, char **sql_out, char (*names)[16], lake_error *err) {
    lake__buf b = LAKE__BUF_INIT;
    size_t seen = 0;
    bool extra = false;
    for (const char *p = sql; *p;) {
        const char *from = p;
        if (*p == '\'' || *p == '"' || *p == '`') p = skip_quoted(p);
        else if (p[0] == '-' && p[1] == '-') p += strcspn(p, "\n");
        else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end ? end + 2 : p + strlen(p);
        } else if (*p == '?') {
            if (seen == nparams) {
                extra = true;
                break;
            }
            snprintf(names[seen], 16, "p%zu", seen + 1);
            lake__buf_printf(&b, ":%s", names[seen++]);
            p++;
            continue;
        } else p++;
        lake__buf_put(&b, from, (size_t)(p - from));
    }
    if (b.failed || lake__buf_putc(&b, 0)) {
        lake__buf_dispose(&b);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    if (seen != nparams || extra) {
        lake__buf_dispose(&b);
        return lake__error(err, LAKE_EINVAL, "databricks: the SQL has %s%zu `?` markers for %zu parameters",
                           extra ? "more than " : "", seen, nparams);
    }
    *sql_out = lake__buf_detach(&b, NULL);
    return LAKE_OK;
}

/* Binds text parameters and runs the statement for a small inline answer. */
static int run_text(lake__dbx *d, const char *sql, const char *const *params, size_t n, const lake__dbx_param *named,
                    size_t nnamed, lake_arena *arena, lake__dbx_response *r, lake_error *err) {
    if (n > 4096) return lake__error(err, LAKE_EINVAL, "databricks: %zu parameters: at most 4096", n);
    char(*names)[16] = n ? lake__calloc(n, sizeof *names) : NULL;
    lake__dbx_param *bound = n + nnamed ? lake__calloc(n + nnamed, sizeof *bound) : NULL;
    char *text = NULL;
    int rc = (n && !names) || (n + nnamed && !bound) ? lake__error(err, LAKE_ENOMEM, "out of memory")
                                                     : lake__dbx_positional(sql, n, &text, names, err);
    for (size_t i = 0; !rc && i < n; i++) bound[i] = (lake__dbx_param){names[i], params[i], NULL};
    if (!rc && nnamed) memcpy(bound + n, named, nnamed * sizeof *named);
    if (!rc) rc = lake__dbx_run(d, text, bound, n + nnamed, LAKE__DBX_INLINE_JSON, arena, r, err);
    lake__free(text);
    lake__free(bound);
    lake__free(names);
    return rc;
}

int lake__dbx_sql(lake__dbx *d, const char *sql, const char *const *params, size_t n, const lake__dbx_param *named,
                  size_t nnamed, lake_error *err) {
    lake_arena *arena = NULL;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__dbx_response r;
    int rc = run_text(d, sql, params, n, named, nnamed, arena, &r, err);
    lake_arena_free(arena);
    return rc;
}

int lake__dbx_query_text(lake__dbx *d, const char *sql, const char *const *params, size_t n,
                         const lake__dbx_param *named, size_t nnamed, char *out, size_t cap, lake_error *err) {
    lake_arena *arena = NULL;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__dbx_response r;
    int rc = run_text(d, sql, params, n, named, nnamed, arena, &r, err);
    if (!rc && (!r.has_first_value || !r.first_value)) rc = LAKE_ENOROWS;
    else if (!rc) snprintf(out, cap, "%s", r.first_value);
    lake_arena_free(arena);
    return rc;
}
