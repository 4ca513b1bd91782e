/* SPDX-License-Identifier: MIT */
/* KSUID: 4 bytes of seconds since 2014-05-13T16:53:20Z (Unix 1400000000), then
 * 16 random bytes, written as 27 base62 digits (0-9A-Za-z), zero-padded. */
#include <string.h>
#include <time.h>

#include <lakeorm/error.h>
#include <lakeorm/ids.h>

#include "ids/random.h"

enum { EPOCH = 1400000000 };

static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

int lake_ksuid_new(lake_ksuid *out) {
    if (lake__random_bytes(out->b + 4, 16)) return LAKE_EIO;
    uint32_t t = (uint32_t)((int64_t)time(NULL) - EPOCH);
    for (int i = 0; i < 4; i++) out->b[i] = (uint8_t)(t >> (24 - 8 * i));
    return LAKE_OK;
}

void lake_ksuid_format(const lake_ksuid *k, char out[LAKE_KSUID_TEXT_LEN + 1]) {
    uint32_t limb[5]; /* the 160-bit number, most significant limb first */
    for (int i = 0; i < 5; i++)
        limb[i] = (uint32_t)k->b[4 * i] << 24 | (uint32_t)k->b[4 * i + 1] << 16 | (uint32_t)k->b[4 * i + 2] << 8 |
                  k->b[4 * i + 3];
    for (int pos = LAKE_KSUID_TEXT_LEN - 1; pos >= 0; pos--) {
        uint64_t rem = 0;
        for (int i = 0; i < 5; i++) {
            uint64_t cur = rem << 32 | limb[i];
            limb[i] = (uint32_t)(cur / 62);
            rem = cur % 62;
        }
        out[pos] = digits[rem];
    }
    out[LAKE_KSUID_TEXT_LEN] = '\0';
}

static int digit_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    if (c >= 'a' && c <= 'z') return c - 'a' + 36;
    return -1;
}

int lake_ksuid_parse(lake_ksuid *out, const char *text, size_t len) {
    if (!out || !text || len != LAKE_KSUID_TEXT_LEN) return LAKE_EINVAL;
    uint32_t limb[5] = {0};
    for (size_t i = 0; i < len; i++) {
        int d = digit_value(text[i]);
        if (d < 0) return LAKE_EINVAL;
        uint64_t carry = (uint64_t)d;
        for (int k = 4; k >= 0; k--) {
            uint64_t cur = (uint64_t)limb[k] * 62 + carry;
            limb[k] = (uint32_t)cur;
            carry = cur >> 32;
        }
        if (carry) return LAKE_EINVAL; /* above the largest KSUID */
    }
    for (int i = 0; i < 5; i++)
        for (int b = 0; b < 4; b++) out->b[4 * i + b] = (uint8_t)(limb[i] >> (24 - 8 * b));
    return LAKE_OK;
}

int64_t lake_ksuid_unix_seconds(const lake_ksuid *k) {
    uint32_t t = (uint32_t)k->b[0] << 24 | (uint32_t)k->b[1] << 16 | (uint32_t)k->b[2] << 8 | k->b[3];
    return (int64_t)t + EPOCH;
}
