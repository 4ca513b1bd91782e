/* SPDX-License-Identifier: MIT */
/* UUIDv7 (RFC 9562) and KSUID: vectors, round trips, monotonicity. */
#include <pthread.h>
#include <stdlib.h>

#include "ids/uuid.h"
#include "lake_test.h"

static void uuid7_matches_the_rfc_example(void) {
    /* RFC 9562 appendix A.6: 017F22E2-79B0-7CC3-98C4-DC0C0C07398F, 2022-02-22T19:22:22Z. */
    lake_uuid u;
    CHECK_OK(lake_uuid_parse(&u, "017F22E2-79B0-7CC3-98C4-DC0C0C07398F", 36), NULL);
    CHECK_EQ_INT(lake_uuid_version(&u), 7);
    CHECK_EQ_INT(lake_uuid7_unix_ms(&u), 0x017F22E279B0LL);
    CHECK_EQ_INT(lake_uuid7_unix_ms(&u), 1645557742000LL);
    char text[37];
    lake_uuid_format(&u, text);
    CHECK_EQ_STR(text, "017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
    CHECK_OK(lake_uuid_parse(&u, "f81d4fae-7dec-11d0-a765-00a0c91e6bf6", 36), NULL); /* a v1 */
    CHECK_EQ_INT(lake_uuid_version(&u), 1);
    CHECK_EQ_INT(lake_uuid7_unix_ms(&u), -1);
}

static void uuid_parse_rejects_other_shapes(void) {
    static const char *bad[] = {
        "017f22e279b07cc398c4dc0c0c07398f",     "{017f22e2-79b0-7cc3-98c4-dc0c0c07398f}",
        "017f22e2-79b0-7cc3-98c4-dc0c0c07398",  "017f22e2-79b0-7cc3-98c4-dc0c0c07398fa",
        "017f22e2_79b0-7cc3-98c4-dc0c0c07398f", "017f22e2-79b0-7cc3-98c4-dc0c0c07398g",
        "017f22e-279b0-7cc3-98c4-dc0c0c07398f", "urn:uuid:017f22e2-79b0-7cc3-98c4-dc0",
    };
    lake_uuid u;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ_INT(lake_uuid_parse(&u, bad[i], strlen(bad[i])), LAKE_EINVAL);
}

static void uuid7_layout_and_counter(void) {
    lake__uuid7_state st = {INT64_MIN, 0};
    uint8_t r[10] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xDE, 0xAD, 0xBE, 0xEF};
    lake_uuid a, b;
    lake__uuid7_next(&st, 1645557742000LL, r, &a);
    CHECK_EQ_INT(lake_uuid7_unix_ms(&a), 1645557742000LL);
    CHECK_EQ_INT(a.b[6] >> 4, 7);
    CHECK_EQ_INT(a.b[8] >> 6, 2);
    CHECK_EQ_INT(st.counter, (UINT64_C(1) << 41) - 1); /* seeded with the top bit clear */
    CHECK(memcmp(a.b + 12, "\xDE\xAD\xBE\xEF", 4) == 0);
    lake__uuid7_next(&st, 1645557742000LL, r, &b); /* same millisecond: the counter counts */
    CHECK(memcmp(a.b, b.b, 16) < 0);
    CHECK_EQ_INT(st.counter, UINT64_C(1) << 41);
    lake__uuid7_next(&st, 1645557741000LL, r, &b); /* the clock steps back: still increasing */
    CHECK_EQ_INT(lake_uuid7_unix_ms(&b), 1645557742000LL);
    st.counter = (UINT64_C(1) << 42) - 1; /* the counter is full: borrow the next millisecond */
    lake__uuid7_next(&st, 1645557742000LL, r, &b);
    CHECK_EQ_INT(lake_uuid7_unix_ms(&b), 1645557742001LL);
    CHECK_EQ_INT(st.counter, 0);
}

enum { PER_THREAD = 20000, THREADS = 4 };
static lake_uuid made[THREADS][PER_THREAD];

static void *generate(void *arg) {
    lake_uuid *out = arg;
    for (int i = 0; i < PER_THREAD; i++) lake_uuid7_new(&out[i]);
    return NULL;
}

static int compare(const void *a, const void *b) { return memcmp(a, b, 16); }

static void uuid7_is_monotonic_and_unique_across_threads(void) {
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, generate, made[i]);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < THREADS; i++) {
        for (int k = 1; k < PER_THREAD; k++) CHECK(memcmp(made[i][k - 1].b, made[i][k].b, 16) < 0);
        CHECK_EQ_INT(lake_uuid_version(&made[i][0]), 7);
    }
    lake_uuid *all = malloc(sizeof made);
    memcpy(all, made, sizeof made);
    qsort(all, THREADS * PER_THREAD, sizeof *all, compare);
    bool distinct = true;
    for (int k = 1; k < THREADS * PER_THREAD; k++) distinct &= memcmp(all[k - 1].b, all[k].b, 16) != 0;
    free(all);
    CHECK(distinct);
}

static void ksuid_known_values(void) {
    lake_ksuid k;
    char text[28];
    /* segmentio/ksuid's README example: raw 0669F7EF B5A1CD34..., 2017-10-10T04:00:47Z. */
    CHECK_OK(lake_ksuid_parse(&k, "0ujtsYcgvSTl8PAuAdqWYSMnLOv", 27), NULL);
    static const uint8_t raw[20] = {0x06, 0x69, 0xF7, 0xEF, 0xB5, 0xA1, 0xCD, 0x34, 0xB5, 0xF9,
                                    0x9D, 0x11, 0x54, 0xFB, 0x68, 0x53, 0x34, 0x5C, 0x97, 0x35};
    CHECK(memcmp(k.b, raw, 20) == 0);
    CHECK_EQ_INT(lake_ksuid_unix_seconds(&k), 1507608047);
    lake_ksuid_format(&k, text);
    CHECK_EQ_STR(text, "0ujtsYcgvSTl8PAuAdqWYSMnLOv");
    CHECK_OK(lake_ksuid_parse(&k, "000000000000000000000000000", 27), NULL);
    for (int i = 0; i < 20; i++) CHECK_EQ_INT(k.b[i], 0);
    CHECK_OK(lake_ksuid_parse(&k, "aWgEPTl1tmebfsQzFP4bxwgy80V", 27), NULL);
    for (int i = 0; i < 20; i++) CHECK_EQ_INT(k.b[i], 0xFF);
    lake_ksuid_format(&k, text);
    CHECK_EQ_STR(text, "aWgEPTl1tmebfsQzFP4bxwgy80V");
}

static void ksuid_parse_rejects_bad_text(void) {
    static const char *bad[] = {"0ujtsYcgvSTl8PAuAdqWYSMnLO", "0ujtsYcgvSTl8PAuAdqWYSMnLOvX",
                                "0ujtsYcgvSTl8PAuAdqWYSMnLO-", "aWgEPTl1tmebfsQzFP4bxwgy80W",
                                "zzzzzzzzzzzzzzzzzzzzzzzzzzz"};
    lake_ksuid k;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ_INT(lake_ksuid_parse(&k, bad[i], strlen(bad[i])), LAKE_EINVAL);
}

static void ksuid_new_round_trips(void) {
    for (int i = 0; i < 1000; i++) {
        lake_ksuid k, back;
        char text[28];
        CHECK_OK(lake_ksuid_new(&k), NULL);
        lake_ksuid_format(&k, text);
        CHECK_EQ_INT(strlen(text), 27);
        CHECK_OK(lake_ksuid_parse(&back, text, 27), NULL);
        CHECK(memcmp(k.b, back.b, 20) == 0);
        CHECK(lake_ksuid_unix_seconds(&k) >= 1700000000);
    }
}

int main(void) {
    LAKE_RUN(uuid7_matches_the_rfc_example);
    LAKE_RUN(uuid_parse_rejects_other_shapes);
    LAKE_RUN(uuid7_layout_and_counter);
    LAKE_RUN(uuid7_is_monotonic_and_unique_across_threads);
    LAKE_RUN(ksuid_known_values);
    LAKE_RUN(ksuid_parse_rejects_bad_text);
    LAKE_RUN(ksuid_new_round_trips);
    return lake_test_summary();
}
