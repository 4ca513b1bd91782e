/* SPDX-License-Identifier: MIT */
/* A configuration file read into profiles (include/lakeorm/config.h): the
 * TOML walk checks every key and type as it goes, and each profile's keys
 * are the client's URL keys (client/url.c's table) plus url and
 * schema_file, so a profile is applied through the same setter a URL query
 * is. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm/config.h>

#include "client/client.h"
#include "config/interpolate.h"
#include "config/toml.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/nearest.h"

/* A profile's own keys, before the client's (lake__client_keys). */
enum { KEY_URL, KEY_SCHEMA_FILE, OWN_KEYS };
static const char *const own_keys[OWN_KEYS] = {"url", "schema_file"};

typedef struct setting {
    const char *value; /* as text; NULL when `why` */
    const char *why;   /* a variable left unset: the error, kept until the profile is used */
    unsigned line;
    bool set;
} setting;

typedef struct url_item {
    const char *key, *value;
    struct url_item *next;
} url_item;

typedef struct profile {
    const char *name;
    setting *settings; /* [OWN_KEYS + lake__client_key_count] */
    const char *driver, *database; /* the url taken apart, when set */
    url_item *items, **items_end;
    struct profile *next;
} profile;

struct lake_config {
    lake_arena *arena;
    const char *path;   /* as given, or the name */
    const char *folder; /* path's folder with a trailing /, or "" */
    setting default_profile;
    profile *profiles, **profiles_end;
};

static size_t key_count(void) { return OWN_KEYS + lake__client_key_count; }

static const char *key_name(size_t i) { return i < OWN_KEYS ? own_keys[i] : lake__client_keys[i - OWN_KEYS].name; }

/* The index of a profile key, or key_count(). */
static size_t key_index(const char *name, size_t len) {
    size_t i = 0;
    while (i < key_count() && !(strlen(key_name(i)) == len && !memcmp(key_name(i), name, len))) i++;
    return i;
}

/* The TOML type a key takes. */
static lake__toml_kind key_type(size_t i) {
    if (i < OWN_KEYS) return LAKE__TOML_STRING;
    switch (lake__client_keys[i - OWN_KEYS].kind) {
    case LAKE__KEY_BOOL: return LAKE__TOML_BOOLEAN;
    case LAKE__KEY_BYTES:
    case LAKE__KEY_COUNT:
    case LAKE__KEY_SECONDS: return LAKE__TOML_INTEGER;
    default: return LAKE__TOML_STRING;
    }
}

static const char *type_name(lake__toml_kind k) {
    static const char *const names[] = {"a table", "an array", "a string", "an integer", "a float", "a boolean",
                                        "a date or time"};
    return names[k];
}

typedef struct walk {
    lake_config *c;
    lake_error *err;
    profile *current;
} walk;

/* "profiles.dev.url", each key as written (bytes a terminal should not see as '?'). */
static void dotted(const lake__toml_item *it, char *out, size_t size) {
    size_t n = 0;
    for (size_t d = 0; d < it->depth && n + 1 < size; d++) {
        if (d) out[n++] = '.';
        for (size_t i = 0; i < it->key_lens[d] && n + 1 < size; i++) {
            unsigned char ch = (unsigned char)it->keys[d][i];
            out[n++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
        }
    }
    out[n] = 0;
}

static int fail(walk *w, const lake__toml_item *it, int code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(walk *w, const lake__toml_item *it, int code, const char *fmt, ...) {
    char key[256], why[512];
    dotted(it, key, sizeof key);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return lake__error(w->err, code, "%s:%u: %s: %s", w->c->path, it->line, key, why);
}

static bool key_is(const lake__toml_item *it, size_t depth, const char *name) {
    return it->key_lens[depth] == strlen(name) && !memcmp(it->keys[depth], name, it->key_lens[depth]);
}

/* A profile's name shows in messages and on command lines: letters, digits, _ and -. */
static bool good_name(const char *s, size_t len) {
    if (!len || len > 64) return false;
    for (size_t i = 0; i < len; i++)
        if (!(s[i] == '_' || s[i] == '-' || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

/* A value's text into *s: strings expanded (an unset variable is kept as the
 * setting's error), integers in decimal, booleans as true or false. */
static int store(walk *w, const lake__toml_item *it, setting *s) {
    lake_arena *a = w->c->arena;
    char text[32];
    s->set = true;
    s->line = it->line;
    if (it->kind == LAKE__TOML_STRING) {
        char why[256];
        int rc = lake__interpolate(a, it->text, it->len, &s->value, why, sizeof why);
        if (rc == LAKE_ENOTFOUND) {
            char key[256], msg[600];
            dotted(it, key, sizeof key);
            snprintf(msg, sizeof msg, "%s:%u: %s: %s", w->c->path, it->line, key, why);
            s->value = NULL;
            if (!(s->why = lake__arena_strndup(a, msg, strlen(msg)))) return lake__error(w->err, LAKE_ENOMEM, "out of memory");
            return LAKE_OK;
        }
        return rc ? fail(w, it, rc, "%s", why) : LAKE_OK;
    }
    if (it->kind == LAKE__TOML_INTEGER) snprintf(text, sizeof text, "%lld", (long long)it->integer);
    else snprintf(text, sizeof text, "%s", it->integer ? "true" : "false");
    if (!(s->value = lake__arena_strndup(a, text, strlen(text)))) return lake__error(w->err, LAKE_ENOMEM, "out of memory");
    return LAKE_OK;
}

static int unknown(walk *w, const lake__toml_item *it, const char *const *names, size_t count, const char *where) {
    const char *near = lake__nearest(it->keys[it->depth - 1], it->key_lens[it->depth - 1], names, count);
    if (near) return fail(w, it, LAKE_EINVAL, "unknown key; did you mean %s?", near);
    return fail(w, it, LAKE_EINVAL, "unknown key (%s)", where);
}

static int top_level(walk *w, const lake__toml_item *it) {
    static const char *const names[] = {"default_profile", "profiles"};
    if (key_is(it, 0, "profiles")) {
        if (it->kind != LAKE__TOML_TABLE)
            return fail(w, it, LAKE_EINVAL, "expected a table of profiles ([profiles.NAME]), not %s", type_name(it->kind));
        return LAKE_OK;
    }
    if (key_is(it, 0, "default_profile")) {
        if (it->kind != LAKE__TOML_STRING) return fail(w, it, LAKE_EINVAL, "expected a string, not %s", type_name(it->kind));
        return store(w, it, &w->c->default_profile);
    }
    size_t k = key_index(it->keys[0], it->key_lens[0]);
    if (k < key_count())
        return fail(w, it, LAKE_EINVAL, "a profile's setting outside a profile: put it under [profiles.NAME]");
    return unknown(w, it, names, 2, "the file holds default_profile and [profiles.NAME] tables");
}

static int profile_table(walk *w, const lake__toml_item *it) {
    if (it->kind != LAKE__TOML_TABLE)
        return fail(w, it, LAKE_EINVAL, "expected a profile, a table ([profiles.NAME]), not %s", type_name(it->kind));
    if (!good_name(it->keys[1], it->key_lens[1]))
        return fail(w, it, LAKE_EINVAL, "a profile's name is 1 to 64 letters, digits, _ or -");
    lake_arena *a = w->c->arena;
    profile *p = lake__arena_alloc(a, sizeof *p, _Alignof(profile));
    setting *s = p ? lake__arena_alloc(a, key_count() * sizeof *s, _Alignof(setting)) : NULL;
    const char *name = s ? lake__arena_strndup(a, it->keys[1], it->key_lens[1]) : NULL;
    if (!name) return lake__error(w->err, LAKE_ENOMEM, "out of memory");
    memset(p, 0, sizeof *p);
    memset(s, 0, key_count() * sizeof *s);
    p->name = name;
    p->settings = s;
    p->items_end = &p->items;
    *w->c->profiles_end = p;
    w->c->profiles_end = &p->next;
    w->current = p;
    return LAKE_OK;
}

static int profile_key(walk *w, const lake__toml_item *it) {
    size_t k = key_index(it->keys[2], it->key_lens[2]);
    if (k == key_count()) {
        const char *names[64];
        size_t n = key_count() < 64 ? key_count() : 64;
        for (size_t i = 0; i < n; i++) names[i] = key_name(i);
        return unknown(w, it, names, n, "docs/cli.md, \"Configuration file\", lists a profile's keys");
    }
    if (it->kind != key_type(k))
        return fail(w, it, LAKE_EINVAL, "expected %s, not %s", type_name(key_type(k)), type_name(it->kind));
    return store(w, it, &w->current->settings[k]);
}

static int on_item(void *ctx, const lake__toml_item *it) {
    walk *w = ctx;
    if (it->depth == 1) return top_level(w, it);
    if (it->depth == 2) return profile_table(w, it); /* under profiles: the only table the top level allows */
    if (it->depth == 3) return profile_key(w, it);
    return fail(w, it, LAKE_EINVAL, "a profile's settings are single values"); /* not reached: a table at depth 3 failed */
}

/* Collects the url's query into the profile, in the config's arena. */
static int keep_item(void *ctx, const char *key, const char *value, lake_error *err) {
    walk *w = ctx;
    lake_arena *a = w->c->arena;
    url_item *i = lake__arena_alloc(a, sizeof *i, _Alignof(url_item));
    if (!i || !(i->key = lake__arena_strndup(a, key, strlen(key))) ||
        !(i->value = lake__arena_strndup(a, value, strlen(value))))
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    i->next = NULL;
    *w->current->items_end = i;
    w->current->items_end = &i->next;
    return LAKE_OK;
}

/* Prefixes the file, line and key to the message err holds. */
static int at_key(const lake_config *c, const profile *p, size_t k, lake_error *err, int rc) {
    if (err) {
        char msg[sizeof err->message + 512];
        snprintf(msg, sizeof msg, "%.300s:%u: profiles.%s.%s: %s", c->path, p->settings[k].line, p->name, key_name(k),
                 err->message);
        size_t n = strlen(msg);
        if (n >= sizeof err->message) n = sizeof err->message - 1; /* as much of the reason as fits */
        memcpy(err->message, msg, n);
        err->message[n] = 0;
    }
    return rc;
}

/* The profile's settings onto o: the url's driver and database, its query, then the keys. */
static int apply(const lake_config *c, const profile *p, lake_client_options *o, lake_error *err) {
    for (size_t k = 0; k < key_count(); k++)
        if (p->settings[k].why) return lake__error(err, LAKE_EINVAL, "%s", p->settings[k].why);
    if (p->settings[KEY_URL].set) {
        o->driver = p->driver;
        o->database = p->database;
    }
    for (const url_item *i = p->items; i; i = i->next)
        if (lake__client_option_set(o, i->key, i->value, err)) return at_key(c, p, KEY_URL, err, LAKE_EINVAL);
    for (size_t k = OWN_KEYS; k < key_count(); k++)
        if (p->settings[k].set && lake__client_option_set(o, key_name(k), p->settings[k].value, err))
            return at_key(c, p, k, err, LAKE_EINVAL);
    return LAKE_OK;
}

/* After the walk: each url taken apart, each schema_file made relative to
 * the file's folder, and every value checked once by applying the profile
 * to a scratch options struct, so a bad value fails the load, naming its
 * line, whichever profile is used. */
static int finish(walk *w) {
    lake_config *c = w->c;
    for (profile *p = c->profiles; p; p = p->next) {
        w->current = p;
        setting *url = &p->settings[KEY_URL], *schema = &p->settings[KEY_SCHEMA_FILE];
        if (url->set && url->value) {
            char *storage = NULL;
            const char *database = NULL;
            int rc = lake__client_url_split(url->value, &p->driver, &database, &storage, keep_item, w, w->err);
            if (!rc && database && !(p->database = lake__arena_strndup(c->arena, database, strlen(database))))
                rc = lake__error(w->err, LAKE_ENOMEM, "out of memory");
            lake__free(storage);
            if (rc) return at_key(c, p, KEY_URL, w->err, rc);
        }
        if (schema->value && schema->value[0] != '/' && *c->folder) {
            size_t n = strlen(c->folder) + strlen(schema->value);
            char *joined = lake__arena_alloc(c->arena, n + 1, 1);
            if (!joined) return lake__error(w->err, LAKE_ENOMEM, "out of memory");
            snprintf(joined, n + 1, "%s%s", c->folder, schema->value);
            schema->value = joined;
        }
        bool deferred = false;
        for (size_t k = 0; k < key_count(); k++) deferred = deferred || p->settings[k].why;
        lake_client_options scratch = LAKE_CLIENT_OPTIONS_INIT;
        int rc = deferred ? LAKE_OK : apply(c, p, &scratch, w->err);
        if (rc) return rc;
    }
    return LAKE_OK;
}

int lake_config_parse(lake_config **out, const char *text, size_t len, const char *name, lake_error *err) {
    if (!out || (!text && len)) return lake__error(err, LAKE_EINVAL, "lake_config_parse: out and text are required");
    *out = NULL;
    if (!name) name = "lakeorm.toml";
    lake_config *c = lake__calloc(1, sizeof *c);
    if (!c || lake_arena_new(&c->arena)) {
        lake__free(c);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    c->profiles_end = &c->profiles;
    const char *slash = strrchr(name, '/');
    size_t folder = slash ? (size_t)(slash - name) + 1 : 0;
    int rc = LAKE_OK;
    if (!(c->path = lake__arena_strndup(c->arena, name, strlen(name))) ||
        !(c->folder = lake__arena_strndup(c->arena, name, folder)))
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    walk w = {c, err, NULL};
    lake__toml_failure failure = {0, 0, ""};
    if (!rc) rc = lake__toml_walk(text ? text : "", len, on_item, &w, &failure);
    if (rc && failure.message[0])
        rc = lake__error(err, rc, "%s:%u:%u: not valid TOML: %s", c->path, failure.line, failure.column, failure.message);
    else if (rc == LAKE_ENOMEM && !failure.message[0] && (!err || !err->message[0]))
        rc = lake__error(err, rc, "out of memory reading %s", c->path);
    if (!rc) rc = finish(&w);
    if (rc) {
        lake_config_free(c);
        return rc;
    }
    *out = c;
    return LAKE_OK;
}

const char *lake_config_path(const lake_config *c) { return c ? c->path : NULL; }

static const profile *find(const lake_config *c, const char *name) {
    for (const profile *p = c->profiles; p; p = p->next)
        if (!strcmp(p->name, name)) return p;
    return NULL;
}

static size_t names_of(const lake_config *c, char *out, size_t size) {
    size_t n = 0;
    out[0] = 0;
    for (const profile *p = c->profiles; p && n < size; p = p->next)
        n += (size_t)snprintf(out + n, size - n, "%s%s", n ? ", " : "", p->name);
    if (!c->profiles) snprintf(out, size, "none");
    return n;
}

static int missing(const lake_config *c, const char *name, const char *named_by, lake_error *err) {
    char names[512];
    names_of(c, names, sizeof names);
    return lake__error(err, LAKE_ENOTFOUND, "profile \"%.64s\"%s is not in %s (its profiles: %s)", name, named_by,
                       c->path, names);
}

int lake_config_profile(const lake_config *c, const char *name, const char **out, lake_error *err) {
    if (!c || !out) return lake__error(err, LAKE_EINVAL, "lake_config_profile: c and profile are required");
    *out = NULL;
    const char *named_by = "";
    if (!name && (name = getenv("LAKEORM_PROFILE")) && *name) named_by = " ($LAKEORM_PROFILE)";
    else if (name && !*name) name = NULL;
    if (!name && c->default_profile.why) return lake__error(err, LAKE_EINVAL, "%s", c->default_profile.why);
    if (!name && c->default_profile.set) {
        name = c->default_profile.value;
        named_by = " (default_profile)";
    }
    if (!name) {
        const profile *p = find(c, "default");
        *out = p ? p->name : NULL;
        return LAKE_OK;
    }
    const profile *p = find(c, name);
    if (!p) return missing(c, name, named_by, err);
    *out = p->name;
    return LAKE_OK;
}

/* The profile to read: the one named, or lake_config_profile's choice, which must be one. */
static int pick(const lake_config *c, const char *name, const profile **out, lake_error *err) {
    const char *chosen;
    int rc = lake_config_profile(c, name, &chosen, err);
    if (rc) return rc;
    if (!chosen) {
        char names[512];
        names_of(c, names, sizeof names);
        return lake__error(err, LAKE_ENOTFOUND, "%s names no profile to use: name one (--profile, $LAKEORM_PROFILE) "
                                                "or set default_profile (its profiles: %s)", c->path, names);
    }
    *out = find(c, chosen);
    return LAKE_OK;
}

int lake_config_get(const lake_config *c, const char *profile_name, const char *key, const char **value,
                    lake_error *err) {
    if (!c || !key || !value) return lake__error(err, LAKE_EINVAL, "lake_config_get: c, key and value are required");
    *value = NULL;
    size_t k = key_index(key, strlen(key));
    if (k == key_count()) return lake__error(err, LAKE_EINVAL, "\"%.100s\" is not a profile's key", key);
    const profile *p = NULL;
    int rc = pick(c, profile_name, &p, err);
    if (rc) return rc;
    if (p->settings[k].why) return lake__error(err, LAKE_EINVAL, "%s", p->settings[k].why);
    *value = p->settings[k].value;
    return LAKE_OK;
}

int lake_config_client_options(const lake_config *c, const char *profile_name, lake_client_options *opts,
                               lake_error *err) {
    if (!c || !opts) return lake__error(err, LAKE_EINVAL, "lake_config_client_options: c and opts are required");
    /* Applied to a whole struct, then copied back as far as the caller's version reaches. */
    lake_client_options o;
    int rc = lake__client_options_read(&o, opts, err);
    if (rc) return rc;
    const profile *p = NULL;
    if ((rc = pick(c, profile_name, &p, err)) || (rc = apply(c, p, &o, err))) return rc;
    o.version = opts->version;
    memcpy(opts, &o, lake__client_options_size(opts->version));
    return LAKE_OK;
}

void lake_config_free(lake_config *c) {
    if (!c) return;
    lake_arena_free(c->arena);
    lake__free(c);
}
