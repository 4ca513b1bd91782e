#include "arrow/records.h"

#include <string.h>

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
    lake__arrow_records_init(r, r->size);
}
