/* SPDX-License-Identifier: MIT */
/* Iceberg's types as lakeorm spells them and as the engine reads them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialects/quote.h"
#include "error/error.h"
#include "formats/iceberg/iceberg.h"

static const lake__iceberg_field *child(const lake__iceberg_field *f, size_t i) {
    return i < f->child_count ? &f->children[i] : NULL;
}

int lake__iceberg_type_text(lake__buf *out, const lake__iceberg_field *f) {
    if (!strcmp(f->type, "struct")) {
        lake__buf_puts(out, "struct<");
        for (size_t i = 0; i < f->child_count; i++) {
            lake__buf_printf(out, "%s%s: ", i ? ", " : "", f->children[i].name);
            lake__iceberg_type_text(out, &f->children[i]);
        }
        lake__buf_putc(out, '>');
    } else if (!strcmp(f->type, "list") && child(f, 0)) {
        lake__buf_puts(out, "list<");
        lake__iceberg_type_text(out, child(f, 0));
        lake__buf_putc(out, '>');
    } else if (!strcmp(f->type, "map") && child(f, 1)) {
        lake__buf_puts(out, "map<");
        lake__iceberg_type_text(out, child(f, 0));
        lake__buf_puts(out, ", ");
        lake__iceberg_type_text(out, child(f, 1));
        lake__buf_putc(out, '>');
    } else {
        lake__buf_puts(out, f->type);
    }
    return out->failed ? -1 : 0;
}

static const struct {
    const char *iceberg, *engine;
} primitives[] = {
    {"boolean", "BOOLEAN"}, {"int", "INTEGER"},   {"long", "BIGINT"},        {"float", "FLOAT"},
    {"double", "DOUBLE"},   {"date", "DATE"},     {"time", "TIME"},          {"timestamp", "TIMESTAMP"},
    {"timestamptz", "TIMESTAMPTZ"},               {"timestamp_ns", "TIMESTAMP_NS"},
    {"string", "VARCHAR"},  {"uuid", "UUID"},     {"binary", "BLOB"},
};

int lake__iceberg_engine_type(lake__buf *out, const lake__iceberg_field *f, lake_error *err) {
    const char *t = f->type;
    if (!strcmp(t, "struct")) {
        lake__buf_puts(out, "STRUCT(");
        for (size_t i = 0; i < f->child_count; i++) {
            if (i) lake__buf_puts(out, ", ");
            lake__quote(out, f->children[i].name, '"');
            lake__buf_putc(out, ' ');
            int rc = lake__iceberg_engine_type(out, &f->children[i], err);
            if (rc) return rc;
        }
        lake__buf_putc(out, ')');
    } else if (!strcmp(t, "list") && child(f, 0)) {
        int rc = lake__iceberg_engine_type(out, child(f, 0), err);
        if (rc) return rc;
        lake__buf_puts(out, "[]");
    } else if (!strcmp(t, "map") && child(f, 1)) {
        lake__buf_puts(out, "MAP(");
        int rc = lake__iceberg_engine_type(out, child(f, 0), err);
        if (!rc) lake__buf_puts(out, ", "), rc = lake__iceberg_engine_type(out, child(f, 1), err);
        if (rc) return rc;
        lake__buf_putc(out, ')');
    } else if (!strncmp(t, "decimal(", 8)) {
        unsigned p, s;
        if (sscanf(t, "decimal(%u, %u)", &p, &s) != 2 && sscanf(t, "decimal(%u,%u)", &p, &s) != 2)
            return lake__error(err, LAKE_EIO, "Iceberg type \"%.100s\" is not a decimal", t);
        lake__buf_printf(out, "DECIMAL(%u,%u)", p, s);
    } else if (!strncmp(t, "fixed[", 6)) {
        lake__buf_puts(out, "BLOB");
    } else {
        size_t i = 0;
        while (i < sizeof primitives / sizeof *primitives && strcmp(primitives[i].iceberg, t)) i++;
        if (i == sizeof primitives / sizeof *primitives)
            return lake__error(err, LAKE_ENOTSUP, "column %s: lakeorm does not read Iceberg's %.100s type", f->name, t);
        lake__buf_puts(out, primitives[i].engine);
    }
    return out->failed ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
}

int lake__iceberg_model_field(const lake_column *c, lake_arena *arena, const lake__iceberg_field **out,
                              lake_error *err) {
    lake__buf json = LAKE__BUF_INIT;
    lake__buf_puts(&json, "{\"fields\":[");
    lake__iceberg_field_json(&json, c);
    lake__buf_puts(&json, "]}");
    size_t n = 0;
    int rc = json.failed ? lake__error(err, LAKE_ENOMEM, "out of memory")
             : !lake__iceberg_schema_fields(json.data, json.len, arena, out, &n) || n != 1
                 ? lake__error(err, LAKE_ENOMEM, "out of memory")
                 : LAKE_OK;
    lake__buf_dispose(&json);
    return rc;
}
