/* SPDX-License-Identifier: MIT */
/* Iceberg's partition transforms (formats/iceberg/transform.c) against
 * pyiceberg's, case by case (tests/iceberg/transforms.py): buckets of every
 * source type (the spec's own examples among them), truncation, the time
 * transforms around the epoch and leap days; then a model's columns
 * partitioned through their tags, and the single-value form of bounds as
 * the spec's appendix D lays it out. */
#include <stdlib.h>

#include "formats/iceberg/stats.h"
#include "formats/iceberg/transform.h"
#include "lake_test.h"

static char dir[64];

typedef struct kase {
    const char *type;
    const char *value; /* JSON */
    const char *transform;
    int32_t param;
    char mine[160]; /* this library's result, as JSON */
} kase;

static void hex(char *out, const unsigned char *p, size_t n) {
    out[0] = '"';
    for (size_t i = 0; i < n; i++) sprintf(out + 1 + 2 * i, "%02x", p[i]);
    strcpy(out + 1 + 2 * n, "\"");
}

static size_t unhex(const char *s, unsigned char *out) {
    size_t n = 0;
    for (; s[0] && s[1]; s += 2) {
        unsigned v;
        sscanf(s, "%2x", &v);
        out[n++] = (unsigned char)v;
    }
    return n;
}

static long long number(const char *json) { return strtoll(json, NULL, 10); }

/* The decimal cases' values, [unscaled, precision, scale], unscaled within int64 here. */
static lake__i128 unscaled_of(const char *json) { return (lake__i128)strtoll(json + 1, NULL, 10); }

static void compute(kase *k) {
    const char *t = k->type, *v = k->value, *tr = k->transform;
    if (!strcmp(tr, "bucket")) {
        int32_t b;
        if (!strcmp(t, "int") || !strcmp(t, "long") || !strcmp(t, "date") || !strcmp(t, "timestamptz"))
            b = lake__iceberg_bucket_long(number(v), k->param);
        else if (!strcmp(t, "decimal"))
            b = lake__iceberg_bucket_decimal(unscaled_of(v), k->param);
        else if (!strcmp(t, "string")) {
            char text[64] = "";
            sscanf(v, "\"%63[^\"]\"", text);
            b = lake__iceberg_bucket_bytes(text, strlen(text), k->param);
        } else {
            unsigned char bytes[64];
            char h[130] = "";
            sscanf(v, "\"%129[^\"]\"", h);
            b = lake__iceberg_bucket_bytes(bytes, unhex(h, bytes), k->param);
        }
        snprintf(k->mine, sizeof k->mine, "%d", b);
    } else if (!strcmp(tr, "truncate")) {
        if (!strcmp(t, "int") || !strcmp(t, "long")) {
            snprintf(k->mine, sizeof k->mine, "%lld", (long long)lake__iceberg_truncate_long(number(v), k->param));
        } else if (!strcmp(t, "decimal")) {
            snprintf(k->mine, sizeof k->mine, "%lld", (long long)lake__iceberg_truncate_decimal(unscaled_of(v), k->param));
        } else if (!strcmp(t, "string")) {
            char text[64] = "";
            sscanf(v, "\"%63[^\"]\"", text);
            size_t n = lake__iceberg_truncate_text(text, strlen(text), k->param);
            snprintf(k->mine, sizeof k->mine, "\"%.*s\"", (int)n, text);
        } else {
            unsigned char bytes[64];
            char h[130] = "";
            sscanf(v, "\"%129[^\"]\"", h);
            size_t n = unhex(h, bytes);
            hex(k->mine, bytes, n < (size_t)k->param ? n : (size_t)k->param);
        }
    } else {
        bool date = !strcmp(t, "date");
        long long x = number(v), r;
        if (!strcmp(tr, "year")) r = date ? lake__iceberg_years_from_days((int32_t)x) : lake__iceberg_years_from_micros(x);
        else if (!strcmp(tr, "month")) r = date ? lake__iceberg_months_from_days((int32_t)x) : lake__iceberg_months_from_micros(x);
        else if (!strcmp(tr, "day")) r = date ? x : lake__iceberg_days_from_micros(x);
        else r = lake__iceberg_hours_from_micros(x);
        snprintf(k->mine, sizeof k->mine, "%lld", r);
    }
}

static kase cases[] = {
    /* the spec's own examples (appendix B) */
    {"int", "34", "bucket", 2147483647, ""},
    {"long", "34", "bucket", 2147483647, ""},
    {"decimal", "[1420, 4, 2]", "bucket", 2147483647, ""},
    {"date", "17486", "bucket", 2147483647, ""},
    {"timestamptz", "1510871468000000", "bucket", 2147483647, ""},
    {"string", "\"iceberg\"", "bucket", 2147483647, ""},
    {"uuid", "\"f79c3e098d6a48c1b4b3d5e0b0a5bd0e\"", "bucket", 2147483647, ""},
    {"binary", "\"00010203\"", "bucket", 2147483647, ""},
    /* buckets as tables use them */
    {"int", "-1", "bucket", 16, ""},
    {"long", "-9223372036854775807", "bucket", 16, ""},
    {"long", "9223372036854775807", "bucket", 1000, ""},
    {"string", "\"caf\xc3\xa9\"", "bucket", 16, ""},
    {"string", "\"\"", "bucket", 7, ""},
    {"decimal", "[-1, 10, 2]", "bucket", 16, ""},
    {"decimal", "[128, 10, 2]", "bucket", 16, ""},
    {"decimal", "[-129, 10, 2]", "bucket", 16, ""},
    {"decimal", "[0, 10, 2]", "bucket", 16, ""},
    {"binary", "\"\"", "bucket", 16, ""},
    {"timestamptz", "-1", "bucket", 16, ""},
    /* truncate */
    {"int", "-1", "truncate", 10, ""},
    {"int", "1", "truncate", 10, ""},
    {"long", "-10", "truncate", 10, ""},
    {"long", "-11", "truncate", 10, ""},
    {"decimal", "[1065, 9, 2]", "truncate", 50, ""},
    {"decimal", "[-1065, 9, 2]", "truncate", 50, ""},
    {"string", "\"iceberg\"", "truncate", 3, ""},
    {"string", "\"\xc3\xa9t\xc3\xa9s\"", "truncate", 2, ""},
    {"string", "\"ab\"", "truncate", 5, ""},
    {"binary", "\"0102030405\"", "truncate", 3, ""},
    /* time transforms around the epoch and a leap day */
    {"timestamptz", "0", "year", 0, ""},
    {"timestamptz", "-1", "year", 0, ""},
    {"timestamptz", "-1", "month", 0, ""},
    {"timestamptz", "-1", "day", 0, ""},
    {"timestamptz", "-1", "hour", 0, ""},
    {"timestamptz", "951782400000000", "month", 0, ""},
    {"timestamptz", "951782399999999", "day", 0, ""},
    {"timestamptz", "1709208000000000", "hour", 0, ""},
    {"timestamptz", "-62135596800000000", "year", 0, ""},
    {"date", "-1", "year", 0, ""},
    {"date", "-1", "month", 0, ""},
    {"date", "11016", "month", 0, ""},
    {"date", "19782", "year", 0, ""},
    {"date", "-719162", "month", 0, ""},
};

static void transforms_match_pyiceberg(void) {
    size_t n = sizeof cases / sizeof *cases;
    char path[128], out[128], cmd[512];
    snprintf(path, sizeof path, "%s/cases.jsonl", dir);
    snprintf(out, sizeof out, "%s/results.jsonl", dir);
    FILE *f = fopen(path, "w");
    for (size_t i = 0; i < n; i++) {
        compute(&cases[i]);
        fprintf(f, "{\"type\": \"%s\", \"value\": %s, \"transform\": \"%s\", \"param\": %d}\n", cases[i].type,
                cases[i].value, cases[i].transform, cases[i].param);
    }
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s %s/iceberg/transforms.py %s > %s", LAKE_PYTHON, LAKE_TESTS_DIR, path, out);
    CHECK_EQ_INT(system(cmd), 0);
    f = fopen(out, "r");
    char line[256];
    for (size_t i = 0; i < n && f && fgets(line, sizeof line, f); i++) {
        line[strcspn(line, "\n")] = 0;
        if (strcmp(line, cases[i].mine))
            LAKE_FAIL_AT("%s %s of %s %s: pyiceberg says %s, lakeorm %s", cases[i].transform, cases[i].param ? "" : "",
                         cases[i].type, cases[i].value, line, cases[i].mine);
    }
    if (f) fclose(f);
}

/* ---- through a model's columns: tags name the transforms */

typedef struct row {
    int64_t id;
    lake_str name;
    lake_ts at;
    lake_date day;
    lake_dec128 price;
    lake_uuid key;
    lake_bytes blob;
    int32_t small;
    bool flag;
    double ratio;
} row;
static const lake_field row_fields[] = {
    LAKE_FIELD(row, id, "id,partition=bucket[16]", ""),
    LAKE_FIELD(row, name, "name,partition=truncate[2]", ""),
    LAKE_FIELD(row, at, "at,partition=hour", ""),
    LAKE_FIELD(row, day, "day,partition=month", ""),
    LAKE_DECIMAL(row, price, 12, 2, "price,partition=truncate[100]", ""),
    LAKE_FIELD(row, key, "key,partition=bucket[8]", ""),
    LAKE_FIELD(row, blob, "blob", ""),
    LAKE_FIELD(row, small, "small", ""),
    LAKE_FIELD(row, flag, "flag", ""),
    LAKE_FIELD(row, ratio, "ratio", ""),
};
static const lake_model row_model = LAKE_MODEL(row, "rows", row_fields);

static void columns_partition_as_their_tags_say(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &row_model, &err), &err);
    row r = {34, {"iceberg", 7}, {-1}, {11016}, {1065, 0}, {{0}}, {(const uint8_t *)"\x01\x02\x03", 3}, -5, true, 0.5};
    unsigned char uuid[16];
    unhex("f79c3e098d6a48c1b4b3d5e0b0a5bd0e", uuid);
    memcpy(&r.key, uuid, 16);
    lake__iceberg_part p;
    CHECK_OK(lake__iceberg_partition_value(&s->columns[0], &r, &p), NULL);
    CHECK(p.kind == LAKE__ICEBERG_PART_LONG && p.l == lake__iceberg_bucket_long(34, 16));
    CHECK_OK(lake__iceberg_partition_value(&s->columns[1], &r, &p), NULL);
    CHECK(p.kind == LAKE__ICEBERG_PART_BYTES && p.len == 2 && !memcmp(p.bytes, "ic", 2));
    CHECK_OK(lake__iceberg_partition_value(&s->columns[2], &r, &p), NULL);
    CHECK(p.kind == LAKE__ICEBERG_PART_LONG && p.l == -1);
    CHECK_OK(lake__iceberg_partition_value(&s->columns[3], &r, &p), NULL);
    CHECK_EQ_INT(p.l, 361); /* 2000-02-29 is month 361 */
    CHECK_OK(lake__iceberg_partition_value(&s->columns[4], &r, &p), NULL);
    CHECK(p.kind == LAKE__ICEBERG_PART_DECIMAL && p.dec == 1000);
    CHECK_OK(lake__iceberg_partition_value(&s->columns[5], &r, &p), NULL);
    CHECK(p.l == lake__iceberg_bucket_bytes(uuid, 16, 8));
    /* single values: little-endian numbers, big-endian shortest decimals, UUIDs as bytes */
    unsigned char b[16];
    const void *data;
    CHECK_EQ_INT(lake__iceberg_single_value(&s->columns[0], &r, b, &data), 8);
    CHECK(!memcmp(data, "\x22\0\0\0\0\0\0\0", 8));
    CHECK_EQ_INT(lake__iceberg_single_value(&s->columns[4], &r, b, &data), 2);
    CHECK(!memcmp(data, "\x04\x29", 2));
    CHECK_EQ_INT(lake__iceberg_single_value(&s->columns[3], &r, b, &data), 4);
    CHECK_EQ_INT(lake__iceberg_single_value(&s->columns[7], &r, b, &data), 4);
    CHECK(!memcmp(data, "\xfb\xff\xff\xff", 4));
    CHECK_EQ_INT(lake__iceberg_single_value(&s->columns[8], &r, b, &data), 1);
    CHECK_EQ_INT(lake__iceberg_single_value(&s->columns[9], &r, b, &data), 8);
    CHECK(!memcmp(data, "\0\0\0\0\0\0\xe0\x3f", 8));
    CHECK_EQ_INT(lake__iceberg_single_value(&s->columns[1], &r, b, &data), 7);
    CHECK(data == r.name.ptr);
    /* what the transforms take */
    CHECK(!lake__iceberg_transform_fits(LAKE_PARTITION_HOUR, LAKE_DATE));
    CHECK(!lake__iceberg_transform_fits(LAKE_PARTITION_BUCKET, LAKE_FLOAT64));
    CHECK(!lake__iceberg_transform_fits(LAKE_PARTITION_TRUNCATE, LAKE_UUID));
    CHECK(!lake__iceberg_transform_fits(LAKE_PARTITION_IDENTITY, LAKE_JSON));
    CHECK(lake__iceberg_transform_fits(LAKE_PARTITION_DAY, LAKE_DATE));
}

/* Bounds of text cut to 16 characters: the upper one raised so it still bounds. */
static void cut_bounds_still_bound(void) {
    unsigned char out[80];
    size_t n = lake__iceberg_upper_text((const unsigned char *)"abcdefghijklmnopq", 17, 16, false, out);
    CHECK(n == 16 && !memcmp(out, "abcdefghijklmnoq", 16));
    n = lake__iceberg_upper_text((const unsigned char *)"short", 5, 16, false, out);
    CHECK(n == 5 && !memcmp(out, "short", 5)); /* nothing cut: the value itself */
    /* a multi-byte last character: \u00e9 + 1 = \u00ea */
    n = lake__iceberg_upper_text((const unsigned char *)"\xc3\xa9\xc3\xa9x", 5, 1, false, out);
    CHECK(n == 2 && !memcmp(out, "\xc3\xaa", 2));
    /* U+10FFFF cannot be raised: the character before it is */
    n = lake__iceberg_upper_text((const unsigned char *)"a\xf4\x8f\xbf\xbfz", 6, 2, false, out);
    CHECK(n == 1 && out[0] == 'b');
    /* binary: trailing 0xff bytes go, the last other byte is raised */
    n = lake__iceberg_upper_text((const unsigned char *)"\x01\xff\xff\x07", 4, 3, true, out);
    CHECK(n == 1 && out[0] == 0x02);
    n = lake__iceberg_upper_text((const unsigned char *)"\xff\xff", 2, 1, true, out);
    CHECK_EQ_INT(n, 0); /* no upper bound */
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/lake-iceberg-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    LAKE_RUN(transforms_match_pyiceberg);
    LAKE_RUN(columns_partition_as_their_tags_say);
    LAKE_RUN(cut_bounds_still_bound);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) fprintf(stderr, "could not remove %s\n", dir);
    return lake_test_summary();
}
