/* SPDX-License-Identifier: MIT */
/* lake_client_migrate and lake_client_migrate_with: a table created, or
 * brought forward natively (declared renames; a format's added and widened
 * columns). A table format does it all in its own commit (formats/format.h,
 * create); an engine's table is renamed with the dialect's ALTER statements
 * (dialects/changes.h, the one builder migration files use too) before its
 * CREATE TABLE IF NOT EXISTS. */
#include <string.h>

#include <lakeorm/migrate.h>

#include "client/client.h"
#include "dialects/changes.h"
#include "error/error.h"
#include "migrate/renames.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/version.h"

typedef struct live {
    const lake__live_column *cols;
    size_t count;
} live;

static bool has_column(void *ctx, const char *name) {
    const live *l = ctx;
    for (size_t i = 0; i < l->count; i++)
        if (!strcmp(l->cols[i].name, name)) return true;
    return false;
}

/* ALTER TABLE ... RENAME COLUMN for each rename the live table still needs,
 * appended to sql (in a transaction where the dialect has one, so a failed
 * rename leaves none applied). */
static int engine_renames(lake_client *c, const lake_schema *s, const lake_rename *renames, size_t count, lake__buf *sql,
                          lake_error *err) {
    lake__session *session;
    int rc = lake__session_get(c, &session, err);
    if (rc) return rc;
    lake__live_column *cols = NULL;
    size_t n = 0, due_count = 0;
    rc = c->ops->columns(session, lake_schema_table(s), &cols, &n, err);
    lake__session_put(c, session, rc != LAKE_OK);
    const lake_rename **due = rc ? NULL : lake__calloc(count, sizeof *due);
    if (!rc && !due) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    /* No table: CREATE TABLE makes it with the model's names. */
    if (!rc && n) rc = lake__renames_due(s, renames, count, has_column, &(live){cols, n}, due, &due_count, err);
    if (!rc && due_count && c->dialect->begin) lake__buf_printf(sql, "%s;\n", c->dialect->begin);
    lake__diff d = {.before = s, .after = s};
    for (size_t i = 0; !rc && i < due_count; i++) {
        const lake_column from = {.name = due[i]->from};
        lake__change change = {.kind = LAKE__RENAME_COLUMN, .from = &from, .to = lake_schema_find(s, due[i]->to)};
        lake__render_statement(sql, &d, &change, c->dialect, NULL);
    }
    if (!rc && due_count && c->dialect->commit) lake__buf_printf(sql, "%s;\n", c->dialect->commit);
    lake__free(due);
    lake__free(cols);
    return rc;
}

static int migrate(lake_client *c, const lake_schema *schema, const lake_rename *renames, size_t count,
                   lake_error *err) {
    int rc = lake__client_writable(c, "create tables", err);
    if (!rc) rc = lake__schema_check_writable(schema, err);
    if (!rc) rc = lake__renames_check(schema, renames, count, err);
    if (rc) return rc;
    lake__buf sql = LAKE__BUF_INIT;
    if (c->format) {
        rc = lake__metric_error(c, c->format->create(c->format_impl, schema, renames, count, err));
    } else {
        if (count) rc = lake__metric_error(c, engine_renames(c, schema, renames, count, &sql, err));
        if (!rc && (c->dialect->create_table(&sql, schema, NULL) || sql.failed))
            rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        if (!rc) rc = lake_client_exec(c, sql.data, NULL, 0, NULL, err);
    }
    if (!rc) lake__log(c, LAKE_LOG_INFO, "migrate", LOG_TEXT("table", lake_schema_table(schema)), NULL);
    lake__buf_dispose(&sql);
    return rc;
}

int lake_client_migrate(lake_client *c, const lake_schema *schema, lake_error *err) {
    if (!c || !schema) return lake__error(err, LAKE_EINVAL, "lake_client_migrate: client and schema are required");
    return migrate(c, schema, NULL, 0, err);
}

int lake_client_migrate_with(lake_client *c, const lake_schema *schema, const lake_migrate_options *opts,
                             lake_error *err) {
    if (!c || !schema) return lake__error(err, LAKE_EINVAL, "lake_client_migrate_with: client and schema are required");
    if (!opts) return migrate(c, schema, NULL, 0, err);
    int rc = LAKE__VERSION_CHECK(opts, lake_migrate_options, LAKE_MIGRATE_OPTIONS, err);
    return rc ? rc : migrate(c, schema, opts->renames, opts->rename_count, err);
}
