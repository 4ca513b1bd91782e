/* SPDX-License-Identifier: MIT */
#include "backends/s3/sigv4.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"

static bool unreserved(unsigned char c) {
    return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

void lake__uri_encode(lake__buf *b, const char *s, size_t len, bool keep_slash) {
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x80 && unreserved(c)) || (keep_slash && c == '/')) {
            lake__buf_putc(b, (char)c);
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            lake__buf_put(b, esc, 3);
        }
    }
}

typedef struct encoded {
    char *key, *value;
} encoded;

static int by_key(const void *x, const void *y) {
    const encoded *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    return c ? c : strcmp(a->value, b->value);
}

static char *encode(const char *s) {
    lake__buf b = LAKE__BUF_INIT;
    lake__uri_encode(&b, s, strlen(s), false);
    lake__buf_putc(&b, 0);
    return lake__buf_detach(&b, NULL);
}

void lake__canonical_query(lake__buf *out, const lake__kv *q, size_t n) {
    encoded *e = lake__calloc(n ? n : 1, sizeof *e);
    bool ok = e != NULL;
    for (size_t i = 0; ok && i < n; i++) ok = (e[i].key = encode(q[i].key)) && (e[i].value = encode(q[i].value ? q[i].value : ""));
    if (ok) {
        qsort(e, n, sizeof *e, by_key);
        for (size_t i = 0; i < n; i++) lake__buf_printf(out, "%s%s=%s", i ? "&" : "", e[i].key, e[i].value);
    } else {
        out->failed = 1;
    }
    for (size_t i = 0; e && i < n; i++) lake__free(e[i].key), lake__free(e[i].value);
    lake__free(e);
}

void lake__sha256_hex(const void *data, size_t len, char out[65]) {
    unsigned char d[32];
    unsigned int n = 0;
    EVP_Digest(data, len, d, &n, EVP_sha256(), NULL);
    for (int i = 0; i < 32; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void hmac(const void *key, size_t key_len, const char *msg, unsigned char out[32]) {
    unsigned int n = 32;
    HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)msg, strlen(msg), out, &n);
}

typedef struct header {
    char *name; /* lowercase */
    const char *value;
    size_t order; /* repeated headers keep the order they were given in */
} header;

static int by_name(const void *x, const void *y) {
    const header *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->order > b->order) - (a->order < b->order);
}

/* Trimmed, with inner runs of spaces as one. */
static void put_value(lake__buf *b, const char *v) {
    while (*v == ' ' || *v == '\t') v++;
    size_t end = strlen(v);
    while (end && (v[end - 1] == ' ' || v[end - 1] == '\t')) end--;
    bool space = false;
    for (size_t i = 0; i < end; i++) {
        if (v[i] == ' ' || v[i] == '\t') {
            space = true;
            continue;
        }
        if (space) lake__buf_putc(b, ' ');
        space = false;
        lake__buf_putc(b, v[i]);
    }
}

int lake__sigv4_authorization(lake__buf *out, const lake__sigv4 *k, const char *method, const char *path,
                              const lake__kv *query, size_t nquery, const lake__kv *headers, size_t nheaders,
                              const char *payload_hash) {
    header *h = lake__calloc(nheaders ? nheaders : 1, sizeof *h);
    if (!h) return -1;
    bool ok = true;
    for (size_t i = 0; ok && i < nheaders; i++) {
        size_t len = strlen(headers[i].key);
        ok = (h[i].name = lake__strndup(headers[i].key, len)) != NULL;
        for (size_t c = 0; ok && c < len; c++) h[i].name[c] = (char)tolower((unsigned char)h[i].name[c]);
        h[i].value = headers[i].value;
        h[i].order = i;
    }
    lake__buf creq = LAKE__BUF_INIT, signed_headers = LAKE__BUF_INIT, sts = LAKE__BUF_INIT;
    if (ok) {
        qsort(h, nheaders, sizeof *h, by_name);
        lake__buf_puts(&creq, method);
        lake__buf_putc(&creq, '\n');
        lake__uri_encode(&creq, path, strlen(path), true);
        lake__buf_putc(&creq, '\n');
        lake__canonical_query(&creq, query, nquery);
        lake__buf_putc(&creq, '\n');
        for (size_t i = 0; i < nheaders; i++) {
            bool repeat = i && !strcmp(h[i].name, h[i - 1].name);
            if (!repeat) {
                if (i) lake__buf_putc(&creq, '\n');
                lake__buf_printf(&creq, "%s:", h[i].name);
                lake__buf_printf(&signed_headers, "%s%s", signed_headers.len ? ";" : "", h[i].name);
            } else {
                lake__buf_putc(&creq, ','); /* repeated headers: values joined in the order given */
            }
            put_value(&creq, h[i].value);
        }
        lake__buf_puts(&creq, "\n\n");
        lake__buf_put(&creq, signed_headers.data ? signed_headers.data : "", signed_headers.len);
        lake__buf_putc(&creq, '\n');
        lake__buf_puts(&creq, payload_hash);
        ok = !creq.failed && !signed_headers.failed;
    }
    if (ok) {
        char hash[65], date[9];
        lake__sha256_hex(creq.data, creq.len, hash);
        memcpy(date, k->amz_date, 8);
        date[8] = 0;
        lake__buf_printf(&sts, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s", k->amz_date, date, k->region,
                         k->service, hash);
        lake__buf secret = LAKE__BUF_INIT;
        lake__buf_printf(&secret, "AWS4%s", k->secret_key);
        unsigned char a[32], b[32];
        hmac(secret.data, secret.len, date, a);
        hmac(a, 32, k->region, b);
        hmac(b, 32, k->service, a);
        hmac(a, 32, "aws4_request", b);
        lake__buf_putc(&sts, 0);
        hmac(b, 32, sts.data, a);
        memset(secret.data, 0, secret.len); /* the secret leaves no copy behind */
        lake__buf_dispose(&secret);
        char sig[65];
        for (int i = 0; i < 32; i++) snprintf(sig + 2 * i, 3, "%02x", a[i]);
        lake__buf_printf(out, "AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=%s, Signature=%s",
                         k->access_key, date, k->region, k->service, signed_headers.data, sig);
        ok = !out->failed && !sts.failed;
    }
    for (size_t i = 0; i < nheaders; i++) lake__free(h[i].name);
    lake__free(h);
    lake__buf_dispose(&creq);
    lake__buf_dispose(&signed_headers);
    lake__buf_dispose(&sts);
    return ok ? 0 : -1;
}
