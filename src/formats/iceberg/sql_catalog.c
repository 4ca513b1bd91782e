/* SPDX-License-Identifier: MIT */
#include "formats/iceberg/sql_catalog.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "util/alloc.h"

struct lake__sql_catalog {
    sqlite3 *db;
    char name[256];
};

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS iceberg_tables (catalog_name VARCHAR(255) NOT NULL, table_namespace VARCHAR(255) "
    "NOT NULL, table_name VARCHAR(255) NOT NULL, metadata_location VARCHAR(1000), previous_metadata_location "
    "VARCHAR(1000), iceberg_type VARCHAR(5), PRIMARY KEY (catalog_name, table_namespace, table_name));"
    "CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (catalog_name VARCHAR(255) NOT NULL, namespace "
    "VARCHAR(255) NOT NULL, property_key VARCHAR(255) NOT NULL, property_value VARCHAR(1000) NOT NULL, "
    "PRIMARY KEY (catalog_name, namespace, property_key));";

static int failed(lake__sql_catalog *c, lake_error *err, const char *what) {
    int code = sqlite3_errcode(c->db);
    return lake__error(err, code == SQLITE_BUSY || code == SQLITE_LOCKED ? LAKE_ECONFLICT : LAKE_EIO,
                       "Iceberg SQL catalog: %s: %s", what, sqlite3_errmsg(c->db));
}

int lake__sql_catalog_open(lake__sql_catalog **out, const char *path, const char *name, lake_error *err) {
    *out = NULL;
    lake__sql_catalog *c = lake__calloc(1, sizeof *c);
    if (!c) return lake__error(err, LAKE_ENOMEM, "out of memory");
    snprintf(c->name, sizeof c->name, "%s", name ? name : "lakeorm");
    int rc = sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc == SQLITE_OK) sqlite3_busy_timeout(c->db, 10000); /* writers of other processes hold it briefly */
    if (rc == SQLITE_OK) rc = sqlite3_exec(c->db, schema_sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        rc = c->db ? failed(c, err, path) : lake__error(err, LAKE_ENOMEM, "out of memory");
        lake__sql_catalog_close(c);
        return rc;
    }
    *out = c;
    return LAKE_OK;
}

void lake__sql_catalog_close(lake__sql_catalog *c) {
    if (!c) return;
    sqlite3_close(c->db);
    lake__free(c);
}

/* Prepares sql and binds the texts in order. */
static int prepare(lake__sql_catalog *c, const char *sql, const char *const *texts, int n, sqlite3_stmt **st,
                   lake_error *err) {
    if (sqlite3_prepare_v2(c->db, sql, -1, st, NULL) != SQLITE_OK) return failed(c, err, "preparing a statement");
    for (int i = 0; i < n; i++)
        if (sqlite3_bind_text(*st, i + 1, texts[i], -1, SQLITE_TRANSIENT) != SQLITE_OK) {
            sqlite3_finalize(*st);
            return failed(c, err, "binding a value");
        }
    return LAKE_OK;
}

int lake__sql_catalog_namespace(lake__sql_catalog *c, const char *ns, lake_error *err) {
    const char *args[] = {c->name, ns};
    sqlite3_stmt *st;
    int rc = prepare(c, "INSERT OR IGNORE INTO iceberg_namespace_properties (catalog_name, namespace, property_key, "
                        "property_value) VALUES (?, ?, 'exists', 'true')", args, 2, &st, err);
    if (rc) return rc;
    rc = sqlite3_step(st) == SQLITE_DONE ? LAKE_OK : failed(c, err, "creating a namespace");
    sqlite3_finalize(st);
    return rc;
}

int lake__sql_catalog_load(lake__sql_catalog *c, const char *ns, const char *table, char *out, size_t cap,
                           lake_error *err) {
    const char *args[] = {c->name, ns, table};
    sqlite3_stmt *st;
    int rc = prepare(c, "SELECT metadata_location FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? "
                        "AND table_name = ? AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)", args, 3, &st, err);
    if (rc) return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(st, 0);
        size_t n = text ? strlen((const char *)text) : 0;
        if (!text || n >= cap)
            rc = lake__error(err, LAKE_EIO, "Iceberg SQL catalog: table %s.%s has %s metadata location", ns, table,
                             text ? "too long a" : "no");
        else
            memcpy(out, text, n + 1);
    } else {
        rc = step == SQLITE_DONE ? lake__error(err, LAKE_ENOTFOUND, "Iceberg SQL catalog: no table %s.%s", ns, table)
                                 : failed(c, err, "loading a table");
    }
    sqlite3_finalize(st);
    return rc;
}

int lake__sql_catalog_create(lake__sql_catalog *c, const char *ns, const char *table, const char *metadata,
                             lake_error *err) {
    const char *args[] = {c->name, ns, table, metadata};
    sqlite3_stmt *st;
    int rc = prepare(c, "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, metadata_location, "
                        "previous_metadata_location, iceberg_type) VALUES (?, ?, ?, ?, NULL, 'TABLE')", args, 4, &st, err);
    if (rc) return rc;
    int step = sqlite3_step(st);
    if (step == SQLITE_DONE) rc = LAKE_OK;
    else if (sqlite3_extended_errcode(c->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
        rc = lake__error(err, LAKE_ECONFLICT, "Iceberg SQL catalog: table %s.%s exists already", ns, table);
    else
        rc = failed(c, err, "creating a table");
    sqlite3_finalize(st);
    return rc;
}

int lake__sql_catalog_namespaces(lake__sql_catalog *c, int (*fn)(void *ctx, const char *ns), void *ctx,
                                 lake_error *err) {
    const char *args[] = {c->name, c->name};
    sqlite3_stmt *st;
    int rc = prepare(c, "SELECT namespace FROM iceberg_namespace_properties WHERE catalog_name = ? UNION "
                        "SELECT table_namespace FROM iceberg_tables WHERE catalog_name = ? ORDER BY 1", args, 2, &st, err);
    if (rc) return rc;
    int step;
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *ns = sqlite3_column_text(st, 0);
        if (ns) rc = fn(ctx, (const char *)ns);
    }
    if (!rc && step != SQLITE_DONE) rc = failed(c, err, "listing namespaces");
    sqlite3_finalize(st);
    return rc;
}

int lake__sql_catalog_drop(lake__sql_catalog *c, const char *ns, const char *table, lake_error *err) {
    const char *args[] = {c->name, ns, table};
    sqlite3_stmt *st;
    int rc = prepare(c, "DELETE FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?",
                     args, 3, &st, err);
    if (rc) return rc;
    if (sqlite3_step(st) != SQLITE_DONE) rc = failed(c, err, "dropping a table");
    else if (sqlite3_changes(c->db) != 1)
        rc = lake__error(err, LAKE_ENOTFOUND, "Iceberg SQL catalog: no table %s.%s", ns, table);
    sqlite3_finalize(st);
    return rc;
}

int lake__sql_catalog_swap(lake__sql_catalog *c, const char *ns, const char *table, const char *expected,
                           const char *next, lake_error *err) {
    const char *args[] = {next, expected, c->name, ns, table, expected};
    sqlite3_stmt *st;
    int rc = prepare(c, "UPDATE iceberg_tables SET metadata_location = ?, previous_metadata_location = ? WHERE "
                        "catalog_name = ? AND table_namespace = ? AND table_name = ? AND metadata_location = ?",
                     args, 6, &st, err);
    if (rc) return rc;
    if (sqlite3_step(st) != SQLITE_DONE) rc = failed(c, err, "committing");
    else if (sqlite3_changes(c->db) != 1)
        rc = lake__error(err, LAKE_ECONFLICT, "Iceberg SQL catalog: table %s.%s moved past %s before this commit", ns,
                         table, expected);
    sqlite3_finalize(st);
    return rc;
}
