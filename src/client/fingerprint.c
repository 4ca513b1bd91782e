/* SPDX-License-Identifier: MIT */
#include "client/fingerprint.h"

#include <openssl/evp.h>
#include <string.h>

#include "error/error.h"
#include "schema/schema.h"
#include "values/values.h"

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

/* A value in its canonical form (values/values.h), so a new type is encoded
 * by its kind. Integers of every width, timestamps and dates are 64-bit
 * two's complement; decimals the unscaled 128 bits, low half first. */
static void put_value(encoder *e, const lake__column *c, const unsigned char *rec) {
    unsigned char present = !lake__is_null(c, rec);
    put(e, &present, 1);
    if (!present) return;
    lake__value v;
    lake__value_get(c, rec, &v);
    switch (lake__value_types[c->pub.type].kind) {
    case LAKE__V_BOOL: put_u64(e, v.b); break;
    case LAKE__V_INT: put_u64(e, (uint64_t)(int64_t)v.i); break;
    case LAKE__V_FLOAT: put_u64(e, lake__value_float_bits(c, rec)); break;
    case LAKE__V_DECIMAL: {
        lake_dec128 d = lake__dec_make(v.i);
        put_u64(e, d.lo);
        put_u64(e, (uint64_t)d.hi);
        break;
    }
    case LAKE__V_TEXT: case LAKE__V_BINARY:
        put_u64(e, v.s.len);
        put(e, v.s.ptr, v.s.len);
        break;
    case LAKE__V_TIMESTAMP: case LAKE__V_DATE: put_u64(e, (uint64_t)v.t); break;
    case LAKE__V_UUID: put(e, v.id, sizeof(lake_uuid)); break;
    case LAKE__V_KSUID: put(e, v.id, sizeof(lake_ksuid)); break;
    case LAKE__V_STRUCT: put_record(e, c->pub.child, lake__struct_at(c, rec)); break;
    case LAKE__V_LIST: case LAKE__V_MAP: {
        const lake__view *list = lake__view_at(c, rec);
        put_u64(e, list->len);
        for (size_t i = 0; i < list->len; i++)
            put_record(e, c->pub.child, (const unsigned char *)list->ptr + i * c->pub.child->record_size);
        break;
    }
    case LAKE__V_NONE: break;
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
