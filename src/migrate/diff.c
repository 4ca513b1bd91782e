/* SPDX-License-Identifier: MIT */
/* Diffing two states of a table. Columns match by name, or through a
 * declared rename; lakeorm never guesses a rename from a drop and an add. */
#include "migrate/diff.h"

#include <string.h>

#include "error/error.h"
#include "util/alloc.h"

/* Where a nested walk is: the containers above the columns it compares. */
typedef struct nest {
    size_t depth;
    struct lake__change_level within[LAKE__NEST_MAX];
} nest;

static int push_within(lake__diff *d, lake__change_kind kind, const lake_column *from, const lake_column *to,
                       const nest *at) {
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        lake__change *p = lake__realloc(d->items, d->cap * sizeof *p, cap * sizeof *p);
        if (!p) return LAKE_ENOMEM;
        d->items = p;
        d->cap = cap;
    }
    lake__change *c = &d->items[d->count++];
    *c = (lake__change){kind, from, to, 0, {{0}}};
    if (at) {
        c->depth = at->depth;
        memcpy(c->within, at->within, at->depth * sizeof at->within[0]);
    }
    return LAKE_OK;
}

static int push(lake__diff *d, lake__change_kind kind, const lake_column *from, const lake_column *to) {
    return push_within(d, kind, from, to, NULL);
}

void lake__diff_dispose(lake__diff *d) {
    lake__free(d->items);
    memset(d, 0, sizeof *d);
}

/* Every dialect's files come from one diff: a type that any of them spells
 * differently has changed. */
static bool same_type_everywhere(const lake_column *a, const lake_column *b) {
    const lake__dialect *d;
    for (unsigned id = 1; (d = lake__dialect_of((lake_dialect)id)); id++)
        if (!lake__same_type(a, b, d)) return false;
    return true;
}

/* Widening keeps every value: wider integers, float to double, more decimal
 * digits at the same scale. These are the changes Iceberg and Delta allow. */
static bool widens(const lake_column *from, const lake_column *to) {
    if (from->type >= LAKE_INT8 && from->type <= LAKE_INT64 && to->type >= LAKE_INT8 && to->type <= LAKE_INT64)
        return to->type > from->type;
    if (from->type == LAKE_FLOAT32 && to->type == LAKE_FLOAT64) return true;
    if (from->type == LAKE_DECIMAL && to->type == LAKE_DECIMAL)
        return to->scale == from->scale && to->precision > from->precision;
    return false;
}

static int compare_types(lake__diff *d, const lake_column *from, const lake_column *to, const nest *at);

/* The member of s after index *i that t has too; NULL past the end. */
static const lake_column *next_shared(const lake_schema *s, const lake_schema *t, size_t *i) {
    for (; *i < lake_schema_column_count(s); (*i)++)
        if (lake_schema_find(t, lake_schema_column(s, *i)->name)) return lake_schema_column(s, (*i)++);
    return NULL;
}

/* Whether the members two structs share come in the same order: rows are
 * written by position, so a model that reorders them has drifted. */
static bool same_order(const lake_schema *a, const lake_schema *b) {
    size_t i = 0, k = 0;
    for (;;) {
        const lake_column *x = next_shared(a, b, &i), *y = next_shared(b, a, &k);
        if (!x || !y) return !x && !y;
        if (strcmp(x->name, y->name)) return false;
    }
}

/* Below a nested column: the same member, element or value in both states. */
static int compare_member(lake__diff *d, const lake_column *from, const lake_column *to, const nest *at) {
    int rc = compare_types(d, from, to, at);
    if (!rc && from->nullable != to->nullable)
        rc = push_within(d, to->nullable ? LAKE__DROP_NOT_NULL : LAKE__SET_NOT_NULL, from, to, at);
    return rc;
}

/* A column's type, structurally: a struct's members by name (dropped ones,
 * then added or changed ones in the model's order), a list's element and a
 * map's value in place, and anything else as a type that widens or
 * changes. */
static int compare_types(lake__diff *d, const lake_column *from, const lake_column *to, const nest *at) {
    bool nested = from->type == to->type && lake__type_is_composite(to->type);
    if (!nested)
        return same_type_everywhere(from, to) ? LAKE_OK
                                              : push_within(d, widens(from, to) ? LAKE__WIDEN_TYPE : LAKE__CHANGE_TYPE, from,
                                                            to, at);
    if (at->depth == LAKE__NEST_MAX) return LAKE_ESCHEMA;
    nest in = *at;
    in.within[in.depth++] = (struct lake__change_level){from, to};
    if (to->type != LAKE_STRUCT) { /* the element, or the value (the key is always a string) */
        size_t k = to->type == LAKE_MAP;
        return compare_member(d, lake_schema_column(from->child, k), lake_schema_column(to->child, k), &in);
    }
    int rc = LAKE_OK;
    for (size_t i = 0; !rc && i < lake_schema_column_count(from->child); i++) {
        const lake_column *m = lake_schema_column(from->child, i);
        if (!lake_schema_find(to->child, m->name)) rc = push_within(d, LAKE__DROP_COLUMN, m, NULL, &in);
    }
    for (size_t i = 0; !rc && i < lake_schema_column_count(to->child); i++) {
        const lake_column *m = lake_schema_column(to->child, i), *was = lake_schema_find(from->child, m->name);
        rc = was ? compare_member(d, was, m, &in) : push_within(d, LAKE__ADD_COLUMN, NULL, m, &in);
    }
    if (!rc && !same_order(from->child, to->child)) rc = push_within(d, LAKE__ORDER_MEMBERS, from, to, at);
    return rc;
}

/* The prior name of an after-column, through a declared rename. */
static const char *prior_name(const char *table, const char *name, const lake_rename *r, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!strcmp(r[i].table, table) && !strcmp(r[i].to, name)) return r[i].from;
    return name;
}

static bool same_keys(const lake_schema *a, const lake_schema *b, bool merge, const lake_rename *r, size_t n) {
    size_t ka = 0, kb = 0;
    for (size_t i = 0; i < lake_schema_column_count(b); i++) {
        const lake_column *c = lake_schema_column(b, i);
        if (!(merge ? c->merge_key : c->primary_key)) continue;
        kb++;
        const lake_column *p = lake_schema_find(a, prior_name(lake_schema_table(b), c->name, r, n));
        if (!p || !(merge ? p->merge_key : p->primary_key)) return false;
    }
    for (size_t i = 0; i < lake_schema_column_count(a); i++) {
        const lake_column *c = lake_schema_column(a, i);
        ka += merge ? c->merge_key : c->primary_key;
    }
    return ka == kb;
}

int lake__diff_compute(lake__diff *d, const lake_schema *before, const lake_schema *after, const lake_rename *renames,
                       size_t rename_count, lake_error *err) {
    memset(d, 0, sizeof *d);
    d->before = before;
    d->after = after;
    if (!before) return push(d, LAKE__CREATE_TABLE, NULL, NULL) ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
    const char *table = lake_schema_table(after);
    int rc = LAKE_OK;
    for (size_t i = 0; i < rename_count; i++) {
        if (strcmp(renames[i].table, table)) continue;
        if (!lake_schema_find(before, renames[i].from))
            return lake__error(err, LAKE_EINVAL, "rename %s.%s -> %s: the previous state has no column %s", table,
                               renames[i].from, renames[i].to, renames[i].from);
        if (!lake_schema_find(after, renames[i].to))
            return lake__error(err, LAKE_EINVAL, "rename %s.%s -> %s: the model has no column %s", table,
                               renames[i].from, renames[i].to, renames[i].to);
        if (lake_schema_find(before, renames[i].to) && strcmp(renames[i].from, renames[i].to))
            return lake__error(err, LAKE_EINVAL, "rename %s.%s -> %s: the previous state already has a column %s",
                               table, renames[i].from, renames[i].to, renames[i].to);
    }
    size_t nb = lake_schema_column_count(before), na = lake_schema_column_count(after);
    /* Renames first, so later statements name columns as the model does. */
    for (size_t i = 0; !rc && i < na; i++) {
        const lake_column *to = lake_schema_column(after, i);
        const char *was = prior_name(table, to->name, renames, rename_count);
        if (strcmp(was, to->name)) rc = push(d, LAKE__RENAME_COLUMN, lake_schema_find(before, was), to);
    }
    /* Drops, each after its partition field goes (Iceberg refuses to drop a partition source). */
    for (size_t i = 0; !rc && i < nb; i++) {
        const lake_column *from = lake_schema_column(before, i);
        bool kept = false;
        for (size_t k = 0; k < na && !kept; k++)
            kept = !strcmp(prior_name(table, lake_schema_column(after, k)->name, renames, rename_count), from->name);
        if (kept) continue;
        if (from->partition) rc = push(d, LAKE__PARTITION, from, NULL);
        if (!rc) rc = push(d, LAKE__DROP_COLUMN, from, NULL);
    }
    for (size_t i = 0; !rc && i < na; i++) {
        const lake_column *to = lake_schema_column(after, i);
        const lake_column *from = lake_schema_find(before, prior_name(table, to->name, renames, rename_count));
        if (!from) {
            rc = push(d, LAKE__ADD_COLUMN, NULL, to);
            if (!rc && to->partition) rc = push(d, LAKE__PARTITION, NULL, to);
            continue;
        }
        rc = compare_types(d, from, to, &(nest){0, {{0}}});
        if (!rc && from->nullable != to->nullable)
            rc = push(d, to->nullable ? LAKE__DROP_NOT_NULL : LAKE__SET_NOT_NULL, from, to);
        if (!rc && (from->partition != to->partition || from->partition_param != to->partition_param))
            rc = push(d, LAKE__PARTITION, from, to);
    }
    if (!rc && !same_keys(before, after, false, renames, rename_count)) rc = push(d, LAKE__PRIMARY_KEY, NULL, NULL);
    if (!rc && !same_keys(before, after, true, renames, rename_count)) rc = push(d, LAKE__MERGE_KEYS, NULL, NULL);
    if (rc == LAKE_ESCHEMA)
        return lake__error(err, rc, "table %s: types nested more than %d deep", table, LAKE__NEST_MAX);
    return rc ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

int lake__diff_invert(lake__diff *out, const lake__diff *d) {
    memset(out, 0, sizeof *out);
    out->before = d->after;
    out->after = d->before;
    for (size_t i = d->count; i-- > 0;) {
        const lake__change *c = &d->items[i];
        lake__change_kind k = c->kind;
        switch (k) {
        case LAKE__CREATE_TABLE: k = LAKE__DROP_TABLE; break;
        case LAKE__DROP_TABLE: k = LAKE__CREATE_TABLE; break;
        case LAKE__DROP_COLUMN: k = LAKE__ADD_COLUMN; break;
        case LAKE__ADD_COLUMN: k = LAKE__DROP_COLUMN; break;
        case LAKE__WIDEN_TYPE: k = LAKE__CHANGE_TYPE; break;
        case LAKE__CHANGE_TYPE: k = c->to && c->from && widens(c->to, c->from) ? LAKE__WIDEN_TYPE : LAKE__CHANGE_TYPE; break;
        case LAKE__SET_NOT_NULL: k = LAKE__DROP_NOT_NULL; break;
        case LAKE__DROP_NOT_NULL: k = LAKE__SET_NOT_NULL; break;
        default: break;
        }
        nest at = {c->depth, {{0}}};
        for (size_t l = 0; l < c->depth; l++) at.within[l] = (struct lake__change_level){c->within[l].to, c->within[l].from};
        if (push_within(out, k, c->to, c->from, &at)) return LAKE_ENOMEM;
    }
    return LAKE_OK;
}
