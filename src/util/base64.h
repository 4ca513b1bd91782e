/* SPDX-License-Identifier: MIT */
/* Standard base64 (RFC 4648 section 4) with padding, as JSON carries bytes. */
#ifndef LAKE_UTIL_BASE64_H
#define LAKE_UTIL_BASE64_H

#include <stddef.h>
#include <stdint.h>

static inline size_t lake__base64_decoded_max(size_t len) { return len / 4 * 3; }
/* Strict: length a multiple of 4, padding only at the end, zero unused bits.
 * Returns the decoded length, or (size_t)-1 when the text is not base64. */
size_t lake__base64_decode(const char *s, size_t len, uint8_t *out);
/* Returns the encoded length (4 * ceil(len / 3)); out needs that many bytes. */
size_t lake__base64_encode(const uint8_t *data, size_t len, char *out);

#endif
