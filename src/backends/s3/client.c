/* SPDX-License-Identifier: MIT */
#include "backends/s3/client.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "backends/s3/xml.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/redact.h"

static char *copy_of(const char *s) { return s ? lake__strndup(s, strlen(s)) : NULL; }

static const char *env(const char *name) {
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* key = value from [profile] of the shared credentials file. */
static char *from_credentials_file(const char *profile, const char *key) {
    char path[4096];
    const char *file = env("AWS_SHARED_CREDENTIALS_FILE");
    if (!file) {
        const char *home = env("HOME");
        if (!home) return NULL;
        snprintf(path, sizeof path, "%s/.aws/credentials", home);
        file = path;
    }
    FILE *f = fopen(file, "r");
    if (!f) return NULL;
    char line[1024], *found = NULL;
    bool inside = false;
    while (!found && fgets(line, sizeof line, f)) {
        char *p = line;
        while (isspace((unsigned char)*p)) p++;
        size_t n = strlen(p);
        while (n && isspace((unsigned char)p[n - 1])) p[--n] = 0;
        if (*p == '[') {
            inside = n >= 2 && p[n - 1] == ']' && n - 2 == strlen(profile) && !strncmp(p + 1, profile, n - 2);
            continue;
        }
        if (!inside || *p == '#' || *p == ';') continue;
        char *eq = strchr(p, '=');
        if (!eq) continue;
        char *k = p, *v = eq + 1;
        *eq = 0;
        size_t kn = strlen(k);
        while (kn && isspace((unsigned char)k[kn - 1])) k[--kn] = 0;
        while (isspace((unsigned char)*v)) v++;
        if (!strcmp(k, key)) found = copy_of(v);
    }
    fclose(f);
    return found;
}

int lake__s3_configure(lake__s3 *s, const char *where, const lake_s3_options *o, lake_error *err) {
    memset(s, 0, sizeof *s);
    lake__http_init(&s->http, o->timeout_ms, o->max_attempts, o->insecure);
    const char *slash = strchr(where, '/');
    size_t blen = slash ? (size_t)(slash - where) : strlen(where);
    if (blen < 3 || blen > 63)
        return lake__error(err, LAKE_EINVAL, "s3 URL: a bucket name is 3-63 characters, \"%.*s\" is not", (int)blen, where);
    for (size_t i = 0; i < blen; i++)
        if (!(islower((unsigned char)where[i]) || isdigit((unsigned char)where[i]) || where[i] == '-' || where[i] == '.'))
            return lake__error(err, LAKE_EINVAL, "s3 URL: bucket \"%.*s\" has a character S3 refuses", (int)blen, where);
    s->bucket = lake__strndup(where, blen);
    /* The prefix, normalised to "" or "a/b/". */
    const char *prefix = slash ? slash + 1 : "";
    size_t plen = strlen(prefix);
    while (plen && prefix[plen - 1] == '/') plen--;
    s->prefix = lake__malloc(plen + 2);
    if (s->prefix) {
        memcpy(s->prefix, prefix, plen);
        if (plen) s->prefix[plen++] = '/';
        s->prefix[plen] = 0;
    }
    const char *region = o->region ? o->region : env("AWS_REGION") ? env("AWS_REGION") : env("AWS_DEFAULT_REGION");
    s->region = copy_of(region ? region : "us-east-1");
    const char *profile = o->profile ? o->profile : env("AWS_PROFILE") ? env("AWS_PROFILE") : "default";
    if (o->access_key || o->secret_key) {
        s->access_key = copy_of(o->access_key);
        s->secret_key = copy_of(o->secret_key);
        s->session_token = copy_of(o->session_token);
    } else if (env("AWS_ACCESS_KEY_ID")) {
        s->access_key = copy_of(env("AWS_ACCESS_KEY_ID"));
        s->secret_key = copy_of(env("AWS_SECRET_ACCESS_KEY"));
        s->session_token = copy_of(env("AWS_SESSION_TOKEN"));
    } else {
        s->access_key = from_credentials_file(profile, "aws_access_key_id");
        s->secret_key = from_credentials_file(profile, "aws_secret_access_key");
        s->session_token = from_credentials_file(profile, "aws_session_token");
    }
    const char *endpoint = o->endpoint ? o->endpoint : env("AWS_ENDPOINT_URL_S3") ? env("AWS_ENDPOINT_URL_S3") : env("AWS_ENDPOINT_URL");
    char aws[256];
    if (!endpoint) {
        snprintf(aws, sizeof aws, "https://s3.%s.amazonaws.com", s->region ? s->region : "us-east-1");
        endpoint = aws;
    }
    size_t elen = strlen(endpoint);
    while (elen && endpoint[elen - 1] == '/') elen--;
    s->scheme_host = lake__strndup(endpoint, elen);
    s->path_style = o->path_style < 0 ? endpoint != aws : o->path_style != 0;
    const char *host = s->scheme_host ? strstr(s->scheme_host, "://") : NULL;
    if (!s->bucket || !s->prefix || !s->region || !s->scheme_host)
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    /* Not echoed: what is not a URL may be one percent-encoded, credentials and all. */
    if (!host || (strncmp(s->scheme_host, "http://", 7) && strncmp(s->scheme_host, "https://", 8)))
        return lake__error(err, LAKE_EINVAL, "the s3 endpoint (endpoint=, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL) is "
                                             "not an http:// or https:// URL");
    host += 3;
    if (strchr(host, '@'))
        return lake__error(err, LAKE_EINVAL, "the s3 endpoint holds user:password@, which is refused: credentials go in "
                                             "the environment or the shared credentials file (see docs/backends.md)");
    char shown[256];
    if (strchr(host, '/'))
        return lake__error(err, LAKE_EINVAL, "s3 endpoint \"%s\" has a path", lake__redact(s->scheme_host, shown, sizeof shown));
    if (s->path_style) {
        s->host = copy_of(host);
    } else {
        size_t n = strlen(s->bucket) + strlen(host) + 2, scheme = (size_t)(host - s->scheme_host);
        char *url = lake__malloc(scheme + n);
        if ((s->host = lake__malloc(n))) snprintf(s->host, n, "%s.%s", s->bucket, host);
        if (url) snprintf(url, scheme + n, "%.*s%s", (int)scheme, s->scheme_host, s->host ? s->host : "");
        lake__free(s->scheme_host);
        s->scheme_host = url; /* the bucket is in the host name */
    }
    if (!s->host || !s->scheme_host) return lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!s->access_key || !s->secret_key)
        return lake__error(err, LAKE_EAUTH, "s3://%s: no credentials: set them in the options, in AWS_ACCESS_KEY_ID and "
                                            "AWS_SECRET_ACCESS_KEY, or in the shared credentials file (profile %s)",
                           s->bucket, profile);
    s->part_size = o->part_size ? o->part_size : (uint64_t)8 << 20;
    if (s->part_size < ((uint64_t)5 << 20))
        return lake__error(err, LAKE_EINVAL, "s3 part_size %llu is below S3's 5 MiB minimum",
                           (unsigned long long)s->part_size);
    s->max_parallel = o->max_parallel ? o->max_parallel : 4;
    return LAKE_OK;
}

static void wipe_free(char *secret) {
    if (secret) memset(secret, 0, strlen(secret));
    lake__free(secret);
}

void lake__s3_dispose(lake__s3 *s) {
    lake__http_dispose(&s->http);
    lake__free(s->scheme_host);
    lake__free(s->host);
    lake__free(s->bucket);
    lake__free(s->prefix);
    lake__free(s->region);
    lake__free(s->access_key);
    wipe_free(s->secret_key);
    wipe_free(s->session_token);
}

static bool request_timeout(const lake__http_response *resp) {
    /* S3 answers a slow request body with 400 RequestTimeout: worth another try. */
    lake__s3_error e;
    return resp->status == 400 && resp->body.len &&
           !lake__s3_parse_error(resp->body.data, resp->body.len, &e) && !strcmp(e.code, "RequestTimeout");
}

/* The full key in the bucket. */
static void full_key(lake__buf *b, const lake__s3 *s, const lake__s3_request *r) {
    if (!r->raw_key) lake__buf_puts(b, s->prefix);
    lake__buf_puts(b, r->key);
}

typedef struct attempt {
    lake__s3 *s;
    const lake__s3_request *r;
} attempt;

/* One attempt's URL and signed headers: signed afresh each time. */
static int prepare(void *ctx, lake__buf *url, struct curl_slist **list) {
    const lake__s3 *s = ((attempt *)ctx)->s;
    const lake__s3_request *r = ((attempt *)ctx)->r;
    lake__buf path = LAKE__BUF_INIT, auth = LAKE__BUF_INIT, query = LAKE__BUF_INIT, line = LAKE__BUF_INIT;
    if (s->path_style) {
        lake__buf_putc(&path, '/');
        lake__buf_puts(&path, s->bucket);
    }
    lake__buf_putc(&path, '/');
    if (r->key) full_key(&path, s, r);
    lake__buf_putc(&path, 0);
    lake__canonical_query(&query, r->query, r->nquery);
    lake__buf_puts(url, s->scheme_host);
    lake__uri_encode(url, path.data ? path.data : "/", path.len ? path.len - 1 : 1, true);
    if (query.len) {
        lake__buf_putc(url, '?');
        lake__buf_put(url, query.data, query.len);
    }
    char amz_date[20], payload[65];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm);
    lake__sha256_hex(r->body ? r->body : "", r->body_len, payload);
    lake__kv headers[10] = {{"host", s->host}, {"x-amz-date", amz_date}, {"x-amz-content-sha256", payload}};
    size_t nh = 3;
    if (s->session_token) headers[nh++] = (lake__kv){"x-amz-security-token", s->session_token};
    for (size_t i = 0; i < r->nheaders; i++) headers[nh++] = r->headers[i];
    lake__sigv4 key = {s->access_key, s->secret_key, s->region, "s3", amz_date};
    int rc = path.failed || url->failed || query.failed ||
             lake__sigv4_authorization(&auth, &key, r->method, path.data, r->query, r->nquery, headers, nh, payload)
                 ? LAKE_ENOMEM : LAKE_OK;
    for (size_t i = 1; !rc && i <= nh; i++) { /* curl writes Host itself, from the URL */
        line.len = 0;
        if (i < nh) lake__buf_printf(&line, "%s: %s", headers[i].key, headers[i].value);
        else lake__buf_printf(&line, "Authorization: %s", auth.data);
        lake__buf_putc(&line, 0);
        struct curl_slist *grown = line.failed ? NULL : curl_slist_append(*list, line.data);
        if (!grown) rc = LAKE_ENOMEM;
        else *list = grown;
    }
    if (!rc) {
        struct curl_slist *grown = curl_slist_append(*list, "Expect:"); /* no 100-continue round trip */
        if (grown) *list = grown;
    }
    if (auth.data) memset(auth.data, 0, auth.len);
    if (line.data) memset(line.data, 0, line.len);
    lake__buf_dispose(&auth);
    lake__buf_dispose(&line);
    lake__buf_dispose(&path);
    lake__buf_dispose(&query);
    return rc;
}

int lake__s3_send(lake__s3 *s, const lake__s3_request *r, lake__s3_response *resp, lake_error *err) {
    lake__buf key = LAKE__BUF_INIT;
    if (r->key) full_key(&key, s, r);
    lake__buf_putc(&key, 0);
    char what[1200];
    snprintf(what, sizeof what, "s3: %s", r->key ? key.data : s->bucket);
    lake__buf_dispose(&key);
    attempt a = {s, r};
    int rc = lake__http_call(&s->http, r->method, prepare, &a, r->body, r->body_len, request_timeout, resp, what + 4, err);
    if (rc) {
        char why[sizeof err->message];
        if (err) {
            memcpy(why, err->message, sizeof why);
            lake__error(err, rc, "s3: %.400s", why);
        }
        return rc;
    }
    if (resp->status >= 200 && resp->status <= 299) return LAKE_OK;
    lake__s3_error e;
    if (lake__s3_parse_error(resp->body.data ? resp->body.data : "", resp->body.len, &e)) {
        memset(&e, 0, sizeof e);
        snprintf(e.code, sizeof e.code, "HTTP%ld", resp->status);
    }
    long st = resp->status;
    int code = st == 404 ? LAKE_ENOTFOUND : st == 401 || st == 403 ? LAKE_EAUTH : st == 409 || st == 412 ? LAKE_ECONFLICT
             : LAKE_EREMOTE;
    lake_error_kind kind = st == 404 ? LAKE_KIND_NOT_FOUND : st == 401 || st == 403 ? LAKE_KIND_PERMISSION
                         : st == 409 || st == 412 ? LAKE_KIND_CONFLICT : st >= 500 || st == 429 ? LAKE_KIND_RETRYABLE
                         : LAKE_KIND_NONE;
    /* S3's error code ("NoSuchBucket", "RequestTimeTooSkewed") is the class:
     * what a caller tells the user to do depends on it. */
    return lake__error_engine(err, code, kind, e.code, NULL, "s3: %s %s: %ld %s%s%s (request id %s)", r->method,
                              what + 4, st, e.code, e.message[0] ? ": " : "", e.message,
                              e.request_id[0] ? e.request_id : resp->request_id);
}
