/* SPDX-License-Identifier: MIT */
#include "drivers/duckdb/read.h"

#include <lakeorm/ids.h>
#include <string.h>
#include <strings.h>

#include "drivers/duckdb/errors.h"
#include "error/error.h"
#include "schema/result.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/decimal.h"

typedef struct binding {
    const lake__column *col;
    idx_t index;          /* result column, or struct child */
    duckdb_type type;
    uint8_t scale;        /* DECIMAL results */
    duckdb_type internal; /* DECIMAL results: their storage type */
    struct binding *children;
    size_t child_count;
} binding;

static void bindings_free(binding *b, size_t n) {
    for (size_t i = 0; b && i < n; i++) bindings_free(b[i].children, b[i].child_count);
    lake__free(b);
}

static bool converts(lake_type to, duckdb_type from) {
    switch (to) {
    case LAKE_BOOL: return from == DUCKDB_TYPE_BOOLEAN;
    case LAKE_INT8: case LAKE_INT16: case LAKE_INT32: case LAKE_INT64:
        return from == DUCKDB_TYPE_TINYINT || from == DUCKDB_TYPE_SMALLINT || from == DUCKDB_TYPE_INTEGER ||
               from == DUCKDB_TYPE_BIGINT || from == DUCKDB_TYPE_HUGEINT || from == DUCKDB_TYPE_UTINYINT ||
               from == DUCKDB_TYPE_USMALLINT || from == DUCKDB_TYPE_UINTEGER || from == DUCKDB_TYPE_UBIGINT;
    case LAKE_FLOAT32: case LAKE_FLOAT64: return from == DUCKDB_TYPE_FLOAT || from == DUCKDB_TYPE_DOUBLE;
    case LAKE_STRING: return from == DUCKDB_TYPE_VARCHAR || from == DUCKDB_TYPE_UUID;
    case LAKE_BYTES: return from == DUCKDB_TYPE_BLOB;
    case LAKE_TIMESTAMP:
        return from == DUCKDB_TYPE_TIMESTAMP_TZ || from == DUCKDB_TYPE_TIMESTAMP || from == DUCKDB_TYPE_TIMESTAMP_S ||
               from == DUCKDB_TYPE_TIMESTAMP_MS || from == DUCKDB_TYPE_TIMESTAMP_NS;
    case LAKE_DATE: return from == DUCKDB_TYPE_DATE;
    case LAKE_DECIMAL:
        return from == DUCKDB_TYPE_DECIMAL || from == DUCKDB_TYPE_TINYINT || from == DUCKDB_TYPE_SMALLINT ||
               from == DUCKDB_TYPE_INTEGER || from == DUCKDB_TYPE_BIGINT || from == DUCKDB_TYPE_HUGEINT ||
               from == DUCKDB_TYPE_UBIGINT;
    case LAKE_UUID: return from == DUCKDB_TYPE_UUID || from == DUCKDB_TYPE_VARCHAR;
    case LAKE_SORTABLE_ID: return from == DUCKDB_TYPE_VARCHAR;
    case LAKE_STRUCT: return from == DUCKDB_TYPE_STRUCT;
    }
    return false;
}

/* Binds schema columns to the given result columns (names and types). */
static int bind(const lake_schema *s, duckdb_logical_type *types, char **names, size_t n, binding **out,
                const char *where, lake_error *err) {
    binding *b = lake__calloc(s->column_count ? s->column_count : 1, sizeof *b);
    if (!b) return lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->column_count; i++) {
        const lake__column *c = &s->columns[i];
        size_t k = s->positional && i < n ? i : n;
        for (size_t j = 0; j < n && k == n && !s->positional; j++)
            if (strcmp(names[j], c->pub.name) == 0) k = j;
        for (size_t j = 0; j < n && k == n && !s->positional; j++)
            if (strcasecmp(names[j], c->pub.name) == 0) k = j;
        if (k == n) {
            bindings_free(b, s->column_count);
            return lake__error(err, LAKE_EMISMATCH, "the result has no column \"%s\"%s%s (model %s)", c->pub.name,
                               *where ? " in " : "", where, s->table);
        }
        duckdb_type t = duckdb_get_type_id(types[k]);
        if (!converts(c->pub.type, t)) {
            bindings_free(b, s->column_count);
            return lake__error(err, LAKE_EMISMATCH, "result column \"%s\" (DuckDB type %d) cannot be read into a %s field",
                               names[k], (int)t, lake_type_name(c->pub.type));
        }
        b[i] = (binding){c, k, t, 0, 0, NULL, 0};
        if (t == DUCKDB_TYPE_DECIMAL) {
            b[i].scale = duckdb_decimal_scale(types[k]);
            b[i].internal = duckdb_decimal_internal_type(types[k]);
        }
        if (t == DUCKDB_TYPE_STRUCT) {
            idx_t m = duckdb_struct_type_child_count(types[k]);
            duckdb_logical_type *ct = lake__calloc(m ? m : 1, sizeof *ct);
            char **cn = lake__calloc(m ? m : 1, sizeof *cn);
            int rc = ct && cn ? LAKE_OK : lake__error(err, LAKE_ENOMEM, "out of memory");
            for (idx_t j = 0; !rc && j < m; j++) {
                ct[j] = duckdb_struct_type_child_type(types[k], j);
                cn[j] = duckdb_struct_type_child_name(types[k], j);
            }
            if (!rc) rc = bind(c->pub.child, ct, cn, m, &b[i].children, c->pub.name, err);
            b[i].child_count = c->pub.child->column_count;
            for (idx_t j = 0; ct && cn && j < m; j++) {
                duckdb_destroy_logical_type(&ct[j]);
                duckdb_free(cn[j]);
            }
            lake__free(ct);
            lake__free(cn);
            if (rc) {
                bindings_free(b, s->column_count);
                return rc;
            }
        }
    }
    *out = b;
    return LAKE_OK;
}

static void set_valid(const lake__column *c, unsigned char *rec) {
    if (c->optional) *(bool *)(rec + c->valid_offset) = true;
}

static int too_big(const lake__column *c, lake_error *err) {
    return lake__error(err, LAKE_EMISMATCH, "a value of column \"%s\" does not fit its %s field", c->pub.name,
                       lake_type_name(c->pub.type));
}

/* An integer result value as int128, whatever its DuckDB width. */
static lake__i128 integer(duckdb_type t, const void *data, idx_t row) {
    switch (t) {
    case DUCKDB_TYPE_TINYINT: return ((const int8_t *)data)[row];
    case DUCKDB_TYPE_SMALLINT: return ((const int16_t *)data)[row];
    case DUCKDB_TYPE_INTEGER: return ((const int32_t *)data)[row];
    case DUCKDB_TYPE_BIGINT: return ((const int64_t *)data)[row];
    case DUCKDB_TYPE_UTINYINT: return ((const uint8_t *)data)[row];
    case DUCKDB_TYPE_USMALLINT: return ((const uint16_t *)data)[row];
    case DUCKDB_TYPE_UINTEGER: return ((const uint32_t *)data)[row];
    case DUCKDB_TYPE_UBIGINT: return ((const uint64_t *)data)[row];
    default: {
        duckdb_hugeint h = ((const duckdb_hugeint *)data)[row];
        return lake__dec_get((lake_dec128){h.lower, h.upper});
    }
    }
}

static int decode(const binding *b, duckdb_vector v, idx_t row, unsigned char *rec, lake_arena *arena, lake_error *err) {
    const lake__column *c = b->col;
    unsigned char *p = rec + c->pub.offset;
    uint64_t *validity = duckdb_vector_get_validity(v);
    if (validity && !duckdb_validity_row_is_valid(validity, row)) {
        if (c->pub.nullable) return LAKE_OK; /* the record was zeroed: NULL */
        return lake__error(err, LAKE_EMISMATCH, "NULL in result column \"%s\", but its field is not nullable", c->pub.name);
    }
    const void *data = duckdb_vector_get_data(v);
    switch (c->pub.type) {
    case LAKE_BOOL: *(bool *)p = ((const bool *)data)[row]; break;
    case LAKE_INT8: case LAKE_INT16: case LAKE_INT32: case LAKE_INT64: {
        lake__i128 x = integer(b->type, data, row);
        static const int64_t lo[] = {INT8_MIN, INT16_MIN, INT32_MIN, INT64_MIN}, hi[] = {INT8_MAX, INT16_MAX, INT32_MAX, INT64_MAX};
        int w = c->pub.type - LAKE_INT8;
        if (x < lo[w] || x > hi[w]) return too_big(c, err);
        if (w == 0) *(int8_t *)p = (int8_t)x;
        else if (w == 1) *(int16_t *)p = (int16_t)x;
        else if (w == 2) *(int32_t *)p = (int32_t)x;
        else *(int64_t *)p = (int64_t)x;
        break;
    }
    case LAKE_FLOAT32: case LAKE_FLOAT64: {
        double x = b->type == DUCKDB_TYPE_FLOAT ? ((const float *)data)[row] : ((const double *)data)[row];
        if (c->pub.type == LAKE_FLOAT32) *(float *)p = (float)x;
        else *(double *)p = x;
        break;
    }
    case LAKE_STRING: case LAKE_BYTES: case LAKE_SORTABLE_ID: case LAKE_UUID: {
        if (b->type == DUCKDB_TYPE_UUID) {
            /* DuckDB keeps UUIDs as 128-bit integers with the top bit flipped, for ordering. */
            duckdb_hugeint h = ((const duckdb_hugeint *)data)[row];
            uint64_t hi = (uint64_t)h.upper ^ (UINT64_C(1) << 63), lo = h.lower;
            lake_uuid u;
            for (int i = 0; i < 8; i++) u.b[i] = (uint8_t)(hi >> (56 - 8 * i)), u.b[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
            if (c->pub.type == LAKE_UUID) {
                *(lake_uuid *)p = u;
                break;
            }
            char *text = lake__arena_alloc(arena, LAKE_UUID_TEXT_LEN + 1, 1);
            if (!text) return lake__error(err, LAKE_ENOMEM, "out of memory");
            lake_uuid_format(&u, text);
            ((lake_str *)p)->ptr = text;
            ((lake_str *)p)->len = LAKE_UUID_TEXT_LEN;
            break;
        }
        duckdb_string_t *str = &((duckdb_string_t *)data)[row];
        const char *s = duckdb_string_t_data(str);
        uint32_t n = duckdb_string_t_length(*str);
        if (c->pub.type == LAKE_UUID) {
            if (lake_uuid_parse((lake_uuid *)p, s, n)) return lake__error(err, LAKE_EMISMATCH, "column \"%s\" holds a string that is not a UUID", c->pub.name);
            break;
        }
        if (c->pub.type == LAKE_SORTABLE_ID) {
            if (lake_ksuid_parse((lake_ksuid *)p, s, n)) return lake__error(err, LAKE_EMISMATCH, "column \"%s\" holds a string that is not a KSUID", c->pub.name);
            break;
        }
        char *copy = lake__arena_strndup(arena, s, n);
        if (!copy) return lake__error(err, LAKE_ENOMEM, "out of memory");
        ((lake_str *)p)->ptr = copy;
        ((lake_str *)p)->len = n;
        break;
    }
    case LAKE_TIMESTAMP: {
        int64_t x = ((const int64_t *)data)[row];
        if (b->type == DUCKDB_TYPE_TIMESTAMP_S) x *= 1000000;
        else if (b->type == DUCKDB_TYPE_TIMESTAMP_MS) x *= 1000;
        else if (b->type == DUCKDB_TYPE_TIMESTAMP_NS) x /= 1000;
        ((lake_ts *)p)->us = x;
        break;
    }
    case LAKE_DATE: ((lake_date *)p)->days = ((const int32_t *)data)[row]; break;
    case LAKE_DECIMAL: {
        lake__i128 x = integer(b->type == DUCKDB_TYPE_DECIMAL ? b->internal : b->type, data, row);
        lake__dec_fit fit = lake__dec_rescale(&x, b->type == DUCKDB_TYPE_DECIMAL ? b->scale : 0, c->pub.scale, c->pub.precision);
        if (fit == LAKE__DEC_LOSES_DIGITS)
            return lake__error(err, LAKE_EMISMATCH, "column \"%s\" has more decimal places than its field", c->pub.name);
        if (fit) return too_big(c, err);
        *(lake_dec128 *)p = lake__dec_make(x);
        break;
    }
    case LAKE_STRUCT:
        for (size_t i = 0; i < b->child_count; i++) {
            int rc = decode(&b->children[i], duckdb_struct_vector_get_child(v, b->children[i].index), row, p, arena, err);
            if (rc) return rc;
        }
        return LAKE_OK;
    }
    set_valid(c, rec);
    return LAKE_OK;
}

/* The lakeorm type a result column of any query reads as: unsigned integers
 * widen (UBIGINT and HUGEINT to decimals), every timestamp is microseconds. */
static int describe(duckdb_logical_type *types, char **names, size_t n, lake_arena *tmp, lake__result_column **out,
                    lake_error *err) {
    lake__result_column *cols = lake__arena_alloc(tmp, (n ? n : 1) * sizeof *cols, _Alignof(lake__result_column));
    if (!cols) return lake__error(err, LAKE_ENOMEM, "out of memory");
    memset(cols, 0, (n ? n : 1) * sizeof *cols);
    for (size_t i = 0; i < n; i++) {
        lake__result_column *c = &cols[i];
        c->name = names[i];
        duckdb_type t = duckdb_get_type_id(types[i]);
        switch (t) {
        case DUCKDB_TYPE_BOOLEAN: c->type = LAKE_BOOL; break;
        case DUCKDB_TYPE_TINYINT: c->type = LAKE_INT8; break;
        case DUCKDB_TYPE_SMALLINT: case DUCKDB_TYPE_UTINYINT: c->type = LAKE_INT16; break;
        case DUCKDB_TYPE_INTEGER: case DUCKDB_TYPE_USMALLINT: c->type = LAKE_INT32; break;
        case DUCKDB_TYPE_BIGINT: case DUCKDB_TYPE_UINTEGER: c->type = LAKE_INT64; break;
        case DUCKDB_TYPE_UBIGINT: c->type = LAKE_DECIMAL, c->precision = 20; break;
        case DUCKDB_TYPE_HUGEINT: c->type = LAKE_DECIMAL, c->precision = 38; break;
        case DUCKDB_TYPE_FLOAT: c->type = LAKE_FLOAT32; break;
        case DUCKDB_TYPE_DOUBLE: c->type = LAKE_FLOAT64; break;
        case DUCKDB_TYPE_VARCHAR: c->type = LAKE_STRING; break;
        case DUCKDB_TYPE_BLOB: c->type = LAKE_BYTES; break;
        case DUCKDB_TYPE_UUID: c->type = LAKE_UUID; break;
        case DUCKDB_TYPE_DATE: c->type = LAKE_DATE; break;
        case DUCKDB_TYPE_TIMESTAMP: case DUCKDB_TYPE_TIMESTAMP_TZ: case DUCKDB_TYPE_TIMESTAMP_S:
        case DUCKDB_TYPE_TIMESTAMP_MS: case DUCKDB_TYPE_TIMESTAMP_NS: c->type = LAKE_TIMESTAMP; break;
        case DUCKDB_TYPE_DECIMAL:
            c->type = LAKE_DECIMAL;
            c->precision = duckdb_decimal_width(types[i]);
            c->scale = duckdb_decimal_scale(types[i]);
            break;
        case DUCKDB_TYPE_STRUCT: {
            idx_t m = duckdb_struct_type_child_count(types[i]);
            duckdb_logical_type *ct = lake__arena_alloc(tmp, (m ? m : 1) * sizeof *ct, _Alignof(duckdb_logical_type));
            char **cn = lake__arena_alloc(tmp, (m ? m : 1) * sizeof *cn, _Alignof(char *));
            if (!ct || !cn) return lake__error(err, LAKE_ENOMEM, "out of memory");
            int rc = LAKE_OK;
            for (idx_t j = 0; j < m; j++) {
                ct[j] = duckdb_struct_type_child_type(types[i], j);
                char *name = duckdb_struct_type_child_name(types[i], j);
                cn[j] = lake__arena_strndup(tmp, name, strlen(name));
                duckdb_free(name);
                if (!cn[j]) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
            }
            lake__result_column *children = NULL;
            if (!rc) rc = describe(ct, cn, m, tmp, &children, err);
            for (idx_t j = 0; j < m; j++) duckdb_destroy_logical_type(&ct[j]);
            if (rc) return rc;
            c->type = LAKE_STRUCT;
            c->children = children;
            c->child_count = m;
            break;
        }
        default:
            return lake__error(err, LAKE_ENOTSUP, "result column \"%s\" has a DuckDB type lakeorm does not read (type id "
                               "%d: lists, maps, intervals, times...): cast it in the SQL, e.g. CAST(x AS VARCHAR)",
                               names[i], (int)t);
        }
    }
    *out = cols;
    return LAKE_OK;
}

struct lake__duckdb_cursor {
    const lake_schema *schema;
    lake_schema *shape; /* the result's own, when the caller gave none */
    duckdb_prepared_statement stmt;
    duckdb_result res;
    bool have_result;
    binding *bindings;
    unsigned char *record;
    duckdb_data_chunk chunk;
    idx_t row, rows;
    lake_arena *arena;
    bool reset_arena;
};

void lake__duckdb_cursor_close(lake__duckdb_cursor *cur) {
    if (!cur) return;
    if (cur->chunk) duckdb_destroy_data_chunk(&cur->chunk);
    if (cur->schema) bindings_free(cur->bindings, cur->schema->column_count);
    lake_schema_free(cur->shape);
    lake__free(cur->record);
    if (cur->have_result) duckdb_destroy_result(&cur->res);
    duckdb_destroy_prepare(&cur->stmt);
    lake__free(cur);
}

static int bind_result(lake__duckdb_cursor *cur, lake_error *err) {
    idx_t n = duckdb_column_count(&cur->res);
    duckdb_logical_type *types = lake__calloc(n ? n : 1, sizeof *types);
    char **names = lake__calloc(n ? n : 1, sizeof *names);
    int rc = !types || !names ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
    for (idx_t i = 0; !rc && i < n; i++) {
        types[i] = duckdb_column_logical_type(&cur->res, i);
        names[i] = (char *)duckdb_column_name(&cur->res, i);
    }
    lake_arena *tmp = NULL;
    if (!rc && !cur->schema) {
        lake__result_column *cols = NULL;
        rc = lake_arena_new(&tmp) ? lake__error(err, LAKE_ENOMEM, "out of memory") : describe(types, names, n, tmp, &cols, err);
        if (!rc) rc = lake__schema_of_result(&cur->shape, cols, n, err);
        cur->schema = cur->shape;
    }
    lake_arena_free(tmp);
    if (!rc) rc = bind(cur->schema, types, names, n, &cur->bindings, "", err);
    for (idx_t i = 0; types && i < n; i++) duckdb_destroy_logical_type(&types[i]);
    lake__free(types);
    lake__free(names);
    return rc;
}

int lake__duckdb_cursor_open(lake__duckdb *d, const lake_schema *s, const char *sql, const lake_param *params,
                             size_t nparams, lake_arena *arena, bool reset_arena, lake__duckdb_cursor **out,
                             lake_error *err) {
    *out = NULL;
    lake__duckdb_cursor *cur = lake__calloc(1, sizeof *cur);
    if (!cur) return lake__error(err, LAKE_ENOMEM, "out of memory");
    cur->schema = s;
    cur->arena = arena;
    cur->reset_arena = reset_arena;
    int rc = LAKE_OK;
    if ((rc = lake__duckdb_prepare(d, sql, &cur->stmt, err))) goto fail;
    if ((rc = lake__duckdb_bind(cur->stmt, params, nparams, err))) goto fail;
    /* A streaming result: the engine produces chunks as they are fetched, so memory stays flat. */
    duckdb_pending_result pending;
    if (duckdb_pending_prepared_streaming(cur->stmt, &pending) == DuckDBError) {
        rc = lake__duckdb_fail_text(err, duckdb_pending_error(pending), "duckdb: ");
        duckdb_destroy_pending(&pending);
        goto fail;
    }
    duckdb_state st = duckdb_execute_pending(pending, &cur->res);
    duckdb_destroy_pending(&pending);
    cur->have_result = true;
    if (st == DuckDBError) {
        rc = lake__duckdb_fail_result(err, &cur->res, "duckdb: ");
        goto fail;
    }
    if ((rc = bind_result(cur, err))) goto fail;
    if (!(cur->record = lake__malloc(cur->schema->record_size ? cur->schema->record_size : 1))) {
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        goto fail;
    }
    *out = cur;
    return LAKE_OK;
fail:
    lake__duckdb_cursor_close(cur);
    return rc;
}

const lake_schema *lake__duckdb_cursor_schema(const lake__duckdb_cursor *cur) { return cur->schema; }

int lake__duckdb_cursor_next(lake__duckdb_cursor *cur, const void **record, lake_error *err) {
    *record = NULL;
    while (cur->row == cur->rows) {
        if (cur->chunk) duckdb_destroy_data_chunk(&cur->chunk);
        if (cur->reset_arena) lake_arena_reset(cur->arena);
        cur->chunk = duckdb_fetch_chunk(cur->res);
        if (!cur->chunk) {
            return duckdb_result_error(&cur->res) ? lake__duckdb_fail_result(err, &cur->res, "duckdb: ") : LAKE_OK;
        }
        cur->row = 0;
        cur->rows = duckdb_data_chunk_get_size(cur->chunk);
    }
    const lake_schema *s = cur->schema;
    memset(cur->record, 0, s->record_size);
    for (size_t i = 0; i < s->column_count; i++) {
        int rc = decode(&cur->bindings[i], duckdb_data_chunk_get_vector(cur->chunk, cur->bindings[i].index), cur->row,
                        cur->record, cur->arena, err);
        if (rc) return rc;
    }
    cur->row++;
    *record = cur->record;
    return LAKE_OK;
}

int lake__duckdb_read(lake__duckdb *d, const lake_schema *s, const char *sql, const lake_param *params,
                      size_t nparams, lake_arena *arena, lake__row_fn fn, void *ctx, lake_error *err) {
    lake__duckdb_cursor *cur;
    int rc = lake__duckdb_cursor_open(d, s, sql, params, nparams, arena, true, &cur, err);
    const void *rec = NULL;
    while (!rc && !(rc = lake__duckdb_cursor_next(cur, &rec, err)) && rec) rc = fn(ctx, rec);
    lake__duckdb_cursor_close(cur);
    return rc;
}
