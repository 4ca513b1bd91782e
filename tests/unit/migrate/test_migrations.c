/* SPDX-License-Identifier: MIT */
/* Migration authoring: every diff class in every dialect against golden files
 * (LAKE_UPDATE_GOLDEN=1 rewrites them), a quiet second run, the DuckDB files
 * applied to a real database (Up then Down, checked by assert_schema), goose's
 * own parser over every file, and lakeorm.sum catching edits. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lake_test.h"

#ifndef LAKE_GOOSE
#define LAKE_GOOSE "goose"
#endif

#include "migration_cases.h"

static const char *const dialects[] = {"duckdb", "iceberg", "delta"};
static const int64_t T0 = 1764000000; /* 2025-11-24T16:00:00Z: fixed names for golden files */

static char root[64];

static lake_schema *parse(const char *json) {
    lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    if (json && lake_schema_parse(&s, json, strlen(json), &err)) fprintf(stderr, "  schema: %s\n", err.message);
    lake_error_clear(&err);
    return s;
}

/* The one file generate wrote last (names sort by time). */
static char *newest(const char *dir, char *name, size_t cap) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep '\\.sql$' | tail -1", dir);
    FILE *p = popen(cmd, "r");
    if (!p || !fgets(name, (int)cap, p)) {
        if (p) pclose(p);
        return NULL;
    }
    pclose(p);
    name[strcspn(name, "\n")] = 0;
    char path[400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return lake_test_read_file(path);
}

/* Generates a case: the before state first (its file is the previous one),
 * then the model. Returns the second file's text. */
static char *generate_case(const migration_case *mc, const char *dialect, char *dir, size_t dir_cap) {
    snprintf(dir, dir_cap, "%s/%s-%s", root, mc->name, dialect);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd)) return NULL;
    lake_error err = LAKE_ERROR_INIT;
    lake_migrate_options o = LAKE_MIGRATE_OPTIONS_INIT;
    o.dialect = dialect;
    o.now_unix_seconds = T0;
    lake_schema *before = parse(mc->before), *after = parse(mc->after);
    int rc = LAKE_OK;
    if (before) rc = lake_migrate_generate(dir, (const lake_schema *const *)&before, 1, &o, NULL, &err);
    if (mc->rename.table) o.renames = &mc->rename, o.rename_count = 1;
    if (!rc) rc = lake_migrate_generate(dir, (const lake_schema *const *)&after, 1, &o, NULL, &err);
    if (rc) fprintf(stderr, "  %s/%s: %s\n", mc->name, dialect, err.message);
    lake_error_clear(&err);
    lake_schema_free(before);
    lake_schema_free(after);
    char name[256];
    return rc ? NULL : newest(dir, name, sizeof name);
}

static void every_diff_class_matches_its_golden_file(void) {
    bool update = getenv("LAKE_UPDATE_GOLDEN") != NULL;
    for (size_t i = 0; i < CASES; i++)
        for (size_t k = 0; k < 3; k++) {
            char dir[256], golden[512];
            char *got = generate_case(&cases[i], dialects[k], dir, sizeof dir);
            CHECK(got != NULL);
            snprintf(golden, sizeof golden, "%s/migrate/%s.%s.sql", LAKE_TEST_DATA, cases[i].name, dialects[k]);
            if (update) {
                FILE *f = fopen(golden, "wb");
                CHECK(f != NULL);
                fputs(got, f);
                fclose(f);
            }
            char *want = lake_test_read_file(golden);
            if (!want || strcmp(want, got)) {
                fprintf(stderr, "  %s differs from what was generated:\n%s\n", golden, got);
                free(want);
                free(got);
                CHECK(!"golden file matches");
            }
            free(want);
            free(got);
        }
}

static void an_unchanged_model_writes_nothing(void) {
    char dir[256];
    free(generate_case(&cases[1], "duckdb", dir, sizeof dir));
    lake_schema *after = parse(cases[1].after);
    lake_migrate_options o = LAKE_MIGRATE_OPTIONS_INIT;
    size_t written = 99;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_migrate_generate(dir, (const lake_schema *const *)&after, 1, &o, &written, &err), &err);
    CHECK_EQ_INT(written, 0);
    /* Rules are not DDL: changing one writes nothing either. */
    lake_schema *ruled = parse(TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\",\"rules\":\"min=1\"},{\"tag\":\"email\","
                                     "\"type\":\"string\",\"rules\":\"required,email\"},{\"tag\":\"handle,nullable\",\"type\":\"string\"},"
                                     "{\"tag\":\"note,nullable\",\"type\":\"string\"},{\"tag\":\"tier\",\"type\":\"int32\"},"
                                     "{\"tag\":\"home\",\"type\":\"struct\",\"fields\":[{\"tag\":\"city\",\"type\":\"string\"},"
                                     "{\"tag\":\"zip,nullable\",\"type\":\"int32\"}]}"));
    CHECK_OK(lake_migrate_generate(dir, (const lake_schema *const *)&ruled, 1, &o, &written, &err), &err);
    CHECK_EQ_INT(written, 0);
    /* A rename that does not apply is refused, not guessed around. */
    lake_rename bad = {"accounts", "nope", "handle"};
    o.renames = &bad;
    o.rename_count = 1;
    CHECK_STATUS(lake_migrate_generate(dir, (const lake_schema *const *)&ruled, 1, &o, &written, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "no column nope");
    lake_schema_free(after);
    lake_schema_free(ruled);
    lake_error_clear(&err);
}

/* A case's DuckDB file on a real database: the drift is there before Up,
 * gone after it, and Down takes the table back to the old model. */
static void apply_duckdb(const migration_case *mc) {
    {
        char dir[256];
        char *file = generate_case(mc, "duckdb", dir, sizeof dir);
        CHECK(file != NULL);
        lake_client *c;
        lake_error err = LAKE_ERROR_INIT;
        CHECK_OK(lake_client_open(&c, NULL, &err), &err);
        lake_schema *before = parse(mc->before), *after = parse(mc->after);
        if (before) {
            CHECK_OK(lake_client_migrate(c, before, &err), &err);
            CHECK_OK(lake_client_exec(c, mc->insert, NULL, 0, NULL, &err), &err);
        }
        char *up = migration_section(file, "-- +goose Up", "-- +goose Down"), *down = migration_section(file, "-- +goose Down", NULL);
        CHECK(up && down);
        if (before) /* the drift is there before the file runs */
            CHECK_STATUS(lake_client_assert_schema(c, (const lake_schema *const *)&after, 1, &err), LAKE_EMISMATCH, &err);
        lake_error_clear(&err);
        if (lake_client_exec(c, up, NULL, 0, NULL, &err)) fprintf(stderr, "  %s up:\n%s\n", mc->name, up);
        CHECK_OK(err.code, &err);
        CHECK_OK(lake_client_assert_schema(c, (const lake_schema *const *)&after, 1, &err), &err);
        CHECK_OK(lake_client_exec(c, down, NULL, 0, NULL, &err), &err);
        if (before) {
            CHECK_OK(lake_client_assert_schema(c, (const lake_schema *const *)&before, 1, &err), &err);
            char sql[120];
            snprintf(sql, sizeof sql, "SELECT count(*) FROM accounts");
            CHECK_OK(lake_client_exec(c, sql, NULL, 0, NULL, &err), &err); /* the rows are still readable */
        } else {
            CHECK_STATUS(lake_client_assert_schema(c, (const lake_schema *const *)&after, 1, &err), LAKE_EMISMATCH, &err);
            CHECK_EQ_STR(lake_issues_get(err.issues, 0)->rule, "missing_table");
        }
        free(up);
        free(down);
        free(file);
        lake_schema_free(before);
        lake_schema_free(after);
        lake_client_close(c);
        lake_error_clear(&err);
    }
}

static void duckdb_files_apply_up_and_down(void) {
    for (size_t i = 0; i < CASES; i++) apply_duckdb(&cases[i]);
}

/* A renamed column whose type also changes: Up renames first and Down
 * renames back last, so each statement between names the column as it is
 * when it runs. */
static void a_renamed_column_changes_inside_up_and_down(void) {
    static const migration_case mc = {
        "rename_inside",
        TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"home\",\"type\":\"struct\",\"fields\":["
              "{\"tag\":\"city\",\"type\":\"string\"},{\"tag\":\"zip\",\"type\":\"int32\"}]}"),
        TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"place\",\"type\":\"struct\",\"fields\":["
              "{\"tag\":\"city\",\"type\":\"string\"},{\"tag\":\"zip\",\"type\":\"int64\"},"
              "{\"tag\":\"floor,nullable\",\"type\":\"int16\"}]}"),
        "INSERT INTO accounts VALUES (1, {'city': 'Oslo', 'zip': 150}, NULL)",
        {"accounts", "home", "place"}};
    apply_duckdb(&mc);
    char dir[256];
    char *file = generate_case(&mc, "iceberg", dir, sizeof dir);
    CHECK(file != NULL);
    CHECK_CONTAINS(file, "RENAME COLUMN `home` TO `place`;\n\nALTER TABLE `accounts` ALTER COLUMN `place`.`zip` TYPE BIGINT;");
    CHECK_CONTAINS(file, "-- +goose Down\n-- DESTRUCTIVE: data loss: every value of place.floor is deleted, and readers "
                         "that select it break\nALTER TABLE `accounts` DROP COLUMN `place`.`floor`;");
    CHECK_CONTAINS(file, "-- place.zip must become INT");
    static const char last[] = "ALTER TABLE `accounts` RENAME COLUMN `place` TO `home`;\n";
    CHECK(strlen(file) > sizeof last && !strcmp(file + strlen(file) - (sizeof last - 1), last));
    free(file);
}

/* Rows are written by position, so members the model reorders are drift:
 * DuckDB sets the type (its cast matches members by name), Spark moves each
 * member after the one the model puts before it. */
static void members_the_model_reorders_are_moved(void) {
    static const migration_case mc = {
        "reorder",
        TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"home\",\"type\":\"struct\",\"fields\":["
              "{\"tag\":\"city\",\"type\":\"string\"},{\"tag\":\"zip\",\"type\":\"int32\"}]},"
              "{\"tag\":\"items\",\"type\":\"list<struct>\",\"fields\":[{\"tag\":\"sku\",\"type\":\"string\"},"
              "{\"tag\":\"qty\",\"type\":\"int32\"}]}"),
        TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"home\",\"type\":\"struct\",\"fields\":["
              "{\"tag\":\"zip\",\"type\":\"int32\"},{\"tag\":\"street,nullable\",\"type\":\"string\"},"
              "{\"tag\":\"city\",\"type\":\"string\"}]},"
              "{\"tag\":\"items\",\"type\":\"list<struct>\",\"fields\":[{\"tag\":\"qty\",\"type\":\"int32\"},"
              "{\"tag\":\"sku\",\"type\":\"string\"}]}"),
        "INSERT INTO accounts VALUES (1, {'city': 'Oslo', 'zip': 150}, [{'sku': 'a', 'qty': 2}], NULL)",
        {NULL, NULL, NULL}};
    apply_duckdb(&mc);
    char dir[256];
    char *file = generate_case(&mc, "iceberg", dir, sizeof dir);
    CHECK(file != NULL);
    CHECK_CONTAINS(file, "ALTER TABLE `accounts` ADD COLUMN `home`.`street` STRING AFTER `zip`;\n\n"
                         "-- home: members in the model's order\n"
                         "ALTER TABLE `accounts` ALTER COLUMN `home`.`zip` FIRST;\n"
                         "ALTER TABLE `accounts` ALTER COLUMN `home`.`street` AFTER `zip`;\n"
                         "ALTER TABLE `accounts` ALTER COLUMN `home`.`city` AFTER `street`;\n");
    CHECK_CONTAINS(file, "ALTER TABLE `accounts` ALTER COLUMN `items`.`element`.`qty` FIRST;\n"
                         "ALTER TABLE `accounts` ALTER COLUMN `items`.`element`.`sku` AFTER `qty`;\n");
    /* Down reorders before street is gone, and moves only what exists then. */
    CHECK_CONTAINS(file, "-- home: members in the model's order\n"
                         "ALTER TABLE `accounts` ALTER COLUMN `home`.`city` FIRST;\n"
                         "ALTER TABLE `accounts` ALTER COLUMN `home`.`zip` AFTER `city`;\n");
    free(file);
}

static void assert_schema_lists_every_difference(void) {
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, NULL, &err), &err);
    CHECK_OK(lake_client_exec(c, "CREATE TABLE accounts (id INTEGER NOT NULL, email VARCHAR, extra INTEGER)", NULL, 0, NULL, &err), &err);
    lake_schema *want = parse(TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"email\",\"type\":\"string\"},"
                                    "{\"tag\":\"age,nullable\",\"type\":\"int32\"}"));
    CHECK_STATUS(lake_client_assert_schema(c, (const lake_schema *const *)&want, 1, &err), LAKE_EMISMATCH, &err);
    static const char *const expected[][2] = {{"id", "type"}, {"id", "primary_key"}, {"email", "nullable"},
                                              {"age", "missing_column"}, {"_ingest_id", "missing_column"},
                                              {"extra", "extra_column"}};
    CHECK_EQ_INT(lake_issues_count(err.issues), 6);
    for (size_t i = 0; i < 6; i++) {
        CHECK_EQ_STR(lake_issues_get(err.issues, i)->column, expected[i][0]);
        CHECK_EQ_STR(lake_issues_get(err.issues, i)->rule, expected[i][1]);
    }
    CHECK_CONTAINS(lake_issues_get(err.issues, 0)->message, "column id is INTEGER, the model says BIGINT");
    lake_schema_free(want);
    lake_client_close(c);
    lake_error_clear(&err);
}

/* A nested type differs from the model: the issue names the path inside
 * the column, with both types as DuckDB prints them. */
static void assert_schema_names_a_nested_difference(void) {
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, NULL, &err), &err);
    CHECK_OK(lake_client_exec(c, "CREATE TABLE accounts (id BIGINT PRIMARY KEY, items STRUCT(sku VARCHAR, price "
                                 "DECIMAL(12,2))[] NOT NULL, attrs MAP(VARCHAR, INTEGER[]) NOT NULL, home STRUCT(city "
                                 "VARCHAR) NOT NULL, tags VARCHAR[] NOT NULL, _ingest_id VARCHAR)", NULL, 0, NULL, &err), &err);
    lake_schema *want = parse(TABLE("{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"items\",\"type\":\"list<struct>\","
                                    "\"fields\":[{\"tag\":\"sku\",\"type\":\"string\"},{\"tag\":\"price\",\"type\":\"decimal(10,2)\"}]},"
                                    "{\"tag\":\"attrs\",\"type\":\"map<string,list<int64>>\"},"
                                    "{\"tag\":\"home\",\"type\":\"struct\",\"fields\":[{\"tag\":\"city\",\"type\":\"string\"},"
                                    "{\"tag\":\"zip,nullable\",\"type\":\"int32\"}]},{\"tag\":\"tags\",\"type\":\"list<string?>\"}"));
    CHECK(want != NULL);
    CHECK_STATUS(lake_client_assert_schema(c, (const lake_schema *const *)&want, 1, &err), LAKE_EMISMATCH, &err);
    static const char *const expected[][2] = {
        {"items", "column items differs at items.element.price: the table has DECIMAL(12,2), the model says DECIMAL(10,2)"},
        {"attrs", "column attrs differs at attrs.value.element: the table has INTEGER, the model says BIGINT"},
        {"home", "column home differs at home.zip: the table has no such member, the model says INTEGER"},
    };
    CHECK_EQ_INT(lake_issues_count(err.issues), 3); /* tags: element nullability is not in the catalog */
    for (size_t i = 0; i < 3; i++) {
        CHECK_EQ_STR(lake_issues_get(err.issues, i)->column, expected[i][0]);
        CHECK_EQ_STR(lake_issues_get(err.issues, i)->rule, "type");
        CHECK_EQ_STR(lake_issues_get(err.issues, i)->message, expected[i][1]);
    }
    lake_schema_free(want);
    lake_client_close(c);
    lake_error_clear(&err);
}

/* Statements in a section: lines ending in ";" that are not comments. */
static int statements(const char *text) {
    int n = 0;
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        n += len && line[len - 1] == ';' && strncmp(line, "--", 2);
        line = end ? end + 1 : NULL;
    }
    return n;
}

static void goose_parses_every_file(void) {
    for (size_t i = 0; i < CASES; i++)
        for (size_t k = 0; k < 3; k++) {
            char dir[256], cmd[600], line[512];
            free(generate_case(&cases[i], dialects[k], dir, sizeof dir));
            snprintf(cmd, sizeof cmd, "'%s' -dir '%s' -v validate 2>&1", LAKE_GOOSE, dir);
            FILE *p = popen(cmd, "r");
            CHECK(p != NULL);
            size_t files = 0, counted = 0;
            char name[256];
            char *newest_file = newest(dir, name, sizeof name);
            char *up = newest_file ? migration_section(newest_file, "-- +goose Up", "-- +goose Down") : NULL;
            char *down = newest_file ? migration_section(newest_file, "-- +goose Down", NULL) : NULL;
            while (fgets(line, sizeof line, p)) {
                if (!strstr(line, ".sql")) continue;
                files++;
                int gup = -1, gdown = -1;
                char txn[16], file[300];
                /* "sql   ✔     9    5      <name>": goose's own count of statements */
                if (strstr(line, name) && sscanf(line, "sql %15s %d %d %299s", txn, &gup, &gdown, file) == 4) {
                    CHECK_EQ_INT(gup, statements(up));
                    CHECK_EQ_INT(gdown, statements(down));
                    counted++;
                }
            }
            free(up);
            free(down);
            free(newest_file);
            int status = pclose(p);
            if (status) fprintf(stderr, "  %s failed (%d)\n", cmd, status);
            CHECK_EQ_INT(status, 0);
            CHECK_EQ_INT(files, cases[i].before ? 2 : 1);
            CHECK_EQ_INT(counted, 1); /* the newest file's counts were compared */
        }
}

static void verify_catches_edits(void) {
    char dir[256], path[600], name[256];
    free(generate_case(&cases[2], "iceberg", dir, sizeof dir));
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_migrate_verify(dir, &err), &err);
    free(newest(dir, name, sizeof name));
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "ab");
    CHECK(f != NULL);
    fputs("-- a reviewer's afterthought\n", f);
    fclose(f);
    CHECK_STATUS(lake_migrate_verify(dir, &err), LAKE_EMISMATCH, &err);
    CHECK_EQ_INT(lake_issues_count(err.issues), 1);
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->column, name);
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->rule, "edited");
    snprintf(path, sizeof path, "%s/29990101000000_by_hand.sql", dir);
    f = fopen(path, "wb");
    fputs("-- +goose Up\nSELECT 1;\n", f);
    fclose(f);
    CHECK_STATUS(lake_migrate_verify(dir, &err), LAKE_EMISMATCH, &err);
    CHECK_EQ_INT(lake_issues_count(err.issues), 2);
    CHECK_EQ_STR(lake_issues_get(err.issues, 1)->rule, "unlisted");
    snprintf(path, sizeof path, "%s/lakeorm.sum", dir);
    unlink(path);
    CHECK_STATUS(lake_migrate_verify(dir, &err), LAKE_ENOTFOUND, &err);
    lake_error_clear(&err);
}

int main(void) {
    snprintf(root, sizeof root, "/tmp/lake_migrate_XXXXXX");
    if (!mkdtemp(root)) return 1;
    LAKE_RUN(every_diff_class_matches_its_golden_file);
    LAKE_RUN(an_unchanged_model_writes_nothing);
    LAKE_RUN(duckdb_files_apply_up_and_down);
    LAKE_RUN(a_renamed_column_changes_inside_up_and_down);
    LAKE_RUN(members_the_model_reorders_are_moved);
    LAKE_RUN(assert_schema_lists_every_difference);
    LAKE_RUN(assert_schema_names_a_nested_difference);
    LAKE_RUN(goose_parses_every_file);
    LAKE_RUN(verify_catches_edits);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd)) return 1;
    return lake_test_summary();
}
