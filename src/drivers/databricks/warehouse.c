/* SPDX-License-Identifier: MIT */
#include "drivers/databricks/warehouse.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "error/error.h"
#include "json/write.h"
#include "util/alloc.h"
#include "util/arena.h"

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void pause_seconds(double s) {
    struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&t, NULL);
}

int lake__dbx_open(lake__dbx *d, const char *url, const lake__dialect *dialect, lake_error *err) {
    memset(d, 0, sizeof *d);
    d->dialect = dialect;
    pthread_mutex_init(&d->lock, NULL);
    lake__dbx_auth_init(&d->auth, &d->target);
    /* Long enough for a submission held `wait` seconds and a large chunk. */
    lake__http_init(&d->http, 120000, 6, false);
    d->http.strict = true;
    return lake__dbx_target_parse(url, &d->target, err);
}

int lake__dbx_set_namespace(lake__dbx *d, const char *catalog, const char *schema, lake_error *err) {
    lake__free(d->catalog);
    lake__free(d->schema);
    d->catalog = catalog ? lake__strndup(catalog, strlen(catalog)) : NULL;
    d->schema = schema ? lake__strndup(schema, strlen(schema)) : NULL;
    if ((catalog && !d->catalog) || (schema && !d->schema)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    return LAKE_OK;
}

/* ---- one HTTP exchange with the API */

typedef struct api_call {
    lake__dbx *d;
    const char *path;
    char auth[4200];
    lake_error *err;
} api_call;

static int api_prepare(void *ctx, lake__buf *url, struct curl_slist **headers) {
    api_call *call = ctx;
    int rc = lake__dbx_auth_header(&call->d->auth, &call->d->http, call->auth, sizeof call->auth, call->err);
    if (rc) return rc;
    lake__buf_printf(url, "%s%s", call->d->target.base, call->path);
    struct curl_slist *h = curl_slist_append(*headers, call->auth);
    if (h) *headers = h;
    h = h ? curl_slist_append(*headers, "Content-Type: application/json") : NULL;
    if (h) *headers = h;
    /* libcurl would wait for "100 Continue" on large bodies: a round trip for nothing. */
    h = h ? curl_slist_append(*headers, "Expect:") : NULL;
    if (h) *headers = h;
    return !h || url->failed ? LAKE_ENOMEM : LAKE_OK;
}

lake_error_kind lake__dbx_http_kind(long status) {
    if (status == 401 || status == 403) return LAKE_KIND_PERMISSION;
    /* Rate limits (429, with Retry-After) and a warehouse starting or scaling (503). */
    if (status == 429 || status == 503) return LAKE_KIND_RETRYABLE;
    return LAKE_KIND_NONE;
}

/* The error codes of Databricks' REST APIs (an error document's error_code,
 * and status.error.error_code of a failed statement), where the HTTP status
 * or the statement's SQLSTATE did not already say. */
static lake_error_kind rest_code_kind(const char *code) {
    static const struct {
        const char *code;
        lake_error_kind kind;
    } codes[] = {
        {"TEMPORARILY_UNAVAILABLE", LAKE_KIND_RETRYABLE}, {"TOO_MANY_REQUESTS", LAKE_KIND_RETRYABLE},
        {"REQUEST_LIMIT_EXCEEDED", LAKE_KIND_RETRYABLE},  {"RESOURCE_EXHAUSTED", LAKE_KIND_RETRYABLE},
        {"UNAUTHENTICATED", LAKE_KIND_PERMISSION},        {"PERMISSION_DENIED", LAKE_KIND_PERMISSION},
        {"RESOURCE_DOES_NOT_EXIST", LAKE_KIND_NOT_FOUND}, {"NOT_FOUND", LAKE_KIND_NOT_FOUND},
        {"ABORTED", LAKE_KIND_CONFLICT}, /* 409: a concurrent change aborted the operation */
        {"BAD_REQUEST", LAKE_KIND_INVALID},               {"INVALID_PARAMETER_VALUE", LAKE_KIND_INVALID},
        {"MALFORMED_REQUEST", LAKE_KIND_INVALID},
    };
    for (size_t i = 0; code && i < sizeof codes / sizeof codes[0]; i++)
        if (!strcmp(code, codes[i].code)) return codes[i].kind;
    return LAKE_KIND_NONE;
}

/* An error document of the API as a lake_error. */
static int api_error(long status, const lake__dbx_response *r, const char *what, lake_error *err) {
    int code = status == 401 || status == 403 ? LAKE_EAUTH : status == 404 ? LAKE_ENOTFOUND : LAKE_EREMOTE;
    lake_error_kind kind = lake__dbx_http_kind(status);
    if (kind == LAKE_KIND_NONE) kind = rest_code_kind(r->error_code);
    return lake__error_engine(err, code, kind, r->error_code, NULL, "databricks: %s: HTTP %ld %s: %.300s", what, status,
                              r->error_code ? r->error_code : "", r->message ? r->message : "(no message)");
}

/* Sends one request; *out holds the parsed 200 answer. A 401 with an OAuth
 * token fetches a new token and tries once more (it may have been revoked). */
static int api(lake__dbx *d, const char *method, const char *path, const lake__buf *body, bool as_chunk,
               lake_arena *arena, lake__dbx_response *out, const char *what, lake_error *err) {
    int rc = LAKE_OK;
    for (int attempt = 0; attempt < 2; attempt++) {
        api_call call = {.d = d, .path = path, .err = err};
        lake__http_response resp;
        rc = lake__http_call(&d->http, method, api_prepare, &call, body ? body->data : NULL, body ? body->len : 0, NULL,
                             &resp, what, err);
        if (rc) {
            memset(call.auth, 0, sizeof call.auth);
            lake__buf_dispose(&resp.body);
            return rc;
        }
        rc = lake__dbx_response_parse(resp.body.data ? resp.body.data : "{}", resp.body.data ? resp.body.len : 2,
                                      as_chunk, arena, out, err);
        if (rc == LAKE_EREMOTE && resp.status != 200) { /* an answer that is not JSON: a proxy's page */
            lake_error_clear(err);
            memset(out, 0, sizeof *out);
            rc = LAKE_OK;
        }
        bool again = !rc && resp.status == 401 && attempt == 0 && lake__dbx_auth_refused(&d->auth, call.auth);
        if (!rc && resp.status != 200 && !again) rc = api_error(resp.status, out, what, err);
        memset(call.auth, 0, sizeof call.auth);
        lake__buf_dispose(&resp.body);
        if (!again) break;
    }
    return rc;
}

/* ---- statements under way, canceled at close */

static void track(lake__dbx *d, const char *id, bool add) {
    pthread_mutex_lock(&d->lock);
    if (add) {
        if (d->running_count == d->running_cap) {
            size_t cap = d->running_cap ? d->running_cap * 2 : 8;
            char(*p)[128] = lake__realloc(d->running, d->running_cap * sizeof *p, cap * sizeof *p);
            if (p) d->running = p, d->running_cap = cap;
        }
        if (d->running_count < d->running_cap) snprintf(d->running[d->running_count++], 128, "%s", id);
    } else {
        for (size_t i = 0; i < d->running_count; i++)
            if (!strcmp(d->running[i], id)) {
                memcpy(d->running[i], d->running[--d->running_count], 128);
                break;
            }
    }
    pthread_mutex_unlock(&d->lock);
}

static int cancel(lake__dbx *d, const char *id, lake_error *err) {
    char path[200];
    snprintf(path, sizeof path, "/api/2.0/sql/statements/%.128s/cancel", id);
    lake_arena *arena = NULL;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__dbx_response r;
    lake__buf empty = LAKE__BUF_INIT;
    lake__buf_puts(&empty, "{}");
    int rc = empty.failed ? lake__error(err, LAKE_ENOMEM, "out of memory")
                          : api(d, "POST", path, &empty, false, arena, &r, "cancel a statement", err);
    __atomic_add_fetch(&d->cancels, 1, __ATOMIC_RELAXED);
    lake__buf_dispose(&empty);
    lake_arena_free(arena);
    return rc;
}

void lake__dbx_cancel_running(lake__dbx *d) {
    pthread_mutex_lock(&d->lock);
    size_t n = d->running_count;
    char(*ids)[128] = n ? lake__malloc(n * sizeof *ids) : NULL;
    if (ids) memcpy(ids, d->running, n * sizeof *ids);
    pthread_mutex_unlock(&d->lock);
    for (size_t i = 0; ids && i < n; i++) {
        lake_error ignored = LAKE_ERROR_INIT; /* best effort: the warehouse ends it anyway */
        cancel(d, ids[i], &ignored);
        lake_error_clear(&ignored);
    }
    lake__free(ids);
}

void lake__dbx_close(lake__dbx *d) {
    lake__dbx_cancel_running(d);
    lake__free(d->running);
    lake__free(d->catalog);
    lake__free(d->schema);
    lake__http_dispose(&d->http);
    lake__dbx_auth_dispose(&d->auth);
    lake__dbx_target_dispose(&d->target);
    pthread_mutex_destroy(&d->lock);
}

/* ---- running a statement */

static void json_member(lake__buf *b, const char *name, const char *value) {
    lake__buf_printf(b, ",\"%s\":", name);
    lake__json_write_string(b, value, strlen(value));
}

static int request_body(lake__dbx *d, const char *sql, const lake__dbx_param *params, size_t n, lake__dbx_form form,
                        lake__buf *b) {
    lake__buf_puts(b, "{\"statement\":");
    lake__json_write_string(b, sql, strlen(sql));
    json_member(b, "warehouse_id", d->target.warehouse);
    if (d->catalog) json_member(b, "catalog", d->catalog);
    if (d->schema) json_member(b, "schema", d->schema);
    lake__buf_printf(b, ",\"wait_timeout\":\"%us\",\"on_wait_timeout\":\"CONTINUE\"", d->target.wait_seconds);
    lake__buf_puts(b, form == LAKE__DBX_ARROW_LINKS ? ",\"disposition\":\"EXTERNAL_LINKS\",\"format\":\"ARROW_STREAM\""
                                                   : ",\"disposition\":\"INLINE\",\"format\":\"JSON_ARRAY\"");
    if (n) {
        lake__buf_puts(b, ",\"parameters\":[");
        for (size_t i = 0; i < n; i++) {
            lake__buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
            lake__json_write_string(b, params[i].name, strlen(params[i].name));
            if (params[i].value) json_member(b, "value", params[i].value);
            if (params[i].type) json_member(b, "type", params[i].type);
            lake__buf_putc(b, '}');
        }
        lake__buf_putc(b, ']');
    }
    return lake__buf_putc(b, '}');
}

static bool terminal(lake__dbx_state s) { return s >= LAKE__DBX_SUCCEEDED; }

/* A failed statement is classified by its Spark error class, then its
 * SQLSTATE, then the API's error code (BAD_REQUEST for most SQL errors). */
static int outcome(const lake__dbx_response *r, lake_error *err) {
    if (r->state == LAKE__DBX_SUCCEEDED) return LAKE_OK;
    if (r->state == LAKE__DBX_FAILED) {
        lake_error_kind kind = lake__error_class_kind(r->error_class);
        if (kind == LAKE_KIND_NONE) kind = lake__sqlstate_kind(r->sql_state);
        if (kind == LAKE_KIND_NONE) kind = rest_code_kind(r->error_code);
        return lake__error_engine(err, LAKE_EREMOTE, kind, r->error_class ? r->error_class : r->error_code,
                                  r->sql_state, "databricks: statement %s failed: [%s] (SQLSTATE %s) %.300s",
                                  r->statement_id, r->error_code ? r->error_code : "UNKNOWN",
                                  r->sql_state ? r->sql_state : "none", r->message ? r->message : "(no message)");
    }
    return lake__error(err, LAKE_EREMOTE, "databricks: statement %s ended %s%s%.300s", r->statement_id,
                       lake__dbx_state_name(r->state), r->message ? ": " : "", r->message ? r->message : "");
}

int lake__dbx_run(lake__dbx *d, const char *sql, const lake__dbx_param *params, size_t nparams, lake__dbx_form form,
                  lake_arena *arena, lake__dbx_response *out, lake_error *err) {
    lake__buf body = LAKE__BUF_INIT;
    double started = now_seconds();
    int rc = request_body(d, sql, params, nparams, form, &body) ? lake__error(err, LAKE_ENOMEM, "out of memory")
                                                                 : LAKE_OK;
    if (!rc) rc = api(d, "POST", "/api/2.0/sql/statements", &body, false, arena, out, "submit a statement", err);
    lake__buf_dispose(&body);
    if (rc) return rc;
    if (!out->statement_id || !*out->statement_id || strlen(out->statement_id) >= 128)
        return lake__error(err, LAKE_EREMOTE, "databricks: the warehouse accepted a statement without a usable id");
    char id[128], path[200];
    snprintf(id, sizeof id, "%s", out->statement_id);
    snprintf(path, sizeof path, "/api/2.0/sql/statements/%s", id);
    if (!terminal(out->state)) track(d, id, true);
    /* Poll with back-off: quick answers stay quick, long statements cost few requests. */
    double delay = 0.05;
    while (!rc && !terminal(out->state)) {
        if (d->target.timeout_seconds > 0 && now_seconds() - started >= d->target.timeout_seconds) {
            lake_error ignored = LAKE_ERROR_INIT;
            cancel(d, id, &ignored);
            lake_error_clear(&ignored);
            rc = lake__error(err, LAKE_ETIMEOUT, "databricks: statement %s still %s after %.0f s: canceled", id,
                             lake__dbx_state_name(out->state), d->target.timeout_seconds);
            break;
        }
        pause_seconds(delay);
        delay = delay * 1.6 < 2 ? delay * 1.6 : 2;
        __atomic_add_fetch(&d->polls, 1, __ATOMIC_RELAXED);
        rc = api(d, "GET", path, NULL, false, arena, out, "poll a statement", err);
        if (!rc && !out->statement_id) out->statement_id = lake__arena_strndup(arena, id, strlen(id));
    }
    track(d, id, false);
    return rc ? rc : outcome(out, err);
}

int lake__dbx_chunk(lake__dbx *d, const char *statement_id, int64_t index, lake_arena *arena, lake__dbx_response *out,
                    lake_error *err) {
    char path[240];
    snprintf(path, sizeof path, "/api/2.0/sql/statements/%.128s/result/chunks/%lld", statement_id, (long long)index);
    return api(d, "GET", path, NULL, true, arena, out, "fetch a result chunk", err);
}
