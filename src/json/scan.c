/* SPDX-License-Identifier: MIT */
#include "json/scan.h"

#include <string.h>

#include "util/arena.h"
#include "util/utf8.h"

void lake__json_init(lake__json *j, const char *text, size_t len) {
    j->start = j->p = text;
    j->end = text + len;
    j->error = NULL;
    j->error_offset = 0;
    j->oom = false;
}

bool lake__json_fail(lake__json *j, const char *reason) {
    if (!j->error) {
        j->error = reason;
        j->error_offset = (size_t)(j->p - j->start);
    }
    return false;
}

lake__json_kind lake__json_peek(lake__json *j) {
    lake__json_ws(j);
    if (j->p == j->end) return LAKE__J_END;
    switch (*j->p) {
    case '{': return LAKE__J_OBJECT;
    case '[': return LAKE__J_ARRAY;
    case '"': return LAKE__J_STRING;
    case 't': return LAKE__J_TRUE;
    case 'f': return LAKE__J_FALSE;
    case 'n': return LAKE__J_NULL;
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9': return LAKE__J_NUMBER;
    default: return LAKE__J_INVALID;
    }
}

bool lake__json_expect(lake__json *j, char c, const char *reason) {
    lake__json_ws(j);
    if (j->p < j->end && *j->p == c) {
        j->p++;
        return true;
    }
    return lake__json_fail(j, reason);
}

bool lake__json_literal(lake__json *j, lake__json_kind kind) {
    const char *word = kind == LAKE__J_TRUE ? "true" : kind == LAKE__J_FALSE ? "false" : "null";
    size_t n = strlen(word);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
        return lake__json_fail(j, "invalid literal (expected true, false or null)");
    j->p += n;
    return true;
}

/* 0: plain ASCII byte; 1: quote; 2: backslash; 3: control; 4: non-ASCII */
static const unsigned char byte_class[256] = {
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

static int hex4(const char *p) {
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Decodes the escapes of a validated string body into dst; returns its length. */
static bool unescape(lake__json *j, const char *s, const char *e, char *dst, size_t *len) {
    size_t o = 0;
    while (s < e) {
        if (*s != '\\') {
            dst[o++] = *s++;
            continue;
        }
        char c = s[1];
        s += 2;
        switch (c) {
        case '"': dst[o++] = '"'; break;
        case '\\': dst[o++] = '\\'; break;
        case '/': dst[o++] = '/'; break;
        case 'b': dst[o++] = '\b'; break;
        case 'f': dst[o++] = '\f'; break;
        case 'n': dst[o++] = '\n'; break;
        case 'r': dst[o++] = '\r'; break;
        case 't': dst[o++] = '\t'; break;
        default: { /* 'u', checked by the scan */
            uint32_t cp = (uint32_t)hex4(s);
            s += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)hex4(s + 2) - 0xDC00);
                s += 6;
            }
            o += lake__utf8_encode(cp, dst + o);
        }
        }
    }
    (void)j;
    dst[o] = '\0';
    *len = o;
    return true;
}

bool lake__json_string(lake__json *j, lake_arena *arena, const char **out, size_t *len) {
    const char *p = j->p + 1, *end = j->end;
    bool escapes = false;
    for (;;) {
        while (p < end && byte_class[(unsigned char)*p] == 0) p++;
        if (p == end) {
            j->p = p;
            return lake__json_fail(j, "unterminated string");
        }
        unsigned char c = (unsigned char)*p;
        switch (byte_class[c]) {
        case 1: goto done;
        case 2: {
            escapes = true;
            if (p + 1 >= end) {
                j->p = p;
                return lake__json_fail(j, "unterminated string");
            }
            char e = p[1];
            if (e == 'u') {
                int cp = p + 6 <= end ? hex4(p + 2) : -1;
                if (cp < 0) {
                    j->p = p;
                    return lake__json_fail(j, "invalid \\u escape: expected four hex digits");
                }
                if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    j->p = p;
                    return lake__json_fail(j, "lone low surrogate in \\u escape");
                }
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    int lo = p + 12 <= end && p[6] == '\\' && p[7] == 'u' ? hex4(p + 8) : -1;
                    if (lo < 0xDC00 || lo > 0xDFFF) {
                        j->p = p;
                        return lake__json_fail(j, "lone high surrogate in \\u escape");
                    }
                    p += 6;
                }
                p += 6;
            } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                       e == 'r' || e == 't') {
                p += 2;
            } else {
                j->p = p;
                return lake__json_fail(j, "invalid escape sequence in string");
            }
            break;
        }
        case 3:
            j->p = p;
            return lake__json_fail(j, "control character in string (escape it)");
        default: {
            uint32_t cp;
            size_t n = lake__utf8_decode((const unsigned char *)p, (size_t)(end - p), &cp);
            if (!n) {
                j->p = p;
                return lake__json_fail(j, "invalid UTF-8 in string");
            }
            p += n;
        }
        }
    }
done:;
    const char *body = j->p + 1;
    size_t raw = (size_t)(p - body);
    j->p = p + 1;
    if (!escapes) {
        *out = body;
        *len = raw;
        return true;
    }
    if (!arena) {
        *out = NULL;
        *len = 0;
        return true;
    }
    char *dst = lake__arena_alloc(arena, raw + 1, 1); /* escapes never grow text */
    if (!dst) {
        j->oom = true;
        return lake__json_fail(j, "out of memory");
    }
    *out = dst;
    return unescape(j, body, body + raw, dst, len);
}

bool lake__json_number(lake__json *j, lake__json_num *n) {
    const char *p = j->p, *end = j->end;
    n->text = p;
    n->negative = n->fraction = n->exponent = false;
    if (p < end && *p == '-') n->negative = true, p++;
    if (p == end || *p < '0' || *p > '9') {
        j->p = p;
        return lake__json_fail(j, "invalid number");
    }
    if (*p == '0') {
        p++;
        if (p < end && *p >= '0' && *p <= '9') {
            j->p = p;
            return lake__json_fail(j, "invalid number: leading zero");
        }
    } else {
        while (p < end && *p >= '0' && *p <= '9') p++;
    }
    if (p < end && *p == '.') {
        p++;
        n->fraction = true;
        if (p == end || *p < '0' || *p > '9') {
            j->p = p;
            return lake__json_fail(j, "invalid number: digits must follow the decimal point");
        }
        while (p < end && *p >= '0' && *p <= '9') p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        n->exponent = true;
        if (p < end && (*p == '+' || *p == '-')) p++;
        if (p == end || *p < '0' || *p > '9') {
            j->p = p;
            return lake__json_fail(j, "invalid number: digits must follow the exponent");
        }
        while (p < end && *p >= '0' && *p <= '9') p++;
    }
    n->len = (size_t)(p - n->text);
    j->p = p;
    return true;
}

bool lake__json_number_int64(const lake__json_num *n, int64_t *out) {
    if (n->fraction || n->exponent) return false;
    const char *p = n->text + n->negative, *e = n->text + n->len;
    uint64_t v = 0;
    for (; p < e; p++) {
        uint64_t d = (uint64_t)(*p - '0');
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    if (n->negative) {
        if (v > (uint64_t)INT64_MAX + 1) return false;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX) return false;
        *out = (int64_t)v;
    }
    return true;
}

bool lake__json_parse_int64(const char *text, size_t len, int64_t *out) {
    lake__json j;
    lake__json_num n;
    lake__json_init(&j, text, len);
    return lake__json_peek(&j) == LAKE__J_NUMBER && j.p == text && lake__json_number(&j, &n) && j.p == j.end &&
           lake__json_number_int64(&n, out);
}

/* Appends [from, j->p) to out, when there is one. */
static void emit(lake__buf *out, const char *from, const lake__json *j) {
    if (out) lake__buf_put(out, from, (size_t)(j->p - from));
}

bool lake__json_copy(lake__json *j, unsigned max_depth, lake__buf *out) {
    /* Iterative, so hostile nesting cannot exhaust the C stack. */
    unsigned char stack[1024]; /* '{' or '[' per open container */
    unsigned depth = 0;
    if (max_depth > sizeof stack) max_depth = sizeof stack;
    for (;;) {
        /* a value */
        lake__json_kind k = lake__json_peek(j);
        const char *s, *token = j->p;
        size_t len;
        lake__json_num num;
        switch (k) {
        case LAKE__J_OBJECT:
        case LAKE__J_ARRAY:
            if (depth >= max_depth) return lake__json_fail(j, "nesting too deep");
            stack[depth++] = (unsigned char)*j->p++;
            emit(out, token, j);
            lake__json_ws(j);
            if (j->p < j->end && *j->p == (k == LAKE__J_OBJECT ? '}' : ']')) {
                token = j->p++;
                emit(out, token, j);
                depth--;
                break;
            }
            if (k == LAKE__J_OBJECT) {
                if (j->p == j->end || *j->p != '"') return lake__json_fail(j, "expected a key string");
                token = j->p;
                if (!lake__json_string(j, NULL, &s, &len)) return false;
                emit(out, token, j);
                if (!lake__json_expect(j, ':', "expected ':' after key")) return false;
                if (out) lake__buf_putc(out, ':');
            }
            continue;
        case LAKE__J_STRING:
            if (!lake__json_string(j, NULL, &s, &len)) return false;
            break;
        case LAKE__J_NUMBER:
            if (!lake__json_number(j, &num)) return false;
            break;
        case LAKE__J_TRUE:
        case LAKE__J_FALSE:
        case LAKE__J_NULL:
            if (!lake__json_literal(j, k)) return false;
            break;
        case LAKE__J_END: return lake__json_fail(j, "unexpected end of input");
        default: return lake__json_fail(j, "unexpected character");
        }
        if (k != LAKE__J_OBJECT && k != LAKE__J_ARRAY) emit(out, token, j);
        /* after a value: close containers or move to the next element */
        for (;;) {
            if (depth == 0) return true;
            lake__json_ws(j);
            char close = stack[depth - 1] == '{' ? '}' : ']';
            if (j->p < j->end && *j->p == close) {
                token = j->p++;
                emit(out, token, j);
                depth--;
                continue;
            }
            if (j->p < j->end && *j->p == ',') {
                token = j->p++;
                emit(out, token, j);
                if (stack[depth - 1] == '{') {
                    lake__json_ws(j);
                    if (j->p == j->end || *j->p != '"') return lake__json_fail(j, "expected a key string");
                    token = j->p;
                    if (!lake__json_string(j, NULL, &s, &len)) return false;
                    emit(out, token, j);
                    if (!lake__json_expect(j, ':', "expected ':' after key")) return false;
                    if (out) lake__buf_putc(out, ':');
                }
                break;
            }
            return lake__json_fail(j, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
}

bool lake__json_member(lake__json *j, lake_arena *arena, bool *first, const char **key, size_t *key_len) {
    lake__json_ws(j);
    if (*first) {
        *first = false;
        if (!lake__json_expect(j, '{', "expected an object")) return false;
        lake__json_ws(j);
        if (j->p < j->end && *j->p == '}') return j->p++, false;
    } else {
        if (j->p < j->end && *j->p == '}') return j->p++, false;
        if (!lake__json_expect(j, ',', "expected ',' or '}'")) return false;
    }
    if (lake__json_peek(j) != LAKE__J_STRING) return lake__json_fail(j, "expected a key string");
    if (!lake__json_string(j, arena, key, key_len) || !lake__json_expect(j, ':', "expected ':' after key")) return false;
    lake__json_ws(j);
    return true;
}

bool lake__json_at_end(lake__json *j) {
    lake__json_ws(j);
    return j->p == j->end;
}
