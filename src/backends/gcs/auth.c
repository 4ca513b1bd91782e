/* SPDX-License-Identifier: MIT */
#include "backends/gcs/auth.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error/error.h"
#include "backends/gcs/json.h"
#include "json/write.h"
#include "util/alloc.h"
#include "util/base64.h"
#include "util/redact.h"

static char *copy_of(const char *s, size_t n) { return lake__strndup(s, n); }

int lake__gcs_auth_init(lake__gcs_auth *a, const char *token, const char *key_file, bool anonymous_ok, lake_error *err) {
    memset(a, 0, sizeof *a);
    pthread_mutex_init(&a->lock, NULL);
    if (!token) token = getenv("GOOGLE_OAUTH_ACCESS_TOKEN");
    if (token && *token) {
        a->token = copy_of(token, strlen(token));
        return a->token ? LAKE_OK : lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    if (!key_file || !*key_file) key_file = getenv("GOOGLE_APPLICATION_CREDENTIALS");
    if (!key_file || !*key_file) {
        if (anonymous_ok) return LAKE_OK;
        return lake__error(err, LAKE_EAUTH, "gs://: no credentials: give an access token, a service-account key file, "
                                            "or set GOOGLE_APPLICATION_CREDENTIALS");
    }
    FILE *f = fopen(key_file, "rb");
    if (!f) return lake__error(err, LAKE_EAUTH, "cannot read the service-account key file %s", key_file);
    lake__buf text = LAKE__BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) lake__buf_put(&text, chunk, n);
    fclose(f);
    static const char *const keys[] = {"client_email", "private_key", "token_uri"};
    char *values[3] = {NULL, NULL, NULL};
    int rc = text.failed ? lake__error(err, LAKE_ENOMEM, "out of memory")
                         : lake__gcs_json_fields(text.data ? text.data : "", text.len, keys, values, 3, err);
    if (text.data) memset(text.data, 0, text.len); /* the key does not linger */
    lake__buf_dispose(&text);
    a->client_email = values[0];
    a->private_key = values[1];
    a->token_uri = values[2] ? values[2] : copy_of("https://oauth2.googleapis.com/token", 35);
    if (!rc && (!a->client_email || !a->private_key))
        rc = lake__error(err, LAKE_EAUTH, "%s is not a service-account key (no client_email or private_key)", key_file);
    return rc;
}

void lake__gcs_auth_dispose(lake__gcs_auth *a) {
    if (a->private_key) memset(a->private_key, 0, strlen(a->private_key));
    if (a->token) memset(a->token, 0, strlen(a->token));
    lake__free(a->private_key);
    lake__free(a->token);
    lake__free(a->client_email);
    lake__free(a->token_uri);
    pthread_mutex_destroy(&a->lock);
}

static void base64url(lake__buf *out, const void *data, size_t len) {
    char *tmp = lake__malloc(len / 3 * 4 + 8);
    if (!tmp) {
        out->failed = 1;
        return;
    }
    size_t n = lake__base64_encode(data, len, tmp);
    while (n && tmp[n - 1] == '=') n--;
    for (size_t i = 0; i < n; i++) tmp[i] = tmp[i] == '+' ? '-' : tmp[i] == '/' ? '_' : tmp[i];
    lake__buf_put(out, tmp, n);
    lake__free(tmp);
}

int lake__gcs_jwt(const lake__gcs_auth *a, int64_t now, lake__buf *out, lake_error *err) {
    lake__buf claims = LAKE__BUF_INIT;
    lake__buf_puts(&claims, "{\"iss\":");
    lake__json_write_string(&claims, a->client_email, strlen(a->client_email));
    lake__buf_puts(&claims, ",\"scope\":\"https://www.googleapis.com/auth/devstorage.read_write\",\"aud\":");
    lake__json_write_string(&claims, a->token_uri, strlen(a->token_uri));
    lake__buf_printf(&claims, ",\"iat\":%lld,\"exp\":%lld}", (long long)now, (long long)now + 3600);
    static const char header[] = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    base64url(out, header, sizeof header - 1);
    lake__buf_putc(out, '.');
    base64url(out, claims.data, claims.len);
    lake__buf_dispose(&claims);
    if (out->failed) return lake__error(err, LAKE_ENOMEM, "out of memory");
    BIO *bio = BIO_new_mem_buf(a->private_key, -1);
    EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    if (!key) return lake__error(err, LAKE_EAUTH, "the service-account private_key is not a PEM private key");
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char sig[1024];
    size_t sig_len = sizeof sig;
    bool ok = md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) == 1 &&
              EVP_DigestSign(md, sig, &sig_len, (const unsigned char *)out->data, out->len) == 1;
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(key);
    if (!ok) return lake__error(err, LAKE_EAUTH, "signing the token request failed (is the key RSA?)");
    lake__buf_putc(out, '.');
    base64url(out, sig, sig_len);
    return out->failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

typedef struct token_call {
    const char *uri;
} token_call;

static int token_prepare(void *ctx, lake__buf *url, struct curl_slist **headers) {
    lake__buf_puts(url, ((token_call *)ctx)->uri);
    struct curl_slist *h = curl_slist_append(*headers, "Content-Type: application/x-www-form-urlencoded");
    if (!h) return LAKE_ENOMEM;
    *headers = h;
    return url->failed ? LAKE_ENOMEM : LAKE_OK;
}

static int fetch_token(lake__gcs_auth *a, lake__http *http, lake_error *err) {
    int64_t now = (int64_t)time(NULL);
    lake__buf jwt = LAKE__BUF_INIT, body = LAKE__BUF_INIT;
    int rc = lake__gcs_jwt(a, now, &jwt, err);
    if (!rc) {
        lake__buf_puts(&body, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=");
        lake__buf_put(&body, jwt.data, jwt.len);
        if (body.failed) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    lake__http_response resp;
    memset(&resp, 0, sizeof resp);
    token_call call = {a->token_uri};
    char shown[256];
    lake__redact(a->token_uri, shown, sizeof shown);
    if (!rc) rc = lake__http_call(http, "POST", token_prepare, &call, body.data, body.len, NULL, &resp, shown, err);
    if (!rc && resp.status != 200)
        rc = lake__error(err, LAKE_EAUTH, "gcs: the token endpoint %s refused the service account %s (HTTP %ld)",
                         shown, a->client_email, resp.status);
    if (!rc) {
        static const char *const keys[] = {"access_token", "expires_in"};
        char *values[2] = {NULL, NULL};
        rc = lake__gcs_json_fields(resp.body.data ? resp.body.data : "", resp.body.len, keys, values, 2, err);
        if (!rc && !values[0]) rc = lake__error(err, LAKE_EAUTH, "gcs: the token endpoint answered without access_token");
        if (!rc) {
            if (a->token) memset(a->token, 0, strlen(a->token));
            lake__free(a->token);
            a->token = values[0];
            values[0] = NULL;
            a->expires_at = now + (values[1] ? atoll(values[1]) : 3600);
        }
        lake__free(values[0]);
        lake__free(values[1]);
    }
    if (resp.body.data) memset(resp.body.data, 0, resp.body.len);
    lake__buf_dispose(&resp.body);
    memset(body.data ? body.data : (char *)"", 0, body.len);
    lake__buf_dispose(&body);
    lake__buf_dispose(&jwt);
    return rc;
}

int lake__gcs_auth_header(lake__gcs_auth *a, lake__http *http, char *out, size_t cap, lake_error *err) {
    pthread_mutex_lock(&a->lock);
    int rc = LAKE_OK;
    if (a->private_key && (!a->token || (int64_t)time(NULL) > a->expires_at - 60)) rc = fetch_token(a, http, err);
    if (!rc) {
        if (a->token) snprintf(out, cap, "Bearer %s", a->token);
        else out[0] = 0;
    }
    pthread_mutex_unlock(&a->lock);
    return rc;
}
