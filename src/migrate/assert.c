/* SPDX-License-Identifier: MIT */
/* Comparing live tables with models, from the engine's own catalog. Types
 * are compared as the engine prints them: each model type is cast through
 * the engine once, so spellings (TIMESTAMPTZ, TIMESTAMP WITH TIME ZONE) agree. */
#include <stdio.h>
#include <string.h>

#include <lakeorm/migrate.h>

#include "client/client.h"
#include "error/error.h"
#include "migrate/type_text.h"
#include "schema/schema.h"
#include "util/alloc.h"

/* How the engine prints a model column's type: each model type is cast
 * through the engine once, so spellings agree with its catalog. */
static int engine_type_name(lake_client *c, lake__session *s, const lake_column *col, char *out, size_t cap,
                            lake_error *err) {
    lake__buf sql = LAKE__BUF_INIT;
    int rc;
    if (c->format) { /* the table format's spelling, which its columns use */
        rc = c->format->type_name(col, &sql) || lake__buf_putc(&sql, 0) ? lake__error(err, LAKE_ENOMEM, "out of memory")
                                                                        : LAKE_OK;
        if (!rc) snprintf(out, cap, "%s", sql.data);
    } else {
        c->dialect->type_probe(&sql, col);
        rc = lake__session_text(c, s, &sql, NULL, 0, false, out, cap, err);
    }
    lake__buf_dispose(&sql);
    return rc;
}

static int live_columns(lake_client *c, lake__session *s, const char *table, lake__live_column **out, size_t *n,
                        lake_error *err) {
    return c->format ? c->format->columns(c->format_impl, table, out, n, err) : c->ops->columns(s, table, out, n, err);
}

/* A type difference, named by its path inside the column when it is nested. */
static void type_issue(lake_issues *issues, size_t index, const char *path, const char *name, const char *want,
                       const char *have) {
    lake__type_difference at;
    int differs = lake__type_text_compare(want, have, &at);
    if (differs < 0) differs = strcmp(want, have) != 0, at.path[0] = 0; /* not a type text it reads: whole */
    if (!differs) return;
    if (!at.path[0])
        lake__issues_add(issues, index, path, name, "type", want, "column %s is %s, the model says %s", name, have, want);
    else
        lake__issues_add(issues, index, path, name, "type", want, "column %s differs at %s%s: %s", name, name, at.path,
                         at.what);
}

static int compare(lake_client *client, lake__session *con, size_t index, const lake_schema *s, lake_issues *issues,
                   lake_error *err) {
    const char *table = lake_schema_table(s);
    lake__live_column *live;
    size_t n;
    int rc = live_columns(client, con, table, &live, &n, err);
    if (rc) return rc;
    if (!n) {
        lake__issues_add(issues, index, "", "", "missing_table", table, "table %s does not exist", table);
        lake__free(live);
        return LAKE_OK;
    }
    bool *seen = lake__calloc(n, sizeof *seen);
    if (!seen) {
        lake__free(live);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    /* The system column, as the dialect writes it: text. */
    const lake_column ingest_id = {.name = "_ingest_id", .type = LAKE_STRING, .nullable = true};
    size_t columns = lake_schema_column_count(s);
    for (size_t i = 0; !rc && i <= columns; i++) {
        const lake_column *c = i < columns ? lake_schema_column(s, i) : NULL;
        const char *name = c ? c->name : "_ingest_id";
        char path[300];
        snprintf(path, sizeof path, "/%s", name);
        lake__live_column *l = NULL;
        for (size_t k = 0; k < n && !l; k++)
            if (!strcmp(live[k].name, name)) l = &live[k];
        if (!l) {
            lake__issues_add(issues, index, path, name, "missing_column", "", "table %s has no column %s", table, name);
            continue;
        }
        seen[l - live] = true;
        char want[sizeof l->type];
        if ((rc = engine_type_name(client, con, c ? c : &ingest_id, want, sizeof want, err))) break;
        type_issue(issues, index, path, name, want, l->type);
        bool nullable = c ? c->nullable : true;
        if (l->nullable >= 0 && nullable != (l->nullable == 1))
            lake__issues_add(issues, index, path, name, "nullable", nullable ? "NULL" : "NOT NULL",
                             "column %s is %s, the model says %s", name, l->nullable ? "nullable" : "NOT NULL",
                             nullable ? "nullable" : "NOT NULL");
        bool key = c && c->primary_key;
        if (l->key >= 0 && key != (l->key == 1))
            lake__issues_add(issues, index, path, name, "primary_key", key ? "pk" : "", "column %s is %sin the primary key, "
                             "the model says it is %s", name, l->key ? "" : "not ", key ? "in it" : "not");
    }
    for (size_t k = 0; !rc && k < n; k++)
        if (!seen[k])
            lake__issues_add(issues, index, "", live[k].name, "extra_column", "", "table %s has column %s, which the model "
                             "does not", table, live[k].name);
    lake__free(seen);
    lake__free(live);
    return rc;
}

int lake_client_assert_schema(lake_client *c, const lake_schema *const *schemas, size_t count, lake_error *err) {
    if (!c || (!schemas && count)) return lake__error(err, LAKE_EINVAL, "lake_client_assert_schema: client and schemas are required");
    lake_issues *issues;
    if (lake__issues_new(&issues)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__session *con;
    int rc = lake__session_get(c, &con, err);
    for (size_t i = 0; !rc && i < count; i++) rc = compare(c, con, i, schemas[i], issues, err);
    if (con) lake__session_put(c, con, false);
    if (rc || !lake_issues_count(issues)) {
        lake__issues_free(issues);
        return lake__metric_error(c, rc);
    }
    lake__error_issues(err, issues, "the tables differ from the models");
    if (err) err->code = LAKE_EMISMATCH;
    return lake__metric_error(c, LAKE_EMISMATCH);
}
