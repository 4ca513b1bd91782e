/* SPDX-License-Identifier: MIT */
/* Writing an Arrow IPC stream: FlatBuffer metadata by hand, buffers 8-aligned. */
#include <string.h>

#include "arrow/columns.h"
#include "arrow/flatbuf.h"
#include "arrow/ipc.h"
#include "error/error.h"
#include "schema/schema.h"
#include "util/alloc.h"

enum { TYPE_INT = 2, TYPE_FLOAT = 3, TYPE_BINARY = 4, TYPE_UTF8 = 5, TYPE_BOOL = 6, TYPE_DECIMAL = 7, TYPE_DATE = 8,
       TYPE_TIMESTAMP = 10, TYPE_LIST = 12, TYPE_STRUCT = 13, TYPE_FIXED_BINARY = 15, TYPE_MAP = 17 };
enum { HEADER_SCHEMA = 1, HEADER_RECORD_BATCH = 3, VERSION_V5 = 4 };

#define F(slot, size, value) ((lake__fb_field){(slot), (size), (uint64_t)(value), false})
#define OFF(slot) ((lake__fb_field){(slot), 4, 0, true})

/* The Arrow type of a column: its union tag, and the type table written at the current position. */
static int type_tag(lake_type t) {
    switch (t) {
    case LAKE_BOOL: return TYPE_BOOL;
    case LAKE_INT8: case LAKE_INT16: case LAKE_INT32: case LAKE_INT64: return TYPE_INT;
    case LAKE_FLOAT32: case LAKE_FLOAT64: return TYPE_FLOAT;
    case LAKE_STRING: case LAKE_SORTABLE_ID: case LAKE_JSON: return TYPE_UTF8;
    case LAKE_BYTES: return TYPE_BINARY;
    case LAKE_DECIMAL: return TYPE_DECIMAL;
    case LAKE_DATE: return TYPE_DATE;
    case LAKE_TIMESTAMP: return TYPE_TIMESTAMP;
    case LAKE_UUID: return TYPE_FIXED_BINARY;
    case LAKE_STRUCT: return TYPE_STRUCT;
    case LAKE_LIST: return TYPE_LIST;
    case LAKE_MAP: return TYPE_MAP;
    default: return 0;
    }
}

static size_t type_table(lake__buf *b, const lake_column *c) {
    size_t offs[4];
    switch (c->type) {
    case LAKE_INT8: case LAKE_INT16: case LAKE_INT32: case LAKE_INT64: {
        static const int bits[] = {8, 16, 32, 64};
        lake__fb_field f[] = {F(0, 4, bits[c->type - LAKE_INT8]), F(1, 1, 1)};
        return lake__fb_table(b, f, 2, offs);
    }
    case LAKE_FLOAT32: case LAKE_FLOAT64: {
        lake__fb_field f[] = {F(0, 2, c->type == LAKE_FLOAT32 ? 1 : 2)};
        return lake__fb_table(b, f, 1, offs);
    }
    case LAKE_DECIMAL: {
        lake__fb_field f[] = {F(0, 4, c->precision), F(1, 4, c->scale), F(2, 4, 128)};
        return lake__fb_table(b, f, 3, offs);
    }
    case LAKE_DATE: {
        lake__fb_field f[] = {F(0, 2, 0)}; /* DAY, written: the default is MILLISECOND */
        return lake__fb_table(b, f, 1, offs);
    }
    case LAKE_TIMESTAMP: {
        lake__fb_field f[] = {F(0, 2, 2), OFF(1)}; /* MICROSECOND, UTC */
        size_t t = lake__fb_table(b, f, 2, offs);
        lake__fb_patch(b, offs[1], lake__fb_string(b, "UTC", 3));
        return t;
    }
    case LAKE_UUID: {
        lake__fb_field f[] = {F(0, 4, 16)};
        return lake__fb_table(b, f, 1, offs);
    }
    case LAKE_MAP: {
        lake__fb_field f[] = {F(0, 1, 0)}; /* keysSorted: false, entries stay in the model's order */
        return lake__fb_table(b, f, 1, offs);
    }
    default: return lake__fb_table(b, NULL, 0, offs); /* Utf8, Binary, Bool, List, Struct_: empty tables */
    }
}

/* A message's FlatBuffer: Message{version, header_type, header, bodyLength}
 * with the header table written by `header`. Framed and padded to 8. */
typedef size_t (*header_fn)(lake__buf *b, void *ctx);

static void message(lake__buf *out, int header_type, header_fn header, void *ctx, int64_t body_length) {
    lake__buf fb = LAKE__BUF_INIT;
    uint32_t root = 0;
    lake__fb_put(&fb, &root, 4);
    lake__fb_field f[] = {F(0, 2, VERSION_V5), F(1, 1, header_type), OFF(2), F(3, 8, body_length)};
    size_t offs[4];
    size_t table = lake__fb_table(&fb, f, 4, offs);
    lake__fb_patch(&fb, 0, table);
    lake__fb_patch(&fb, offs[2], header(&fb, ctx));
    lake__fb_align(&fb, 8);
    uint32_t marker = 0xFFFFFFFFu, size = (uint32_t)fb.len;
    lake__buf_put(out, &marker, 4);
    lake__buf_put(out, &size, 4);
    lake__buf_put(out, fb.data ? fb.data : "", fb.len);
    if (fb.failed) out->failed = 1;
    lake__buf_dispose(&fb);
}

typedef struct writer {
    const lake_schema *s;
    bool ingest, uuid_as_string;
    const char *ingest_id; /* also stamped in auto=ingestID columns */
    int64_t rows;
    bool failed;   /* out of memory */
    bool too_many; /* a column's offsets past int32 */
    lake__buf nodes, buffers; /* FieldNode and Buffer structs, 16 bytes each */
    size_t nnodes, nbuffers;
} writer;

/* The type a column travels as: UUIDs as their text where the reader
 * (Spark 4.0) refuses fixed-size binary. */
static lake_type wire_type(const writer *w, lake_type t) { return t == LAKE_UUID && w->uuid_as_string ? LAKE_STRING : t; }

static size_t field_vector(const writer *w, lake__buf *b, const lake_schema *s, bool ingest);
static size_t children(const writer *w, lake__buf *b, const lake_column *c);

static size_t field_table(const writer *w, lake__buf *b, const char *name, bool nullable, const lake_column *c) {
    lake_column as = c ? *c : (lake_column){.type = LAKE_STRING};
    as.type = wire_type(w, as.type);
    lake__fb_field f[] = {OFF(0), F(1, 1, nullable), F(2, 1, type_tag(as.type)), OFF(3), OFF(5)};
    size_t offs[5];
    size_t t = lake__fb_table(b, f, 5, offs);
    lake__fb_patch(b, offs[0], lake__fb_string(b, name, strlen(name)));
    lake__fb_patch(b, offs[3], type_table(b, &as));
    lake__fb_patch(b, offs[4], children(w, b, &as));
    return t;
}

/* A field's children: a struct's members; a list's element; a map's one
 * non-null "entries" struct of key and value (the Arrow spec's Map layout).
 * Other fields have none, written as an empty vector, never absent. */
static size_t children(const writer *w, lake__buf *b, const lake_column *c) {
    if (c->type == LAKE_MAP) {
        lake_column entries = {.name = "entries", .type = LAKE_STRUCT, .child = c->child};
        size_t vec = lake__fb_vector(b, 1, 4, 4), slot = b->len;
        uint32_t zero = 0;
        lake__fb_put(b, &zero, 4);
        lake__fb_patch(b, slot, field_table(w, b, entries.name, false, &entries));
        return vec;
    }
    return lake__type_is_composite(c->type) ? field_vector(w, b, c->child, false) : lake__fb_vector(b, 0, 4, 4);
}

/* The fields of a schema (the stream's, or a struct's members), in order,
 * with _ingest_id last when asked. */
static size_t field_vector(const writer *w, lake__buf *b, const lake_schema *s, bool ingest) {
    size_t n = lake_schema_column_count(s) + ingest;
    size_t vec = lake__fb_vector(b, (uint32_t)n, 4, 4);
    size_t slots = b->len;
    uint32_t zero = 0;
    for (size_t i = 0; i < n; i++) lake__fb_put(b, &zero, 4);
    for (size_t i = 0; i < n; i++) {
        const lake_column *c = i < lake_schema_column_count(s) ? lake_schema_column(s, i) : NULL;
        size_t field = field_table(w, b, c ? c->name : "_ingest_id", c ? c->nullable : false, c);
        lake__fb_patch(b, slots + 4 * i, field);
    }
    return vec;
}

static size_t schema_header(lake__buf *b, void *ctx) {
    writer *w = ctx;
    lake__fb_field f[] = {F(0, 2, 0), OFF(1)};
    size_t offs[2];
    size_t t = lake__fb_table(b, f, 2, offs);
    lake__fb_patch(b, offs[1], field_vector(w, b, w->s, w->ingest));
    return t;
}

static size_t batch_header(lake__buf *b, void *ctx) {
    writer *w = ctx;
    lake__fb_field f[] = {F(0, 8, w->rows), OFF(1), OFF(2)};
    size_t offs[3];
    size_t t = lake__fb_table(b, f, 3, offs);
    lake__fb_patch(b, offs[1], lake__fb_vector(b, (uint32_t)w->nnodes, 16, 8));
    lake__buf_put(b, w->nodes.data ? w->nodes.data : "", w->nodes.len);
    lake__fb_patch(b, offs[2], lake__fb_vector(b, (uint32_t)w->nbuffers, 16, 8));
    lake__buf_put(b, w->buffers.data ? w->buffers.data : "", w->buffers.len);
    return t;
}

/* The walk's sink (arrow/columns.h): each buffer appended to the body,
 * 8-aligned, and recorded with each node for the batch header. */
typedef struct body_sink {
    writer *w;
    lake__buf *body;
} body_sink;

static void body_buffer(void *ctx, const void *data, size_t len) {
    body_sink *b = ctx;
    int64_t at[2] = {(int64_t)b->body->len, (int64_t)len};
    lake__buf_put(b->body, data ? data : "", len);
    lake__fb_align(b->body, 8);
    lake__buf_put(&b->w->buffers, at, 16);
    b->w->nbuffers++;
}

static void node(void *ctx, size_t length, int64_t nulls) {
    body_sink *b = ctx;
    int64_t n[2] = {(int64_t)length, nulls};
    lake__buf_put(&b->w->nodes, n, 16);
    b->w->nnodes++;
}

int lake__arrow_write_schema(lake__buf *out, const lake_schema *s, const lake__arrow_options *o, lake_error *err) {
    writer w = {.s = s, .ingest = o->ingest_id != NULL, .uuid_as_string = o->uuid_as_string, .ingest_id = o->ingest_id};
    message(out, HEADER_SCHEMA, schema_header, &w, 0);
    return out->failed ? lake__error(err, LAKE_ENOMEM, "out of memory writing an Arrow stream") : LAKE_OK;
}

void lake__arrow_write_end(lake__buf *out) {
    uint32_t eos[2] = {0xFFFFFFFFu, 0};
    lake__buf_put(out, eos, 8);
}

int lake__arrow_write(lake__buf *out, const lake_schema *s, const void *records, size_t count, const char *ingest_id,
                      lake_error *err) {
    lake__arrow_options o = {ingest_id, false};
    int rc = lake__arrow_write_schema(out, s, &o, err);
    if (!rc) rc = lake__arrow_write_batch(out, s, records, count, &o, err);
    lake__arrow_write_end(out);
    return rc ? rc : out->failed ? lake__error(err, LAKE_ENOMEM, "out of memory writing an Arrow stream") : LAKE_OK;
}

int lake__arrow_write_batch(lake__buf *out, const lake_schema *s, const void *records, size_t count,
                            const lake__arrow_options *o, lake_error *err) {
    const char *ingest_id = o->ingest_id;
    writer w = {.s = s, .ingest = ingest_id != NULL, .uuid_as_string = o->uuid_as_string, .ingest_id = ingest_id,
                .rows = (int64_t)count};
    lake__buf body = LAKE__BUF_INIT;
    body_sink sink = {&w, &body};
    lake__arrow_columns cols = {{node, body_buffer, &sink}, o->uuid_as_string, ingest_id, false, false};
    const unsigned char **recs = lake__malloc((count ? count : 1) * sizeof *recs);
    if (!recs) return lake__error(err, LAKE_ENOMEM, "out of memory writing an Arrow stream");
    for (size_t r = 0; r < count; r++) recs[r] = (const unsigned char *)records + r * s->record_size;
    for (size_t i = 0; i < s->column_count; i++) lake__arrow_column(&cols, &s->columns[i], recs, count);
    lake__free((void *)recs);
    if (ingest_id) lake__arrow_constant_text(&cols, ingest_id, count);
    w.failed = cols.failed, w.too_many = cols.too_many;
    int rc = LAKE_OK;
    if (w.too_many) {
        rc = lake__error(err, LAKE_ENOTSUP, "a batch of %zu records holds more than 2^31 list elements or string bytes "
                         "in one column: write fewer records per batch", count);
    } else {
        message(out, HEADER_RECORD_BATCH, batch_header, &w, (int64_t)body.len);
        lake__buf_put(out, body.data ? body.data : "", body.len);
    }
    bool failed = w.failed || body.failed || w.nodes.failed || w.buffers.failed || out->failed;
    lake__buf_dispose(&body);
    lake__buf_dispose(&w.nodes);
    lake__buf_dispose(&w.buffers);
    if (rc) return rc;
    return failed ? lake__error(err, LAKE_ENOMEM, "out of memory writing an Arrow stream") : LAKE_OK;
}
