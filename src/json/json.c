/* SPDX-License-Identifier: MIT */
/* The public decoding entry points: one object, or an NDJSON batch. */
#include <lakeorm/json.h>

#include <string.h>

#include "error/error.h"
#include "json/decode.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/version.h"

static int check_options(const lake_decode_options *opts, lake_error *err) {
    return opts ? LAKE__VERSION_CHECK(opts, lake_decode_options, LAKE_DECODE_OPTIONS, err) : LAKE_OK;
}

int lake_json_decode(const lake_schema *schema, const char *json, size_t len, void *record,
                     lake_arena *arena, size_t record_index, const lake_decode_options *opts,
                     lake_error *err) {
    if (!schema || !record || !arena || (!json && len))
        return lake__error(err, LAKE_EINVAL, "lake_json_decode: schema, record and arena are required");
    int rc = check_options(opts, err);
    if (rc) return rc;
    lake_issues *issues = NULL;
    rc = lake__json_decode_into(schema, json ? json : "", len, record, arena, &issues, record_index, opts);
    if (rc == LAKE_OK) {
        lake__issues_free(issues);
        return LAKE_OK;
    }
    if (rc == LAKE_ENOMEM) {
        lake__issues_free(issues);
        return lake__error(err, rc, "out of memory decoding JSON");
    }
    return lake__error_issues(err, issues, "record rejected");
}

struct lake_records {
    unsigned char *data;
    size_t *lines;
    size_t count, cap, record_size;
    lake_arena *arena;
};

static int grow(lake_records *r) {
    if (r->count < r->cap) return LAKE_OK;
    size_t cap = r->cap ? r->cap * 2 : 64, bytes, line_bytes;
    if (lake__mul_size(&bytes, cap, r->record_size) || lake__mul_size(&line_bytes, cap, sizeof *r->lines))
        return LAKE_ENOMEM;
    unsigned char *data = lake__realloc(r->data, r->cap * r->record_size, bytes);
    if (!data) return LAKE_ENOMEM;
    r->data = data;
    size_t *lines = lake__realloc(r->lines, r->cap * sizeof *r->lines, line_bytes);
    if (!lines) return LAKE_ENOMEM;
    r->lines = lines;
    r->cap = cap;
    return LAKE_OK;
}

int lake_ndjson_decode(lake_records **out, const lake_schema *schema, const char *data, size_t len,
                       const lake_decode_options *opts, lake_error *err) {
    if (!out || !schema || (!data && len))
        return lake__error(err, LAKE_EINVAL, "lake_ndjson_decode: out and schema are required");
    *out = NULL;
    int rc = check_options(opts, err);
    if (rc) return rc;
    lake_records *r = lake__calloc(1, sizeof *r);
    lake_issues *issues = NULL;
    if (!r || lake_arena_new(&r->arena)) goto oom;
    r->record_size = schema->record_size;
    size_t line = 0;
    for (const char *p = data, *end = data + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        line++;
        size_t n = (size_t)(stop - p);
        if (n && p[n - 1] == '\r') n--; /* CRLF files */
        bool blank = true;
        for (size_t i = 0; i < n && blank; i++) blank = p[i] == ' ' || p[i] == '\t';
        if (!blank) {
            if (grow(r)) goto oom;
            void *rec = r->data + r->count * r->record_size;
            rc = lake__json_decode_into(schema, p, n, rec, r->arena, &issues, line, opts);
            if (rc == LAKE_ENOMEM) goto oom;
            if (rc == LAKE_OK) r->lines[r->count++] = line;
        }
        p = nl ? nl + 1 : end;
    }
    *out = r;
    if (lake_issues_count(issues) == 0) {
        lake__issues_free(issues);
        return LAKE_OK;
    }
    return lake__error_issues(err, issues, "NDJSON lines rejected");
oom:
    lake__issues_free(issues);
    lake_records_free(r);
    return lake__error(err, LAKE_ENOMEM, "out of memory decoding NDJSON");
}

size_t lake_records_count(const lake_records *r) { return r ? r->count : 0; }
const void *lake_records_data(const lake_records *r) { return r ? r->data : NULL; }
size_t lake_records_line(const lake_records *r, size_t i) { return r && i < r->count ? r->lines[i] : 0; }

void lake_records_free(lake_records *r) {
    if (!r) return;
    lake_arena_free(r->arena);
    lake__free(r->data);
    lake__free(r->lines);
    lake__free(r);
}
