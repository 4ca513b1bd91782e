/* SPDX-License-Identifier: MIT */
/* The s3:// backend: objects under a bucket prefix; uploads stream as the
 * Parquet writer produces them (one PUT when small, multipart with parts in
 * parallel otherwise, aborted on failure); listing pages through
 * ListObjectsV2; deletion batches through DeleteObjects. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/s3/client.h"
#include "backends/s3/xml.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/base64.h"
#include "util/redact.h"

#define S3(b) ((lake__s3 *)(b)->impl)

typedef struct part {
    unsigned number;
    char etag[128];
} part;

typedef struct s3_upload s3_upload;

typedef struct job {
    s3_upload *u;
    unsigned number;
    unsigned char *data;
    size_t len;
    pthread_t thread;
    bool running;
} job;

struct s3_upload {
    lake__s3 *s;
    char *key;
    bool if_absent;
    unsigned char *buf;
    size_t len;
    char upload_id[512];
    bool multipart;
    unsigned parts_started;
    part *parts;
    size_t part_cap;
    job *jobs; /* a ring of max_parallel slots */
    size_t next_job;
    pthread_mutex_t lock;
    int failed;
    lake_error first; /* the first failure of a part */
};

static int record_part(s3_upload *u, unsigned number, const char *etag) {
    pthread_mutex_lock(&u->lock);
    int rc = LAKE_OK;
    if (number > u->part_cap) {
        size_t cap = u->part_cap ? u->part_cap * 2 : 16;
        while (cap < number) cap *= 2;
        part *p = lake__realloc(u->parts, u->part_cap * sizeof *p, cap * sizeof *p);
        if (p) {
            memset(p + u->part_cap, 0, (cap - u->part_cap) * sizeof *p);
            u->parts = p;
            u->part_cap = cap;
        } else {
            rc = LAKE_ENOMEM;
        }
    }
    if (!rc) {
        u->parts[number - 1].number = number;
        snprintf(u->parts[number - 1].etag, sizeof u->parts[0].etag, "%s", etag);
    }
    pthread_mutex_unlock(&u->lock);
    return rc;
}

static void fail(s3_upload *u, int rc, const lake_error *why) {
    pthread_mutex_lock(&u->lock);
    if (!u->failed) {
        u->failed = rc;
        if (why) memcpy(u->first.message, why->message, sizeof u->first.message);
        u->first.code = rc;
    }
    pthread_mutex_unlock(&u->lock);
}

static void *upload_part(void *arg) {
    job *j = arg;
    s3_upload *u = j->u;
    char number[16];
    snprintf(number, sizeof number, "%u", j->number);
    lake__s3_request r = {"PUT", u->key, false, {{"partNumber", number}, {"uploadId", u->upload_id}}, 2, {{0}}, 0,
                          j->data, j->len};
    lake__s3_response resp;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake__s3_send(u->s, &r, &resp, &err);
    if (!rc && !resp.etag[0]) rc = lake__error(&err, LAKE_EREMOTE, "s3: part %u of %s came back without an ETag", j->number, u->key);
    if (!rc) rc = record_part(u, j->number, resp.etag);
    if (rc) fail(u, rc, &err);
    lake__buf_dispose(&resp.body);
    lake_error_clear(&err);
    return NULL;
}

static void join(job *j) {
    if (!j->running) return;
    pthread_join(j->thread, NULL);
    j->running = false;
    lake__free(j->data);
    j->data = NULL;
}

static void join_all(s3_upload *u) {
    for (size_t i = 0; i < u->s->max_parallel; i++) join(&u->jobs[i]);
}

static int initiate(s3_upload *u, lake_error *err) {
    lake__s3_request r = {"POST", u->key, false, {{"uploads", ""}}, 1, {{0}}, 0, NULL, 0};
    lake__s3_response resp;
    int rc = lake__s3_send(u->s, &r, &resp, err);
    if (!rc && lake__s3_parse_upload_id(resp.body.data ? resp.body.data : "", resp.body.len, u->upload_id,
                                        sizeof u->upload_id))
        rc = lake__error(err, LAKE_EREMOTE, "s3: starting a multipart upload of %s: no UploadId in the answer", u->key);
    lake__buf_dispose(&resp.body);
    if (!rc) u->multipart = true;
    return rc;
}

/* Hands the full buffer to a part thread, waiting for a free slot first. */
static int start_part(s3_upload *u, lake_error *err) {
    if (!u->multipart) {
        int rc = initiate(u, err);
        if (rc) return rc;
    }
    job *j = &u->jobs[u->next_job];
    u->next_job = (u->next_job + 1) % u->s->max_parallel;
    join(j);
    if (u->failed) return lake__error(err, u->failed, "%s", u->first.message);
    j->u = u;
    j->number = ++u->parts_started;
    j->data = u->buf;
    j->len = u->len;
    u->buf = NULL;
    u->len = 0;
    if (pthread_create(&j->thread, NULL, upload_part, j)) {
        lake__free(j->data);
        j->data = NULL;
        return lake__error(err, LAKE_ERROR, "cannot start an upload thread");
    }
    j->running = true;
    return LAKE_OK;
}

static int sink_write(void *ctx, const void *data, size_t len, lake_error *err) {
    s3_upload *u = ctx;
    const unsigned char *p = data;
    while (len) {
        if (u->failed) return lake__error(err, u->failed, "%s", u->first.message);
        if (!u->buf && !(u->buf = lake__malloc(u->s->part_size))) return lake__error(err, LAKE_ENOMEM, "out of memory");
        size_t room = u->s->part_size - u->len, take = len < room ? len : room;
        memcpy(u->buf + u->len, p, take);
        u->len += take, p += take, len -= take;
        if (u->len == u->s->part_size) {
            int rc = start_part(u, err);
            if (rc) return rc;
        }
    }
    return LAKE_OK;
}

static void upload_free(s3_upload *u) {
    join_all(u);
    lake__free(u->jobs);
    lake__free(u->parts);
    lake__free(u->buf);
    lake__free(u->key);
    pthread_mutex_destroy(&u->lock);
    lake__free(u);
}

static int begin(lake_backend *b, const char *key, bool if_absent, void **out, lake_sink *sink, lake_error *err) {
    s3_upload *u = lake__calloc(1, sizeof *u);
    if (!u || !(u->key = lake__strndup(key, strlen(key))) || !(u->jobs = lake__calloc(S3(b)->max_parallel, sizeof *u->jobs))) {
        if (u) lake__free(u->key), lake__free(u);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    u->s = S3(b);
    u->if_absent = if_absent;
    pthread_mutex_init(&u->lock, NULL);
    *out = u;
    *sink = (lake_sink){sink_write, u};
    return LAKE_OK;
}

static int s3_put_begin(lake_backend *b, const char *key, void **out, lake_sink *sink, lake_error *err) {
    return begin(b, key, false, out, sink, err);
}

static void abort_multipart(s3_upload *u) {
    if (!u->multipart) return;
    lake__s3_request r = {"DELETE", u->key, false, {{"uploadId", u->upload_id}}, 1, {{0}}, 0, NULL, 0};
    lake__s3_response resp;
    lake_error ignored = LAKE_ERROR_INIT;
    lake__s3_send(u->s, &r, &resp, &ignored); /* best effort: a lifecycle rule catches what this misses */
    lake__buf_dispose(&resp.body);
    lake_error_clear(&ignored);
}

static void s3_put_abort(lake_backend *b, void *up) {
    (void)b;
    s3_upload *u = up;
    join_all(u);
    abort_multipart(u);
    upload_free(u);
}

static int complete(s3_upload *u, lake_error *err) {
    lake__buf xml = LAKE__BUF_INIT;
    lake__buf_puts(&xml, "<CompleteMultipartUpload>");
    for (unsigned i = 0; i < u->parts_started; i++)
        lake__buf_printf(&xml, "<Part><PartNumber>%u</PartNumber><ETag>%s</ETag></Part>", u->parts[i].number,
                         u->parts[i].etag);
    lake__buf_puts(&xml, "</CompleteMultipartUpload>");
    if (xml.failed) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__kv headers[1] = {{"If-None-Match", "*"}};
    lake__s3_request r = {"POST", u->key, false, {{"uploadId", u->upload_id}}, 1, {{0}}, 0, xml.data, xml.len};
    if (u->if_absent) r.headers[0] = headers[0], r.nheaders = 1;
    lake__s3_response resp;
    int rc = lake__s3_send(u->s, &r, &resp, err);
    lake__s3_error e;
    /* A 200 can still carry an error document. */
    if (!rc && resp.body.len && !lake__s3_parse_error(resp.body.data, resp.body.len, &e))
        rc = lake__error(err, LAKE_EREMOTE, "s3: completing %s: %s: %s (request id %s)", u->key, e.code, e.message,
                         e.request_id);
    lake__buf_dispose(&resp.body);
    lake__buf_dispose(&xml);
    return rc;
}

static int s3_put_commit(lake_backend *b, void *up, lake_error *err) {
    (void)b;
    s3_upload *u = up;
    int rc = LAKE_OK;
    if (!u->multipart) {
        lake__s3_request r = {"PUT", u->key, false, {{0}}, 0, {{0}}, 0, u->buf ? u->buf : (const void *)"", u->len};
        if (u->if_absent) r.headers[0] = (lake__kv){"If-None-Match", "*"}, r.nheaders = 1;
        lake__s3_response resp;
        rc = lake__s3_send(u->s, &r, &resp, err);
        lake__buf_dispose(&resp.body);
    } else {
        if (u->len) rc = start_part(u, err);
        join_all(u);
        if (!rc && u->failed) rc = lake__error(err, u->failed, "%s", u->first.message);
        if (!rc) rc = complete(u, err);
        if (rc) abort_multipart(u);
    }
    upload_free(u);
    return rc;
}

static int s3_put_if_absent(lake_backend *b, const char *key, const void *data, size_t len, lake_error *err) {
    void *up = NULL;
    lake_sink sink = {NULL, NULL};
    int rc = begin(b, key, true, &up, &sink, err);
    if (rc) return rc;
    if ((rc = sink.write(sink.ctx, data, len, err))) {
        s3_put_abort(b, up);
        return rc;
    }
    rc = s3_put_commit(b, up, err);
    if (rc == LAKE_ECONFLICT) rc = lake__error(err, LAKE_ECONFLICT, "object %s already exists", key);
    return rc;
}

static int s3_get(lake_backend *b, const char *key, lake_sink *out, lake_error *err) {
    lake__s3_request r = {"GET", key, false, {{0}}, 0, {{0}}, 0, NULL, 0};
    lake__s3_response resp;
    int rc = lake__s3_send(S3(b), &r, &resp, err);
    if (!rc) rc = out->write(out->ctx, resp.body.data ? resp.body.data : "", resp.body.len, err);
    lake__buf_dispose(&resp.body);
    return rc;
}

typedef struct list_ctx {
    lake__s3 *s;
    const char *asked; /* the backend's prefix and the caller's */
    lake_object_fn fn;
    void *ctx;
    lake_error *err;
} list_ctx;

/* A key outside what was asked is refused: deletion works from this listing. */
static int strip_prefix(void *ctx, const char *key, uint64_t size) {
    list_ctx *l = ctx;
    if (strncmp(key, l->asked, strlen(l->asked))) {
        char shown[256];
        return lake__error(l->err, LAKE_EREMOTE, "s3: listing \"%.200s\" returned \"%s\", which is outside it: refused",
                           l->asked, lake__redact(key, shown, sizeof shown));
    }
    return l->fn(l->ctx, key + strlen(l->s->prefix), size);
}

static int s3_list(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err) {
    lake__s3 *s = S3(b);
    lake__buf full = LAKE__BUF_INIT;
    lake__buf_puts(&full, s->prefix);
    lake__buf_puts(&full, prefix);
    lake__buf_putc(&full, 0);
    char token[2048] = "";
    int truncated = 1, rc = full.failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
    list_ctx l = {s, full.data, fn, ctx, err};
    while (!rc && truncated) {
        lake__s3_request r = {"GET", NULL, false, {{"list-type", "2"}, {"prefix", full.data}, {"max-keys", "1000"}}, 3,
                              {{0}}, 0, NULL, 0};
        if (token[0]) r.query[r.nquery++] = (lake__kv){"continuation-token", token};
        lake__s3_response resp;
        rc = lake__s3_send(s, &r, &resp, err);
        if (!rc) {
            char next[2048];
            int parsed = lake__s3_parse_list(resp.body.data ? resp.body.data : "", resp.body.len, strip_prefix, &l,
                                             &truncated, next, sizeof next);
            if (parsed == -1) rc = lake__error(err, LAKE_EREMOTE, "s3: listing %s: the answer is not a ListBucketResult", full.data);
            else if (parsed) rc = parsed;
            else memcpy(token, next, sizeof token);
        }
        lake__buf_dispose(&resp.body);
    }
    lake__buf_dispose(&full);
    return rc;
}

/* Every multipart upload begun and neither completed nor aborted (its writer
 * was killed), page by page: of one key (exact), or of the whole bucket.
 * Stores differ on prefixes here (MinIO answers only an exact key), so a
 * prefix is filtered by the caller. */
static int each_upload(lake__s3 *s, const char *exact, lake__s3_upload_fn fn, void *ctx, lake_error *err) {
    char key_marker[1100] = "", id_marker[1100] = "";
    int truncated = 1, rc = LAKE_OK;
    while (!rc && truncated) {
        lake__s3_request r = {"GET", NULL, false, {{"uploads", ""}, {"prefix", exact ? exact : ""}}, exact ? 2 : 1,
                              {{0}}, 0, NULL, 0};
        if (key_marker[0]) r.query[r.nquery++] = (lake__kv){"key-marker", key_marker};
        if (id_marker[0]) r.query[r.nquery++] = (lake__kv){"upload-id-marker", id_marker};
        lake__s3_response resp;
        rc = lake__s3_send(s, &r, &resp, err);
        if (!rc) {
            char next_key[sizeof key_marker], next_id[sizeof id_marker];
            int parsed = lake__s3_parse_uploads(resp.body.data ? resp.body.data : "", resp.body.len, fn, ctx, &truncated,
                                                next_key, next_id, sizeof next_key);
            if (parsed == -1)
                rc = lake__error(err, LAKE_EREMOTE, "s3: listing unfinished uploads: the answer is not a "
                                                    "ListMultipartUploadsResult");
            else if (parsed) rc = parsed;
            else memcpy(key_marker, next_key, sizeof key_marker), memcpy(id_marker, next_id, sizeof id_marker);
        }
        lake__buf_dispose(&resp.body);
    }
    return rc;
}

static int unfinished_key(void *ctx, const char *key, const char *upload_id) {
    (void)upload_id;
    list_ctx *l = ctx;
    if (strncmp(key, l->asked, strlen(l->asked))) return LAKE_OK; /* the bucket's others */
    return l->fn(l->ctx, key + strlen(l->s->prefix), 0);
}

static int s3_list_unfinished(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err) {
    lake__s3 *s = S3(b);
    lake__buf full = LAKE__BUF_INIT;
    lake__buf_puts(&full, s->prefix);
    lake__buf_puts(&full, prefix);
    lake__buf_putc(&full, 0);
    list_ctx l = {s, full.data, fn, ctx, err};
    int rc = full.failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : each_upload(s, NULL, unfinished_key, &l, err);
    lake__buf_dispose(&full);
    return rc;
}

typedef struct discard_ctx {
    lake__s3 *s;
    const char *key, *full; /* under the backend's prefix, and in the bucket */
    lake_error *err;
} discard_ctx;

static int abort_one(void *ctx, const char *key, const char *upload_id) {
    discard_ctx *d = ctx;
    if (strcmp(key, d->full)) return LAKE_OK; /* a longer key that shares the prefix: not this one */
    lake__s3_request r = {"DELETE", d->key, false, {{"uploadId", upload_id}}, 1, {{0}}, 0, NULL, 0};
    lake__s3_response resp;
    int rc = lake__s3_send(d->s, &r, &resp, d->err);
    lake__buf_dispose(&resp.body);
    return rc == LAKE_ENOTFOUND ? LAKE_OK : rc; /* aborted meanwhile: gone either way */
}

/* Aborts every unfinished multipart upload of key. */
static int s3_discard_unfinished(lake_backend *b, const char *key, lake_error *err) {
    lake__s3 *s = S3(b);
    lake__buf full = LAKE__BUF_INIT;
    lake__buf_puts(&full, s->prefix);
    lake__buf_puts(&full, key);
    lake__buf_putc(&full, 0);
    discard_ctx d = {s, key, full.data, err};
    int rc = full.failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : each_upload(s, full.data, abort_one, &d, err);
    lake__buf_dispose(&full);
    return rc;
}

static int s3_remove(lake_backend *b, const char *key, lake_error *err) {
    lake__s3_request r = {"DELETE", key, false, {{0}}, 0, {{0}}, 0, NULL, 0};
    lake__s3_response resp;
    int rc = lake__s3_send(S3(b), &r, &resp, err);
    lake__buf_dispose(&resp.body);
    return rc == LAKE_ENOTFOUND ? LAKE_OK : rc;
}

static void xml_text(lake__buf *b, const char *s) {
    for (; *s; s++) {
        switch (*s) {
        case '&': lake__buf_puts(b, "&amp;"); break;
        case '<': lake__buf_puts(b, "&lt;"); break;
        case '>': lake__buf_puts(b, "&gt;"); break;
        case '"': lake__buf_puts(b, "&quot;"); break;
        case '\'': lake__buf_puts(b, "&apos;"); break;
        default: lake__buf_putc(b, *s);
        }
    }
}

/* DeleteObjects, up to 1000 keys a request. */
static int s3_remove_many(lake_backend *b, const char *const *keys, size_t n, lake_error *err) {
    lake__s3 *s = S3(b);
    int rc = LAKE_OK;
    for (size_t at = 0; !rc && at < n; at += 1000) {
        size_t m = n - at < 1000 ? n - at : 1000;
        lake__buf xml = LAKE__BUF_INIT;
        lake__buf_puts(&xml, "<Delete><Quiet>true</Quiet>");
        for (size_t i = 0; i < m; i++) {
            lake__buf_puts(&xml, "<Object><Key>");
            xml_text(&xml, s->prefix);
            xml_text(&xml, keys[at + i]);
            lake__buf_puts(&xml, "</Key></Object>");
        }
        lake__buf_puts(&xml, "</Delete>");
        unsigned char md5[16];
        unsigned int md5_len = 0;
        char md5_b64[32];
        if (xml.failed) {
            rc = lake__error(err, LAKE_ENOMEM, "out of memory");
            lake__buf_dispose(&xml);
            break;
        }
        EVP_Digest(xml.data, xml.len, md5, &md5_len, EVP_md5(), NULL);
        md5_b64[lake__base64_encode(md5, 16, md5_b64)] = 0;
        lake__s3_request r = {"POST", NULL, false, {{"delete", ""}}, 1, {{"Content-MD5", md5_b64},
                              {"Content-Type", "application/xml"}}, 2, xml.data, xml.len};
        lake__s3_response resp;
        rc = lake__s3_send(s, &r, &resp, err);
        char key[1100], code[64];
        if (!rc && lake__s3_parse_delete(resp.body.data ? resp.body.data : "", resp.body.len, key, sizeof key, code, sizeof code))
            rc = lake__error(err, LAKE_EREMOTE, "s3: DeleteObjects: the answer is not a DeleteResult");
        else if (!rc && key[0])
            rc = lake__error(err, LAKE_EREMOTE, "s3: deleting %s failed: %s", key, code);
        lake__buf_dispose(&resp.body);
        lake__buf_dispose(&xml);
    }
    return rc;
}

static void s3_destroy(lake_backend *b) {
    lake__s3_dispose(S3(b));
    lake__free(b->impl);
}

static const lake_backend_ops s3_ops = {
    .version = LAKE_BACKEND_OPS_VERSION,
    .put_begin = s3_put_begin,
    .put_commit = s3_put_commit,
    .put_abort = s3_put_abort,
    .get = s3_get,
    .list = s3_list,
    .remove = s3_remove,
    .destroy = s3_destroy,
    .put_if_absent = s3_put_if_absent,
    .remove_many = s3_remove_many,
    .list_unfinished = s3_list_unfinished,
    .discard_unfinished = s3_discard_unfinished,
    .reach = LAKE_REACH_NETWORK, /* gs:// through the XML API too */
};

int lake__s3_backend_open(lake_backend *b, const char *where, const lake_s3_options *opts, lake_error *err) {
    lake__s3 *s = lake__calloc(1, sizeof *s);
    if (!s) return lake__error(err, LAKE_ENOMEM, "out of memory");
    int rc = lake__s3_configure(s, where, opts, err);
    if (rc) {
        lake__s3_dispose(s);
        lake__free(s);
        return rc;
    }
    b->impl = s;
    b->ops = s3_ops;
    b->http = &s->http;
    return LAKE_OK;
}
