/* SPDX-License-Identifier: MIT */
/* Query results as an ArrowArrayStream (include/lakeorm/arrow.h): a stream
 * of rows of any shape (lake_client_query_json's read) gathered into
 * batches and exported by lake_arrow_export. A row is valid until the next
 * one is read, so each is copied, strings and elements too, into the
 * stream's arena, which is reset once its batch is exported: memory stays
 * bounded by one batch. */
#include <errno.h>
#include <lakeorm/arrow.h>
#include <string.h>

#include "client/client.h"
#include "error/error.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/arena.h"

enum { BATCH_ROWS = 65536 };
#define BATCH_BYTES ((size_t)16 << 20)

typedef struct stream {
    lake_rows *rows;
    lake_arena *arena; /* the batch's strings, elements and structs */
    unsigned char *batch;
    size_t n, cap, bytes;
    bool done, failed;
    lake_error err;
} stream;

/* Points the values a record borrows (strings, elements, nullable structs)
 * at copies in the arena, counting the bytes. */
static int own_values(stream *st, const lake_schema *s, unsigned char *rec) {
    for (size_t i = 0; i < s->column_count; i++) {
        const lake__column *c = &s->columns[i];
        if (lake__is_null(c, rec)) continue;
        unsigned char *p = rec + c->pub.offset;
        switch (c->pub.type) {
        case LAKE_STRING: case LAKE_BYTES: case LAKE_JSON: {
            lake_str *v = (lake_str *)p;
            if (!(v->ptr = lake__arena_strndup(st->arena, v->ptr, v->len))) return LAKE_ENOMEM;
            st->bytes += v->len;
            break;
        }
        case LAKE_LIST: case LAKE_MAP: {
            lake__view *v = (lake__view *)p;
            size_t size = c->pub.child->record_size;
            if (!v->len) break;
            unsigned char *items = lake__arena_alloc(st->arena, v->len * size, 16);
            if (!items) return LAKE_ENOMEM;
            memcpy(items, v->ptr, v->len * size);
            v->ptr = items;
            for (size_t k = 0; k < v->len; k++) {
                int rc = own_values(st, c->pub.child, items + k * size);
                if (rc) return rc;
            }
            break;
        }
        case LAKE_STRUCT: {
            unsigned char *members = p;
            if (c->optional) {
                size_t size = c->pub.child->record_size;
                if (!(members = lake__arena_alloc(st->arena, size ? size : 1, 16))) return LAKE_ENOMEM;
                memcpy(members, *(void **)p, size);
                memcpy(p, &members, sizeof members);
            }
            int rc = own_values(st, c->pub.child, members);
            if (rc) return rc;
            break;
        }
        default: break;
        }
    }
    return LAKE_OK;
}

/* Reads the next row into the batch; st->done at the end. */
static int read_row(stream *st, lake_error *err) {
    const void *rec;
    int rc = lake_rows_next(st->rows, &rec, err);
    if (rc) return rc;
    if (!rec) {
        st->done = true;
        return LAKE_OK;
    }
    const lake_schema *s = lake__rows_schema(st->rows);
    size_t size = s->record_size ? s->record_size : 1;
    if (st->n == st->cap) {
        size_t grown = st->cap ? st->cap * 2 : 1024;
        unsigned char *p = lake__realloc(st->batch, st->cap * size, grown * size);
        if (!p) return lake__error(err, LAKE_ENOMEM, "out of memory holding a batch of %zu rows", st->n);
        st->batch = p;
        st->cap = grown;
    }
    unsigned char *copy = st->batch + st->n * size;
    memcpy(copy, rec, s->record_size);
    if (own_values(st, s, copy)) return lake__error(err, LAKE_ENOMEM, "out of memory holding a batch of %zu rows", st->n);
    st->n++;
    return LAKE_OK;
}

static int errno_of(int status) {
    return status == LAKE_ENOMEM ? ENOMEM : status == LAKE_EINVAL ? EINVAL : EIO;
}

static int fail(stream *st, int status) {
    st->failed = true;
    return errno_of(status);
}

static int get_schema(struct ArrowArrayStream *self, struct ArrowSchema *out) {
    stream *st = self->private_data;
    const lake_schema *s = lake__rows_schema(st->rows);
    if (!s) {
        lake__error(&st->err, LAKE_EINVAL, "the result's shape is not known yet");
        return EINVAL;
    }
    int rc = lake_arrow_export_schema(s, out, &st->err);
    return rc ? errno_of(rc) : 0;
}

static int get_next(struct ArrowArrayStream *self, struct ArrowArray *out) {
    stream *st = self->private_data;
    if (st->failed) return EINVAL; /* the stream ended with get_last_error's failure */
    int rc = LAKE_OK;
    while (!rc && !st->done && st->n < BATCH_ROWS && st->bytes < BATCH_BYTES) rc = read_row(st, &st->err);
    if (rc) return fail(st, rc);
    if (!st->n) { /* the end: a released array */
        memset(out, 0, sizeof *out);
        return 0;
    }
    rc = lake_arrow_export(lake__rows_schema(st->rows), st->batch, st->n, out, &st->err);
    st->n = st->bytes = 0;
    lake_arena_reset(st->arena);
    return rc ? fail(st, rc) : 0;
}

static const char *get_last_error(struct ArrowArrayStream *self) {
    stream *st = self->private_data;
    return st->err.code ? st->err.message : NULL;
}

static void release(struct ArrowArrayStream *self) {
    if (!self || !self->release) return;
    stream *st = self->private_data;
    lake_rows_close(st->rows);
    lake_arena_free(st->arena);
    lake__free(st->batch);
    lake_error_clear(&st->err);
    lake__free(st);
    self->release = NULL;
    self->private_data = NULL;
}

int lake_client_query_arrow(lake_client *c, const lake_source *src, struct ArrowArrayStream *out, lake_error *err) {
    if (!out) return lake__error(err, LAKE_EINVAL, "lake_client_query_arrow: out is NULL");
    stream *st = lake__calloc(1, sizeof *st);
    if (!st || lake_arena_new(&st->arena)) {
        lake__free(st);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    struct ArrowArrayStream made = {get_schema, get_next, get_last_error, release, st};
    int rc = lake__rows_open(c, NULL, src, NULL, &st->rows, err);
    /* The first row: a failing query fails here, and the shape is known
     * (remote drivers learn it from their first batch). */
    if (!rc) rc = read_row(st, err);
    if (!rc && !lake__rows_schema(st->rows))
        rc = lake__error(err, LAKE_ENOTSUP, "the engine gave no result shape for an empty result");
    if (rc) {
        release(&made);
        return rc;
    }
    *out = made;
    return LAKE_OK;
}
