/* SPDX-License-Identifier: MIT */
#include "ids/uuid.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "ids/random.h"

enum { COUNTER_BITS = 42 };
#define COUNTER_MAX ((UINT64_C(1) << COUNTER_BITS) - 1)

/* RFC 9562 section 6.2, method 1: a 42-bit counter (12 bits of rand_a and the
 * top 30 bits of rand_b) follows the millisecond. A new millisecond seeds it at
 * random with its top bit clear, leaving room to count; within a millisecond
 * it increments; on overflow, or when the clock steps back, the timestamp
 * advances past the last one so ids only ever increase. */
void lake__uuid7_next(lake__uuid7_state *st, int64_t now_ms, const uint8_t r[10], lake_uuid *out) {
    if (now_ms > st->last_ms) {
        uint64_t seed = 0;
        for (int i = 0; i < 6; i++) seed = seed << 8 | r[i];
        st->last_ms = now_ms;
        st->counter = seed & (COUNTER_MAX >> 1);
    } else if (st->counter < COUNTER_MAX) {
        st->counter++;
    } else {
        st->last_ms++;
        st->counter = 0;
    }
    uint64_t ms = (uint64_t)st->last_ms & 0xFFFFFFFFFFFFu, c = st->counter;
    uint8_t *b = out->b;
    for (int i = 0; i < 6; i++) b[i] = (uint8_t)(ms >> (40 - 8 * i));
    b[6] = (uint8_t)(0x70 | (c >> 38));          /* version 7, counter bits 41..38 */
    b[7] = (uint8_t)(c >> 30);                   /* counter bits 37..30 */
    b[8] = (uint8_t)(0x80 | ((c >> 24) & 0x3F)); /* variant 10, counter bits 29..24 */
    b[9] = (uint8_t)(c >> 16);
    b[10] = (uint8_t)(c >> 8);
    b[11] = (uint8_t)c;
    memcpy(b + 12, r + 6, 4);
}

/* The process-wide generator: the only mutable global of the id module. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static lake__uuid7_state state = {INT64_MIN, 0};

int lake_uuid7_new(lake_uuid *out) {
    uint8_t r[10];
    if (lake__random_bytes(r, sizeof r)) return LAKE_EIO;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    pthread_mutex_lock(&lock);
    lake__uuid7_next(&state, now, r, out);
    pthread_mutex_unlock(&lock);
    return LAKE_OK;
}

void lake_uuid_format(const lake_uuid *u, char out[LAKE_UUID_TEXT_LEN + 1]) {
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
        out[o++] = hex[u->b[i] >> 4];
        out[o++] = hex[u->b[i] & 15];
    }
    out[o] = '\0';
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int lake_uuid_parse(lake_uuid *out, const char *text, size_t len) {
    if (!out || !text || len != LAKE_UUID_TEXT_LEN) return LAKE_EINVAL;
    lake_uuid u;
    size_t k = 0;
    for (size_t i = 0; i < len;) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (text[i++] != '-') return LAKE_EINVAL;
            continue;
        }
        int hi = hexval(text[i]), lo = hexval(text[i + 1]);
        if (hi < 0 || lo < 0) return LAKE_EINVAL;
        u.b[k++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    *out = u;
    return LAKE_OK;
}

int lake_uuid_version(const lake_uuid *u) { return u->b[6] >> 4; }

int64_t lake_uuid7_unix_ms(const lake_uuid *u) {
    if (lake_uuid_version(u) != 7 || (u->b[8] & 0xC0) != 0x80) return -1;
    int64_t ms = 0;
    for (int i = 0; i < 6; i++) ms = ms << 8 | u->b[i];
    return ms;
}
