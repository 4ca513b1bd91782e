/* SPDX-License-Identifier: MIT */
/* The file and memory backends, through the same contract. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lake_test.h"

static char root[64];
static char file_url[96];

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

static void contract(const char *url) {
    lake_backend *b;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_open(&b, url, &err), &err);
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

static void file_backend_keeps_the_contract(void) {
    contract(file_url);
    /* deletion removed the folders it emptied, and no temporary file is left */
    struct stat st;
    char path[128];
    snprintf(path, sizeof path, "%s/_staging/0190", root);
    CHECK(stat(path, &st) != 0);
    snprintf(path, sizeof path, "%s/_staging/0192", root);
    CHECK(stat(path, &st) != 0);
}

static void memory_backend_keeps_the_contract(void) { contract("memory://test"); }

static void file_backend_is_readable_by_path(void) {
    lake_backend *b;
    CHECK_OK(lake_backend_open(&b, file_url, NULL), NULL);
    CHECK_EQ_STR(lake_backend_local_root(b), root);
    CHECK_OK(put(b, "x/y.txt", "hello"), NULL);
    char path[128];
    snprintf(path, sizeof path, "%s/x/y.txt", root);
    FILE *f = fopen(path, "rb");
    char buf[8] = {0};
    CHECK(f && fread(buf, 1, 8, f) == 5 && !strcmp(buf, "hello"));
    fclose(f);
    lake_backend_free(b);
    lake_backend *m;
    CHECK_OK(lake_backend_open(&m, "memory://x", NULL), NULL);
    CHECK(lake_backend_local_root(m) == NULL);
    lake_backend_free(m);
}

static void rejects_unknown_urls(void) {
    lake_backend *b;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake_backend_open(&b, "ftp://host/x", &err), LAKE_ENOTSUP, &err);
    CHECK_STATUS(lake_backend_open(&b, "file://relative/path", &err), LAKE_EINVAL, &err);
    /* Object-store URLs: their query keys are checked before anything is opened. */
    CHECK_STATUS(lake_backend_open(&b, "s3://lake/x?endpoint=http://h&colour=red", &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "\"colour\" is not an option");
    CHECK_STATUS(lake_backend_open(&b, "s3://lake/x?region", &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "has no value");
    CHECK_STATUS(lake_backend_open(&b, "gs://lake/x?chunk_size=big", &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "chunk_size=big");
    CHECK_STATUS(lake_backend_open(&b, "gs://lake/x?endpoint=http://127.0.0.1:1&chunk_size=1000", &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "multiple of 256 KiB");
    lake_error_clear(&err);
}

typedef struct row {
    int64_t id;
} row;
static const lake_field row_fields[] = {LAKE_FIELD(row, id, "id", "")};
static const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);

static void parquet_parts_stream_into_a_backend(void) {
    const lake_schema *s;
    CHECK_OK(lake_schema_of(&s, &row_model, NULL), NULL);
    lake_backend *b;
    CHECK_OK(lake_backend_open(&b, "memory://parts", NULL), NULL);
    lake_part_sinks sinks;
    CHECK_OK(lake_backend_part_sinks(b, "_staging/0193", &sinks, NULL), NULL);
    lake_parquet_parts_options o = LAKE_PARQUET_PARTS_OPTIONS_INIT;
    o.part_rows = 100;
    lake_parquet_parts *p;
    CHECK_OK(lake_parquet_parts_open(&p, s, &sinks, &o, NULL), NULL);
    row rows[250];
    for (int i = 0; i < 250; i++) rows[i].id = i;
    CHECK_OK(lake_parquet_parts_append(p, rows, 250, NULL), NULL);
    CHECK_OK(lake_parquet_parts_close(p, NULL), NULL);
    lake_parquet_parts_free(p);
    lake_backend_part_sinks_free(&sinks);
    listing l = {{0}, 0};
    CHECK_OK(lake_backend_list(b, "_staging/0193/", note, &l, NULL), NULL);
    CHECK_EQ_INT(l.count, 3);
    CHECK_CONTAINS(l.text, "_staging/0193/part-00003.parquet=");
    char *data;
    size_t len;
    CHECK_OK(lake_backend_get(b, "_staging/0193/part-00001.parquet", &data, &len, NULL), NULL);
    CHECK(len > 12 && !memcmp(data, "PAR1", 4) && !memcmp(data + len - 4, "PAR1", 4));
    lake_free(data);
    lake_backend_free(b);
}

int main(void) {
    snprintf(root, sizeof root, "/tmp/lake_backend_XXXXXX");
    if (!mkdtemp(root)) return 1;
    snprintf(file_url, sizeof file_url, "file://%s", root);
    LAKE_RUN(file_backend_keeps_the_contract);
    LAKE_RUN(memory_backend_keeps_the_contract);
    LAKE_RUN(file_backend_is_readable_by_path);
    LAKE_RUN(rejects_unknown_urls);
    LAKE_RUN(parquet_parts_stream_into_a_backend);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd)) return 1;
    return lake_test_summary();
}
