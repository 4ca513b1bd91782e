/* SPDX-License-Identifier: MIT */
/* The CLI's CSV reader (tools/lakeorm/csv.c) over any bytes, as a file
 * whose header and records bind to a schema of every kind of cell (numbers,
 * bool, text, decimal, a struct, a list, a json column, a key alias).
 * Invariants: no crash or leak; records start on lines that grow; a malformed
 * record comes with issues; every record's JSON is one the decoder judges
 * (OK or issues, nothing else), and a cell never adds or repeats a key: the
 * decoder never finds an unknown or duplicate top-level key in it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char schema_text[] =
    "{\"version\":1,\"table\":\"t\",\"fields\":["
    "{\"tag\":\"id\",\"type\":\"int64\"},"
    "{\"tag\":\"s,nullable\",\"type\":\"string\",\"rules\":\"omitempty,max=8\"},"
    "{\"tag\":\"i8,nullable\",\"type\":\"int8\"},"
    "{\"tag\":\"b,nullable\",\"type\":\"bool\"},"
    "{\"tag\":\"d,nullable\",\"type\":\"decimal(9,2)\"},"
    "{\"tag\":\"ts,nullable\",\"type\":\"timestamp\"},"
    "{\"tag\":\"kind,nullable,json=type\",\"type\":\"string\"},"
    "{\"tag\":\"j,nullable\",\"type\":\"json\"},"
    "{\"tag\":\"st,nullable\",\"type\":\"struct\",\"fields\":[{\"tag\":\"x\",\"type\":\"int32\"}]},"
    "{\"tag\":\"l,nullable\",\"type\":\"list<string>\"}]}";

static bool injected(const lake_issues *issues) {
    for (size_t i = 0; i < lake_issues_count(issues); i++) {
        const lake_issue *it = lake_issues_get(issues, i);
        const char *slash = strchr(it->path + (it->path[0] == '/'), '/');
        bool top = it->path[0] == '/' && !slash;
        if (top && (!strcmp(it->rule, "unknown_key") || !strcmp(it->rule, "duplicate_key"))) return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static lake_schema *schema;
    if (!schema) {
        lake_error e = LAKE_ERROR_INIT;
        if (lake_schema_parse(&schema, schema_text, sizeof schema_text - 1, &e)) abort();
    }
    if (!size) return 0;
    FILE *in = fmemopen((void *)data, size, "rb");
    if (!in) return 0;
    char why[256];
    csv_reader *r;
    if (csv_open(&r, in, schema, why, sizeof why)) {
        if (!why[0]) abort(); /* a refusal says why */
        fclose(in);
        return 0;
    }
    lake_arena *arena = NULL;
    void *record = malloc(lake_schema_record_size(schema));
    if (lake_arena_new(&arena) || !record) abort();
    lake_error err = LAKE_ERROR_INIT;
    size_t last = 1;
    for (;;) {
        const char *json, *raw;
        size_t len, raw_len, line;
        const lake_issues *issues;
        csv_status s = csv_next(r, &json, &len, &raw, &raw_len, &line, &issues);
        if (s == CSV_END || s == CSV_FAILED) break;
        if (line <= last || !raw_len) abort(); /* records start below the header, in order, and hold bytes */
        last = line;
        if (s == CSV_REJECTED) {
            if (!lake_issues_count(issues)) abort();
            continue;
        }
        int rc = lake_json_decode(schema, json, len, record, arena, line, NULL, &err);
        if (rc != LAKE_OK && rc != LAKE_EVALIDATION) abort();
        if (rc == LAKE_EVALIDATION && injected(err.issues)) abort();
        lake_error_clear(&err);
        lake_arena_reset(arena);
    }
    csv_close(r);
    fclose(in);
    free(record);
    lake_arena_free(arena);
    return 0;
}
