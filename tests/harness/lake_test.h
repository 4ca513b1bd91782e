/* SPDX-License-Identifier: MIT */
/* A small assertion harness: each test file is one CTest executable whose main
 * runs its cases with LAKE_RUN and ends with lake_test_summary(), printing
 * "N passed, N failed". A failed check reports and ends its case only. */
#ifndef LAKE_TEST_H
#define LAKE_TEST_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

static int lake_test_passed, lake_test_failed, lake_test_case_failed;
static jmp_buf lake_test_jump;

#define LAKE_FAIL_AT(...)                                                   \
    do {                                                                    \
        fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                   \
        fprintf(stderr, __VA_ARGS__);                                       \
        fputc('\n', stderr);                                                \
        lake_test_case_failed = 1;                                          \
        longjmp(lake_test_jump, 1);                                         \
    } while (0)

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) LAKE_FAIL_AT("CHECK(%s) failed", #cond);               \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                  \
    do {                                                                    \
        long long lake_a_ = (long long)(a), lake_b_ = (long long)(b);       \
        if (lake_a_ != lake_b_)                                             \
            LAKE_FAIL_AT("%s == %lld, expected %s == %lld", #a, lake_a_, #b, lake_b_); \
    } while (0)

#define CHECK_EQ_STR(a, b)                                                  \
    do {                                                                    \
        const char *lake_a_ = (a), *lake_b_ = (b);                          \
        if (!lake_a_ || !lake_b_ || strcmp(lake_a_, lake_b_) != 0)          \
            LAKE_FAIL_AT("%s == \"%s\", expected \"%s\"", #a,               \
                         lake_a_ ? lake_a_ : "(null)", lake_b_ ? lake_b_ : "(null)"); \
    } while (0)

#define CHECK_CONTAINS(haystack, needle)                                    \
    do {                                                                    \
        const char *lake_h_ = (haystack), *lake_n_ = (needle);              \
        if (!lake_h_ || !strstr(lake_h_, lake_n_))                          \
            LAKE_FAIL_AT("%s == \"%s\" does not contain \"%s\"", #haystack, \
                         lake_h_ ? lake_h_ : "(null)", lake_n_);            \
    } while (0)

static inline const char *lake_test_message(const lake_error *err) { return err ? err->message : ""; }

/* Checks a status and prints the error's message when it is not the one expected. */
#define CHECK_STATUS(expr, expected, errp)                                  \
    do {                                                                    \
        int lake_rc_ = (expr);                                              \
        if (lake_rc_ != (expected))                                         \
            LAKE_FAIL_AT("%s returned %d (%s), expected %s: %s", #expr, lake_rc_, \
                         lake_strerror(lake_rc_), #expected,                \
                         lake_test_message(errp));                          \
    } while (0)

#define CHECK_OK(expr, errp) CHECK_STATUS(expr, LAKE_OK, errp)

#define LAKE_RUN(fn)                                                        \
    do {                                                                    \
        lake_test_case_failed = 0;                                          \
        if (setjmp(lake_test_jump) == 0) fn();                              \
        if (lake_test_case_failed) {                                        \
            lake_test_failed++;                                             \
            fprintf(stderr, "FAIL %s\n", #fn);                              \
        } else {                                                            \
            lake_test_passed++;                                             \
            printf("ok   %s\n", #fn);                                       \
        }                                                                   \
    } while (0)

/* A whole file, NUL-terminated (binary files may hold NULs: *len says how
 * long), for the caller to free; NULL when unreadable. */
static inline char *lake_test_read_bytes(const char *path, size_t *len) {
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) n = 0;
    if (s) s[n] = 0, *len = (size_t)n;
    fclose(f);
    return s;
}

static inline char *lake_test_read_file(const char *path) {
    size_t len;
    return lake_test_read_bytes(path, &len);
}

/* Whether tests/spark/server.sh left word that the Spark suite is skipped
 * (no Java); such tests return 77, CTest's skip code here. */
static inline int lake_test_spark_skipped(const char *state) {
    char path[4096];
    snprintf(path, sizeof path, "%s/skipped", state ? state : "");
    FILE *f = state ? fopen(path, "r") : NULL;
    if (!f) return 0;
    fclose(f);
    fprintf(stderr, "SKIPPED: the Spark suite needs Java 17 (see %s)\n", path);
    return 1;
}

static inline int lake_test_summary(void) {
    printf("%d passed, %d failed\n", lake_test_passed, lake_test_failed);
    return lake_test_failed ? 1 : 0;
}

#endif
