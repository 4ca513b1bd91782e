/* SPDX-License-Identifier: MIT */
/* A format's table as one DuckDB SELECT. Each group of files with the same
 * partition values is one branch of a UNION ALL whose partition columns are
 * constants: a filter on a partition column folds to false in the branches
 * it excludes, so DuckDB reads none of their rows (it still reads every
 * file's footer when binding, to union the files' columns by name). Within
 * a branch, a typed empty row ahead of the files supplies columns that none
 * of them has (added to the table later). */
#include "dialects/compute_scan.h"

#include <string.h>

#include "dialects/quote.h"
#include "error/error.h"
#include "util/utf8.h"

int lake__sql_literal(lake__buf *out, const char *text, lake_error *err) {
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = lake__utf8_decode((const unsigned char *)text + i, n - i, &cp);
        if (!k) return lake__error(err, LAKE_ENOTSUP, "text that is not UTF-8 (at byte %zu) cannot be a SQL literal", i);
        if (cp < 0x20 || cp == 0x7F)
            return lake__error(err, LAKE_ENOTSUP, "text holding control character 0x%02X (at byte %zu) cannot be a SQL literal",
                               (unsigned)cp, i);
        i += k;
    }
    return lake__quote_n(out, text, n, '\'') ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

static bool is_instant(const lake__scan_column *c) { return !strcmp(c->type, "TIMESTAMPTZ"); }

static void as(lake__buf *b, const lake__scan_column *c) {
    lake__buf_puts(b, " AS ");
    lake__quote(b, c->name, '"');
}

/* A constant column: NULL, or a value's text, cast to the column's type. */
static int constant(lake__buf *b, const lake__scan_column *c, const char *value, lake_error *err) {
    lake__buf_puts(b, "CAST(");
    if (!value) {
        lake__buf_puts(b, "NULL");
    } else {
        int rc = lake__sql_literal(b, value, err);
        if (rc) return rc == LAKE_ENOMEM || !err ? rc : lake__error_forward(err, err, "partition column %s: ", c->name);
    }
    lake__buf_printf(b, " AS %s)", c->type);
    as(b, c);
    return LAKE_OK;
}

/* A column read from the files. epoch_us takes a TIMESTAMP as UTC and a
 * TIMESTAMPTZ as the instant it is, where a cast from TIMESTAMP would read
 * it in the session's TimeZone. */
static void read_column(lake__buf *b, const lake__scan_column *c) {
    if (is_instant(c)) {
        lake__buf_puts(b, "make_timestamptz(epoch_us(");
        lake__quote(b, c->name, '"');
        lake__buf_puts(b, "))");
    } else {
        lake__buf_puts(b, "CAST(");
        lake__quote(b, c->name, '"');
        lake__buf_printf(b, " AS %s)", c->type);
    }
    as(b, c);
}

static int branch(lake__buf *b, const lake__scan *scan, const lake__scan_group *g, lake_error *err) {
    lake__buf_puts(b, "SELECT ");
    size_t p = 0, data = 0;
    for (size_t i = 0; i < scan->column_count; i++) {
        const lake__scan_column *c = &scan->columns[i];
        if (i) lake__buf_puts(b, ", ");
        if (c->partition) {
            int rc = constant(b, c, g->values[p++], err);
            if (rc) return rc;
        } else {
            read_column(b, c);
            data++;
        }
    }
    lake__buf_puts(b, "\nFROM ");
    if (data) {
        /* The empty row's NULLs take the files' types in the union (a NULL
         * literal has none of its own), except that an instant column needs
         * a timestamp type for epoch_us even when no file has it. */
        lake__buf_puts(b, "(SELECT ");
        size_t k = 0;
        for (size_t i = 0; i < scan->column_count; i++) {
            const lake__scan_column *c = &scan->columns[i];
            if (c->partition) continue;
            if (k++) lake__buf_puts(b, ", ");
            lake__buf_puts(b, is_instant(c) ? "CAST(NULL AS TIMESTAMP)" : "NULL");
            as(b, c);
        }
        lake__buf_puts(b, " WHERE false\n  UNION ALL BY NAME SELECT * FROM ");
    }
    /* hive_partitioning off: partition values come from the log, never from
     * folder names DuckDB would otherwise parse and add. */
    lake__buf_puts(b, "read_parquet([");
    for (size_t i = 0; i < g->path_count; i++) {
        if (i) lake__buf_puts(b, ", ");
        int rc = lake__sql_literal(b, g->paths[i], err);
        if (rc) return rc == LAKE_ENOMEM || !err ? rc : lake__error_forward(err, err, "a data file's path: ");
    }
    lake__buf_puts(b, "], union_by_name = true, hive_partitioning = false)");
    if (data) lake__buf_putc(b, ')');
    return LAKE_OK;
}

int lake__compute_scan(lake__buf *out, const lake__scan *scan, lake_error *err) {
    if (!scan->group_count) {
        lake__buf_puts(out, "SELECT ");
        for (size_t i = 0; i < scan->column_count; i++) {
            if (i) lake__buf_puts(out, ", ");
            constant(out, &scan->columns[i], NULL, err);
        }
        lake__buf_puts(out, " WHERE false");
    }
    for (size_t i = 0; i < scan->group_count; i++) {
        if (i) lake__buf_puts(out, "\nUNION ALL\n");
        int rc = branch(out, scan, &scan->groups[i], err);
        if (rc) return rc;
    }
    return out->failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}
