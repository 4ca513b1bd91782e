/* SPDX-License-Identifier: MIT */
/* Where an engine elsewhere reads staged parts follows the backend's reach,
 * never its URL's scheme: a network store at its URL (s3:// as the engine
 * names it), a shared folder by its path, and what only this process holds
 * refused, with the URL redacted. */
#include "drivers/staged_remote.h"
#include "lake_test.h"

static int no_put(lake_backend *b, const char *key, void **upload, lake_sink *sink, lake_error *err) {
    (void)b, (void)key, (void)upload, (void)sink;
    return lake_error_set(err, LAKE_ENOTSUP, "not used");
}
static int no_commit(lake_backend *b, void *upload, lake_error *err) {
    (void)b, (void)upload;
    return lake_error_set(err, LAKE_ENOTSUP, "not used");
}
static void no_abort(lake_backend *b, void *upload) { (void)b, (void)upload; }
static int no_get(lake_backend *b, const char *key, lake_sink *out, lake_error *err) {
    (void)b, (void)key, (void)out;
    return lake_error_set(err, LAKE_ENOTSUP, "not used");
}
static int no_list(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err) {
    (void)b, (void)prefix, (void)fn, (void)ctx, (void)err;
    return LAKE_OK;
}
static int no_remove(lake_backend *b, const char *key, lake_error *err) {
    (void)b, (void)key, (void)err;
    return LAKE_OK;
}

static lake_backend *backend(const char *url, const char *local_root, lake_reach reach) {
    lake_backend_ops ops = LAKE_BACKEND_OPS_INIT;
    ops.put_begin = no_put, ops.put_commit = no_commit, ops.put_abort = no_abort;
    ops.get = no_get, ops.list = no_list, ops.remove = no_remove;
    ops.reach = reach;
    lake_backend *b = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_new(&b, &ops, NULL, url, local_root, &err), &err);
    return b;
}

static void location_follows_the_reach(void) {
    lake__staged st;
    lake_error err = LAKE_ERROR_INIT;
    lake_backend *net = backend("abfss://c@acct.dfs.core.windows.net/stage?tier=hot", NULL, LAKE_REACH_NETWORK);
    CHECK_OK(lake__staged_remote(net, "_staging/id", "s3a://", &st, &err), &err);
    CHECK_EQ_STR(st.location, "abfss://c@acct.dfs.core.windows.net/stage/_staging/id");
    CHECK_EQ_STR(st.local_copy, "");
    lake_backend *s3 = backend("s3://bucket/pre/", NULL, LAKE_REACH_NETWORK);
    CHECK_OK(lake__staged_remote(s3, "_staging/id", "s3a://", &st, &err), &err);
    CHECK_EQ_STR(st.location, "s3a://bucket/pre/_staging/id");
    lake_backend *shared = backend("shared://x", "/mnt/shared", LAKE_REACH_PROCESS); /* a local root: MACHINE */
    CHECK_EQ_INT(lake_backend_reach(shared), LAKE_REACH_MACHINE);
    CHECK_OK(lake__staged_remote(shared, "_staging/id", "s3a://", &st, &err), &err);
    CHECK_EQ_STR(st.location, "/mnt/shared/_staging/id");
    lake_backend *mine = backend("hashmap://x?token=s3cret", NULL, LAKE_REACH_PROCESS);
    CHECK_STATUS(lake__staged_remote(mine, "_staging/id", "s3a://", &st, &err), LAKE_ENOTSUP, &err);
    CHECK_CONTAINS(err.message, "which only this process reaches");
    CHECK(strstr(err.message, "s3cret") == NULL);
    lake_backend *memory;
    CHECK_OK(lake_backend_open(&memory, "memory://m", &err), &err);
    CHECK_EQ_INT(lake_backend_reach(memory), LAKE_REACH_PROCESS);
    CHECK_STATUS(lake__staged_remote(memory, "p", "s3a://", &st, &err), LAKE_ENOTSUP, &err);
    lake_backend_free(net);
    lake_backend_free(s3);
    lake_backend_free(shared);
    lake_backend_free(mine);
    lake_backend_free(memory);
    lake_error_clear(&err);
}

int main(void) {
    LAKE_RUN(location_follows_the_reach);
    return lake_test_summary();
}
