/* SPDX-License-Identifier: MIT */
/* Records out through the Arrow C Data Interface: a struct type and a struct
 * array whose buffers the array owns (CDataInterface.html, "Memory
 * management"). The buffers are laid out by the walk the IPC writer uses
 * (arrow/columns.h); this file only gathers them into ArrowArrays. */
#include <lakeorm/arrow.h>
#include <string.h>

#include "arrow/c_format.h"
#include "arrow/columns.h"
#include "error/error.h"
#include "util/alloc.h"

/* ---- the type */

/* What one ArrowSchema owns: its strings and its children, in one block
 * with the children's structs. */
typedef struct schema_private {
    char format[LAKE__ARROW_FORMAT_MAX];
    char *name;
    char *metadata;
    struct ArrowSchema **children;
    struct ArrowSchema *child_structs;
} schema_private;

static void schema_release(struct ArrowSchema *s) {
    if (!s || !s->release) return;
    schema_private *p = s->private_data;
    for (int64_t i = 0; i < s->n_children; i++)
        if (p->children[i]->release) p->children[i]->release(p->children[i]);
    lake__free(p->name);
    lake__free(p->metadata);
    lake__free(p->children);
    lake__free(p->child_structs);
    lake__free(p);
    s->release = NULL;
}

/* The metadata of a canonical extension type: an int32 count, then each
 * key and value as an int32 length and its bytes (native endianness). */
static char *extension_metadata(const char *extension) {
    const char *kv[] = {"ARROW:extension:name", extension, "ARROW:extension:metadata", ""};
    size_t size = 4;
    for (int i = 0; i < 4; i++) size += 4 + strlen(kv[i]);
    char *m = lake__malloc(size), *p = m;
    if (!m) return NULL;
    int32_t n = 2;
    memcpy(p, &n, 4), p += 4;
    for (int i = 0; i < 4; i++) {
        int32_t len = (int32_t)strlen(kv[i]);
        memcpy(p, &len, 4), p += 4;
        memcpy(p, kv[i], (size_t)len), p += len;
    }
    return m;
}

/* One node of the type: a column (c), the records' struct (c NULL), or a
 * map's entries (members: the map's key and value). */
static int schema_node(struct ArrowSchema *out, const char *name, const lake_column *c, const lake_schema *members,
                       bool nullable) {
    memset(out, 0, sizeof *out);
    schema_private *p = lake__calloc(1, sizeof *p);
    if (!p) return LAKE_ENOMEM;
    out->private_data = p;
    out->release = schema_release;
    const char *extension = NULL;
    const char *format = c ? lake__arrow_format_of(c, p->format, &extension) : "+s";
    if (format != p->format) strcpy(p->format, format);
    out->format = p->format;
    if (!(p->name = lake__strndup(name, strlen(name)))) return LAKE_ENOMEM;
    out->name = p->name;
    if (extension && !(p->metadata = extension_metadata(extension))) return LAKE_ENOMEM;
    out->metadata = p->metadata;
    out->flags = nullable ? ARROW_FLAG_NULLABLE : 0;
    const lake_schema *kids = c ? (c->type == LAKE_STRUCT || c->type == LAKE_LIST ? c->child : NULL) : members;
    size_t n = kids ? kids->column_count : c && c->type == LAKE_MAP ? 1 : 0;
    if (!n) return LAKE_OK;
    if (!(p->children = lake__calloc(n, sizeof *p->children)) || !(p->child_structs = lake__calloc(n, sizeof *p->child_structs)))
        return LAKE_ENOMEM;
    out->n_children = (int64_t)n;
    out->children = p->children;
    for (size_t i = 0; i < n; i++) p->children[i] = &p->child_structs[i];
    for (size_t i = 0; i < n; i++) {
        int rc = kids ? schema_node(&p->child_structs[i], kids->columns[i].pub.name, &kids->columns[i].pub, NULL,
                                    kids->columns[i].pub.nullable)
                      : schema_node(&p->child_structs[i], "entries", NULL, c->child, false); /* Arrow's map layout */
        if (rc) return rc;
    }
    return LAKE_OK;
}

int lake_arrow_export_schema(const lake_schema *schema, struct ArrowSchema *out, lake_error *err) {
    if (!schema || !out) return lake__error(err, LAKE_EINVAL, "lake_arrow_export_schema: schema and out are required");
    if (schema_node(out, "", NULL, schema, false)) {
        schema_release(out);
        return lake__error(err, LAKE_ENOMEM, "out of memory exporting an Arrow schema");
    }
    return LAKE_OK;
}

/* ---- the array */

/* The walk's output: each field's node, depth first, and the buffers,
 * copied, in order; node i's are [first, first + count). */
typedef struct gathered_node {
    int64_t length, nulls;
    size_t first, count;
} gathered_node;

typedef struct gather {
    gathered_node *nodes;
    size_t nnodes, node_cap;
    void **buffers;
    size_t nbuffers, buffer_cap;
    bool failed;
} gather;

static bool grow(void **items, size_t *cap, size_t n, size_t size) {
    if (n < *cap) return true;
    size_t grown = *cap ? *cap * 2 : 16;
    void *p = lake__realloc(*items, *cap * size, grown * size);
    if (!p) return false;
    *items = p;
    *cap = grown;
    return true;
}

static void gather_node(void *ctx, size_t length, int64_t nulls) {
    gather *g = ctx;
    if (g->failed || !grow((void **)&g->nodes, &g->node_cap, g->nnodes, sizeof *g->nodes)) {
        g->failed = true;
        return;
    }
    g->nodes[g->nnodes++] = (gathered_node){(int64_t)length, nulls, g->nbuffers, 0};
}

/* An empty validity buffer is none (its node has no NULLs); any other empty
 * buffer still gets an address, since consumers may read through it. */
static void gather_buffer(void *ctx, const void *data, size_t len) {
    gather *g = ctx;
    if (g->failed || !g->nnodes || !grow((void **)&g->buffers, &g->buffer_cap, g->nbuffers, sizeof *g->buffers)) {
        g->failed = true;
        return;
    }
    gathered_node *node = &g->nodes[g->nnodes - 1];
    void *copy = NULL;
    if (len || node->count) {
        if (!(copy = lake__malloc(len ? len : 8))) {
            g->failed = true;
            return;
        }
        if (len) memcpy(copy, data, len);
        else memset(copy, 0, 8);
    }
    g->buffers[g->nbuffers++] = copy;
    node->count++;
}

/* What one ArrowArray owns: its buffers, and its children with their structs. */
typedef struct array_private {
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *child_structs;
} array_private;

static void array_release(struct ArrowArray *a) {
    if (!a || !a->release) return;
    array_private *p = a->private_data;
    for (int64_t i = 0; i < a->n_children; i++)
        if (p->children[i]->release) p->children[i]->release(p->children[i]);
    for (int64_t i = 0; i < a->n_buffers; i++) lake__free((void *)p->buffers[i]);
    lake__free(p->buffers);
    lake__free(p->children);
    lake__free(p->child_structs);
    lake__free(p);
    a->release = NULL;
}

/* An array with n children whose structs it owns, released by array_release. */
static int array_new(struct ArrowArray *out, int64_t length, int64_t nulls, size_t nbuffers, size_t nchildren) {
    memset(out, 0, sizeof *out);
    array_private *p = lake__calloc(1, sizeof *p);
    if (!p) return LAKE_ENOMEM;
    out->private_data = p;
    out->release = array_release;
    out->length = length;
    out->null_count = nulls;
    if (!(p->buffers = lake__calloc(nbuffers ? nbuffers : 1, sizeof *p->buffers))) return LAKE_ENOMEM;
    out->buffers = p->buffers;
    out->n_buffers = (int64_t)nbuffers;
    if (!nchildren) return LAKE_OK;
    if (!(p->children = lake__calloc(nchildren, sizeof *p->children)) ||
        !(p->child_structs = lake__calloc(nchildren, sizeof *p->child_structs)))
        return LAKE_ENOMEM;
    out->children = p->children;
    out->n_children = (int64_t)nchildren;
    for (size_t i = 0; i < nchildren; i++) p->children[i] = &p->child_structs[i];
    return LAKE_OK;
}

/* Builds the array of the node at *at and its children's (a column of
 * `type` with child schema `child`; STRUCT with the map's child for its
 * entries), taking their buffers from the gather. */
static int assemble(gather *g, size_t *at, lake_type type, const lake_schema *child, struct ArrowArray *out) {
    if (*at >= g->nnodes) return LAKE_ENOMEM; /* the walk stopped short: it ran out of memory */
    gathered_node *node = &g->nodes[(*at)++];
    size_t nchildren = type == LAKE_STRUCT ? child->column_count : type == LAKE_LIST || type == LAKE_MAP ? 1 : 0;
    int rc = array_new(out, node->length, node->nulls, node->count, nchildren);
    array_private *p = out->private_data;
    for (size_t i = 0; p && p->buffers && i < node->count; i++) { /* the array owns them now, also on failure */
        p->buffers[i] = g->buffers[node->first + i];
        g->buffers[node->first + i] = NULL;
    }
    for (size_t i = 0; !rc && i < nchildren; i++) {
        if (type == LAKE_MAP) rc = assemble(g, at, LAKE_STRUCT, child, out->children[i]);
        else if (type == LAKE_LIST) rc = assemble(g, at, child->columns[0].pub.type, child->columns[0].pub.child, out->children[i]);
        else rc = assemble(g, at, child->columns[i].pub.type, child->columns[i].pub.child, out->children[i]);
    }
    return rc;
}

int lake_arrow_export(const lake_schema *schema, const void *records, size_t count, struct ArrowArray *out,
                      lake_error *err) {
    if (!schema || !out || (count && !records))
        return lake__error(err, LAKE_EINVAL, "lake_arrow_export: schema, out and (with count) records are required");
    gather g = {0};
    lake__arrow_columns walk = {{gather_node, gather_buffer, &g}, false, NULL, false, false};
    const unsigned char **recs = lake__malloc((count ? count : 1) * sizeof *recs);
    if (!recs) return lake__error(err, LAKE_ENOMEM, "out of memory exporting %zu records", count);
    for (size_t r = 0; r < count; r++) recs[r] = (const unsigned char *)records + r * schema->record_size;
    for (size_t i = 0; i < schema->column_count && !g.failed; i++) lake__arrow_column(&walk, &schema->columns[i], recs, count);
    lake__free((void *)recs);
    int rc = g.failed || walk.failed ? LAKE_ENOMEM : walk.too_many ? LAKE_ENOTSUP : LAKE_OK;
    if (!rc) { /* the records' struct: no NULLs, so its one buffer (validity) is none */
        rc = array_new(out, (int64_t)count, 0, 1, schema->column_count);
        size_t at = 0;
        for (size_t i = 0; !rc && i < schema->column_count; i++)
            rc = assemble(&g, &at, schema->columns[i].pub.type, schema->columns[i].pub.child, out->children[i]);
        if (rc) array_release(out);
    }
    for (size_t i = 0; i < g.nbuffers; i++) lake__free(g.buffers[i]); /* those no array took */
    lake__free(g.buffers);
    lake__free(g.nodes);
    if (rc == LAKE_ENOTSUP)
        return lake__error(err, rc, "%zu records hold 2^31 or more string bytes or list elements in one column: "
                           "export fewer records at a time", count);
    return rc ? lake__error(err, rc, "out of memory exporting %zu records", count) : LAKE_OK;
}
