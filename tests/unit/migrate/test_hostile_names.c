/* SPDX-License-Identifier: MIT */
/* Migration authoring with hostile input: renames whose names hold control
 * characters, models that can only read (_ingest_id in any case), and text in
 * comment lines that tries to end the comment. Nothing is written for a
 * refused request, and no message or comment carries a raw control character. */
#include <dirent.h>
#include <unistd.h>

#include "lake_test.h"
#include "dialects/changes.h"
#include "util/escape.h"

static const char users[] = "{\"table\":\"users\",\"fields\":[{\"tag\":\"id,pk\",\"type\":\"int64\"},"
                            "{\"tag\":\"name\",\"type\":\"string\"}]}";

static lake_schema *parse(const char *json) {
    lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_parse(&s, json, strlen(json), &err)) fprintf(stderr, "  schema: %s\n", err.message);
    lake_error_clear(&err);
    return s;
}

/* Files in dir; removes them (and dir) when `remove` is set. */
static int files_in(const char *dir, bool remove) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        n++;
        if (remove) {
            char path[512];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    closedir(d);
    if (remove) rmdir(dir);
    return n;
}

static void check_plain(const char *message) {
    for (const unsigned char *p = (const unsigned char *)message; *p; p++)
        if (*p < 0x20 || *p == 0x7F) LAKE_FAIL_AT("message holds byte 0x%02x: \"%s\"", *p, message);
}

static void refuses_renames_with_control_characters(void) {
    char dir[] = "/tmp/lake_hostile_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    lake_schema *s = parse(users);
    CHECK(s != NULL);
    lake_error err = LAKE_ERROR_INIT;
    const lake_rename bad[] = {
        {"users\n-- +goose Up\nDROP TABLE victim;", "name", "full_name"},
        {"users", "name\x1b[2J", "full_name"},
        {"users", "name", "full\aname"},
        {"users", "name", "full\xc2\x85name"},
        {"users", "name", ""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lake_migrate_options o = LAKE_MIGRATE_OPTIONS_INIT;
        o.renames = &bad[i];
        o.rename_count = 1;
        size_t written = 9;
        CHECK_STATUS(lake_migrate_generate(dir, (const lake_schema *const *)&s, 1, &o, &written, &err), LAKE_EINVAL, &err);
        CHECK_CONTAINS(err.message, "rename 1: ");
        check_plain(err.message);
        CHECK_EQ_INT(written, 0);
        CHECK_EQ_INT(files_in(dir, false), 0);
    }
    lake_schema_free(s);
    lake_error_clear(&err);
    files_in(dir, true);
}

static void refuses_models_that_name_the_system_column_in_any_case(void) {
    char dir[] = "/tmp/lake_hostile_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    static const char *const spellings[] = {"_ingest_id", "_INGEST_ID", "_Ingest_ID"};
    lake_error err = LAKE_ERROR_INIT;
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        char json[200];
        snprintf(json, sizeof json, "{\"table\":\"t\",\"fields\":[{\"tag\":\"%s\",\"type\":\"string\"}]}", spellings[i]);
        lake_schema *s = parse(json);
        CHECK(s != NULL);
        CHECK_STATUS(lake_migrate_generate(dir, (const lake_schema *const *)&s, 1, NULL, NULL, &err), LAKE_EINVAL, &err);
        CHECK_CONTAINS(err.message, "system column _ingest_id");
        CHECK_EQ_INT(files_in(dir, false), 0);
        lake_schema_free(s);
    }
    lake_error_clear(&err);
    files_in(dir, true);
}

/* Users and users are one table to every engine: two models for it are refused. */
static void refuses_two_models_of_one_table_in_any_case(void) {
    char dir[] = "/tmp/lake_hostile_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    static const char upper[] = "{\"table\":\"Users\",\"fields\":[{\"tag\":\"id,pk\",\"type\":\"int64\"}]}";
    lake_schema *both[] = {parse(users), parse(upper)};
    CHECK(both[0] && both[1]);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake_migrate_generate(dir, (const lake_schema *const *)both, 2, NULL, NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "two models for table");
    CHECK_EQ_INT(files_in(dir, true), 0);
    lake_schema_free(both[0]);
    lake_schema_free(both[1]);
    lake_error_clear(&err);
}

/* A model whose table changed case only is the same table: no drift. */
static void a_table_renamed_in_case_only_has_no_drift(void) {
    char dir[] = "/tmp/lake_hostile_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    static const char upper[] = "{\"table\":\"Users\",\"fields\":[{\"tag\":\"id,pk\",\"type\":\"int64\"},"
                                "{\"tag\":\"name\",\"type\":\"string\"}]}";
    lake_schema *before = parse(upper), *after = parse(users);
    CHECK(before && after);
    lake_error err = LAKE_ERROR_INIT;
    size_t written = 0;
    CHECK_OK(lake_migrate_generate(dir, (const lake_schema *const *)&before, 1, NULL, &written, &err), &err);
    CHECK_EQ_INT(written, 1);
    CHECK_OK(lake_migrate_generate(dir, (const lake_schema *const *)&after, 1, NULL, &written, &err), &err);
    CHECK_EQ_INT(written, 0);
    CHECK_EQ_INT(files_in(dir, true), 2); /* the first migration and lakeorm.sum */
    lake_schema_free(before);
    lake_schema_free(after);
    lake_error_clear(&err);
}

static void comment_text_cannot_end_its_line(void) {
    lake__buf b = LAKE__BUF_INIT;
    static const char text[] = "t\n-- +goose Up\r\nDROP TABLE victim;\x1b[31m\a\t\x7f\xc2\x85\xe2\x80\xae\xff\\ok é";
    CHECK_EQ_INT(lake__escape_controls(&b, text, sizeof text - 1), 0);
    CHECK_EQ_STR(b.data, "t\\n-- +goose Up\\r\\nDROP TABLE victim;\\u001b[31m\\u0007\\t\\u007f\\u0085\\u202e\\xff\\ok é");
    lake__buf_dispose(&b);
    static const char nul[] = "a\0b";
    CHECK_EQ_INT(lake__escape_controls(&b, nul, 3), 0);
    CHECK_EQ_STR(b.data, "a\\u0000b");
    lake__buf_dispose(&b);

    lake__render_destructive(&b, "drops x\n-- +goose Down\nDROP TABLE victim;");
    CHECK(!b.failed);
    CHECK_EQ_STR(b.data, "-- DESTRUCTIVE: drops x\\n-- +goose Down\\nDROP TABLE victim;\n");
    lake__buf_dispose(&b);
}

int main(void) {
    LAKE_RUN(refuses_renames_with_control_characters);
    LAKE_RUN(refuses_models_that_name_the_system_column_in_any_case);
    LAKE_RUN(refuses_two_models_of_one_table_in_any_case);
    LAKE_RUN(a_table_renamed_in_case_only_has_no_drift);
    LAKE_RUN(comment_text_cannot_end_its_line);
    return lake_test_summary();
}
