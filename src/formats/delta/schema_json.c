/* SPDX-License-Identifier: MIT */
/* A table's schema as Delta keeps it in metaData.schemaString: Spark's
 * StructType JSON (PROTOCOL.md, "Schema Serialization Format"). */
#include <string.h>

#include "error/error.h"
#include "formats/delta/delta.h"
#include "json/scan.h"
#include "json/write.h"
#include "schema/schema.h"

/* Delta's primitive type names, by lake type. UUIDs and sortable ids are
 * text in Delta tables (Spark has no UUID type), JSON values their text.
 * Timestamps are instants ("timestamp" is Spark's TIMESTAMP_LTZ: UTC
 * microseconds), never timestamp_ntz. */
static const char *const primitive[] = {
    [LAKE_BOOL] = "boolean",   [LAKE_INT8] = "byte",      [LAKE_INT16] = "short",
    [LAKE_INT32] = "integer",  [LAKE_INT64] = "long",     [LAKE_FLOAT32] = "float",
    [LAKE_FLOAT64] = "double", [LAKE_STRING] = "string",  [LAKE_BYTES] = "binary",
    [LAKE_TIMESTAMP] = "timestamp", [LAKE_DATE] = "date", [LAKE_UUID] = "string",
    [LAKE_SORTABLE_ID] = "string",  [LAKE_JSON] = "string",
};

/* A field is {"name":..,"type":..,"nullable":..,"metadata":{}}: begin
 * writes up to the type's value, end what follows it. */
static void field_begin(lake__buf *out, const char *name) {
    lake__buf_puts(out, "{\"name\":");
    lake__json_write_string(out, name, strlen(name));
    lake__buf_puts(out, ",\"type\":");
}

static int field_end(lake__buf *out, bool nullable) {
    return lake__buf_printf(out, ",\"nullable\":%s,\"metadata\":{}}", nullable ? "true" : "false") ? -1 : 0;
}

static int field_json(lake__buf *out, const lake_column *c) {
    field_begin(out, c->name);
    return lake__delta_column_type_json(out, c) || field_end(out, c->nullable) ? -1 : 0;
}

int lake__delta_column_type_json(lake__buf *out, const lake_column *c) {
    switch (c->type) {
    case LAKE_STRUCT:
        lake__buf_puts(out, "{\"type\":\"struct\",\"fields\":[");
        for (size_t i = 0; i < lake_schema_column_count(c->child); i++) {
            const lake_column *f = lake_schema_column(c->child, i);
            if (i) lake__buf_putc(out, ',');
            if (field_json(out, f)) return -1;
        }
        return lake__buf_puts(out, "]}") ? -1 : 0;
    case LAKE_LIST: {
        const lake_column *e = lake_schema_column(c->child, 0);
        lake__buf_puts(out, "{\"type\":\"array\",\"elementType\":");
        if (lake__delta_column_type_json(out, e)) return -1;
        return lake__buf_printf(out, ",\"containsNull\":%s}", e->nullable ? "true" : "false") ? -1 : 0;
    }
    case LAKE_MAP: {
        const lake_column *v = lake_schema_column(c->child, 1); /* 0 is the key, always a string */
        lake__buf_puts(out, "{\"type\":\"map\",\"keyType\":\"string\",\"valueType\":");
        if (lake__delta_column_type_json(out, v)) return -1;
        return lake__buf_printf(out, ",\"valueContainsNull\":%s}", v->nullable ? "true" : "false") ? -1 : 0;
    }
    case LAKE_DECIMAL:
        return lake__buf_printf(out, "\"decimal(%u,%u)\"", c->precision, c->scale) ? -1 : 0;
    default:
        if ((size_t)c->type >= sizeof primitive / sizeof *primitive || !primitive[c->type]) return -1;
        return lake__buf_printf(out, "\"%s\"", primitive[c->type]) ? -1 : 0;
    }
}

int lake__delta_schema_json(lake__buf *out, const lake_schema *s) {
    lake__buf_puts(out, "{\"type\":\"struct\",\"fields\":[");
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (i) lake__buf_putc(out, ',');
        if (field_json(out, c)) return -1;
    }
    /* The system column every lakeorm table has (a read projection that
     * names it already lists it among its columns). */
    if (!s->reads_ingest_id) {
        if (lake_schema_column_count(s)) lake__buf_putc(out, ',');
        field_begin(out, "_ingest_id");
        lake__buf_puts(out, "\"string\"");
        field_end(out, true);
    }
    return lake__buf_puts(out, "]}") ? -1 : 0;
}

/* ---- reading a schemaString */

typedef struct reader {
    lake__json j;
    lake_arena *arena;
    lake__buf type; /* the current field's type, copied */
} reader;

static bool key_is(const char *want, const char *key, size_t len) {
    return strlen(want) == len && !memcmp(key, want, len);
}

/* Steps through an object's members (its '{' consumed), as actions.c does. */
static bool member(reader *r, bool *first, const char **key, size_t *len) {
    lake__json_ws(&r->j);
    if (r->j.p < r->j.end && *r->j.p == '}') {
        r->j.p++;
        return false;
    }
    if (!*first && !lake__json_expect(&r->j, ',', "expected ',' or '}'")) return false;
    *first = false;
    lake__json_ws(&r->j);
    if (r->j.p == r->j.end || *r->j.p != '"') return lake__json_fail(&r->j, "expected a key string");
    return lake__json_string(&r->j, r->arena, key, len) && lake__json_expect(&r->j, ':', "expected ':' after key");
}

static bool is_partition(const lake__delta_metadata *m, const char *name) {
    for (size_t i = 0; m && i < m->partition_count; i++)
        if (m->partition_columns[i] && !strcmp(m->partition_columns[i], name)) return true;
    return false;
}

static bool read_field(reader *r, lake__delta_column *out) {
    bool first = true, has_type = false, has_nullable = false;
    const char *key, *s;
    size_t len;
    memset(out, 0, sizeof *out);
    if (!lake__json_expect(&r->j, '{', "expected a field object")) return false;
    while (member(r, &first, &key, &len)) {
        if (key_is("name", key, len)) {
            if (lake__json_peek(&r->j) != LAKE__J_STRING) return lake__json_fail(&r->j, "a field's name is not a string");
            if (!lake__json_string(&r->j, r->arena, &s, &len)) return false;
            if (!(out->name = lake__arena_strndup(r->arena, s, len))) return !(r->j.oom = true);
        } else if (key_is("type", key, len)) {
            r->type.len = 0;
            if (!lake__json_copy(&r->j, 64, &r->type)) return false;
            if (r->type.failed) return !(r->j.oom = true);
            if (!(out->type_json = lake__arena_strndup(r->arena, r->type.data, r->type.len))) return !(r->j.oom = true);
            has_type = true;
        } else if (key_is("nullable", key, len)) {
            lake__json_kind k = lake__json_peek(&r->j);
            if (k != LAKE__J_TRUE && k != LAKE__J_FALSE) return lake__json_fail(&r->j, "nullable is not a boolean");
            out->nullable = k == LAKE__J_TRUE;
            has_nullable = true;
            if (!lake__json_literal(&r->j, k)) return false;
        } else if (!lake__json_skip(&r->j, 64)) {
            return false;
        }
    }
    if (r->j.error || r->j.oom) return false;
    if (!out->name || !has_type || !has_nullable)
        return lake__json_fail(&r->j, "a field lacks its name, type or nullable");
    return true;
}

static bool read_fields(reader *r, lake__delta_column **out, size_t *count) {
    size_t cap = 0;
    *out = NULL, *count = 0; /* a second "fields" member replaces the first */
    if (!lake__json_expect(&r->j, '[', "fields is not an array")) return false;
    lake__json_ws(&r->j);
    if (r->j.p < r->j.end && *r->j.p == ']') {
        r->j.p++;
        return true;
    }
    for (;;) {
        if (*count == cap) {
            size_t bigger = cap ? cap * 2 : 16;
            lake__delta_column *grown = lake__arena_alloc(r->arena, bigger * sizeof *grown, 16);
            if (!grown) return !(r->j.oom = true);
            if (*count) memcpy(grown, *out, *count * sizeof *grown);
            *out = grown, cap = bigger;
        }
        if (!read_field(r, &(*out)[*count])) return false;
        (*count)++;
        lake__json_ws(&r->j);
        if (r->j.p == r->j.end || *r->j.p != ',') break;
        r->j.p++;
    }
    return lake__json_expect(&r->j, ']', "expected ',' or ']'");
}

int lake__delta_schema_parse(const char *schema_string, const lake__delta_metadata *m, lake_arena *arena,
                             lake__delta_column **out, size_t *count, lake_error *err) {
    reader r = {.arena = arena, .type = LAKE__BUF_INIT};
    bool first = true, is_struct = false, has_fields = false;
    const char *key, *s;
    size_t len;
    *out = NULL, *count = 0;
    lake__json_init(&r.j, schema_string, strlen(schema_string));
    if (lake__json_expect(&r.j, '{', "the schema is not an object")) {
        while (member(&r, &first, &key, &len)) {
            bool ok;
            if (key_is("type", key, len)) {
                ok = lake__json_peek(&r.j) == LAKE__J_STRING && lake__json_string(&r.j, arena, &s, &len);
                is_struct = ok && len == 6 && !memcmp(s, "struct", 6);
            } else if (key_is("fields", key, len)) {
                ok = read_fields(&r, out, count);
                has_fields = ok;
            } else {
                ok = lake__json_skip(&r.j, 64);
            }
            if (!ok) {
                lake__json_fail(&r.j, "malformed member");
                break;
            }
        }
        if (!r.j.error && !r.j.oom && !lake__json_at_end(&r.j)) lake__json_fail(&r.j, "text after the schema");
        if (!r.j.error && !r.j.oom && (!is_struct || !has_fields))
            lake__json_fail(&r.j, "not a struct with fields");
    }
    lake__buf_dispose(&r.type);
    if (r.j.oom) return lake__error(err, LAKE_ENOMEM, "out of memory");
    if (r.j.error)
        return lake__error(err, LAKE_EIO, "malformed Delta schemaString at byte %zu: %s", r.j.error_offset, r.j.error);
    for (size_t i = 0; i < *count; i++) (*out)[i].partition = is_partition(m, (*out)[i].name);
    return LAKE_OK;
}
