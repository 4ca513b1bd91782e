/* SPDX-License-Identifier: MIT */
/* UTF-8 per RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF. */
#ifndef LAKE_UTIL_UTF8_H
#define LAKE_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s[0..len). Returns the bytes it took (1-4), or 0
 * when the bytes there are not valid UTF-8. */
size_t lake__utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* Writes cp (a valid scalar value) to out; returns the byte count (1-4). */
size_t lake__utf8_encode(uint32_t cp, char out[4]);
bool lake__utf8_valid(const char *s, size_t len);
/* Code points in valid UTF-8 text. */
size_t lake__utf8_count(const char *s, size_t len);
/* Whether cp can end a line or change what a reader sees around it: the C0
 * and C1 controls and DEL (a terminal acts on ESC and CSI, goose and editors on
 * CR and LF, some on NEL), the line and paragraph separators, and the
 * bidirectional embedding, override and isolate controls (text shown in another
 * order than it is stored). Names refuse these; printed text escapes them. */
bool lake__utf8_is_control(uint32_t cp);

#endif
