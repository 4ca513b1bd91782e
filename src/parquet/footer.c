/* SPDX-License-Identifier: MIT */
#include "parquet/footer.h"

#include <lakeorm/common.h>

#include "parquet/thrift.h"

enum { REQUIRED = 0, OPTIONAL = 1 };
enum { REPEATED = 2 };
enum { CT_UTF8 = 0, CT_MAP = 1, CT_LIST = 3, CT_DECIMAL = 5, CT_DATE = 6, CT_TIMESTAMP_MICROS = 10, CT_INT_8 = 15, CT_JSON = 19 };
enum { ENC_PLAIN = 0, ENC_RLE = 3, ENC_RLE_DICTIONARY = 8 };

static void logical(lake__thrift *t, const lake__leaf *l, const lake_column *c) {
    int converted = -1;
    switch (l->logical) {
    case LAKE__PL_NONE: return;
    case LAKE__PL_STRING: converted = CT_UTF8; break;
    case LAKE__PL_INT8: case LAKE__PL_INT16: case LAKE__PL_INT32: case LAKE__PL_INT64:
        converted = CT_INT_8 + (l->logical - LAKE__PL_INT8);
        break;
    case LAKE__PL_DATE: converted = CT_DATE; break;
    case LAKE__PL_TIMESTAMP_MICROS_UTC: converted = CT_TIMESTAMP_MICROS; break;
    case LAKE__PL_DECIMAL: converted = CT_DECIMAL; break;
    case LAKE__PL_UUID: break;
    case LAKE__PL_JSON: converted = CT_JSON; break;
    }
    if (converted >= 0) lake__thrift_i32(t, 6, converted);
    if (l->logical == LAKE__PL_DECIMAL) {
        lake__thrift_i32(t, 7, c->scale);
        lake__thrift_i32(t, 8, c->precision);
    }
}

static void logical_type(lake__thrift *t, const lake__leaf *l, const lake_column *c) {
    if (l->logical == LAKE__PL_NONE) return;
    lake__thrift_struct_begin(t, 10);
    switch (l->logical) {
    case LAKE__PL_STRING: lake__thrift_struct_begin(t, 1); break;
    case LAKE__PL_DATE: lake__thrift_struct_begin(t, 6); break;
    case LAKE__PL_UUID: lake__thrift_struct_begin(t, 14); break;
    case LAKE__PL_JSON: lake__thrift_struct_begin(t, 12); break;
    case LAKE__PL_DECIMAL:
        lake__thrift_struct_begin(t, 5);
        lake__thrift_i32(t, 1, c->scale);
        lake__thrift_i32(t, 2, c->precision);
        break;
    case LAKE__PL_TIMESTAMP_MICROS_UTC:
        lake__thrift_struct_begin(t, 8);
        lake__thrift_bool(t, 1, true);
        lake__thrift_struct_begin(t, 2); /* TimeUnit */
        lake__thrift_struct_begin(t, 2); /* MICROS */
        lake__thrift_struct_end(t);
        lake__thrift_struct_end(t);
        break;
    default: {
        static const int8_t bits[] = {8, 16, 32, 64};
        lake__thrift_struct_begin(t, 10);
        lake__thrift_i8(t, 1, bits[l->logical - LAKE__PL_INT8]);
        lake__thrift_bool(t, 2, true);
    }
    }
    lake__thrift_struct_end(t);
    lake__thrift_struct_end(t);
}

/* A group node: a struct, or a list or map column's outer group, annotated
 * LIST / MAP (converted type and LogicalType union member). */
static void group(lake__thrift *t, const lake_column *c, int repetition, size_t children) {
    lake__thrift_elem_struct_begin(t);
    lake__thrift_i32(t, 3, repetition);
    lake__thrift_string(t, 4, c->name);
    lake__thrift_i32(t, 5, (int32_t)children);
    if (c->type != LAKE_STRUCT) lake__thrift_i32(t, 6, c->type == LAKE_LIST ? CT_LIST : CT_MAP);
    lake__thrift_i32(t, 9, c->field_id);
    if (c->type != LAKE_STRUCT) {
        lake__thrift_struct_begin(t, 10);
        lake__thrift_struct_begin(t, c->type == LAKE_LIST ? 3 : 2);
        lake__thrift_struct_end(t);
        lake__thrift_struct_end(t);
    }
    lake__thrift_struct_end(t);
}

/* The schema's nodes, depth first. Lists take the standard three-level form
 * and maps the key_value form (LogicalTypes.md, "Nested Types"):
 *   <opt|req> group name (LIST) { repeated group list { <opt|req> element } }
 *   <opt|req> group name (MAP) { repeated group key_value { required key; <opt|req> value } }
 * The repeated group has no column of its own, so no field id; the element,
 * key and value carry theirs (Iceberg's rule). */
static void schema_elements(lake__thrift *t, const lake_schema *s, const bool *omit, bool uuid_as_string) {
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        if (omit && omit[i]) continue;
        const lake_column *c = lake_schema_column(s, i);
        int repetition = c->nullable ? OPTIONAL : REQUIRED;
        if (c->type == LAKE_STRUCT) {
            group(t, c, repetition, lake_schema_column_count(c->child));
        } else if (c->type == LAKE_LIST || c->type == LAKE_MAP) {
            group(t, c, repetition, 1);
            lake__thrift_elem_struct_begin(t);
            lake__thrift_i32(t, 3, REPEATED);
            lake__thrift_string(t, 4, lake__repeated_name(c->type));
            lake__thrift_i32(t, 5, (int32_t)lake_schema_column_count(c->child));
            lake__thrift_struct_end(t);
        }
        if (c->child) {
            schema_elements(t, c->child, NULL, uuid_as_string);
            continue;
        }
        lake__leaf l;
        lake__leaf_types(&l, c, uuid_as_string);
        lake__thrift_elem_struct_begin(t);
        lake__thrift_i32(t, 1, (int32_t)l.physical);
        if (l.type_length) lake__thrift_i32(t, 2, l.type_length);
        lake__thrift_i32(t, 3, repetition);
        lake__thrift_string(t, 4, c->name);
        logical(t, &l, c);
        lake__thrift_i32(t, 9, c->field_id);
        logical_type(t, &l, c);
        lake__thrift_struct_end(t);
    }
}

static size_t count_elements(const lake_schema *s, const bool *omit) {
    size_t n = 0;
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        if (omit && omit[i]) continue;
        const lake_column *c = lake_schema_column(s, i);
        n += 1 + (c->type == LAKE_LIST || c->type == LAKE_MAP) + (c->child ? count_elements(c->child, NULL) : 0);
    }
    return n;
}

static void column_chunk(lake__thrift *t, const lake__footer *f, const lake__leaf *l, const lake__chunk_meta *m) {
    lake__thrift_elem_struct_begin(t);
    lake__thrift_i64(t, 2, 0);
    lake__thrift_struct_begin(t, 3);
    lake__thrift_i32(t, 1, (int32_t)l->physical);
    size_t nenc = 2 + m->dictionary;
    lake__thrift_list_begin(t, 2, LAKE__T_I32, nenc);
    lake__thrift_elem_i32(t, ENC_PLAIN);
    lake__thrift_elem_i32(t, ENC_RLE);
    if (m->dictionary) lake__thrift_elem_i32(t, ENC_RLE_DICTIONARY);
    lake__thrift_list_begin(t, 3, LAKE__T_BINARY, l->path_len);
    for (size_t k = 0; k < l->path_len; k++) lake__thrift_elem_string(t, l->path[k]);
    lake__thrift_i32(t, 4, (int32_t)f->codec);
    lake__thrift_i64(t, 5, m->num_values);
    lake__thrift_i64(t, 6, m->uncompressed);
    lake__thrift_i64(t, 7, m->compressed);
    lake__thrift_i64(t, 9, m->data_page_offset);
    if (m->dictionary_page_offset >= 0) lake__thrift_i64(t, 11, m->dictionary_page_offset);
    lake__write_statistics(t, 12, l, &m->stats);
    lake__thrift_struct_end(t);
    lake__thrift_struct_end(t);
}

int lake__footer_write(lake__buf *out, const lake__footer *f) {
    lake__thrift t;
    lake__thrift_init(&t, out);
    lake__thrift_i32(&t, 1, 1);
    size_t top = f->ingest_id;
    for (size_t i = 0; i < lake_schema_column_count(f->schema); i++) top += !(f->omit && f->omit[i]);
    lake__thrift_list_begin(&t, 2, LAKE__T_STRUCT, 1 + count_elements(f->schema, f->omit) + f->ingest_id);
    lake__thrift_elem_struct_begin(&t); /* the root group */
    lake__thrift_string(&t, 4, "schema");
    lake__thrift_i32(&t, 5, (int32_t)top);
    lake__thrift_struct_end(&t);
    schema_elements(&t, f->schema, f->omit, f->uuid_as_string);
    if (f->ingest_id) {
        lake__thrift_elem_struct_begin(&t);
        lake__thrift_i32(&t, 1, LAKE__PQ_BYTE_ARRAY);
        lake__thrift_i32(&t, 3, OPTIONAL);
        lake__thrift_string(&t, 4, "_ingest_id");
        lake__thrift_i32(&t, 6, CT_UTF8);
        lake__thrift_i32(&t, 9, f->ingest_field_id);
        lake__thrift_struct_begin(&t, 10);
        lake__thrift_struct_begin(&t, 1);
        lake__thrift_struct_end(&t);
        lake__thrift_struct_end(&t);
        lake__thrift_struct_end(&t);
    }
    lake__thrift_i64(&t, 3, f->rows);
    lake__thrift_list_begin(&t, 4, LAKE__T_STRUCT, f->group_count);
    for (size_t g = 0; g < f->group_count; g++) {
        const lake__row_group *rg = &f->groups[g];
        lake__thrift_elem_struct_begin(&t);
        lake__thrift_list_begin(&t, 1, LAKE__T_STRUCT, f->leaf_count);
        for (size_t i = 0; i < f->leaf_count; i++) column_chunk(&t, f, &f->leaves[i], &rg->chunks[i]);
        lake__thrift_i64(&t, 2, rg->uncompressed);
        lake__thrift_i64(&t, 3, rg->rows);
        lake__thrift_i64(&t, 5, rg->file_offset);
        lake__thrift_i64(&t, 6, rg->compressed);
        lake__thrift_i16(&t, 7, (int16_t)g);
        lake__thrift_struct_end(&t);
    }
    if (f->kv_pairs) {
        lake__thrift_list_begin(&t, 5, LAKE__T_STRUCT, f->kv_pairs);
        for (size_t k = 0; k < f->kv_pairs; k++) {
            lake__thrift_elem_struct_begin(&t);
            lake__thrift_string(&t, 1, f->kv[2 * k]);
            lake__thrift_string(&t, 2, f->kv[2 * k + 1]);
            lake__thrift_struct_end(&t);
        }
    }
    lake__thrift_string(&t, 6, "lakeorm version " LAKE_VERSION_STRING " (build lakeorm)");
    lake__thrift_list_begin(&t, 7, LAKE__T_STRUCT, f->leaf_count);
    for (size_t i = 0; i < f->leaf_count; i++) {
        lake__thrift_elem_struct_begin(&t); /* ColumnOrder: TYPE_ORDER */
        lake__thrift_struct_begin(&t, 1);
        lake__thrift_struct_end(&t);
        lake__thrift_struct_end(&t);
    }
    lake__thrift_struct_end(&t);
    return out->failed ? -1 : 0;
}
