/* SPDX-License-Identifier: MIT */
/* The direct path on a Databricks SQL warehouse: the warehouse takes SQL
 * only, so a request's rows travel as one VALUES list of typed named
 * parameters inside the one INSERT or MERGE that lands them: every row or
 * none, and no value ever pasted into the text. The statement is bounded by
 * the API's request size; larger requests belong on the staged path (the
 * driver's direct_bytes_limit sends them there well before). The SQL around
 * the parameters (the source, struct values, typed NULLs, decoded bytes) is
 * the dialect's (dialects/dialect.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <lakeorm/ids.h>

#include "drivers/databricks/session.h"
#include "error/error.h"
#include "schema/schema.h"
#include "schema/type_table.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/decimal.h"
#include "util/time.h"
#include "values/values.h"

/* The Statement Execution API refuses statements over 16 MiB; parameters
 * travel in the same request, so both count. */
#define REQUEST_LIMIT ((uint64_t)16 << 20)

struct lake__direct {
    lake__session *session;
    const lake__dialect *dialect; /* the session's */
    const lake_schema *schema;
    char id[LAKE_UUID_TEXT_LEN + 1]; /* the ingest id */
    lake__buf values;                 /* the VALUES list's rows: (:v2, :v3), (...) */
    lake__dbx_param *named;           /* every value's parameter, :v1 first */
    size_t named_count, named_cap;
    lake_arena *named_text;  /* their names and values */
    uint64_t request_bytes;  /* what the statement's body will weigh */
    uint64_t rows;
};

static int oom(lake_error *err) { return lake__error(err, LAKE_ENOMEM, "out of memory"); }

static int bind_value(lake__direct *in, const char *value, size_t len, const char *type, bool base64,
                      lake_error *err);

void lake__dbx_direct_free(lake__direct *in) {
    if (!in) return;
    if (in->session->rows == in) in->session->rows = NULL;
    lake__buf_dispose(&in->values);
    lake__free(in->named);
    lake_arena_free(in->named_text);
    lake__free(in);
}

int lake__dbx_direct_open(lake__session *s, const lake__direct_spec *spec, lake__direct **out, lake_error *err) {
    *out = NULL;
    if (s->rows) return lake__error(err, LAKE_EINVAL, "databricks: a session holds one direct insert at a time");
    lake__direct *in = lake__calloc(1, sizeof *in);
    if (!in) return oom(err);
    in->session = s;
    in->dialect = s->dbx->dialect;
    in->schema = spec->schema;
    snprintf(in->id, sizeof in->id, "%s", spec->ingest_id);
    in->request_bytes = 1024;
    int rc = lake_arena_new(&in->named_text) ? oom(err) : LAKE_OK;
    /* :v1 is the request's ingest id, read by the source's projection */
    if (!rc) rc = bind_value(in, in->id, strlen(in->id), "STRING", false, err);
    in->values.len = 0;
    if (rc) {
        lake__dbx_direct_free(in);
        return rc;
    }
    s->rows = in;
    *out = in;
    return LAKE_OK;
}

void lake__dbx_direct_params(const lake__direct *d, const lake__dbx_param **params, size_t *n) {
    *params = d->named;
    *n = d->named_count;
}

/* Binds one value: `:vN` goes into the text (decoded there when it carries
 * bytes as base64), the parameter into the list. */
static int bind_value(lake__direct *in, const char *value, size_t len, const char *type, bool base64,
                      lake_error *err) {
    if (in->named_count == in->named_cap) {
        size_t cap = in->named_cap ? in->named_cap * 2 : 256;
        lake__dbx_param *p = lake__realloc(in->named, in->named_cap * sizeof *p, cap * sizeof *p);
        if (!p) return oom(err);
        in->named = p;
        in->named_cap = cap;
    }
    char name[24];
    snprintf(name, sizeof name, "v%zu", in->named_count + 1);
    lake__dbx_param *p = &in->named[in->named_count];
    p->name = lake__arena_strndup(in->named_text, name, strlen(name));
    p->value = value ? lake__arena_strndup(in->named_text, value, len) : NULL;
    p->type = type;
    if (!p->name || (value && !p->value)) return oom(err);
    in->named_count++;
    /* {"name":"vN","value":"...","type":"..."} with escapes, and ":vN, " in the text */
    in->request_bytes += 40 + strlen(name) * 2 + (value ? len + len / 8 : 0) + strlen(type);
    char marker[26];
    snprintf(marker, sizeof marker, ":%s", name);
    if (base64) in->dialect->from_base64(&in->values, marker);
    else lake__buf_puts(&in->values, marker);
    return in->values.failed ? oom(err) : LAKE_OK;
}

static int bind_column(lake__direct *in, const lake__column *c, const unsigned char *rec, lake_error *err);

/* A struct's fields, bound in turn as the dialect's struct value asks for them. */
typedef struct struct_fields {
    lake__direct *in;
    const lake__column *c;
    const unsigned char *rec;
    lake_error *err;
    int rc;
} struct_fields;

static int bind_field(void *ctx, lake__buf *out, size_t i) {
    struct_fields *f = ctx;
    (void)out; /* the VALUES list, which bind_column writes to */
    f->rc = bind_column(f->in, lake__schema_col(f->c->pub.child, i), lake__struct_at(f->c, f->rec), f->err);
    return f->rc;
}

/* A list's elements, or a map's keys and values in turn, as the dialect's
 * collection value asks for them. */
static int bind_item(void *ctx, lake__buf *out, size_t i) {
    struct_fields *f = ctx;
    (void)out; /* the VALUES list, which bind_column writes to */
    const lake_schema *es = f->c->pub.child;
    const lake__view *v = lake__view_at(f->c, f->rec);
    bool map = f->c->pub.type == LAKE_MAP;
    const unsigned char *element = (const unsigned char *)v->ptr + (map ? i / 2 : i) * es->record_size;
    f->rc = bind_column(f->in, lake__schema_col(es, map ? i % 2 : 0), element, f->err);
    return f->rc;
}

static int bind_collection(lake__direct *in, const lake__column *c, const unsigned char *rec, lake_error *err) {
    struct_fields f = {in, c, rec, err, LAKE_OK};
    int failed = in->dialect->collection_value(&in->values, &c->pub, lake__view_at(c, rec)->len, bind_item, &f);
    return f.rc ? f.rc : failed ? oom(err) : LAKE_OK;
}

static int bind_struct(lake__direct *in, const lake__column *c, const unsigned char *rec, lake_error *err) {
    struct_fields f = {in, c, rec, err, LAKE_OK};
    int failed = in->dialect->struct_value(&in->values, c->pub.child, bind_field, &f);
    return f.rc ? f.rc : failed ? oom(err) : LAKE_OK;
}

static int bind_column(lake__direct *in, const lake__column *c, const unsigned char *rec, lake_error *err) {
    const unsigned char *v = rec + c->pub.offset;
    lake_type type = c->pub.type;
    bool null = lake__is_null(c, rec);
    char text[LAKE__VALUE_TEXT_MAX], decimal_type[24];
    if (c->pub.auto_ingest_id) return bind_value(in, in->id, strlen(in->id), "STRING", false, err);
    if (lake__type_is_composite(type) && null)
        return in->dialect->typed_null(&in->values, &c->pub) ? oom(err) : LAKE_OK;
    if (type == LAKE_STRUCT) return bind_struct(in, c, rec, err);
    if (type == LAKE_LIST || type == LAKE_MAP) return bind_collection(in, c, rec, err);
    const char *sql_type = lake__type_info_of(type)->spark;
    if (type == LAKE_DECIMAL) {
        snprintf(decimal_type, sizeof decimal_type, "DECIMAL(%u,%u)", c->pub.precision, c->pub.scale);
        sql_type = lake__arena_strndup(in->named_text, decimal_type, strlen(decimal_type));
        if (!sql_type) return oom(err);
    }
    if (null && type == LAKE_BYTES) sql_type = "STRING"; /* the API has no BINARY parameter: see below */
    if (null) return bind_value(in, NULL, 0, sql_type, type == LAKE_BYTES, err);
    if (type == LAKE_STRING || type == LAKE_JSON) {
        const lake_str *s = (const lake_str *)v;
        return bind_value(in, s->ptr, s->len, sql_type, false, err);
    }
    if (type == LAKE_BYTES) {
        /* The API has no BINARY parameter: base64 text, decoded by the statement. */
        const lake_bytes *b = (const lake_bytes *)v;
        char *encoded = lake__malloc(b->len / 3 * 4 + 8);
        if (!encoded) return oom(err);
        size_t n = lake__base64_encode(b->ptr, b->len, encoded);
        int rc = bind_value(in, encoded, n, "STRING", true, err);
        lake__free(encoded);
        return rc;
    }
    /* Every other type as its text form (values/values.h): the one JSON output
     * uses, which Spark reads back as the same value (NaN, Infinity and
     * -Infinity included; floats in the fewest digits that round-trip). */
    lake__value x;
    lake__value_get(c, rec, &x);
    size_t n = lake__value_text(type, c->pub.scale, &x, text);
    if (!n) return lake__error(err, LAKE_ENOTSUP, "column %s: type %d has no Databricks parameter", c->pub.name, (int)type);
    return bind_value(in, text, n, sql_type, false, err);
}

int lake__dbx_direct_add(lake__direct *in, const void *records, size_t count, lake_error *err) {
    size_t size = lake_schema_record_size(in->schema);
    int rc = LAKE_OK;
    for (size_t r = 0; !rc && r < count; r++) {
        const unsigned char *rec = (const unsigned char *)records + r * size;
        lake__buf_puts(&in->values, in->values.len ? ", (" : "(");
        for (size_t i = 0; !rc && i < in->schema->column_count; i++) {
            if (i) lake__buf_puts(&in->values, ", ");
            rc = bind_column(in, lake__schema_col(in->schema, i), rec, err);
        }
        if (!rc && lake__buf_putc(&in->values, ')')) rc = oom(err);
        if (!rc && in->request_bytes + in->values.len > REQUEST_LIMIT)
            rc = lake__error(err, LAKE_ENOTSUP, "a direct insert into %s is one statement, and the warehouse takes at "
                             "most 16 MiB: this request passed it at row %llu; use the staged path (a staging= "
                             "s3:// or gs:// backend the warehouse reads)", lake_schema_table(in->schema),
                             (unsigned long long)(in->rows + r + 1));
    }
    if (!rc) in->rows += count;
    return rc;
}

/* The FROM-clause source over the VALUES list; nothing without rows. */
int lake__dbx_direct_finish(lake__direct *in, lake__buf *out, lake_error *err) {
    if (!in->rows) return LAKE_OK;
    /* :v1 is the ingest id (bound at open) */
    return in->dialect->values_source(out, in->schema, in->values.data, in->values.len, ":v1") ? oom(err) : LAKE_OK;
}
