/* SPDX-License-Identifier: MIT */
#include "drivers/duckdb/read.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "drivers/duckdb/errors.h"
#include "drivers/duckdb/resolve.h"
#include "error/error.h"
#include "schema/result.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/decimal.h"
#include "values/values.h"

typedef struct binding {
    const lake__column *col;
    idx_t index;          /* result column, or struct child */
    duckdb_type type;
    lake__source src;     /* what the result column holds, for the value table */
    duckdb_type internal; /* DECIMAL results: their storage type */
    /* A struct's members (by the schema's order), a list's element, a map's
     * key and value (the children of DuckDB's STRUCT(key, value) entries). */
    struct binding *children;
    size_t child_count;
} binding;

static void bindings_free(binding *b, size_t n) {
    for (size_t i = 0; b && i < n; i++) bindings_free(b[i].children, b[i].child_count);
    lake__free(b);
}

/* A DuckDB column type in the value table's terms (values/values.h); kind
 * NONE for the types lakeorm does not read. */
static lake__source source_of(duckdb_logical_type t, duckdb_type *internal) {
    duckdb_type id = duckdb_get_type_id(t);
    switch (id) {
    case DUCKDB_TYPE_BOOLEAN: return (lake__source){.kind = LAKE__V_BOOL};
    case DUCKDB_TYPE_TINYINT: return (lake__source){.kind = LAKE__V_INT, .bits = 8, .is_signed = true};
    case DUCKDB_TYPE_SMALLINT: return (lake__source){.kind = LAKE__V_INT, .bits = 16, .is_signed = true};
    case DUCKDB_TYPE_INTEGER: return (lake__source){.kind = LAKE__V_INT, .bits = 32, .is_signed = true};
    case DUCKDB_TYPE_BIGINT: return (lake__source){.kind = LAKE__V_INT, .bits = 64, .is_signed = true};
    case DUCKDB_TYPE_HUGEINT: return (lake__source){.kind = LAKE__V_INT, .bits = 128, .is_signed = true};
    case DUCKDB_TYPE_UTINYINT: return (lake__source){.kind = LAKE__V_INT, .bits = 8};
    case DUCKDB_TYPE_USMALLINT: return (lake__source){.kind = LAKE__V_INT, .bits = 16};
    case DUCKDB_TYPE_UINTEGER: return (lake__source){.kind = LAKE__V_INT, .bits = 32};
    case DUCKDB_TYPE_UBIGINT: return (lake__source){.kind = LAKE__V_INT, .bits = 64};
    case DUCKDB_TYPE_FLOAT: return (lake__source){.kind = LAKE__V_FLOAT, .bits = 32};
    case DUCKDB_TYPE_DOUBLE: return (lake__source){.kind = LAKE__V_FLOAT, .bits = 64};
    case DUCKDB_TYPE_VARCHAR: return (lake__source){.kind = LAKE__V_TEXT}; /* JSON too: VARCHAR under an alias */
    case DUCKDB_TYPE_BLOB: return (lake__source){.kind = LAKE__V_BINARY};
    case DUCKDB_TYPE_UUID: return (lake__source){.kind = LAKE__V_UUID};
    case DUCKDB_TYPE_DATE: return (lake__source){.kind = LAKE__V_DATE, .unit = LAKE__UNIT_DAY};
    case DUCKDB_TYPE_TIMESTAMP: case DUCKDB_TYPE_TIMESTAMP_TZ:
        return (lake__source){.kind = LAKE__V_TIMESTAMP, .unit = LAKE__UNIT_US};
    case DUCKDB_TYPE_TIMESTAMP_S: return (lake__source){.kind = LAKE__V_TIMESTAMP, .unit = LAKE__UNIT_S};
    case DUCKDB_TYPE_TIMESTAMP_MS: return (lake__source){.kind = LAKE__V_TIMESTAMP, .unit = LAKE__UNIT_MS};
    case DUCKDB_TYPE_TIMESTAMP_NS: return (lake__source){.kind = LAKE__V_TIMESTAMP, .unit = LAKE__UNIT_NS};
    case DUCKDB_TYPE_DECIMAL:
        if (internal) *internal = duckdb_decimal_internal_type(t);
        return (lake__source){.kind = LAKE__V_DECIMAL, .precision = duckdb_decimal_width(t),
                              .scale = (int8_t)duckdb_decimal_scale(t)};
    case DUCKDB_TYPE_STRUCT: return (lake__source){.kind = LAKE__V_STRUCT};
    case DUCKDB_TYPE_LIST: return (lake__source){.kind = LAKE__V_LIST};
    case DUCKDB_TYPE_MAP: return (lake__source){.kind = LAKE__V_MAP};
    default: return (lake__source){.kind = LAKE__V_NONE};
    }
}

static int bind(const lake_schema *s, duckdb_logical_type *types, char **names, size_t n, binding **out,
                const lake__place *up, lake_error *err);

/* Binds one schema column to a result column (or a struct member, a list's
 * element, a map's key or value) of type t: its conversion, and its parts'. */
static int bind_column(binding *b, const lake__column *c, duckdb_logical_type t, idx_t index, const lake__place *at,
                       lake_error *err) {
    duckdb_type internal = DUCKDB_TYPE_INVALID;
    lake__source src = source_of(t, &internal);
    *b = (binding){c, index, duckdb_get_type_id(t), src, internal, NULL, 0};
    lake__named nm;
    if (!lake__value_converts(c->pub.type, &src)) {
        char engine[32];
        snprintf(engine, sizeof engine, "DuckDB type %d", (int)b->type);
        lake__place_name(&nm, c, at);
        return lake__value_type_error(err, nm.name, &src, engine, &c->pub);
    }
    const lake_schema *child = c->pub.child;
    switch (src.kind) {
    case LAKE__V_STRUCT: {
        idx_t m = duckdb_struct_type_child_count(t);
        duckdb_logical_type *ct = lake__calloc(m ? m : 1, sizeof *ct);
        char **cn = lake__calloc(m ? m : 1, sizeof *cn);
        int rc = ct && cn ? LAKE_OK : lake__error(err, LAKE_ENOMEM, "out of memory");
        for (idx_t j = 0; !rc && j < m; j++) {
            ct[j] = duckdb_struct_type_child_type(t, j);
            cn[j] = duckdb_struct_type_child_name(t, j);
        }
        if (!rc) rc = bind(child, ct, cn, m, &b->children, at, err);
        if (!rc) b->child_count = child->column_count;
        for (idx_t j = 0; ct && cn && j < m; j++) {
            duckdb_destroy_logical_type(&ct[j]);
            duckdb_free(cn[j]);
        }
        lake__free(ct);
        lake__free(cn);
        return rc;
    }
    case LAKE__V_LIST: case LAKE__V_MAP: {
        bool is_map = src.kind == LAKE__V_MAP;
        duckdb_logical_type parts[2] = {NULL, NULL};
        if (is_map) {
            parts[0] = duckdb_map_type_key_type(t);
            parts[1] = duckdb_map_type_value_type(t);
        } else {
            parts[0] = duckdb_list_type_child_type(t);
        }
        int rc = LAKE_OK;
        if (is_map && duckdb_get_type_id(parts[0]) != DUCKDB_TYPE_VARCHAR) {
            lake__source key = source_of(parts[0], NULL);
            char engine[32];
            snprintf(engine, sizeof engine, "DuckDB type %d", (int)duckdb_get_type_id(parts[0]));
            rc = lake__value_map_key_error(err, lake__place_name(&nm, c, at), &key, engine);
        }
        size_t n = is_map ? 2 : 1;
        if (!rc && !(b->children = lake__calloc(n, sizeof *b->children)))
            rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        lake__place element = {at, NULL, NULL, 0, 0, false};
        for (size_t i = 0; !rc && i < n; i++) {
            rc = bind_column(&b->children[i], &child->columns[i], parts[i], i, &element, err);
            b->child_count = i + 1;
        }
        for (size_t i = 0; i < n; i++)
            if (parts[i]) duckdb_destroy_logical_type(&parts[i]);
        return rc;
    }
    default: return LAKE_OK;
    }
}

/* Binds schema columns to the given result columns (names and types), or a
 * struct's members to its children (`up`: the struct's place). */
static int bind(const lake_schema *s, duckdb_logical_type *types, char **names, size_t n, binding **out,
                const lake__place *up, lake_error *err) {
    binding *b = lake__calloc(s->column_count ? s->column_count : 1, sizeof *b);
    if (!b) return lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->column_count; i++) {
        const lake__column *c = &s->columns[i];
        size_t k = s->positional && i < n ? i : n;
        for (size_t j = 0; j < n && k == n && !s->positional; j++)
            if (strcmp(names[j], c->pub.name) == 0) k = j;
        for (size_t j = 0; j < n && k == n && !s->positional; j++)
            if (strcasecmp(names[j], c->pub.name) == 0) k = j;
        int rc;
        if (k == n) {
            lake__named nm = {.name = ""};
            if (up) lake__place_name(&nm, c, up);
            rc = lake__value_missing_error(err, s, c->pub.name, nm.name);
        } else {
            lake__place at = {up, names[k], NULL, 0, 0, false};
            rc = bind_column(&b[i], c, types[k], k, &at, err);
        }
        if (rc) {
            bindings_free(b, s->column_count);
            return rc;
        }
    }
    *out = b;
    return LAKE_OK;
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

static int decode(const binding *b, duckdb_vector v, idx_t row, unsigned char *rec, lake_arena *arena,
                  const lake__place *at, lake_error *err);

/* Zeroed room for n records of `size` bytes in the arena (where a list's
 * elements, a map's entries and a nullable struct's members go), zeroed:
 * zero is NULL for every nullable field. */
static void *zeroed(lake_arena *arena, size_t n, size_t size) {
    size_t bytes;
    if (__builtin_mul_overflow(n, size, &bytes)) return NULL;
    void *p = lake__arena_alloc(arena, bytes ? bytes : 1, 16);
    if (p) memset(p, 0, bytes);
    return p;
}

/* A list's elements or a map's entries, into records of the arena the view
 * points at; an empty one points at LAKE_EMPTY (NULL is SQL NULL). */
static int decode_collection(const binding *b, duckdb_vector v, idx_t row, unsigned char *rec, lake_arena *arena,
                             const lake__place *at, lake_error *err) {
    const lake__column *c = b->col;
    const lake_schema *es = c->pub.child;
    duckdb_list_entry e = ((const duckdb_list_entry *)duckdb_vector_get_data(v))[row];
    lake__view *view = (lake__view *)(rec + c->pub.offset);
    unsigned char *records = e.length ? zeroed(arena, e.length, es->record_size) : LAKE_EMPTY;
    if (!records) return lake__error(err, LAKE_ENOMEM, "out of memory");
    duckdb_vector child = duckdb_list_vector_get_child(v);
    bool is_map = c->pub.type == LAKE_MAP;
    lake__named nm;
    for (idx_t i = 0; i < e.length; i++) {
        unsigned char *r = records + i * es->record_size;
        lake__place element = {at, NULL, NULL, 0, i, true};
        int rc = LAKE_OK;
        if (is_map) {
            rc = decode(&b->children[0], duckdb_struct_vector_get_child(child, 0), e.offset + i, r, arena, &element, err);
            const lake_str *key = (const lake_str *)r;
            element = (lake__place){at, NULL, key->ptr, key->len, 0, false};
            if (!rc) rc = decode(&b->children[1], duckdb_struct_vector_get_child(child, 1), e.offset + i, r, arena,
                                 &element, err);
        } else {
            rc = decode(&b->children[0], child, e.offset + i, r, arena, &element, err);
        }
        if (rc) return rc;
    }
    if (is_map) {
        bool no_memory = false;
        const lake_str *dup = lake__map_duplicate_key(records, e.length, es->record_size, &no_memory);
        if (no_memory) return lake__error(err, LAKE_ENOMEM, "out of memory");
        if (dup) return lake__value_duplicate_key_error(err, lake__place_name(&nm, c, at), dup);
    }
    view->ptr = records;
    view->len = e.length;
    return LAKE_OK;
}

/* Reads one value out of DuckDB's vector layout; the value table converts
 * it into the field (values/values.h), with the checks every reader shares. */
static int decode(const binding *b, duckdb_vector v, idx_t row, unsigned char *rec, lake_arena *arena,
                  const lake__place *at, lake_error *err) {
    const lake__column *c = b->col;
    lake__named nm;
    uint64_t *validity = duckdb_vector_get_validity(v);
    if (validity && !duckdb_validity_row_is_valid(validity, row)) {
        if (c->pub.nullable) return LAKE_OK; /* the record was zeroed: NULL */
        return lake__value_null_error(err, lake__place_name(&nm, c, at));
    }
    const void *data = duckdb_vector_get_data(v);
    lake__fit fit;
    switch (b->src.kind) {
    case LAKE__V_BOOL: fit = lake__value_set_bool(c, ((const bool *)data)[row], rec); break;
    case LAKE__V_INT: fit = lake__value_set_int(c, integer(b->type, data, row), rec); break;
    case LAKE__V_DECIMAL: fit = lake__value_set_decimal(c, integer(b->internal, data, row), b->src.scale, rec); break;
    case LAKE__V_FLOAT:
        fit = lake__value_set_float(c, b->src.bits == 32 ? ((const float *)data)[row] : ((const double *)data)[row], rec);
        break;
    case LAKE__V_TEXT: case LAKE__V_BINARY: {
        duckdb_string_t *str = &((duckdb_string_t *)data)[row];
        fit = lake__value_set_text(c, duckdb_string_t_data(str), duckdb_string_t_length(*str), rec, arena);
        break;
    }
    case LAKE__V_TIMESTAMP: fit = lake__value_set_timestamp(c, ((const int64_t *)data)[row], b->src.unit, rec); break;
    case LAKE__V_DATE: fit = lake__value_set_date(c, ((const int32_t *)data)[row], LAKE__UNIT_DAY, rec); break;
    case LAKE__V_UUID: {
        /* DuckDB keeps UUIDs as 128-bit integers with the top bit flipped, for ordering. */
        duckdb_hugeint h = ((const duckdb_hugeint *)data)[row];
        uint64_t hi = (uint64_t)h.upper ^ (UINT64_C(1) << 63), lo = h.lower;
        uint8_t id[16];
        for (int i = 0; i < 8; i++) id[i] = (uint8_t)(hi >> (56 - 8 * i)), id[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
        fit = lake__value_set_id(c, id, rec, arena);
        break;
    }
    case LAKE__V_STRUCT: {
        /* A nullable struct is a pointer: its members go to the arena. */
        unsigned char *members = rec + c->pub.offset;
        if (c->optional) {
            if (!(members = zeroed(arena, 1, c->pub.child->record_size)))
                return lake__error(err, LAKE_ENOMEM, "out of memory");
            *(void **)(rec + c->pub.offset) = members;
        }
        for (size_t i = 0; i < b->child_count; i++) {
            lake__place member = {at, b->children[i].col->pub.name, NULL, 0, 0, false};
            int rc = decode(&b->children[i], duckdb_struct_vector_get_child(v, b->children[i].index), row, members,
                            arena, &member, err);
            if (rc) return rc;
        }
        return LAKE_OK;
    }
    case LAKE__V_LIST: case LAKE__V_MAP: return decode_collection(b, v, row, rec, arena, at, err);
    default: fit = LAKE__TOO_BIG; break; /* bind refused these */
    }
    return fit == LAKE__FITS ? LAKE_OK : lake__value_error(err, lake__place_name(&nm, c, at), fit);
}

/* The lakeorm type a result column of any query reads as (the value table's
 * lake__value_natural): unsigned integers widen (UBIGINT and HUGEINT to
 * decimals), every timestamp is microseconds, JSON stays JSON, and a struct,
 * list or map is described by its parts: members, "element", "key" and
 * "value" (a map's keys must be VARCHAR, as a map field's are strings). */
static int describe(duckdb_logical_type *types, char **names, size_t n, lake_arena *tmp, lake__result_column **out,
                    lake_error *err) {
    lake__result_column *cols = lake__arena_alloc(tmp, (n ? n : 1) * sizeof *cols, _Alignof(lake__result_column));
    if (!cols) return lake__error(err, LAKE_ENOMEM, "out of memory");
    memset(cols, 0, (n ? n : 1) * sizeof *cols);
    for (size_t i = 0; i < n; i++) {
        lake__result_column *c = &cols[i];
        c->name = names[i];
        duckdb_type t = duckdb_get_type_id(types[i]);
        lake__source src = source_of(types[i], NULL);
        if (src.kind == LAKE__V_NONE)
            return lake__error(err, LAKE_ENOTSUP, "result column \"%s\" has a DuckDB type lakeorm does not read (type id "
                               "%d: arrays, unions, intervals, times...): cast it in the SQL, e.g. CAST(x AS VARCHAR)",
                               names[i], (int)t);
        c->type = lake__value_natural(&src, &c->precision, &c->scale);
        if (src.kind == LAKE__V_TEXT) {
            char *alias = duckdb_logical_type_get_alias(types[i]);
            if (alias && !strcmp(alias, "JSON")) c->type = LAKE_JSON;
            duckdb_free(alias);
        }
        if (!lake__type_is_composite(c->type)) continue;
        idx_t m = src.kind == LAKE__V_STRUCT ? duckdb_struct_type_child_count(types[i]) : src.kind == LAKE__V_MAP ? 2 : 1;
        duckdb_logical_type *ct = lake__arena_alloc(tmp, (m ? m : 1) * sizeof *ct, _Alignof(duckdb_logical_type));
        char **cn = lake__arena_alloc(tmp, (m ? m : 1) * sizeof *cn, _Alignof(char *));
        if (!ct || !cn) return lake__error(err, LAKE_ENOMEM, "out of memory");
        int rc = LAKE_OK;
        if (src.kind == LAKE__V_LIST) {
            ct[0] = duckdb_list_type_child_type(types[i]);
            cn[0] = "element";
        } else if (src.kind == LAKE__V_MAP) {
            ct[0] = duckdb_map_type_key_type(types[i]);
            ct[1] = duckdb_map_type_value_type(types[i]);
            cn[0] = "key";
            cn[1] = "value";
            if (duckdb_get_type_id(ct[0]) != DUCKDB_TYPE_VARCHAR)
                rc = lake__error(err, LAKE_ENOTSUP, "result column \"%s\" is a map whose keys are not VARCHAR: cast "
                                 "them in the SQL, e.g. CAST(x AS MAP(VARCHAR, ...))", names[i]);
        } else {
            for (idx_t j = 0; j < m; j++) {
                ct[j] = duckdb_struct_type_child_type(types[i], j);
                char *name = duckdb_struct_type_child_name(types[i], j);
                cn[j] = lake__arena_strndup(tmp, name, strlen(name));
                duckdb_free(name);
                if (!cn[j]) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
            }
        }
        lake__result_column *children = NULL;
        if (!rc) rc = describe(ct, cn, m, tmp, &children, err);
        for (idx_t j = 0; j < m; j++) duckdb_destroy_logical_type(&ct[j]);
        if (rc) return rc;
        c->children = children;
        c->child_count = m;
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
    if (!rc) rc = bind(cur->schema, types, names, n, &cur->bindings, NULL, err);
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
    lake__duckdb_hint hint;
    lake__duckdb_hint_begin(&hint, d, sql, params, nparams);
    int rc = lake__duckdb_prepare(d, sql, &cur->stmt, err);
    if (!rc) rc = lake__duckdb_bind(cur->stmt, params, nparams, err);
    /* A streaming result: the engine produces chunks as they are fetched, so memory stays flat. */
    duckdb_pending_result pending = NULL;
    if (!rc && duckdb_pending_prepared_streaming(cur->stmt, &pending) == DuckDBError)
        rc = lake__duckdb_fail_text(err, duckdb_pending_error(pending), "duckdb: ");
    if (!rc) {
        duckdb_state st = duckdb_execute_pending(pending, &cur->res);
        cur->have_result = true;
        if (st == DuckDBError) rc = lake__duckdb_fail_result(err, &cur->res, "duckdb: ");
    }
    if (pending) duckdb_destroy_pending(&pending);
    lake__duckdb_hint_end(&hint);
    if (rc) goto fail;
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
        lake__place at = {NULL, s->columns[i].pub.name, NULL, 0, 0, false};
        int rc = decode(&cur->bindings[i], duckdb_data_chunk_get_vector(cur->chunk, cur->bindings[i].index), cur->row,
                        cur->record, cur->arena, &at, err);
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
