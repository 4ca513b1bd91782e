/* SPDX-License-Identifier: MIT */
/* A model against an Iceberg table: the table's field ids are what its
 * files carry, so a model is renumbered by them before it writes (a model's
 * own ids are positions, which move when it gains a column). Columns match
 * by name, a list's element and a map's key and value by place; what the
 * table lacks is numbered after its last column id. */
#include <string.h>

#include "error/error.h"
#include "formats/iceberg/iceberg.h"
#include "util/alloc.h"

typedef struct numbering {
    const lake__iceberg_table_state *t;
    int32_t next;
    bool nested_added;
    lake__iceberg_fit *fit;
    const lake_schema *model;
} numbering;

static const lake__iceberg_field *by_name(const lake__iceberg_field *fields, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(fields[i].name, name)) return &fields[i];
    return NULL;
}

/* The table field at a model column's path, or NULL. */
static const lake__iceberg_field *field_at(const lake__iceberg_table_state *t, const lake_column *const *path,
                                           size_t depth) {
    const lake__iceberg_field *f = by_name(t->meta.fields, t->meta.field_count, path[0]->name);
    for (size_t d = 1; f && d < depth; d++) {
        const lake_column *parent = path[d - 1];
        if (parent->type == LAKE_STRUCT) {
            f = by_name(f->children, f->child_count, path[d]->name);
        } else { /* a list's element (0), a map's key (0) or value (1): by its place in the parent's child schema */
            size_t place = (size_t)((const lake__column *)path[d] - parent->child->columns);
            f = place < f->child_count ? &f->children[place] : NULL;
        }
    }
    return f;
}

static int32_t id_of(void *ctx, const lake_column *const *path, size_t depth) {
    numbering *n = ctx;
    const lake__iceberg_field *f = field_at(n->t, path, depth);
    if (f) return f->id;
    if (depth == 1) {
        size_t i = (size_t)((const lake__column *)path[0] - n->model->columns);
        n->fit->added[i] = true;
        n->fit->added_count++;
    } else if (field_at(n->t, path, depth - 1)) {
        n->nested_added = true; /* its parent is the table's: the field itself is new */
    }
    return ++n->next;
}

int lake__iceberg_fit_model(const lake__iceberg_table_state *t, const lake_schema *model, lake__iceberg_fit *out,
                            lake_error *err) {
    memset(out, 0, sizeof *out);
    if (!(out->added = lake__calloc(lake_schema_column_count(model) + 1, sizeof *out->added)))
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    numbering n = {t, t->meta.last_column_id, false, out, model};
    const lake__iceberg_field *ingest = by_name(t->meta.fields, t->meta.field_count, "_ingest_id");
    /* _ingest_id's id is the table's; a table another writer made without one gets it after the model's new ids */
    int rc = lake__schema_renumbered(model, id_of, &n, ingest ? ingest->id : 0, &out->schema, err);
    if (rc) {
        lake__iceberg_fit_free(out);
        return rc;
    }
    if (!ingest) out->schema->ingest_field_id = ++n.next, out->ingest_added = true;
    out->nested_added = n.nested_added;
    out->last_column_id = n.next;
    return LAKE_OK;
}

void lake__iceberg_fit_free(lake__iceberg_fit *f) {
    lake__schema_renumbered_free(f->schema);
    lake__free(f->added);
    memset(f, 0, sizeof *f);
}
