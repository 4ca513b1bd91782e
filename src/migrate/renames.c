/* SPDX-License-Identifier: MIT */
/* Which declared renames a live table still needs (renames.h). */
#include "migrate/renames.h"

#include <string.h>
#include <strings.h>

#include "error/error.h"
#include "schema/name.h"

static bool applies(const lake_schema *model, const lake_rename *r) {
    return r->table && !strcmp(r->table, lake_schema_table(model));
}

static int refuse(lake_error *err, const lake_schema *model, const lake_rename *r, const char *why, const char *name) {
    return lake__error(err, LAKE_EINVAL, "rename %s.%s -> %s: %s%s", lake_schema_table(model), r->from ? r->from : "",
                       r->to ? r->to : "", why, name ? name : "");
}

int lake__renames_check(const lake_schema *model, const lake_rename *renames, size_t count, lake_error *err) {
    if (count && !renames) return lake__error(err, LAKE_EINVAL, "rename_count is %zu but renames is NULL", count);
    for (size_t i = 0; i < count; i++) {
        const lake_rename *r = &renames[i];
        if (!applies(model, r)) continue;
        if (!r->from || !*r->from || !r->to || !*r->to) return refuse(err, model, r, "both names are required", NULL);
        /* The names reach messages and statements: checked as a model's names are. */
        char why[300];
        if (lake__name_check(r->from, strlen(r->from), LAKE__NAME_COLUMN, why, sizeof why) ||
            lake__name_check(r->to, strlen(r->to), LAKE__NAME_COLUMN, why, sizeof why))
            return lake__error(err, LAKE_EINVAL, "rename %zu of table %s: %s", i + 1, lake_schema_table(model), why);
        if (!strcmp(r->from, r->to)) return refuse(err, model, r, "the names are the same", NULL);
        if (!strcasecmp(r->from, "_ingest_id") || !strcasecmp(r->to, "_ingest_id")) /* engines fold case */
            return refuse(err, model, r, "_ingest_id is lakeorm's system column and keeps its name", NULL);
        if (!lake_schema_find(model, r->to)) return refuse(err, model, r, "the model has no column ", r->to);
        for (size_t k = 0; k < i; k++) {
            const lake_rename *o = &renames[k];
            if (!applies(model, o)) continue;
            if (!strcmp(o->from, r->from) || !strcmp(o->to, r->to) || !strcmp(o->from, r->to) || !strcmp(o->to, r->from))
                return refuse(err, model, r, "it shares a column with another rename of the table; chains and swaps "
                                             "are not applied natively (author a migration)", NULL);
        }
    }
    return LAKE_OK;
}

int lake__renames_due(const lake_schema *model, const lake_rename *renames, size_t count, lake__has_column_fn has,
                      void *ctx, const lake_rename **due, size_t *due_count, lake_error *err) {
    *due_count = 0;
    for (size_t i = 0; i < count; i++) {
        const lake_rename *r = &renames[i];
        if (!applies(model, r)) continue;
        bool from = has(ctx, r->from), to = has(ctx, r->to);
        if (from && !to) due[(*due_count)++] = r;
        else if (!from && !to)
            return lake__error(err, LAKE_EINVAL, "rename %s.%s -> %s: table %s has neither column %s nor %s",
                               lake_schema_table(model), r->from, r->to, lake_schema_table(model), r->from, r->to);
        else if (from && !lake_schema_find(model, r->from))
            return lake__error(err, LAKE_EINVAL, "rename %s.%s -> %s: table %s already has a column %s, so %s cannot take "
                                                 "its name (drop one of them with a migration first)",
                               lake_schema_table(model), r->from, r->to, lake_schema_table(model), r->to, r->from);
    }
    return LAKE_OK;
}
