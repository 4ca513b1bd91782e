/* SPDX-License-Identifier: MIT */
#include "validate/formats.h"

#include <arpa/inet.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <wctype.h>

#include "util/utf8.h"

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_alpha_c(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_hex(unsigned char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* The non-ASCII ranges go-playground's email pattern allows. */
static bool is_ucs(uint32_t cp) {
    return (cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xF900 && cp <= 0xFDCF) || (cp >= 0xFDF0 && cp <= 0xFFEF);
}

/* Reads one code point; returns its length (input is valid UTF-8). */
static size_t next_cp(const char *s, size_t len, size_t i, uint32_t *cp) {
    size_t n = lake__utf8_decode((const unsigned char *)s + i, len - i, cp);
    return n ? n : 1;
}

/* ---- email */

static bool atext(uint32_t c) {
    return (c < 0x80 && (is_alpha_c((unsigned char)c) || is_digit((unsigned char)c) ||
                         (c && strchr("!#$%&'*+-/=?^_`{|}~", (int)c)))) || is_ucs(c);
}

static bool local_dot_atom(const char *s, size_t len) {
    bool need_char = true; /* at the start and after each dot */
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t n = next_cp(s, len, i, &c);
        if (c == '.') {
            if (need_char) return false;
            need_char = true;
        } else if (atext(c)) {
            need_char = false;
        } else {
            return false;
        }
        i += n;
    }
    return !need_char;
}

static bool local_quoted(const char *s, size_t len) {
    if (len < 2 || s[0] != '"' || s[len - 1] != '"') return false;
    for (size_t i = 1; i < len - 1;) {
        uint32_t c;
        size_t n = next_cp(s, len - 1, i, &c);
        if (c == '\\') {
            if (i + 1 >= len - 1) return false;
            i += 1;
            n = next_cp(s, len - 1, i, &c);
            if (!(c >= 0x01 && c <= 0x7F && c != '\n') && !is_ucs(c)) return false;
        } else if (!((c >= 0x01 && c <= 0x7F && c != '"' && c != '\\' && c != '\n' && c != '\r') ||
                     c == '\r' || is_ucs(c))) {
            return false;
        }
        i += n;
    }
    return true;
}

/* label chars [alnum - . ~ ucs]; see docs/validation.md for the domain shape */
static int domain_class(uint32_t c) {
    bool letter = (c < 0x80 && is_alpha_c((unsigned char)c)) || is_ucs(c);
    if (letter) return 3;                           /* may start, end and be the TLD's ends */
    if (c < 0x80 && is_digit((unsigned char)c)) return 2; /* may start and end a label */
    if (c == '-' || c == '.' || c == '~') return 1; /* inside only */
    return 0;
}

bool lake__is_email(const char *s, size_t len) {
    size_t at;
    if (len && s[0] == '"') {
        size_t q = 1;
        while (q < len && s[q] != '"') q += s[q] == '\\' ? 2 : 1;
        if (q >= len || q + 1 >= len || s[q + 1] != '@') return false;
        at = q + 1;
        if (!local_quoted(s, at)) return false;
    } else {
        const char *p = memchr(s, '@', len);
        if (!p) return false;
        at = (size_t)(p - s);
        if (!local_dot_atom(s, at)) return false;
    }
    const char *d = s + at + 1;
    size_t dl = len - at - 1;
    if (dl && d[dl - 1] == '.') dl--; /* one optional trailing dot */
    if (dl < 3) return false;
    /* Decode the domain once into classes. */
    int cls[256];
    uint32_t cps[256];
    size_t n = 0;
    for (size_t i = 0; i < dl;) {
        uint32_t c;
        size_t k = next_cp(d, dl, i, &c);
        if (n == 256) return false;
        cps[n] = c;
        if (!(cls[n++] = domain_class(c))) return false;
        i += k;
    }
    /* (label ".")+ tld: starts with a letter/digit, ends with a letter, and some
     * dot sits between a letter/digit and a letter. */
    if (cls[0] < 2 || cls[n - 1] != 3) return false;
    for (size_t k = 1; k + 1 < n; k++)
        if (cps[k] == '.' && cls[k - 1] >= 2 && cls[k + 1] == 3) return true;
    return false;
}

/* ---- uuids */

static bool uuid_shape(const char *s, size_t len) {
    if (len != 36) return false;
    for (size_t i = 0; i < 36; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!is_digit(c) && !(c >= 'a' && c <= 'f')) {
            return false;
        }
    }
    return true;
}

bool lake__is_uuid(const char *s, size_t len) { return uuid_shape(s, len); }

bool lake__is_uuid4(const char *s, size_t len) {
    return uuid_shape(s, len) && s[14] == '4' && strchr("89ab", s[19]);
}

/* ---- urls, as Go's net/url parses them */

static bool valid_escapes(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] == '%' && (i + 2 >= len || !is_hex((unsigned char)s[i + 1]) || !is_hex((unsigned char)s[i + 2])))
            return false;
    return true;
}

static bool valid_host(const char *h, size_t len) {
    size_t port_at = len;
    if (len && h[0] == '[') {
        const char *close = memchr(h, ']', len);
        if (!close) return false;
        size_t end = (size_t)(close - h);
        char ip[64];
        size_t iplen = end - 1;
        const char *zone = memchr(h + 1, '%', iplen);
        if (zone) iplen = (size_t)(zone - h - 1);
        if (iplen >= sizeof ip) return false;
        memcpy(ip, h + 1, iplen);
        ip[iplen] = '\0';
        unsigned char buf[16];
        if (inet_pton(AF_INET6, ip, buf) != 1) return false;
        if (end + 1 < len && h[end + 1] != ':') return false;
        port_at = end + 1;
    } else {
        const char *colon = memrchr(h, ':', len); /* Go: the port follows the last colon */
        if (colon) port_at = (size_t)(colon - h);
        for (size_t i = 0; i < port_at; i++) {
            unsigned char c = (unsigned char)h[i];
            if (c >= 0x80 || is_alpha_c(c) || is_digit(c)) continue;
            if (!strchr("-_.~!$&'()*+,;=:[]<>\"%", c)) return false; /* Go: invalid character in host name */
        }
        if (!valid_escapes(h, port_at)) return false;
    }
    for (size_t i = port_at + 1; i < len; i++)
        if (!is_digit((unsigned char)h[i])) return false;
    return true;
}

typedef struct url_parts {
    bool scheme, host, opaque, fragment;
} url_parts;

static bool go_url_parse(const char *s, size_t len, bool via_request, url_parts *u) {
    memset(u, 0, sizeof *u);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F) return false;
    if (!via_request) {
        const char *hash = memchr(s, '#', len);
        if (hash) {
            size_t at = (size_t)(hash - s);
            u->fragment = at + 1 < len;
            if (!valid_escapes(hash + 1, len - at - 1)) return false;
            len = at;
        }
    }
    if (len == 0) return !via_request;
    size_t rest = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_alpha_c(c)) continue;
        if ((is_digit(c) || c == '+' || c == '-' || c == '.') && i > 0) continue;
        if (c == ':') {
            if (i == 0) return false; /* missing protocol scheme */
            u->scheme = true;
            rest = i + 1;
        }
        break;
    }
    const char *r = s + rest;
    size_t rl = len - rest;
    const char *q = memchr(r, '?', rl);
    if (q) rl = (size_t)(q - r);
    if (u->scheme && (rl == 0 || r[0] != '/')) {
        u->opaque = rl > 0;
        return true;
    }
    if (!u->scheme && (rl == 0 || r[0] != '/')) {
        if (via_request) return false;
        const char *colon = memchr(r, ':', rl), *slash = memchr(r, '/', rl);
        if (colon && (!slash || colon < slash)) return false; /* first path segment has a colon */
    }
    if ((u->scheme || !via_request) && rl >= 2 && r[0] == '/' && r[1] == '/' &&
        (u->scheme || via_request || rl < 3 || r[2] != '/')) {
        const char *auth = r + 2;
        size_t al = rl - 2;
        const char *slash = memchr(auth, '/', al);
        size_t alen = slash ? (size_t)(slash - auth) : al;
        const char *at = NULL;
        for (size_t i = alen; i-- > 0;)
            if (auth[i] == '@') {
                at = auth + i;
                break;
            }
        if (at) {
            for (const char *p = auth; p < at; p++)
                if (!is_alpha_c((unsigned char)*p) && !is_digit((unsigned char)*p) && !strchr("-._:~!$&'()*+,;=%@", *p))
                    return false;
            alen -= (size_t)(at + 1 - auth);
            auth = at + 1;
        }
        if (!valid_host(auth, alen)) return false;
        u->host = alen > 0;
        r = auth + alen;
        rl = (size_t)(s + len - r);
        if (q) rl = (size_t)(q - r);
    }
    return valid_escapes(r, rl);
}

bool lake__is_url(const char *s, size_t len) {
    char lower[8];
    if (len == 0) return false;
    size_t n = len < 6 ? len : 6;
    for (size_t i = 0; i < n; i++) lower[i] = (char)(s[i] | (is_alpha_c((unsigned char)s[i]) ? 0x20 : 0));
    url_parts u;
    bool ok = go_url_parse(s, len, false, &u);
    if (n == 6 && memcmp(lower, "file:/", 6) == 0) return ok;
    return ok && u.scheme && (u.host || u.fragment || u.opaque);
}

bool lake__is_uri(const char *s, size_t len) {
    const char *hash = memchr(s, '#', len); /* browsers drop the fragment first */
    if (hash) len = (size_t)(hash - s);
    url_parts u;
    return len > 0 && go_url_parse(s, len, true, &u);
}

/* ---- character classes */

bool lake__is_alpha(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (!is_alpha_c((unsigned char)s[i])) return false;
    return len > 0;
}

bool lake__is_alphanum(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (!is_alpha_c((unsigned char)s[i]) && !is_digit((unsigned char)s[i])) return false;
    return len > 0;
}

bool lake__is_numeric(const char *s, size_t len) {
    size_t i = 0;
    if (i < len && (s[i] == '-' || s[i] == '+')) i++;
    size_t start = i;
    while (i < len && is_digit((unsigned char)s[i])) i++;
    if (i == start) return false;
    if (i < len && s[i] == '.') {
        size_t f = ++i;
        while (i < len && is_digit((unsigned char)s[i])) i++;
        if (i == f) return false;
    }
    return i == len;
}

bool lake__is_hexadecimal(const char *s, size_t len) {
    size_t i = len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 2 : 0;
    if (i == len) return false;
    for (; i < len; i++)
        if (!is_hex((unsigned char)s[i])) return false;
    return true;
}

static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;
static locale_t utf8_locale;

static void make_locale(void) {
    utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* Unchanged by Unicode case mapping (towlower/towupper under C.UTF-8). */
static bool case_stable(const char *s, size_t len, bool lower) {
    if (len == 0) return false;
    pthread_once(&utf8_once, make_locale);
    for (size_t i = 0; i < len;) {
        uint32_t c;
        i += next_cp(s, len, i, &c);
        if (c < 0x80) {
            if (lower ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z')) return false;
        } else if (utf8_locale) {
            wint_t m = lower ? towlower_l((wint_t)c, utf8_locale) : towupper_l((wint_t)c, utf8_locale);
            if (m != (wint_t)c) return false;
        }
    }
    return true;
}

bool lake__is_lowercase(const char *s, size_t len) { return case_stable(s, len, true); }
bool lake__is_uppercase(const char *s, size_t len) { return case_stable(s, len, false); }

static bool pton(int af, const char *s, size_t len) {
    char buf[64];
    unsigned char out[16];
    if (len == 0 || len >= sizeof buf || memchr(s, '\0', len)) return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return inet_pton(af, buf, out) == 1;
}

bool lake__is_ipv4(const char *s, size_t len) { return pton(AF_INET, s, len); }
bool lake__is_ipv6(const char *s, size_t len) { return memchr(s, ':', len) && pton(AF_INET6, s, len); }
bool lake__is_ip(const char *s, size_t len) { return lake__is_ipv4(s, len) || lake__is_ipv6(s, len); }

bool lake__is_e164(const char *s, size_t len) {
    if (len < 8 || s[0] != '+') return false;
    size_t digits = len - 1;
    for (size_t i = 1; i < len; i++)
        if (!is_digit((unsigned char)s[i])) return false;
    /* ^\+[1-9]?[0-9]{7,14}$ */
    if (s[1] != '0') return digits >= 7 && digits <= 15;
    return digits >= 7 && digits <= 14;
}

bool lake__contains(const char *s, size_t len, const char *needle, size_t nlen) {
    return nlen == 0 || (nlen <= len && memmem(s, len, needle, nlen) != NULL);
}

bool lake__has_prefix(const char *s, size_t len, const char *p, size_t plen) {
    return plen <= len && memcmp(s, p, plen) == 0;
}

bool lake__has_suffix(const char *s, size_t len, const char *p, size_t plen) {
    return plen <= len && memcmp(s + len - plen, p, plen) == 0;
}
