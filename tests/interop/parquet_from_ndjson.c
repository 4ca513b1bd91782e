/* SPDX-License-Identifier: MIT */
/* Test tool: decodes NDJSON against a schema file with lakeorm and writes it
 * as Parquet, so Python readers can check every value.
 *
 * usage: parquet_from_ndjson SCHEMA NDJSON OUT [key=value ...]
 *   codec=zstd|snappy|gzip|none  level=N  row_group_bytes=N  page_bytes=N
 *   dictionary_bytes=N  uuid_as_string=1  ingest_id=TEXT  batch=N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s SCHEMA NDJSON OUT [key=value ...]\n", argv[0]);
        return 2;
    }
    lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
    size_t batch = 1000;
    for (int i = 4; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) return fprintf(stderr, "bad option %s\n", argv[i]), 2;
        *eq = '\0';
        const char *k = argv[i], *v = eq + 1;
        if (!strcmp(k, "codec"))
            o.codec = !strcmp(v, "zstd") ? LAKE_CODEC_ZSTD : !strcmp(v, "snappy") ? LAKE_CODEC_SNAPPY
                    : !strcmp(v, "gzip") ? LAKE_CODEC_GZIP : LAKE_CODEC_UNCOMPRESSED;
        else if (!strcmp(k, "level")) o.level = atoi(v);
        else if (!strcmp(k, "row_group_bytes")) o.row_group_bytes = strtoull(v, NULL, 10);
        else if (!strcmp(k, "page_bytes")) o.page_bytes = strtoull(v, NULL, 10);
        else if (!strcmp(k, "dictionary_bytes")) o.dictionary_bytes = strtoull(v, NULL, 10);
        else if (!strcmp(k, "uuid_as_string")) o.uuid_as_string = atoi(v) != 0;
        else if (!strcmp(k, "ingest_id")) o.ingest_id = v;
        else if (!strcmp(k, "batch")) batch = strtoull(v, NULL, 10);
        else return fprintf(stderr, "unknown option %s\n", k), 2;
    }
    lake_error err = LAKE_ERROR_INIT;
    lake_schema *schema;
    if (lake_schema_load(&schema, argv[1], &err)) return fprintf(stderr, "%s\n", err.message), 2;
    FILE *in = fopen(argv[2], "rb");
    if (!in) return perror(argv[2]), 2;
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    rewind(in);
    char *data = malloc((size_t)n + 1);
    if (!data || fread(data, 1, (size_t)n, in) != (size_t)n) return 2;
    fclose(in);
    lake_records *recs;
    int rc = lake_ndjson_decode(&recs, schema, data, (size_t)n, NULL, &err);
    if (rc) {
        const lake_issue *it = lake_issues_get(err.issues, 0);
        fprintf(stderr, "rejected input: %s (line %zu %s)\n", err.message, it ? it->record : 0, it ? it->path : "");
        return 1;
    }
    FILE *out = fopen(argv[3], "wb");
    if (!out) return perror(argv[3]), 2;
    lake_sink sink = lake_sink_stdio(out);
    lake_parquet_writer *w;
    if (lake_parquet_writer_open(&w, schema, &sink, &o, &err)) return fprintf(stderr, "%s\n", err.message), 2;
    const unsigned char *rows = lake_records_data(recs);
    size_t count = lake_records_count(recs), size = lake_schema_record_size(schema);
    for (size_t at = 0; at < count; at += batch) {
        size_t k = count - at < batch ? count - at : batch;
        if (lake_parquet_writer_append(w, rows + at * size, k, &err)) return fprintf(stderr, "%s\n", err.message), 2;
    }
    if (lake_parquet_writer_close(w, &err)) return fprintf(stderr, "%s\n", err.message), 2;
    printf("%llu rows, %llu bytes\n", (unsigned long long)lake_parquet_writer_rows(w),
           (unsigned long long)lake_parquet_writer_bytes(w));
    lake_parquet_writer_free(w);
    fclose(out);
    lake_records_free(recs);
    lake_schema_free(schema);
    free(data);
    return 0;
}
