/* SPDX-License-Identifier: MIT */
/* lakeorm migrate create|generate|verify|assert: tables from schema files,
 * migration files from drift, manifest checks, live-table checks. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { MAX_SCHEMAS = 64, MAX_RENAMES = 64 };

typedef struct args {
    connect_args conn;
    const char *dir, *dialect;
    const char *schemas[MAX_SCHEMAS];
    int schema_count;
    lake_rename renames[MAX_RENAMES];
    char rename_text[MAX_RENAMES][512];
    int rename_count;
    int json;
} args;

/* "table.from=to" */
static int parse_rename(args *a, const char *text) {
    if (a->rename_count == MAX_RENAMES) return -1;
    char *s = a->rename_text[a->rename_count];
    snprintf(s, sizeof a->rename_text[0], "%s", text);
    char *eq = strchr(s, '='), *dot = eq ? memchr(s, '.', (size_t)(eq - s)) : NULL;
    if (!eq || !dot) {
        fputs("lakeorm migrate: --rename ", stderr);
        term_puts(stderr, text);
        fputs(": write it table.old_column=new_column\n", stderr);
        return -1;
    }
    /* The last dot before '=' splits the table (which may hold dots) from the column. */
    for (char *p = dot; p < eq; p++)
        if (*p == '.') dot = p;
    *dot = *eq = 0;
    a->renames[a->rename_count++] = (lake_rename){s, dot + 1, eq + 1};
    return 0;
}

static int parse(args *a, int argc, char **argv) {
    memset(a, 0, sizeof *a);
    for (int i = 2; i < argc; i++) {
        int c = connect_flag(&a->conn, argc, argv, &i);
        if (c < 0) return -1;
        if (c) continue;
        const char *flag = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(flag, "--json")) {
            a->json = 1;
            continue;
        }
        if (!value) {
            fputs("lakeorm migrate: ", stderr);
            term_puts(stderr, flag);
            fputs(" needs a value\n", stderr);
            return -1;
        }
        i++;
        if (!strcmp(flag, "--schema") && a->schema_count < MAX_SCHEMAS) a->schemas[a->schema_count++] = value;
        else if (!strcmp(flag, "--dir")) a->dir = value;
        else if (!strcmp(flag, "--dialect")) a->dialect = value;
        else if (!strcmp(flag, "--rename")) {
            if (parse_rename(a, value)) return -1;
        } else {
            fputs("lakeorm migrate: unexpected ", stderr);
            term_puts(stderr, flag);
            fputs(" (see lakeorm help migrate)\n", stderr);
            return -1;
        }
    }
    return 0;
}

static int load(const args *a, lake_schema **out) {
    lake_error err = LAKE_ERROR_INIT;
    for (int i = 0; i < a->schema_count; i++)
        if (lake_schema_load(&out[i], a->schemas[i], &err)) {
            term_error("lakeorm migrate", err.message);
            lake_error_clear(&err);
            return CLI_USAGE;
        }
    return CLI_OK;
}

static void print_issues(const lake_error *err, int json) {
    if (json) {
        char *text;
        size_t len;
        if (!lake_issues_to_json(err->issues, 0, lake_issues_count(err->issues), &text, &len)) {
            printf("%s\n", text);
            lake_free(text);
        }
        return;
    }
    for (size_t i = 0; i < lake_issues_count(err->issues); i++) {
        const lake_issue *it = lake_issues_get(err->issues, i);
        /* Columns and messages name files and columns as found: escaped. */
        term_puts(stdout, *it->column ? it->column : "-");
        printf(" [%s] ", it->rule);
        term_puts(stdout, it->message);
        putchar('\n');
    }
}

int cmd_migrate(int argc, char **argv) {
    const char *sub = argc > 1 ? argv[1] : "";
    args a;
    if (strcmp(sub, "create") && strcmp(sub, "generate") && strcmp(sub, "verify") && strcmp(sub, "assert")) {
        fprintf(stderr, "usage: lakeorm migrate create|generate|verify|assert ... (see lakeorm help migrate)\n");
        return CLI_USAGE;
    }
    if (parse(&a, argc, argv)) return CLI_USAGE;
    bool needs_schemas = strcmp(sub, "verify") != 0, needs_dir = !strcmp(sub, "generate") || !strcmp(sub, "verify");
    char schema_file[PATH_MAX];
    const char *profile_schema = NULL;
    if (needs_schemas && !a.schema_count) { /* the profile's schema_file */
        int status = connect_schema(&a.conn, "lakeorm migrate", NULL, &profile_schema, schema_file, sizeof schema_file);
        if (status) return status;
        if (profile_schema) a.schemas[a.schema_count++] = profile_schema;
    }
    if ((needs_schemas && !a.schema_count) || (needs_dir && !a.dir)) {
        fprintf(stderr, "lakeorm migrate %s: %s\n", sub, needs_dir && !a.dir ? "--dir DIR is required" : "give at least one --schema FILE");
        return CLI_USAGE;
    }
    lake_schema *schemas[MAX_SCHEMAS] = {0};
    lake_client *client = NULL;
    lake_error err = LAKE_ERROR_INIT;
    int status = load(&a, schemas);
    if (!status && !strcmp(sub, "generate")) {
        lake_migrate_options o = LAKE_MIGRATE_OPTIONS_INIT;
        o.dialect = a.dialect;
        o.renames = a.renames;
        o.rename_count = (size_t)a.rename_count;
        size_t written = 0;
        if (lake_migrate_generate(a.dir, (const lake_schema *const *)schemas, (size_t)a.schema_count, &o, &written, &err)) {
            term_error("lakeorm migrate generate", err.message);
            status = err.code == LAKE_EIO ? CLI_FAILED : CLI_USAGE;
        } else {
            /* One literal format per message: the compiler checks the arguments of each. */
            if (written) printf("%zu migration file%s written to ", written, written == 1 ? "" : "s");
            else fputs("no drift: nothing written, lakeorm.sum in ", stdout);
            term_puts(stdout, a.dir);
            puts(written ? ", lakeorm.sum updated" : " checked");
        }
    } else if (!status && !strcmp(sub, "verify")) {
        int rc = lake_migrate_verify(a.dir, &err);
        if (rc == LAKE_EMISMATCH) {
            print_issues(&err, a.json);
            status = CLI_REJECTED;
        } else if (rc) {
            term_error("lakeorm migrate verify", err.message);
            status = rc == LAKE_ENOTFOUND ? CLI_USAGE : CLI_FAILED;
        } else {
            fputs("every migration in ", stdout);
            term_puts(stdout, a.dir);
            puts(" matches lakeorm.sum");
        }
    } else if (!status && !(status = connect_open(&a.conn, &client))) {
        const lake_schema *const *list = (const lake_schema *const *)schemas;
        if (!strcmp(sub, "create")) {
            /* A rename of a table no schema names would be skipped without a word: a typo. */
            for (int k = 0; k < a.rename_count && !status; k++) {
                bool named = false;
                for (int i = 0; i < a.schema_count && !named; i++)
                    named = !strcmp(a.renames[k].table, lake_schema_table(list[i]));
                if (named) continue;
                fputs("lakeorm migrate create: --rename names table ", stderr);
                term_puts(stderr, a.renames[k].table);
                fputs(", which no --schema file defines\n", stderr);
                status = CLI_USAGE;
            }
            lake_migrate_options o = LAKE_MIGRATE_OPTIONS_INIT;
            o.renames = a.renames;
            o.rename_count = (size_t)a.rename_count;
            for (int i = 0; i < a.schema_count && !status; i++) {
                if (lake_client_migrate_with(client, list[i], &o, &err)) {
                    fputs("lakeorm migrate create: ", stderr);
                    term_puts(stderr, lake_schema_table(list[i]));
                    fputs(": ", stderr);
                    term_puts(stderr, err.message);
                    fputc('\n', stderr);
                    /* LAKE_EINVAL: the model cannot define a table (it reads _ingest_id), or a
                       declared rename does not apply. */
                    status = err.code == LAKE_EINVAL ? CLI_USAGE : CLI_FAILED;
                } else {
                    term_puts(stdout, lake_schema_table(list[i]));
                    puts(": ready");
                }
            }
        } else {
            int rc = lake_client_assert_schema(client, list, (size_t)a.schema_count, &err);
            if (rc == LAKE_EMISMATCH) {
                print_issues(&err, a.json);
                status = CLI_REJECTED;
            } else if (rc) {
                term_error("lakeorm migrate assert", err.message);
                status = CLI_FAILED;
            } else {
                printf("every table matches its model\n");
            }
        }
    }
    lake_client_close(client);
    for (int i = 0; i < a.schema_count; i++) lake_schema_free(schemas[i]);
    lake_error_clear(&err);
    return status;
}
