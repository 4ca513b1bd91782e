/* SPDX-License-Identifier: MIT */
/* Comparing live tables with models, from the engine's own catalog. Types
 * are compared as the engine prints them: each model type is cast through
 * the engine once, so spellings (TIMESTAMPTZ, TIMESTAMP WITH TIME ZONE) agree. */
#include <stdio.h>
#include <string.h>

#include <lakeorm/migrate.h>

#include "client/client.h"
#include "dialects/dialect.h"
#include "drivers/duckdb/connection.h"
#include "error/error.h"
#include "util/alloc.h"

typedef struct live_column {
    char name[256], type[512];
    bool nullable, key;
    bool seen;
} live_column;

static int engine_type_name(lake__duckdb *con, const lake_column *c, char *out, size_t cap, lake_error *err) {
    lake__buf sql = LAKE__BUF_INIT;
    int rc = lake__dialect_duckdb.type_probe(&sql, c) ? lake__error(err, LAKE_ENOMEM, "out of memory")
                                                      : lake__duckdb_query_text(con, sql.data, NULL, 0, out, cap, err);
    lake__buf_dispose(&sql);
    return rc;
}

/* The table's columns, in order, with nullability and primary-key membership. */
static int live_columns(lake__duckdb *con, const char *table, live_column **out, size_t *count, lake_error *err) {
    *out = NULL;
    *count = 0;
    duckdb_prepared_statement stmt;
    lake__buf sql = LAKE__BUF_INIT;
    if (lake__dialect_duckdb.describe(&sql, table)) {
        lake__buf_dispose(&sql);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    bool prepared = duckdb_prepare(con->con, sql.data, &stmt) != DuckDBError;
    lake__buf_dispose(&sql);
    if (!prepared) {
        int rc = lake__error(err, LAKE_EREMOTE, "duckdb: %s", duckdb_prepare_error(stmt));
        duckdb_destroy_prepare(&stmt);
        return rc;
    }
    duckdb_bind_varchar(stmt, 1, table);
    duckdb_bind_varchar(stmt, 2, table);
    duckdb_result res;
    int rc = LAKE_OK;
    if (duckdb_execute_prepared(stmt, &res) == DuckDBError) {
        rc = lake__error(err, LAKE_EREMOTE, "duckdb: %s", duckdb_result_error(&res));
    } else {
        idx_t n = duckdb_row_count(&res);
        live_column *cols = lake__calloc(n ? n : 1, sizeof *cols);
        if (!cols) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        for (idx_t r = 0; !rc && r < n; r++) {
            char *name = duckdb_value_varchar(&res, 0, r), *type = duckdb_value_varchar(&res, 1, r);
            snprintf(cols[r].name, sizeof cols[r].name, "%s", name ? name : "");
            snprintf(cols[r].type, sizeof cols[r].type, "%s", type ? type : "");
            duckdb_free(name);
            duckdb_free(type);
            cols[r].nullable = duckdb_value_boolean(&res, 2, r);
            cols[r].key = duckdb_value_boolean(&res, 3, r);
        }
        if (rc) lake__free(cols);
        else *out = cols, *count = n;
    }
    duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&stmt);
    return rc;
}

static int compare(lake__duckdb *con, size_t index, const lake_schema *s, lake_issues *issues, lake_error *err) {
    const char *table = lake_schema_table(s);
    live_column *live;
    size_t n;
    int rc = live_columns(con, table, &live, &n, err);
    if (rc) return rc;
    if (!n) {
        lake__issues_add(issues, index, "", "", "missing_table", table, "table %s does not exist", table);
        lake__free(live);
        return LAKE_OK;
    }
    size_t columns = lake_schema_column_count(s);
    for (size_t i = 0; !rc && i <= columns; i++) {
        const lake_column *c = i < columns ? lake_schema_column(s, i) : NULL;
        const char *name = c ? c->name : "_ingest_id";
        char path[300];
        snprintf(path, sizeof path, "/%s", name);
        live_column *l = NULL;
        for (size_t k = 0; k < n && !l; k++)
            if (!strcmp(live[k].name, name)) l = &live[k];
        if (!l) {
            lake__issues_add(issues, index, path, name, "missing_column", "", "table %s has no column %s", table, name);
            continue;
        }
        l->seen = true;
        char want[512] = "VARCHAR";
        if (c && (rc = engine_type_name(con, c, want, sizeof want, err))) break;
        if (strcmp(want, l->type))
            lake__issues_add(issues, index, path, name, "type", want, "column %s is %s, the model says %s", name, l->type, want);
        bool nullable = c ? c->nullable : true;
        if (nullable != l->nullable)
            lake__issues_add(issues, index, path, name, "nullable", nullable ? "NULL" : "NOT NULL",
                             "column %s is %s, the model says %s", name, l->nullable ? "nullable" : "NOT NULL",
                             nullable ? "nullable" : "NOT NULL");
        bool key = c && c->primary_key;
        if (key != l->key)
            lake__issues_add(issues, index, path, name, "primary_key", key ? "pk" : "", "column %s is %sin the primary key, "
                             "the model says it is %s", name, l->key ? "" : "not ", key ? "in it" : "not");
    }
    for (size_t k = 0; !rc && k < n; k++)
        if (!live[k].seen)
            lake__issues_add(issues, index, "", live[k].name, "extra_column", "", "table %s has column %s, which the model "
                             "does not", table, live[k].name);
    lake__free(live);
    return rc;
}

int lake_client_assert_schema(lake_client *c, const lake_schema *const *schemas, size_t count, lake_error *err) {
    if (!c || (!schemas && count)) return lake__error(err, LAKE_EINVAL, "lake_client_assert_schema: client and schemas are required");
    lake_issues *issues;
    if (lake__issues_new(&issues)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__duckdb con;
    int rc = lake__session_get(c, &con, err);
    bool have = rc == LAKE_OK;
    for (size_t i = 0; !rc && i < count; i++) rc = compare(&con, i, schemas[i], issues, err);
    if (have) lake__session_put(c, &con, false);
    if (rc || !lake_issues_count(issues)) {
        lake__issues_free(issues);
        return lake__metric_error(c, rc);
    }
    lake__error_issues(err, issues, "the tables differ from the models");
    if (err) err->code = LAKE_EMISMATCH;
    return lake__metric_error(c, LAKE_EMISMATCH);
}
