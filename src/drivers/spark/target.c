/* SPDX-License-Identifier: MIT */
#include "drivers/spark/target.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm/ids.h>

#include "error/error.h"
#include "util/alloc.h"

static int add_header(lake__spark_target *t, const char *key, size_t key_len, const char *value, size_t value_len) {
    lake__grpc_header *grown = lake__realloc(t->headers, t->header_count * sizeof *grown, (t->header_count + 1) * sizeof *grown);
    if (!grown) return LAKE_ENOMEM;
    t->headers = grown;
    lake__grpc_header *h = &t->headers[t->header_count];
    h->key = lake__strndup(key, key_len);
    h->value = lake__strndup(value, value_len);
    if (!h->key || !h->value) {
        lake__free(h->key);
        lake__free(h->value);
        return LAKE_ENOMEM;
    }
    for (char *p = h->key; *p; p++) *p = (char)tolower((unsigned char)*p);
    t->header_count++;
    return LAKE_OK;
}

static bool is(const char *key, size_t n, const char *name) { return strlen(name) == n && !memcmp(key, name, n); }

/* A header name HTTP/2 accepts: token characters, not a pseudo-header. */
static bool header_name(const char *key, size_t n) {
    if (!n || key[0] == ':') return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)key[i]) && !strchr("-_.", key[i])) return false;
    return true;
}

static bool printable(const char *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) return false;
    return true;
}

static int param(lake__spark_target *t, const char *key, size_t key_len, const char *value, size_t value_len,
                 bool *ssl_set, lake_error *err) {
    char v[512];
    if (value_len >= sizeof v || !printable(value, value_len))
        return lake__error(err, LAKE_EINVAL, "connection string: the value of %.*s is too long or holds control characters",
                           (int)key_len, key);
    memcpy(v, value, value_len);
    v[value_len] = 0;
    if (is(key, key_len, "token")) {
        if (!value_len) return lake__error(err, LAKE_EINVAL, "connection string: token is empty");
        if (t->header_count && !strcmp(t->headers[0].key, "authorization"))
            return lake__error(err, LAKE_EINVAL, "connection string: token is given twice");
        char bearer[520];
        int n = snprintf(bearer, sizeof bearer, "Bearer %s", v);
        memset(v, 0, sizeof v);
        /* Spark's spec: a token turns TLS on (unless use_ssl says otherwise). */
        if (!*ssl_set) t->tls = true;
        int failed = add_header(t, "authorization", 13, bearer, (size_t)n);
        memset(bearer, 0, sizeof bearer);
        if (failed) return lake__error(err, LAKE_ENOMEM, "out of memory");
        lake__grpc_header h = t->headers[t->header_count - 1]; /* first, whatever the order in the string */
        memmove(t->headers + 1, t->headers, (t->header_count - 1) * sizeof *t->headers);
        t->headers[0] = h;
        return LAKE_OK;
    }
    if (is(key, key_len, "use_ssl")) {
        if (strcmp(v, "true") && strcmp(v, "false"))
            return lake__error(err, LAKE_EINVAL, "connection string: use_ssl=%s: use true or false", v);
        t->tls = v[0] == 't';
        *ssl_set = true;
        return LAKE_OK;
    }
    if (is(key, key_len, "user_id") || is(key, key_len, "user_agent")) {
        char *dst = key[5] == 'i' ? t->user_id : t->user_agent;
        if (value_len >= 128) return lake__error(err, LAKE_EINVAL, "connection string: %.*s is over 127 bytes", (int)key_len, key);
        memcpy(dst, v, value_len + 1);
        return LAKE_OK;
    }
    if (is(key, key_len, "session_id")) {
        lake_uuid id;
        if (lake_uuid_parse(&id, v, value_len))
            return lake__error(err, LAKE_EINVAL, "connection string: session_id=%s is not a UUID", v);
        lake_uuid_format(&id, t->session_id);
        return LAKE_OK;
    }
    if (is(key, key_len, "grpc_max_message_size")) {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < 1024 || n > 0x7fffffffL)
            return lake__error(err, LAKE_EINVAL, "connection string: grpc_max_message_size=%s: 1024 to 2147483647", v);
        t->max_message_bytes = (int)n;
        return LAKE_OK;
    }
    if (!header_name(key, key_len))
        return lake__error(err, LAKE_EINVAL, "connection string: \"%.*s\" is not a valid header name", (int)key_len, key);
    if (is(key, key_len, "authorization"))
        return lake__error(err, LAKE_EINVAL, "connection string: pass credentials as token=, not as a header");
    return add_header(t, key, key_len, value, value_len) ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

int lake__spark_target_parse(const char *url, lake__spark_target *t, lake_error *err) {
    memset(t, 0, sizeof *t);
    if (strncmp(url, "sc://", 5))
        return lake__error(err, LAKE_EINVAL, "a Spark Connect address starts with sc:// (sc://host:15002)");
    const char *host = url + 5, *end = host + strcspn(host, "/");
    if (memchr(host, '@', strcspn(host, ";"))) /* not echoed: a secret may hold a '/' */
        return lake__error(err, LAKE_EINVAL, "connection string: user:password@ before the host is refused: pass "
                                             "credentials as ;token=");
    const char *colon = NULL;
    for (const char *p = host; p < end; p++)
        if (*p == ':') colon = p;
    if (host[0] == '[') { /* an IPv6 literal keeps its colons */
        const char *close = memchr(host, ']', (size_t)(end - host));
        colon = close && close + 1 < end && close[1] == ':' ? close + 1 : NULL;
    }
    size_t host_len = (size_t)((colon ? colon : end) - host);
    long port = 15002;
    if (colon) {
        char *stop;
        port = strtol(colon + 1, &stop, 10);
        if (stop != end || port < 1 || port > 65535)
            return lake__error(err, LAKE_EINVAL, "connection string: the port must be 1-65535");
    }
    if (!host_len || host_len > 255) return lake__error(err, LAKE_EINVAL, "connection string: no host");
    snprintf(t->address, sizeof t->address, "%.*s:%ld", (int)host_len, host, port);
    const char *rest = end;
    if (*rest && strncmp(rest, "/;", 2) && strcmp(rest, "/"))
        return lake__error(err, LAKE_EINVAL, "connection string: after the host comes nothing or /;key=value");
    bool ssl_set = false;
    int rc = LAKE_OK;
    for (const char *p = *rest ? rest + 1 : rest; !rc && *p;) {
        if (*p == ';') {
            p++;
            continue;
        }
        size_t n = strcspn(p, ";");
        const char *eq = memchr(p, '=', n);
        if (!eq) rc = lake__error(err, LAKE_EINVAL, "connection string: an item after the host has no '=' (not echoed: "
                                                    "it may be a secret; items are ;key=value)");
        else rc = param(t, p, (size_t)(eq - p), eq + 1, n - (size_t)(eq - p) - 1, &ssl_set, err);
        p += n;
    }
    return rc;
}

void lake__spark_target_dispose(lake__spark_target *t) {
    for (size_t i = 0; i < t->header_count; i++) {
        if (t->headers[i].value) memset(t->headers[i].value, 0, strlen(t->headers[i].value)); /* the token */
        lake__free(t->headers[i].key);
        lake__free(t->headers[i].value);
    }
    lake__free(t->headers);
    t->headers = NULL;
    t->header_count = 0;
}
