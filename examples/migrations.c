/* SPDX-License-Identifier: MIT */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
/* migrations: goose migration files authored from model drift. Version 1 of a
 * model gets a CREATE TABLE file; version 2 (a declared rename, a new
 * nullable column) gets an ALTER file, nothing else; running generate again
 * over unchanged models writes nothing. lakeorm.sum records each file's hash,
 * so verify notices a file edited after review. The files are then run, as
 * goose would, on a DuckDB database, and assert_schema compares the live
 * table with each version of the model.
 * Usage: example_migrations [DIRECTORY] [DIALECT]
 *   (default: a new folder in $TMPDIR; dialect duckdb, iceberg or delta) */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

typedef struct account_v1 {
    int64_t  id;
    lake_str name;
    lake_str email;
} account_v1;
static const lake_field account_v1_fields[] = {
    LAKE_FIELD(account_v1, id, "id,pk", ""),
    LAKE_FIELD(account_v1, name, "name", "required"),
    LAKE_FIELD(account_v1, email, "email", "required,email"),
};
static const lake_model account_v1_model = LAKE_MODEL(account_v1, "accounts", account_v1_fields);

/* The same table later: "name" became "display_name", "plan" is new. */
typedef struct account_v2 {
    int64_t  id;
    lake_str display_name;
    lake_str email;
    lake_str plan;
} account_v2;
static const lake_field account_v2_fields[] = {
    LAKE_FIELD(account_v2, id, "id,pk", ""),
    LAKE_FIELD(account_v2, display_name, "display_name", "required"),
    LAKE_FIELD(account_v2, email, "email", "required,email"),
    LAKE_FIELD(account_v2, plan, "plan,nullable", "omitempty,oneof=free pro"),
};
static const lake_model account_v2_model = LAKE_MODEL(account_v2, "accounts", account_v2_fields);

static int by_name(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }
static int sql_file(const struct dirent *e) {
    size_t n = strlen(e->d_name);
    return n > 4 && !strcmp(e->d_name + n - 4, ".sql");
}

/* The Up section of a migration file into buf: what goose runs on "up". */
static bool up_section(const char *path, char *buf, size_t size) {
    FILE *f = fopen(path, "r");
    char line[1024];
    bool up = false;
    size_t n = 0;
    buf[0] = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "-- +goose Up", 12)) up = true;
        else if (!strncmp(line, "-- +goose Down", 14)) break;
        else if (up && n + strlen(line) < size) n += (size_t)snprintf(buf + n, size - n, "%s", line);
    }
    if (f) fclose(f);
    return up;
}

/* The folder's migration files, sorted: goose's order. Free with free_files. */
static int list_files(const char *dir, struct dirent ***files) { return scandir(dir, files, sql_file, by_name); }
static void free_files(struct dirent **files, int n) {
    for (int i = 0; i < n; i++) free(files[i]);
    if (n >= 0) free(files);
}

/* Prints the folder's files, and the statements of the newest with the lines
 * that flag a breaking one. */
static void show(const char *dir) {
    struct dirent **files;
    int n = list_files(dir, &files);
    for (int i = 0; i < n; i++) printf("  %s\n", files[i]->d_name);
    char path[4096 + 258], up[16384];
    if (n > 0 && (snprintf(path, sizeof path, "%s/%s", dir, files[n - 1]->d_name), up_section(path, up, sizeof up)))
        for (char *line = strtok(up, "\n"); line; line = strtok(NULL, "\n"))
            if (strncmp(line, "--", 2) || !strncmp(line, "-- DESTRUCTIVE:", 15)) printf("    | %s\n", line);
    free_files(files, n);
}

int main(int argc, char **argv) {
    char tmp[4096];
    const char *dir = argc > 1 ? argv[1] : NULL;
    if (!dir) {
        const char *t = getenv("TMPDIR");
        snprintf(tmp, sizeof tmp, "%s/lakeorm-migrations-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(tmp)) {
            perror("migrations: mkdtemp");
            return 1;
        }
        dir = tmp;
    }
    lake_error err = LAKE_ERROR_INIT;
    lake_client *client = NULL;
    struct dirent **files = NULL;
    int n = -1;
    const lake_schema *v1, *v2;
    if (lake_schema_of(&v1, &account_v1_model, &err) || lake_schema_of(&v2, &account_v2_model, &err)) goto fail;

    lake_migrate_options o = LAKE_MIGRATE_OPTIONS_INIT;
    o.dialect = argc > 2 ? argv[2] : "duckdb";
    o.now_unix_seconds = 1735732800; /* file names from a fixed time, so runs compare */
    size_t written;
    if (lake_migrate_generate(dir, &v1, 1, &o, &written, &err)) goto fail;
    printf("version 1: %zu file in %s\n", written, dir);
    show(dir);

    /* A rename is declared, never guessed from a drop and an add. */
    const lake_rename rename = {"accounts", "name", "display_name"};
    o.renames = &rename;
    o.rename_count = 1;
    o.now_unix_seconds += 86400;
    if (lake_migrate_generate(dir, &v2, 1, &o, &written, &err)) goto fail;
    printf("version 2: %zu file\n", written);
    show(dir);
    /* Once its file exists the rename is history: the next run's prior state
     * already has the new name (declaring it again is LAKE_EINVAL). */
    o.renames = NULL;
    o.rename_count = 0;
    o.now_unix_seconds += 86400;
    if (lake_migrate_generate(dir, &v2, 1, &o, &written, &err)) goto fail;
    printf("again, no drift: %zu files\n", written);

    if (lake_migrate_verify(dir, &err)) goto fail;
    printf("verify: every file matches lakeorm.sum\n");
    n = list_files(dir, &files);
    char path[4096 + 258];
    if (n > 0) {
        snprintf(path, sizeof path, "%s/%s", dir, files[0]->d_name);
        FILE *f = fopen(path, "a");
        if (f) {
            fputs("-- an edit after review\n", f);
            fclose(f);
        }
    }
    if (lake_migrate_verify(dir, &err) != LAKE_EMISMATCH) {
        fprintf(stderr, "migrations: verify missed an edited file\n");
        goto fail;
    }
    const lake_issue *edited = lake_issues_get(err.issues, 0);
    printf("verify after an edit: %s %s\n", edited->column, edited->rule);
    lake_error_clear(&err);

    /* What the runner (goose up) does, by hand: each file's Up section in
     * order, each followed by a check of the live table against its model. */
    if (strcmp(o.dialect, "duckdb")) {
        printf("(the files are for %s: run them with goose on that engine)\n", o.dialect);
        free_files(files, n);
        return 0;
    }
    if (lake_client_open(&client, NULL, &err)) goto fail;
    const lake_schema *models[] = {v1, v2};
    for (int i = 0; i < n && i < 2; i++) {
        char up[16384];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]->d_name);
        if (!up_section(path, up, sizeof up) || lake_client_exec(client, up, NULL, 0, NULL, &err) ||
            lake_client_assert_schema(client, &models[i], 1, &err))
            goto fail;
        printf("up %s: the live table matches version %d\n", files[i]->d_name, i + 1);
    }
    free_files(files, n);
    lake_client_close(client);
    return 0;
fail:
    free_files(files, n);
    fprintf(stderr, "migrations: %s\n", err.message);
    lake_error_clear(&err);
    lake_client_close(client);
    return 1;
}
