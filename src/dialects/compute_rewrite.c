/* SPDX-License-Identifier: MIT */
/* Key matching for copy-on-write rewrites, in DuckDB's SQL. */
#include "dialects/compute_rewrite.h"
#include "dialects/dialect.h"

static void ident(lake__buf *out, const char *name) { lake__dialect_duckdb.ident(out, name); }

/* a.k1 = b.k1 AND a.k2 = b.k2 */
static void keys_equal(lake__buf *out, const char *a, const char *b, const char *const *keys, size_t n) {
    for (size_t i = 0; i < n; i++) {
        lake__buf_printf(out, "%s%s.", i ? " AND " : "", a);
        ident(out, keys[i]);
        lake__buf_printf(out, " = %s.", b);
        ident(out, keys[i]);
    }
}

static void key_list(lake__buf *out, const char *alias, const char *const *keys, size_t n, const char *sep) {
    for (size_t i = 0; i < n; i++) {
        lake__buf_puts(out, i ? sep : "");
        if (alias) lake__buf_printf(out, "%s.", alias);
        ident(out, keys[i]);
    }
}

int lake__rewrite_duplicate_key(lake__buf *out, const char *source, const char *const *keys, size_t n) {
    lake__buf_puts(out, "SELECT concat_ws(', '");
    for (size_t i = 0; i < n; i++) {
        lake__buf_puts(out, ", CAST(");
        ident(out, keys[i]);
        lake__buf_puts(out, " AS VARCHAR)");
    }
    lake__buf_printf(out, ") FROM (%s) AS s GROUP BY ", source);
    key_list(out, NULL, keys, n, ", ");
    lake__buf_puts(out, " HAVING count(*) > 1 LIMIT 1");
    return out->failed;
}

int lake__rewrite_count_matched(lake__buf *out, const char *source, const char *table, const char *const *keys,
                                size_t n) {
    lake__buf_printf(out, "SELECT CAST(count(*) AS VARCHAR) FROM (%s) AS s WHERE EXISTS (SELECT 1 FROM (%s) AS t WHERE ",
                     source, table);
    keys_equal(out, "t", "s", keys, n);
    lake__buf_putc(out, ')');
    return out->failed;
}

int lake__rewrite_anti_join(lake__buf *out, const char *keep, const char *drop, const char *const *keys, size_t n) {
    lake__buf_printf(out, "SELECT k.* FROM (%s) AS k WHERE NOT EXISTS (SELECT 1 FROM (%s) AS d WHERE ", keep, drop);
    keys_equal(out, "d", "k", keys, n);
    lake__buf_putc(out, ')');
    return out->failed;
}

int lake__rewrite_files_matched(lake__buf *out, const char *const *relations, size_t count, const char *source,
                                const char *const *keys, size_t n) {
    lake__buf_puts(out, "SELECT DISTINCT CAST(f AS VARCHAR) AS \"text\" FROM (");
    for (size_t i = 0; i < count; i++) {
        lake__buf_printf(out, "%sSELECT %zu AS f, ", i ? " UNION ALL " : "", i);
        key_list(out, NULL, keys, n, ", ");
        lake__buf_printf(out, " FROM (%s)", relations[i]);
    }
    lake__buf_printf(out, ") AS t WHERE EXISTS (SELECT 1 FROM (%s) AS s WHERE ", source);
    keys_equal(out, "s", "t", keys, n);
    lake__buf_putc(out, ')');
    return out->failed;
}
