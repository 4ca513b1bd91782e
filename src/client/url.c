/* SPDX-License-Identifier: MIT */
/* The URL form of client options, for the CLI and configuration files. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/client.h"
#include "drivers/driver.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/redact.h"
#include "util/version.h"

static int hex(int ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    ch = tolower(ch);
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Percent-decodes in place; false on a malformed escape or a NUL. */
static bool decode(char *s) {
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (*r == '%') {
            int a = hex((unsigned char)r[1]), b = a < 0 ? -1 : hex((unsigned char)r[2]);
            if (b < 0 || (a == 0 && b == 0)) return false;
            *w++ = (char)(a * 16 + b);
            r += 2;
        } else {
            *w++ = *r == '+' ? ' ' : *r;
        }
    }
    *w = 0;
    return true;
}

static bool unsigned_value(const char *v, uint64_t *out) {
    if (!*v || !isdigit((unsigned char)*v)) return false;
    errno = 0;
    char *end;
    unsigned long long x = strtoull(v, &end, 10);
    if (errno || *end) return false;
    *out = x;
    return true;
}

/* Every setting a URL query or a profile may name, and where it goes. */
const lake__client_key lake__client_keys[] = {
    {"staging", LAKE__KEY_TEXT, offsetof(lake_client_options, staging)},
    {"schema", LAKE__KEY_TEXT, offsetof(lake_client_options, default_schema)},
    {"dialect", LAKE__KEY_TEXT, offsetof(lake_client_options, dialect)},
    {"warehouse", LAKE__KEY_TEXT, offsetof(lake_client_options, warehouse)},
    {"catalog", LAKE__KEY_TEXT, offsetof(lake_client_options, catalog)},
    {"compression", LAKE__KEY_CODEC, offsetof(lake_client_options, compression)},
    {"row_group_bytes", LAKE__KEY_BYTES, offsetof(lake_client_options, row_group_bytes)},
    {"fast_path_bytes", LAKE__KEY_BYTES, offsetof(lake_client_options, fast_path_bytes)},
    {"max_in_flight", LAKE__KEY_COUNT, offsetof(lake_client_options, max_in_flight)},
    {"pool", LAKE__KEY_COUNT, offsetof(lake_client_options, pool_size)},
    {"threads", LAKE__KEY_COUNT, offsetof(lake_client_options, threads)},
    {"idempotency_ttl", LAKE__KEY_SECONDS, offsetof(lake_client_options, idempotency_ttl_us)},
    {"read_only", LAKE__KEY_BOOL, offsetof(lake_client_options, read_only)},
    {"log_level", LAKE__KEY_LEVEL, offsetof(lake_client_options, log_level)},
};
const size_t lake__client_key_count = sizeof lake__client_keys / sizeof lake__client_keys[0];

const lake__client_key *lake__client_key_find(const char *name) {
    for (size_t i = 0; i < lake__client_key_count; i++)
        if (!strcmp(name, lake__client_keys[i].name)) return &lake__client_keys[i];
    return NULL;
}

/* The index of value in names[n] (case-insensitive), or n. */
static size_t choice(const char *value, const char *const *names, size_t n) {
    size_t i = 0;
    while (i < n && strcasecmp(value, names[i])) i++;
    return i;
}

int lake__client_option_set(lake_client_options *o, const char *key, const char *value, lake_error *err) {
    const lake__client_key *k = lake__client_key_find(key);
    if (!k) {
        if (lake__redact_secret_key(key, strlen(key)))
            return lake__error(err, LAKE_EINVAL, "client URL: \"%.100s\" is a credential, and a URL query is no "
                                                 "place for one: credentials go in the environment or the shared "
                                                 "credentials file (see docs/backends.md)", key);
        char known[512];
        size_t n = 0;
        for (size_t i = 0; i < lake__client_key_count && n < sizeof known; i++)
            n += (size_t)snprintf(known + n, sizeof known - n, "%s%s", i ? ", " : "", lake__client_keys[i].name);
        return lake__error(err, LAKE_EINVAL, "unknown client URL key \"%.100s\" (known: %s)", key, known);
    }
    char *field = (char *)o + k->offset;
    uint64_t n = 0;
    switch (k->kind) {
    case LAKE__KEY_TEXT:
        *(const char **)field = value;
        return LAKE_OK;
    case LAKE__KEY_BOOL:
        if (strcmp(value, "true") && strcmp(value, "false"))
            return lake__error(err, LAKE_EINVAL, "%s=%.100s: use true or false", key, value);
        *(bool *)field = value[0] == 't';
        return LAKE_OK;
    case LAKE__KEY_CODEC: {
        static const char *const names[] = {"zstd", "snappy", "gzip", "none"};
        static const lake_codec codecs[] = {LAKE_CODEC_ZSTD, LAKE_CODEC_SNAPPY, LAKE_CODEC_GZIP, LAKE_CODEC_UNCOMPRESSED};
        size_t i = choice(value, names, 4);
        if (i == 4) return lake__error(err, LAKE_EINVAL, "%s=%.100s: use zstd, snappy, gzip or none", key, value);
        *(lake_codec *)field = codecs[i];
        return LAKE_OK;
    }
    case LAKE__KEY_LEVEL: {
        static const char *const names[] = {"debug", "info", "warn", "error"};
        size_t i = choice(value, names, 4);
        if (i == 4) return lake__error(err, LAKE_EINVAL, "%s=%.100s: use debug, info, warn or error", key, value);
        *(lake_log_level *)field = (lake_log_level)i;
        return LAKE_OK;
    }
    case LAKE__KEY_BYTES:
    case LAKE__KEY_COUNT:
    case LAKE__KEY_SECONDS:
        if (!unsigned_value(value, &n) || n == 0 || n > ((uint64_t)1 << 40))
            return lake__error(err, LAKE_EINVAL, "%.100s=%.100s: expected a positive whole number", key, value);
        if (k->kind == LAKE__KEY_BYTES) *(uint64_t *)field = n;
        else if (k->kind == LAKE__KEY_COUNT) *(unsigned *)field = n > 1024 ? 1024 : (unsigned)n;
        else *(int64_t *)field = (int64_t)n * 1000000;
        return LAKE_OK;
    }
    return lake__error(err, LAKE_ERROR, "client key %s: no setter", key);
}

int lake__client_url_split(const char *url, const char **driver, const char **database, char **storage,
                           lake__url_item_fn fn, void *ctx, lake_error *err) {
    *storage = NULL;
    size_t skip;
    char shown[48];
    if (lake__driver_of_url(url, driver, &skip))
        return lake__error(err, LAKE_ENOTSUP, "client URL \"%s...\": use duckdb://, sc:// (Spark Connect) or "
                                              "https:// (a Databricks SQL warehouse)", lake__redact(url, shown, sizeof shown));
    char *copy = lake__strndup(url + skip, strlen(url) - skip);
    if (!copy) return lake__error(err, LAKE_ENOMEM, "out of memory");
    char *query = strchr(copy, '?');
    if (query) *query++ = 0;
    int rc = LAKE_OK;
    /* An address the driver reads whole keeps its own syntax; a path is percent-decoded. */
    if (skip && !decode(copy)) rc = lake__error(err, LAKE_EINVAL, "client URL: malformed percent escape in the path");
    *database = *copy ? copy : NULL;
    for (char *pair = query, *next; !rc && pair && *pair; pair = next) {
        next = strchr(pair, '&');
        if (next) *next++ = 0;
        char *eq = strchr(pair, '=');
        if (!eq) {
            /* Not echoed: an item without '=' may be a pasted secret. */
            rc = lake__error(err, LAKE_EINVAL, "client URL: an item of the query has no value (the query holds key=value pairs)");
            break;
        }
        *eq = 0;
        if (!decode(pair) || !decode(eq + 1)) rc = lake__error(err, LAKE_EINVAL, "client URL: malformed percent escape");
        else rc = fn(ctx, pair, eq + 1, err);
    }
    if (rc) lake__free(copy);
    else *storage = copy;
    return rc;
}

static int set_item(void *ctx, const char *key, const char *value, lake_error *err) {
    return lake__client_option_set(ctx, key, value, err);
}

int lake__client_url_parse(const char *url, lake_client_options *o, char **storage, lake_error *err) {
    return lake__client_url_split(url, &o->driver, &o->database, storage, set_item, o, err);
}

int lake_client_open_url(lake_client **out, const char *url, const lake_client_options *base, lake_error *err) {
    if (!out || !url) return lake__error(err, LAKE_EINVAL, "lake_client_open_url: out and url are required");
    *out = NULL;
    lake_client_options o;
    int rc = lake__client_options_read(&o, base, err);
    if (rc) return rc;
    char *storage;
    rc = lake__client_url_parse(url, &o, &storage, err);
    if (!rc) rc = lake_client_open(out, &o, err); /* it copies what it keeps */
    lake__free(storage);
    return rc;
}
