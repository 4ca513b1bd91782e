/* SPDX-License-Identifier: MIT */
/* The Parquet writer over arbitrary schemas and values: the input bytes pick a
 * schema (types, nullability, structs, lists and maps nested three deep,
 * json), writer options and the records' raw contents, including list
 * lengths and NULL lists, elements and structs. Invariants: no crash, no leak, and a file framed by
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

static const char *const types[] = {"bool", "int8", "int16", "int32", "int64", "float32", "float64", "string",
                                    "bytes", "timestamp", "date", "decimal(9,2)", "decimal(18,4)",
                                    "decimal(38,10)", "uuid", "sortable_id"};

typedef struct text {
    char data[16384];
    size_t len;
} text;

static void put(text *t, const char *s) {
    size_t n = strlen(s);
    if (t->len + n >= sizeof t->data) abort(); /* the generator's bounds keep it far below */
    memcpy(t->data + t->len, s, n + 1);
    t->len += n;
}

static void gen_fields(text *t, input *in, const char *prefix, int count, int depth);

/* One field of a random type: a scalar, json, or below depth 3 a struct,
 * list or map whose elements are scalars, structs or lists of scalars, each
 * nullable or not. */
static void gen_field(text *t, input *in, const char *name, int depth) {
    uint8_t b = take(in), e = take(in);
    int kind = depth < 3 ? (b >> 4) & 7 : 0;
    char buf[160];
    const char *scalar = types[b % 16], *inner = types[e % 16];
    snprintf(buf, sizeof buf, "{\"tag\":\"%s%s\",\"type\":\"", name, b & 0x80 ? ",nullable" : "");
    put(t, buf);
    bool members = false;
    switch (kind) {
    case 4: put(t, "struct"), members = true; break;
    case 5:
    case 6: {
        const char *open = kind == 5 ? "list<" : "map<string,";
        switch (e >> 6) {
        case 0: snprintf(buf, sizeof buf, "%s%s%s>", open, inner, e & 0x20 ? "?" : ""); break;
        case 1: snprintf(buf, sizeof buf, "%sstruct>", open), members = true; break;
        case 2: snprintf(buf, sizeof buf, "%slist<%s%s>>", open, inner, e & 0x20 ? "?" : ""); break;
        default: snprintf(buf, sizeof buf, "%sjson%s>", open, e & 0x20 ? "?" : ""); break;
        }
        put(t, buf);
        break;
    }
    case 7: put(t, "json"); break;
    default: put(t, scalar);
    }
    put(t, "\"");
    if (members) {
        put(t, ",\"fields\":[");
        gen_fields(t, in, name, 1 + take(in) % 3, depth + 1);
        put(t, "]");
    }
    put(t, "}");
}

static void gen_fields(text *t, input *in, const char *prefix, int count, int depth) {
    for (int i = 0; i < count; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s_%d", prefix, i);
        if (i) put(t, ",");
        gen_field(t, in, name, depth);
    }
}

/* Memory handed out for nested values, freed after the run. */
typedef struct blocks {
    void **ptr;
    size_t len, cap;
} blocks;

static void *block(blocks *b, size_t n) {
    if (b->len == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 64;
        if (!(b->ptr = realloc(b->ptr, b->cap * sizeof *b->ptr))) abort();
    }
    void *p = calloc(1, n ? n : 1);
    if (!p) abort();
    return b->ptr[b->len++] = p;
}

typedef struct filler {
    input *in;
    blocks mem;
    bool refusals; /* let non-nullable strings and lists be NULL now and then */
} filler;

static void legalize(filler *f, const lake_schema *s, unsigned char *rec);

/* `n` records of schema s from the input, made legal. */
static unsigned char *records_of(filler *f, const lake_schema *s, size_t n) {
    size_t size = lake_schema_record_size(s);
    unsigned char *p = block(&f->mem, n * size);
    for (size_t k = 0; k < n * size; k++) p[k] = take(f->in);
    for (size_t r = 0; r < n; r++) legalize(f, s, p + r * size);
    return p;
}

/* Valid flags and pointers made legal, since a C struct always is: strings
 * point into fixed pools, structs and elements into fresh blocks. */
static void legalize(filler *f, const lake_schema *s, unsigned char *rec) {
    static const char pool[] = "lakeorm fuzz \xC3\xA9\xE2\x82\xAC text pool";
    static const char *const json[] = {"null", "1", "\"s\"", "[1,{\"a\":[]}]", "{\"k\":true}"};
    for (size_t c = 0; c < lake_schema_column_count(s); c++) {
        const lake_column *col = lake_schema_column(s, c);
        unsigned char *v = rec + col->offset;
        uint8_t bits = take(f->in); /* a value may be a single byte: its NULL-ness comes from the input */
        bool null = bits & 1, refused = f->refusals && (bits & 0x70) == 0;
        switch (col->type) {
        case LAKE_STRING: case LAKE_BYTES: case LAKE_JSON: {
            lake_str str = {pool + v[0] % 8, v[1] % 12};
            /* text stays UTF-8 (readers check it): a slice of the ASCII head, or the whole pool */
            if (col->type == LAKE_STRING) str.len = v[1] & 0x80 ? sizeof pool - 1 : v[1] % (13 - v[0] % 8);
            if (col->type == LAKE_STRING && v[1] & 0x80) str.ptr = pool;
            if (col->type == LAKE_JSON) str.ptr = json[v[0] % 5], str.len = strlen(str.ptr);
            if ((col->nullable && null) || refused) str.ptr = NULL;
            memcpy(v, &str, sizeof str);
            continue;
        }
        case LAKE_STRUCT:
            if (!col->nullable) {
                legalize(f, col->child, v);
            } else {
                void *p = null ? NULL : records_of(f, col->child, 1);
                memcpy(v, &p, sizeof p);
            }
            continue;
        case LAKE_LIST: case LAKE_MAP: {
            struct { void *ptr; size_t len; } view = {NULL, v[0] % 5};
            if (!(col->nullable && null) && !refused) view.ptr = records_of(f, col->child, view.len);
            else view.len = 0;
            /* a map's keys are unique (types.h): the k-th entry's key is "k" */
            for (size_t k = 0; col->type == LAKE_MAP && k < view.len; k++) {
                lake_str key = {&"01234"[k], 1};
                memcpy((unsigned char *)view.ptr + k * lake_schema_record_size(col->child), &key, sizeof key);
            }
            memcpy(v, &view, sizeof view);
            continue;
        }
        case LAKE_BOOL: v[0] &= 1; break;
        default: break;
        }
        if (col->nullable) {
            /* the valid flag follows the value in every lake_opt_* */
            size_t vsize = col->type == LAKE_DECIMAL || col->type == LAKE_UUID ? 16
                         : col->type == LAKE_SORTABLE_ID ? 20
                         : col->type == LAKE_INT64 || col->type == LAKE_FLOAT64 || col->type == LAKE_TIMESTAMP ? 8
                         : col->type == LAKE_BOOL || col->type == LAKE_INT8 ? 1
                         : col->type == LAKE_INT16 ? 2 : 4;
            v[vsize] &= 1;
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    input in = {data, size};
    static text json;
    json.len = 0;
    put(&json, "{\"table\":\"f\",\"fields\":[");
    gen_fields(&json, &in, "c", 1 + take(&in) % 6, 0);
    put(&json, "]}");
    lake_schema *s;
    if (lake_schema_parse(&s, json.data, json.len, NULL)) abort();

    lake_parquet_options opts = LAKE_PARQUET_OPTIONS_INIT;
    uint8_t flags = take(&in);
    static const lake_codec codecs[] = {LAKE_CODEC_ZSTD, LAKE_CODEC_SNAPPY, LAKE_CODEC_GZIP, LAKE_CODEC_UNCOMPRESSED};
    opts.codec = codecs[flags & 3];
    opts.page_bytes = 64 + take(&in) * 16u;
    opts.dictionary_bytes = 16 + take(&in) * 8u;
    opts.row_group_bytes = 256 + take(&in) * 64u;
    opts.uuid_as_string = flags & 4;
    opts.ingest_id = flags & 8 ? "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f" : NULL;

    /* Records from the rest of the input. */
    filler fill = {&in, {NULL, 0, 0}, flags & 16};
    size_t rsize = lake_schema_record_size(s), rows = in.n / (rsize ? rsize : 1) + 1;
    if (rows > 512) rows = 512;
    unsigned char *records = records_of(&fill, s, rows);
    memory m = {0};
    lake_sink sink = {memory_write, &m};
    lake_parquet_writer *w;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_parquet_writer_open(&w, s, &sink, &opts, &err) == LAKE_OK) {
        int rc = lake_parquet_writer_append(w, records, rows, &err);
        /* a refused NULL leaves the writer as it was: it still closes */
        if (rc == LAKE_EVALIDATION && (!fill.refusals || lake_parquet_writer_rows(w) != 0)) abort();
        if (rc == LAKE_OK || rc == LAKE_EVALIDATION) rc = lake_parquet_writer_close(w, &err);
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
    for (size_t i = 0; i < fill.mem.len; i++) free(fill.mem.ptr[i]);
    free(fill.mem.ptr);
    lake_schema_free(s);
    return 0;
}
