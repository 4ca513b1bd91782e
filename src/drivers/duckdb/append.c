/* SPDX-License-Identifier: MIT */
#include "drivers/duckdb/append.h"

#include <stdio.h>
#include <string.h>

#include "drivers/duckdb/errors.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/decimal.h"
#include "values/values.h"

/* A column's value as a DuckDB value, for the types the Appender has no
 * direct call for (instants, decimals, structs, lists, maps); NULL when out
 * of memory. */
static duckdb_value make_value(const lake__column *c, const unsigned char *rec);

static duckdb_logical_type column_type(const lake_column *c) {
    switch (c->type) {
    case LAKE_DECIMAL: return duckdb_create_decimal_type(c->precision, c->scale);
    case LAKE_STRUCT: {
        size_t n = lake_schema_column_count(c->child);
        duckdb_logical_type *types = lake__calloc(n, sizeof *types);
        const char **names = lake__calloc(n, sizeof *names);
        duckdb_logical_type t = NULL;
        bool ok = types && names;
        for (size_t i = 0; ok && i < n; i++) {
            ok = (types[i] = column_type(lake_schema_column(c->child, i))) != NULL;
            names[i] = lake_schema_column(c->child, i)->name;
        }
        if (ok) t = duckdb_create_struct_type(types, names, n);
        for (size_t i = 0; types && i < n; i++)
            if (types[i]) duckdb_destroy_logical_type(&types[i]);
        lake__free(types);
        lake__free(names);
        return t;
    }
    case LAKE_LIST: case LAKE_MAP: {
        /* A list's child schema is its element; a map's, its key and value. */
        const lake_column *value = lake_schema_column(c->child, c->type == LAKE_MAP);
        duckdb_logical_type v = column_type(value), t = NULL;
        if (!v) return NULL;
        if (c->type == LAKE_LIST) {
            t = duckdb_create_list_type(v);
        } else {
            duckdb_logical_type k = duckdb_create_logical_type(DUCKDB_TYPE_VARCHAR);
            t = duckdb_create_map_type(k, v);
            duckdb_destroy_logical_type(&k);
        }
        duckdb_destroy_logical_type(&v);
        return t;
    }
    default: {
        /* JSON is VARCHAR to the C API: DuckDB's JSON type is VARCHAR under an alias. */
        static const duckdb_type ids[] = {
            [LAKE_BOOL] = DUCKDB_TYPE_BOOLEAN,      [LAKE_INT8] = DUCKDB_TYPE_TINYINT,
            [LAKE_INT16] = DUCKDB_TYPE_SMALLINT,    [LAKE_INT32] = DUCKDB_TYPE_INTEGER,
            [LAKE_INT64] = DUCKDB_TYPE_BIGINT,      [LAKE_FLOAT32] = DUCKDB_TYPE_FLOAT,
            [LAKE_FLOAT64] = DUCKDB_TYPE_DOUBLE,    [LAKE_STRING] = DUCKDB_TYPE_VARCHAR,
            [LAKE_BYTES] = DUCKDB_TYPE_BLOB,        [LAKE_TIMESTAMP] = DUCKDB_TYPE_TIMESTAMP_TZ,
            [LAKE_DATE] = DUCKDB_TYPE_DATE,         [LAKE_UUID] = DUCKDB_TYPE_UUID,
            [LAKE_SORTABLE_ID] = DUCKDB_TYPE_VARCHAR, [LAKE_JSON] = DUCKDB_TYPE_VARCHAR,
        };
        return duckdb_create_logical_type(ids[c->type]);
    }
    }
}

/* A list's or map's value: its elements (entries) made one by one. */
static duckdb_value make_collection(const lake__column *c, const lake__view *view) {
    const lake_schema *es = c->pub.child;
    bool is_map = c->pub.type == LAKE_MAP;
    size_t n = view->len;
    duckdb_value *keys = is_map ? lake__calloc(n + 1, sizeof *keys) : NULL;
    duckdb_value *values = lake__calloc(n + 1, sizeof *values);
    duckdb_logical_type t = column_type(is_map ? &c->pub : &es->columns[0].pub);
    duckdb_value v = NULL;
    bool ok = values && t && (keys || !is_map);
    for (size_t i = 0; ok && i < n; i++) {
        const unsigned char *entry = (const unsigned char *)view->ptr + i * es->record_size;
        ok = (values[i] = make_value(&es->columns[is_map], entry)) != NULL &&
             (!is_map || (keys[i] = make_value(&es->columns[0], entry)) != NULL);
    }
    if (ok) v = is_map ? duckdb_create_map_value(t, keys, values, n) : duckdb_create_list_value(t, values, n);
    if (t) duckdb_destroy_logical_type(&t);
    for (size_t i = 0; i < n; i++) {
        if (values && values[i]) duckdb_destroy_value(&values[i]);
        if (keys && keys[i]) duckdb_destroy_value(&keys[i]);
    }
    lake__free(values);
    lake__free(keys);
    return v;
}

static duckdb_value make_value(const lake__column *c, const unsigned char *rec) {
    const unsigned char *p = rec + c->pub.offset;
    if (lake__is_null(c, rec)) return duckdb_create_null_value();
    switch (c->pub.type) {
    case LAKE_BOOL: return duckdb_create_bool(*(const bool *)p);
    case LAKE_INT8: return duckdb_create_int8(*(const int8_t *)p);
    case LAKE_INT16: return duckdb_create_int16(*(const int16_t *)p);
    case LAKE_INT32: return duckdb_create_int32(*(const int32_t *)p);
    case LAKE_INT64: return duckdb_create_int64(*(const int64_t *)p);
    case LAKE_FLOAT32: return duckdb_create_float(*(const float *)p);
    case LAKE_FLOAT64: return duckdb_create_double(*(const double *)p);
    case LAKE_STRING: case LAKE_JSON: {
        const lake_str *s = (const lake_str *)p;
        return duckdb_create_varchar_length(s->len ? s->ptr : "", s->len);
    }
    case LAKE_LIST: case LAKE_MAP: return make_collection(c, (const lake__view *)p);
    case LAKE_BYTES: {
        const lake_bytes *b = (const lake_bytes *)p;
        return duckdb_create_blob(b->len ? b->ptr : (const uint8_t *)"", b->len);
    }
    case LAKE_TIMESTAMP: return duckdb_create_timestamp_tz((duckdb_timestamp){((const lake_ts *)p)->us});
    case LAKE_DATE: return duckdb_create_date((duckdb_date){((const lake_date *)p)->days});
    case LAKE_DECIMAL: {
        lake_dec128 d = *(const lake_dec128 *)p;
        duckdb_decimal v = {c->pub.precision, c->pub.scale, {d.lo, d.hi}};
        return duckdb_create_decimal(v);
    }
    case LAKE_UUID: case LAKE_SORTABLE_ID: { /* as text: the Appender casts a UUID's */
        char text[LAKE__VALUE_TEXT_MAX];
        return duckdb_create_varchar_length(text, lake__value_id_text(c->pub.type, p, text));
    }
    case LAKE_STRUCT: {
        const lake_schema *child = c->pub.child;
        size_t n = child->column_count;
        duckdb_value *values = lake__calloc(n, sizeof *values);
        duckdb_logical_type t = column_type(&c->pub);
        duckdb_value v = NULL;
        bool ok = values && t;
        const unsigned char *members = lake__struct_at(c, rec); /* not NULL: the struct is not */
        for (size_t i = 0; ok && i < n; i++) ok = (values[i] = make_value(&child->columns[i], members)) != NULL;
        if (ok) v = duckdb_create_struct_value(t, values);
        if (t) duckdb_destroy_logical_type(&t);
        for (size_t i = 0; values && i < n; i++)
            if (values[i]) duckdb_destroy_value(&values[i]);
        lake__free(values);
        return v;
    }
    }
    return NULL;
}

/* Appends one value with the Appender's direct calls where there is one. */
static duckdb_state append_column(duckdb_appender a, const lake__column *c, const unsigned char *rec) {
    const unsigned char *p = rec + c->pub.offset;
    if (lake__is_null(c, rec)) return duckdb_append_null(a);
    switch (c->pub.type) {
    case LAKE_BOOL: return duckdb_append_bool(a, *(const bool *)p);
    case LAKE_INT8: return duckdb_append_int8(a, *(const int8_t *)p);
    case LAKE_INT16: return duckdb_append_int16(a, *(const int16_t *)p);
    case LAKE_INT32: return duckdb_append_int32(a, *(const int32_t *)p);
    case LAKE_INT64: return duckdb_append_int64(a, *(const int64_t *)p);
    case LAKE_FLOAT32: return duckdb_append_float(a, *(const float *)p);
    case LAKE_FLOAT64: return duckdb_append_double(a, *(const double *)p);
    case LAKE_STRING: case LAKE_JSON: {
        const lake_str *s = (const lake_str *)p;
        return duckdb_append_varchar_length(a, s->len ? s->ptr : "", s->len);
    }
    case LAKE_BYTES: {
        const lake_bytes *b = (const lake_bytes *)p;
        return duckdb_append_blob(a, b->len ? b->ptr : (const uint8_t *)"", b->len);
    }
    case LAKE_DATE: return duckdb_append_date(a, (duckdb_date){((const lake_date *)p)->days});
    default: {
        duckdb_value v = make_value(c, rec);
        if (!v) return DuckDBError;
        duckdb_state st = duckdb_append_value(a, v);
        duckdb_destroy_value(&v);
        return st;
    }
    }
}

/* ---- the columnar path: whole vectors of a data chunk, filled from records.
 * It runs when every appended column has exactly the type lakeorm's DDL gives
 * it; otherwise rows go through the Appender's per-value calls, which cast. */

enum { CHUNK = 2048 }; /* DuckDB's standard vector size */

static bool same_type(const lake_column *c, duckdb_logical_type t) {
    duckdb_type id = duckdb_get_type_id(t);
    switch (c->type) {
    case LAKE_TIMESTAMP: return id == DUCKDB_TYPE_TIMESTAMP_TZ || id == DUCKDB_TYPE_TIMESTAMP;
    case LAKE_DECIMAL: return id == DUCKDB_TYPE_DECIMAL && duckdb_decimal_width(t) == c->precision &&
                              duckdb_decimal_scale(t) == c->scale;
    case LAKE_STRUCT: {
        size_t n = lake_schema_column_count(c->child);
        if (id != DUCKDB_TYPE_STRUCT || duckdb_struct_type_child_count(t) != n) return false;
        bool ok = true;
        for (size_t i = 0; ok && i < n; i++) {
            duckdb_logical_type ct = duckdb_struct_type_child_type(t, i);
            char *name = duckdb_struct_type_child_name(t, i);
            ok = !strcmp(name, lake_schema_column(c->child, i)->name) && same_type(lake_schema_column(c->child, i), ct);
            duckdb_free(name);
            duckdb_destroy_logical_type(&ct);
        }
        return ok;
    }
    case LAKE_LIST: {
        if (id != DUCKDB_TYPE_LIST) return false;
        duckdb_logical_type et = duckdb_list_type_child_type(t);
        bool ok = same_type(lake_schema_column(c->child, 0), et);
        duckdb_destroy_logical_type(&et);
        return ok;
    }
    case LAKE_MAP: {
        if (id != DUCKDB_TYPE_MAP) return false;
        duckdb_logical_type kt = duckdb_map_type_key_type(t), vt = duckdb_map_type_value_type(t);
        bool ok = duckdb_get_type_id(kt) == DUCKDB_TYPE_VARCHAR && same_type(lake_schema_column(c->child, 1), vt);
        duckdb_destroy_logical_type(&kt);
        duckdb_destroy_logical_type(&vt);
        return ok;
    }
    default: {
        duckdb_logical_type want = column_type(c);
        bool ok = want && duckdb_get_type_id(want) == id;
        if (want) duckdb_destroy_logical_type(&want);
        return ok;
    }
    }
}

static void set_null(duckdb_vector v, idx_t row) {
    duckdb_vector_ensure_validity_writable(v);
    duckdb_validity_set_row_invalid(duckdb_vector_get_validity(v), row);
}

/* Where a vector's values come from: row i's record is ptrs[i], or
 * first + i * stride (a list's elements, a map's entries, records side by
 * side). A NULL record is a row under a NULL struct, NULL itself. */
typedef struct rows {
    const void *const *ptrs;
    const unsigned char *first;
    size_t stride;
} rows;

static const unsigned char *row_at(const rows *src, size_t i) {
    return src->ptrs ? (const unsigned char *)src->ptrs[i] : src->first + i * src->stride;
}

static bool fill(duckdb_vector v, const lake__column *c, const rows *src, idx_t at, size_t n);

/* A list's elements (a map's entries) go to the end of the list vector's
 * child, which grows to hold them; row `row` points at them. A MAP is a
 * LIST of STRUCT(key, value) to DuckDB: the child is that struct vector. */
static bool fill_collection(duckdb_vector v, const lake__column *c, const lake__view *view, idx_t row) {
    const lake_schema *es = c->pub.child;
    idx_t offset = duckdb_list_vector_get_size(v);
    ((duckdb_list_entry *)duckdb_vector_get_data(v))[row] = (duckdb_list_entry){offset, view->len};
    if (duckdb_list_vector_reserve(v, offset + view->len) == DuckDBError) return false;
    duckdb_vector child = duckdb_list_vector_get_child(v);
    rows elements = {NULL, view->ptr, es->record_size};
    bool ok = true;
    if (c->pub.type == LAKE_LIST) ok = fill(child, &es->columns[0], &elements, offset, view->len);
    for (size_t i = 0; c->pub.type == LAKE_MAP && ok && i < es->column_count; i++)
        ok = fill(duckdb_struct_vector_get_child(child, i), &es->columns[i], &elements, offset, view->len);
    return ok && duckdb_list_vector_set_size(v, offset + view->len) == DuckDBSuccess;
}

/* A struct's members, a batch of rows at a time: their records are inline or
 * behind a nullable struct's pointer, and a NULL struct's members are NULL. */
static bool fill_struct(duckdb_vector v, const lake__column *c, const rows *src, idx_t at, size_t n) {
    enum { BATCH = 256 };
    const void *members[BATCH];
    const lake_schema *child = c->pub.child;
    for (size_t from = 0; from < n; from += BATCH) {
        size_t m = n - from < BATCH ? n - from : BATCH;
        for (size_t r = 0; r < m; r++) {
            const unsigned char *rec = row_at(src, from + r);
            members[r] = rec && !lake__is_null(c, rec) ? lake__struct_at(c, rec) : NULL;
        }
        rows batch = {members, NULL, 0};
        for (size_t i = 0; i < child->column_count; i++)
            if (!fill(duckdb_struct_vector_get_child(v, i), &child->columns[i], &batch, at + from, m)) return false;
    }
    return true;
}

/* Fills rows [at, at + n) of v from the column's values in the n records of
 * src; false when DuckDB cannot grow a list vector. */
static bool fill(duckdb_vector v, const lake__column *c, const rows *src, idx_t at, size_t n) {
    void *data = duckdb_vector_get_data(v);
    for (size_t r = 0; r < n; r++) {
        const unsigned char *rec = row_at(src, r);
        idx_t row = at + r;
        if (!rec || lake__is_null(c, rec)) {
            set_null(v, row);
            if (c->pub.type == LAKE_LIST || c->pub.type == LAKE_MAP)
                ((duckdb_list_entry *)data)[row] = (duckdb_list_entry){duckdb_list_vector_get_size(v), 0};
            continue;
        }
        const unsigned char *p = rec + c->pub.offset;
        switch (c->pub.type) {
        case LAKE_BOOL: ((bool *)data)[row] = *(const bool *)p; break;
        case LAKE_INT8: ((int8_t *)data)[row] = *(const int8_t *)p; break;
        case LAKE_INT16: ((int16_t *)data)[row] = *(const int16_t *)p; break;
        case LAKE_INT32: ((int32_t *)data)[row] = *(const int32_t *)p; break;
        case LAKE_INT64: ((int64_t *)data)[row] = *(const int64_t *)p; break;
        case LAKE_FLOAT32: ((float *)data)[row] = *(const float *)p; break;
        case LAKE_FLOAT64: ((double *)data)[row] = *(const double *)p; break;
        case LAKE_STRING: case LAKE_BYTES: case LAKE_JSON: {
            const lake_str *s = (const lake_str *)p;
            duckdb_vector_assign_string_element_len(v, row, s->len ? s->ptr : "", s->len);
            break;
        }
        case LAKE_TIMESTAMP: ((int64_t *)data)[row] = ((const lake_ts *)p)->us; break;
        case LAKE_DATE: ((int32_t *)data)[row] = ((const lake_date *)p)->days; break;
        case LAKE_DECIMAL: {
            const lake_dec128 *d = (const lake_dec128 *)p; /* validated: it fits the precision */
            if (c->pub.precision <= 4) ((int16_t *)data)[row] = (int16_t)(int64_t)d->lo;
            else if (c->pub.precision <= 9) ((int32_t *)data)[row] = (int32_t)(int64_t)d->lo;
            else if (c->pub.precision <= 18) ((int64_t *)data)[row] = (int64_t)d->lo;
            else ((duckdb_hugeint *)data)[row] = (duckdb_hugeint){d->lo, d->hi};
            break;
        }
        case LAKE_UUID: {
            const uint8_t *u = ((const lake_uuid *)p)->b;
            uint64_t hi = 0, lo = 0;
            for (int i = 0; i < 8; i++) hi = hi << 8 | u[i], lo = lo << 8 | u[8 + i];
            /* DuckDB keeps UUIDs as 128-bit integers with the top bit flipped, for ordering. */
            ((duckdb_hugeint *)data)[row] = (duckdb_hugeint){lo, (int64_t)(hi ^ (UINT64_C(1) << 63))};
            break;
        }
        case LAKE_SORTABLE_ID: {
            char text[LAKE__VALUE_TEXT_MAX];
            duckdb_vector_assign_string_element_len(v, row, text, lake__value_id_text(LAKE_SORTABLE_ID, p, text));
            break;
        }
        case LAKE_LIST: case LAKE_MAP:
            if (!fill_collection(v, c, (const lake__view *)p, row)) return false;
            break;
        case LAKE_STRUCT: break; /* its members, below */
        }
    }
    return c->pub.type != LAKE_STRUCT || fill_struct(v, c, src, at, n);
}

struct lake__duckdb_appender {
    duckdb_appender a;
    const lake_schema *schema;
    char *ingest_id;
    char name[256];
    duckdb_data_chunk chunk; /* NULL: the table's types differ from lakeorm's; rows go value by value */
};

static int appender_error(lake__duckdb_appender *ap, const char *what, lake_error *err) {
    duckdb_error_data e = duckdb_appender_error_data(ap->a);
    int rc = lake__duckdb_fail(err, duckdb_error_data_error_type(e), duckdb_error_data_message(e), "duckdb: %s \"%s\": ",
                               what, ap->name);
    duckdb_destroy_error_data(&e);
    return rc;
}

void lake__duckdb_appender_free(lake__duckdb_appender *ap) {
    if (!ap) return;
    if (ap->chunk) duckdb_destroy_data_chunk(&ap->chunk);
    duckdb_appender_destroy(&ap->a);
    lake__free(ap->ingest_id);
    lake__free(ap);
}

int lake__duckdb_appender_open(lake__duckdb *d, const lake_schema *s, const lake__table_ref *where,
                               const char *ingest_id, lake__duckdb_appender **out, lake_error *err) {
    *out = NULL;
    int writable = lake__schema_check_writable(s, err);
    if (writable) return writable;
    lake__duckdb_appender *ap = lake__calloc(1, sizeof *ap);
    if (!ap || (ingest_id && !(ap->ingest_id = lake__strndup(ingest_id, strlen(ingest_id))))) {
        lake__free(ap);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    ap->schema = s;
    snprintf(ap->name, sizeof ap->name, "%s", where && where->table ? where->table : s->table);
    if (duckdb_appender_create_ext(d->con, where ? where->catalog : NULL, where ? where->schema : NULL, ap->name,
                                   &ap->a) == DuckDBError) {
        int rc = appender_error(ap, "cannot append to", err);
        lake__duckdb_appender_free(ap);
        return rc;
    }
    /* Name every column, so the table's own column order does not matter. */
    duckdb_state st = DuckDBSuccess;
    for (size_t i = 0; i < s->column_count && st == DuckDBSuccess; i++)
        st = duckdb_appender_add_column(ap->a, s->columns[i].pub.name);
    if (st == DuckDBSuccess) st = duckdb_appender_add_column(ap->a, "_ingest_id");
    if (st == DuckDBError) {
        int rc = appender_error(ap, "cannot append to", err);
        lake__duckdb_appender_free(ap);
        return rc;
    }
    /* The columnar path needs the table's column types to be exactly lakeorm's. */
    idx_t n = duckdb_appender_column_count(ap->a);
    duckdb_logical_type *types = n == s->column_count + 1 ? lake__calloc(n, sizeof *types) : NULL;
    bool same = types != NULL;
    for (idx_t i = 0; types && i < n; i++) {
        types[i] = duckdb_appender_column_type(ap->a, i);
        if (same)
            same = i < s->column_count ? same_type(&s->columns[i].pub, types[i])
                                       : duckdb_get_type_id(types[i]) == DUCKDB_TYPE_VARCHAR;
    }
    if (same) ap->chunk = duckdb_create_data_chunk(types, n);
    for (idx_t i = 0; types && i < n; i++) duckdb_destroy_logical_type(&types[i]);
    lake__free(types);
    *out = ap;
    return LAKE_OK;
}

static int add_chunks(lake__duckdb_appender *ap, const unsigned char *base, const void *const *ptrs, size_t count,
                      lake_error *err) {
    const lake_schema *s = ap->schema;
    for (size_t at = 0; at < count; at += CHUNK) {
        size_t n = count - at < CHUNK ? count - at : CHUNK;
        rows src = {ptrs ? ptrs + at : NULL, ptrs ? NULL : base + at * s->record_size, s->record_size};
        duckdb_data_chunk_reset(ap->chunk);
        bool ok = true;
        for (size_t i = 0; ok && i < s->column_count; i++) {
            duckdb_vector v = duckdb_data_chunk_get_vector(ap->chunk, i);
            if (ap->ingest_id && s->columns[i].pub.auto_ingest_id)
                for (size_t r = 0; r < n; r++) duckdb_vector_assign_string_element(v, r, ap->ingest_id);
            else ok = fill(v, &s->columns[i], &src, 0, n);
        }
        if (!ok) return lake__error(err, LAKE_ENOMEM, "duckdb: out of memory growing a list of \"%s\"", ap->name);
        duckdb_vector id = duckdb_data_chunk_get_vector(ap->chunk, s->column_count);
        for (size_t r = 0; r < n; r++) {
            if (ap->ingest_id) duckdb_vector_assign_string_element(id, r, ap->ingest_id);
            else set_null(id, r);
        }
        duckdb_data_chunk_set_size(ap->chunk, n);
        if (duckdb_append_data_chunk(ap->a, ap->chunk) == DuckDBError) return appender_error(ap, "appending to", err);
    }
    return LAKE_OK;
}

int lake__duckdb_appender_add(lake__duckdb_appender *ap, const void *records, const void *const *ptrs, size_t count,
                              lake_error *err) {
    const lake_schema *s = ap->schema;
    const unsigned char *base = records;
    if (ap->chunk) return add_chunks(ap, base, ptrs, count, err);
    duckdb_state st = DuckDBSuccess;
    for (size_t r = 0; r < count && st == DuckDBSuccess; r++) {
        const unsigned char *rec = ptrs ? (const unsigned char *)ptrs[r] : base + r * s->record_size;
        for (size_t i = 0; i < s->column_count && st == DuckDBSuccess; i++)
            st = ap->ingest_id && s->columns[i].pub.auto_ingest_id ? duckdb_append_varchar(ap->a, ap->ingest_id)
                                                                   : append_column(ap->a, &s->columns[i], rec);
        if (st == DuckDBSuccess) st = ap->ingest_id ? duckdb_append_varchar(ap->a, ap->ingest_id) : duckdb_append_null(ap->a);
        if (st == DuckDBSuccess) st = duckdb_appender_end_row(ap->a);
    }
    return st == DuckDBError ? appender_error(ap, "appending to", err) : LAKE_OK;
}

int lake__duckdb_appender_close(lake__duckdb_appender *ap, lake_error *err) {
    int rc = duckdb_appender_close(ap->a) == DuckDBError ? appender_error(ap, "appending to", err) : LAKE_OK;
    lake__duckdb_appender_free(ap);
    return rc;
}

int lake__duckdb_append(lake__duckdb *d, const lake_schema *s, const lake__table_ref *where, const void *records,
                        const void *const *ptrs, size_t count, const char *ingest_id, lake_error *err) {
    lake__duckdb_appender *ap;
    int rc = lake__duckdb_appender_open(d, s, where, ingest_id, &ap, err);
    if (!rc) rc = lake__duckdb_appender_add(ap, records, ptrs, count, err);
    if (!rc) return lake__duckdb_appender_close(ap, err);
    lake__duckdb_appender_free(ap);
    return rc;
}
