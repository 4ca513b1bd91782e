/* SPDX-License-Identifier: MIT */
/* Authoring migrations: one goose file per changed table, and the manifest. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "error/error.h"
#include "migrate/diff.h"
#include "migrate/files.h"
#include "schema/name.h"
#include "util/alloc.h"
#include "util/escape.h"
#include "util/version.h"

static const char manifest_name[] = "lakeorm.sum";

/* The table name as a file name part: lowercase, runs of anything else one '_'. */
static void slug(const char *table, char *out, size_t cap) {
    size_t n = 0;
    bool gap = false;
    for (const char *p = table; *p && n + 2 < cap; p++) {
        if (isalnum((unsigned char)*p) && !(*p & 0x80)) {
            if (gap && n) out[n++] = '_';
            out[n++] = (char)tolower((unsigned char)*p);
            gap = false;
        } else {
            gap = true;
        }
    }
    if (!n) out[n++] = 't';
    out[n] = 0;
}

static void stamp(int64_t t, char out[16]) {
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 16, "%Y%m%d%H%M%S", &tm);
}

/* Goose orders migrations by the number in front: a new file must sort after
 * every file already there. */
static int64_t after_newest(const lake__names *files, int64_t now) {
    if (!files->count) return now;
    const char *newest = files->items[files->count - 1];
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (strlen(newest) < 14 || sscanf(newest, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                                      &tm.tm_min, &tm.tm_sec) != 6)
        return now;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    int64_t last = (int64_t)timegm(&tm);
    return last >= now ? last + 1 : now;
}

static const char evolution_note[] =
    "-- Every change below is paid for by every consumer of this table: the\n"
    "-- readers, dashboards and jobs that know its shape today. Prefer a new\n"
    "-- table or an added nullable column to a change in place; treat each\n"
    "-- DESTRUCTIVE line as a reason to rethink the model before merging.\n";

static int render(lake__buf *b, const lake__diff *d, const char *dialect) {
    lake_dialect id = 0;
    const lake__dialect *dl = lake_dialect_parse(dialect, &id) ? NULL : lake__dialect_of(id);
    return dl ? dl->render_changes(b, d) : -1;
}

static int write_migration(const char *dir, const char *name, const lake_schema *target, const lake__diff *diff,
                           const char *dialect, int64_t when, lake_error *err) {
    lake__diff down;
    if (lake__diff_invert(&down, diff)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    char *state = NULL;
    size_t state_len = 0;
    int rc = lake_schema_to_json(target, &state, &state_len) ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
    lake__buf up_sql = LAKE__BUF_INIT, down_sql = LAKE__BUF_INIT, file = LAKE__BUF_INIT;
    if (!rc && (render(&up_sql, diff, dialect) || render(&down_sql, &down, dialect)))
        rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!rc) {
        time_t t = (time_t)when;
        struct tm tm;
        char at[32];
        gmtime_r(&t, &tm);
        strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
        const char *table = lake_schema_table(target);
        lake__buf_puts(&file, "-- lakeorm migration of table ");
        lake__escape_controls(&file, table, strlen(table));
        lake__buf_printf(&file, ", generated %s\n-- dialect: %s\n", at, dialect);
        lake__buf_puts(&file, "-- The state below is the table after this migration; lakeorm diffs the model with it.\n");
        lake__buf_puts(&file, LAKE__STATE_BEGIN "\n");
        for (const char *line = state; *line;) {
            const char *end = strchr(line, '\n');
            size_t len = end ? (size_t)(end - line) : strlen(line);
            lake__buf_puts(&file, "-- ");
            lake__buf_put(&file, line, len);
            lake__buf_putc(&file, '\n');
            if (!end) break;
            line = end + 1;
        }
        lake__buf_puts(&file, LAKE__STATE_END "\n\n-- +goose Up\n");
        lake__buf_puts(&file, evolution_note);
        lake__buf_putc(&file, '\n');
        lake__buf_put(&file, up_sql.data ? up_sql.data : "", up_sql.len);
        lake__buf_puts(&file, "\n-- +goose Down\n");
        lake__buf_put(&file, down_sql.data ? down_sql.data : "", down_sql.len);
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, name);
        rc = file.failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : lake__write_file(path, file.data, file.len, err);
    }
    lake__free(state);
    lake__buf_dispose(&up_sql);
    lake__buf_dispose(&down_sql);
    lake__buf_dispose(&file);
    lake__diff_dispose(&down);
    return rc;
}

/* lakeorm.sum: "h1:<hash of the lines below>", then "<file> h1:<hash of the file>" per .sql file. */
static int write_manifest(const char *dir, lake_error *err) {
    lake__names files;
    int rc = lake__list_sql(dir, &files, err);
    if (rc) return rc;
    lake__buf body = LAKE__BUF_INIT, all = LAKE__BUF_INIT;
    for (size_t i = 0; !rc && i < files.count; i++) {
        char path[4200], *text, h[48];
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, files.items[i]);
        if ((rc = lake__read_file(path, &text, &len, err))) break;
        lake__h1(text, len, h);
        lake__free(text);
        lake__buf_printf(&body, "%s %s\n", files.items[i], h);
    }
    if (!rc) {
        char h[48], path[4200];
        lake__h1(body.data ? body.data : "", body.len, h);
        lake__buf_printf(&all, "%s\n", h);
        lake__buf_put(&all, body.data ? body.data : "", body.len);
        snprintf(path, sizeof path, "%s/%s", dir, manifest_name);
        rc = all.failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : lake__write_file(path, all.data, all.len, err);
    }
    lake__buf_dispose(&body);
    lake__buf_dispose(&all);
    lake__names_free(&files);
    return rc;
}

int lake_migrate_generate(const char *dir, const lake_schema *const *schemas, size_t count,
                          const lake_migrate_options *opts, size_t *written, lake_error *err) {
    if (written) *written = 0;
    if (!dir || (!schemas && count)) return lake__error(err, LAKE_EINVAL, "lake_migrate_generate: dir and schemas are required");
    lake_migrate_options o = LAKE_MIGRATE_OPTIONS_INIT;
    if (opts) {
        int rc = LAKE__VERSION_CHECK(opts, lake_migrate_options, LAKE_MIGRATE_OPTIONS, err);
        if (rc) return rc;
        o = *opts;
    }
    if (o.rename_count && !o.renames) return lake__error(err, LAKE_EINVAL, "lake_migrate_options.renames is NULL");
    for (size_t i = 0; i < o.rename_count; i++) {
        const lake_rename *r = &o.renames[i];
        char why[300];
        /* The names reach messages and migration files: checked as a model's names are. */
        if (!r->table || !r->from || !r->to)
            return lake__error(err, LAKE_EINVAL, "rename %zu: table, from and to are required", i + 1);
        if (lake__name_check(r->table, strlen(r->table), LAKE__NAME_TABLE, why, sizeof why) ||
            lake__name_check(r->from, strlen(r->from), LAKE__NAME_COLUMN, why, sizeof why) ||
            lake__name_check(r->to, strlen(r->to), LAKE__NAME_COLUMN, why, sizeof why))
            return lake__error(err, LAKE_EINVAL, "rename %zu: %s", i + 1, why);
    }
    const char *dialect = o.dialect ? o.dialect : "duckdb";
    if (lake_dialect_parse(dialect, NULL))
        return lake__error(err, LAKE_EINVAL, "unknown dialect \"%s\": use duckdb, iceberg or delta", dialect);
    for (size_t i = 0; i < count; i++) {
        if (!schemas[i]) return lake__error(err, LAKE_EINVAL, "schema %zu is NULL", i);
        int rc = lake__schema_check_writable(schemas[i], err);
        if (rc) return rc;
        for (size_t k = 0; k < i; k++)
            /* Engines fold identifier case: Users and users are one table. */
            if (!strcasecmp(lake_schema_table(schemas[i]), lake_schema_table(schemas[k])))
                return lake__error(err, LAKE_EINVAL, "two models for table %s", lake_schema_table(schemas[i]));
    }
    if (mkdir(dir, 0755) && errno != EEXIST) return lake__error(err, LAKE_EIO, "cannot create %s: %s", dir, strerror(errno));
    lake__names files;
    int rc = lake__list_sql(dir, &files, err);
    if (rc) return rc;
    int64_t when = after_newest(&files, o.now_unix_seconds ? o.now_unix_seconds : (int64_t)time(NULL));
    size_t n = 0;
    for (size_t i = 0; !rc && i < count; i++) {
        lake_schema *prior = NULL;
        lake__diff diff;
        memset(&diff, 0, sizeof diff);
        rc = lake__prior_state(dir, &files, lake_schema_table(schemas[i]), &prior, NULL, 0, err);
        if (!rc) rc = lake__diff_compute(&diff, prior, schemas[i], o.renames, o.rename_count, err);
        if (!rc && diff.count) { /* no drift, no file */
            char name[300], ts[16], s[200];
            stamp(when, ts);
            slug(lake_schema_table(schemas[i]), s, sizeof s);
            snprintf(name, sizeof name, "%s_%s.sql", ts, s);
            rc = write_migration(dir, name, schemas[i], &diff, dialect, when, err);
            if (!rc) {
                n++;
                when++; /* one version per file */
            }
        }
        lake__diff_dispose(&diff);
        lake_schema_free(prior);
    }
    lake__names_free(&files);
    if (!rc) rc = write_manifest(dir, err);
    if (written) *written = n;
    return rc;
}

int lake_migrate_verify(const char *dir, lake_error *err) {
    if (!dir) return lake__error(err, LAKE_EINVAL, "lake_migrate_verify: dir is NULL");
    char path[4200], *manifest;
    size_t len;
    snprintf(path, sizeof path, "%s/%s", dir, manifest_name);
    int rc = lake__read_file(path, &manifest, &len, err);
    if (rc) return rc;
    lake__names files;
    if ((rc = lake__list_sql(dir, &files, err))) {
        lake__free(manifest);
        return rc;
    }
    lake_issues *issues;
    if (lake__issues_new(&issues)) {
        lake__free(manifest);
        lake__names_free(&files);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    bool *listed = lake__calloc(files.count ? files.count : 1, sizeof *listed);
    bool oom = listed == NULL;
    char *body = strchr(manifest, '\n');
    char h[48];
    lake__h1(body ? body + 1 : "", body ? len - (size_t)(body + 1 - manifest) : 0, h);
    if (!body || (size_t)(body - manifest) != strlen(h) || strncmp(manifest, h, strlen(h)))
        lake__issues_add(issues, 0, "", manifest_name, "edited", "", "%s was edited: its own hash does not match", manifest_name);
    size_t line_no = 1;
    for (char *line = body ? body + 1 : NULL, *next; !rc && line && *line; line = next, line_no++) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        char *space = strrchr(line, ' ');
        if (!space) {
            lake__issues_add(issues, line_no, "", manifest_name, "edited", "", "line %zu of %s is malformed", line_no + 1,
                             manifest_name);
            continue;
        }
        *space = 0;
        size_t k = 0;
        while (k < files.count && strcmp(files.items[k], line)) k++;
        if (k == files.count) {
            lake__issues_add(issues, line_no, "", line, "missing", "", "%s is listed in %s but missing", line, manifest_name);
            continue;
        }
        if (listed) listed[k] = true;
        char *text, fh[48];
        size_t flen;
        snprintf(path, sizeof path, "%s/%s", dir, line);
        if ((rc = lake__read_file(path, &text, &flen, err))) break;
        lake__h1(text, flen, fh);
        lake__free(text);
        if (strcmp(fh, space + 1))
            lake__issues_add(issues, line_no, "", line, "edited", "", "%s was edited after it was generated", line);
    }
    for (size_t k = 0; !rc && listed && k < files.count; k++)
        if (!listed[k])
            lake__issues_add(issues, 0, "", files.items[k], "unlisted", "", "%s is not in %s: generate or hand-write "
                             "it, then regenerate the manifest", files.items[k], manifest_name);
    lake__free(listed);
    lake__free(manifest);
    lake__names_free(&files);
    if (rc || oom) {
        lake__issues_free(issues);
        return rc ? rc : lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    if (!lake_issues_count(issues)) {
        lake__issues_free(issues);
        return LAKE_OK;
    }
    rc = lake__error_issues(err, issues, "the migrations differ from lakeorm.sum");
    if (err) err->code = LAKE_EMISMATCH;
    return LAKE_EMISMATCH;
}
