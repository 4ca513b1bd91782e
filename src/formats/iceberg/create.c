/* SPDX-License-Identifier: MIT */
/* lake_client_migrate on Iceberg tables: a new table registered in the
 * catalog, or the model's new columns added natively (a schema with new
 * field ids, every column the table has kept, files written before reading
 * NULL for them), int and float columns the model widens promoted to long
 * and double (files written before read widened), and declared renames
 * applied (the field keeps its id under its new name, so files written
 * before read by id; spec, "Schema Evolution"), all in one new schema.
 * Other drift is left to assert_schema and migration files. */
#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "formats/iceberg/iceberg.h"
#include "json/scan.h"
#include "json/write.h"
#include "migrate/renames.h"
#include "util/alloc.h"
#include "util/arena.h"

enum { ATTEMPTS = 10, MAX_DEPTH = 64 };

/* Iceberg's type promotions lakeorm makes natively: a model's long over a
 * table's int, double over float. */
static const char *widened(const char *table_type, lake_type model) {
    if (!strcmp(table_type, "int") && model == LAKE_INT64) return "long";
    if (!strcmp(table_type, "float") && model == LAKE_FLOAT64) return "double";
    return NULL;
}

/* Copies a field's JSON (normalized, one object), its "name" member set to
 * `name`; every other member as it was. False when malformed. */
static bool rename_field(lake__buf *out, const char *json, size_t len, const char *name, lake_arena *arena) {
    lake__json j;
    lake__json_init(&j, json, len);
    bool first = true;
    const char *key;
    size_t key_len, n = 0;
    lake__buf_putc(out, '{');
    while (lake__json_member(&j, arena, &first, &key, &key_len)) {
        if (n++) lake__buf_putc(out, ',');
        lake__json_write_string(out, key, key_len);
        lake__buf_putc(out, ':');
        if (key_len == 4 && !memcmp(key, "name", 4)) {
            lake__json_write_string(out, name, strlen(name));
            if (!lake__json_skip(&j, MAX_DEPTH)) break;
        } else if (!lake__json_copy(&j, MAX_DEPTH, out)) {
            break;
        }
    }
    lake__buf_putc(out, '}');
    return !j.error && !j.oom;
}

/* Copies a field's JSON, its type promoted to `to` when not NULL (a
 * top-level primitive's only "type" member: fields are copied normalized). */
static void copy_field(lake__buf *out, const char *json, size_t len, const char *from, const char *to) {
    char old[32];
    int n = snprintf(old, sizeof old, "\"type\":\"%s\"", from ? from : "");
    const char *at = to ? memmem(json, len, old, (size_t)n) : NULL;
    if (!at) {
        lake__buf_put(out, json, len);
        return;
    }
    lake__buf_put(out, json, (size_t)(at - json));
    lake__buf_printf(out, "\"type\":\"%s\"", to);
    lake__buf_put(out, at + n, len - (size_t)(at - json) - (size_t)n);
}

/* The current schema, its fields renamed as new_names says (per field of
 * t->meta.fields, NULL: kept), its int and float columns the model widens
 * promoted, with the fit's added columns (and _ingest_id, when the table
 * lacks it) after its own, as schema `id`. *changed: any difference from the
 * current one. */
static int evolved_schema(const lake__iceberg_table_state *t, const char *const *new_names, const lake__iceberg_fit *fit,
                          int32_t id, lake__buf *out, bool *changed, lake_error *err) {
    lake__json j;
    lake__json_init(&j, t->meta.schema_json, t->meta.schema_json_len);
    lake_arena *arena;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    *changed = fit->added_count || fit->ingest_added;
    bool ok = lake__json_expect(&j, '{', "expected an object");
    lake__buf_printf(out, "{\"type\":\"struct\",\"schema-id\":%d", (int)id);
    lake__buf field = LAKE__BUF_INIT, named = LAKE__BUF_INIT;
    while (ok) {
        lake__json_ws(&j);
        if (j.p < j.end && *j.p == '}') break;
        if (j.p < j.end && *j.p == ',') j.p++;
        const char *key;
        size_t len;
        if (!(ok = lake__json_string(&j, arena, &key, &len) && lake__json_expect(&j, ':', "expected ':'"))) break;
        if ((len == 9 && !memcmp(key, "schema-id", 9)) || (len == 4 && !memcmp(key, "type", 4))) {
            ok = lake__json_skip(&j, MAX_DEPTH);
            continue;
        }
        lake__buf_putc(out, ',');
        lake__json_write_string(out, key, len);
        lake__buf_putc(out, ':');
        if (!(len == 6 && !memcmp(key, "fields", 6))) {
            ok = lake__json_copy(&j, MAX_DEPTH, out);
            continue;
        }
        /* the table's fields in order (as meta.fields lists them), promoted where the model widens them, then the new ones */
        ok = lake__json_expect(&j, '[', "expected an array");
        lake__buf_putc(out, '[');
        size_t i = 0;
        lake__json_ws(&j);
        bool empty = j.p < j.end && *j.p == ']';
        if (empty) j.p++;
        while (ok && !empty) {
            field.len = 0;
            if (!(ok = lake__json_copy(&j, MAX_DEPTH, &field) && !field.failed && i < t->meta.field_count)) break;
            const char *name = new_names[i];
            const lake__iceberg_field *f = &t->meta.fields[i++];
            if (name) {
                named.len = 0;
                if (!(ok = rename_field(&named, field.data, field.len, name, arena) && !named.failed)) break;
                *changed = true;
            }
            const lake_column *c = lake_schema_find(fit->schema, f->name);
            const char *to = c ? widened(f->type, c->type) : NULL;
            *changed |= to != NULL;
            if (i > 1) lake__buf_putc(out, ',');
            copy_field(out, name ? named.data : field.data, name ? named.len : field.len, f->type, to);
            lake__json_ws(&j);
            if (j.p < j.end && *j.p == ',') {
                j.p++;
                continue;
            }
            ok = lake__json_expect(&j, ']', "expected ',' or ']'");
            break;
        }
        for (size_t k = 0; ok && k < lake_schema_column_count(fit->schema); k++) {
            if (!fit->added[k]) continue;
            if (i++) lake__buf_putc(out, ',');
            lake__iceberg_field_json(out, lake_schema_column(fit->schema, k));
        }
        if (ok && fit->ingest_added)
            lake__buf_printf(out, "%s{\"id\":%d,\"name\":\"_ingest_id\",\"required\":false,\"type\":\"string\"}",
                             i ? "," : "", (int)fit->schema->ingest_field_id);
        lake__buf_putc(out, ']');
    }
    lake__buf_dispose(&field);
    lake__buf_dispose(&named);
    lake_arena_free(arena);
    lake__buf_putc(out, '}');
    if (!ok) return lake__error(err, LAKE_EIO, "table %s: its current schema could not be read", t->name);
    return out->failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

static bool has_field(void *ctx, const char *name) {
    const lake__iceberg_table_state *t = ctx;
    for (size_t i = 0; i < t->meta.field_count; i++)
        if (!strcmp(t->meta.fields[i].name, name)) return true;
    return false;
}

/* A renamed column's new name must not be a partition field's (of any
 * spec the table keeps), unless that field is the column's own identity (or
 * void) partition: Iceberg keeps partition names apart from the schema's
 * other columns, and Java's and pyiceberg's schema updates check it over
 * every spec. The specs themselves need nothing: they name their source
 * columns by field id. */
static int check_partition_names(const lake__iceberg_table_state *t, const lake_rename *r, int32_t from_id,
                                 lake_error *err) {
    for (size_t k = 0; k < t->meta.spec_history_count; k++) {
        const lake__iceberg_spec_field *p = &t->meta.spec_history[k];
        bool own = (!strcmp(p->transform, "identity") || !strcmp(p->transform, "void")) && p->source_id == from_id;
        if (strcmp(p->name, r->to) || own) continue;
        return lake__error(err, LAKE_EINVAL, "rename %s.%s -> %s: the table's partition field %s (%s of field %d) has "
                                             "that name, and Iceberg keeps partition and column names apart (choose "
                                             "another name)", t->name, r->from, r->to, p->name, p->transform,
                           (int)p->source_id);
    }
    return LAKE_OK;
}

/* The table state as the due renames leave it: t->meta.fields replaced by a
 * copy (in t's arena) under the new names, and per field its new name or
 * NULL in *new_names (free with lake__free). */
static int apply_renames(lake__iceberg_table_state *t, const lake_schema *model, const lake_rename *renames, size_t count,
                         const char ***new_names, lake_error *err) {
    size_t n = t->meta.field_count;
    const lake_rename **due = lake__calloc(count ? count : 1, sizeof *due);
    const char **names = lake__calloc(n ? n : 1, sizeof *names);
    lake__iceberg_field *fields = lake__arena_alloc(t->arena, (n ? n : 1) * sizeof *fields, _Alignof(lake__iceberg_field));
    size_t due_count = 0;
    int rc = due && names && fields ? LAKE_OK : lake__error(err, LAKE_ENOMEM, "out of memory");
    if (!rc) rc = lake__renames_due(model, renames, count, has_field, t, due, &due_count, err);
    if (!rc && n) memcpy(fields, t->meta.fields, n * sizeof *fields);
    for (size_t i = 0; !rc && i < due_count; i++)
        for (size_t k = 0; !rc && k < n; k++) {
            if (strcmp(t->meta.fields[k].name, due[i]->from)) continue;
            rc = check_partition_names(t, due[i], fields[k].id, err);
            names[k] = fields[k].name = due[i]->to;
        }
    lake__free(due);
    if (rc) {
        lake__free(names);
        return rc;
    }
    t->meta.fields = fields;
    *new_names = names;
    return LAKE_OK;
}

/* Renames the due columns of an existing table, adds the model's new
 * columns and widens the ones it widens, in one schema: LAKE_ECONFLICT when
 * another commit came first (the caller loads again). */
static int evolve(lake__iceberg_table_state *t, const lake_schema *model, const lake_rename *renames, size_t count,
                  lake_error *err) {
    const char **new_names;
    int rc = apply_renames(t, model, renames, count, &new_names, err);
    if (rc) return rc;
    lake__iceberg_fit fit;
    if ((rc = lake__iceberg_fit_model(t, model, &fit, err))) {
        lake__free(new_names);
        return rc;
    }
    if (fit.nested_added)
        rc = lake__error(err, LAKE_ENOTSUP, "table %s: the model adds a field inside a nested column; lakeorm adds "
                                            "top-level columns only (author a migration)", t->name);
    for (size_t i = 0; !rc && i < lake_schema_column_count(model); i++)
        if (fit.added[i] && !lake_schema_column(model, i)->nullable)
            rc = lake__error(err, LAKE_EINVAL, "table %s lacks column %s, which is NOT NULL: rows already there have no "
                                               "value for it (make it nullable, or author a migration)",
                             t->name, lake_schema_column(model, i)->name);
    lake__buf schema = LAKE__BUF_INIT, location = LAKE__BUF_INIT, json = LAKE__BUF_INIT;
    int32_t id = t->meta.current_schema_id + 1;
    bool changed = false;
    if (!rc) rc = evolved_schema(t, new_names, &fit, id, &schema, &changed, err);
    if (!rc && changed) {
        lake__iceberg_update u = {.schema_json = schema.data, .schema_id = id, .last_column_id = fit.last_column_id};
        lake__iceberg *ice = t->ice;
        rc = ice->catalog->commit(ice->catalog_impl, ice->ns, t->name, t->location.data, t->json.data, t->json.len, &u,
                                  &location, &json, err);
    }
    lake__buf_dispose(&schema);
    lake__buf_dispose(&location);
    lake__buf_dispose(&json);
    lake__iceberg_fit_free(&fit);
    lake__free(new_names);
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

int lake__iceberg_create(void *impl, const lake_schema *s, const lake_rename *renames, size_t rename_count,
                         lake_error *err) {
    lake__iceberg *ice = impl;
    int rc = lake__schema_check_writable(s, err);
    for (unsigned attempt = 0; !rc; attempt++) {
        lake__iceberg_table_state *t;
        if ((rc = lake__iceberg_load(ice, lake_schema_table(s), &t, err))) break;
        if (t->found) {
            rc = evolve(t, s, renames, rename_count, err);
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
