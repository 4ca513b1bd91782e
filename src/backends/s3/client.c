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

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

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
    pthread_mutex_init(&s->lock, NULL);
    pthread_once(&curl_once, curl_init);
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
    if (!host || (strncmp(s->scheme_host, "http://", 7) && strncmp(s->scheme_host, "https://", 8)))
        return lake__error(err, LAKE_EINVAL, "s3 endpoint \"%s\" is not an http:// or https:// URL", s->scheme_host);
    host += 3;
    if (strchr(host, '/')) return lake__error(err, LAKE_EINVAL, "s3 endpoint \"%s\" has a path", s->scheme_host);
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
    s->max_attempts = o->max_attempts ? o->max_attempts : 5;
    s->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 60000;
    s->insecure = o->insecure;
    return LAKE_OK;
}

static void wipe_free(char *secret) {
    if (secret) memset(secret, 0, strlen(secret));
    lake__free(secret);
}

void lake__s3_dispose(lake__s3 *s) {
    for (size_t i = 0; i < s->idle_count; i++) curl_easy_cleanup(s->idle[i]);
    lake__free(s->scheme_host);
    lake__free(s->host);
    lake__free(s->bucket);
    lake__free(s->prefix);
    lake__free(s->region);
    lake__free(s->access_key);
    wipe_free(s->secret_key);
    wipe_free(s->session_token);
    pthread_mutex_destroy(&s->lock);
}

/* Easy handles are kept for their open connections. */
static CURL *take_handle(lake__s3 *s) {
    CURL *h = NULL;
    pthread_mutex_lock(&s->lock);
    if (s->idle_count) h = s->idle[--s->idle_count];
    pthread_mutex_unlock(&s->lock);
    if (h) curl_easy_reset(h);
    else h = curl_easy_init();
    return h;
}

static void give_handle(lake__s3 *s, CURL *h) {
    pthread_mutex_lock(&s->lock);
    bool kept = s->idle_count < sizeof s->idle / sizeof s->idle[0];
    if (kept) s->idle[s->idle_count++] = h;
    pthread_mutex_unlock(&s->lock);
    if (!kept) curl_easy_cleanup(h);
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx) {
    lake__buf *b = ctx;
    return lake__buf_put(b, data, size * n) ? 0 : size * n;
}

static void header_value(const char *line, size_t len, const char *name, char *out, size_t cap) {
    size_t n = strlen(name);
    if (len <= n + 1 || strncasecmp(line, name, n) || line[n] != ':') return;
    const char *v = line + n + 1;
    size_t vlen = len - n - 1;
    while (vlen && (*v == ' ' || *v == '\t')) v++, vlen--;
    while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' ')) vlen--;
    if (vlen >= cap) vlen = cap - 1;
    memcpy(out, v, vlen);
    out[vlen] = 0;
}

static size_t on_header(char *data, size_t size, size_t n, void *ctx) {
    lake__s3_response *r = ctx;
    header_value(data, size * n, "ETag", r->etag, sizeof r->etag);
    header_value(data, size * n, "x-amz-request-id", r->request_id, sizeof r->request_id);
    return size * n;
}

typedef struct body_reader {
    const char *data;
    size_t len, at;
} body_reader;

static size_t on_read(char *out, size_t size, size_t n, void *ctx) {
    body_reader *b = ctx;
    size_t take = size * n < b->len - b->at ? size * n : b->len - b->at;
    memcpy(out, b->data + b->at, take);
    b->at += take;
    return take;
}

static bool retryable_status(long status, const lake__s3_response *resp) {
    if (status == 500 || status == 502 || status == 503 || status == 504 || status == 429) return true;
    if (status == 400 && resp->body.len) { /* RequestTimeout comes as a 400 */
        lake__s3_error e;
        return !lake__s3_parse_error(resp->body.data, resp->body.len, &e) && !strcmp(e.code, "RequestTimeout");
    }
    return false;
}

static bool retryable_curl(CURLcode c) {
    return c == CURLE_COULDNT_CONNECT || c == CURLE_SEND_ERROR || c == CURLE_RECV_ERROR || c == CURLE_GOT_NOTHING ||
           c == CURLE_PARTIAL_FILE || c == CURLE_OPERATION_TIMEDOUT || c == CURLE_COULDNT_RESOLVE_HOST;
}

static void backoff(unsigned attempt) {
    /* Full jitter on an exponential bound: 100 ms, 200 ms, ... up to 5 s. */
    unsigned bound = 100u << (attempt < 6 ? attempt : 6);
    if (bound > 5000) bound = 5000;
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)(uintptr_t)&attempt ^ attempt * 2654435761u;
    unsigned ms = rand_r(&seed) % bound + 1;
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&t, NULL);
}

/* The full key in the bucket. */
static void full_key(lake__buf *b, const lake__s3 *s, const lake__s3_request *r) {
    if (!r->raw_key) lake__buf_puts(b, s->prefix);
    lake__buf_puts(b, r->key);
}

static int send_once(lake__s3 *s, CURL *h, const lake__s3_request *r, lake__s3_response *resp, CURLcode *curl_rc) {
    lake__buf path = LAKE__BUF_INIT, key = LAKE__BUF_INIT, url = LAKE__BUF_INIT, auth = LAKE__BUF_INIT,
              query = LAKE__BUF_INIT;
    if (s->path_style) {
        lake__buf_putc(&path, '/');
        lake__buf_puts(&path, s->bucket);
    }
    lake__buf_putc(&path, '/');
    if (r->key) {
        full_key(&key, s, r);
        lake__buf_put(&path, key.data, key.len);
    }
    lake__buf_putc(&path, 0);
    lake__canonical_query(&query, r->query, r->nquery);
    lake__buf_puts(&url, s->scheme_host);
    lake__uri_encode(&url, path.data, strlen(path.data), true);
    if (query.len) {
        lake__buf_putc(&url, '?');
        lake__buf_put(&url, query.data, query.len);
    }
    lake__buf_putc(&url, 0);

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
    lake__sigv4 key_info = {s->access_key, s->secret_key, s->region, "s3", amz_date};
    int signed_ok = !path.failed && !url.failed && !query.failed &&
                    !lake__sigv4_authorization(&auth, &key_info, r->method, path.data, r->query, r->nquery, headers, nh,
                                               payload);
    struct curl_slist *list = NULL;
    lake__buf line = LAKE__BUF_INIT;
    for (size_t i = 1; signed_ok && i < nh; i++) { /* curl sets Host itself from the URL */
        line.len = 0;
        lake__buf_printf(&line, "%s: %s", headers[i].key, headers[i].value);
        lake__buf_putc(&line, 0);
        list = curl_slist_append(list, line.data);
    }
    if (signed_ok) {
        line.len = 0;
        lake__buf_printf(&line, "Authorization: %s", auth.data);
        lake__buf_putc(&line, 0);
        list = curl_slist_append(list, line.data);
        list = curl_slist_append(list, "Expect:"); /* no 100-continue round trip */
    }
    body_reader reader = {r->body, r->body_len, 0};
    int rc = LAKE_OK;
    if (!signed_ok || !list) {
        rc = LAKE_ENOMEM;
    } else {
        curl_easy_setopt(h, CURLOPT_URL, url.data);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, s->timeout_ms);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, s->timeout_ms < 10000 ? s->timeout_ms : 10000L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, s->insecure ? 0L : 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, s->insecure ? 0L : 2L);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp->body);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, resp);
        if (!strcmp(r->method, "GET")) {
            curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
        } else if (!strcmp(r->method, "HEAD")) {
            curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        } else {
            curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
            curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
            curl_easy_setopt(h, CURLOPT_READDATA, &reader);
            curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)r->body_len);
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r->method);
        }
        *curl_rc = curl_easy_perform(h);
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
    }
    curl_slist_free_all(list);
    if (auth.data) memset(auth.data, 0, auth.len);
    lake__buf_dispose(&auth);
    lake__buf_dispose(&line);
    lake__buf_dispose(&path);
    lake__buf_dispose(&key);
    lake__buf_dispose(&url);
    lake__buf_dispose(&query);
    return rc;
}

int lake__s3_send(lake__s3 *s, const lake__s3_request *r, lake__s3_response *resp, lake_error *err) {
    memset(resp, 0, sizeof *resp);
    lake__buf key = LAKE__BUF_INIT;
    if (r->key) full_key(&key, s, r);
    lake__buf_putc(&key, 0);
    const char *what = r->key ? key.data : s->bucket;
    CURLcode crc = CURLE_OK;
    int rc = LAKE_OK;
    for (unsigned attempt = 0;; attempt++) {
        CURL *h = take_handle(s);
        if (!h) {
            rc = lake__error(err, LAKE_ENOMEM, "out of memory");
            break;
        }
        resp->body.len = 0;
        resp->status = 0;
        resp->etag[0] = resp->request_id[0] = 0;
        crc = CURLE_OK;
        rc = send_once(s, h, r, resp, &crc);
        give_handle(s, h);
        if (rc) {
            rc = lake__error(err, rc, "out of memory");
            break;
        }
        bool again = crc != CURLE_OK ? retryable_curl(crc) : retryable_status(resp->status, resp);
        if (!again || attempt + 1 >= s->max_attempts) break;
        backoff(attempt);
    }
    if (!rc && crc != CURLE_OK) {
        rc = lake__error(err, crc == CURLE_OPERATION_TIMEDOUT ? LAKE_ETIMEOUT : LAKE_EIO, "s3: %s %s: %s (after %u attempts)",
                         r->method, what, curl_easy_strerror(crc), s->max_attempts);
    } else if (!rc && (resp->status < 200 || resp->status > 299)) {
        lake__s3_error e;
        if (lake__s3_parse_error(resp->body.data ? resp->body.data : "", resp->body.len, &e)) {
            memset(&e, 0, sizeof e);
            snprintf(e.code, sizeof e.code, "HTTP%ld", resp->status);
        }
        long st = resp->status;
        int code = st == 404 ? LAKE_ENOTFOUND : st == 401 || st == 403 ? LAKE_EAUTH
                 : st == 409 || st == 412 ? LAKE_ECONFLICT : LAKE_EREMOTE;
        rc = lake__error(err, code, "s3: %s %s: %ld %s%s%s (request id %s)", r->method, what, st, e.code,
                         e.message[0] ? ": " : "", e.message, e.request_id[0] ? e.request_id : resp->request_id);
    }
    lake__buf_dispose(&key);
    return rc;
}
