/* SPDX-License-Identifier: MIT */
#include "parquet/codec.h"

#include <snappy-c.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

int lake__codec_init(lake__codec *c, lake_codec codec, int level) {
    memset(c, 0, sizeof *c);
    c->codec = codec;
    switch (codec) {
    case LAKE_CODEC_ZSTD:
        c->level = level ? level : 3;
        if (c->level < ZSTD_minCLevel() || c->level > ZSTD_maxCLevel()) return -1;
        if (!(c->zstd = ZSTD_createCCtx())) return -1;
        return ZSTD_isError(ZSTD_CCtx_setParameter(c->zstd, ZSTD_c_compressionLevel, c->level)) ? -1 : 0;
    case LAKE_CODEC_GZIP:
        c->level = level ? level : 6;
        return c->level >= 1 && c->level <= 9 ? 0 : -1;
    case LAKE_CODEC_SNAPPY:
    case LAKE_CODEC_UNCOMPRESSED: return level ? -1 : 0;
    }
    return -1;
}

void lake__codec_dispose(lake__codec *c) {
    if (c->zstd) ZSTD_freeCCtx(c->zstd);
    c->zstd = NULL;
}

static int gzip(int level, const void *data, size_t len, lake__buf *out) {
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
    size_t bound = deflateBound(&z, (uLong)len);
    if (lake__buf_grow(out, bound)) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out->data + out->len;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    size_t n = bound - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) return -1;
    out->len += n;
    return 0;
}

int lake__codec_compress(lake__codec *c, const void *data, size_t len, lake__buf *out) {
    switch (c->codec) {
    case LAKE_CODEC_UNCOMPRESSED: return lake__buf_put(out, data, len);
    case LAKE_CODEC_ZSTD: {
        size_t bound = ZSTD_compressBound(len);
        if (lake__buf_grow(out, bound)) return -1;
        size_t n = ZSTD_compress2(c->zstd, out->data + out->len, bound, data, len);
        if (ZSTD_isError(n)) return -1;
        out->len += n;
        return 0;
    }
    case LAKE_CODEC_SNAPPY: {
        size_t n = snappy_max_compressed_length(len);
        if (lake__buf_grow(out, n)) return -1;
        if (snappy_compress(data, len, out->data + out->len, &n) != SNAPPY_OK) return -1;
        out->len += n;
        return 0;
    }
    case LAKE_CODEC_GZIP: return gzip(c->level, data, len, out);
    }
    return -1;
}

int lake__codec_compress2(lake__codec *c, const void *a, size_t alen, const void *b, size_t blen,
                          lake__buf *scratch, lake__buf *out) {
    /* One-shot compression of a single buffer is the fast path (zstd's streaming
     * mode copies its input into a window first), so join only when both parts
     * are non-empty: definition levels followed by PLAIN values. */
    if (alen == 0) return lake__codec_compress(c, b, blen, out);
    if (blen == 0) return lake__codec_compress(c, a, alen, out);
    if (c->codec == LAKE_CODEC_UNCOMPRESSED) return lake__buf_put(out, a, alen) || lake__buf_put(out, b, blen) ? -1 : 0;
    scratch->len = 0;
    if (lake__buf_put(scratch, a, alen) || lake__buf_put(scratch, b, blen)) return -1;
    return lake__codec_compress(c, scratch->data, scratch->len, out);
}
