/* SPDX-License-Identifier: MIT */
/* The WHERE conjuncts a format's scan can prune by, read from DuckDB's own
 * parse of the statement (json_serialize_sql, built into libduckdb), so
 * that lakeorm never parses SQL itself. The parse names expressions by
 * class and type ("COMPARISON"/"COMPARE_EQUAL", "COLUMN_REF", "CONSTANT",
 * "PARAMETER", ...); anything this file does not know is left out. */
#include "drivers/duckdb/filter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json/tree.h"
#include "util/time.h"

/* Deeper than any statement a person writes; a deeper parse is no filter. */
enum { MAX_DEPTH = 200 };

typedef struct reading {
    const char *table, *alias;
    const lake_param *params;
    size_t nparams;
    lake_arena *arena;
    lake__filter_term *terms;
    size_t count, cap;
} reading;

/* The statement's parse as text, or NULL. */
static char *serialized(lake__duckdb *d, const char *sql, lake_arena *arena, size_t *len) {
    duckdb_prepared_statement stmt = NULL;
    duckdb_result res;
    char *out = NULL;
    if (duckdb_prepare(d->con, "SELECT json_serialize_sql($1::VARCHAR)", &stmt) == DuckDBError ||
        duckdb_bind_varchar(stmt, 1, sql) == DuckDBError) {
        duckdb_destroy_prepare(&stmt);
        return NULL;
    }
    if (duckdb_execute_prepared(stmt, &res) == DuckDBSuccess) {
        duckdb_data_chunk chunk = duckdb_fetch_chunk(res);
        if (chunk && duckdb_data_chunk_get_size(chunk) == 1) {
            duckdb_vector v = duckdb_data_chunk_get_vector(chunk, 0);
            uint64_t *valid = duckdb_vector_get_validity(v);
            duckdb_string_t *s = duckdb_vector_get_data(v);
            if (!valid || duckdb_validity_row_is_valid(valid, 0)) {
                *len = duckdb_string_t_length(s[0]);
                out = lake__arena_strndup(arena, duckdb_string_t_data(&s[0]), *len);
            }
        }
        if (chunk) duckdb_destroy_data_chunk(&chunk);
    }
    duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&stmt);
    return out;
}

static size_t count_base_tables(const lake__json_value *v) {
    size_t n = v->kind == LAKE__J_OBJECT && lake__json_is(lake__json_get(v, "type"), "BASE_TABLE");
    for (size_t i = 0; i < v->count; i++) n += count_base_tables(&v->items[i]);
    return n;
}

static bool is_false(const lake__json_value *v) { return v && v->kind == LAKE__J_FALSE; }
static bool is_class(const lake__json_value *e, const char *class) { return lake__json_is(lake__json_get(e, "class"), class); }
static bool is_type(const lake__json_value *e, const char *type) { return lake__json_is(lake__json_get(e, "type"), type); }

/* The table's column a reference names, or NULL: "c", or "<alias or table>.c". */
static const char *column_of(const reading *r, const lake__json_value *e) {
    const lake__json_value *names = lake__json_get(e, "column_names");
    if (!is_class(e, "COLUMN_REF") || !names || names->kind != LAKE__J_ARRAY) return NULL;
    for (size_t i = 0; i < names->count; i++)
        if (names->items[i].kind != LAKE__J_STRING) return NULL;
    if (names->count == 1) return names->items[0].text;
    const char *qualifier = *r->alias ? r->alias : r->table;
    if (names->count == 2 && !strcasecmp(names->items[0].text, qualifier)) return names->items[1].text;
    return NULL;
}

static bool int64_of(const lake__json_value *v, int64_t *out) {
    return v && v->kind == LAKE__J_NUMBER && lake__json_parse_int64(v->text, v->len, out);
}

/* A timestamp literal as people write it for DuckDB ("2024-01-01 10:00:00+00")
 * in RFC 3339's form, which lake__parse_timestamp reads: 'T' between date
 * and time, and an offset with its minutes. */
static bool timestamp_of(const char *s, size_t len, int64_t *us) {
    char text[64];
    if (len < 11 || len + 3 >= sizeof text) return false;
    memcpy(text, s, len);
    text[len] = 0;
    if (text[10] == ' ') text[10] = 'T';
    size_t sign = len;
    for (size_t i = 19; i < len; i++)
        if (text[i] == '+' || text[i] == '-') sign = i;
    if (sign + 3 == len) memcpy(text + len, ":00", 4), len += 3; /* +00 */
    else if (sign + 5 == len) { /* +0100 */
        memmove(text + sign + 4, text + sign + 3, 3);
        text[sign + 3] = ':';
        len++;
    }
    return !lake__parse_timestamp(text, len, us);
}

static bool value_of(const reading *r, const lake__json_value *e, lake_param *out);

static const char *const integer_types[] = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"};

static bool is_integer_type(const char *id) {
    for (size_t i = 0; i < sizeof integer_types / sizeof *integer_types; i++)
        if (!strcmp(id, integer_types[i])) return true;
    return false;
}

/* CAST(text AS type), text a literal or a parameter bound as text (true is
 * the parser's 't'::BOOLEAN, DATE '2024-01-01' a cast of text, and the CLI
 * binds every parameter as text): read here as the engine would read the
 * text, since a text value would otherwise mean "as the column's type reads
 * it". A value already of the type passes through. A plain TIMESTAMP would
 * need the session's time zone: left out, as every other type. */
static bool cast_value_of(const reading *r, const lake__json_value *e, lake_param *out) {
    const lake__json_value *type = lake__json_get(lake__json_get(e, "cast_type"), "id");
    lake_param v;
    if (!is_false(lake__json_get(e, "try_cast")) || !type || type->kind != LAKE__J_STRING ||
        !value_of(r, lake__json_get(e, "child"), &v))
        return false;
    const char *id = type->text;
    if (v.type != LAKE_PARAM_TEXT) {
        *out = v;
        return (v.type == LAKE_PARAM_INT64 && is_integer_type(id)) || (v.type == LAKE_PARAM_DATE && !strcmp(id, "DATE")) ||
               (v.type == LAKE_PARAM_TIMESTAMP && !strcmp(id, "TIMESTAMP WITH TIME ZONE")) ||
               (v.type == LAKE_PARAM_BOOL && !strcmp(id, "BOOLEAN"));
    }
    const char *text = v.v.text.ptr;
    size_t len = v.v.text.len;
    if (memchr(text, 0, len)) return false;
    if (!strcmp(id, "VARCHAR")) return *out = v, true;
    if (is_integer_type(id)) return *out = lake_param_int64(0), lake__json_parse_int64(text, len, &out->v.i64);
    if (!strcmp(id, "BOOLEAN")) {
        char word[6] = "";
        snprintf(word, sizeof word, "%.*s", (int)(len < 5 ? len : 5), text);
        bool yes = len <= 4 && (!strcasecmp(word, "t") || !strcasecmp(word, "true"));
        *out = lake_param_bool(yes);
        return yes || (len <= 5 && (!strcasecmp(word, "f") || !strcasecmp(word, "false")));
    }
    if (!strcmp(id, "DATE")) return *out = lake_param_date(0), !lake__parse_date(text, len, &out->v.date.days);
    if (!strcmp(id, "TIMESTAMP WITH TIME ZONE")) return *out = lake_param_timestamp(0), timestamp_of(text, len, &out->v.ts.us);
    return false;
}

/* A value the statement fixes: a literal, a cast of one, or a bound
 * parameter. Anything else (a NULL among them) is no value. */
static bool value_of(const reading *r, const lake__json_value *e, lake_param *out) {
    if (is_class(e, "PARAMETER")) {
        const lake__json_value *id = lake__json_get(e, "identifier");
        char *end;
        if (!id || id->kind != LAKE__J_STRING) return false;
        errno = 0;
        unsigned long n = strtoul(id->text, &end, 10);
        if (errno || *end || !n || n > r->nparams || r->params[n - 1].type == LAKE_PARAM_NULL) return false;
        *out = r->params[n - 1];
        return true;
    }
    if (is_class(e, "CAST")) return cast_value_of(r, e, out);
    if (!is_class(e, "CONSTANT")) return false;
    const lake__json_value *value = lake__json_get(e, "value"), *type = lake__json_get(value, "type");
    const lake__json_value *id = lake__json_get(type, "id"), *v = lake__json_get(value, "value");
    if (!id || id->kind != LAKE__J_STRING || !v || !is_false(lake__json_get(value, "is_null"))) return false;
    if (is_integer_type(id->text)) return *out = lake_param_int64(0), int64_of(v, &out->v.i64);
    if (!strcmp(id->text, "VARCHAR") && v->kind == LAKE__J_STRING) {
        *out = (lake_param){LAKE_PARAM_TEXT, {.text = {v->text, v->len}}};
        return true;
    }
    if (!strcmp(id->text, "BOOLEAN") && (v->kind == LAKE__J_TRUE || v->kind == LAKE__J_FALSE)) {
        *out = lake_param_bool(v->kind == LAKE__J_TRUE);
        return true;
    }
    if (!strcmp(id->text, "DECIMAL")) {
        const lake__json_value *info = lake__json_get(type, "type_info");
        int64_t width, scale, unscaled;
        if (!int64_of(lake__json_get(info, "width"), &width) || !int64_of(lake__json_get(info, "scale"), &scale) ||
            width < 1 || width > 38 || scale < 0 || scale > width || !int64_of(v, &unscaled))
            return false;
        *out = lake_param_decimal(unscaled, (uint8_t)width, (uint8_t)scale);
        return true;
    }
    return false; /* floating point, HUGEINT, BLOB, ...: left out */
}

static bool add(reading *r, const char *column, lake__filter_op op, const lake_param *values, size_t n) {
    if (r->count == r->cap) {
        size_t grown = r->cap ? 2 * r->cap : 8;
        lake__filter_term *t = lake__arena_alloc(r->arena, grown * sizeof *t, _Alignof(lake__filter_term));
        if (!t) return false;
        if (r->count) memcpy(t, r->terms, r->count * sizeof *t);
        r->terms = t, r->cap = grown;
    }
    lake_param *copy = n ? lake__arena_alloc(r->arena, n * sizeof *copy, _Alignof(lake_param)) : NULL;
    if (n && !copy) return false;
    if (n) memcpy(copy, values, n * sizeof *copy);
    r->terms[r->count++] = (lake__filter_term){column, op, copy, n};
    return true;
}

static const struct {
    const char *type;
    lake__filter_op op, flipped; /* column op value; value op column */
} comparisons[] = {
    {"COMPARE_EQUAL", LAKE__FILTER_EQ, LAKE__FILTER_EQ},
    {"COMPARE_LESSTHAN", LAKE__FILTER_LT, LAKE__FILTER_GT},
    {"COMPARE_LESSTHANOREQUALTO", LAKE__FILTER_LE, LAKE__FILTER_GE},
    {"COMPARE_GREATERTHAN", LAKE__FILTER_GT, LAKE__FILTER_LT},
    {"COMPARE_GREATERTHANOREQUALTO", LAKE__FILTER_GE, LAKE__FILTER_LE},
};

/* Adds the terms of one conjunct; false only when out of memory. */
static bool conjunct(reading *r, const lake__json_value *e) {
    const lake__json_value *children = lake__json_get(e, "children");
    size_t n = children && children->kind == LAKE__J_ARRAY ? children->count : 0;
    if (is_type(e, "CONJUNCTION_AND")) {
        for (size_t i = 0; i < n; i++)
            if (!conjunct(r, &children->items[i])) return false;
        return true;
    }
    if (is_class(e, "COMPARISON")) {
        const lake__json_value *left = lake__json_get(e, "left"), *right = lake__json_get(e, "right");
        for (size_t i = 0; i < sizeof comparisons / sizeof *comparisons; i++) {
            if (!is_type(e, comparisons[i].type)) continue;
            const char *column;
            lake_param v;
            if ((column = column_of(r, left)) && value_of(r, right, &v)) return add(r, column, comparisons[i].op, &v, 1);
            if ((column = column_of(r, right)) && value_of(r, left, &v)) return add(r, column, comparisons[i].flipped, &v, 1);
        }
        return true;
    }
    if (is_class(e, "BETWEEN")) {
        const char *column = column_of(r, lake__json_get(e, "input"));
        lake_param v;
        if (column && value_of(r, lake__json_get(e, "lower"), &v) && !add(r, column, LAKE__FILTER_GE, &v, 1)) return false;
        if (column && value_of(r, lake__json_get(e, "upper"), &v) && !add(r, column, LAKE__FILTER_LE, &v, 1)) return false;
        return true;
    }
    const char *column = n ? column_of(r, &children->items[0]) : NULL;
    if (!column) return true;
    if (n == 1 && is_type(e, "OPERATOR_IS_NULL")) return add(r, column, LAKE__FILTER_IS_NULL, NULL, 0);
    if (n == 1 && is_type(e, "OPERATOR_IS_NOT_NULL")) return add(r, column, LAKE__FILTER_NOT_NULL, NULL, 0);
    if (n >= 2 && is_type(e, "COMPARE_IN")) {
        lake_param *values = lake__arena_alloc(r->arena, (n - 1) * sizeof *values, _Alignof(lake_param));
        if (!values) return false;
        for (size_t i = 1; i < n; i++)
            if (!value_of(r, &children->items[i], &values[i - 1])) return true; /* one unknown value: no term */
        return add(r, column, LAKE__FILTER_IN, values, n - 1);
    }
    return true;
}

void lake__duckdb_filter_of(lake__duckdb *d, const char *sql, const lake_param *params, size_t nparams,
                            lake_arena *arena, lake__scan_filter *out) {
    *out = (lake__scan_filter){NULL, NULL, 0};
    size_t len = 0;
    char *text = serialized(d, sql, arena, &len);
    if (text) lake__duckdb_filter_read(text, len, params, nparams, arena, out);
}

void lake__duckdb_filter_read(const char *text, size_t len, const lake_param *params, size_t nparams,
                              lake_arena *arena, lake__scan_filter *out) {
    *out = (lake__scan_filter){NULL, NULL, 0};
    lake__json j;
    lake__json_value root;
    lake__json_init(&j, text, len);
    if (!lake__json_tree(&j, arena, MAX_DEPTH, &root) || !lake__json_at_end(&j)) return;
    const lake__json_value *statements = lake__json_get(&root, "statements");
    if (!is_false(lake__json_get(&root, "error")) || !statements || statements->kind != LAKE__J_ARRAY ||
        statements->count != 1 || count_base_tables(&root) != 1)
        return;
    const lake__json_value *node = lake__json_get(&statements->items[0], "node");
    const lake__json_value *from = lake__json_get(node, "from_table");
    const lake__json_value *ctes = lake__json_get(lake__json_get(node, "cte_map"), "map");
    const lake__json_value *table = lake__json_get(from, "table_name"), *alias = lake__json_get(from, "alias");
    const lake__json_value *where = lake__json_get(node, "where_clause");
    if (!is_type(node, "SELECT_NODE") || !is_type(from, "BASE_TABLE") || !ctes || ctes->kind != LAKE__J_ARRAY ||
        ctes->count || !lake__json_is(lake__json_get(from, "schema_name"), "") ||
        !lake__json_is(lake__json_get(from, "catalog_name"), "") || !table || table->kind != LAKE__J_STRING || !alias ||
        alias->kind != LAKE__J_STRING || (lake__json_get(from, "at_clause") && lake__json_get(from, "at_clause")->kind != LAKE__J_NULL) ||
        !where || where->kind != LAKE__J_OBJECT)
        return;
    reading r = {table->text, alias->text, params, nparams, arena, NULL, 0, 0};
    if (!conjunct(&r, where) || !r.count) return;
    *out = (lake__scan_filter){r.table, r.terms, r.count};
}
