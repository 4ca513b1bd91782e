/* SPDX-License-Identifier: MIT */
/* Configuration files: a profile's keys onto client options, ${ENV}
 * expansion, the file and profile lookup, overrides, and the errors that
 * name file:line and the key. */
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lake_test.h"

static char dir[64];

static lake_config *parse(const char *text, lake_error *err) {
    lake_config *c = NULL;
    CHECK_OK(lake_config_parse(&c, text, strlen(text), "/etc/lake/lakeorm.toml", err), err);
    return c;
}

/* The status and message of a document that must not load. */
static int refused(const char *text, lake_error *err) {
    lake_config *c = NULL;
    lake_error_clear(err);
    int rc = lake_config_parse(&c, text, strlen(text), "lakeorm.toml", err);
    CHECK(!c);
    return rc;
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    CHECK(f);
    fputs(text, f);
    fclose(f);
}

static void profile_fills_client_options(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake_config *c = parse("[profiles.dev]\n"
                           "url = \"duckdb:///srv/dev.duckdb?pool=2&staging=file:///from/url\"\n"
                           "staging = \"file:///srv/stage\"\n"
                           "schema = \"main.sales\"\n"
                           "compression = \"snappy\"\n"
                           "fast_path_bytes = 1024\n"
                           "max_in_flight = 3\n"
                           "threads = 2\n"
                           "idempotency_ttl = 60\n"
                           "read_only = true\n"
                           "log_level = \"warn\"\n"
                           "schema_file = \"schemas/users.json\"\n",
                           &err);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    CHECK_OK(lake_config_client_options(c, "dev", &o, &err), &err);
    CHECK_EQ_STR(o.driver, "duckdb");
    CHECK_EQ_STR(o.database, "/srv/dev.duckdb");
    CHECK_EQ_STR(o.staging, "file:///srv/stage"); /* the key wins over the url's query */
    CHECK_EQ_STR(o.default_schema, "main.sales");
    CHECK_EQ_INT(o.compression, LAKE_CODEC_SNAPPY);
    CHECK_EQ_INT(o.fast_path_bytes, 1024);
    CHECK_EQ_INT(o.max_in_flight, 3);
    CHECK_EQ_INT(o.threads, 2);
    CHECK_EQ_INT(o.pool_size, 2);
    CHECK_EQ_INT(o.idempotency_ttl_us, 60 * 1000000LL);
    CHECK(o.read_only);
    CHECK_EQ_INT(o.log_level, LAKE_LOG_WARN);
    const char *v;
    CHECK_OK(lake_config_get(c, "dev", "schema_file", &v, &err), &err);
    CHECK_EQ_STR(v, "/etc/lake/schemas/users.json"); /* relative to the file's folder */
    CHECK_OK(lake_config_get(c, "dev", "pool", &v, &err), &err);
    CHECK(v == NULL); /* set in the url, not as a key */
    CHECK_OK(lake_config_get(c, "dev", "read_only", &v, &err), &err);
    CHECK_EQ_STR(v, "true");
    CHECK_STATUS(lake_config_get(c, "dev", "colour", &v, &err), LAKE_EINVAL, &err);
    lake_config_free(c);
}

static void env_is_expanded(void) {
    lake_error err = LAKE_ERROR_INIT;
    setenv("LAKE_TEST_TOKEN", "s3cr3t", 1);
    setenv("LAKE_TEST_EMPTY", "", 1);
    unsetenv("LAKE_TEST_UNSET");
    lake_config *c = parse("[profiles.p]\n"
                           "url = \"sc://h:15002/;token=${LAKE_TEST_TOKEN}\"\n"
                           "schema = \"${LAKE_TEST_UNSET:-lake}.${LAKE_TEST_EMPTY:-db}\"\n"
                           "catalog = \"cost$$${LAKE_TEST_EMPTY}\"\n",
                           &err);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    CHECK_OK(lake_config_client_options(c, "p", &o, &err), &err);
    CHECK_EQ_STR(o.driver, "spark");
    CHECK_EQ_STR(o.database, "sc://h:15002/;token=s3cr3t");
    CHECK_EQ_STR(o.default_schema, "lake.db");
    CHECK_EQ_STR(o.catalog, "cost$");
    lake_config_free(c);
}

static void unset_variable_fails_when_its_profile_is_used(void) {
    lake_error err = LAKE_ERROR_INIT;
    unsetenv("LAKE_TEST_UNSET");
    lake_config *c = parse("[profiles.dev]\nurl = \"duckdb://\"\n\n[profiles.prod]\n"
                           "url = \"sc://h:15002/;token=${LAKE_TEST_UNSET}\"\n",
                           &err);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    CHECK_OK(lake_config_client_options(c, "dev", &o, &err), &err); /* another profile's variable is no matter */
    CHECK_STATUS(lake_config_client_options(c, "prod", &o, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "/etc/lake/lakeorm.toml:5: profiles.prod.url: ${LAKE_TEST_UNSET} is not set");
    lake_config_free(c);
}

static void malformed_references_are_refused(void) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_INT(refused("[profiles.a]\nschema = \"${}\"\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "lakeorm.toml:2: profiles.a.schema: a malformed ${...}");
    CHECK_EQ_INT(refused("[profiles.a]\nschema = \"${OPEN\"\n", &err), LAKE_EINVAL);
    CHECK_EQ_INT(refused("[profiles.a]\nschema = \"$HOME\"\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "write $$ for a literal $");
    CHECK_EQ_INT(refused("[profiles.a]\nschema = \"a\\u0000b\"\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "NUL");
}

static void unknown_keys_suggest_the_nearest(void) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_INT(refused("[profiles.dev]\nurl = \"duckdb://\"\nstagin = \"file:///s\"\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "lakeorm.toml:3: profiles.dev.stagin: unknown key; did you mean staging?");
    CHECK_EQ_INT(refused("default_profil = \"dev\"\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "did you mean default_profile?");
    CHECK_EQ_INT(refused("[profiles.dev]\nzzzzzzzz = 1\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "profiles.dev.zzzzzzzz: unknown key (");
    CHECK_EQ_INT(refused("staging = \"file:///s\"\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "put it under [profiles.NAME]");
    CHECK_EQ_INT(refused("[profiles.dev]\nurl = \"duckdb://?colour=red\"\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "lakeorm.toml:2: profiles.dev.url: unknown client URL key \"colour\"");
}

static void wrong_types_name_file_line_and_key(void) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_INT(refused("# dev\n[profiles.dev]\npool = \"4\"\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "lakeorm.toml:3: profiles.dev.pool: expected an integer, not a string");
    CHECK_EQ_INT(refused("[profiles.dev]\nread_only = \"yes\"\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "profiles.dev.read_only: expected a boolean, not a string");
    CHECK_EQ_INT(refused("[profiles.dev]\nurl = [\"duckdb://\"]\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "profiles.dev.url: expected a string, not an array");
    CHECK_EQ_INT(refused("[profiles.dev.url]\nx = 1\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "profiles.dev.url: expected a string, not a table");
    CHECK_EQ_INT(refused("profiles = 3\n", &err), LAKE_EINVAL);
    CHECK_EQ_INT(refused("[profiles]\ndev = \"duckdb://\"\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "profiles.dev: expected a profile");
    CHECK_EQ_INT(refused("[profiles.\"a b\"]\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "a profile's name");
    /* A value the client refuses fails the load, whichever profile is used. */
    CHECK_EQ_INT(refused("[profiles.a]\n[profiles.b]\npool = 0\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "lakeorm.toml:3: profiles.b.pool: pool=0: expected a positive whole number");
    CHECK_EQ_INT(refused("[profiles.b]\ncompression = \"lz5\"\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "profiles.b.compression");
}

static void syntax_errors_name_line_and_column(void) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_INT(refused("[profiles.dev]\nurl = \"duckdb://\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "lakeorm.toml:2:");
    CHECK_CONTAINS(err.message, "not valid TOML");
    CHECK_EQ_INT(refused("[profiles.dev]\npool = 1\npool = 2\n", &err), LAKE_EINVAL); /* TOML forbids a key twice */
    CHECK_CONTAINS(err.message, "lakeorm.toml:3:");
    /* What toml++ 3.3.0 mishandled (toml_read.cpp): refused as syntax errors. */
    CHECK_EQ_INT(refused("[profiles.caf\xc3\xa9]\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "lakeorm.toml:1:14: not valid TOML");
    CHECK_EQ_INT(refused("[[[1]]]\n", &err), LAKE_EINVAL);
    CHECK_CONTAINS(err.message, "not valid TOML");
    CHECK_EQ_INT(refused("[\x07profiles]\n", &err), LAKE_EINVAL);
}

static void profile_choice_follows_the_order(void) {
    lake_error err = LAKE_ERROR_INIT;
    const char *p;
    unsetenv("LAKEORM_PROFILE");
    lake_config *c = parse("default_profile = \"b\"\n[profiles.a]\n[profiles.b]\n[profiles.default]\n", &err);
    CHECK_OK(lake_config_profile(c, "a", &p, &err), &err);
    CHECK_EQ_STR(p, "a");
    CHECK_OK(lake_config_profile(c, NULL, &p, &err), &err);
    CHECK_EQ_STR(p, "b"); /* default_profile before a profile named default */
    setenv("LAKEORM_PROFILE", "a", 1);
    CHECK_OK(lake_config_profile(c, NULL, &p, &err), &err);
    CHECK_EQ_STR(p, "a");
    CHECK_OK(lake_config_profile(c, "default", &p, &err), &err); /* a name given wins over the environment */
    CHECK_EQ_STR(p, "default");
    setenv("LAKEORM_PROFILE", "zz", 1);
    CHECK_STATUS(lake_config_profile(c, NULL, &p, &err), LAKE_ENOTFOUND, &err);
    CHECK_CONTAINS(err.message, "profile \"zz\" ($LAKEORM_PROFILE) is not in /etc/lake/lakeorm.toml (its profiles: ");
    unsetenv("LAKEORM_PROFILE");
    CHECK_STATUS(lake_config_profile(c, "prod", &p, &err), LAKE_ENOTFOUND, &err);
    CHECK_CONTAINS(err.message, "a, b, default");
    lake_config_free(c);

    c = parse("[profiles.default]\n[profiles.x]\n", &err);
    CHECK_OK(lake_config_profile(c, NULL, &p, &err), &err);
    CHECK_EQ_STR(p, "default");
    lake_config_free(c);

    c = parse("[profiles.x]\n", &err);
    CHECK_OK(lake_config_profile(c, NULL, &p, &err), &err);
    CHECK(p == NULL); /* nothing names one: the caller's flags must */
    const char *v;
    CHECK_STATUS(lake_config_get(c, NULL, "url", &v, &err), LAKE_ENOTFOUND, &err);
    CHECK_CONTAINS(err.message, "names no profile to use");
    lake_config_free(c);

    c = parse("default_profile = \"gone\"\n[profiles.x]\n", &err);
    CHECK_STATUS(lake_config_profile(c, NULL, &p, &err), LAKE_ENOTFOUND, &err);
    CHECK_CONTAINS(err.message, "profile \"gone\" (default_profile) is not in");
    CHECK_CONTAINS(err.message, "(its profiles: x)");
    lake_config_free(c);
}

static void file_lookup_follows_the_order(void) {
    lake_error err = LAKE_ERROR_INIT;
    char cwd[PATH_MAX], path[160], xdg[128], home[128];
    CHECK(getcwd(cwd, sizeof cwd));
    snprintf(xdg, sizeof xdg, "%s/xdg", dir);
    snprintf(home, sizeof home, "%s/home", dir);
    snprintf(path, sizeof path, "%s/xdg/lakeorm", dir);
    CHECK(!mkdir(xdg, 0700) && !mkdir(path, 0700) && !mkdir(home, 0700));
    snprintf(path, sizeof path, "%s/home/.config", dir);
    CHECK(!mkdir(path, 0700));
    snprintf(path, sizeof path, "%s/home/.config/lakeorm", dir);
    CHECK(!mkdir(path, 0700));
    snprintf(path, sizeof path, "%s/home/.config/lakeorm/lakeorm.toml", dir);
    write_file(path, "[profiles.home]\n");
    snprintf(path, sizeof path, "%s/xdg/lakeorm/lakeorm.toml", dir);
    write_file(path, "[profiles.xdg]\n");
    snprintf(path, sizeof path, "%s/lakeorm.toml", dir);
    write_file(path, "[profiles.here]\n");
    snprintf(path, sizeof path, "%s/named.toml", dir);
    write_file(path, "[profiles.named]\n");
    CHECK(!chdir(dir));
    unsetenv("LAKEORM_CONFIG");
    setenv("HOME", home, 1);
    setenv("XDG_CONFIG_HOME", xdg, 1);

    const char *expect[][2] = {{"named.toml", "named"}, {NULL, "named"}, {NULL, "here"}, {NULL, "xdg"}, {NULL, "home"}};
    for (int step = 0; step < 5; step++) {
        if (step == 1) setenv("LAKEORM_CONFIG", "named.toml", 1);
        if (step == 2) {
            unsetenv("LAKEORM_CONFIG");
        }
        if (step == 3) CHECK(!unlink("lakeorm.toml"));
        if (step == 4) unsetenv("XDG_CONFIG_HOME");
        lake_config *c = NULL;
        CHECK_OK(lake_config_load(&c, expect[step][0], &err), &err);
        CHECK(c);
        const char *p;
        CHECK_STATUS(lake_config_profile(c, expect[step][1], &p, &err), LAKE_OK, &err);
        lake_config_free(c);
    }
    CHECK(!unlink(path)); /* named.toml */
    snprintf(path, sizeof path, "%s/home/.config/lakeorm/lakeorm.toml", dir);
    CHECK(!unlink(path));
    lake_config *c = (lake_config *)1;
    CHECK_OK(lake_config_load(&c, NULL, &err), &err);
    CHECK(c == NULL); /* none anywhere: fine, the flags say everything */
    CHECK_STATUS(lake_config_load(&c, "named.toml", &err), LAKE_ENOTFOUND, &err);
    CHECK_CONTAINS(err.message, "named.toml does not exist");
    setenv("LAKEORM_CONFIG", "gone.toml", 1);
    CHECK_STATUS(lake_config_load(&c, NULL, &err), LAKE_ENOTFOUND, &err);
    CHECK_CONTAINS(err.message, "gone.toml ($LAKEORM_CONFIG) does not exist");
    unsetenv("LAKEORM_CONFIG");
    lake_client *client;
    CHECK_STATUS(lake_client_open_profile(&client, NULL, NULL, NULL, &err), LAKE_ENOTFOUND, &err);
    CHECK_CONTAINS(err.message, "no configuration file");
    CHECK(!chdir(cwd));
}

/* A caller built against options version 3 knew lake_log_field as two members. */
typedef struct field_v3 {
    const char *key, *value;
} field_v3;

static void capture_v3(void *ctx, lake_log_level level, const char *event, const lake_log_field *fields, size_t n) {
    (void)level;
    if (strcmp(event, "client.open")) return;
    const field_v3 *old = (const field_v3 *)(const void *)fields;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(old[i].key, "dialect")) snprintf(ctx, 32, "%s", old[i].value); /* not the first: the stride counts */
}

static void overrides_win_field_by_field(void) {
    lake_error err = LAKE_ERROR_INIT;
    char path[128], db[128], other[128];
    snprintf(path, sizeof path, "%s/open.toml", dir);
    snprintf(db, sizeof db, "%s/profile.duckdb", dir);
    snprintf(other, sizeof other, "%s/override.duckdb", dir);
    char text[512];
    snprintf(text, sizeof text, "[profiles.p]\nurl = \"duckdb://%s\"\nschema = \"from_profile\"\n", db);
    write_file(path, text);
    lake_client_options over = LAKE_CLIENT_OPTIONS_INIT;
    over.default_schema = "from_override";
    lake_client *c;
    CHECK_OK(lake_client_open_profile(&c, path, "p", &over, &err), &err);
    CHECK_OK(lake_client_exec(c, "CREATE TABLE t (x INTEGER)", NULL, 0, NULL, &err), &err);
    lake_client_close(c);
    /* The profile's database, the override's schema. */
    CHECK(access(db, F_OK) == 0);
    over.default_schema = NULL;
    over.database = other;
    CHECK_OK(lake_client_open_profile(&c, path, "p", &over, &err), &err);
    lake_client_close(c);
    CHECK(access(other, F_OK) == 0);
    /* An older caller's logger gets the fields as it knows them. */
    char dialect[32] = "";
    over = (lake_client_options)LAKE_CLIENT_OPTIONS_INIT;
    over.version = 3;
    over.log = capture_v3;
    over.log_ctx = dialect;
    CHECK_OK(lake_client_open_profile(&c, path, "p", &over, &err), &err);
    lake_client_close(c);
    CHECK_EQ_STR(dialect, "duckdb");
    CHECK_STATUS(lake_client_open_profile(&c, path, "q", NULL, &err), LAKE_ENOTFOUND, &err);
    CHECK_CONTAINS(err.message, "(its profiles: p)");
    over.version = 99;
    CHECK_STATUS(lake_client_open_profile(&c, path, "p", &over, &err), LAKE_EINVAL, &err);
}

static void profile_applies_under_an_older_options_version(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake_config *c = parse("[profiles.p]\nstaging = \"file:///s\"\nwarehouse = \"file:///w\"\n", &err);
    struct {
        lake_client_options o;
    } v1 = {LAKE_CLIENT_OPTIONS_INIT};
    v1.o.version = 1; /* a caller built before warehouse was added: its struct ends before it */
    CHECK_OK(lake_config_client_options(c, "p", &v1.o, &err), &err);
    CHECK_EQ_STR(v1.o.staging, "file:///s");
    CHECK(v1.o.warehouse == NULL); /* past a version-1 struct: not written */
    CHECK_EQ_INT(v1.o.version, 1);
    v1.o.version = 0;
    CHECK_STATUS(lake_config_client_options(c, "p", &v1.o, &err), LAKE_EINVAL, &err);
    lake_config_free(c);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/lake_config_XXXXXX");
    if (!mkdtemp(dir)) return 1;
    LAKE_RUN(profile_fills_client_options);
    LAKE_RUN(env_is_expanded);
    LAKE_RUN(unset_variable_fails_when_its_profile_is_used);
    LAKE_RUN(malformed_references_are_refused);
    LAKE_RUN(unknown_keys_suggest_the_nearest);
    LAKE_RUN(wrong_types_name_file_line_and_key);
    LAKE_RUN(syntax_errors_name_line_and_column);
    LAKE_RUN(profile_choice_follows_the_order);
    LAKE_RUN(file_lookup_follows_the_order);
    LAKE_RUN(overrides_win_field_by_field);
    LAKE_RUN(profile_applies_under_an_older_options_version);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd)) return 1;
    return lake_test_summary();
}
