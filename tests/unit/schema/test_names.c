/* SPDX-License-Identifier: MIT */
/* Table and column names from every source (C models, schema files,
 * lake_schema_set_table): control characters, text that is not UTF-8 and
 * lakeorm's reserved table prefix are schema errors, and the error never
 * quotes the offending name. Read projections that name _ingest_id, in any
 * case, cannot define or write a table. */
#include "lake_test.h"
#include "schema/name.h"
#include "schema/schema.h"

typedef struct row {
    int64_t a;
    lake_str b;
} row;

/* Names a terminal, goose or an editor must never see raw: a line end, ESC,
 * BEL, DEL, C1 NEL and CSI, a bidirectional override, a line separator, and
 * bytes that are not UTF-8. */
static const char *const hostile[] = {
    "t\n-- +goose Up\nDROP TABLE victim;", "t\x1b[31mred", "t\x07", "t\r", "t\x7f", "t\xc2\x85",
    ("t\xc2\x9b" "31m"), "t\xe2\x80\xae", "t\xe2\x80\xa8", "t\xff", "t\xc0\xae",
};
enum { HOSTILE = sizeof hostile / sizeof hostile[0] };

/* The message is safe to print: no byte below 0x20, no DEL, nothing above 0x7E. */
static void check_plain(const char *message) {
    for (const unsigned char *p = (const unsigned char *)message; *p; p++)
        if (*p < 0x20 || *p >= 0x7F) LAKE_FAIL_AT("message holds byte 0x%02x: \"%s\"", *p, message);
}

static void accepts_ordinary_names(void) {
    static const char *const ok[] = {"users", "Ünïcödé_täble", "analytics.events", "lakeorm_ingests",
                                     "x_lakeorm_ingests", "_lakeorm", "日本"};
    char why[300];
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (lake__name_check(ok[i], strlen(ok[i]), LAKE__NAME_TABLE, why, sizeof why))
            LAKE_FAIL_AT("table name %zu refused: %s", i, why);
        if (lake__name_check(ok[i], strlen(ok[i]), LAKE__NAME_COLUMN, why, sizeof why))
            LAKE_FAIL_AT("column name %zu refused: %s", i, why);
    }
}

static void refuses_control_characters_and_bad_utf8_in_any_name(void) {
    char why[300];
    for (size_t i = 0; i < HOSTILE; i++) {
        for (int kind = LAKE__NAME_COLUMN; kind <= LAKE__NAME_TABLE; kind++) {
            int rc = lake__name_check(hostile[i], strlen(hostile[i]), (lake__name_kind)kind, why, sizeof why);
            if (rc != LAKE_ESCHEMA) LAKE_FAIL_AT("name %zu (kind %d) accepted", i, kind);
            check_plain(why);
        }
    }
    /* A NUL inside the bytes given (a length-delimited name) is a control character too. */
    CHECK_EQ_INT(lake__name_check("a\0b", 3, LAKE__NAME_COLUMN, why, sizeof why), LAKE_ESCHEMA);
    CHECK_CONTAINS(why, "U+0000");
    CHECK_EQ_INT(lake__name_check("", 0, LAKE__NAME_TABLE, why, sizeof why), LAKE_ESCHEMA);
    CHECK_CONTAINS(why, "empty table name");
    char long_name[130];
    memset(long_name, 'x', sizeof long_name);
    CHECK_EQ_INT(lake__name_check(long_name, 129, LAKE__NAME_COLUMN, why, sizeof why), LAKE_ESCHEMA);
    CHECK_EQ_INT(lake__name_check(long_name, 128, LAKE__NAME_COLUMN, why, sizeof why), LAKE_OK);
}

static void reserves_the_lakeorm_prefix_for_tables_in_any_case(void) {
    static const char *const reserved[] = {"_lakeorm_ingests", "_LAKEORM_INGESTS", "_LakeOrm_x", "_lakeorm_",
                                           "main._lakeorm_ingests", "_lakeorm_x.t"};
    char why[300];
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        if (lake__name_check(reserved[i], strlen(reserved[i]), LAKE__NAME_TABLE, why, sizeof why) != LAKE_ESCHEMA)
            LAKE_FAIL_AT("table %s accepted", reserved[i]);
        CHECK_CONTAINS(why, "reserved");
        /* A column may carry the prefix: lakeorm has no columns of that name. */
        CHECK_EQ_INT(lake__name_check(reserved[i], strlen(reserved[i]), LAKE__NAME_COLUMN, why, sizeof why), LAKE_OK);
    }
}

static void c_models_refuse_bad_names(void) {
    for (size_t i = 0; i < HOSTILE; i++) {
        const lake_field fields[] = {LAKE_FIELD(row, a, "a", "")};
        lake_model m = LAKE_MODEL(row, hostile[i], fields);
        lake_schema *s = NULL;
        lake_error err = LAKE_ERROR_INIT;
        CHECK_STATUS(lake__schema_compile(&s, &m, &err), LAKE_ESCHEMA, &err);
        CHECK(s == NULL);
        CHECK_CONTAINS(err.message, "table name");
        check_plain(err.message);
        lake_error_clear(&err);

        const lake_field column[] = {LAKE_FIELD(row, a, hostile[i], "")};
        lake_model n = LAKE_MODEL(row, "t", column);
        CHECK_STATUS(lake__schema_compile(&s, &n, &err), LAKE_ESCHEMA, &err);
        CHECK_CONTAINS(err.message, "column name");
        check_plain(err.message); /* the tag it quotes is escaped */
        lake_error_clear(&err);
    }
    const lake_field fields[] = {LAKE_FIELD(row, a, "a", "")};
    lake_model m = LAKE_MODEL(row, "_LAKEORM_ingests", fields);
    lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake__schema_compile(&s, &m, &err), LAKE_ESCHEMA, &err);
    CHECK_CONTAINS(err.message, "reserved");
    lake_error_clear(&err);
}

/* A JSON string for the name: control characters as \u escapes, the rest as is. */
static void json_name(char *out, size_t cap, const char *name) {
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p && n + 7 < cap; p++) {
        if (*p < 0x20 || *p == '"' || *p == '\\') n += (size_t)snprintf(out + n, cap - n, "\\u%04x", *p);
        else out[n++] = (char)*p;
    }
    out[n] = 0;
}

static void schema_files_refuse_bad_names(void) {
    char json[512], name[200];
    for (size_t i = 0; i < HOSTILE; i++) {
        json_name(name, sizeof name, hostile[i]);
        for (int where = 0; where < 2; where++) {
            if (where == 0) snprintf(json, sizeof json, "{\"table\":\"%s\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\"}]}", name);
            else snprintf(json, sizeof json, "{\"table\":\"t\",\"fields\":[{\"tag\":\"%s\",\"type\":\"int32\"}]}", name);
            lake_schema *s = NULL;
            lake_error err = LAKE_ERROR_INIT;
            int rc = lake_schema_parse(&s, json, strlen(json), &err);
            if (rc != LAKE_ESCHEMA) LAKE_FAIL_AT("%s: rc %d for name %zu", where ? "column" : "table", rc, i);
            CHECK(s == NULL);
            check_plain(err.message);
            lake_error_clear(&err);
        }
    }
    static const char *const files[] = {
        "{\"table\":\"t\\u0000x\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\"}]}",
        "{\"table\":\"t\\u001b]0;owned\\u0007\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\"}]}",
        "{\"table\":\"_lakeorm_ingests\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\"}]}",
        "{\"table\":\"_LAKEORM_INGESTS\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\"}]}",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        lake_schema *s = NULL;
        lake_error err = LAKE_ERROR_INIT;
        CHECK_STATUS(lake_schema_parse(&s, files[i], strlen(files[i]), &err), LAKE_ESCHEMA, &err);
        check_plain(err.message);
        lake_error_clear(&err);
    }
    /* A raw NUL in the file ends neither the table name nor the parse. */
    static const char raw_nul[] = "{\"table\":\"t\0x\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\"}]}";
    lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(lake_schema_parse(&s, raw_nul, sizeof raw_nul - 1, &err), LAKE_ESCHEMA, &err);
    CHECK(s == NULL);
    lake_error_clear(&err);
}

static void schema_errors_escape_what_they_quote(void) {
    static const char *const files[] = {
        "{\"table\":\"t\",\"\\u001b]0;owned\\u0007\":1,\"fields\":[{\"tag\":\"a\",\"type\":\"int32\"}]}",
        "{\"table\":\"t\",\"fields\":[{\"tag\":\"a,\\u001b[2J\",\"type\":\"int32\"}]}",
        "{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"int\\n32\"}]}",
        "{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\",\"rules\":\"min=\\u0085\"}]}",
    };
    static const char *const shown[] = {"unknown key \"\\u001b]0;owned\\u0007\"", "unknown modifier \"\\u001b[2J\"",
                                        "unknown type \"int\\n32\"", "\\u0085"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        lake_schema *s = NULL;
        lake_error err = LAKE_ERROR_INIT;
        CHECK_STATUS(lake_schema_parse(&s, files[i], strlen(files[i]), &err), LAKE_ESCHEMA, &err);
        check_plain(err.message);
        CHECK_CONTAINS(err.message, shown[i]);
        lake_error_clear(&err);
    }
}

static void set_table_refuses_bad_names(void) {
    static const char file[] = "{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\"}]}";
    lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_parse(&s, file, strlen(file), &err), &err);
    for (size_t i = 0; i < HOSTILE; i++) {
        CHECK_STATUS(lake_schema_set_table(s, hostile[i], &err), LAKE_ESCHEMA, &err);
        check_plain(err.message);
        CHECK_EQ_STR(lake_schema_table(s), "t");
    }
    CHECK_STATUS(lake_schema_set_table(s, "_lakeorm_ingests", &err), LAKE_ESCHEMA, &err);
    CHECK_CONTAINS(err.message, "reserved");
    CHECK_STATUS(lake_schema_set_table(s, "_LakeOrm_Ingests", &err), LAKE_ESCHEMA, &err);
    CHECK_STATUS(lake_schema_set_table(s, "", &err), LAKE_ESCHEMA, &err);
    CHECK_OK(lake_schema_set_table(s, "events", &err), &err);
    CHECK_EQ_STR(lake_schema_table(s), "events");
    lake_schema_free(s);
    lake_error_clear(&err);
}

static void read_projections_cannot_write_in_any_case(void) {
    static const char *const spellings[] = {"_ingest_id", "_INGEST_ID", "_Ingest_Id"};
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
        char json[200];
        snprintf(json, sizeof json, "{\"table\":\"t\",\"fields\":[{\"tag\":\"a\",\"type\":\"int32\"},"
                                    "{\"tag\":\"%s\",\"type\":\"string\"}]}", spellings[i]);
        lake_schema *s = NULL;
        lake_error err = LAKE_ERROR_INIT;
        CHECK_OK(lake_schema_parse(&s, json, strlen(json), &err), &err); /* a projection may read it */
        CHECK_STATUS(lake__schema_check_writable(s, &err), LAKE_EINVAL, &err);
        CHECK_CONTAINS(err.message, "system column _ingest_id");
        lake_schema_free(s);
        lake_error_clear(&err);
    }
    static const char plain[] = "{\"table\":\"t\",\"fields\":[{\"tag\":\"ingest_id\",\"type\":\"string\"}]}";
    lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_parse(&s, plain, strlen(plain), &err), &err);
    CHECK_OK(lake__schema_check_writable(s, &err), &err);
    lake_schema_free(s);
}

int main(void) {
    LAKE_RUN(accepts_ordinary_names);
    LAKE_RUN(refuses_control_characters_and_bad_utf8_in_any_name);
    LAKE_RUN(reserves_the_lakeorm_prefix_for_tables_in_any_case);
    LAKE_RUN(c_models_refuse_bad_names);
    LAKE_RUN(schema_files_refuse_bad_names);
    LAKE_RUN(schema_errors_escape_what_they_quote);
    LAKE_RUN(set_table_refuses_bad_names);
    LAKE_RUN(read_projections_cannot_write_in_any_case);
    return lake_test_summary();
}
