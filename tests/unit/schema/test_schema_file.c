/* SPDX-License-Identifier: MIT */
/* Schema files: the same schema as a C model, strict parsing, and a round trip. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "lake_test.h"

static const char *users =
    "{\"version\":1,\"table\":\"users\",\"fields\":["
    "{\"tag\":\"id,pk\",\"type\":\"uuid\"},"
    "{\"tag\":\"email,mergeKey\",\"type\":\"string\",\"rules\":\"required,email\"},"
    "{\"tag\":\"age,nullable\",\"type\":\"int32\",\"rules\":\"omitempty,gte=0\"},"
    "{\"tag\":\"flag\",\"type\":\"bool\"},"
    "{\"tag\":\"balance\",\"type\":\"decimal(18,2)\"},"
    "{\"tag\":\"note,nullable\",\"type\":\"string\"},"
    "{\"tag\":\"at,partition=month\",\"type\":\"timestamp\"},"
    "{\"tag\":\"home\",\"type\":\"struct\",\"fields\":[{\"tag\":\"city\",\"type\":\"string\"},"
    "{\"tag\":\"zip,nullable\",\"type\":\"int64\"}]}]}";

static void parses_a_schema_file(void) {
    lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_parse(&s, users, strlen(users), &err), &err);
    CHECK_EQ_STR(lake_schema_table(s), "users");
    CHECK_EQ_INT(lake_schema_column_count(s), 8);
    const lake_column *age = lake_schema_find(s, "age");
    CHECK(age->nullable && age->type == LAKE_INT32);
    CHECK_EQ_STR(age->rules, "omitempty,gte=0");
    CHECK(lake_schema_find(s, "id")->primary_key);
    CHECK_EQ_INT(lake_schema_find(s, "balance")->precision, 18);
    CHECK_EQ_INT(lake_schema_find(s, "at")->partition, LAKE_PARTITION_MONTH);
    /* The layout follows C's: aligned values, optional forms for nullable scalars. */
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        CHECK(c->offset < lake_schema_record_size(s));
        if (c->type == LAKE_DECIMAL || c->type == LAKE_INT32) CHECK_EQ_INT(c->offset % 4, 0);
    }
    CHECK_EQ_INT(lake_schema_record_size(s) % 8, 0);

    /* Records of a file schema decode like those of a C model. */
    lake_arena *arena;
    lake_arena_new(&arena);
    unsigned char *rec = calloc(1, lake_schema_record_size(s));
    const char *j = "{\"id\":\"0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f\",\"email\":\"a@b.co\",\"age\":7,\"flag\":true,"
                    "\"balance\":\"1.50\",\"note\":null,\"at\":\"2024-01-02T03:04:05Z\",\"home\":{\"city\":\"Oslo\",\"zip\":null}}";
    CHECK_OK(lake_json_decode(s, j, strlen(j), rec, arena, 0, NULL, &err), &err);
    const lake_opt_i32 *a = (const lake_opt_i32 *)(rec + age->offset);
    CHECK(a->valid && a->v == 7);
    const lake_column *home = lake_schema_find(s, "home");
    const lake_str *city = (const lake_str *)(rec + home->offset + lake_schema_find(home->child, "city")->offset);
    CHECK(city->len == 4 && memcmp(city->ptr, "Oslo", 4) == 0);
    j = "{\"id\":\"0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f\",\"email\":\"nope\",\"age\":-1,\"flag\":true,"
        "\"balance\":\"1.50\",\"at\":\"2024-01-02T03:04:05Z\",\"home\":{\"city\":\"Oslo\"}}";
    CHECK_STATUS(lake_json_decode(s, j, strlen(j), rec, arena, 0, NULL, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_INT(lake_issues_count(err.issues), 2);
    lake_error_clear(&err);
    free(rec);
    lake_arena_free(arena);
    lake_schema_free(s);
}

static void round_trips_through_json(void) {
    lake_schema *s, *again;
    char *a, *b;
    size_t alen, blen;
    CHECK_OK(lake_schema_parse(&s, users, strlen(users), NULL), NULL);
    CHECK_OK(lake_schema_to_json(s, &a, &alen), NULL);
    CHECK_OK(lake_schema_parse(&again, a, alen, NULL), NULL);
    CHECK_OK(lake_schema_to_json(again, &b, &blen), NULL);
    CHECK_EQ_STR(a, b);
    CHECK_CONTAINS(a, "\"tag\": \"at,partition=month\"");
    CHECK_CONTAINS(a, "\"type\": \"decimal(18,2)\"");
    CHECK_EQ_INT(lake_schema_record_size(s), lake_schema_record_size(again));
    lake_free(a);
    lake_free(b);
    lake_schema_free(s);
    lake_schema_free(again);
}

static void rejects_malformed_files(void) {
    static const struct { const char *json, *needle; } cases[] = {
        {"", "empty file"},
        {"[]", "must hold one JSON object"},
        {"{\"table\":\"t\"}", "missing \"fields\""},
        {"{\"fields\":[{\"tag\":\"a\",\"type\":\"int32\"}]}", "missing \"table\""},
        {"{\"table\":\"t\",\"fields\":[],\"extra\":1}", "unknown key \"extra\""},
        {"{\"table\":\"t\",\"table\":\"u\",\"fields\":[]}", "duplicate key \"table\""},
        {"{\"table\":\"t\",\"fields\":[]}", "at least one field"},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"a\"}]}", "fields[0]: missing \"type\""},
        {"{\"table\":\"t\",\"fields\":[{\"type\":\"int32\"}]}", "missing \"tag\""},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"int\"}]}", "unknown type \"int\""},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"decimal\"}]}", "unknown type \"decimal\""},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"decimal(40,2)\"}]}", "precision must be 1-38"},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"decimal(10,2)x\"}]}", "decimal(precision,scale)"},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\",\"size\":4}]}", "unknown key \"size\""},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"struct\"}]}", "needs \"fields\""},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\",\"fields\":[]}]}", "only fields whose type names struct"},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"a,pk,bogus\",\"type\":\"int32\"}]}", "unknown modifier \"bogus\""},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\",\"rules\":\"required\"}]}",
         "required cannot fail on a non-nullable int32"},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\"},{\"tag\":\"A\",\"type\":\"int32\"}]}",
         "duplicate column \"A\""},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"_ingest_id,mergeKey\",\"type\":\"string\"}]}", "system column"},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"s\",\"type\":\"struct\",\"fields\":[{\"tag\":\"x\",\"type\":\"int8\","
         "\"rules\":\"email\"}]}]}", "model t.s, field x"},
        {"{\"version\":2,\"table\":\"t\",\"fields\":[]}", "unsupported version"},
        {"{\"table\":\"t\",\"fields\":[]} {}", "unexpected data after"},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\"},]}", "fields[1]: each field must be an object"},
        {"{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\"}}", "invalid JSON"},
        {"{\"table\":\"t\\u0000x\",\"fields\":[]}", "NUL character"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lake_schema *s = NULL;
        lake_error err = LAKE_ERROR_INIT;
        int rc = lake_schema_parse(&s, cases[i].json, strlen(cases[i].json), &err);
        if (rc != LAKE_ESCHEMA || !strstr(err.message, cases[i].needle)) {
            fprintf(stderr, "  case %zu: rc %d, message \"%s\", want \"%s\"\n", i, rc, err.message, cases[i].needle);
            CHECK(!"schema file rejection");
        }
        CHECK(s == NULL);
    }
}

static void loads_from_a_path(void) {
    lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake_schema_load(&s, "/nonexistent/users.json", &err), LAKE_EIO, &err);
    CHECK_CONTAINS(err.message, "/nonexistent/users.json");
    char path[] = "/tmp/lake_schema_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, users, strlen(users)) == (ssize_t)strlen(users));
    close(fd);
    CHECK_OK(lake_schema_load(&s, path, &err), &err);
    CHECK_EQ_INT(lake_schema_column_count(s), 8);
    lake_schema_free(s);
    fd = open(path, O_WRONLY | O_TRUNC);
    CHECK(write(fd, "{\"table\":1}", 11) == 11);
    close(fd);
    CHECK_STATUS(lake_schema_load(&s, path, &err), LAKE_ESCHEMA, &err);
    CHECK_CONTAINS(err.message, path);
    CHECK_CONTAINS(err.message, "table must be a string");
    unlink(path);
}

int main(void) {
    LAKE_RUN(parses_a_schema_file);
    LAKE_RUN(round_trips_through_json);
    LAKE_RUN(rejects_malformed_files);
    LAKE_RUN(loads_from_a_path);
    return lake_test_summary();
}
