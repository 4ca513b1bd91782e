/* SPDX-License-Identifier: MIT */
/* Fails each allocation in turn: every path must return LAKE_ENOMEM (or
 * succeed) and leak nothing, which the sanitizer and valgrind runs check. */
#include <stdlib.h>

#include "lake_test.h"

static long countdown = -1; /* allocations left before one fails; -1: never */
static long allocations;

static void *failing_malloc(void *ctx, size_t size) {
    (void)ctx;
    allocations++;
    if (countdown == 0) return NULL;
    if (countdown > 0) countdown--;
    return malloc(size);
}
static void *failing_realloc(void *ctx, void *p, size_t old_size, size_t size) {
    (void)ctx;
    (void)old_size;
    allocations++;
    if (countdown == 0) return NULL;
    if (countdown > 0) countdown--;
    return realloc(p, size);
}
static void plain_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

static const char *schema_json =
    "{\"table\":\"t\",\"fields\":[{\"tag\":\"id,pk\",\"type\":\"int64\"},"
    "{\"tag\":\"name\",\"type\":\"string\",\"rules\":\"required,min=2,oneof=ab cd 'e f'\"},"
    "{\"tag\":\"amount,nullable\",\"type\":\"decimal(10,2)\",\"rules\":\"gte=0\"},"
    "{\"tag\":\"inner\",\"type\":\"struct\",\"fields\":[{\"tag\":\"x,nullable\",\"type\":\"string\",\"rules\":\"email\"}]}]}";
static const char *ndjson =
    "{\"id\":1,\"name\":\"ab\",\"amount\":\"1.50\",\"inner\":{\"x\":\"a@b.co\"}}\n"
    "{\"id\":2,\"name\":\"zz\",\"amount\":-1,\"inner\":{\"x\":\"nope\",\"y\":1},\"extra\":\"\\u00e9\"}\n"
    "{\"id\":3,\"name\":\"cd\",\"inner\":{}}\n"
    "not json\n";

/* Runs the whole pipeline once; returns the first status that is not OK or a rejection. */
static int pipeline(void) {
    lake_schema *s = NULL;
    lake_records *recs = NULL;
    lake_error err = LAKE_ERROR_INIT;
    char *text = NULL;
    size_t len;
    int rc = lake_schema_parse(&s, schema_json, strlen(schema_json), &err);
    if (rc) goto done;
    rc = lake_ndjson_decode(&recs, s, ndjson, strlen(ndjson), NULL, &err);
    if (rc == LAKE_EVALIDATION) {
        rc = lake_issues_to_json(err.issues, 0, 100, &text, &len);
        if (rc) goto done;
        rc = lake_validate(s, lake_records_data(recs), lake_records_count(recs), &err);
        if (rc == LAKE_EVALIDATION) rc = LAKE_ERROR; /* good records must validate */
    }
    lake_free(text);
    text = NULL;
    if (rc == LAKE_OK) rc = lake_schema_to_json(s, &text, &len);
done:
    lake_free(text);
    lake_records_free(recs);
    lake_schema_free(s);
    lake_error_clear(&err);
    return rc;
}

static void every_allocation_failure_is_reported(void) {
    lake_allocator a = {failing_malloc, failing_realloc, plain_free, NULL};
    lake_set_allocator(&a);
    countdown = -1;
    allocations = 0;
    int rc = pipeline();
    long total = allocations;
    CHECK_EQ_INT(rc, LAKE_OK);
    CHECK(total > 10);
    for (long n = 0; n < total; n++) {
        countdown = n;
        rc = pipeline();
        if (rc != LAKE_ENOMEM && rc != LAKE_OK) {
            lake_set_allocator(NULL);
            fprintf(stderr, "  failing allocation %ld gave %d\n", n, rc);
            CHECK(!"status after a failed allocation");
        }
    }
    countdown = -1;
    lake_set_allocator(NULL);
}

int main(void) {
    LAKE_RUN(every_allocation_failure_is_reported);
    return lake_test_summary();
}
