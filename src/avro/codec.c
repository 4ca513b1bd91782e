/* SPDX-License-Identifier: MIT */
#include "avro/codec.h"

#include <zlib.h>
#include <zstd.h>

int lake__avro_compress(lake__avro_codec codec, const void *data, size_t len, lake__buf *out) {
    if (codec == LAKE__AVRO_CODEC_NULL) return len ? lake__buf_put(out, data, len) : 0;
    if (codec == LAKE__AVRO_CODEC_ZSTD) {
        size_t bound = ZSTD_compressBound(len);
        if (lake__buf_grow(out, bound)) return -1;
        size_t n = ZSTD_compress(out->data + out->len, bound, data, len, 3);
        if (ZSTD_isError(n)) return -1;
        out->len += n;
        return 0;
    }
    z_stream z = {0};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    size_t bound = deflateBound(&z, (uLong)len);
    int rc = lake__buf_grow(out, bound);
    if (!rc) {
        z.next_in = (Bytef *)(uintptr_t)data;
        z.avail_in = (uInt)len;
        z.next_out = (Bytef *)out->data + out->len;
        z.avail_out = (uInt)bound;
        rc = deflate(&z, Z_FINISH) == Z_STREAM_END ? 0 : -1;
        if (!rc) out->len += z.total_out;
    }
    deflateEnd(&z);
    return rc;
}

/* Output grows in steps, each checked against the limit before it is made. */
static int room(lake__buf *out, size_t want, size_t limit, size_t start) {
    if (out->len - start >= limit) return -1;
    size_t left = limit - (out->len - start);
    return lake__buf_grow(out, want < left ? want : left);
}

int lake__avro_decompress(lake__avro_codec codec, const void *data, size_t len, size_t limit, lake__buf *out) {
    size_t start = out->len;
    if (codec == LAKE__AVRO_CODEC_NULL) return len > limit ? -1 : len ? lake__buf_put(out, data, len) : 0;
    if (codec == LAKE__AVRO_CODEC_ZSTD) {
        ZSTD_DStream *z = ZSTD_createDStream();
        if (!z) return -1;
        ZSTD_inBuffer in = {data, len, 0};
        int rc = 0;
        size_t more = 1;
        while (!rc && (more || in.pos < in.size)) { /* frames may follow one another */
            if ((rc = room(out, 64 << 10, limit, start))) break;
            ZSTD_outBuffer o = {out->data + out->len, out->cap - out->len - 1, 0};
            more = ZSTD_decompressStream(z, &o, &in);
            if (ZSTD_isError(more)) rc = -1;
            out->len += o.pos;
            if (!rc && more && in.pos == in.size && o.pos == 0) rc = -1; /* truncated: it wants input that is not there */
        }
        ZSTD_freeDStream(z);
        if (out->data) out->data[out->len] = 0;
        return rc;
    }
    z_stream z = {0};
    if (inflateInit2(&z, -15) != Z_OK) return -1;
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    int rc = 0, status = Z_OK;
    while (!rc && status != Z_STREAM_END) {
        if ((rc = room(out, 64 << 10, limit, start))) break;
        z.next_out = (Bytef *)out->data + out->len;
        z.avail_out = (uInt)(out->cap - out->len - 1);
        uInt before = z.avail_out;
        status = inflate(&z, Z_NO_FLUSH);
        out->len += before - z.avail_out;
        if (status != Z_OK && status != Z_STREAM_END) rc = -1;
        else if (status == Z_OK && z.avail_in == 0 && before == z.avail_out) rc = -1; /* truncated */
    }
    /* Bytes after the stream's end are left alone: Python's Avro writers cut
     * zlib's framing as [2:-1], which keeps three bytes of its checksum. */
    inflateEnd(&z);
    if (out->data) out->data[out->len] = 0;
    return rc;
}
