/* SPDX-License-Identifier: MIT */
/* Avro container files (src/avro): manifest-like records (Iceberg's field
 * ids, unions with null, maps, arrays of key-value records, fixed, enums,
 * floats) written by lakeorm with every codec and read back value by value
 * by fastavro (tests/avro/fastavro_check.py); files fastavro wrote, in many
 * blocks, read by lakeorm; schemas and damaged files refused with a reason. */
#include <stdlib.h>

#include "avro/avro.h"
#include "lake_test.h"
#include "util/arena.h"

static char dir[64];

static int python(const char *args) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s/avro/fastavro_check.py %s", LAKE_PYTHON, LAKE_TESTS_DIR, args);
    return system(cmd);
}

/* The schema, as the Python side declares it. */
static char *schema_json(void) {
    char path[128], cmd[256];
    snprintf(path, sizeof path, "%s/schema.json", dir);
    snprintf(cmd, sizeof cmd, "schema > %s", path);
    if (python(cmd)) return NULL;
    FILE *f = fopen(path, "rb");
    static char text[8192];
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f) fclose(f);
    text[n] = 0;
    return n ? text : NULL;
}

/* ---- building make(i) of fastavro_check.py */

static lake_arena *arena;

static lake__avro_value *vals(size_t n) {
    lake__avro_value *v = lake__arena_alloc(arena, n * sizeof *v, _Alignof(lake__avro_value));
    memset(v, 0, n * sizeof *v);
    return v;
}
static lake__avro_value v_long(lake__avro_kind k, int64_t x) { return (lake__avro_value){.kind = k, .u.l = x}; }
static lake__avro_value v_bytes(lake__avro_kind k, const void *p, size_t n) {
    return (lake__avro_value){.kind = k, .u.bytes = {p, n}};
}
static lake__avro_value v_text(const char *s) {
    return v_bytes(LAKE__AVRO_STRING, lake__arena_strndup(arena, s, strlen(s)), strlen(s));
}
static lake__avro_value v_union(uint32_t branch, lake__avro_value inner) {
    lake__avro_value *one = vals(1);
    *one = inner;
    return (lake__avro_value){.kind = LAKE__AVRO_UNION, .branch = branch, .u.list = {one, NULL, NULL, 1}};
}
static lake__avro_value v_null_union(void) { return v_union(0, (lake__avro_value){.kind = LAKE__AVRO_NULL}); }
static lake__avro_value v_list(lake__avro_kind k, lake__avro_value *items, size_t n) {
    return (lake__avro_value){.kind = k, .u.list = {items, NULL, NULL, n}};
}

static lake__avro_value make(int i) {
    char path[96];
    snprintf(path, sizeof path, "s3://bucket/data/part-%05d-caf\xC3\xA9.parquet", i);
    lake__avro_value *df = vals(11);
    df[0] = v_text(path);
    df[1] = v_text("PARQUET");
    df[2] = v_long(LAKE__AVRO_LONG, (int64_t)i * 1000 - 7);
    if (i % 5 == 0) {
        df[3] = v_null_union();
    } else {
        size_t n = (size_t)(i % 4);
        lake__avro_value *pairs = vals(n ? n : 1);
        for (size_t k = 0; k < n; k++) {
            lake__avro_value *kv = vals(2);
            kv[0] = v_long(LAKE__AVRO_INT, (int64_t)k + 1);
            kv[1] = v_long(LAKE__AVRO_LONG, ((int64_t)k + 1) * i);
            pairs[k] = v_list(LAKE__AVRO_RECORD, kv, 2);
        }
        df[3] = v_union(1, v_list(LAKE__AVRO_ARRAY, pairs, n));
    }
    if (i % 6 == 0) {
        df[4] = v_null_union();
    } else {
        size_t n = (size_t)(i % 3);
        lake__avro_value *bounds = vals(n ? n : 1);
        const char **keys = lake__arena_alloc(arena, (n ? n : 1) * sizeof *keys, _Alignof(const char *));
        for (size_t k = 0; k < n; k++) {
            char key[24];
            snprintf(key, sizeof key, "%zu", k);
            keys[k] = lake__arena_strndup(arena, key, strlen(key));
            unsigned char *b = lake__arena_alloc(arena, 2, 1);
            b[0] = (unsigned char)k, b[1] = (unsigned char)(i % 256);
            bounds[k] = v_bytes(LAKE__AVRO_BYTES, b, 2);
        }
        lake__avro_value map = v_list(LAKE__AVRO_MAP, bounds, n);
        map.u.list.keys = keys;
        df[4] = v_union(1, map);
    }
    if (i % 2) {
        df[5] = v_null_union();
    } else {
        lake__avro_value *offsets = vals(3);
        offsets[0] = v_long(LAKE__AVRO_LONG, 4);
        offsets[1] = v_long(LAKE__AVRO_LONG, 4 + i);
        offsets[2] = v_long(LAKE__AVRO_LONG, -i);
        df[5] = v_union(1, v_list(LAKE__AVRO_ARRAY, offsets, 3));
    }
    static const unsigned char sixteen[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    df[6] = i % 7 ? v_null_union() : v_union(1, v_bytes(LAKE__AVRO_FIXED, sixteen, 16));
    df[7] = (lake__avro_value){.kind = LAKE__AVRO_ENUM, .branch = i % 9 == 0};
    df[8] = (lake__avro_value){.kind = LAKE__AVRO_FLOAT, .u.d = 0.5 * (i % 8)};
    df[9] = (lake__avro_value){.kind = LAKE__AVRO_DOUBLE, .u.d = i == 3 ? -1.25e300 : i / 3.0};
    df[10] = (lake__avro_value){.kind = LAKE__AVRO_BOOLEAN, .u.b = i % 2 == 0};
    lake__avro_value *entry = vals(3);
    entry[0] = v_long(LAKE__AVRO_INT, i % 3);
    entry[1] = i % 4 == 0 ? v_null_union() : v_union(1, v_long(LAKE__AVRO_LONG, 3051729675574597004LL + i));
    entry[2] = v_list(LAKE__AVRO_RECORD, df, 11);
    return v_list(LAKE__AVRO_RECORD, entry, 3);
}

/* Deep equality of two values of one schema. */
static bool same(const lake__avro_value *a, const lake__avro_value *b) {
    if (a->kind != b->kind || a->branch != b->branch) return false;
    switch (a->kind) {
    case LAKE__AVRO_NULL: case LAKE__AVRO_ENUM: return true;
    case LAKE__AVRO_BOOLEAN: return a->u.b == b->u.b;
    case LAKE__AVRO_INT: case LAKE__AVRO_LONG: return a->u.l == b->u.l;
    case LAKE__AVRO_FLOAT: case LAKE__AVRO_DOUBLE: return a->u.d == b->u.d;
    case LAKE__AVRO_BYTES: case LAKE__AVRO_STRING: case LAKE__AVRO_FIXED:
        return a->u.bytes.len == b->u.bytes.len && (!a->u.bytes.len || !memcmp(a->u.bytes.ptr, b->u.bytes.ptr, a->u.bytes.len));
    default:
        if (a->u.list.count != b->u.list.count) return false;
        for (size_t i = 0; i < a->u.list.count; i++) {
            if (a->kind == LAKE__AVRO_MAP && strcmp(a->u.list.keys[i], b->u.list.keys[i])) return false;
            if (!same(&a->u.list.items[i], &b->u.list.items[i])) return false;
        }
        return true;
    }
}

enum { RECORDS = 3000 }; /* past one 64 KiB block */

static void write_then_read(lake__avro_codec codec, const char *name) {
    const char *schema = schema_json();
    CHECK(schema != NULL);
    if (!schema) return;
    char path[128], expected[128];
    snprintf(path, sizeof path, "%s/lake-%s.avro", dir, name);
    snprintf(expected, sizeof expected, "%s/lake-%s.json", dir, name);
    FILE *fs = fopen(path, "wb");
    lake_sink sink = lake_sink_stdio(fs);
    static const char *const meta[] = {"format-version", "2", "partition-spec", "[{\"name\":\"day\"}]", "content", "data"};
    lake__avro_writer *w;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__avro_writer_open(&w, schema, codec, meta, 3, &sink, &err), &err);
    lake__avro_value *written = malloc(RECORDS * sizeof *written);
    for (int i = 0; i < RECORDS; i++) {
        written[i] = make(i);
        CHECK_OK(lake__avro_writer_append(w, &written[i], &err), &err);
    }
    /* A value that does not fit the schema is refused, naming where, and leaves the file as it was. */
    lake__avro_value wrong = make(1);
    wrong.u.list.items[2].u.list.items[2] = v_text("many");
    CHECK_STATUS(lake__avro_writer_append(w, &wrong, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "/data_file/record_count");
    CHECK_OK(lake__avro_writer_close(w, &err), &err);
    lake__avro_writer_free(w);
    fclose(fs);
    FILE *e = fopen(expected, "w");
    fprintf(e, "{\"count\": %d, \"codec\": \"%s\", \"metadata\": {\"format-version\": \"2\", \"content\": \"data\"}}",
            RECORDS, name);
    fclose(e);
    char args[300];
    snprintf(args, sizeof args, "read %s %s", path, expected);
    CHECK_EQ_INT(python(args), 0);

    /* lakeorm reads back what it wrote. */
    size_t len = 0;
    char *data = lake_test_read_bytes(path, &len);
    lake_arena *a;
    lake_arena_new(&a);
    lake__avro_file f;
    CHECK_OK(lake__avro_read(data, len, a, &f, &err), &err);
    CHECK_EQ_INT(f.record_count, RECORDS);
    CHECK_EQ_STR(lake__avro_file_meta(&f, "partition-spec"), "[{\"name\":\"day\"}]");
    CHECK_EQ_INT(f.schema->fields[2].field_id, 2);
    CHECK_EQ_INT(f.schema->fields[2].type->fields[4].type->branches[1]->key_id, 126);
    CHECK_EQ_INT(f.schema->fields[2].type->fields[5].type->branches[1]->element_id, 133);
    for (size_t i = 0; i < f.record_count && i < RECORDS; i++)
        if (!same(&f.records[i], &written[i])) LAKE_FAIL_AT("record %zu read back differs", i);
    const lake__avro_value *df = lake__avro_field_value(f.schema, &f.records[7], "data_file");
    CHECK(df && lake__avro_field_value(f.schema->fields[2].type, df, "record_count")->u.l == 6993);
    lake_arena_free(a);
    free(data);
    free(written);
    lake_error_clear(&err);
}

static void lakeorm_writes_what_fastavro_reads_null(void) { write_then_read(LAKE__AVRO_CODEC_NULL, "null"); }
static void lakeorm_writes_what_fastavro_reads_deflate(void) { write_then_read(LAKE__AVRO_CODEC_DEFLATE, "deflate"); }
static void lakeorm_writes_what_fastavro_reads_zstd(void) { write_then_read(LAKE__AVRO_CODEC_ZSTD, "zstandard"); }

static void lakeorm_reads_what_fastavro_writes(void) {
    static const char *const codecs[] = {"null", "deflate", "zstandard"};
    for (size_t c = 0; c < 3; c++) {
        char path[128], args[256];
        snprintf(path, sizeof path, "%s/fastavro-%s.avro", dir, codecs[c]);
        snprintf(args, sizeof args, "write %s %s %d", path, codecs[c], RECORDS);
        CHECK_EQ_INT(python(args), 0);
        size_t len = 0;
        char *data = lake_test_read_bytes(path, &len);
        CHECK(data != NULL);
        if (!data) continue;
        lake_arena *a;
        lake_arena_new(&a);
        lake__avro_file f;
        lake_error err = LAKE_ERROR_INIT;
        CHECK_OK(lake__avro_read(data, len, a, &f, &err), &err);
        CHECK_EQ_INT(f.record_count, RECORDS);
        CHECK_EQ_STR(lake__avro_file_meta(&f, "content"), "data");
        for (size_t i = 0; i < f.record_count && i < RECORDS; i++) {
            lake__avro_value want = make((int)i);
            if (!same(&f.records[i], &want)) LAKE_FAIL_AT("%s: record %zu differs from make(%zu)", codecs[c], i, i);
        }

        /* Every cut of the file is refused with a reason, never read past its end. */
        size_t cuts[] = {0, 3, 4, 20, len / 2, len - 17, len - 1};
        for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++) {
            char *cut = malloc(cuts[k] + 1);
            memcpy(cut, data, cuts[k]);
            lake_arena_reset(a);
            CHECK_STATUS(lake__avro_read(cut, cuts[k], a, &f, &err), LAKE_EIO, &err);
            CHECK_CONTAINS(err.message, "malformed Avro file");
            free(cut);
        }
        /* A damaged sync marker names itself. */
        data[len - 1] ^= 0x40;
        lake_arena_reset(a);
        CHECK_STATUS(lake__avro_read(data, len, a, &f, &err), LAKE_EIO, &err);
        CHECK_CONTAINS(err.message, "sync marker");
        lake_arena_free(a);
        free(data);
        lake_error_clear(&err);
    }
}

static void bad_schemas_are_refused_with_a_reason(void) {
    static const struct {
        const char *json, *why;
    } cases[] = {
        {"{\"type\":\"record\",\"name\":\"r\"}", "no fields"},
        {"{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"nope\"}]}", "unknown type nope"},
        {"{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"a\",\"type\":\"int\"}]}",
         "field a twice"},
        {"[\"null\",\"null\"]", "same type twice"},
        {"[\"int\",[\"long\"]]", "holds a union"},
        {"{\"type\":\"enum\",\"name\":\"e\",\"symbols\":[]}", "no symbols"},
        {"{\"type\":\"fixed\",\"name\":\"f\",\"size\":-1}", "size is out of range"},
        {"{\"type\":\"array\"}", "no item type"},
        {"{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"int\",\"field-id\":\"x\"}]}", "field-id"},
        {"\"int\" 1", "more text"},
        {"{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"} {\"name\":\"b\",\"type\":\"int\"}]}",
         "not valid JSON"},
    };
    lake_arena *a;
    lake_arena_new(&a);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const lake__avro_schema *s;
        lake_error err = LAKE_ERROR_INIT;
        CHECK_STATUS(lake__avro_schema_parse(cases[i].json, strlen(cases[i].json), a, &s, &err), LAKE_ESCHEMA, &err);
        CHECK_CONTAINS(err.message, cases[i].why);
        lake_error_clear(&err);
    }
    /* A recursive record (a linked list) is fine: its name is known inside it. */
    const char *list = "{\"type\":\"record\",\"name\":\"node\",\"namespace\":\"x\",\"fields\":[{\"name\":\"v\",\"type\":\"long\"},"
                       "{\"name\":\"next\",\"type\":[\"null\",\"node\"]}]}";
    const lake__avro_schema *s;
    CHECK_OK(lake__avro_schema_parse(list, strlen(list), a, &s, NULL), NULL);
    CHECK_EQ_STR(s->name, "x.node");
    CHECK(s->fields[1].type->branches[1] == s);
    lake_arena_free(a);
}

/* Hostile counts and lengths: refused before anything is allocated for them. */
static void hostile_counts_are_refused(void) {
    lake_arena *a;
    lake_arena_new(&a);
    lake__avro_file f;
    lake_error err = LAKE_ERROR_INIT;
    /* header: magic, a metadata map claiming 2^62 entries */
    unsigned char huge_map[] = {'O', 'b', 'j', 1, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
    CHECK_STATUS(lake__avro_read(huge_map, sizeof huge_map, a, &f, &err), LAKE_EIO, &err);
    CHECK_CONTAINS(err.message, "more items than its bytes");
    /* a number of eleven bytes */
    unsigned char long_number[] = {'O', 'b', 'j', 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
    CHECK_STATUS(lake__avro_read(long_number, sizeof long_number, a, &f, &err), LAKE_EIO, &err);
    CHECK_CONTAINS(err.message, "too long");
    /* an array of nulls claiming 2^40 items in a handful of bytes */
    lake__buf file = LAKE__BUF_INIT;
    const char *schema = "{\"type\":\"array\",\"items\":\"null\"}";
    lake__buf_put(&file, "Obj\x01\x02\x16" "avro.schema", 17);
    lake__buf_putc(&file, (char)(2 * strlen(schema)));
    lake__buf_puts(&file, schema);
    lake__buf_putc(&file, 0);
    lake__buf_put(&file, "0123456789abcdef", 16);
    /* one block of one record: the array's count 2^40 zigzagged, then 0 */
    unsigned char block[] = {0x02, 0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0x00};
    block[1] = (unsigned char)(2 * 7);
    lake__buf_put(&file, block, 2);
    lake__buf_put(&file, block + 2, 7);
    lake__buf_put(&file, "0123456789abcdef", 16);
    CHECK_STATUS(lake__avro_read(file.data, file.len, a, &f, &err), LAKE_EIO, &err);
    CHECK_CONTAINS(err.message, "more items than its bytes");
    lake__buf_dispose(&file);
    lake_arena_free(a);
    lake_error_clear(&err);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/lake-avro-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    lake_arena_new(&arena);
    LAKE_RUN(lakeorm_writes_what_fastavro_reads_null);
    LAKE_RUN(lakeorm_writes_what_fastavro_reads_deflate);
    LAKE_RUN(lakeorm_writes_what_fastavro_reads_zstd);
    LAKE_RUN(lakeorm_reads_what_fastavro_writes);
    LAKE_RUN(bad_schemas_are_refused_with_a_reason);
    LAKE_RUN(hostile_counts_are_refused);
    lake_arena_free(arena);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) fprintf(stderr, "could not remove %s\n", dir);
    return lake_test_summary();
}
