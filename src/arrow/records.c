/* SPDX-License-Identifier: MIT */
#include "arrow/records.h"

#include <string.h>

#include "arrow/ipc.h"
#include "error/error.h"
#include "util/alloc.h"

void lake__arrow_records_init(lake__arrow_records *r, size_t size) {
    memset(r, 0, sizeof *r);
    r->size = size ? size : 1;
}

int lake__arrow_records_add(void *ctx, const void *record) {
    lake__arrow_records *r = ctx;
    if (r->count == r->cap) {
        size_t grown = r->cap ? r->cap * 2 : 256;
        unsigned char *p = lake__realloc(r->data, r->cap * r->size, grown * r->size);
        if (!p) return lake__error(r->err, LAKE_ENOMEM, "out of memory holding a batch of %zu rows", r->count);
        r->data = p;
        r->cap = grown;
    }
    memcpy(r->data + r->count++ * r->size, record, r->size);
    return 0;
}

void lake__arrow_records_clear(lake__arrow_records *r) { r->count = r->at = 0; }

const void *lake__arrow_records_next(lake__arrow_records *r) {
    return r->at < r->count ? r->data + r->at++ * r->size : NULL;
}

void lake__arrow_records_dispose(lake__arrow_records *r) {
    lake__free(r->data);
    lake_schema_free(r->shape);
    lake__arrow_records_init(r, r->size);
}

int lake__arrow_records_fill(lake__arrow_records *r, const void *data, size_t len, const lake_schema *s,
                             lake_arena *arena, lake_error *err) {
    if (!s && !r->shape) {
        int rc = lake__arrow_shape(data, len, &r->shape, err);
        if (rc) return rc;
        if (r->count) return lake__error(err, LAKE_EINVAL, "records of another shape are held");
        lake__free(r->data);
        r->data = NULL;
        r->cap = 0;
        r->size = lake_schema_record_size(r->shape) ? lake_schema_record_size(r->shape) : 1;
    }
    r->err = err;
    return lake__arrow_read(data, len, s ? s : r->shape, arena, false, lake__arrow_records_add, r, err);
}
