/* SPDX-License-Identifier: MIT */
#include "formats/iceberg/rest_auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backends/s3/sigv4.h"
#include "error/error.h"
#include "formats/iceberg/rest_response.h"
#include "util/alloc.h"
#include "util/arena.h"

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Frees a secret after overwriting it. */
static void wipe(char **s) {
    if (*s) memset(*s, 0, strlen(*s));
    lake__free(*s);
    *s = NULL;
}

static char *copy(const char *s) { return lake__strndup(s, strlen(s)); }

int lake__iceberg_rest_auth_init(lake__iceberg_rest_auth *a, const char *base, lake_error *err) {
    memset(a, 0, sizeof *a);
    pthread_mutex_init(&a->lock, NULL);
    const char *token = getenv("LAKEORM_ICEBERG_TOKEN"), *id = getenv("LAKEORM_ICEBERG_CLIENT_ID"),
               *secret = getenv("LAKEORM_ICEBERG_CLIENT_SECRET"), *scope = getenv("LAKEORM_ICEBERG_SCOPE");
    if (token && *token) {
        if (!lake__iceberg_rest_token_usable(token) || strlen(token) > LAKE__ICEBERG_REST_TOKEN_MAX)
            return lake__error(err, LAKE_EAUTH, "LAKEORM_ICEBERG_TOKEN is not a bearer token (visible ASCII, at most "
                                                "%d characters)", (int)LAKE__ICEBERG_REST_TOKEN_MAX);
        a->fixed = true;
        return (a->token = copy(token)) ? LAKE_OK : lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    bool have_id = id && *id, have_secret = secret && *secret;
    if (!have_id && !have_secret) return LAKE_OK;
    if (!have_id || !have_secret)
        return lake__error(err, LAKE_EAUTH, "LAKEORM_ICEBERG_CLIENT_ID and LAKEORM_ICEBERG_CLIENT_SECRET go together: "
                                            "%s is not set", have_id ? "the secret" : "the client id");
    lake__buf url = LAKE__BUF_INIT;
    lake__buf_printf(&url, "%s/v1/oauth/tokens", base);
    a->token_url = url.failed ? NULL : lake__buf_detach(&url, NULL);
    a->client_id = copy(id);
    a->client_secret = copy(secret);
    a->scope = copy(scope && *scope ? scope : "catalog");
    lake__buf_dispose(&url);
    if (!a->token_url || !a->client_id || !a->client_secret || !a->scope)
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    return LAKE_OK;
}

void lake__iceberg_rest_auth_dispose(lake__iceberg_rest_auth *a) {
    wipe(&a->token);
    wipe(&a->client_secret);
    lake__free(a->client_id);
    lake__free(a->scope);
    lake__free(a->token_url);
    pthread_mutex_destroy(&a->lock);
}

static int token_prepare(void *ctx, lake__buf *url, struct curl_slist **headers) {
    lake__buf_puts(url, ((lake__iceberg_rest_auth *)ctx)->token_url);
    struct curl_slist *h = curl_slist_append(*headers, "Content-Type: application/x-www-form-urlencoded");
    if (h) *headers = h;
    return !h || url->failed ? LAKE_ENOMEM : LAKE_OK;
}

static void form_item(lake__buf *b, const char *key, const char *value) {
    lake__buf_printf(b, "%s%s=", b->len ? "&" : "", key);
    lake__uri_encode(b, value, strlen(value), false);
}

/* The client credentials grant (RFC 6749 section 4.4), the credentials in
 * the form as Iceberg's own client sends them. */
static int fetch(lake__iceberg_rest_auth *a, lake__http *http, lake_error *err) {
    lake__buf form = LAKE__BUF_INIT;
    form_item(&form, "grant_type", "client_credentials");
    form_item(&form, "client_id", a->client_id);
    form_item(&form, "client_secret", a->client_secret);
    form_item(&form, "scope", a->scope);
    double asked = now_seconds();
    lake__http_response resp = {0};
    lake_arena *arena = NULL;
    const char *token = NULL;
    int64_t expires_in = 0;
    int rc = form.failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
    if (!rc) rc = lake__http_call(http, "POST", token_prepare, a, form.data, form.len, NULL, &resp,
                                  "the Iceberg REST catalog's OAuth2 token endpoint", err);
    if (!rc && resp.status != 200)
        rc = lake__error(err, LAKE_EAUTH, "Iceberg REST catalog: the OAuth2 token endpoint refused client %s (HTTP "
                                          "%ld): check LAKEORM_ICEBERG_CLIENT_ID and LAKEORM_ICEBERG_CLIENT_SECRET",
                         a->client_id, resp.status);
    if (!rc && lake_arena_new(&arena)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!rc) rc = lake__iceberg_rest_token_read(resp.body.data ? resp.body.data : "", resp.body.len, arena, &token,
                                                &expires_in, err);
    if (!rc && strlen(token) > LAKE__ICEBERG_REST_TOKEN_MAX)
        rc = lake__error(err, LAKE_EAUTH, "Iceberg REST catalog: the OAuth2 token is longer than lakeorm sends");
    if (!rc) {
        wipe(&a->token);
        if (!(a->token = copy(token))) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        /* Fetched again with a quarter of its life left, at most a minute early. */
        double life = (double)expires_in, margin = life / 4 < 60 ? life / 4 : 60;
        a->refresh_at = expires_in > 0 ? asked + life - margin : 0;
    }
    if (token) memset((char *)token, 0, strlen(token));
    if (resp.body.data) memset(resp.body.data, 0, resp.body.len);
    lake__buf_dispose(&resp.body);
    if (form.data) memset(form.data, 0, form.len);
    lake__buf_dispose(&form);
    lake_arena_free(arena);
    return rc;
}

int lake__iceberg_rest_auth_header(lake__iceberg_rest_auth *a, lake__http *http, char *out, size_t cap,
                                   lake_error *err) {
    int rc = LAKE_OK;
    out[0] = '\0';
    pthread_mutex_lock(&a->lock);
    if (a->token_url && (!a->token || (a->refresh_at > 0 && now_seconds() >= a->refresh_at))) rc = fetch(a, http, err);
    if (!rc && a->token && (size_t)snprintf(out, cap, "Authorization: Bearer %s", a->token) >= cap)
        rc = lake__error(err, LAKE_EAUTH, "Iceberg REST catalog: the token is longer than lakeorm sends");
    pthread_mutex_unlock(&a->lock);
    return rc;
}

bool lake__iceberg_rest_auth_refused(lake__iceberg_rest_auth *a, const char *header) {
    if (!a->token_url) return false;
    pthread_mutex_lock(&a->lock);
    const char *sent = strstr(header, "Bearer ");
    /* not one a concurrent caller fetched since */
    if (a->token && sent && !strcmp(sent + 7, a->token)) wipe(&a->token);
    pthread_mutex_unlock(&a->lock);
    return true;
}
