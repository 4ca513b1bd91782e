/* SPDX-License-Identifier: MIT */
/* The flags every engine command shares, the profile of a configuration
 * file they override, the client they open, and the structured log lines
 * it writes to stderr when LAKEORM_LOG or the profile's log_level asks. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <lakeorm.h>

#include "cli.h"
#include "util/workers.h"

int connect_flag(connect_args *a, int argc, char **argv, int *i) {
    const char *flag = argv[*i];
    const char **slot = !strcmp(flag, "--db")        ? &a->db
                      : !strcmp(flag, "--url")       ? &a->url
                      : !strcmp(flag, "--staging")   ? &a->staging
                      : !strcmp(flag, "--dialect")   ? &a->dialect
                      : !strcmp(flag, "--warehouse") ? &a->warehouse
                      : !strcmp(flag, "--catalog")   ? &a->catalog
                      : !strcmp(flag, "--config")    ? &a->config
                      : !strcmp(flag, "--profile")   ? &a->profile
                                                     : NULL;
    if (!slot) return 0;
    if (++*i == argc) {
        fprintf(stderr, "lakeorm: %s needs a value\n", flag);
        return -1;
    }
    *slot = argv[*i];
    return 1;
}

/* A --staging, --warehouse or --catalog value with no scheme is a local
 * path: made absolute (it need not exist yet) and given the scheme
 * (file://, or sqlite:// for a catalog). Returns the value to use, value
 * itself when it has a scheme, or NULL with errno. */
static const char *as_url(const char *value, const char *scheme, char *buf, size_t size) {
    if (!value || strstr(value, "://")) return value;
    char cwd[PATH_MAX];
    if (value[0] != '/' && !getcwd(cwd, sizeof cwd)) return NULL;
    int n = value[0] == '/' ? snprintf(buf, size, "%s%s", scheme, value)
                            : snprintf(buf, size, "%s%s%s%s", scheme, cwd, strcmp(cwd, "/") ? "/" : "", value);
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    return buf;
}

/* One JSON object per event, stamped with the time in RFC 3339 UTC to the
 * millisecond: {"ts":"2026-12-06T19:59:01.123Z","level":"info",
 * "event":"insert.done","table":"users","rows":3,...}. A field the library
 * marks an integer is a JSON number; any other is a string, even "0123".
 * The line is built whole and written at once: events come from any thread. */
static void log_json(void *ctx, lake_log_level level, const char *event, const lake_log_field *fields, size_t n) {
    (void)ctx;
    static const char *const names[] = {"debug", "info", "warn", "error"};
    struct timespec now;
    struct tm utc;
    char ts[32];
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &utc);
    size_t at = strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &utc);
    snprintf(ts + at, sizeof ts - at, ".%03ldZ", now.tv_nsec / 1000000);
    char *line = NULL;
    size_t size;
    FILE *m = open_memstream(&line, &size);
    if (!m) return;
    fprintf(m, "{\"ts\":\"%s\",\"level\":\"%s\",\"event\":\"%s\"", ts, names[level], event);
    for (size_t i = 0; i < n; i++) {
        if (fields[i].kind == LAKE_LOG_INTEGER) {
            fprintf(m, ",\"%s\":%s", fields[i].key, fields[i].value);
            continue;
        }
        char *v = NULL;
        size_t len;
        if (lake_json_quote(fields[i].value, strlen(fields[i].value), &v, &len)) continue;
        fprintf(m, ",\"%s\":%s", fields[i].key, v);
        lake_free(v);
    }
    fputs("}\n", m);
    if (!fclose(m)) fputs(line, stderr);
    free(line);
}

/* The configuration file (--config, $LAKEORM_CONFIG, ./lakeorm.toml, the
 * user's folder) and its profile (--profile, $LAKEORM_PROFILE,
 * default_profile, "default"): CLI_OK with *cfg NULL when there is no file,
 * and *profile NULL when the file names none to use. A file or profile
 * that is named and missing is a usage error. */
static int load_profile(const connect_args *a, lake_config **cfg, const char **profile, lake_error *err) {
    *cfg = NULL;
    *profile = NULL;
    const char *env = getenv("LAKEORM_PROFILE");
    int rc = lake_config_load(cfg, a->config, err);
    if (!rc && *cfg) rc = lake_config_profile(*cfg, a->profile, profile, err);
    if (!rc && !*cfg && (a->profile || (env && *env))) {
        lake_error_set(err, LAKE_EINVAL,
                       "%s %s: there is no configuration file (--config FILE, $LAKEORM_CONFIG, ./lakeorm.toml "
                       "or ~/.config/lakeorm/lakeorm.toml)",
                       a->profile ? "--profile" : "$LAKEORM_PROFILE", a->profile ? a->profile : env);
        return CLI_USAGE;
    }
    if (rc) {
        lake_config_free(*cfg);
        *cfg = NULL;
        return rc == LAKE_EIO || rc == LAKE_ENOMEM ? CLI_FAILED : CLI_USAGE;
    }
    return CLI_OK;
}

int connect_profile_values(const connect_args *a, const char *command, size_t n, const char *const keys[],
                           char *const outs[], size_t size, bool *has_profile) {
    lake_config *cfg;
    const char *profile;
    lake_error err = LAKE_ERROR_INIT;
    for (size_t k = 0; k < n; k++)
        if (outs[k]) outs[k][0] = 0;
    int status = load_profile(a, &cfg, &profile, &err);
    if (has_profile) *has_profile = profile != NULL;
    if (status) term_error("lakeorm", err.message);
    if (status || !profile) {
        lake_error_clear(&err);
        return status;
    }
    for (size_t k = 0; k < n && !status; k++) {
        const char *value = NULL;
        if (lake_config_get(cfg, profile, keys[k], &value, &err)) {
            term_error(command, err.message);
            status = CLI_USAGE;
        } else if (value && outs[k] && (size_t)snprintf(outs[k], size, "%s", value) >= size) {
            term_errorf(command, "%s %s: too long", keys[k], value);
            status = CLI_USAGE;
        }
    }
    lake_error_clear(&err);
    lake_config_free(cfg);
    return status;
}

int connect_profile_value(const connect_args *a, const char *command, const char *key, char *out, size_t size,
                          bool *has_profile) {
    return connect_profile_values(a, command, 1, &key, &out, size, has_profile);
}

int connect_threads(const connect_args *a, const char *command, const char *given, unsigned *out) {
    char profile[32] = "";
    const char *text = given;
    if (!text) {
        int status = connect_profile_value(a, command, "threads", profile, sizeof profile, NULL);
        if (status) return status;
        text = *profile ? profile : NULL;
    }
    if (!text) {
        *out = lake__workers_default();
        return CLI_OK;
    }
    char *end;
    errno = 0;
    unsigned long n = text[0] >= '0' && text[0] <= '9' ? strtoul(text, &end, 10) : 0;
    if (!n || errno || *end || n > 1024) {
        term_errorf(command, "%s %s: expected a whole number of threads, 1 to 1024",
                    given ? "--threads" : "the profile's threads", text);
        return CLI_USAGE;
    }
    *out = (unsigned)n;
    return CLI_OK;
}

int connect_open_quiet(const connect_args *a, lake_client **out, lake_error *err) {
    if (a->url && (a->db || a->staging || a->dialect || a->warehouse || a->catalog)) {
        lake_error_set(err, LAKE_EINVAL, "--url carries the database and its options; drop --db, --staging, "
                       "--dialect, --warehouse and --catalog (as ?staging=...&dialect=...&warehouse=...&catalog=...)");
        return CLI_USAGE;
    }
    lake_config *cfg;
    const char *profile;
    int status = load_profile(a, &cfg, &profile, err);
    if (status) return status;
    if (!profile && !a->url && !a->db && !a->warehouse) {
        lake_error_set(err, LAKE_EINVAL, "say which database: --db FILE, --dialect delta|iceberg --warehouse URL, "
                       "--url duckdb:///path?... | sc://host:15002?dialect=..., or a profile of lakeorm.toml "
                       "(--profile NAME; docs/cli.md, \"Configuration file\")");
        lake_config_free(cfg);
        return CLI_USAGE;
    }
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    const char *level_set = NULL;
    int rc = LAKE_OK;
    /* The profile first: every flag given then replaces its own setting. */
    if (profile && !(rc = lake_config_client_options(cfg, profile, &o, err)))
        rc = lake_config_get(cfg, profile, "log_level", &level_set, err);
    if (level_set) o.log = log_json;
    o.read_only = o.read_only || a->read_only;
    if (a->threads) o.threads = a->threads;
    const char *level = getenv("LAKEORM_LOG");
    if (level && *level) {
        static const char *const names[] = {"debug", "info", "warn", "error"};
        for (int k = 0; k < 4; k++)
            if (!strcasecmp(level, names[k])) {
                o.log = log_json;
                o.log_level = (lake_log_level)k;
            }
    }
    bool profile_failed = rc != LAKE_OK; /* a value of the file: a usage error, as a flag's would be */
    if (profile_failed) {
        /* err says which file, line and key */
    } else if (a->url) {
        rc = lake_client_open_url(out, a->url, &o, err); /* its query replaces the profile's same keys */
    } else {
        static const struct {
            const char *flag, *scheme;
        } local[] = {{"--staging", "file://"}, {"--warehouse", "file://"}, {"--catalog", "sqlite://"}};
        const char *given[] = {a->staging, a->warehouse, a->catalog}, *url[3];
        char buf[3][PATH_MAX + 16];
        for (int k = 0; k < 3; k++)
            if (!(url[k] = as_url(given[k], local[k].scheme, buf[k], sizeof buf[k])) && given[k]) {
                lake_error_set(err, LAKE_EINVAL, "%s %s: %s", local[k].flag, given[k], strerror(errno));
                lake_config_free(cfg);
                return CLI_USAGE;
            }
        if (a->db || (!profile && a->warehouse)) { /* with only a warehouse: an engine in memory, which only computes */
            o.driver = "duckdb";
            o.database = a->db;
        }
        if (url[0]) o.staging = url[0];
        if (a->dialect) o.dialect = a->dialect;
        if (url[1]) o.warehouse = url[1];
        if (url[2]) o.catalog = url[2];
        rc = lake_client_open(out, &o, err);
    }
    lake_config_free(cfg);
    return rc ? (profile_failed || rc == LAKE_EINVAL || rc == LAKE_ENOTSUP ? CLI_USAGE : CLI_FAILED) : CLI_OK;
}

int connect_open(const connect_args *a, lake_client **out) {
    lake_error err = LAKE_ERROR_INIT;
    int status = connect_open_quiet(a, out, &err);
    if (status) term_error("lakeorm", err.message);
    lake_error_clear(&err);
    return status;
}

int connect_schema(const connect_args *a, const char *command, const char *usage, const char **schema, char *buf,
                   size_t size) {
    if (*schema) return CLI_OK;
    int status = connect_profile_value(a, command, "schema_file", buf, size, NULL);
    if (status) return status;
    if (buf[0]) *schema = buf;
    else if (usage) {
        fprintf(stderr, "usage: %s\n", usage);
        return CLI_USAGE;
    }
    return CLI_OK;
}
