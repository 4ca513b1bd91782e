/* SPDX-License-Identifier: MIT */
#include "util/base64.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int value(unsigned char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

size_t lake__base64_decode(const char *s, size_t len, uint8_t *out) {
    if (len % 4) return (size_t)-1;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 4) {
        int v[4], pad = 0;
        for (int k = 0; k < 4; k++) {
            unsigned char c = (unsigned char)s[i + k];
            if (c == '=' && i + 4 == len && k >= 2) {
                v[k] = 0;
                pad++;
                continue;
            }
            if (pad) return (size_t)-1; /* data after padding */
            if ((v[k] = value(c)) < 0) return (size_t)-1;
        }
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        if ((pad == 1 && (w & 0xFF)) || (pad == 2 && (w & 0xFFFF))) return (size_t)-1;
        out[o++] = (uint8_t)(w >> 16);
        if (pad < 2) out[o++] = (uint8_t)(w >> 8);
        if (pad < 1) out[o++] = (uint8_t)w;
    }
    return o;
}

size_t lake__base64_encode(const uint8_t *d, size_t len, char *out) {
    size_t o = 0, i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t w = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];
        out[o++] = alphabet[w >> 18];
        out[o++] = alphabet[(w >> 12) & 63];
        out[o++] = alphabet[(w >> 6) & 63];
        out[o++] = alphabet[w & 63];
    }
    if (i < len) {
        uint32_t w = (uint32_t)d[i] << 16 | (i + 1 < len ? (uint32_t)d[i + 1] << 8 : 0);
        out[o++] = alphabet[w >> 18];
        out[o++] = alphabet[(w >> 12) & 63];
        out[o++] = i + 1 < len ? alphabet[(w >> 6) & 63] : '=';
        out[o++] = '=';
    }
    return o;
}
