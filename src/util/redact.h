/* SPDX-License-Identifier: MIT */
/* Credentials out of anything printed: the one rule every error message, log
 * line and metric applies to a URL or a piece of one (docs/backends.md,
 * "Credentials"). */
#ifndef LAKE_UTIL_REDACT_H
#define LAKE_UTIL_REDACT_H

#include <stdbool.h>
#include <stddef.h>

/* Whether a URL query or connection-string key names a credential: its name
 * holds secret, token, key, pass, pwd, cred, sig, auth or bearer (any case),
 * or starts with X-Amz- or X-Goog- (presigned URLs). */
bool lake__redact_secret_key(const char *key, size_t len);

/* Copies text into out (cap bytes, always NUL-terminated, cut when longer)
 * with every credential replaced by "***": after each "://", everything up to
 * the last '@' before the address ends ('?', '#', '&', ';', a quote, a blank
 * or the end), and the value of every key=value item whose key is a
 * credential. Returns out, so it can be an argument of a format. */
const char *lake__redact(const char *text, char *out, size_t cap);

#endif
