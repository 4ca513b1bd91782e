/* SPDX-License-Identifier: MIT */
#include "backends/volumes/volumes.h"

#include <stdio.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/http.h"
#include "backends/s3/sigv4.h"
#include "backends/volumes/answer.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"

/* The Files API takes one file of at most 5 GiB per upload (its "upload a
 * file" reference): larger parts are refused before anything is sent. */
#define UPLOAD_LIMIT ((uint64_t)5 << 30)
/* Folders a listing descends at most: a server answering folders inside
 * folders forever must not exhaust the stack. lakeorm's keys are 3 deep. */
enum { MAX_DEPTH = 32 };

typedef struct volume {
    char *root; /* "/Volumes/c/s/v[/p]", no trailing '/' */
    char base[300];
    lake__bearer auth;
    lake__http http;
} volume;

typedef struct upload {
    volume *v;
    char *key;
    lake__buf body; /* a part is held whole: the API takes a file in one request */
} upload;

/* ---- one request */

typedef struct request {
    volume *v;
    const char *api;   /* "files" or "directories" */
    const char *path;  /* under the volume's root: "" for the root itself */
    const char *query; /* appended as is: "?overwrite=true", or "" */
    char auth[4200];
    lake_error *err;
} request;

static int prepare(void *ctx, lake__buf *url, struct curl_slist **headers) {
    request *r = ctx;
    int rc = r->v->auth.header(r->v->auth.ctx, r->auth, sizeof r->auth, r->err);
    if (rc) return rc;
    lake__buf_printf(url, "%s/api/2.0/fs/%s", r->v->base, r->api);
    lake__uri_encode(url, r->v->root, strlen(r->v->root), true);
    if (*r->path) {
        lake__buf_putc(url, '/');
        lake__uri_encode(url, r->path, strlen(r->path), true);
    }
    lake__buf_puts(url, r->query);
    static const char *const fixed[] = {"Content-Type: application/octet-stream",
                                        "Expect:"}; /* no "100 Continue" round trip before a body */
    struct curl_slist *h = curl_slist_append(*headers, r->auth);
    if (h) *headers = h;
    for (size_t i = 0; h && i < sizeof fixed / sizeof fixed[0]; i++)
        if ((h = curl_slist_append(*headers, fixed[i]))) *headers = h;
    return !h || url->failed ? LAKE_ENOMEM : LAKE_OK;
}

/* Sends one request; resp (disposed by the caller) holds any answer. A 401
 * asks the bearer source once more: an OAuth token may have been revoked. */
static int call(volume *v, const char *method, const char *api, const char *path, const char *query, const void *body,
                size_t len, lake__http_response *resp, lake_error *err) {
    for (int attempt = 0;; attempt++) {
        request r = {.v = v, .api = api, .path = path, .query = query, .err = err};
        char what[300];
        snprintf(what, sizeof what, "%s/%.200s", v->root, path);
        int rc = lake__http_call(&v->http, method, prepare, &r, body, len, NULL, resp, what, err);
        bool again = !rc && resp->status == 401 && attempt == 0 && v->auth.refused(v->auth.ctx, r.auth);
        memset(r.auth, 0, sizeof r.auth);
        if (!again) return rc;
        lake__buf_dispose(&resp->body);
    }
}

static bool ok(const lake__http_response *resp) { return resp->status >= 200 && resp->status < 300; }

/* A refusal as a lake_error: the workspace's error_code and message, and what the user can do. */
static int refused(const volume *v, const char *method, const char *path, const lake__http_response *resp,
                   lake_error *err) {
    long s = resp->status;
    int code = s == 401 || s == 403 ? LAKE_EAUTH : s == 404 ? LAKE_ENOTFOUND : s == 409 ? LAKE_ECONFLICT : LAKE_EREMOTE;
    lake_error_kind kind = s == 401 || s == 403 ? LAKE_KIND_PERMISSION
                         : s == 404             ? LAKE_KIND_NOT_FOUND
                         : s == 409             ? LAKE_KIND_CONFLICT
                         : s == 429 || s == 503 ? LAKE_KIND_RETRYABLE
                         : s == 400             ? LAKE_KIND_INVALID
                                                : LAKE_KIND_NONE;
    const char *hint = s == 401 ? " (the Files API takes the warehouse's credentials: check the token or the service "
                                  "principal's secret)"
                     : s == 403 ? " (the credentials need READ VOLUME and WRITE VOLUME on the volume)"
                                : "";
    lake_arena *arena = NULL;
    const char *ecode = NULL, *message = NULL;
    if (!lake_arena_new(&arena) && resp->body.data)
        lake__volume_parse_error(resp->body.data, resp->body.len, arena, &ecode, &message);
    int rc = lake__error_engine(err, code, kind, ecode, NULL, "databricks volume: %s %s%s%.200s: HTTP %ld %s: %.300s%s",
                                method, v->root, *path ? "/" : "", path, s, ecode ? ecode : "",
                                message ? message : "(no message)", hint);
    lake_arena_free(arena);
    return rc;
}

/* Sends a request whose answer is only a status: LAKE_OK for 2xx, *status
 * (may be NULL) set either way; a refusal is reported unless its status is
 * `quiet` (0: none). */
static int simple(volume *v, const char *method, const char *api, const char *path, const char *query, const void *body,
                  size_t len, long quiet, long *status, lake_error *err) {
    lake__http_response resp;
    int rc = call(v, method, api, path, query, body, len, &resp, err);
    if (status) *status = rc ? 0 : resp.status;
    if (!rc && !ok(&resp)) rc = resp.status == quiet ? LAKE_ERROR : refused(v, method, path, &resp, err);
    lake__buf_dispose(&resp.body);
    return rc;
}

/* ---- writing */

/* The folder holding key ("" for the root), in out (which may be key). */
static void parent_of(const char *key, char *out, size_t cap) {
    const char *slash = strrchr(key, '/');
    size_t n = slash ? (size_t)(slash - key) : 0;
    if (n >= cap) n = cap - 1;
    memmove(out, key, n);
    out[n] = 0;
}

static int store(volume *v, const char *key, const void *data, size_t len, bool overwrite, lake_error *err) {
    if ((uint64_t)len > UPLOAD_LIMIT)
        return lake__error(err, LAKE_ENOTSUP, "databricks volume: %s is %zu bytes, over the Files API's 5 GiB upload "
                                              "limit: write smaller parts", key, len);
    const char *query = overwrite ? "?overwrite=true" : "?overwrite=false";
    long status;
    int rc = simple(v, "PUT", "files", key, query, data, len, 404, &status, err);
    if (rc && status == 404) {
        /* The folder is missing (a new ingest's): made (mkdir -p), then the file again. */
        char dir[4096];
        parent_of(key, dir, sizeof dir);
        rc = simple(v, "PUT", "directories", dir, "", NULL, 0, 0, NULL, err);
        if (!rc) rc = simple(v, "PUT", "files", key, query, data, len, 0, NULL, err);
    }
    return rc;
}

static int put_begin(lake_backend *b, const char *key, void **state, lake_sink *sink, lake_error *err) {
    upload *u = lake__calloc(1, sizeof *u);
    if (!u || !(u->key = lake__strndup(key, strlen(key)))) {
        lake__free(u);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    u->v = lake_backend_impl(b);
    u->body = (lake__buf)LAKE__BUF_INIT;
    *sink = lake__buf_sink(&u->body);
    *state = u;
    return LAKE_OK;
}

static void upload_free(upload *u) {
    lake__buf_dispose(&u->body);
    lake__free(u->key);
    lake__free(u);
}

static int put_commit(lake_backend *b, void *state, lake_error *err) {
    (void)b;
    upload *u = state;
    int rc = store(u->v, u->key, u->body.data ? u->body.data : "", u->body.len, true, err);
    upload_free(u);
    return rc;
}

static void put_abort(lake_backend *b, void *state) {
    (void)b;
    upload_free(state); /* nothing was sent */
}

/* Atomic as far as the Files API's overwrite=false is: its reference says an
 * existing file is an error, not how concurrent uploads race. */
static int put_if_absent(lake_backend *b, const char *key, const void *data, size_t len, lake_error *err) {
    return store(lake_backend_impl(b), key, data, len, false, err);
}

/* ---- reading */

static int get(lake_backend *b, const char *key, lake_sink *out, lake_error *err) {
    volume *v = lake_backend_impl(b);
    lake__http_response resp;
    int rc = call(v, "GET", "files", key, "", NULL, 0, &resp, err);
    if (!rc && resp.status == 404) rc = lake__error(err, LAKE_ENOTFOUND, "databricks volume: no file %s/%s", v->root, key);
    else if (!rc && !ok(&resp)) rc = refused(v, "GET", key, &resp, err);
    else if (!rc && resp.body.len) rc = out->write(out->ctx, resp.body.data, resp.body.len, err);
    lake__buf_dispose(&resp.body);
    return rc;
}

typedef struct walk {
    volume *v;
    const char *prefix;
    lake_object_fn fn;
    void *ctx;
    lake_error *err;
} walk;

/* Whether a folder (its key and '/') can hold keys starting with prefix. */
static bool may_hold(const char *folder, size_t len, const char *prefix) {
    size_t plen = strlen(prefix);
    return !strncmp(folder, prefix, len < plen ? len : plen);
}

/* Lists folder `dir` ("" for the root) page by page, descending into the
 * folders that may hold the prefix. Keys are built from the folder and each
 * entry's one-segment name, so none can leave the volume's root. */
static int list_folder(walk *w, const char *dir, unsigned depth) {
    if (depth > MAX_DEPTH)
        return lake__error(w->err, LAKE_EREMOTE, "databricks volume: %s/%s: folders over %d deep", w->v->root, dir,
                           MAX_DEPTH);
    lake__buf query = LAKE__BUF_INIT, key = LAKE__BUF_INIT;
    lake_arena *arena = NULL;
    int rc = lake_arena_new(&arena) ? lake__error(w->err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
    for (bool first = true; !rc; first = false) {
        lake__http_response resp;
        rc = call(w->v, "GET", "directories", dir, query.data ? query.data : "", NULL, 0, &resp, w->err);
        if (!rc && resp.status == 404 && first) { /* no such folder (yet, or any more): nothing under it */
            lake__buf_dispose(&resp.body);
            break;
        }
        if (!rc && !ok(&resp)) rc = refused(w->v, "GET", dir, &resp, w->err);
        lake__volume_entry *entries = NULL;
        size_t n = 0;
        const char *token = NULL;
        lake_arena_reset(arena);
        if (!rc) rc = lake__volume_parse_page(resp.body.data ? resp.body.data : "{}", resp.body.data ? resp.body.len : 2,
                                              arena, &entries, &n, &token, w->err);
        lake__buf_dispose(&resp.body);
        for (size_t i = 0; !rc && i < n; i++) {
            key.len = 0;
            key.failed = 0;
            lake__buf_printf(&key, "%s%s%s%s", dir, *dir ? "/" : "", entries[i].name, entries[i].directory ? "/" : "");
            if (key.failed) rc = lake__error(w->err, LAKE_ENOMEM, "out of memory");
            else if (entries[i].directory) {
                if (!may_hold(key.data, key.len, w->prefix)) continue;
                char *sub = lake__strndup(key.data, key.len - 1);
                rc = sub ? list_folder(w, sub, depth + 1) : lake__error(w->err, LAKE_ENOMEM, "out of memory");
                lake__free(sub);
            } else if (!strncmp(key.data, w->prefix, strlen(w->prefix))) {
                rc = w->fn(w->ctx, key.data, entries[i].size);
            }
        }
        if (rc || !token) break;
        query.len = 0;
        lake__buf_puts(&query, "?page_token=");
        lake__uri_encode(&query, token, strlen(token), false);
        if (query.failed) rc = lake__error(w->err, LAKE_ENOMEM, "out of memory");
    }
    lake_arena_free(arena);
    lake__buf_dispose(&query);
    lake__buf_dispose(&key);
    return rc;
}

static int list(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err) {
    walk w = {lake_backend_impl(b), prefix ? prefix : "", fn, ctx, err};
    /* The walk starts at the prefix's folder: "_staging/01" lists _staging only. */
    char dir[4096];
    size_t n = strrchr(w.prefix, '/') ? (size_t)(strrchr(w.prefix, '/') - w.prefix) : 0;
    if (n >= sizeof dir) return lake__error(err, LAKE_EINVAL, "databricks volume: a prefix of %zu bytes", n);
    memcpy(dir, w.prefix, n);
    dir[n] = 0;
    int rc = n ? lake__key_check(dir, err) : LAKE_OK;
    return rc ? rc : list_folder(&w, dir, 0);
}

/* ---- deleting */

/* Deletes the folders above key that are empty, up to the root: the API
 * refuses a folder that is not (its reference names no status for that),
 * which ends the walk. Best effort: a folder left is harmless. */
static void prune(volume *v, const char *key) {
    char dir[4096];
    parent_of(key, dir, sizeof dir);
    while (*dir) {
        lake_error ignored = LAKE_ERROR_INIT;
        int rc = simple(v, "DELETE", "directories", dir, "", NULL, 0, 0, NULL, &ignored);
        lake_error_clear(&ignored);
        if (rc) break;
        parent_of(dir, dir, sizeof dir);
    }
}

static int remove_file(volume *v, const char *key, lake_error *err) {
    long status;
    int rc = simple(v, "DELETE", "files", key, "", NULL, 0, 404, &status, err);
    return rc == LAKE_ERROR && status == 404 ? LAKE_OK : rc; /* already gone: fine */
}

static int remove_one(lake_backend *b, const char *key, lake_error *err) {
    volume *v = lake_backend_impl(b);
    int rc = remove_file(v, key, err);
    if (!rc) prune(v, key);
    return rc;
}

/* The files first, then each folder they leave (keys come sorted, so a
 * folder's files are next to each other). */
static int remove_many(lake_backend *b, const char *const *keys, size_t n, lake_error *err) {
    volume *v = lake_backend_impl(b);
    int rc = LAKE_OK;
    for (size_t i = 0; !rc && i < n; i++) rc = remove_file(v, keys[i], err);
    char last[4096] = "", dir[4096];
    for (size_t i = 0; !rc && i < n; i++) {
        parent_of(keys[i], dir, sizeof dir);
        if (i && !strcmp(dir, last)) continue;
        snprintf(last, sizeof last, "%s", dir);
        prune(v, keys[i]);
    }
    return rc;
}

static void destroy(lake_backend *b) {
    volume *v = lake_backend_impl(b);
    lake__http_dispose(&v->http);
    lake__free(v->root);
    lake__free(v);
}

/* ---- opening */

static const char volumes[] = "/Volumes/", dbfs[] = "dbfs:";

bool lake__volume_path(const char *path) {
    if (!strncmp(path, dbfs, sizeof dbfs - 1)) path += sizeof dbfs - 1;
    return !strncmp(path, volumes, sizeof volumes - 1);
}

int lake__volume_backend_open(lake_backend **out, const char *base, const char *path, const lake__bearer *auth,
                              lake_error *err) {
    *out = NULL;
    if (!strncmp(path, dbfs, sizeof dbfs - 1)) path += sizeof dbfs - 1;
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/') len--;
    char *root = lake__strndup(path, len);
    if (!root) return lake__error(err, LAKE_ENOMEM, "out of memory");
    size_t segments = 1;
    for (const char *p = root; *p; p++) segments += *p == '/';
    lake_error why = LAKE_ERROR_INIT;
    /* "/Volumes/c/s/v": the leading '/' and four segments at least, none empty, "." or "..". */
    if (strncmp(root, volumes, sizeof volumes - 1) || segments < 5 || lake__key_check(root + 1, &why) ||
        strlen(base) >= sizeof ((volume *)0)->base) {
        lake_error_clear(&why);
        lake__free(root);
        return lake__error(err, LAKE_EINVAL, "staging \"%.200s\": a volume path is /Volumes/<catalog>/<schema>/<volume>"
                                             "[/<folder>...], without empty, \".\" or \"..\" segments", path);
    }
    volume *v = lake__calloc(1, sizeof *v);
    if (!v) {
        lake__free(root);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    v->root = root;
    snprintf(v->base, sizeof v->base, "%s", base);
    v->auth = *auth;
    /* Long enough for a large part; uploads and deletions are idempotent, so every retry is safe. */
    lake__http_init(&v->http, 600000, 5, false);
    lake_backend_ops ops = LAKE_BACKEND_OPS_INIT;
    ops.put_begin = put_begin;
    ops.put_commit = put_commit;
    ops.put_abort = put_abort;
    ops.get = get;
    ops.list = list;
    ops.remove = remove_one;
    ops.put_if_absent = put_if_absent;
    ops.remove_many = remove_many;
    ops.destroy = destroy;
    ops.reach = LAKE_REACH_NETWORK; /* the warehouse reads /Volumes paths itself */
    int rc = lake_backend_new(out, &ops, v, root, NULL, err);
    if (rc) {
        ops.destroy = NULL;
        lake__http_dispose(&v->http);
        lake__free(v->root);
        lake__free(v);
    }
    return rc;
}
