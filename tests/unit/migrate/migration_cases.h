/* SPDX-License-Identifier: MIT */
/* The migration cases, one per diff class: the table before (NULL: new),
 * the model after, rows to insert before migrating, a declared rename. Shared
 * by the golden-file tests and the Spark tests that apply the files. */
#ifndef LAKE_TEST_MIGRATION_CASES_H
#define LAKE_TEST_MIGRATION_CASES_H

#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

typedef struct migration_case {
    const char *name;
    const char *before; /* schema-file fields; NULL: the table is new */
    const char *after;
    const char *insert; /* rows for the applied test, in the before shape */
    lake_rename rename;
} migration_case;

#define TABLE(fields) "{\"version\":1,\"table\":\"accounts\",\"fields\":[" fields "]}"

static const migration_case cases[] = {
    {"create", NULL,
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"email,mergeKey\",\"type\":\"string\"},"
           "{\"tag\":\"opened,partition=day\",\"type\":\"timestamp\"},{\"tag\":\"balance,nullable\",\"type\":\"decimal(18,2)\"}"),
     NULL, {NULL, NULL, NULL}},
    {"columns",
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"email\",\"type\":\"string\"},"
           "{\"tag\":\"legacy,nullable\",\"type\":\"string\"},{\"tag\":\"nick,nullable\",\"type\":\"string\"}"),
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"email\",\"type\":\"string\"},"
           "{\"tag\":\"handle,nullable\",\"type\":\"string\"},{\"tag\":\"note,nullable\",\"type\":\"string\"},"
           "{\"tag\":\"tier\",\"type\":\"int32\"},{\"tag\":\"home\",\"type\":\"struct\",\"fields\":["
           "{\"tag\":\"city\",\"type\":\"string\"},{\"tag\":\"zip,nullable\",\"type\":\"int32\"}]}"),
     "INSERT INTO accounts VALUES (1, 'a@x', 'old', 'ann', NULL), (2, 'b@x', NULL, NULL, NULL)",
     {"accounts", "nick", "handle"}},
    {"types",
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"visits\",\"type\":\"int32\"},"
           "{\"tag\":\"score\",\"type\":\"float32\"},{\"tag\":\"amount\",\"type\":\"decimal(10,2)\"},"
           "{\"tag\":\"rank\",\"type\":\"int64\"},{\"tag\":\"code\",\"type\":\"string\"}"),
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"visits\",\"type\":\"int64\"},"
           "{\"tag\":\"score\",\"type\":\"float64\"},{\"tag\":\"amount\",\"type\":\"decimal(18,2)\"},"
           "{\"tag\":\"rank\",\"type\":\"int16\"},{\"tag\":\"code\",\"type\":\"int32\"}"),
     "INSERT INTO accounts VALUES (1, 10, 1.5, 12.34, 7, '42', NULL)", {NULL, NULL, NULL}},
    {"nullability",
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"email,nullable\",\"type\":\"string\"},"
           "{\"tag\":\"age\",\"type\":\"int32\"}"),
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"email\",\"type\":\"string\"},"
           "{\"tag\":\"age,nullable\",\"type\":\"int32\"}"),
     "INSERT INTO accounts VALUES (1, 'a@x', 30, NULL)", {NULL, NULL, NULL}},
    {"keys",
     TABLE("{\"tag\":\"id\",\"type\":\"int64\"},{\"tag\":\"region,mergeKey\",\"type\":\"string\"},"
           "{\"tag\":\"email\",\"type\":\"string\"}"),
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"region,mergeKey\",\"type\":\"string\"},"
           "{\"tag\":\"email,mergeKey\",\"type\":\"string\"}"),
     "INSERT INTO accounts VALUES (1, 'eu', 'a@x', NULL), (2, 'us', 'b@x', NULL)", {NULL, NULL, NULL}},
    {"primary_key_change",
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int32\"},{\"tag\":\"email\",\"type\":\"string\"}"),
     TABLE("{\"tag\":\"id\",\"type\":\"int64\"},{\"tag\":\"email,pk\",\"type\":\"string\"},"
           "{\"tag\":\"plan\",\"type\":\"string\"}"),
     "INSERT INTO accounts VALUES (1, 'a@x', NULL), (2, 'b@x', NULL)", {NULL, NULL, NULL}},
    {"partitions",
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"opened,partition=day\",\"type\":\"timestamp\"},"
           "{\"tag\":\"region,partition\",\"type\":\"string\"}"),
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"opened,partition=month\",\"type\":\"timestamp\"},"
           "{\"tag\":\"region\",\"type\":\"string\"},{\"tag\":\"shard,partition=bucket[16]\",\"type\":\"int64\"}"),
     "INSERT INTO accounts VALUES (1, TIMESTAMPTZ '2024-01-02 03:04:05+00', 'eu', NULL)", {NULL, NULL, NULL}},
    /* Inside columns' types, what keeps every value: struct members added
     * (first, and inside a list's element and a map's value), element and
     * member types widened. */
    {"nested_grow",
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"home\",\"type\":\"struct\",\"fields\":["
           "{\"tag\":\"city\",\"type\":\"string\"},{\"tag\":\"zip,nullable\",\"type\":\"int32\"},"
           "{\"tag\":\"floor,nullable\",\"type\":\"int16\"}]},"
           "{\"tag\":\"items\",\"type\":\"list<struct>\",\"fields\":[{\"tag\":\"sku\",\"type\":\"string\"},"
           "{\"tag\":\"qty\",\"type\":\"int32\"}]},"
           "{\"tag\":\"attrs\",\"type\":\"map<string,struct>\",\"fields\":[{\"tag\":\"x,nullable\",\"type\":\"int32\"}]},"
           "{\"tag\":\"marks\",\"type\":\"list<int32>\"},{\"tag\":\"scores\",\"type\":\"map<string,float32>\"},"
           "{\"tag\":\"prices\",\"type\":\"list<decimal(10,2)>\"}"),
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"home\",\"type\":\"struct\",\"fields\":["
           "{\"tag\":\"street,nullable\",\"type\":\"string\"},{\"tag\":\"city\",\"type\":\"string\"},"
           "{\"tag\":\"zip,nullable\",\"type\":\"int64\"},{\"tag\":\"floor,nullable\",\"type\":\"int16\"}]},"
           "{\"tag\":\"items\",\"type\":\"list<struct>\",\"fields\":[{\"tag\":\"sku\",\"type\":\"string\"},"
           "{\"tag\":\"qty\",\"type\":\"int64\"},{\"tag\":\"note,nullable\",\"type\":\"string\"}]},"
           "{\"tag\":\"attrs\",\"type\":\"map<string,struct>\",\"fields\":[{\"tag\":\"x,nullable\",\"type\":\"int32\"},"
           "{\"tag\":\"y,nullable\",\"type\":\"string\"}]},"
           "{\"tag\":\"marks\",\"type\":\"list<int64>\"},{\"tag\":\"scores\",\"type\":\"map<string,float64>\"},"
           "{\"tag\":\"prices\",\"type\":\"list<decimal(12,2)>\"}"),
     "INSERT INTO accounts VALUES (1, {'city': 'Oslo', 'zip': 150, 'floor': 3}, [{'sku': 'a', 'qty': 2}], MAP {'k': {'x': 1}}, "
     "[1, 2], MAP {'s': 1.5}, [9.99], NULL)",
     {NULL, NULL, NULL}},
    /* Inside columns' types, what may lose values or break readers: a member
     * dropped, one narrowed, a value converted, members and elements made
     * required or optional, a required member added, string to json. */
    {"nested_shrink",
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"home\",\"type\":\"struct\",\"fields\":["
           "{\"tag\":\"city\",\"type\":\"string\"},{\"tag\":\"zip,nullable\",\"type\":\"int64\"},"
           "{\"tag\":\"legacy,nullable\",\"type\":\"string\"}]},"
           "{\"tag\":\"items\",\"type\":\"list<struct>\",\"fields\":[{\"tag\":\"sku,nullable\",\"type\":\"string\"},"
           "{\"tag\":\"qty\",\"type\":\"int64\"}]},"
           "{\"tag\":\"tags\",\"type\":\"list<string?>\"},{\"tag\":\"codes\",\"type\":\"list<string>\"},"
           "{\"tag\":\"labels\",\"type\":\"map<string,int32>\"},{\"tag\":\"payload,nullable\",\"type\":\"string\"}"),
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"home\",\"type\":\"struct\",\"fields\":["
           "{\"tag\":\"city\",\"type\":\"string\"},{\"tag\":\"zip,nullable\",\"type\":\"int32\"}]},"
           "{\"tag\":\"items\",\"type\":\"list<struct>\",\"fields\":[{\"tag\":\"sku\",\"type\":\"string\"},"
           "{\"tag\":\"qty\",\"type\":\"int64\"},{\"tag\":\"batch\",\"type\":\"int32\"}]},"
           "{\"tag\":\"tags\",\"type\":\"list<string>\"},{\"tag\":\"codes\",\"type\":\"list<string?>\"},"
           "{\"tag\":\"labels\",\"type\":\"map<string,string>\"},{\"tag\":\"payload,nullable\",\"type\":\"json\"}"),
     "INSERT INTO accounts VALUES (1, {'city': 'Oslo', 'zip': 150, 'legacy': 'x'}, [{'sku': 'a', 'qty': 2}], "
     "['t'], ['c'], MAP {'k': 7}, '{\"a\":1}', NULL)",
     {NULL, NULL, NULL}},
    /* Member names that need quoting in every dialect, and a dot that is
     * part of a name, not a path. */
    {"nested_names",
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"odd\",\"type\":\"struct\",\"fields\":["
           "{\"tag\":\"a-b\",\"type\":\"int32\"},{\"tag\":\"q\\\"x,nullable\",\"type\":\"string\"}]},"
           "{\"tag\":\"items\",\"type\":\"list<struct>\",\"fields\":[{\"tag\":\"sku\",\"type\":\"string\"}]}"),
     TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"odd\",\"type\":\"struct\",\"fields\":["
           "{\"tag\":\"back`tick,nullable\",\"type\":\"string\"},{\"tag\":\"a-b\",\"type\":\"int64\"},"
           "{\"tag\":\"q\\\"x,nullable\",\"type\":\"string\"}]},"
           "{\"tag\":\"items\",\"type\":\"list<struct>\",\"fields\":[{\"tag\":\"sku\",\"type\":\"string\"},"
           "{\"tag\":\"c.d,nullable\",\"type\":\"int32\"}]}"),
     "INSERT INTO accounts VALUES (1, {'a-b': 1, 'q\"x': 'v'}, [{'sku': 's'}], NULL)",
     {NULL, NULL, NULL}},
};
enum { CASES = sizeof cases / sizeof cases[0] };

/* The text between two goose annotations (to NULL: the end), for the caller
 * to free. */
static inline char *migration_section(const char *file, const char *from, const char *to) {
    const char *a = strstr(file, from);
    if (!a) return NULL;
    a += strlen(from);
    const char *b = to ? strstr(a, to) : a + strlen(a);
    if (!b) return NULL;
    char *s = malloc((size_t)(b - a) + 1);
    if (!s) return NULL;
    memcpy(s, a, (size_t)(b - a));
    s[b - a] = 0;
    return s;
}

#endif
