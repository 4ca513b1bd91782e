/* SPDX-License-Identifier: MIT */
/* Page compression: ZSTD frames, raw Snappy blocks, gzip streams (Compression.md). */
#ifndef LAKE_PARQUET_CODEC_H
#define LAKE_PARQUET_CODEC_H

#include <lakeorm/parquet.h>

#include "util/buf.h"

typedef struct lake__codec {
    lake_codec codec;
    int level;
    void *zstd; /* a reused ZSTD_CCtx */
} lake__codec;

int lake__codec_init(lake__codec *c, lake_codec codec, int level);
void lake__codec_dispose(lake__codec *c);
/* Appends the compressed form of data to out. 0, or -1 on failure. */
int lake__codec_compress(lake__codec *c, const void *data, size_t len, lake__buf *out);
/* The same for the concatenation a + b (joined in scratch only when both are non-empty). */
int lake__codec_compress2(lake__codec *c, const void *a, size_t alen, const void *b, size_t blen,
                          lake__buf *scratch, lake__buf *out);

#endif
