/* SPDX-License-Identifier: MIT */
/* The gs:// backend on the JSON API: small objects in one media upload,
 * larger ones through a resumable session fed chunk by chunk as the writer
 * produces them (cancelled on failure); listing by pages; create-only writes
 * with ifGenerationMatch=0. With HMAC keys it is the S3 backend pointed at
 * GCS's XML API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/gcs/auth.h"
#include "backends/gcs/json.h"
#include "backends/http.h"
#include "backends/s3/sigv4.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/redact.h"

typedef struct gcs {
    char *endpoint; /* "https://storage.googleapis.com" */
    char *bucket, *prefix;
    uint64_t chunk_size;
    lake__http http;
    lake__gcs_auth auth;
} gcs;

#define GCS(b) ((gcs *)(b)->impl)

/* A request: the URL built from parts, the bearer header added per attempt. */
typedef struct call {
    gcs *g;
    const char *url;      /* absolute (a resumable session) or NULL */
    const char *path;     /* after the endpoint, already encoded */
    const char *headers[3];
    lake_error *err;
} call;

static int prepare(void *ctx, lake__buf *url, struct curl_slist **list) {
    call *c = ctx;
    if (c->url) lake__buf_puts(url, c->url);
    else lake__buf_puts(url, c->g->endpoint), lake__buf_puts(url, c->path);
    char auth[4200];
    lake_error why = LAKE_ERROR_INIT;
    int rc = lake__gcs_auth_header(&c->g->auth, &c->g->http, auth, sizeof auth, &why);
    if (rc) {
        if (c->err) *c->err = why; /* the token failure is the error to report */
        else lake_error_clear(&why);
        return rc;
    }
    char line[4300];
    if (auth[0]) {
        snprintf(line, sizeof line, "Authorization: %s", auth);
        struct curl_slist *h = curl_slist_append(*list, line);
        memset(line, 0, sizeof line);
        memset(auth, 0, sizeof auth);
        if (!h) return LAKE_ENOMEM;
        *list = h;
    }
    for (int i = 0; i < 3 && c->headers[i]; i++) {
        struct curl_slist *h = curl_slist_append(*list, c->headers[i]);
        if (!h) return LAKE_ENOMEM;
        *list = h;
    }
    struct curl_slist *h = curl_slist_append(*list, "Expect:");
    if (h) *list = h;
    return url->failed ? LAKE_ENOMEM : LAKE_OK;
}

/* Sends and judges: 2xx (and `also`, e.g. 308 mid-upload) is success. */
static int gcs_send(gcs *g, const char *method, call *c, const void *body, size_t len, long also, lake__http_response *resp,
                const char *what, lake_error *err) {
    c->g = g;
    c->err = err;
    int rc = lake__http_call(&g->http, method, prepare, c, body, len, NULL, resp, what, err);
    if (rc) {
        lake__buf_dispose(&resp->body);
        return rc;
    }
    if ((resp->status >= 200 && resp->status <= 299) || resp->status == also) return LAKE_OK;
    char message[300] = "";
    if (lake__gcs_parse_error(resp->body.data ? resp->body.data : "", resp->body.len, message, sizeof message))
        snprintf(message, sizeof message, "HTTP %ld", resp->status);
    long st = resp->status;
    int code = st == 404 ? LAKE_ENOTFOUND : st == 401 || st == 403 ? LAKE_EAUTH : st == 409 || st == 412 ? LAKE_ECONFLICT
             : LAKE_EREMOTE;
    lake__buf_dispose(&resp->body); /* a failed call hands back no body */
    return lake__error(err, code, "gcs: %s %s: %ld: %s", method, what, st, message);
}

static void object_name(lake__buf *b, const gcs *g, const char *key) {
    lake__buf name = LAKE__BUF_INIT;
    lake__buf_puts(&name, g->prefix);
    lake__buf_puts(&name, key);
    lake__uri_encode(b, name.data ? name.data : "", name.len, false); /* '/' too: the name is one path segment */
    if (name.failed) b->failed = 1;
    lake__buf_dispose(&name);
}

/* ---- uploads */

typedef struct gcs_upload {
    gcs *g;
    char *key;
    bool if_absent;
    unsigned char *buf;
    size_t len;
    char session[2048]; /* a resumable upload's URI, once started */
    uint64_t sent;      /* bytes the session has */
} gcs_upload;

static int upload_path(lake__buf *p, gcs_upload *u, const char *type) {
    lake__buf_printf(p, "/upload/storage/v1/b/%s/o?uploadType=%s&name=", u->g->bucket, type);
    object_name(p, u->g, u->key);
    if (u->if_absent) lake__buf_puts(p, "&ifGenerationMatch=0");
    lake__buf_putc(p, 0);
    return p->failed ? LAKE_ENOMEM : LAKE_OK;
}

static int start_session(gcs_upload *u, lake_error *err) {
    lake__buf p = LAKE__BUF_INIT;
    int rc = upload_path(&p, u, "resumable") ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
    call c = {0};
    c.path = p.data;
    c.headers[0] = "Content-Type: application/json";
    lake__http_response resp;
    if (!rc) rc = gcs_send(u->g, "POST", &c, "{}", 2, 0, &resp, u->key, err);
    if (!rc && !resp.location[0]) rc = lake__error(err, LAKE_EREMOTE, "gcs: no session URI for %s", u->key);
    if (!rc) snprintf(u->session, sizeof u->session, "%s", resp.location);
    if (!rc) lake__buf_dispose(&resp.body);
    else if (resp.body.data) lake__buf_dispose(&resp.body);
    lake__buf_dispose(&p);
    return rc;
}

/* Sends the buffer to the session; `last` says the object ends with it. */
static int send_chunk(gcs_upload *u, bool last, lake_error *err) {
    char range[128];
    uint64_t end = u->sent + u->len;
    if (u->len) snprintf(range, sizeof range, "Content-Range: bytes %llu-%llu/%s", (unsigned long long)u->sent,
                         (unsigned long long)end - 1, "*");
    if (last && u->len) snprintf(range, sizeof range, "Content-Range: bytes %llu-%llu/%llu", (unsigned long long)u->sent,
                                 (unsigned long long)end - 1, (unsigned long long)end);
    if (last && !u->len) snprintf(range, sizeof range, "Content-Range: bytes */%llu", (unsigned long long)end);
    call c = {0};
    c.url = u->session;
    c.headers[0] = range;
    lake__http_response resp;
    int rc = gcs_send(u->g, "PUT", &c, u->buf ? u->buf : (const void *)"", u->len, last ? 0 : 308, &resp, u->key, err);
    lake__buf_dispose(&resp.body);
    if (!rc) u->sent = end, u->len = 0;
    return rc;
}

static int sink_write(void *ctx, const void *data, size_t len, lake_error *err) {
    gcs_upload *u = ctx;
    const unsigned char *p = data;
    while (len) {
        if (!u->buf && !(u->buf = lake__malloc(u->g->chunk_size))) return lake__error(err, LAKE_ENOMEM, "out of memory");
        size_t room = u->g->chunk_size - u->len, take = len < room ? len : room;
        memcpy(u->buf + u->len, p, take);
        u->len += take, p += take, len -= take;
        if (u->len == u->g->chunk_size) {
            int rc = u->session[0] ? LAKE_OK : start_session(u, err);
            if (!rc) rc = send_chunk(u, false, err);
            if (rc) return rc;
        }
    }
    return LAKE_OK;
}

static void upload_free(gcs_upload *u) {
    lake__free(u->buf);
    lake__free(u->key);
    lake__free(u);
}

static int begin(lake_backend *b, const char *key, bool if_absent, void **out, lake_sink *sink, lake_error *err) {
    gcs_upload *u = lake__calloc(1, sizeof *u);
    if (!u || !(u->key = lake__strndup(key, strlen(key)))) {
        lake__free(u);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    u->g = GCS(b);
    u->if_absent = if_absent;
    *out = u;
    *sink = (lake_sink){sink_write, u};
    return LAKE_OK;
}

static int gcs_put_begin(lake_backend *b, const char *key, void **out, lake_sink *sink, lake_error *err) {
    return begin(b, key, false, out, sink, err);
}

static void gcs_put_abort(lake_backend *b, void *up) {
    (void)b;
    gcs_upload *u = up;
    if (u->session[0]) { /* cancel the session: nothing becomes visible */
        call c = {0};
        c.url = u->session;
        lake__http_response resp;
        lake_error ignored = LAKE_ERROR_INIT;
        /* GCS answers a cancelled session with 499 ("client closed request"): that is the success here. */
        gcs_send(u->g, "DELETE", &c, NULL, 0, 499, &resp, u->key, &ignored);
        lake__buf_dispose(&resp.body);
        lake_error_clear(&ignored);
    }
    upload_free(u);
}

static int gcs_put_commit(lake_backend *b, void *up, lake_error *err) {
    gcs_upload *u = up;
    int rc;
    if (u->session[0]) {
        rc = send_chunk(u, true, err);
        if (rc) {
            gcs_put_abort(b, up);
            return rc;
        }
    } else {
        lake__buf p = LAKE__BUF_INIT;
        rc = upload_path(&p, u, "media") ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
        call c = {0};
        c.path = p.data;
        c.headers[0] = "Content-Type: application/octet-stream";
        lake__http_response resp;
        if (!rc) {
            rc = gcs_send(u->g, "POST", &c, u->buf ? u->buf : (const void *)"", u->len, 0, &resp, u->key, err);
            lake__buf_dispose(&resp.body);
        }
        lake__buf_dispose(&p);
    }
    upload_free(u);
    return rc;
}

static int gcs_put_if_absent(lake_backend *b, const char *key, const void *data, size_t len, lake_error *err) {
    void *up = NULL;
    lake_sink sink = {NULL, NULL};
    int rc = begin(b, key, true, &up, &sink, err);
    if (rc) return rc;
    if ((rc = sink.write(sink.ctx, data, len, err))) {
        gcs_put_abort(b, up);
        return rc;
    }
    rc = gcs_put_commit(b, up, err);
    if (rc == LAKE_ECONFLICT) rc = lake__error(err, LAKE_ECONFLICT, "object %s already exists", key);
    return rc;
}

/* ---- reads, listing, deletion */

static int object_call(lake_backend *b, const char *method, const char *key, const char *suffix, lake__http_response *resp,
                       lake_error *err) {
    gcs *g = GCS(b);
    lake__buf p = LAKE__BUF_INIT;
    lake__buf_printf(&p, "/storage/v1/b/%s/o/", g->bucket);
    object_name(&p, g, key);
    lake__buf_puts(&p, suffix);
    lake__buf_putc(&p, 0);
    call c = {0};
    c.path = p.data;
    int rc = p.failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : gcs_send(g, method, &c, NULL, 0, 0, resp, key, err);
    lake__buf_dispose(&p);
    return rc;
}

static int gcs_get(lake_backend *b, const char *key, lake_sink *out, lake_error *err) {
    lake__http_response resp;
    int rc = object_call(b, "GET", key, "?alt=media", &resp, err);
    if (!rc) rc = out->write(out->ctx, resp.body.data ? resp.body.data : "", resp.body.len, err);
    lake__buf_dispose(&resp.body);
    return rc;
}

static int gcs_remove(lake_backend *b, const char *key, lake_error *err) {
    lake__http_response resp;
    int rc = object_call(b, "DELETE", key, "", &resp, err);
    lake__buf_dispose(&resp.body);
    return rc == LAKE_ENOTFOUND ? LAKE_OK : rc;
}

typedef struct list_ctx {
    const gcs *g;
    const char *asked; /* the backend's prefix and the caller's */
    lake_object_fn fn;
    void *ctx;
    lake_error *err;
} list_ctx;

/* A name outside what was asked is refused: deletion works from this listing. */
static int strip(void *ctx, const char *name, uint64_t size) {
    list_ctx *l = ctx;
    if (strncmp(name, l->asked, strlen(l->asked))) {
        char shown[256];
        return lake__error(l->err, LAKE_EREMOTE, "gcs: listing \"%.200s\" returned \"%s\", which is outside it: refused",
                           l->asked, lake__redact(name, shown, sizeof shown));
    }
    return l->fn(l->ctx, name + strlen(l->g->prefix), size);
}

static int gcs_list(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err) {
    gcs *g = GCS(b);
    char token[2048] = "";
    list_ctx l = {g, NULL, fn, ctx, err};
    int rc = LAKE_OK;
    do {
        lake__buf p = LAKE__BUF_INIT, full = LAKE__BUF_INIT;
        lake__buf_puts(&full, g->prefix);
        lake__buf_puts(&full, prefix);
        l.asked = full.data ? full.data : "";
        lake__buf_printf(&p, "/storage/v1/b/%s/o?maxResults=1000&prefix=", g->bucket);
        lake__uri_encode(&p, full.data ? full.data : "", full.len, false);
        if (token[0]) {
            lake__buf_puts(&p, "&pageToken=");
            lake__uri_encode(&p, token, strlen(token), false);
        }
        lake__buf_putc(&p, 0);
        call c = {0};
        c.path = p.data;
        lake__http_response resp;
        rc = p.failed || full.failed ? lake__error(err, LAKE_ENOMEM, "out of memory")
                                     : gcs_send(g, "GET", &c, NULL, 0, 0, &resp, g->bucket, err);
        if (!rc) {
            char next[2048];
            int parsed = lake__gcs_parse_list(resp.body.data ? resp.body.data : "", resp.body.len, strip, &l, next, sizeof next);
            if (parsed == -1) rc = lake__error(err, LAKE_EREMOTE, "gcs: listing %s: not an object list", g->bucket);
            else if (parsed) rc = parsed;
            else memcpy(token, next, sizeof token);
            lake__buf_dispose(&resp.body);
        }
        lake__buf_dispose(&p);
        lake__buf_dispose(&full);
    } while (!rc && token[0]);
    return rc;
}

static void gcs_destroy(lake_backend *b) {
    gcs *g = GCS(b);
    lake__http_dispose(&g->http);
    lake__gcs_auth_dispose(&g->auth);
    lake__free(g->endpoint);
    lake__free(g->bucket);
    lake__free(g->prefix);
    lake__free(g);
}

static const lake_backend_ops gcs_ops = {
    .version = LAKE_BACKEND_OPS_VERSION,
    .put_begin = gcs_put_begin,
    .put_commit = gcs_put_commit,
    .put_abort = gcs_put_abort,
    .get = gcs_get,
    .list = gcs_list,
    .remove = gcs_remove,
    .destroy = gcs_destroy,
    .put_if_absent = gcs_put_if_absent,
    .reach = LAKE_REACH_NETWORK,
};

int lake__gcs_backend_open(lake_backend *b, const char *where, const lake_gcs_options *o, lake_error *err) {
    const char *hmac_id = o->hmac_access_id ? o->hmac_access_id : getenv("GCS_HMAC_ACCESS_ID");
    const char *hmac_secret = o->hmac_secret ? o->hmac_secret : getenv("GCS_HMAC_SECRET");
    const char *emulator = getenv("STORAGE_EMULATOR_HOST");
    char emulated[512] = "";
    if (emulator && *emulator)
        snprintf(emulated, sizeof emulated, "%s%s", strstr(emulator, "://") ? "" : "http://", emulator);
    const char *endpoint = o->endpoint ? o->endpoint : emulated[0] ? emulated : "https://storage.googleapis.com";
    const char *authority = strstr(endpoint, "://");
    authority = authority ? authority + 3 : endpoint;
    if (memchr(authority, '@', strcspn(authority, "?#")))
        return lake__error(err, LAKE_EINVAL, "the gcs endpoint holds user:password@, which is refused: credentials go "
                                             "in the environment or the shared credentials file (see docs/backends.md)");
    if (hmac_id && *hmac_id) { /* the XML API is S3's: one client for both */
#ifndef LAKE_WITH_S3
        return lake__error(err, LAKE_ENOTSUP, "gs:// with HMAC keys speaks the S3 XML API, and this lakeorm was built "
                                              "without LAKE_WITH_S3 (configure with -DLAKE_WITH_S3=ON, or use an "
                                              "OAuth2 token)");
#else
        lake_s3_options s3 = LAKE_S3_OPTIONS_INIT;
        s3.endpoint = endpoint;
        s3.region = o->region ? o->region : "auto";
        s3.access_key = hmac_id;
        s3.secret_key = hmac_secret;
        s3.path_style = 1;
        s3.max_attempts = o->max_attempts;
        s3.timeout_ms = o->timeout_ms;
        s3.insecure = o->insecure;
        return lake__s3_backend_open(b, where, &s3, err);
#endif
    }
    gcs *g = lake__calloc(1, sizeof *g);
    if (!g) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__http_init(&g->http, o->timeout_ms, o->max_attempts, o->insecure);
    b->impl = g;
    b->http = &g->http;
    const char *slash = strchr(where, '/');
    size_t blen = slash ? (size_t)(slash - where) : strlen(where);
    const char *prefix = slash ? slash + 1 : "";
    size_t plen = strlen(prefix);
    while (plen && prefix[plen - 1] == '/') plen--;
    g->bucket = lake__strndup(where, blen);
    g->prefix = lake__malloc(plen + 2);
    size_t elen = strlen(endpoint);
    while (elen && endpoint[elen - 1] == '/') elen--;
    g->endpoint = lake__strndup(endpoint, elen);
    g->chunk_size = o->chunk_size ? o->chunk_size : (uint64_t)8 << 20;
    int rc = LAKE_OK;
    if (!g->bucket || !g->prefix || !g->endpoint) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    else if (blen < 3 || blen > 222) rc = lake__error(err, LAKE_EINVAL, "gs URL: a bucket name is 3-222 characters");
    else if (g->chunk_size % (256 * 1024))
        rc = lake__error(err, LAKE_EINVAL, "gcs chunk_size must be a multiple of 256 KiB");
    if (!rc) {
        memcpy(g->prefix, prefix, plen);
        if (plen) g->prefix[plen++] = '/';
        g->prefix[plen] = 0;
        for (size_t i = 0; i < blen; i++)
            if (g->bucket[i] == '/' || g->bucket[i] == '?' || g->bucket[i] == '%' || g->bucket[i] == '&')
                rc = lake__error(err, LAKE_EINVAL, "gs URL: bucket \"%s\" has a character GCS refuses", g->bucket);
    }
    /* Emulators take no credentials; the real service does. */
    bool anonymous_ok = !strncmp(g->endpoint ? g->endpoint : "", "http://", 7);
    if (!rc) rc = lake__gcs_auth_init(&g->auth, o->access_token, o->credentials_file, anonymous_ok, err);
    else lake__gcs_auth_init(&g->auth, NULL, NULL, true, NULL);
    if (rc) {
        gcs_destroy(b);
        b->impl = NULL;
        return rc;
    }
    b->ops = gcs_ops;
    return LAKE_OK;
}
