/* SPDX-License-Identifier: MIT */
/* String formats behind the text validation rules, with go-playground/
 * validator v10's semantics. Inputs are valid UTF-8, not NUL-terminated. */
#ifndef LAKE_VALIDATE_FORMATS_H
#define LAKE_VALIDATE_FORMATS_H

#include <stdbool.h>
#include <stddef.h>

bool lake__is_email(const char *s, size_t len);
bool lake__is_uuid(const char *s, size_t len);  /* lowercase canonical */
bool lake__is_uuid4(const char *s, size_t len);
bool lake__is_url(const char *s, size_t len);   /* Go url.Parse + scheme + host/fragment/opaque */
bool lake__is_uri(const char *s, size_t len);   /* Go url.ParseRequestURI */
bool lake__is_alpha(const char *s, size_t len);
bool lake__is_alphanum(const char *s, size_t len);
bool lake__is_numeric(const char *s, size_t len);
bool lake__is_hexadecimal(const char *s, size_t len);
bool lake__is_lowercase(const char *s, size_t len);
bool lake__is_uppercase(const char *s, size_t len);
bool lake__is_ip(const char *s, size_t len);
bool lake__is_ipv4(const char *s, size_t len);
bool lake__is_ipv6(const char *s, size_t len);
bool lake__is_e164(const char *s, size_t len);
bool lake__contains(const char *s, size_t len, const char *needle, size_t needle_len);
bool lake__has_prefix(const char *s, size_t len, const char *prefix, size_t prefix_len);
bool lake__has_suffix(const char *s, size_t len, const char *suffix, size_t suffix_len);

/* Go's time.Parse(layout, s) succeeds (datetime_layout.c). */
bool lake__matches_go_layout(const char *layout, size_t layout_len, const char *s, size_t len);
/* The layout holds at least one Go layout element. */
bool lake__go_layout_valid(const char *layout, size_t len);

#endif
