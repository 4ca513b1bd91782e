/* SPDX-License-Identifier: MIT */
/* Which declared renames a live table still needs (migrate/renames.c): the
 * decision every engine and format takes, by names alone, so migrating
 * twice is a no-op; and the renames refused before any table is touched. */
#include <string.h>

#include "lake_test.h"
#include "migrate/renames.h"

static const char MODEL[] = "{\"version\": 1, \"table\": \"users\", \"fields\": ["
                            "{\"tag\": \"id,pk\", \"type\": \"int64\"},"
                            "{\"tag\": \"handle\", \"type\": \"string\"},"
                            "{\"tag\": \"nick,nullable\", \"type\": \"string\"},"
                            "{\"tag\": \"area\", \"type\": \"string\"}]}";

static lake_schema *model(void) {
    lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_parse(&s, MODEL, strlen(MODEL), &err), &err);
    return s;
}

/* The live table's columns, NULL-terminated. */
static bool has(void *ctx, const char *name) {
    for (const char *const *c = ctx; *c; c++)
        if (!strcmp(*c, name)) return true;
    return false;
}

/* Runs the decision over `live`; returns the status, the due renames' `from`s joined by ",". */
static int decide(const lake_rename *r, size_t n, const char *const *live, char *due_text, lake_error *err) {
    lake_schema *s = model();
    const lake_rename *due[8];
    size_t count = 99;
    int rc = lake__renames_check(s, r, n, err);
    if (!rc) rc = lake__renames_due(s, r, n, has, (void *)live, due, &count, err);
    due_text[0] = 0;
    for (size_t i = 0; !rc && i < count; i++) {
        if (i) strcat(due_text, ",");
        strcat(due_text, due[i]->from);
    }
    lake_schema_free(s);
    return rc;
}

static void renames_the_table_still_needs_are_due(void) {
    lake_rename r[] = {{"users", "name", "handle"}, {"users", "region", "area"}, {"orders", "x", "y"}};
    const char *live[] = {"id", "name", "region", "_ingest_id", NULL};
    char due[64];
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(decide(r, 3, live, due, &err), &err);
    CHECK_EQ_STR(due, "name,region"); /* another table's rename is not read */
}

static void renames_applied_already_are_skipped(void) {
    lake_rename r[] = {{"users", "name", "handle"}, {"users", "region", "area"}};
    const char *renamed[] = {"id", "handle", "area", NULL};
    const char *half[] = {"id", "handle", "region", NULL};
    char due[64];
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(decide(r, 2, renamed, due, &err), &err);
    CHECK_EQ_STR(due, "");
    CHECK_OK(decide(r, 2, half, due, &err), &err);
    CHECK_EQ_STR(due, "region");
    /* Renamed, then `nick` added again by the model: both names live, nothing to do. */
    lake_rename again[] = {{"users", "nick", "handle"}};
    const char *both[] = {"id", "nick", "handle", "area", NULL};
    CHECK_OK(decide(again, 1, both, due, &err), &err);
    CHECK_EQ_STR(due, "");
}

static void missing_and_taken_names_are_refused(void) {
    char due[64];
    lake_error err = LAKE_ERROR_INIT;
    lake_rename neither[] = {{"users", "ghost", "handle"}};
    const char *live[] = {"id", "nick", "area", NULL};
    CHECK_STATUS(decide(neither, 1, live, due, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "table users has neither column ghost nor handle");
    lake_error_clear(&err);
    lake_rename taken[] = {{"users", "name", "handle"}};
    const char *both[] = {"id", "name", "handle", NULL};
    CHECK_STATUS(decide(taken, 1, both, due, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "already has a column handle");
    lake_error_clear(&err);
}

static void bad_declarations_are_refused_before_any_table(void) {
    const struct {
        lake_rename r[2];
        size_t n;
        const char *message;
    } cases[] = {
        {{{"users", "name", "phantom"}}, 1, "the model has no column phantom"},
        {{{"users", "name", NULL}}, 1, "both names are required"},
        {{{"users", "handle", "handle"}}, 1, "the names are the same"},
        {{{"users", "_INGEST_ID", "handle"}}, 1, "_ingest_id is lakeorm's system column"},
        {{{"users", "name", "_ingest_id"}}, 1, "_ingest_id is lakeorm's system column"},
        {{{"users", "a", "handle"}, {"users", "handle", "area"}}, 2, "chains and swaps"},
        {{{"users", "a", "handle"}, {"users", "b", "handle"}}, 2, "chains and swaps"},
        {{{"users", "a\x1b[2J", "handle"}}, 1, "rename 1 of table users"},
    };
    const char *live[] = {NULL};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char due[64];
        lake_error err = LAKE_ERROR_INIT;
        CHECK_STATUS(decide(cases[i].r, cases[i].n, live, due, &err), LAKE_EINVAL, &err);
        CHECK_CONTAINS(err.message, cases[i].message);
        CHECK(!strchr(err.message, '\x1b'));
        lake_error_clear(&err);
    }
}

int main(void) {
    LAKE_RUN(renames_the_table_still_needs_are_due);
    LAKE_RUN(renames_applied_already_are_skipped);
    LAKE_RUN(missing_and_taken_names_are_refused);
    LAKE_RUN(bad_declarations_are_refused_before_any_table);
    return lake_test_summary();
}
