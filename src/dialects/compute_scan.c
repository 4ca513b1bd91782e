/* SPDX-License-Identifier: MIT */
/* A format's table as one DuckDB SELECT. Each group of files with the same
 * partition values is one branch of a UNION ALL whose partition columns are
 * constants: a filter on a partition column folds to false in the branches
 * it excludes, so DuckDB reads none of their rows (it still reads every
 * file's footer when binding, to union the files' columns by name). Within
 * a branch, a typed empty row ahead of the files supplies columns that none
 * of them has (added to the table later). */
#include "dialects/compute_scan.h"

#include <stdio.h>
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

/* ---- instants
 * Delta's timestamps are instants; a file may hold them as instants
 * (TIMESTAMPTZ to DuckDB) or as Parquet's INT96, which DuckDB reads as a
 * plain TIMESTAMP of UTC. A cast from TIMESTAMP to TIMESTAMPTZ would read
 * it in the session's TimeZone; epoch_us takes a TIMESTAMP as UTC and a
 * TIMESTAMPTZ as the instant it is, so every timestamp, however deep in a
 * struct, list or map, goes through make_timestamptz(epoch_us(..)).
 *
 * Types here are the columns' own, as lake__scan_column spells them:
 * NAME, DECIMAL(p,s), STRUCT("name" T, ...), MAP(K, V), T[]. */

static const char INSTANT[] = "TIMESTAMPTZ";
enum { INSTANT_LEN = sizeof INSTANT - 1 };

/* The index of the quote that closes the quoted name opening at t[i]. */
static size_t closing_quote(const char *t, size_t n, size_t i) {
    for (i++; i < n; i++) {
        if (t[i] != '"') continue;
        if (i + 1 < n && t[i + 1] == '"') i++;
        else break;
    }
    return i;
}

/* The length of the type that starts at t: up to a ',' or ')' that is not
 * inside it, or to n. */
static size_t type_len(const char *t, size_t n) {
    size_t depth = 0, i = 0;
    for (; i < n; i++) {
        if (t[i] == '"') i = closing_quote(t, n, i);
        else if (t[i] == '(') depth++;
        else if ((t[i] == ')' && !depth--) || (t[i] == ',' && !depth)) break;
    }
    return i;
}

static bool is_instant_at(const char *t, size_t n, size_t i) {
    return n - i >= INSTANT_LEN && !memcmp(t + i, INSTANT, INSTANT_LEN);
}

/* Whether the type holds an instant anywhere (field names aside). */
static bool has_instant(const char *t, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '"') i = closing_quote(t, n, i);
        else if (is_instant_at(t, n, i)) return true;
    }
    return false;
}

/* The type with TIMESTAMP for each TIMESTAMPTZ: what the typed empty row
 * gives a column that holds instants. In the union with the files it
 * yields to a file's TIMESTAMPTZ and matches an INT96 TIMESTAMP, so no
 * file's value is cast, and its structs name every field the table's do,
 * so a field that no file of the group has reads as NULL. */
static void without_zones(lake__buf *b, const char *t, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '"') {
            size_t end = closing_quote(t, n, i);
            lake__buf_put(b, t + i, end - i + (end < n));
            i = end;
        } else if (is_instant_at(t, n, i)) {
            lake__buf_puts(b, "TIMESTAMP");
            i += INSTANT_LEN - 1;
        } else {
            lake__buf_putc(b, t[i]);
        }
    }
}

static void convert(lake__buf *b, const char *expr, const char *t, size_t n, unsigned depth);

/* A struct value rebuilt field by field: STRUCT("a" T, "b" U). */
static void convert_struct(lake__buf *b, const char *expr, const char *t, size_t n, unsigned depth) {
    lake__buf_printf(b, "CASE WHEN %s IS NULL THEN NULL ELSE struct_pack(", expr);
    lake__buf field = LAKE__BUF_INIT;
    for (size_t i = sizeof "STRUCT(" - 1; i < n && t[i] == '"';) {
        size_t name_end = closing_quote(t, n, i) + 1, type_at = name_end + 1;
        size_t len = type_len(t + type_at, n - type_at);
        field.len = 0;
        lake__buf_printf(&field, "%s.%.*s", expr, (int)(name_end - i), t + i);
        lake__buf_put(b, t + i, name_end - i);
        lake__buf_puts(b, " := ");
        convert(b, field.failed ? "" : field.data, t + type_at, len, depth);
        if (field.failed) b->failed = 1;
        i = type_at + len;
        if (i < n && t[i] == ',') {
            lake__buf_puts(b, ", ");
            i += 2;
        }
    }
    lake__buf_dispose(&field);
    lake__buf_puts(b, ") END");
}

static void convert(lake__buf *b, const char *expr, const char *t, size_t n, unsigned depth) {
    char x[24]; /* the lambda's parameter: one name per nesting level */
    snprintf(x, sizeof x, "lake_x%u", depth);
    char key[40], value[40];
    snprintf(key, sizeof key, "%s.\"key\"", x);
    snprintf(value, sizeof value, "%s.\"value\"", x);
    if (!has_instant(t, n)) {
        lake__buf_printf(b, "CAST(%s AS %.*s)", expr, (int)n, t);
    } else if (n == INSTANT_LEN) {
        lake__buf_printf(b, "make_timestamptz(epoch_us(%s))", expr);
    } else if (n > 2 && t[n - 2] == '[' && t[n - 1] == ']') {
        lake__buf_printf(b, "list_transform(%s, lambda %s: ", expr, x);
        convert(b, x, t, n - 2, depth + 1);
        lake__buf_putc(b, ')');
    } else if (!strncmp(t, "STRUCT(", 7)) {
        convert_struct(b, expr, t, n, depth);
    } else { /* MAP(K, V) */
        size_t k = sizeof "MAP(" - 1, klen = type_len(t + k, n - k), v = k + klen + 2, vlen = type_len(t + v, n - v);
        lake__buf_printf(b, "map_from_entries(list_transform(map_entries(%s), lambda %s: struct_pack(\"key\" := ", expr, x);
        convert(b, key, t + k, klen, depth + 1);
        lake__buf_puts(b, ", \"value\" := ");
        convert(b, value, t + v, vlen, depth + 1);
        lake__buf_puts(b, ")))");
    }
}

/* ---- the statement */

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

/* A column read from the files, as the table types it. */
static void read_column(lake__buf *b, const lake__scan_column *c) {
    lake__buf name = LAKE__BUF_INIT;
    lake__quote(&name, c->name, '"');
    convert(b, name.failed ? "" : name.data, c->type, strlen(c->type), 0);
    if (name.failed) b->failed = 1;
    lake__buf_dispose(&name);
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
         * literal has none of its own), except where instants need a type
         * of their own (without_zones). */
        lake__buf_puts(b, "(SELECT ");
        size_t k = 0;
        for (size_t i = 0; i < scan->column_count; i++) {
            const lake__scan_column *c = &scan->columns[i];
            if (c->partition) continue;
            if (k++) lake__buf_puts(b, ", ");
            size_t n = strlen(c->type);
            if (has_instant(c->type, n)) {
                lake__buf_puts(b, "CAST(NULL AS ");
                without_zones(b, c->type, n);
                lake__buf_putc(b, ')');
            } else {
                lake__buf_puts(b, "NULL");
            }
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

/* The branches of groups [lo, hi) as a balanced tree of UNION ALLs: DuckDB's
 * parser refuses nesting deeper than max_expression_depth (1000), which a
 * flat chain of as many branches as a table has partitions would pass. */
static int branches(lake__buf *b, const lake__scan *scan, size_t lo, size_t hi, lake_error *err) {
    if (hi - lo == 1) return branch(b, scan, &scan->groups[lo], err);
    size_t mid = lo + (hi - lo) / 2;
    lake__buf_puts(b, "SELECT * FROM (");
    int rc = branches(b, scan, lo, mid, err);
    lake__buf_puts(b, ")\nUNION ALL\nSELECT * FROM (");
    if (!rc) rc = branches(b, scan, mid, hi, err);
    lake__buf_putc(b, ')');
    return rc;
}

int lake__compute_scan(lake__buf *out, const lake__scan *scan, lake_error *err) {
    if (scan->group_count) {
        int rc = branches(out, scan, 0, scan->group_count, err);
        if (rc) return rc;
    } else {
        lake__buf_puts(out, "SELECT ");
        for (size_t i = 0; i < scan->column_count; i++) {
            if (i) lake__buf_puts(out, ", ");
            constant(out, &scan->columns[i], NULL, err);
        }
        lake__buf_puts(out, " WHERE false");
    }
    return out->failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}
