/* SPDX-License-Identifier: MIT */
/* The Iceberg REST catalog protocol (open-api/rest-catalog-open-api.yaml in
 * apache/iceberg) behind the catalog operations: the server keeps the
 * pointer to each table's metadata and writes the metadata files itself,
 * from the updates a commit sends and only if the commit's requirements
 * still hold. Answers are read by rest_response.c; credentials come from
 * rest_auth.c. */
#include <stdio.h>
#include <string.h>

#include "backends/http.h"
#include "backends/s3/sigv4.h"
#include "error/error.h"
#include "formats/iceberg/catalog.h"
#include "formats/iceberg/metadata.h"
#include "formats/iceberg/rest_auth.h"
#include "formats/iceberg/rest_response.h"
#include "json/write.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/escape.h"
#include "util/redact.h"

typedef struct rest_catalog {
    char *base; /* http(s)://host:port/path, no trailing '/' */
    char *root; /* base + "/v1" + "/<prefix>" when the server asks for one */
    lake__http http;
    /* For requests that must not run twice (create, commit): retried only
     * when they never reached the server. */
    lake__http once;
    lake__iceberg_rest_auth auth;
} rest_catalog;

/* ---- one request */

typedef struct request {
    const char *url;
    bool json_body;
    bool delegate; /* asks for the table's storage credentials (a load or a create) */
    char authorization[sizeof "Authorization: Bearer " + LAKE__ICEBERG_REST_TOKEN_MAX];
} request;

static int prepare(void *ctx, lake__buf *url, struct curl_slist **headers) {
    request *r = ctx;
    lake__buf_puts(url, r->url);
    /* Catalogs that vend credentials only when asked (the spec's
     * X-Iceberg-Access-Delegation) are asked for them, not for remote signing. */
    const char *lines[] = {"Accept: application/json", r->json_body ? "Content-Type: application/json" : NULL,
                           r->authorization[0] ? r->authorization : NULL,
                           r->delegate ? "X-Iceberg-Access-Delegation: vended-credentials" : NULL};
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        if (!lines[i]) continue;
        struct curl_slist *h = curl_slist_append(*headers, lines[i]);
        if (!h) return LAKE_ENOMEM;
        *headers = h;
    }
    return url->failed ? LAKE_ENOMEM : LAKE_OK;
}

/* Sends one request with the catalog's credentials; a token the server
 * refuses as expired (401, or 419 "authentication timeout") is fetched
 * again once. */
static int call(rest_catalog *c, lake__http *http, const char *method, const char *url, const lake__buf *body,
                bool delegate, lake__http_response *resp, const char *what, lake_error *err) {
    memset(resp, 0, sizeof *resp);
    request r = {url, body != NULL, delegate, {0}};
    int rc = LAKE_OK;
    for (int attempt = 0; attempt < 2; attempt++) {
        rc = lake__iceberg_rest_auth_header(&c->auth, &c->http, r.authorization, sizeof r.authorization, err);
        if (rc) break;
        if (attempt) lake__buf_dispose(&resp->body);
        rc = lake__http_call(http, method, prepare, &r, body ? body->data : NULL, body ? body->len : 0, NULL, resp,
                             what, err);
        if (rc || (resp->status != 401 && resp->status != 419) ||
            !lake__iceberg_rest_auth_refused(&c->auth, r.authorization))
            break;
    }
    memset(r.authorization, 0, sizeof r.authorization);
    return rc;
}

/* The server's refusal as an error: by the HTTP status the spec gives each
 * case, with its error document's type and message (credentials redacted,
 * control characters shown escaped). */
static int refused(const lake__http_response *resp, const char *what, bool commit, lake_error *err) {
    long s = resp->status;
    int code = s == 404 ? LAKE_ENOTFOUND : s == 409 ? LAKE_ECONFLICT
             : s == 401 || s == 403 || s == 419 ? LAKE_EAUTH : LAKE_EREMOTE;
    lake_error_kind kind = s == 404 ? LAKE_KIND_NOT_FOUND : s == 409 ? LAKE_KIND_CONFLICT
                         : s == 401 || s == 403 || s == 419 ? LAKE_KIND_PERMISSION
                         : s == 400 || s == 406 || s == 422 ? LAKE_KIND_INVALID
                         : (s == 429 || s >= 500) && !commit ? LAKE_KIND_RETRYABLE : LAKE_KIND_NONE;
    lake_arena *arena = NULL;
    const char *message = NULL, *type = NULL;
    if (!lake_arena_new(&arena) && resp->body.data)
        lake__iceberg_rest_error_read(resp->body.data, resp->body.len, arena, &message, &type);
    lake__buf shown = LAKE__BUF_INIT;
    if (message) lake__escape_controls(&shown, message, strlen(message));
    char said[384];
    lake__redact(shown.data ? shown.data : "", said, sizeof said);
    int rc = lake__error_engine(err, code, kind, type, NULL, "Iceberg REST catalog: %s: HTTP %ld%s%s%s%s%s", what, s,
                                type ? " " : "", type ? type : "", said[0] ? ": " : "", said,
                                commit && s >= 500 ? " (the commit's state is unknown: reload the table to see "
                                                     "whether it landed before committing again)" : "");
    lake__buf_dispose(&shown);
    lake_arena_free(arena);
    return rc;
}

/* ---- URLs */

/* root + "/namespaces/<ns>[/tables[/<table>]]", names percent-encoded. */
static int table_url(lake__buf *url, const rest_catalog *c, const char *ns, bool tables, const char *table) {
    lake__buf_printf(url, "%s/namespaces/", c->root);
    lake__uri_encode(url, ns, strlen(ns), false);
    if (tables) lake__buf_puts(url, "/tables");
    if (table) lake__buf_putc(url, '/'), lake__uri_encode(url, table, strlen(table), false);
    return url->failed ? LAKE_ENOMEM : LAKE_OK;
}

/* What an error names: the request, its URL credentials redacted. */
static const char *describe(char *out, size_t cap, const char *method, const char *url) {
    char shown[256];
    snprintf(out, cap, "%s %s", method, lake__redact(url, shown, sizeof shown));
    return out;
}

/* A request answered by a table (load, create, commit): on 200, its
 * metadata location and metadata, and with storage (a load, a create) the
 * storage properties vended for it, into arena. */
static int table_call(rest_catalog *c, lake__http *http, const char *method, const char *url, const lake__buf *body,
                      bool commit, lake__buf *metadata_location, lake__buf *json, lake_arena *arena,
                      lake__iceberg_storage *storage, lake_error *err) {
    char what[320];
    describe(what, sizeof what, method, url);
    lake__http_response resp;
    int rc = call(c, http, method, url, body, !commit, &resp, what, err);
    if (rc && commit && rc != LAKE_ENOMEM && rc != LAKE_EAUTH && err)
        lake__error_forward(err, err, "the commit's state is unknown (reload the table to see whether it landed "
                                           "before committing again): ");
    else if (!rc && resp.status != 200) rc = refused(&resp, what, commit, err);
    else if (!rc) rc = lake__iceberg_rest_table_read(resp.body.data ? resp.body.data : "", resp.body.len,
                                                     metadata_location, json, arena, storage, err);
    lake__buf_dispose(&resp.body);
    return rc;
}

/* ---- the operations */

static void rest_close(void *impl) {
    rest_catalog *c = impl;
    if (!c) return;
    lake__iceberg_rest_auth_dispose(&c->auth);
    lake__http_dispose(&c->http);
    lake__http_dispose(&c->once);
    lake__free(c->base);
    lake__free(c->root);
    lake__free(c);
}

/* GET /v1/config: the prefix every other path takes. The warehouse is the
 * client's, so a server serving several picks the one lakeorm writes to. */
static int configure(rest_catalog *c, lake_backend *warehouse, lake_error *err) {
    lake__buf url = LAKE__BUF_INIT, root = LAKE__BUF_INIT;
    lake__buf_printf(&url, "%s/v1/config", c->base);
    const char *where = warehouse ? lake_backend_url(warehouse) : NULL;
    if (where) lake__buf_puts(&url, "?warehouse="), lake__uri_encode(&url, where, strlen(where), false);
    if (url.failed) return lake__buf_dispose(&url), lake__error(err, LAKE_ENOMEM, "out of memory");
    char what[320];
    describe(what, sizeof what, "GET", url.data);
    lake__http_response resp;
    lake_arena *arena = NULL;
    const char *prefix = NULL;
    int rc = call(c, &c->http, "GET", url.data, NULL, false, &resp, what, err);
    if (!rc && resp.status != 200) rc = refused(&resp, what, false, err);
    if (!rc && lake_arena_new(&arena)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!rc) rc = lake__iceberg_rest_config_read(resp.body.data ? resp.body.data : "", resp.body.len, arena, &prefix, err);
    if (!rc) {
        lake__buf_printf(&root, "%s/v1", c->base);
        if (prefix) lake__buf_printf(&root, "/%s", prefix);
        c->root = root.failed ? NULL : lake__buf_detach(&root, NULL);
        if (!c->root) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    lake_arena_free(arena);
    lake__buf_dispose(&resp.body);
    lake__buf_dispose(&url);
    lake__buf_dispose(&root);
    return rc;
}

static int rest_open(const char *url, lake_backend *warehouse, void **impl, lake_error *err) {
    *impl = NULL;
    char shown[256];
    if (strncmp(url, "rest+http://", 12) && strncmp(url, "rest+https://", 13))
        return lake__error(err, LAKE_EINVAL, "Iceberg REST catalog URL %s: expected rest+http:// or rest+https://",
                           lake__redact(url, shown, sizeof shown));
    const char *base = url + strlen("rest+"), *host = strstr(base, "://") + 3;
    size_t len = strlen(base);
    while (len && base[len - 1] == '/') len--;
    if (strpbrk(base, "?#") || !*host || *host == '/' || base + len <= host)
        return lake__error(err, LAKE_EINVAL, "Iceberg REST catalog URL %s: expected rest+http(s)://host[:port][/path] "
                                             "without a query", lake__redact(url, shown, sizeof shown));
    rest_catalog *c = lake__calloc(1, sizeof *c);
    if (!c) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__http_init(&c->http, 0, 0, false);
    lake__http_init(&c->once, 0, 0, false);
    c->once.strict = true;
    c->base = lake__strndup(base, len);
    int rc = c->base ? lake__iceberg_rest_auth_init(&c->auth, c->base, err) : lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!rc) rc = configure(c, warehouse, err);
    if (rc) {
        rest_close(c);
        return rc;
    }
    *impl = c;
    return LAKE_OK;
}

static int rest_namespace_ensure(void *impl, const char *ns, lake_error *err) {
    rest_catalog *c = impl;
    lake__buf url = LAKE__BUF_INIT, body = LAKE__BUF_INIT;
    lake__buf_printf(&url, "%s/namespaces", c->root);
    lake__buf_puts(&body, "{\"namespace\":[");
    lake__json_write_string(&body, ns, strlen(ns));
    lake__buf_puts(&body, "],\"properties\":{}}");
    int rc = url.failed || body.failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
    char what[320];
    lake__http_response resp = {0};
    if (!rc) rc = call(c, &c->http, "POST", url.data, &body, false, &resp, describe(what, sizeof what, "POST", url.data),
                       err);
    /* 409: it exists, which is all this asks. */
    if (!rc && resp.status != 200 && resp.status != 409) rc = refused(&resp, what, false, err);
    lake__buf_dispose(&resp.body);
    lake__buf_dispose(&url);
    lake__buf_dispose(&body);
    return rc;
}

static int rest_load(void *impl, const char *ns, const char *table, lake__buf *metadata_location, lake__buf *json,
                     lake_arena *arena, lake__iceberg_storage *storage, lake_error *err) {
    rest_catalog *c = impl;
    lake__buf url = LAKE__BUF_INIT;
    int rc = table_url(&url, c, ns, true, table) ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
    if (!rc) rc = table_call(c, &c->http, "GET", url.data, NULL, false, metadata_location, json, arena, storage, err);
    lake__buf_dispose(&url);
    return rc;
}

static int rest_create(void *impl, const char *ns, const char *table, const lake_schema *s, const char *location,
                       lake__buf *metadata_location, lake__buf *json, lake_error *err) {
    rest_catalog *c = impl;
    lake__buf url = LAKE__BUF_INIT, body = LAKE__BUF_INIT;
    table_url(&url, c, ns, true, NULL);
    lake__buf_puts(&body, "{\"name\":");
    lake__json_write_string(&body, table, strlen(table));
    lake__buf_puts(&body, ",\"location\":");
    lake__json_write_string(&body, location, strlen(location));
    lake__buf_puts(&body, ",\"schema\":");
    lake__iceberg_schema_json(&body, s, 0);
    lake__buf_puts(&body, ",\"partition-spec\":");
    int rc = lake__iceberg_spec_json(&body, s, err);
    lake__buf_puts(&body, ",\"write-order\":{\"order-id\":0,\"fields\":[]},\"properties\":{}}");
    if (!rc && (url.failed || body.failed)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    /* Not retried once sent: a create that landed would come back 409. What
     * it vends is not kept: lakeorm writes no file before loading the table. */
    if (!rc) rc = table_call(c, &c->once, "POST", url.data, &body, false, metadata_location, json, NULL, NULL, err);
    lake__buf_dispose(&url);
    lake__buf_dispose(&body);
    return rc;
}

/* A CommitTableRequest: what the commit assumes of the table (its identity,
 * then what each update was made over) and the updates. */
static int commit_body(lake__buf *body, const char *ns, const char *table, const char *uuid,
                       const lake__iceberg_update *u) {
    lake__buf_puts(body, "{\"identifier\":{\"namespace\":[");
    lake__json_write_string(body, ns, strlen(ns));
    lake__buf_puts(body, "],\"name\":");
    lake__json_write_string(body, table, strlen(table));
    lake__buf_puts(body, "},\"requirements\":[{\"type\":\"assert-table-uuid\",\"uuid\":");
    lake__json_write_string(body, uuid, strlen(uuid));
    lake__buf_putc(body, '}');
    if (u->schema_json)
        lake__buf_printf(body, ",{\"type\":\"assert-current-schema-id\",\"current-schema-id\":%d}", (int)(u->schema_id - 1));
    if (u->expire_count && !u->snapshot)
        lake__buf_printf(body, ",{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"main\",\"snapshot-id\":%lld}",
                         (long long)u->current_snapshot_id);
    if (u->snapshot) {
        lake__buf_puts(body, ",{\"type\":\"assert-ref-snapshot-id\",\"ref\":\"main\",\"snapshot-id\":");
        if (u->snapshot->parent_id >= 0) lake__buf_printf(body, "%lld}", (long long)u->snapshot->parent_id);
        else lake__buf_puts(body, "null}"); /* main must not exist yet */
    }
    lake__buf_puts(body, "],\"updates\":[");
    if (u->schema_json) {
        lake__buf_puts(body, "{\"action\":\"add-schema\",\"schema\":");
        lake__buf_puts(body, u->schema_json);
        lake__buf_printf(body, ",\"last-column-id\":%d},{\"action\":\"set-current-schema\",\"schema-id\":-1}",
                         (int)u->last_column_id); /* -1: the schema just added */
    }
    if (u->snapshot) {
        lake__buf_printf(body, "%s{\"action\":\"add-snapshot\",\"snapshot\":", u->schema_json ? "," : "");
        lake__iceberg_snapshot_json(body, u->snapshot);
        lake__buf_printf(body, "},{\"action\":\"set-snapshot-ref\",\"ref-name\":\"main\",\"type\":\"branch\","
                               "\"snapshot-id\":%lld}", (long long)u->snapshot->id);
    }
    if (u->expire_count) {
        lake__buf_printf(body, "%s{\"action\":\"remove-snapshots\",\"snapshot-ids\":[",
                         u->schema_json || u->snapshot ? "," : "");
        for (size_t i = 0; i < u->expire_count; i++) lake__buf_printf(body, "%s%lld", i ? "," : "", (long long)u->expire[i]);
        lake__buf_puts(body, "]}");
    }
    lake__buf_puts(body, "]}");
    return body->failed ? LAKE_ENOMEM : LAKE_OK;
}

static int rest_commit(void *impl, const char *ns, const char *table, const char *base_location, const char *base_json,
                       size_t base_len, const lake__iceberg_update *u, lake__buf *metadata_location, lake__buf *json,
                       lake_error *err) {
    (void)base_location; /* the server checks the requirements against its own current metadata */
    rest_catalog *c = impl;
    if (!u->snapshot && !u->schema_json && !u->expire_count)
        return lake__error(err, LAKE_EINVAL, "Iceberg REST catalog: a commit to %s.%s with nothing to change", ns, table);
    lake_arena *arena;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__iceberg_loaded base;
    lake__buf url = LAKE__BUF_INIT, body = LAKE__BUF_INIT;
    int rc = lake__iceberg_metadata_read(base_json, base_len, arena, &base, err);
    if (!rc && (table_url(&url, c, ns, true, table) || commit_body(&body, ns, table, base.uuid, u)))
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    /* Never resent once it may have reached the server: a commit that landed
     * and ran again would fail its requirements, or worse, pass them. */
    if (!rc) rc = table_call(c, &c->once, "POST", url.data, &body, true, metadata_location, json, NULL, NULL, err);
    lake__buf_dispose(&url);
    lake__buf_dispose(&body);
    lake_arena_free(arena);
    return rc;
}

/* DELETE of the table without purgeRequested: lakeorm removes the files
 * itself, as with the SQL catalog. */
static int rest_drop(void *impl, const char *ns, const char *table, lake_error *err) {
    rest_catalog *c = impl;
    lake__buf url = LAKE__BUF_INIT;
    int rc = table_url(&url, c, ns, true, table) ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
    char what[320];
    lake__http_response resp = {0};
    if (!rc) rc = call(c, &c->http, "DELETE", url.data, NULL, false, &resp, describe(what, sizeof what, "DELETE", url.data),
                       err);
    if (!rc && resp.status != 200 && resp.status != 204) rc = refused(&resp, what, false, err);
    lake__buf_dispose(&resp.body);
    lake__buf_dispose(&url);
    return rc;
}

/* GET namespaces, page after page (the server may page with
 * next-page-token). */
static int rest_namespaces(void *impl, int (*fn)(void *ctx, const char *ns), void *ctx, lake_error *err) {
    rest_catalog *c = impl;
    lake_arena *arena;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    const char *token = NULL;
    int rc = LAKE_OK;
    do {
        lake__buf url = LAKE__BUF_INIT, names = LAKE__BUF_INIT;
        lake__buf_printf(&url, "%s/namespaces", c->root);
        if (token) lake__buf_puts(&url, "?pageToken="), lake__uri_encode(&url, token, strlen(token), false);
        char what[320];
        lake__http_response resp = {0};
        size_t count = 0;
        rc = url.failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
        if (!rc) rc = call(c, &c->http, "GET", url.data, NULL, false, &resp, describe(what, sizeof what, "GET", url.data),
                           err);
        if (!rc && resp.status != 200) rc = refused(&resp, what, false, err);
        if (!rc) rc = lake__iceberg_rest_namespaces_read(resp.body.data ? resp.body.data : "", resp.body.len, arena, &names,
                                                         &count, &token, err);
        for (size_t at = 0, i = 0; !rc && i < count; i++, at += strlen(names.data + at) + 1) rc = fn(ctx, names.data + at);
        lake__buf_dispose(&resp.body);
        lake__buf_dispose(&url);
        lake__buf_dispose(&names);
    } while (!rc && token && *token);
    lake_arena_free(arena);
    return rc;
}

const lake__iceberg_catalog_ops lake__iceberg_rest_catalog_ops = {
    "rest+http", rest_open, rest_close, rest_namespace_ensure, rest_load, rest_create, rest_commit, rest_drop,
    rest_namespaces,
};
