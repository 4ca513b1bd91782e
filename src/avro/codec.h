/* SPDX-License-Identifier: MIT */
/* The block codecs of Avro container files: "null", "deflate" (raw RFC 1951
 * data, no zlib or gzip framing) and "zstandard" (one Zstandard frame). */
#ifndef LAKE_AVRO_CODEC_H
#define LAKE_AVRO_CODEC_H

#include "avro/avro.h"

/* Appends data, compressed, to out. 0, or -1 when memory ran out. */
int lake__avro_compress(lake__avro_codec codec, const void *data, size_t len, lake__buf *out);

/* Appends the decompressed block to out, refusing more than `limit` bytes.
 * 0, or -1 when the data is corrupt, too large or memory ran out. */
int lake__avro_decompress(lake__avro_codec codec, const void *data, size_t len, size_t limit, lake__buf *out);

#endif
