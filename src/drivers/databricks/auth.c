/* SPDX-License-Identifier: MIT */
#include "drivers/databricks/auth.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "drivers/databricks/response.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/base64.h"

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void lake__dbx_auth_init(lake__dbx_auth *a, const lake__dbx_target *target) {
    memset(a, 0, sizeof *a);
    pthread_mutex_init(&a->lock, NULL);
    a->target = target;
}

static void drop_token(lake__dbx_auth *a) {
    if (a->token) memset(a->token, 0, strlen(a->token));
    lake__free(a->token);
    a->token = NULL;
}

void lake__dbx_auth_dispose(lake__dbx_auth *a) {
    drop_token(a);
    pthread_mutex_destroy(&a->lock);
}

typedef struct token_call {
    const lake__dbx_target *t;
} token_call;

static int token_prepare(void *ctx, lake__buf *url, struct curl_slist **headers) {
    const lake__dbx_target *t = ((token_call *)ctx)->t;
    lake__buf_printf(url, "%s/oidc/v1/token", t->base);
    /* HTTP Basic with the client id and secret (RFC 6749 section 2.3.1). */
    lake__buf pair = LAKE__BUF_INIT;
    lake__buf_printf(&pair, "%s:%s", t->client_id, t->client_secret);
    size_t cap = pair.len / 3 * 4 + 8;
    char *line = pair.failed ? NULL : lake__malloc(cap + 32);
    int rc = line ? LAKE_OK : LAKE_ENOMEM;
    if (line) {
        memcpy(line, "Authorization: Basic ", 21);
        line[21 + lake__base64_encode((const uint8_t *)pair.data, pair.len, line + 21)] = 0;
        struct curl_slist *h = curl_slist_append(*headers, line);
        if (h) *headers = h;
        h = h ? curl_slist_append(*headers, "Content-Type: application/x-www-form-urlencoded") : NULL;
        if (h) *headers = h;
        else rc = LAKE_ENOMEM;
        memset(line, 0, cap + 32);
        lake__free(line);
    }
    if (pair.data) memset(pair.data, 0, pair.len);
    lake__buf_dispose(&pair);
    return rc ? rc : url->failed ? LAKE_ENOMEM : LAKE_OK;
}

static int fetch(lake__dbx_auth *a, lake__http *http, lake_error *err) {
    static const char body[] = "grant_type=client_credentials&scope=all-apis";
    token_call call = {a->target};
    lake__http_response resp;
    double asked = now_seconds();
    int rc = lake__http_call(http, "POST", token_prepare, &call, body, sizeof body - 1, NULL, &resp,
                             "the workspace's OAuth token endpoint", err);
    lake_arena *arena = NULL;
    lake__dbx_response r;
    if (!rc && lake_arena_new(&arena)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!rc) rc = lake__dbx_response_parse(resp.body.data ? resp.body.data : "", resp.body.len, false, arena, &r, err);
    if (!rc && (resp.status != 200 || !r.access_token || !*r.access_token))
        rc = lake__error(err, LAKE_EAUTH, "databricks: %s/oidc/v1/token refused the service principal %s (HTTP %ld)",
                         a->target->base, a->target->client_id, resp.status);
    if (!rc) {
        char *copy = lake__strndup(r.access_token, strlen(r.access_token));
        if (!copy) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        else {
            drop_token(a);
            a->token = copy;
            /* Refresh when a quarter of the lifetime is left, at most a minute early. */
            double life = r.expires_in > 0 ? (double)r.expires_in : 3600, margin = life / 4 < 60 ? life / 4 : 60;
            a->expires_at = asked + life;
            a->refresh_at = a->expires_at - margin;
            __atomic_add_fetch(&a->fetched, 1, __ATOMIC_RELAXED);
        }
    }
    if (resp.body.data) memset(resp.body.data, 0, resp.body.len);
    lake__buf_dispose(&resp.body);
    lake_arena_free(arena); /* held the token too: the arena's blocks are freed, not reused */
    return rc;
}

int lake__dbx_auth_header(lake__dbx_auth *a, lake__http *http, char *out, size_t cap, lake_error *err) {
    const char *token = a->target->token;
    int rc = LAKE_OK;
    pthread_mutex_lock(&a->lock);
    if (!token) {
        if (!a->token || now_seconds() >= a->refresh_at) rc = fetch(a, http, err);
        token = a->token;
    }
    if (!rc && (size_t)snprintf(out, cap, "Authorization: Bearer %s", token) >= cap)
        rc = lake__error(err, LAKE_EAUTH, "databricks: the access token is longer than lakeorm accepts");
    pthread_mutex_unlock(&a->lock);
    return rc;
}

bool lake__dbx_auth_refused(lake__dbx_auth *a, const char *header) {
    if (a->target->token) return false;
    pthread_mutex_lock(&a->lock);
    const char *sent = strstr(header, "Bearer ");
    if (a->token && sent && !strcmp(sent + 7, a->token)) drop_token(a); /* not one a concurrent caller fetched since */
    pthread_mutex_unlock(&a->lock);
    return true;
}
