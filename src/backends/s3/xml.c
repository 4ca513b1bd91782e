/* SPDX-License-Identifier: MIT */
/* One small expat driver: the handlers track the element path and the text
 * of the current leaf; each response type looks at the paths it needs. */
#include "backends/s3/xml.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

enum { MAX_DEPTH = 16 };

typedef struct walker walker;
typedef int (*leaf_fn)(walker *w, const char *path, const char *text, size_t len);
typedef int (*close_fn)(walker *w, const char *path);

struct walker {
    XML_Parser parser;
    char path[512];
    size_t marks[MAX_DEPTH];
    int depth;
    lake__buf text;
    leaf_fn leaf;
    close_fn close;
    void *ctx;
    int stop; /* a handler's non-zero result */
    int too_deep;
};

static void XMLCALL start(void *data, const XML_Char *name, const XML_Char **attrs) {
    walker *w = data;
    (void)attrs;
    if (w->depth == MAX_DEPTH) {
        w->too_deep = 1;
        XML_StopParser(w->parser, XML_FALSE);
        return;
    }
    size_t len = strlen(w->path);
    w->marks[w->depth++] = len;
    /* Namespaces are ignored: S3 puts every element in one. */
    snprintf(w->path + len, sizeof w->path - len, "/%s", name);
    w->text.len = 0;
}

static void XMLCALL end(void *data, const XML_Char *name) {
    walker *w = data;
    (void)name;
    if (w->depth == 0) return;
    int rc = 0;
    if (w->leaf) rc = w->leaf(w, w->path, w->text.data ? w->text.data : "", w->text.len);
    if (!rc && w->close) rc = w->close(w, w->path);
    w->text.len = 0;
    w->path[w->marks[--w->depth]] = 0;
    if (rc) {
        w->stop = rc;
        XML_StopParser(w->parser, XML_FALSE);
    }
}

static void XMLCALL chars(void *data, const XML_Char *s, int len) {
    walker *w = data;
    if (w->text.len < 65536) lake__buf_put(&w->text, s, (size_t)len);
}

/* 0, a handler's result, or -1 for malformed XML. */
static int walk(const char *xml, size_t len, leaf_fn leaf, close_fn close, void *ctx) {
    walker w;
    memset(&w, 0, sizeof w);
    w.parser = XML_ParserCreate(NULL);
    if (!w.parser) return -1;
    w.leaf = leaf;
    w.close = close;
    w.ctx = ctx;
    XML_SetUserData(w.parser, &w);
    XML_SetElementHandler(w.parser, start, end);
    XML_SetCharacterDataHandler(w.parser, chars);
    int ok = len <= (size_t)0x7fffffff && XML_Parse(w.parser, xml, (int)len, XML_TRUE) == XML_STATUS_OK;
    XML_ParserFree(w.parser);
    lake__buf_dispose(&w.text);
    if (w.stop) return w.stop;
    return ok && !w.too_deep && !w.text.failed ? 0 : -1;
}

static void copy(char *out, size_t cap, const char *text, size_t len) {
    if (!cap) return;
    if (len >= cap) len = cap - 1;
    memcpy(out, text, len);
    out[len] = 0;
}

static int error_leaf(walker *w, const char *path, const char *text, size_t len) {
    lake__s3_error *e = w->ctx;
    if (!strcmp(path, "/Error/Code")) copy(e->code, sizeof e->code, text, len);
    else if (!strcmp(path, "/Error/Message")) copy(e->message, sizeof e->message, text, len);
    else if (!strcmp(path, "/Error/RequestId")) copy(e->request_id, sizeof e->request_id, text, len);
    else if (!strcmp(path, "/Error/Key")) copy(e->key, sizeof e->key, text, len);
    return 0;
}

int lake__s3_parse_error(const char *xml, size_t len, lake__s3_error *out) {
    memset(out, 0, sizeof *out);
    return walk(xml, len, error_leaf, NULL, out) || !out->code[0] ? -1 : 0;
}

typedef struct text_slot {
    const char *path;
    char *out;
    size_t cap;
    int found;
} text_slot;

static int slot_leaf(walker *w, const char *path, const char *text, size_t len) {
    text_slot *s = w->ctx;
    if (!strcmp(path, s->path)) {
        copy(s->out, s->cap, text, len);
        s->found = 1;
    }
    return 0;
}

int lake__s3_parse_upload_id(const char *xml, size_t len, char *out, size_t cap) {
    text_slot s = {"/InitiateMultipartUploadResult/UploadId", out, cap, 0};
    return walk(xml, len, slot_leaf, NULL, &s) || !s.found || !out[0] ? -1 : 0;
}

typedef struct list_state {
    lake__s3_object_fn fn;
    void *ctx;
    char key[1100];
    uint64_t size;
    int has_key;
    int *truncated;
    char *token;
    size_t cap;
} list_state;

static int list_leaf(walker *w, const char *path, const char *text, size_t len) {
    list_state *l = w->ctx;
    if (!strcmp(path, "/ListBucketResult/Contents/Key")) {
        if (len >= sizeof l->key) return -1; /* S3 keys are at most 1024 bytes */
        copy(l->key, sizeof l->key, text, len);
        l->has_key = 1;
    } else if (!strcmp(path, "/ListBucketResult/Contents/Size")) {
        char digits[32];
        copy(digits, sizeof digits, text, len);
        char *end;
        l->size = strtoull(digits, &end, 10);
        if (!len || *end) return -1;
    } else if (!strcmp(path, "/ListBucketResult/IsTruncated")) {
        *l->truncated = len == 4 && !memcmp(text, "true", 4);
    } else if (!strcmp(path, "/ListBucketResult/NextContinuationToken")) {
        copy(l->token, l->cap, text, len);
    }
    return 0;
}

static int list_close(walker *w, const char *path) {
    list_state *l = w->ctx;
    if (strcmp(path, "/ListBucketResult/Contents")) return 0;
    if (!l->has_key) return -1;
    int rc = l->fn(l->ctx, l->key, l->size);
    l->has_key = 0;
    l->size = 0;
    return rc;
}

int lake__s3_parse_list(const char *xml, size_t len, lake__s3_object_fn fn, void *ctx, int *truncated, char *token,
                        size_t cap) {
    *truncated = 0;
    if (cap) token[0] = 0;
    list_state l;
    memset(&l, 0, sizeof l);
    l.fn = fn;
    l.ctx = ctx;
    l.truncated = truncated;
    l.token = token;
    l.cap = cap;
    int rc = walk(xml, len, list_leaf, list_close, &l);
    if (!rc && *truncated && !token[0]) return -1; /* more to come, but no way to ask for it */
    return rc;
}

typedef struct uploads_state {
    lake__s3_upload_fn fn;
    void *ctx;
    char key[1100], id[1100];
    int has_key, has_id;
    int *truncated;
    char *next_key, *next_id;
    size_t cap;
} uploads_state;

static int uploads_leaf(walker *w, const char *path, const char *text, size_t len) {
    uploads_state *u = w->ctx;
    if (!strcmp(path, "/ListMultipartUploadsResult/Upload/Key")) {
        if (len >= sizeof u->key) return -1; /* S3 keys are at most 1024 bytes */
        copy(u->key, sizeof u->key, text, len);
        u->has_key = 1;
    } else if (!strcmp(path, "/ListMultipartUploadsResult/Upload/UploadId")) {
        if (!len || len >= sizeof u->id) return -1;
        copy(u->id, sizeof u->id, text, len);
        u->has_id = 1;
    } else if (!strcmp(path, "/ListMultipartUploadsResult/IsTruncated")) {
        *u->truncated = len == 4 && !memcmp(text, "true", 4);
    } else if (!strcmp(path, "/ListMultipartUploadsResult/NextKeyMarker")) {
        copy(u->next_key, u->cap, text, len);
    } else if (!strcmp(path, "/ListMultipartUploadsResult/NextUploadIdMarker")) {
        copy(u->next_id, u->cap, text, len);
    }
    return 0;
}

static int uploads_close(walker *w, const char *path) {
    uploads_state *u = w->ctx;
    if (strcmp(path, "/ListMultipartUploadsResult/Upload")) return 0;
    if (!u->has_key || !u->has_id) return -1;
    int rc = u->fn(u->ctx, u->key, u->id);
    u->has_key = u->has_id = 0;
    return rc;
}

int lake__s3_parse_uploads(const char *xml, size_t len, lake__s3_upload_fn fn, void *ctx, int *truncated,
                           char *next_key, char *next_upload_id, size_t cap) {
    *truncated = 0;
    if (cap) next_key[0] = next_upload_id[0] = 0;
    uploads_state u;
    memset(&u, 0, sizeof u);
    u.fn = fn;
    u.ctx = ctx;
    u.truncated = truncated;
    u.next_key = next_key;
    u.next_id = next_upload_id;
    u.cap = cap;
    int rc = walk(xml, len, uploads_leaf, uploads_close, &u);
    if (!rc && *truncated && !next_key[0]) return -1; /* more to come, but no way to ask for it */
    return rc;
}

typedef struct delete_state {
    char *key, *code;
    size_t key_cap, code_cap;
    int done; /* the first failure is the one reported */
} delete_state;

static int delete_leaf(walker *w, const char *path, const char *text, size_t len) {
    delete_state *d = w->ctx;
    if (d->done) return 0;
    if (!strcmp(path, "/DeleteResult/Error/Key")) copy(d->key, d->key_cap, text, len);
    else if (!strcmp(path, "/DeleteResult/Error/Code")) copy(d->code, d->code_cap, text, len);
    return 0;
}

static int delete_close(walker *w, const char *path) {
    delete_state *d = w->ctx;
    if (!strcmp(path, "/DeleteResult/Error")) d->done = 1;
    return 0;
}

int lake__s3_parse_delete(const char *xml, size_t len, char *failed_key, size_t key_cap, char *code, size_t code_cap) {
    if (key_cap) failed_key[0] = 0;
    if (code_cap) code[0] = 0;
    delete_state d = {failed_key, code, key_cap, code_cap, 0};
    int rc = walk(xml, len, delete_leaf, delete_close, &d);
    if (!rc && !failed_key[0] && code[0]) copy(failed_key, key_cap, "?", 1); /* an error without its key */
    return rc;
}
