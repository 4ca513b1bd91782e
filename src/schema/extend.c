/* SPDX-License-Identifier: MIT */
/* A schema with the system column as a member of its own: rows read back
 * from a table and written again (a copy-on-write rewrite) keep each its
 * own ingest id, which a writer's one-id-per-file option cannot. */
#include <string.h>

#include "error/error.h"
#include "schema/schema.h"
#include "util/alloc.h"

int lake__schema_with_ingest_id(const lake_schema *s, lake_schema **out, lake_error *err) {
    *out = NULL;
    lake_schema *x = lake__calloc(1, sizeof *x);
    lake__column *columns = x ? lake__calloc(s->column_count + 1, sizeof *columns) : NULL;
    if (!columns) {
        lake__free(x);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    memcpy(columns, s->columns, s->column_count * sizeof *columns);
    size_t offset = (s->record_size + _Alignof(lake_str) - 1) / _Alignof(lake_str) * _Alignof(lake_str);
    lake__column *id = &columns[s->column_count];
    id->pub.name = id->pub.json_name = "_ingest_id";
    id->pub.json_name_len = id->name_len = strlen("_ingest_id");
    id->pub.type = LAKE_STRING;
    id->pub.rules = "";
    id->pub.nullable = true;
    id->pub.offset = offset;
    id->size = sizeof(lake_str);
    *x = *s;
    x->columns = columns;
    x->column_count = s->column_count + 1;
    x->record_size = offset + sizeof(lake_str);
    x->reads_ingest_id = true;
    x->arena = NULL;
    *out = x;
    return LAKE_OK;
}

void lake__schema_extended_free(lake_schema *x) {
    if (!x) return;
    lake__free(x->columns);
    lake__free(x);
}

int lake__schema_without_ingest_id(const lake_schema *s, lake_schema **out, lake_error *err) {
    *out = NULL;
    lake_schema *x = lake__calloc(1, sizeof *x);
    lake__column *columns = x ? lake__calloc(s->column_count ? s->column_count : 1, sizeof *columns) : NULL;
    if (!columns) {
        lake__free(x);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    size_t n = 0;
    for (size_t i = 0; i < s->column_count; i++)
        if (strcmp(s->columns[i].pub.name, "_ingest_id")) columns[n++] = s->columns[i];
    *x = *s;
    x->columns = columns;
    x->column_count = n; /* the record keeps its layout: the column is only no longer read */
    x->reads_ingest_id = false;
    x->arena = NULL;
    *out = x;
    return LAKE_OK;
}
