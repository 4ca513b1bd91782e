/* SPDX-License-Identifier: MIT */
/* The file and memory backends, through the same contract. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend_contract.h"

static char root[64];
static char file_url[96];

static void contract(const char *url) {
    lake_backend *b;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_open(&b, url, &err), &err);
    backend_contract(b, url);
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
#ifdef LAKE_WITH_S3
    CHECK_STATUS(lake_backend_open(&b, "s3://lake/x?endpoint=http://h&colour=red", &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "\"colour\" is not an option");
    CHECK_STATUS(lake_backend_open(&b, "s3://lake/x?region", &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "has no value");
#else
    CHECK_STATUS(lake_backend_open(&b, "s3://lake/x", &err), LAKE_ENOTSUP, &err);
    CHECK_CONTAINS(err.message, "built without LAKE_WITH_S3");
#endif
#ifdef LAKE_WITH_GCS
    CHECK_STATUS(lake_backend_open(&b, "gs://lake/x?chunk_size=big", &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "chunk_size=big");
    CHECK_STATUS(lake_backend_open(&b, "gs://lake/x?endpoint=http://127.0.0.1:1&chunk_size=1000", &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "multiple of 256 KiB");
#else
    CHECK_STATUS(lake_backend_open(&b, "gs://lake/x", &err), LAKE_ENOTSUP, &err);
    CHECK_CONTAINS(err.message, "built without LAKE_WITH_GCS");
#endif
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
