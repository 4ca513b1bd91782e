/* SPDX-License-Identifier: MIT */
/* The contract every backend keeps, built in or the user's (backend.h):
 * streamed puts in any chunking, ordered listing by prefix, whole gets,
 * replacement, aborted and unfinished uploads never shown, keys kept inside
 * the backend, prefix deletion, and create-only puts. Included by each
 * backend's test file. */
#ifndef LAKE_BACKEND_CONTRACT_H
#define LAKE_BACKEND_CONTRACT_H

#include "lake_test.h"

static int put(lake_backend *b, const char *key, const char *text) {
    lake_upload *u;
    lake_sink sink;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake_backend_put_begin(b, key, &u, &sink, &err);
    if (rc) return rc;
    size_t n = strlen(text), half = n / 2;
    if ((rc = sink.write(sink.ctx, text, half, &err)) || (rc = sink.write(sink.ctx, text + half, n - half, &err))) {
        lake_backend_put_abort(u);
        return rc;
    }
    return lake_backend_put_commit(u, &err);
}

typedef struct listing {
    char text[2048];
    size_t count;
} listing;

static int note(void *ctx, const char *key, uint64_t size) {
    listing *l = ctx;
    size_t n = strlen(l->text);
    snprintf(l->text + n, sizeof l->text - n, "%s%s=%llu", l->count++ ? " " : "", key, (unsigned long long)size);
    return LAKE_OK;
}

static const char *list(lake_backend *b, const char *prefix) {
    static listing l;
    static lake_error err;
    memset(&l, 0, sizeof l);
    if (lake_backend_list(b, prefix, note, &l, &err)) return err.message;
    return l.text;
}

/* Every backend, built in or the user's, keeps this contract; b is empty on
 * entry, left empty, and freed here. */
static void backend_contract(lake_backend *b, const char *url) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_STR(lake_backend_url(b), url);
    CHECK_OK(put(b, "_staging/0190/part-00002.parquet", "two!"), NULL);
    CHECK_OK(put(b, "_staging/0190/part-00001.parquet", "one"), NULL);
    CHECK_OK(put(b, "_staging/0191/part-00001.parquet", "other"), NULL);
    CHECK_OK(put(b, "tables/key with space \xC3\xA9.txt", "unicode"), NULL);
    CHECK_EQ_STR(list(b, "_staging/0190/"), "_staging/0190/part-00001.parquet=3 _staging/0190/part-00002.parquet=4");
    CHECK_EQ_STR(list(b, "_staging/"), "_staging/0190/part-00001.parquet=3 _staging/0190/part-00002.parquet=4 "
                                        "_staging/0191/part-00001.parquet=5");
    CHECK_EQ_STR(list(b, "tables/key w"), "tables/key with space \xC3\xA9.txt=7");
    CHECK_EQ_STR(list(b, "nothing/"), "");

    char *data;
    size_t len;
    CHECK_OK(lake_backend_get(b, "_staging/0190/part-00002.parquet", &data, &len, &err), &err);
    CHECK(len == 4 && memcmp(data, "two!", 4) == 0);
    lake_free(data);
    CHECK_STATUS(lake_backend_get(b, "_staging/none", &data, &len, &err), LAKE_ENOTFOUND, &err);

    /* A replaced object is whole; an aborted or unfinished one never shows. */
    CHECK_OK(put(b, "_staging/0190/part-00001.parquet", "ONE, longer"), NULL);
    CHECK_EQ_STR(list(b, "_staging/0190/part-00001"), "_staging/0190/part-00001.parquet=11");
    lake_upload *u;
    lake_sink sink;
    CHECK_OK(lake_backend_put_begin(b, "_staging/0192/part-00001.parquet", &u, &sink, &err), &err);
    CHECK_OK(sink.write(sink.ctx, "partial", 7, &err), &err);
    CHECK_EQ_STR(list(b, "_staging/0192"), "");
    lake_backend_put_abort(u);
    CHECK_EQ_STR(list(b, "_staging/0192"), "");

    /* Keys stay inside the backend. */
    static const char *bad[] = {"", "/etc/passwd", "a/../b", "../x", "a//b", "a/./b", "a/"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ_INT(lake_backend_put_begin(b, bad[i], &u, &sink, &err), LAKE_EINVAL);

    size_t deleted;
    CHECK_OK(lake_backend_delete_prefix(b, "_staging/0190/", &deleted, &err), &err);
    CHECK_EQ_INT(deleted, 2);
    CHECK_EQ_STR(list(b, "_staging/"), "_staging/0191/part-00001.parquet=5");
    CHECK_OK(lake_backend_delete_prefix(b, "_staging/0190/", &deleted, &err), &err);
    CHECK_EQ_INT(deleted, 0);

    /* Create-only: the first writer wins, the second is told, the object stays the first's. */
    CHECK_OK(lake_backend_put_if_absent(b, "_log/0.json", "{}", 2, &err), &err);
    CHECK_STATUS(lake_backend_put_if_absent(b, "_log/0.json", "{\"x\":1}", 7, &err), LAKE_ECONFLICT, &err);
    CHECK_OK(lake_backend_get(b, "_log/0.json", &data, &len, &err), &err);
    CHECK(len == 2 && !memcmp(data, "{}", 2));
    lake_free(data);
    CHECK_OK(lake_backend_delete_prefix(b, "_log/", &deleted, &err), &err);
    CHECK_EQ_INT(deleted, 1);
    lake_backend_free(b);
    lake_error_clear(&err);
}

#endif
