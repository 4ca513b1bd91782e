/* SPDX-License-Identifier: MIT */
#include "schema/tag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema/name.h"

#define FAIL(...)                                    \
    do {                                             \
        snprintf(why, why_size, __VA_ARGS__);        \
        return LAKE_ESCHEMA;                         \
    } while (0)

static void trim(const char **s, size_t *len) {
    while (*len && (**s == ' ' || **s == '\t')) (*s)++, (*len)--;
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')) (*len)--;
}

static bool is(const char *s, size_t len, const char *word) {
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

/* "bucket[16]" -> 16; -1 when the text is not name[N] with 1 <= N <= 2^31-1. */
static long bracketed(const char *s, size_t len, const char *name) {
    size_t n = strlen(name);
    if (len < n + 3 || memcmp(s, name, n) || s[n] != '[' || s[len - 1] != ']') return -1;
    long v = 0;
    for (size_t i = n + 1; i < len - 1; i++) {
        if (s[i] < '0' || s[i] > '9' || v > 214748364) return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v >= 1 && len - 1 > n + 1 ? v : -1;
}

static int partition(lake__tag *t, const char *v, size_t len, char *why, size_t why_size) {
    static const struct {
        const char *name;
        lake_partition_transform transform;
    } plain[] = {{"identity", LAKE_PARTITION_IDENTITY}, {"year", LAKE_PARTITION_YEAR},
                 {"month", LAKE_PARTITION_MONTH},       {"day", LAKE_PARTITION_DAY},
                 {"hour", LAKE_PARTITION_HOUR}};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (is(v, len, plain[i].name)) {
            t->partition = plain[i].transform;
            return LAKE_OK;
        }
    long n;
    if ((n = bracketed(v, len, "bucket")) > 0) {
        t->partition = LAKE_PARTITION_BUCKET;
    } else if ((n = bracketed(v, len, "truncate")) > 0) {
        t->partition = LAKE_PARTITION_TRUNCATE;
    } else {
        FAIL("unknown partition transform \"%.*s\" (identity, year, month, day, hour, "
             "bucket[N], truncate[N])", (int)len, v);
    }
    t->partition_param = (int32_t)n;
    return LAKE_OK;
}

int lake__tag_parse(lake__tag *out, const char *tag, char *why, size_t why_size) {
    memset(out, 0, sizeof *out);
    if (!tag) tag = "";
    const char *comma = strchr(tag, ',');
    size_t len = comma ? (size_t)(comma - tag) : strlen(tag);
    const char *name = tag;
    trim(&name, &len);
    if (len == 0) FAIL("empty column name: a tag starts with the column name, e.g. \"id,pk\"");
    if (lake__name_check(name, len, LAKE__NAME_COLUMN, why, why_size)) return LAKE_ESCHEMA;
    out->name = name;
    out->name_len = len;

    unsigned seen = 0;
    while (comma) {
        const char *m = comma + 1;
        comma = strchr(m, ',');
        size_t mlen = comma ? (size_t)(comma - m) : strlen(m);
        trim(&m, &mlen);
        const char *eq = memchr(m, '=', mlen);
        size_t key_len = eq ? (size_t)(eq - m) : mlen;
        const char *key = m, *val = eq ? eq + 1 : NULL;
        size_t val_len = eq ? mlen - key_len - 1 : 0;
        trim(&key, &key_len);
        if (val) trim(&val, &val_len);
        unsigned bit;
        if (is(key, key_len, "pk")) bit = 1, out->primary_key = true;
        else if (is(key, key_len, "mergeKey")) bit = 2, out->merge_key = true;
        else if (is(key, key_len, "nullable")) bit = 4, out->nullable = true;
        else if (is(key, key_len, "partition")) bit = 8;
        else if (is(key, key_len, "auto")) bit = 16;
        else if (is(key, key_len, "json")) bit = 32;
        else if (key_len == 0) FAIL("empty modifier in tag \"%s\"", tag);
        else if (is(key, key_len, "required") || is(key, key_len, "validate"))
            FAIL("\"%.*s\" is not a tag modifier: validation rules go in the field's rules string",
                 (int)key_len, key);
        else FAIL("unknown modifier \"%.*s\" (pk, mergeKey, nullable, partition, auto=ingestID)",
                  (int)key_len, key);
        if (seen & bit) FAIL("modifier \"%.*s\" appears twice", (int)key_len, key);
        seen |= bit;
        if (bit == 8) {
            if (!val) out->partition = LAKE_PARTITION_IDENTITY;
            else if (partition(out, val, val_len, why, why_size)) return LAKE_ESCHEMA;
        } else if (bit == 16) {
            if (!val || !is(val, val_len, "ingestID"))
                FAIL("auto=%.*s: the only auto value is ingestID", (int)val_len, val ? val : "");
            out->auto_ingest_id = true;
        } else if (bit == 32) {
            /* Any JSON key but one a tag cannot carry (a comma) or that looks like nothing. */
            if (!val || val_len == 0) FAIL("json= needs the object key, e.g. json=userId");
            for (size_t i = 0; i < val_len; i++)
                if ((unsigned char)val[i] < 0x20 || val[i] == '"' || val[i] == '\\')
                    FAIL("json=%.*s: a key with control characters, quotes or backslashes", (int)val_len, val);
            out->json_name = val;
            out->json_name_len = val_len;
        } else if (val) {
            FAIL("modifier \"%.*s\" takes no value", (int)key_len, key);
        }
    }
    return LAKE_OK;
}
