/* SPDX-License-Identifier: MIT */
/* Thrift compact and RLE/bit-packed hybrid output, byte for byte. */
#include <stdlib.h>

#include "lake_test.h"
#include "parquet/dictionary.h"
#include "parquet/rle.h"
#include "parquet/thrift.h"

static void check_bytes(const lake__buf *b, const uint8_t *want, size_t n) {
    CHECK_EQ_INT(b->len, n);
    for (size_t i = 0; i < n; i++) {
        if ((uint8_t)b->data[i] != want[i]) {
            fprintf(stderr, "  byte %zu: 0x%02x, want 0x%02x\n", i, (uint8_t)b->data[i], want[i]);
            CHECK(!"bytes differ");
        }
    }
}

static void thrift_fields_use_short_and_long_headers(void) {
    lake__buf b = LAKE__BUF_INIT;
    lake__thrift t;
    lake__thrift_init(&t, &b);
    lake__thrift_i32(&t, 1, 1);           /* delta 1, i32: 0x15, zigzag(1)=2 */
    lake__thrift_list_begin(&t, 2, LAKE__T_I32, 2);
    lake__thrift_elem_i32(&t, 1);
    lake__thrift_elem_i32(&t, -1);
    lake__thrift_i64(&t, 20, -1);         /* delta 18: long form 0x06, zigzag id 40 */
    lake__thrift_struct_begin(&t, 21);    /* delta 1 in the parent */
    lake__thrift_bool(&t, 1, true);
    lake__thrift_string(&t, 2, "ab");
    lake__thrift_struct_end(&t);
    lake__thrift_i64(&t, 22, 300);        /* the parent's last id is still 21 */
    lake__thrift_struct_end(&t);
    static const uint8_t want[] = {0x15, 0x02, 0x19, 0x25, 0x02, 0x01, 0x06, 0x28, 0x01, 0x1C, 0x11,
                                   0x18, 0x02, 'a', 'b', 0x00, 0x16, 0xD8, 0x04, 0x00};
    check_bytes(&b, want, sizeof want);
    lake__buf_dispose(&b);
}

static void thrift_long_lists_carry_their_size(void) {
    lake__buf b = LAKE__BUF_INIT;
    lake__thrift t;
    lake__thrift_init(&t, &b);
    lake__thrift_list_begin(&t, 1, LAKE__T_I32, 20);
    for (int i = 0; i < 20; i++) lake__thrift_elem_i32(&t, 0);
    lake__thrift_struct_end(&t);
    CHECK_EQ_INT((uint8_t)b.data[1], 0xF5);
    CHECK_EQ_INT((uint8_t)b.data[2], 20);
    CHECK_EQ_INT(b.len, 3 + 20 + 1);
    lake__buf_dispose(&b);
}

static void rle_packs_the_spec_example(void) {
    /* Encodings.md: 0..7 at bit width 3 pack to 10001000 11000110 11111010. */
    uint32_t v[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    lake__buf b = LAKE__BUF_INIT;
    CHECK_EQ_INT(lake__rle_encode(&b, v, 8, 3), 0);
    static const uint8_t want[] = {0x03, 0x88, 0xC6, 0xFA};
    check_bytes(&b, want, sizeof want);
    lake__buf_dispose(&b);
}

static void rle_writes_long_runs_as_runs(void) {
    uint32_t v[300];
    for (int i = 0; i < 300; i++) v[i] = i < 200 ? 1 : 0;
    lake__buf b = LAKE__BUF_INIT;
    lake__rle_encode(&b, v, 300, 1);
    static const uint8_t want[] = {0x90, 0x03, 0x01, 0xC8, 0x01, 0x00}; /* 200 x 1, 100 x 0 */
    check_bytes(&b, want, sizeof want);
    lake__buf_dispose(&b);
    CHECK_EQ_INT(lake__bit_width(0), 0);
    CHECK_EQ_INT(lake__bit_width(1), 1);
    CHECK_EQ_INT(lake__bit_width(255), 8);
    CHECK_EQ_INT(lake__bit_width(256), 9);
}

/* A reference decoder written from the spec, for round trips. */
static size_t decode(const uint8_t *p, size_t len, unsigned bw, uint32_t *out, size_t n) {
    size_t i = 0, o = 0;
    while (i < len && o < n) {
        uint64_t h = 0;
        for (unsigned s = 0;; s += 7) {
            h |= (uint64_t)(p[i] & 0x7F) << s;
            if (!(p[i++] & 0x80)) break;
        }
        if (h & 1) {
            size_t count = (h >> 1) * 8;
            for (size_t k = 0; k < count; k++) {
                uint32_t x = 0;
                for (unsigned bit = 0; bit < bw; bit++) {
                    size_t at = k * bw + bit;
                    x |= (uint32_t)(p[i + at / 8] >> (at % 8) & 1) << bit;
                }
                if (o < n) out[o++] = x;
            }
            i += (h >> 1) * bw;
        } else {
            uint32_t x = 0;
            for (unsigned k = 0; k < (bw + 7) / 8; k++) x |= (uint32_t)p[i++] << (8 * k);
            for (size_t k = 0; k < (h >> 1) && o < n; k++) out[o++] = x;
        }
    }
    return o;
}

static void rle_round_trips_random_data(void) {
    srand(7);
    for (int trial = 0; trial < 200; trial++) {
        size_t n = (size_t)(rand() % 2000) + 1;
        unsigned bw = (unsigned)(rand() % 32) + 1;
        uint32_t *v = malloc(n * sizeof *v), *back = malloc(n * sizeof *back);
        uint32_t mask = bw == 32 ? 0xFFFFFFFFu : (1u << bw) - 1;
        for (size_t i = 0; i < n; i++) {
            bool repeat = i && rand() % 3;
            v[i] = repeat ? v[i - 1] : ((uint32_t)rand() * 2654435761u) & mask;
        }
        lake__buf b = LAKE__BUF_INIT;
        lake__rle_encode(&b, v, n, bw);
        size_t got = decode((const uint8_t *)b.data, b.len, bw, back, n);
        bool same = got == n && memcmp(v, back, n * sizeof *v) == 0;
        lake__buf_dispose(&b);
        free(v);
        free(back);
        CHECK(same);
    }
}

static void dictionary_indexes_in_first_seen_order(void) {
    lake__dict d;
    lake__dict_init(&d, true);
    CHECK_EQ_INT(lake__dict_index(&d, "b", 1), 0);
    CHECK_EQ_INT(lake__dict_index(&d, "a", 1), 1);
    CHECK_EQ_INT(lake__dict_index(&d, "b", 1), 0);
    CHECK_EQ_INT(lake__dict_index(&d, "", 0), 2);
    CHECK_EQ_INT(lake__dict_index(&d, "", 0), 2);
    static const uint8_t plain[] = {1, 0, 0, 0, 'b', 1, 0, 0, 0, 'a', 0, 0, 0, 0};
    check_bytes(&d.plain, plain, sizeof plain); /* the dictionary page, PLAIN-encoded */
    lake__dict_reset(&d);
    CHECK_EQ_INT(d.count, 0);
    CHECK_EQ_INT(lake__dict_index(&d, "a", 1), 0);
    lake__dict_dispose(&d);

    lake__dict_init(&d, false);
    int32_t x = 5, y = 7;
    CHECK_EQ_INT(lake__dict_index(&d, &x, 4), 0);
    CHECK_EQ_INT(lake__dict_index(&d, &y, 4), 1);
    CHECK_EQ_INT(lake__dict_index(&d, &x, 4), 0);
    static const uint8_t fixed[] = {5, 0, 0, 0, 7, 0, 0, 0};
    check_bytes(&d.plain, fixed, sizeof fixed);
    for (int64_t i = 0; i < 20000; i++) CHECK_EQ_INT(lake__dict_index(&d, &i, 8), i + 2);
    for (int64_t i = 19999; i >= 0; i--) CHECK_EQ_INT(lake__dict_index(&d, &i, 8), i + 2); /* found after growth */
    lake__dict_dispose(&d);
}

int main(void) {
    LAKE_RUN(thrift_fields_use_short_and_long_headers);
    LAKE_RUN(thrift_long_lists_carry_their_size);
    LAKE_RUN(rle_packs_the_spec_example);
    LAKE_RUN(rle_writes_long_runs_as_runs);
    LAKE_RUN(rle_round_trips_random_data);
    LAKE_RUN(dictionary_indexes_in_first_seen_order);
    return lake_test_summary();
}
