/* SPDX-License-Identifier: MIT */
#include "client/fingerprint.h"

#include <openssl/evp.h>
#include <string.h>

#include "error/error.h"
#include "schema/schema.h"

/* Values are encoded before hashing, never hashed as struct bytes: those hold
 * pointers and padding. Every value is a presence byte, then fixed-width
 * little-endian numbers or a length-prefixed byte string, so the encoding of
 * a record is unambiguous and the same on every machine. */
typedef struct encoder {
    EVP_MD_CTX *md;
    unsigned char buf[4096];
    size_t len;
    bool failed;
} encoder;

static void flush(encoder *e) {
    if (e->len && EVP_DigestUpdate(e->md, e->buf, e->len) != 1) e->failed = true;
    e->len = 0;
}

static void put(encoder *e, const void *data, size_t len) {
    if (len > sizeof e->buf - e->len) {
        flush(e);
        if (len > sizeof e->buf) {
            if (EVP_DigestUpdate(e->md, data, len) != 1) e->failed = true;
            return;
        }
    }
    memcpy(e->buf + e->len, data, len);
    e->len += len;
}

static void put_u64(encoder *e, uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    put(e, b, 8);
}

static void put_record(encoder *e, const lake_schema *s, const unsigned char *rec);

static void put_value(encoder *e, const lake__column *c, const unsigned char *rec) {
    unsigned char present = !lake__is_null(c, rec);
    put(e, &present, 1);
    if (!present) return;
    const unsigned char *v = rec + c->pub.offset;
    switch (c->pub.type) {
    case LAKE_BOOL: put_u64(e, *(const bool *)v); break;
    case LAKE_INT8: put_u64(e, (uint64_t)(int64_t)*(const int8_t *)v); break;
    case LAKE_INT16: put_u64(e, (uint64_t)(int64_t)*(const int16_t *)v); break;
    case LAKE_INT32: put_u64(e, (uint64_t)(int64_t)*(const int32_t *)v); break;
    case LAKE_INT64: put_u64(e, (uint64_t)*(const int64_t *)v); break;
    case LAKE_FLOAT32: {
        uint32_t bits;
        memcpy(&bits, v, sizeof bits);
        put_u64(e, bits);
        break;
    }
    case LAKE_FLOAT64: {
        uint64_t bits;
        memcpy(&bits, v, sizeof bits);
        put_u64(e, bits);
        break;
    }
    case LAKE_STRING: case LAKE_BYTES: case LAKE_JSON: {
        const lake_str *str = (const lake_str *)v;
        put_u64(e, str->len);
        put(e, str->ptr, str->len);
        break;
    }
    case LAKE_TIMESTAMP: put_u64(e, (uint64_t)((const lake_ts *)v)->us); break;
    case LAKE_DATE: put_u64(e, (uint64_t)(int64_t)((const lake_date *)v)->days); break;
    case LAKE_DECIMAL: {
        const lake_dec128 *d = (const lake_dec128 *)v;
        put_u64(e, d->lo);
        put_u64(e, (uint64_t)d->hi);
        break;
    }
    case LAKE_UUID: put(e, ((const lake_uuid *)v)->b, 16); break;
    case LAKE_SORTABLE_ID: put(e, ((const lake_ksuid *)v)->b, 20); break;
    case LAKE_STRUCT: put_record(e, c->pub.child, lake__struct_at(c, rec)); break;
    case LAKE_LIST: case LAKE_MAP: {
        const lake__view *list = (const lake__view *)v;
        put_u64(e, list->len);
        for (size_t i = 0; i < list->len; i++)
            put_record(e, c->pub.child, (const unsigned char *)list->ptr + i * c->pub.child->record_size);
        break;
    }
    }
}

static void put_record(encoder *e, const lake_schema *s, const unsigned char *rec) {
    for (size_t i = 0; i < s->column_count; i++) {
        const lake__column *c = lake__schema_col(s, i);
        /* lakeorm fills these with the ingest id, which differs on every attempt */
        if (!c->pub.auto_ingest_id) put_value(e, c, rec);
    }
}

int lake__fingerprint_begin(lake__fingerprint *f, const char *table, lake_error *err) {
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(md);
        return lake__error(err, LAKE_ENOMEM, "cannot start a SHA-256 digest");
    }
    f->md = md;
    size_t len = strlen(table);
    unsigned char n[8];
    for (int i = 0; i < 8; i++) n[i] = (unsigned char)((uint64_t)len >> (8 * i));
    if (EVP_DigestUpdate(md, n, 8) != 1 || EVP_DigestUpdate(md, table, len) != 1)
        return lake__error(err, LAKE_ENOMEM, "cannot update a SHA-256 digest");
    return LAKE_OK;
}

int lake__fingerprint_add(lake__fingerprint *f, const lake_schema *s, const void *records, const void *const *ptrs,
                          size_t count, lake_error *err) {
    encoder e = {f->md, {0}, 0, false};
    for (size_t i = 0; i < count; i++)
        put_record(&e, s, ptrs ? ptrs[i] : (const unsigned char *)records + i * s->record_size);
    flush(&e);
    return e.failed ? lake__error(err, LAKE_ENOMEM, "cannot update a SHA-256 digest") : LAKE_OK;
}

int lake__fingerprint_end(lake__fingerprint *f, char out[LAKE__FINGERPRINT_HEX + 1], lake_error *err) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    int ok = f->md && EVP_DigestFinal_ex(f->md, digest, &n) == 1 && n == 32;
    lake__fingerprint_dispose(f);
    if (!ok) return lake__error(err, LAKE_ERROR, "cannot finish a SHA-256 digest");
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[LAKE__FINGERPRINT_HEX] = 0;
    return LAKE_OK;
}

void lake__fingerprint_dispose(lake__fingerprint *f) {
    EVP_MD_CTX_free(f->md);
    f->md = NULL;
}
