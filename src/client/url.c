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

static int apply(lake_client_options *o, const char *key, const char *value, lake_error *err) {
    uint64_t n = 0;
    if (!strcmp(key, "staging")) o->staging = value;
    else if (!strcmp(key, "schema")) o->default_schema = value;
    else if (!strcmp(key, "dialect")) o->dialect = value;
    else if (!strcmp(key, "warehouse")) o->warehouse = value;
    else if (!strcmp(key, "catalog")) o->catalog = value;
    else if (!strcmp(key, "read_only")) {
        if (strcmp(value, "true") && strcmp(value, "false"))
            return lake__error(err, LAKE_EINVAL, "read_only=%.100s: use true or false", value);
        o->read_only = value[0] == 't';
    }
    else if (!strcmp(key, "compression")) {
        static const struct { const char *name; lake_codec codec; } codecs[] = {
            {"zstd", LAKE_CODEC_ZSTD}, {"snappy", LAKE_CODEC_SNAPPY}, {"gzip", LAKE_CODEC_GZIP}, {"none", LAKE_CODEC_UNCOMPRESSED}};
        size_t i = 0;
        while (i < 4 && strcasecmp(value, codecs[i].name)) i++;
        if (i == 4) return lake__error(err, LAKE_EINVAL, "compression=%.100s: use zstd, snappy, gzip or none", value);
        o->compression = codecs[i].codec;
    } else if (!strcmp(key, "row_group_bytes") || !strcmp(key, "fast_path_bytes") || !strcmp(key, "max_in_flight") || !strcmp(key, "pool") ||
               !strcmp(key, "idempotency_ttl")) {
        if (!unsigned_value(value, &n) || n == 0 || n > ((uint64_t)1 << 40))
            return lake__error(err, LAKE_EINVAL, "%.100s=%.100s: expected a positive whole number", key, value);
        if (key[0] == 'r') o->row_group_bytes = n;
        else if (key[0] == 'f') o->fast_path_bytes = n;
        else if (key[0] == 'm') o->max_in_flight = n > 1024 ? 1024 : (unsigned)n;
        else if (key[0] == 'p') o->pool_size = n > 1024 ? 1024 : (unsigned)n;
        else o->idempotency_ttl_us = (int64_t)n * 1000000;
    } else if (lake__redact_secret_key(key, strlen(key))) {
        return lake__error(err, LAKE_EINVAL, "client URL: \"%.100s\" is a credential, and a URL query is no place for "
                                             "one: credentials go in the environment or the shared credentials file "
                                             "(see docs/backends.md)", key);
    } else {
        return lake__error(err, LAKE_EINVAL,
                           "unknown client URL key \"%.100s\" (known: staging, schema, dialect, warehouse, catalog, "
                           "compression, "
                           "row_group_bytes, fast_path_bytes, max_in_flight, pool, idempotency_ttl, read_only)", key);
    }
    return LAKE_OK;
}

int lake__client_url_parse(const char *url, lake_client_options *o, char **storage, lake_error *err) {
    *storage = NULL;
    const char *driver;
    size_t skip;
    char shown[48];
    if (lake__driver_of_url(url, &driver, &skip))
        return lake__error(err, LAKE_ENOTSUP, "client URL \"%s...\": use duckdb://, sc:// (Spark Connect) or "
                                              "https:// (a Databricks SQL warehouse)", lake__redact(url, shown, sizeof shown));
    char *copy = lake__strndup(url + skip, strlen(url) - skip);
    if (!copy) return lake__error(err, LAKE_ENOMEM, "out of memory");
    char *query = strchr(copy, '?');
    if (query) *query++ = 0;
    int rc = LAKE_OK;
    /* An address the driver reads whole keeps its own syntax; a path is percent-decoded. */
    if (skip && !decode(copy)) rc = lake__error(err, LAKE_EINVAL, "client URL: malformed percent escape in the path");
    o->driver = driver;
    o->database = *copy ? copy : NULL;
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
        else rc = apply(o, pair, eq + 1, err);
    }
    if (rc) lake__free(copy);
    else *storage = copy;
    return rc;
}

int lake_client_open_url(lake_client **out, const char *url, const lake_client_options *base, lake_error *err) {
    if (!out || !url) return lake__error(err, LAKE_EINVAL, "lake_client_open_url: out and url are required");
    *out = NULL;
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    if (base) {
        int rc = LAKE__VERSION_CHECK(base, lake_client_options, LAKE_CLIENT_OPTIONS, err);
        if (rc) return rc;
        memcpy(&o, base, lake__client_options_size(base->version));
    }
    char *storage;
    int rc = lake__client_url_parse(url, &o, &storage, err);
    if (!rc) rc = lake_client_open(out, &o, err); /* it copies what it keeps */
    lake__free(storage);
    return rc;
}
