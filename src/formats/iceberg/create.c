/* SPDX-License-Identifier: MIT */
/* lake_client_migrate on Iceberg tables: a new table registered in the
 * catalog, or the model's new columns added natively (a schema with new
 * field ids, every column the table has kept, files written before reading
 * NULL for them). Other drift is left to assert_schema and migration files. */
#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "formats/iceberg/iceberg.h"
#include "json/scan.h"
#include "json/write.h"
#include "util/arena.h"

enum { ATTEMPTS = 10, MAX_DEPTH = 64 };

/* The current schema with the fit's added columns (and _ingest_id, when the
 * table lacks it) after its own, as schema `id`. */
static int extended_schema(const lake__iceberg_table_state *t, const lake__iceberg_fit *fit, int32_t id, lake__buf *out,
                           lake_error *err) {
    lake__json j;
    lake__json_init(&j, t->meta.schema_json, t->meta.schema_json_len);
    lake_arena *arena;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    bool ok = lake__json_expect(&j, '{', "expected an object");
    lake__buf_printf(out, "{\"type\":\"struct\",\"schema-id\":%d", (int)id);
    while (ok) {
        lake__json_ws(&j);
        if (j.p < j.end && *j.p == '}') break;
        if (j.p < j.end && *j.p == ',') j.p++;
        const char *key;
        size_t len;
        if (!(ok = lake__json_string(&j, arena, &key, &len) && lake__json_expect(&j, ':', "expected ':'"))) break;
        bool fields = len == 6 && !memcmp(key, "fields", 6);
        bool dropped = (len == 9 && !memcmp(key, "schema-id", 9)) || (len == 4 && !memcmp(key, "type", 4));
        if (dropped) {
            ok = lake__json_skip(&j, MAX_DEPTH);
            continue;
        }
        lake__buf_putc(out, ',');
        lake__json_write_string(out, key, len);
        lake__buf_putc(out, ':');
        if (!fields) {
            ok = lake__json_copy(&j, MAX_DEPTH, out);
            continue;
        }
        /* the array without its closing bracket, then the new fields */
        lake__buf mark = LAKE__BUF_INIT;
        ok = lake__json_copy(&j, MAX_DEPTH, &mark) && !mark.failed && mark.len >= 2;
        if (ok) {
            lake__buf_put(out, mark.data, mark.len - 1);
            bool empty = mark.len == 2;
            for (size_t i = 0; i < lake_schema_column_count(fit->schema); i++) {
                if (!fit->added[i]) continue;
                if (!empty) lake__buf_putc(out, ',');
                lake__iceberg_field_json(out, lake_schema_column(fit->schema, i));
                empty = false;
            }
            if (fit->ingest_added)
                lake__buf_printf(out, "%s{\"id\":%d,\"name\":\"_ingest_id\",\"required\":false,\"type\":\"string\"}",
                                 empty ? "" : ",", (int)fit->schema->ingest_field_id);
            lake__buf_putc(out, ']');
        }
        lake__buf_dispose(&mark);
    }
    lake_arena_free(arena);
    lake__buf_putc(out, '}');
    if (!ok) return lake__error(err, LAKE_EIO, "table %s: its current schema could not be read", t->name);
    return out->failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

/* Adds the model's new columns to an existing table: LAKE_ECONFLICT when
 * another commit came first (the caller loads again). */
static int add_columns(lake__iceberg_table_state *t, const lake_schema *model, lake_error *err) {
    lake__iceberg_fit fit;
    int rc = lake__iceberg_fit_model(t, model, &fit, err);
    if (rc) return rc;
    if (fit.nested_added)
        rc = lake__error(err, LAKE_ENOTSUP, "table %s: the model adds a field inside a nested column; lakeorm adds "
                                            "top-level columns only (author a migration)", t->name);
    for (size_t i = 0; !rc && i < lake_schema_column_count(model); i++)
        if (fit.added[i] && !lake_schema_column(model, i)->nullable)
            rc = lake__error(err, LAKE_EINVAL, "table %s lacks column %s, which is NOT NULL: rows already there have no "
                                               "value for it (make it nullable, or author a migration)",
                             t->name, lake_schema_column(model, i)->name);
    if (rc || (!fit.added_count && !fit.ingest_added)) {
        lake__iceberg_fit_free(&fit);
        return rc;
    }
    lake__buf schema = LAKE__BUF_INIT, location = LAKE__BUF_INIT, json = LAKE__BUF_INIT;
    int32_t id = t->meta.current_schema_id + 1;
    rc = extended_schema(t, &fit, id, &schema, err);
    if (!rc) {
        lake__iceberg_update u = {NULL, schema.data, id, fit.last_column_id};
        lake__iceberg *ice = t->ice;
        rc = ice->catalog->commit(ice->catalog_impl, ice->ns, t->name, t->location.data, t->json.data, t->json.len, &u,
                                  &location, &json, err);
    }
    lake__buf_dispose(&schema);
    lake__buf_dispose(&location);
    lake__buf_dispose(&json);
    lake__iceberg_fit_free(&fit);
    return rc;
}

/* The location of a new table: <warehouse>/<namespace>/<table>. */
static int new_location(const lake__iceberg *ice, const char *name, lake__buf *out) {
    lake__buf key = LAKE__BUF_INIT;
    lake__buf_printf(&key, "%s/%s", ice->ns, name);
    int failed = key.failed || lake__iceberg_uri_of(ice->cfg.warehouse, key.data, out) || lake__buf_putc(out, 0);
    lake__buf_dispose(&key);
    return failed;
}

int lake__iceberg_create(void *impl, const lake_schema *s, lake_error *err) {
    lake__iceberg *ice = impl;
    int rc = lake__schema_check_writable(s, err);
    for (unsigned attempt = 0; !rc; attempt++) {
        lake__iceberg_table_state *t;
        if ((rc = lake__iceberg_load(ice, lake_schema_table(s), &t, err))) break;
        if (t->found) {
            rc = add_columns(t, s, err);
        } else {
            lake__buf location = LAKE__BUF_INIT, where = LAKE__BUF_INIT, json = LAKE__BUF_INIT;
            lake__buf spec = LAKE__BUF_INIT;
            rc = lake__iceberg_spec_json(&spec, s, err); /* every transform must apply before anything is made */
            if (!rc && new_location(ice, t->name, &location)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
            if (!rc) rc = ice->catalog->namespace_ensure(ice->catalog_impl, ice->ns, err);
            if (!rc) rc = ice->catalog->create(ice->catalog_impl, ice->ns, t->name, s, location.data, &where, &json, err);
            lake__buf_dispose(&location), lake__buf_dispose(&where), lake__buf_dispose(&json), lake__buf_dispose(&spec);
        }
        lake__iceberg_table_free(t);
        /* Another writer created the table or moved it first: look again. */
        if (rc != LAKE_ECONFLICT || attempt + 1 == ATTEMPTS) break;
        if (err) lake_error_clear(err);
        rc = LAKE_OK;
    }
    return rc;
}
