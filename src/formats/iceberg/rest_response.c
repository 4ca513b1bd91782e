/* SPDX-License-Identifier: MIT */
#include "formats/iceberg/rest_response.h"

#include <stddef.h>
#include <string.h>

#include "error/error.h"
#include "json/scan.h"
#include "util/arena.h"

/* A table's metadata nests its schemas' types: deeper than any lakeorm writes
 * (metadata_read.c reads with the same bound). */
enum { MAX_DEPTH = 64 };

static bool is(const char *key, size_t len, const char *name) { return strlen(name) == len && !memcmp(key, name, len); }

static int malformed(lake_error *err, const lake__json *j, const char *what) {
    if (j->oom) return lake__error(err, LAKE_ENOMEM, "out of memory reading the Iceberg REST catalog's answer");
    return lake__error(err, LAKE_EREMOTE, "Iceberg REST catalog: malformed %s%s%s (at byte %zu)", what,
                       j->error ? ": " : "", j->error ? j->error : "", (size_t)(j->p - j->start));
}

/* A string value into arena, NUL-terminated. */
static bool text_value(lake__json *j, lake_arena *arena, const char **out, size_t *len) {
    const char *s;
    if (lake__json_peek(j) != LAKE__J_STRING) return lake__json_fail(j, "expected a string");
    if (!lake__json_string(j, arena, &s, len)) return false;
    if (!(*out = lake__arena_strndup(arena, s, *len))) j->oom = true;
    return *out != NULL;
}

/* The "prefix" member of a string map (defaults or overrides), if any. */
static bool prefix_of(lake__json *j, lake_arena *arena, const char **prefix) {
    bool first = true;
    const char *key;
    size_t len, n;
    while (lake__json_member(j, arena, &first, &key, &len)) {
        bool ok = is(key, len, "prefix") ? text_value(j, arena, prefix, &n) : lake__json_skip(j, MAX_DEPTH);
        if (!ok) return false;
    }
    return !j->error && !j->oom;
}

/* The prefix is pasted into every path as the server gave it (the spec's
 * {prefix}, which Iceberg's own client does not encode): nothing in it may
 * end the path or climb out of it. */
static bool path_safe(const char *s) {
    if (!*s || strstr(s, "..")) return false;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || *s == 0x7f || *s == '?' || *s == '#' || *s == '\\') return false;
    return true;
}

int lake__iceberg_rest_config_read(const char *json, size_t len, lake_arena *arena, const char **prefix,
                                   lake_error *err) {
    const char *defaults = NULL, *overrides = NULL, *key;
    size_t key_len;
    bool first = true, ok = true;
    lake__json j;
    lake__json_init(&j, json, len);
    while (ok && lake__json_member(&j, arena, &first, &key, &key_len)) {
        if (is(key, key_len, "defaults")) ok = prefix_of(&j, arena, &defaults);
        else if (is(key, key_len, "overrides")) ok = prefix_of(&j, arena, &overrides);
        else ok = lake__json_skip(&j, MAX_DEPTH);
    }
    if (!ok || j.error || j.oom || !lake__json_at_end(&j)) return malformed(err, &j, "catalog configuration");
    *prefix = overrides ? overrides : defaults;
    if (*prefix && !path_safe(*prefix))
        return lake__error(err, LAKE_EREMOTE, "Iceberg REST catalog: the configuration's prefix cannot stand in a "
                                              "URL path");
    return LAKE_OK;
}

/* One namespace: an array of its levels, at least one. */
static bool namespace_read(lake__json *j, lake_arena *arena, lake__buf *names) {
    if (!lake__json_expect(j, '[', "expected a namespace (an array of strings)")) return false;
    for (bool first = true;; first = false) {
        const char *level;
        size_t n;
        if (lake__json_peek(j) != LAKE__J_STRING) return lake__json_fail(j, "expected a namespace level (a string)");
        if (!lake__json_string(j, arena, &level, &n)) return false;
        if (!n || memchr(level, 0, n)) return lake__json_fail(j, "a namespace level is empty or holds a NUL");
        if ((!first && lake__buf_putc(names, '.')) || lake__buf_put(names, level, n)) return !(j->oom = true);
        lake__json_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (!lake__json_expect(j, ']', "expected ',' or ']'")) return false;
        if (lake__buf_putc(names, 0)) return !(j->oom = true);
        return true;
    }
}

static bool namespaces_read(lake__json *j, lake_arena *arena, lake__buf *names, size_t *count) {
    if (!lake__json_expect(j, '[', "expected an array of namespaces")) return false;
    lake__json_ws(j);
    if (j->p < j->end && *j->p == ']') return j->p++, true;
    for (;;) {
        if (!namespace_read(j, arena, names)) return false;
        ++*count;
        lake__json_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        return lake__json_expect(j, ']', "expected ',' or ']'");
    }
}

int lake__iceberg_rest_namespaces_read(const char *json, size_t len, lake_arena *arena, lake__buf *names,
                                       size_t *count, const char **next_token, lake_error *err) {
    *count = 0;
    *next_token = NULL;
    names->len = 0;
    const char *key;
    size_t key_len, n;
    bool first = true, ok = true, seen = false;
    lake__json j;
    lake__json_init(&j, json, len);
    while (ok && lake__json_member(&j, arena, &first, &key, &key_len)) {
        if (is(key, key_len, "namespaces")) ok = seen = namespaces_read(&j, arena, names, count);
        else if (is(key, key_len, "next-page-token") && lake__json_peek(&j) == LAKE__J_STRING)
            ok = text_value(&j, arena, next_token, &n);
        else ok = lake__json_skip(&j, MAX_DEPTH);
    }
    if (!ok || j.error || j.oom || !lake__json_at_end(&j) || !seen) {
        *count = 0;
        names->len = 0;
        return malformed(err, &j, "list of namespaces");
    }
    return LAKE_OK;
}

/* ---- vended storage properties: pyiceberg's and Iceberg's FileIO names
 * (s3.*, with the AWS client's client.* as a fallback, gcs.*) */

static const struct {
    const char *name;
    size_t at;     /* the member of lake__iceberg_storage it sets */
    bool fallback; /* taken only when the s3.* name has not set the member */
} PROPERTIES[] = {
    {"s3.access-key-id", offsetof(lake__iceberg_storage, access_key), false},
    {"s3.secret-access-key", offsetof(lake__iceberg_storage, secret_key), false},
    {"s3.session-token", offsetof(lake__iceberg_storage, session_token), false},
    {"s3.endpoint", offsetof(lake__iceberg_storage, endpoint), false},
    {"s3.region", offsetof(lake__iceberg_storage, region), false},
    {"client.access-key-id", offsetof(lake__iceberg_storage, access_key), true},
    {"client.secret-access-key", offsetof(lake__iceberg_storage, secret_key), true},
    {"client.session-token", offsetof(lake__iceberg_storage, session_token), true},
    {"client.region", offsetof(lake__iceberg_storage, region), true},
    {"gcs.oauth2.token", offsetof(lake__iceberg_storage, gcs_token), false},
};

static const char **member(lake__iceberg_storage *s, size_t at) { return (const char **)(void *)((char *)s + at); }

/* A string map of storage properties into s; other members and values that
 * are not strings are skipped (the spec's maps hold strings only), an empty
 * value counts as none. */
static bool properties_read(lake__json *j, lake_arena *arena, lake__iceberg_storage *s) {
    if (lake__json_peek(j) != LAKE__J_OBJECT) return lake__json_fail(j, "expected an object of storage properties");
    bool first = true;
    const char *key, *value = "";
    size_t key_len, n;
    while (lake__json_member(j, arena, &first, &key, &key_len)) {
        size_t found = sizeof PROPERTIES / sizeof *PROPERTIES;
        for (size_t i = 0; i < sizeof PROPERTIES / sizeof *PROPERTIES && found == sizeof PROPERTIES / sizeof *PROPERTIES; i++)
            if (is(key, key_len, PROPERTIES[i].name)) found = i;
        bool path_style = is(key, key_len, "s3.path-style-access");
        if (lake__json_peek(j) != LAKE__J_STRING || (found == sizeof PROPERTIES / sizeof *PROPERTIES && !path_style)) {
            if (!lake__json_skip(j, MAX_DEPTH)) return false;
            continue;
        }
        if (!text_value(j, arena, &value, &n)) return false;
        if (!n) continue;
        if (path_style) {
            s->path_style = !strcmp(value, "true") ? 1 : !strcmp(value, "false") ? 0 : s->path_style;
        } else {
            const char **to = member(s, PROPERTIES[found].at);
            if (!PROPERTIES[found].fallback || !*to) *to = value;
        }
    }
    return !j->error && !j->oom;
}

/* One entry of "storage-credentials": the location prefix it serves and its properties. */
typedef struct credential {
    const char *prefix;
    lake__iceberg_storage storage;
    struct credential *next;
} credential;

static bool credential_read(lake__json *j, lake_arena *arena, credential **list) {
    credential *c = lake__arena_alloc(arena, sizeof *c, _Alignof(credential));
    if (!c) return j->oom = true, false;
    *c = (credential){NULL, LAKE__ICEBERG_STORAGE_NONE, *list};
    if (lake__json_peek(j) != LAKE__J_OBJECT) return lake__json_fail(j, "expected a storage credential object");
    bool first = true, ok = true, have_config = false;
    const char *key;
    size_t key_len, n;
    while (ok && lake__json_member(j, arena, &first, &key, &key_len)) {
        if (is(key, key_len, "prefix")) ok = text_value(j, arena, &c->prefix, &n);
        else if (is(key, key_len, "config")) ok = have_config = properties_read(j, arena, &c->storage);
        else ok = lake__json_skip(j, MAX_DEPTH);
    }
    if (!ok || j->error || j->oom) return false;
    /* Both are required by the spec: an entry without them applies to nothing. */
    if (!c->prefix || !have_config) return lake__json_fail(j, "a storage credential without prefix or config");
    *list = c;
    return true;
}

static bool credentials_read(lake__json *j, lake_arena *arena, credential **list) {
    if (!lake__json_expect(j, '[', "expected an array of storage credentials")) return false;
    lake__json_ws(j);
    if (j->p < j->end && *j->p == ']') return j->p++, true;
    for (;;) {
        if (!credential_read(j, arena, list)) return false;
        lake__json_ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        return lake__json_expect(j, ']', "expected ',' or ']'");
    }
}

/* What applies to the table at `where`: "config", overlaid by the storage
 * credential whose prefix is the longest that starts `where` (the spec
 * prefers storage-credentials to config; the key, secret and token go
 * together, never mixed from the two). */
static void storage_choose(const lake__iceberg_storage *config, const credential *list, const char *where,
                           lake__iceberg_storage *out) {
    *out = *config;
    const credential *best = NULL;
    for (const credential *c = list; c; c = c->next)
        if (!strncmp(where, c->prefix, strlen(c->prefix)) && (!best || strlen(c->prefix) > strlen(best->prefix)))
            best = c;
    if (!best) return;
    const lake__iceberg_storage *b = &best->storage;
    if (b->access_key || b->secret_key || b->session_token)
        out->access_key = b->access_key, out->secret_key = b->secret_key, out->session_token = b->session_token;
    if (b->endpoint) out->endpoint = b->endpoint;
    if (b->region) out->region = b->region;
    if (b->path_style >= 0) out->path_style = b->path_style;
    if (b->gcs_token) out->gcs_token = b->gcs_token;
}

/* Vended secrets go into request headers and signatures: like a bearer
 * token, visible ASCII only, so none can end a header line. */
static bool storage_usable(const lake__iceberg_storage *s) {
    const char *secrets[] = {s->access_key, s->secret_key, s->session_token, s->gcs_token};
    for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++)
        if (secrets[i] && !lake__iceberg_rest_token_usable(secrets[i])) return false;
    return true;
}

static void empty(lake__buf *b) {
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

int lake__iceberg_rest_table_read(const char *json, size_t len, lake__buf *location, lake__buf *metadata,
                                  lake_arena *kept, lake__iceberg_storage *storage, lake_error *err) {
    lake_arena *arena;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    empty(location);
    empty(metadata);
    if (storage) *storage = (lake__iceberg_storage)LAKE__ICEBERG_STORAGE_NONE;
    lake__iceberg_storage config = LAKE__ICEBERG_STORAGE_NONE;
    credential *credentials = NULL;
    const char *where = NULL, *key;
    size_t where_len = 0, key_len;
    bool first = true, ok = true, have_metadata = false;
    lake__json j;
    lake__json_init(&j, json, len);
    while (ok && lake__json_member(&j, arena, &first, &key, &key_len)) {
        if (is(key, key_len, "metadata-location") && lake__json_peek(&j) == LAKE__J_STRING) {
            ok = text_value(&j, arena, &where, &where_len);
        } else if (is(key, key_len, "metadata") && lake__json_peek(&j) == LAKE__J_OBJECT) {
            empty(metadata);
            ok = lake__json_copy(&j, MAX_DEPTH, metadata);
            have_metadata = true;
        } else if (storage && is(key, key_len, "config") && lake__json_peek(&j) != LAKE__J_NULL) {
            ok = properties_read(&j, kept, &config);
        } else if (storage && is(key, key_len, "storage-credentials") && lake__json_peek(&j) != LAKE__J_NULL) {
            ok = credentials_read(&j, kept, &credentials);
        } else {
            ok = lake__json_skip(&j, MAX_DEPTH);
        }
    }
    int rc = LAKE_OK;
    if (!ok || j.error || j.oom || !lake__json_at_end(&j)) rc = malformed(err, &j, "table answer");
    else if (!where || !where_len || !have_metadata)
        rc = lake__error(err, LAKE_EREMOTE, "Iceberg REST catalog: the table answer has no %s",
                         have_metadata ? "metadata-location" : "metadata object");
    if (!rc && storage) storage_choose(&config, credentials, where, storage);
    /* Never echoed: the values are secrets. */
    if (!rc && storage && !storage_usable(storage))
        rc = lake__error(err, LAKE_EREMOTE, "Iceberg REST catalog: a storage credential it vended has a byte that "
                                            "cannot go into a request (only visible ASCII can)");
    if (!rc) {
        /* Hadoop's FileIO names local files file:/abs; lakeorm's locations are URIs with an authority. */
        if (where_len > 6 && !memcmp(where, "file:/", 6) && where[6] != '/') {
            lake__buf_puts(location, "file://");
            lake__buf_put(location, where + 5, where_len - 5);
        } else {
            lake__buf_put(location, where, where_len);
        }
        if (location->failed || metadata->failed) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    lake_arena_free(arena);
    return rc;
}

bool lake__iceberg_rest_error_read(const char *json, size_t len, lake_arena *arena, const char **message,
                                   const char **type) {
    *message = *type = NULL;
    const char *key;
    size_t key_len, n;
    bool first = true, found = false, ok = true;
    lake__json j;
    lake__json_init(&j, json, len);
    while (ok && lake__json_member(&j, arena, &first, &key, &key_len)) {
        if (!is(key, key_len, "error") || lake__json_peek(&j) != LAKE__J_OBJECT) {
            ok = lake__json_skip(&j, MAX_DEPTH);
            continue;
        }
        found = true;
        bool inner = true;
        while (ok && lake__json_member(&j, arena, &inner, &key, &key_len)) {
            bool text = lake__json_peek(&j) == LAKE__J_STRING;
            if (text && is(key, key_len, "message")) ok = text_value(&j, arena, message, &n);
            else if (text && is(key, key_len, "type")) ok = text_value(&j, arena, type, &n);
            else ok = lake__json_skip(&j, MAX_DEPTH);
        }
    }
    if (!ok || j.error || j.oom || !lake__json_at_end(&j) || !found) {
        *message = *type = NULL;
        return false;
    }
    return true;
}

bool lake__iceberg_rest_token_usable(const char *token) {
    if (!*token) return false;
    for (; *token; token++)
        if ((unsigned char)*token < 0x21 || (unsigned char)*token > 0x7e) return false;
    return true;
}

int lake__iceberg_rest_token_read(const char *json, size_t len, lake_arena *arena, const char **token,
                                  int64_t *expires_in, lake_error *err) {
    *token = NULL;
    *expires_in = 0;
    const char *key;
    size_t key_len, n;
    bool first = true, ok = true;
    lake__json j;
    lake__json_init(&j, json, len);
    while (ok && lake__json_member(&j, arena, &first, &key, &key_len)) {
        lake__json_kind kind = lake__json_peek(&j);
        if (is(key, key_len, "access_token") && kind == LAKE__J_STRING) {
            ok = text_value(&j, arena, token, &n);
        } else if (is(key, key_len, "expires_in") && kind == LAKE__J_NUMBER) {
            lake__json_num num;
            ok = lake__json_number(&j, &num);
            if (ok && !lake__json_number_int64(&num, expires_in)) *expires_in = 0; /* a fraction: refreshed on 401 */
        } else {
            ok = lake__json_skip(&j, MAX_DEPTH);
        }
    }
    if (j.oom) return lake__error(err, LAKE_ENOMEM, "out of memory");
    /* The token itself is never echoed, nor the answer that holds it. */
    if (!ok || j.error || !lake__json_at_end(&j) || !*token || !lake__iceberg_rest_token_usable(*token))
        return lake__error(err, LAKE_EAUTH, "Iceberg REST catalog: the OAuth2 token endpoint answered without a "
                                            "usable access_token");
    if (*expires_in < 0) *expires_in = 0;
    return LAKE_OK;
}
