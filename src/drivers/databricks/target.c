/* SPDX-License-Identifier: MIT */
#include "drivers/databricks/target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error/error.h"
#include "util/alloc.h"

static const char warehouse_path[] = "/sql/1.0/warehouses/";

/* localhost, [::1] or 127.x.y.z: not a name like 127.example.com, which resolves anywhere. */
static bool loopback(const char *host, size_t len) {
    if ((len == 9 && !strncmp(host, "localhost", 9)) || (len == 5 && !strncmp(host, "[::1]", 5))) return true;
    if (len < 5 || strncmp(host, "127.", 4)) return false;
    for (size_t i = 4; i < len; i++)
        if (!(host[i] == '.' || (host[i] >= '0' && host[i] <= '9'))) return false;
    return true;
}

static void wipe_free(char **s) {
    if (*s) memset(*s, 0, strlen(*s));
    lake__free(*s);
    *s = NULL;
}

static int set_secret(char **slot, const char *value, size_t len, lake_error *err) {
    wipe_free(slot);
    if (!(*slot = lake__strndup(value, len))) return lake__error(err, LAKE_ENOMEM, "out of memory");
    return LAKE_OK;
}

static bool number_in(const char *v, size_t len, double lo, double hi, double *out) {
    char text[32], *end;
    if (!len || len >= sizeof text) return false;
    memcpy(text, v, len);
    text[len] = 0;
    double x = strtod(text, &end);
    if (*end || !(x >= lo && x <= hi)) return false;
    *out = x;
    return true;
}

static int apply(lake__dbx_target *t, const char *key, size_t klen, const char *v, size_t vlen, lake_error *err) {
    double x;
#define KEY(name) (klen == sizeof name - 1 && !strncmp(key, name, klen))
    if (KEY("token")) return set_secret(&t->token, v, vlen, err);
    if (KEY("client_id")) return set_secret(&t->client_id, v, vlen, err);
    if (KEY("client_secret")) return set_secret(&t->client_secret, v, vlen, err);
    if (KEY("wait")) {
        if (!number_in(v, vlen, 0, 50, &x) || (x > 0 && x < 5) || x != (unsigned)x)
            return lake__error(err, LAKE_EINVAL, "databricks: wait=%.*s: give 0 or whole seconds from 5 to 50",
                               (int)(vlen < 20 ? vlen : 20), v);
        t->wait_seconds = (unsigned)x;
        return LAKE_OK;
    }
    if (KEY("timeout")) {
        if (!number_in(v, vlen, 0, 7 * 86400, &x))
            return lake__error(err, LAKE_EINVAL, "databricks: timeout=%.*s: give seconds (0 = no limit)",
                               (int)(vlen < 20 ? vlen : 20), v);
        t->timeout_seconds = x;
        return LAKE_OK;
    }
    if (KEY("links")) {
        if (!number_in(v, vlen, 1, 64, &x) || x != (unsigned)x)
            return lake__error(err, LAKE_EINVAL, "databricks: links=%.*s: give 1 to 64", (int)(vlen < 20 ? vlen : 20), v);
        t->links = (unsigned)x;
        return LAKE_OK;
    }
#undef KEY
    return lake__error(err, LAKE_EINVAL, "databricks: unknown key \"%.*s\" in the address: use token, client_id, "
                                         "client_secret, wait, timeout or links", (int)(klen < 40 ? klen : 40), key);
}

int lake__dbx_target_parse(const char *url, lake__dbx_target *t, lake_error *err) {
    memset(t, 0, sizeof *t);
    t->wait_seconds = 10;
    t->links = 4;
    bool tls = !strncmp(url, "https://", 8);
    if (!tls && strncmp(url, "http://", 7))
        return lake__error(err, LAKE_EINVAL, "databricks: the address must start with https://");
    const char *host = url + (tls ? 8 : 7);
    if (memchr(host, '@', strcspn(host, ";?#"))) /* not echoed: a secret may hold a '/' */
        return lake__error(err, LAKE_EINVAL, "databricks: user:password@ in the address is refused: give token=, "
                                             "client_id= and client_secret=, or the environment (DATABRICKS_TOKEN)");
    size_t hlen = strcspn(host, "/;?#");
    if (!hlen || hlen > 250) return lake__error(err, LAKE_EINVAL, "databricks: the address has no host");
    size_t name_len = host[0] == '[' ? strcspn(host, "]") + 1 : strcspn(host, ":/;?#");
    if (!tls && !loopback(host, name_len))
        return lake__error(err, LAKE_EINVAL, "databricks: http:// is refused for %.*s (tokens would travel in "
                                             "clear): use https://", (int)name_len, host);
    snprintf(t->base, sizeof t->base, "%s%.*s", tls ? "https://" : "http://", (int)hlen, host);
    const char *path = host + hlen;
    if (strncmp(path, warehouse_path, sizeof warehouse_path - 1))
        return lake__error(err, LAKE_EINVAL, "databricks: the address needs the warehouse's HTTP path, "
                                             "%s<warehouse-id>", warehouse_path);
    const char *id = path + sizeof warehouse_path - 1;
    size_t idlen = strcspn(id, ";/?#");
    if (!idlen || idlen >= sizeof t->warehouse || (id[idlen] && id[idlen] != ';'))
        return lake__error(err, LAKE_EINVAL, "databricks: the address needs a warehouse id after %s", warehouse_path);
    memcpy(t->warehouse, id, idlen);
    int rc = LAKE_OK;
    for (const char *p = id + idlen; !rc && *p == ';';) {
        p++;
        size_t len = strcspn(p, ";");
        const char *eq = memchr(p, '=', len);
        if (!eq) rc = lake__error(err, LAKE_EINVAL, "databricks: an item of the address is not key=value (not echoed: "
                                                    "it may be a secret)");
        else rc = apply(t, p, (size_t)(eq - p), eq + 1, len - (size_t)(eq - p) - 1, err);
        p += len;
    }
    if (rc) return rc;
    if (!t->token && !t->client_id) {
        const char *token = getenv("DATABRICKS_TOKEN"), *id_env = getenv("DATABRICKS_CLIENT_ID"),
                   *secret = getenv("DATABRICKS_CLIENT_SECRET");
        if (token && *token) rc = set_secret(&t->token, token, strlen(token), err);
        else if (id_env && *id_env && secret && *secret) {
            rc = set_secret(&t->client_id, id_env, strlen(id_env), err);
            if (!rc) rc = set_secret(&t->client_secret, secret, strlen(secret), err);
        }
    }
    if (rc) return rc;
    if (t->token && t->client_id)
        return lake__error(err, LAKE_EINVAL, "databricks: give a token or a client_id/client_secret pair, not both");
    if (!t->token && !(t->client_id && t->client_secret))
        return lake__error(err, LAKE_EAUTH, "databricks: no credentials: give token=, or client_id= and "
                                            "client_secret= (a service principal), or set DATABRICKS_TOKEN");
    return LAKE_OK;
}

void lake__dbx_target_dispose(lake__dbx_target *t) {
    wipe_free(&t->token);
    wipe_free(&t->client_id);
    wipe_free(&t->client_secret);
}
