/* SPDX-License-Identifier: MIT */
/* A model's Delta schema: the schemaString text, read back by our parser
 * and by delta-rs (tests/delta/log_read_schema.py) from a table whose log
 * lakeorm rendered. */
#include <sys/stat.h>
#include <unistd.h>

#include "formats/delta/delta.h"
#include "lake_test.h"
#include "nested_event.h"
#include "util/alloc.h"

typedef struct every {
    bool b;
    lake_opt_i8 i8;
    int16_t i16;
    lake_opt_i32 i32;
    int64_t i64;
    float f32;
    lake_opt_f64 f64;
    lake_str s;
    lake_str s_null;
    lake_bytes by;
    lake_ts ts;
    lake_opt_date d;
    lake_dec128 dec;
    lake_opt_dec128 dec_null;
    lake_opt_uuid u;
    lake_ksuid k;
    lake_json j;
    lake_map_i64 counts;
} every;
static const lake_field every_fields[] = {
    LAKE_FIELD(every, b, "b", ""),
    LAKE_FIELD(every, i8, "i8", ""),
    LAKE_FIELD(every, i16, "i16", ""),
    LAKE_FIELD(every, i32, "i32", ""),
    LAKE_FIELD(every, i64, "i64,pk", ""),
    LAKE_FIELD(every, f32, "f32", ""),
    LAKE_FIELD(every, f64, "f64", ""),
    LAKE_FIELD(every, s, "s", ""),
    LAKE_FIELD(every, s_null, "s_null,nullable", ""),
    LAKE_FIELD(every, by, "by", ""),
    LAKE_FIELD(every, ts, "ts", ""),
    LAKE_FIELD(every, d, "d,partition=identity", ""),
    LAKE_DECIMAL(every, dec, 38, 9, "dec", ""),
    LAKE_DECIMAL(every, dec_null, 5, 0, "dec_null", ""),
    LAKE_FIELD(every, u, "u", ""),
    LAKE_FIELD(every, k, "k", ""),
    LAKE_FIELD(every, j, "j,nullable", ""),
    LAKE_MAP(every, counts, "counts,nullable", ""),
};
static const lake_model every_model = LAKE_MODEL(every, "every", every_fields);

#define FIELD(name, type, nullable) "{\"name\":\"" name "\",\"type\":" type ",\"nullable\":" nullable ",\"metadata\":{}}"

static void renders_spark_struct_type(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &every_model, &err), &err);
    lake__buf b = LAKE__BUF_INIT;
    CHECK_EQ_INT(lake__delta_schema_json(&b, s), 0);
    CHECK_EQ_STR(b.data,
                 "{\"type\":\"struct\",\"fields\":[" FIELD("b", "\"boolean\"", "false") ","
                 FIELD("i8", "\"byte\"", "true") "," FIELD("i16", "\"short\"", "false") ","
                 FIELD("i32", "\"integer\"", "true") "," FIELD("i64", "\"long\"", "false") ","
                 FIELD("f32", "\"float\"", "false") "," FIELD("f64", "\"double\"", "true") ","
                 FIELD("s", "\"string\"", "false") "," FIELD("s_null", "\"string\"", "true") ","
                 FIELD("by", "\"binary\"", "false") "," FIELD("ts", "\"timestamp\"", "false") ","
                 FIELD("d", "\"date\"", "true") "," FIELD("dec", "\"decimal(38,9)\"", "false") ","
                 FIELD("dec_null", "\"decimal(5,0)\"", "true") "," FIELD("u", "\"string\"", "true") ","
                 FIELD("k", "\"string\"", "false") "," FIELD("j", "\"string\"", "true") ","
                 FIELD("counts", "{\"type\":\"map\",\"keyType\":\"string\",\"valueType\":\"long\","
                                 "\"valueContainsNull\":false}", "true") ","
                 FIELD("_ingest_id", "\"string\"", "true") "]}");
    lake__buf_dispose(&b);
}

static void nests_lists_structs_and_maps(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &event_model, &err), &err);
    lake__buf b = LAKE__BUF_INIT;
    CHECK_EQ_INT(lake__delta_column_type_json(&b, lake_schema_find(s, "items")), 0);
    CHECK_EQ_STR(b.data, "{\"type\":\"array\",\"elementType\":{\"type\":\"struct\",\"fields\":["
                         FIELD("sku", "\"string\"", "false") "," FIELD("qty", "\"integer\"", "false") ","
                         FIELD("price", "\"decimal(10,2)\"", "false") ","
                         FIELD("tags", "{\"type\":\"array\",\"elementType\":\"string\",\"containsNull\":false}",
                               "false") "]},\"containsNull\":false}");
    b.len = 0;
    CHECK_EQ_INT(lake__delta_column_type_json(&b, lake_schema_find(s, "notes")), 0);
    CHECK_EQ_STR(b.data, "{\"type\":\"array\",\"elementType\":\"string\",\"containsNull\":true}");
    b.len = 0;
    CHECK_EQ_INT(lake__delta_column_type_json(&b, lake_schema_find(s, "labels")), 0);
    CHECK_EQ_STR(b.data, "{\"type\":\"map\",\"keyType\":\"string\",\"valueType\":{\"type\":\"array\",\"elementType\":"
                         "\"string\",\"containsNull\":false},\"valueContainsNull\":false}");
    lake__buf_dispose(&b);
}

static void parses_a_schema_string(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    lake_arena *arena;
    CHECK_OK(lake_schema_of(&s, &event_model, &err), &err);
    CHECK_OK(lake_arena_new(&arena), NULL);
    lake__buf b = LAKE__BUF_INIT, items = LAKE__BUF_INIT;
    CHECK_EQ_INT(lake__delta_schema_json(&b, s), 0);
    const char *parts[] = {"kind"};
    lake__delta_metadata m = {.partition_columns = parts, .partition_count = 1};
    lake__delta_column *cols;
    size_t n;
    CHECK_OK(lake__delta_schema_parse(b.data, &m, arena, &cols, &n, &err), &err);
    CHECK_EQ_INT(n, lake_schema_column_count(s) + 1);
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        CHECK_EQ_STR(cols[i].name, c->name);
        CHECK_EQ_INT(cols[i].nullable, c->nullable);
        CHECK_EQ_INT(cols[i].partition, !strcmp(c->name, "kind"));
        items.len = 0;
        CHECK_EQ_INT(lake__delta_column_type_json(&items, c), 0);
        CHECK_EQ_STR(cols[i].type_json, items.data);
    }
    CHECK_EQ_STR(cols[n - 1].name, "_ingest_id");
    CHECK_EQ_STR(cols[n - 1].type_json, "\"string\"");
    CHECK(cols[n - 1].nullable && !cols[n - 1].partition);

    /* Spark's own spelling: escapes in names, metadata with content, members in another order. */
    const char *spark = "{\"fields\":[{\"metadata\":{\"comment\":\"x\",\"delta.invariants\":\"{}\"},\"nullable\":false,"
                        "\"type\":{\"type\":\"struct\",\"fields\":[]},\"name\":\"a\\u00e9\\\"b\"}],\"type\":\"struct\"}";
    CHECK_OK(lake__delta_schema_parse(spark, NULL, arena, &cols, &n, &err), &err);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_STR(cols[0].name, "a\xc3\xa9\"b");
    CHECK_EQ_STR(cols[0].type_json, "{\"type\":\"struct\",\"fields\":[]}");
    CHECK(!cols[0].nullable);

    CHECK_OK(lake__delta_schema_parse("{\"type\":\"struct\",\"fields\":[]}", NULL, arena, &cols, &n, &err), &err);
    CHECK_EQ_INT(n, 0);
    const char *twice = "{\"type\":\"struct\",\"fields\":[" FIELD("a", "\"long\"", "true") "],\"fields\":["
                        FIELD("b", "\"long\"", "true") "," FIELD("c", "\"date\"", "false") "]}";
    CHECK_OK(lake__delta_schema_parse(twice, NULL, arena, &cols, &n, &err), &err);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_STR(cols[1].name, "c");
    lake__buf_dispose(&items);
    lake__buf_dispose(&b);
    lake_arena_free(arena);
}

static void refuses_malformed_schema_strings(void) {
    const char *bad[] = {
        "", "[]", "{\"type\":\"array\",\"fields\":[]}", "{\"type\":\"struct\"}",
        "{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"}]}",
        "{\"type\":\"struct\",\"fields\":[{\"name\":1,\"type\":\"long\",\"nullable\":true}]}",
        "{\"type\":\"struct\",\"fields\":[]} x", "{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":",
    };
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        lake_error err = LAKE_ERROR_INIT;
        lake__delta_column *cols;
        size_t n;
        CHECK_STATUS(lake__delta_schema_parse(bad[i], NULL, arena, &cols, &n, &err), LAKE_EIO, &err);
        CHECK_CONTAINS(err.message, "malformed Delta schemaString");
    }
    /* Every proper prefix of a real schema. */
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &event_model, &err), &err);
    lake__buf b = LAKE__BUF_INIT;
    CHECK_EQ_INT(lake__delta_schema_json(&b, s), 0);
    for (size_t len = 0; len < b.len; len++) {
        char *cut = lake__strndup(b.data, len);
        lake__delta_column *cols;
        size_t n;
        int rc = lake__delta_schema_parse(cut, NULL, arena, &cols, &n, &err);
        lake__free(cut);
        CHECK_STATUS(rc, LAKE_EIO, &err);
        lake_arena_reset(arena);
    }
    lake__buf_dispose(&b);
    lake_arena_free(arena);
}

/* Writes version 0 of an empty table of schema s under dir: what lakeorm's create commits. */
static void write_version_0(const char *dir, const lake_schema *s) {
    lake__buf log = LAKE__BUF_INIT, schema = LAKE__BUF_INIT;
    CHECK_EQ_INT(lake__delta_schema_json(&schema, s), 0);
    lake__delta_lakeorm_info info = {NULL, NULL, NULL, lake_schema_table(s)};
    CHECK_EQ_INT(lake__delta_render_commit_info(&log, 1700000000000, "CREATE TABLE", NULL, -1, true, &info), 0);
    lake__delta_protocol p = {1, 2, NULL, NULL, 0, 0};
    CHECK_EQ_INT(lake__delta_render_protocol(&log, &p), 0);
    lake__delta_metadata m = {"7c5e1f5a-0d3a-4c1e-9a51-3b1f0f7f2a10", NULL, NULL, schema.data, NULL, 0, NULL, 0,
                              1700000000000};
    CHECK_EQ_INT(lake__delta_render_metadata(&log, &m), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/_delta_log", dir);
    CHECK_EQ_INT(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/_delta_log/00000000000000000000.json", dir);
    FILE *f = fopen(path, "wb");
    CHECK(f);
    CHECK_EQ_INT(fwrite(log.data, 1, log.len, f), log.len);
    CHECK_EQ_INT(fclose(f), 0);
    lake__buf_dispose(&schema);
    lake__buf_dispose(&log);
}

static char *run_reader(const char *dir) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s/log_read_schema.py %s", LAKE_PYTHON, LAKE_DELTA_SCRIPTS, dir);
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    lake__buf out = LAKE__BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) lake__buf_put(&out, chunk, n);
    int status = pclose(p);
    char *text = lake__buf_detach(&out, NULL);
    if (status != 0) {
        fprintf(stderr, "  %s exited with %d; it printed:\n%s\n", cmd, status, text ? text : "");
        lake__free(text);
        return NULL;
    }
    return text;
}

static void check_read_by_delta_rs(const lake_model *model, const char *want) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, model, &err), &err);
    char dir[] = "/tmp/lake-delta-schema-XXXXXX";
    CHECK(mkdtemp(dir));
    write_version_0(dir, s);
    char *got = run_reader(dir);
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf %s", dir);
    CHECK_EQ_INT(system(rm), 0);
    CHECK(got);
    if (strcmp(got, want)) fprintf(stderr, "  delta-rs read:\n%s  expected:\n%s", got, want);
    bool same = !strcmp(got, want);
    lake__free(got);
    CHECK(same);
}

static void delta_rs_reads_every_type(void) {
    check_read_by_delta_rs(&every_model,
                           "b:boolean not null\ni8:byte\ni16:short not null\ni32:integer\ni64:long not null\n"
                           "f32:float not null\nf64:double\ns:string not null\ns_null:string\nby:binary not null\n"
                           "ts:timestamp not null\nd:date\ndec:decimal(38,9) not null\ndec_null:decimal(5,0)\n"
                           "u:string\nk:string not null\nj:string\ncounts:map<string,long not null>\n_ingest_id:string\n"
                           "version 0 rows 0\n");
}

static void delta_rs_reads_nested_types(void) {
    check_read_by_delta_rs(&event_model,
                           "event_id:string not null\nkind:string not null\nat:timestamp not null\n"
                           "items:array<struct<sku:string not null,qty:integer not null,price:decimal(10,2) not null,"
                           "tags:array<string not null> not null> not null> not null\n"
                           "shipping:struct<city:string not null,zip:integer>\n"
                           "attrs:map<string,string not null> not null\npayload:string\n"
                           "scores:array<array<long not null> not null> not null\nnotes:array<string>\n"
                           "labels:map<string,array<string not null> not null> not null\n_ingest_id:string\n"
                           "version 0 rows 0\n");
}

int main(void) {
    LAKE_RUN(renders_spark_struct_type);
    LAKE_RUN(nests_lists_structs_and_maps);
    LAKE_RUN(parses_a_schema_string);
    LAKE_RUN(refuses_malformed_schema_strings);
    LAKE_RUN(delta_rs_reads_every_type);
    LAKE_RUN(delta_rs_reads_nested_types);
    return lake_test_summary();
}
