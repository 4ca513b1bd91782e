/* SPDX-License-Identifier: MIT */
/* A schema renumbered by a table: a model's field ids are positions, which
 * move when the model gains a column; a table format that keeps ids (an
 * Iceberg table) has given its columns ids of its own, which its files must
 * carry. */
#include <string.h>

#include "error/error.h"
#include "schema/schema.h"
#include "util/alloc.h"

static lake_schema *copy(const lake_schema *s, lake__field_id_fn id_of, void *ctx, const lake_column **path,
                         size_t depth) {
    lake_schema *x = lake__calloc(1, sizeof *x);
    lake__column *columns = x ? lake__calloc(s->column_count + 1, sizeof *columns) : NULL;
    if (!columns) {
        lake__free(x);
        return NULL;
    }
    *x = *s;
    x->arena = NULL;
    x->columns = columns;
    memcpy(columns, s->columns, s->column_count * sizeof *columns);
    x->column_count = 0; /* counts the copies made, for freeing a partial one */
    for (size_t i = 0; i < s->column_count; i++) {
        lake__column *c = &columns[i];
        c->pub.child = NULL;
        x->column_count++;
        path[depth] = &s->columns[i].pub;
        c->pub.field_id = id_of(ctx, path, depth + 1);
        if (s->columns[i].pub.child) {
            if (depth + 1 > LAKE__SCHEMA_NESTING_MAX ||
                !(c->pub.child = copy(s->columns[i].pub.child, id_of, ctx, path, depth + 1))) {
                lake__schema_renumbered_free(x);
                return NULL;
            }
        }
    }
    return x;
}

int lake__schema_renumbered(const lake_schema *s, lake__field_id_fn id_of, void *ctx, int32_t ingest_field_id,
                            lake_schema **out, lake_error *err) {
    const lake_column *path[LAKE__SCHEMA_NESTING_MAX + 2];
    *out = copy(s, id_of, ctx, path, 0);
    if (!*out) return lake__error(err, LAKE_ENOMEM, "out of memory");
    (*out)->ingest_field_id = ingest_field_id;
    return LAKE_OK;
}

void lake__schema_renumbered_free(lake_schema *x) {
    if (!x) return;
    for (size_t i = 0; i < x->column_count; i++) lake__schema_renumbered_free((lake_schema *)x->columns[i].pub.child);
    lake__free(x->columns);
    lake__free(x);
}
