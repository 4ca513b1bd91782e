/* SPDX-License-Identifier: MIT */
/* The Parquet writer over arbitrary schemas and values: the input bytes pick a
 * schema (types, nullability, a nested struct), writer options and the
 * records' raw contents. Invariants: no crash, no leak, and a file framed by
 * PAR1 whose footer length points inside it. With LAKE_FUZZ_OUT set, each
 * file is also saved there, for tests/interop to read with pyarrow and DuckDB. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

typedef struct input {
    const uint8_t *p;
    size_t n;
} input;

static uint8_t take(input *in) {
    if (!in->n) return 0;
    in->n--;
    return *in->p++;
}

typedef struct memory {
    uint8_t *data;
    size_t len;
} memory;

static int memory_write(void *ctx, const void *data, size_t len, lake_error *err) {
    (void)err;
    memory *m = ctx;
    uint8_t *p = realloc(m->data, m->len + len + 1);
    if (!p) return LAKE_ENOMEM;
    memcpy(p + m->len, data, len);
    m->data = p;
    m->len += len;
    return LAKE_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *types[] = {"bool", "int8", "int16", "int32", "int64", "float32", "float64", "string",
                                  "bytes", "timestamp", "date", "decimal(9,2)", "decimal(18,4)",
                                  "decimal(38,10)", "uuid", "sortable_id"};
    input in = {data, size};
    char json[4096];
    size_t o = (size_t)snprintf(json, sizeof json, "{\"table\":\"f\",\"fields\":[");
    int columns = 1 + take(&in) % 6;
    for (int i = 0; i < columns; i++) {
        uint8_t t = take(&in);
        bool nullable = t & 0x80;
        if ((t & 0x70) == 0x70 && i + 1 < columns) {
            o += (size_t)snprintf(json + o, sizeof json - o,
                                  "%s{\"tag\":\"s%d\",\"type\":\"struct\",\"fields\":[{\"tag\":\"a,nullable\","
                                  "\"type\":\"string\"},{\"tag\":\"b\",\"type\":\"%s\"}]}",
                                  i ? "," : "", i, types[t % 16]);
            continue;
        }
        o += (size_t)snprintf(json + o, sizeof json - o, "%s{\"tag\":\"c%d%s\",\"type\":\"%s\"}", i ? "," : "", i,
                              nullable ? ",nullable" : "", types[t % 16]);
    }
    o += (size_t)snprintf(json + o, sizeof json - o, "]}");
    lake_schema *s;
    if (lake_schema_parse(&s, json, o, NULL)) abort();

    lake_parquet_options opts = LAKE_PARQUET_OPTIONS_INIT;
    uint8_t flags = take(&in);
    static const lake_codec codecs[] = {LAKE_CODEC_ZSTD, LAKE_CODEC_SNAPPY, LAKE_CODEC_GZIP, LAKE_CODEC_UNCOMPRESSED};
    opts.codec = codecs[flags & 3];
    opts.page_bytes = 64 + take(&in) * 16u;
    opts.dictionary_bytes = 16 + take(&in) * 8u;
    opts.row_group_bytes = 256 + take(&in) * 64u;
    opts.uuid_as_string = flags & 4;
    opts.ingest_id = flags & 8 ? "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f" : NULL;

    /* Records from the rest of the input; strings point into a fixed pool, and
     * valid flags and pointers are made legal, since a C struct always is. */
    size_t rsize = lake_schema_record_size(s), rows = in.n / (rsize ? rsize : 1) + 1;
    if (rows > 512) rows = 512;
    unsigned char *records = calloc(rows, rsize);
    static const char pool[] = "lakeorm fuzz \xC3\xA9\xE2\x82\xAC text pool";
    for (size_t r = 0; r < rows; r++) {
        unsigned char *rec = records + r * rsize;
        for (size_t k = 0; k < rsize; k++) rec[k] = take(&in);
        for (size_t c = 0; c < lake_schema_column_count(s); c++) {
            const lake_column *col = lake_schema_column(s, c);
            const lake_schema *sub = col->child ? col->child : NULL;
            size_t base = col->child ? col->offset : 0;
            size_t count = sub ? lake_schema_column_count(sub) : 1;
            for (size_t k = 0; k < count; k++) {
                const lake_column *leaf = sub ? lake_schema_column(sub, k) : col;
                unsigned char *v = rec + base + leaf->offset;
                if (leaf->type == LAKE_STRING || leaf->type == LAKE_BYTES) {
                    lake_str str = {pool + v[0] % 8, v[1] % 12};
                    if (leaf->nullable && (v[2] & 1)) str.ptr = NULL;
                    memcpy(v, &str, sizeof str);
                } else if (leaf->type == LAKE_BOOL) {
                    v[0] &= 1;
                }
                if (leaf->nullable && leaf->type != LAKE_STRING && leaf->type != LAKE_BYTES) {
                    /* the valid flag follows the value in every lake_opt_* */
                    size_t vsize = leaf->type == LAKE_DECIMAL || leaf->type == LAKE_UUID ? 16
                                 : leaf->type == LAKE_SORTABLE_ID ? 20
                                 : leaf->type == LAKE_INT64 || leaf->type == LAKE_FLOAT64 || leaf->type == LAKE_TIMESTAMP ? 8
                                 : leaf->type == LAKE_BOOL || leaf->type == LAKE_INT8 ? 1
                                 : leaf->type == LAKE_INT16 ? 2 : 4;
                    v[vsize] &= 1;
                }
            }
        }
    }
    memory m = {0};
    lake_sink sink = {memory_write, &m};
    lake_parquet_writer *w;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_parquet_writer_open(&w, s, &sink, &opts, &err) == LAKE_OK) {
        int rc = lake_parquet_writer_append(w, records, rows, &err);
        if (rc == LAKE_OK) rc = lake_parquet_writer_close(w, &err);
        if (rc == LAKE_OK) {
            uint32_t footer;
            if (m.len < 12 || memcmp(m.data, "PAR1", 4) || memcmp(m.data + m.len - 4, "PAR1", 4)) abort();
            memcpy(&footer, m.data + m.len - 8, 4);
            if (footer == 0 || footer > m.len - 12) abort();
            const char *dir = getenv("LAKE_FUZZ_OUT");
            if (dir) {
                static unsigned saved;
                char path[4096];
                snprintf(path, sizeof path, "%s/%05u.parquet", dir, saved++);
                FILE *f = fopen(path, "wb");
                if (f) fwrite(m.data, 1, m.len, f), fclose(f);
            }
        } else if (rc != LAKE_ENOMEM) {
            abort();
        }
        lake_parquet_writer_free(w);
    }
    lake_error_clear(&err);
    free(m.data);
    free(records);
    lake_schema_free(s);
    return 0;
}
