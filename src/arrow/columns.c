/* SPDX-License-Identifier: MIT */
/* Records into Arrow buffers (arrow/columns.h). */
#include "arrow/columns.h"

#include <string.h>

#include "schema/type_table.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "values/values.h"

static void put_node(lake__arrow_columns *w, size_t length, int64_t nulls) { w->sink.node(w->sink.ctx, length, nulls); }
static void put_buffer(lake__arrow_columns *w, const void *data, size_t len) { w->sink.buffer(w->sink.ctx, data, len); }

/* A utf8 column holding one value in every row: offsets step by its length. */
void lake__arrow_constant_text(lake__arrow_columns *w, const char *value, size_t rows) {
    size_t n = strlen(value);
    put_node(w, rows, 0);
    put_buffer(w, NULL, 0);
    lake__buf offsets = LAKE__BUF_INIT, data = LAKE__BUF_INIT;
    for (int64_t r = 0; r <= (int64_t)rows; r++) {
        int32_t off = (int32_t)((size_t)r * n);
        lake__buf_put(&offsets, &off, 4);
        if (r < (int64_t)rows) lake__buf_put(&data, value, n);
    }
    put_buffer(w, offsets.data, offsets.len);
    put_buffer(w, data.data, data.len);
    lake__buf_dispose(&offsets);
    lake__buf_dispose(&data);
}

/* A column's values are gathered as the records holding them: the rows'
 * records at the top, a struct's member record, a list's elements, a map's
 * entries. A NULL record is a value under a NULL parent: it is NULL too. */
static bool is_null(const lake__column *c, const unsigned char *rec) { return !rec || lake__is_null(c, rec); }

/* The node, then its validity: a bitmap when any value is NULL, else an
 * empty buffer. (Node first: a sink that builds arrays starts one there.) */
static void node_and_validity(lake__arrow_columns *w, const lake__column *c, const unsigned char *const *recs, size_t n) {
    int64_t nulls = 0;
    lake__buf bits = LAKE__BUF_INIT;
    for (size_t r = 0; r < n; r++) nulls += is_null(c, recs[r]);
    put_node(w, n, nulls);
    if (nulls) {
        for (size_t r = 0; r < n; r += 8) {
            uint8_t byte = 0;
            for (size_t k = 0; k < 8 && r + k < n; k++) byte |= (uint8_t)(!is_null(c, recs[r + k]) << k);
            lake__buf_putc(&bits, (char)byte);
        }
    }
    put_buffer(w, bits.data, bits.len);
    if (bits.failed) w->failed = true;
    lake__buf_dispose(&bits);
}


/* A list's or map's offsets (int32: a batch holds fewer than 2^31 elements
 * per column, else it is refused), then its elements' or entries' records,
 * which the child columns are written from. */
static void collection(lake__arrow_columns *w, const lake__column *c, const unsigned char *const *recs, size_t n) {
    const lake_schema *child = c->pub.child;
    lake__buf offsets = LAKE__BUF_INIT;
    size_t total = 0;
    int32_t off = 0;
    lake__buf_put(&offsets, &off, 4);
    for (size_t r = 0; r < n; r++) {
        if (!is_null(c, recs[r])) total += lake__view_at(c, recs[r])->len;
        if (total > INT32_MAX) {
            w->too_many = true;
            total = 0;
        }
        off = (int32_t)total;
        lake__buf_put(&offsets, &off, 4);
    }
    put_buffer(w, offsets.data, offsets.len);
    if (offsets.failed) w->failed = true;
    lake__buf_dispose(&offsets);
    const unsigned char **items = lake__malloc((total ? total : 1) * sizeof *items);
    if (!items) {
        w->failed = true;
        return;
    }
    size_t k = 0;
    for (size_t r = 0; r < n && k < total; r++) {
        if (is_null(c, recs[r])) continue;
        const lake__view *v = lake__view_at(c, recs[r]);
        for (size_t j = 0; j < v->len && k < total; j++) items[k++] = (const unsigned char *)v->ptr + j * child->record_size;
    }
    if (c->pub.type == LAKE_MAP) { /* the entries struct: never NULL, its validity empty */
        put_node(w, total, 0);
        put_buffer(w, NULL, 0);
    }
    for (size_t i = 0; i < child->column_count; i++) lake__arrow_column(w, &child->columns[i], items, total);
    lake__free((void *)items);
}

void lake__arrow_column(lake__arrow_columns *w, const lake__column *c, const unsigned char *const *recs, size_t n) {
    const char *stamp = w->ingest_id && c->pub.auto_ingest_id ? w->ingest_id : NULL;
    if (stamp) {
        lake__arrow_constant_text(w, stamp, n);
        return;
    }
    node_and_validity(w, c, recs, n);
    if (c->pub.type == LAKE_LIST || c->pub.type == LAKE_MAP) {
        collection(w, c, recs, n);
        return;
    }
    if (c->pub.type == LAKE_STRUCT) { /* its members, depth first, from the member records */
        const unsigned char **members = lake__malloc((n ? n : 1) * sizeof *members);
        if (!members) {
            w->failed = true;
            return;
        }
        for (size_t r = 0; r < n; r++) members[r] = recs[r] ? lake__struct_at(c, recs[r]) : NULL;
        for (size_t k = 0; k < c->pub.child->column_count; k++) lake__arrow_column(w, &c->pub.child->columns[k], members, n);
        lake__free((void *)members);
        return;
    }
    lake__buf values = LAKE__BUF_INIT, data = LAKE__BUF_INIT;
    lake_type type = c->pub.type == LAKE_UUID && w->uuid_as_string ? LAKE_STRING : c->pub.type;
    /* Fixed-width Arrow values are the C values' bytes (lake_dec128 is lo then
     * hi: Arrow's little-endian 128 bits; a UUID its 16 bytes). */
    lake__vkind kind = lake__value_type_of(type)->kind;
    size_t width = kind == LAKE__V_INT || kind == LAKE__V_FLOAT || kind == LAKE__V_DECIMAL || kind == LAKE__V_DATE ||
                           kind == LAKE__V_TIMESTAMP || kind == LAKE__V_UUID
                       ? lake__type_info_of(type)->size
                       : 0;
    if (c->pub.type == LAKE_BOOL) {
        for (size_t r = 0; r < n; r += 8) {
            uint8_t byte = 0;
            for (size_t k = 0; k < 8 && r + k < n; k++) {
                const unsigned char *rec = recs[r + k];
                byte |= (uint8_t)((!is_null(c, rec) && *(const bool *)(rec + c->pub.offset)) << k);
            }
            lake__buf_putc(&values, (char)byte);
        }
        put_buffer(w, values.data, values.len);
    } else if (width) {
        for (size_t r = 0; r < n; r++) {
            uint8_t zero[16] = {0};
            const void *v = is_null(c, recs[r]) ? zero : recs[r] + c->pub.offset;
            lake__buf_put(&values, v, width);
        }
        put_buffer(w, values.data, values.len);
    } else { /* strings, bytes and JSON text: int32 offsets, then the bytes */
        int32_t off = 0;
        lake__buf_put(&values, &off, 4);
        for (size_t r = 0; r < n; r++) {
            const unsigned char *rec = recs[r];
            if (!is_null(c, rec)) {
                if (c->pub.type == LAKE_SORTABLE_ID || c->pub.type == LAKE_UUID) { /* as text */
                    char text[LAKE__VALUE_TEXT_MAX];
                    lake__buf_put(&data, text, lake__value_id_text(c->pub.type, rec + c->pub.offset, text));
                } else {
                    const lake_str *s = (const lake_str *)(rec + c->pub.offset);
                    lake__buf_put(&data, s->ptr ? s->ptr : "", s->len);
                }
            }
            if (data.len > INT32_MAX) w->too_many = true;
            off = (int32_t)(data.len > INT32_MAX ? 0 : data.len);
            lake__buf_put(&values, &off, 4);
        }
        put_buffer(w, values.data, values.len);
        put_buffer(w, data.data, data.len);
    }
    if (values.failed || data.failed) w->failed = true;
    lake__buf_dispose(&values);
    lake__buf_dispose(&data);
}
