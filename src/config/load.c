/* SPDX-License-Identifier: MIT */
/* Finding the configuration file, and opening a client from a profile. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lakeorm/config.h>

#include "client/client.h"
#include "error/error.h"
#include "migrate/files.h"
#include "util/alloc.h"

static int load_file(lake_config **out, const char *path, const char *named_by, lake_error *err) {
    char *text;
    size_t len;
    int rc = lake__read_file(path, &text, &len, err);
    if (rc == LAKE_ENOTFOUND)
        return lake__error(err, rc, "configuration file %s%s does not exist", path, named_by);
    if (rc) return rc;
    rc = lake_config_parse(out, text, len, path, err);
    lake__free(text);
    return rc;
}

/* The user's folder: $XDG_CONFIG_HOME/lakeorm/lakeorm.toml (an absolute
 * XDG_CONFIG_HOME only, as the XDG Base Directory specification says), else
 * $HOME/.config/lakeorm/lakeorm.toml; false when neither can be named. */
static bool user_file(char *out, size_t size) {
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int n = xdg && xdg[0] == '/' ? snprintf(out, size, "%s/lakeorm/lakeorm.toml", xdg)
          : home && *home        ? snprintf(out, size, "%s/.config/lakeorm/lakeorm.toml", home)
                                 : -1;
    return n > 0 && (size_t)n < size;
}

int lake_config_load(lake_config **out, const char *path, lake_error *err) {
    if (!out) return lake__error(err, LAKE_EINVAL, "lake_config_load: out is required");
    *out = NULL;
    if (path) return load_file(out, path, "", err);
    const char *env = getenv("LAKEORM_CONFIG");
    if (env && *env) return load_file(out, env, " ($LAKEORM_CONFIG)", err);
    char user[4096];
    const char *candidates[] = {"lakeorm.toml", user_file(user, sizeof user) ? user : NULL};
    for (size_t i = 0; i < 2; i++) {
        if (!candidates[i]) continue;
        if (access(candidates[i], F_OK) == 0) return load_file(out, candidates[i], "", err);
        if (errno != ENOENT && errno != ENOTDIR)
            return lake__error(err, LAKE_EIO, "cannot look for %s: %s", candidates[i], strerror(errno));
    }
    return LAKE_OK; /* none: the caller's flags give everything */
}

/* Every field of `over` that differs from LAKE_CLIENT_OPTIONS_INIT replaces o's. */
static void override(lake_client_options *o, const lake_client_options *over) {
    static const lake_client_options d = LAKE_CLIENT_OPTIONS_INIT;
#define TAKE(f) \
    if (memcmp(&over->f, &d.f, sizeof d.f)) o->f = over->f
    if (over->driver || over->database) { /* one place: a driver's database means nothing to another */
        o->driver = over->driver;
        o->database = over->database;
    }
    TAKE(dialect);
    TAKE(staging);
    TAKE(default_schema);
    TAKE(compression);
    TAKE(row_group_bytes);
    TAKE(fast_path_bytes);
    TAKE(max_in_flight);
    TAKE(pool_size);
    TAKE(idempotency_ttl_us);
    TAKE(log);
    TAKE(log_ctx);
    TAKE(log_level);
    TAKE(read_only);
    TAKE(staging_backend);
    TAKE(warehouse);
    TAKE(catalog);
#undef TAKE
}

int lake_client_open_profile(lake_client **out, const char *config_path, const char *profile,
                             const lake_client_options *overrides, lake_error *err) {
    if (!out) return lake__error(err, LAKE_EINVAL, "lake_client_open_profile: out is required");
    *out = NULL;
    lake_client_options over;
    int rc = lake__client_options_read(&over, overrides, err);
    if (rc) return rc;
    lake_config *c = NULL;
    rc = lake_config_load(&c, config_path, err);
    if (!rc && !c)
        rc = lake__error(err, LAKE_ENOTFOUND, "no configuration file: looked for $LAKEORM_CONFIG, ./lakeorm.toml and "
                                              "$XDG_CONFIG_HOME/lakeorm/lakeorm.toml (~/.config/lakeorm/lakeorm.toml)");
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    if (!rc) rc = lake_config_client_options(c, profile, &o, err);
    if (!rc) {
        override(&o, &over);
        /* The caller's version says how its log callback reads an event's
         * fields (lake_client_open adapts older ones); from version 3 on the
         * struct holds every field a profile sets, so it is read whole. */
        o.version = over.version < 3 ? 3 : over.version;
        rc = lake_client_open(out, &o, err); /* it copies what it keeps */
    }
    lake_config_free(c);
    return rc;
}
