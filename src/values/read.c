/* SPDX-License-Identifier: MIT */
/* What both readers (DuckDB results, Arrow streams from Spark Connect and
 * Databricks) share once they have said what a result column holds: whether
 * it binds to a field, what it reads as without a schema, and the wording of
 * every value error, so the same value meets the same answer on any driver. */
#include <stdio.h>

#include "error/error.h"
#include "values/values.h"

bool lake__value_converts(lake_type to, const lake__source *from) {
    const lake__value_type *t = lake__value_type_of(to);
    return t && from->kind != LAKE__V_NONE && (t->accepts >> from->kind & 1u);
}

lake_type lake__value_natural(const lake__source *from, uint8_t *precision, uint8_t *scale) {
    *precision = *scale = 0;
    switch (from->kind) {
    case LAKE__V_BOOL: return LAKE_BOOL;
    case LAKE__V_INT: {
        /* The narrowest signed type holding every value; past 64 bits, an exact decimal. */
        if (from->bits > 64 || (from->bits == 64 && !from->is_signed)) {
            *precision = from->bits > 64 ? 38 : 20;
            return LAKE_DECIMAL;
        }
        static const lake_type widths[] = {LAKE_INT8, LAKE_INT16, LAKE_INT32, LAKE_INT64, LAKE_INT64};
        int w = from->bits <= 8 ? 0 : from->bits <= 16 ? 1 : from->bits <= 32 ? 2 : 3;
        return widths[w + !from->is_signed];
    }
    case LAKE__V_FLOAT: return from->bits == 32 ? LAKE_FLOAT32 : LAKE_FLOAT64;
    case LAKE__V_DECIMAL:
        if (from->precision < 1 || from->precision > LAKE_DECIMAL_MAX_PRECISION || from->scale < 0 ||
            from->scale > from->precision)
            return 0;
        *precision = from->precision;
        *scale = (uint8_t)from->scale;
        return LAKE_DECIMAL;
    case LAKE__V_TEXT: return LAKE_STRING;
    case LAKE__V_BINARY: return LAKE_BYTES;
    case LAKE__V_TIMESTAMP: return LAKE_TIMESTAMP;
    case LAKE__V_DATE: return LAKE_DATE;
    case LAKE__V_UUID: return LAKE_UUID;
    case LAKE__V_KSUID: return LAKE_SORTABLE_ID;
    case LAKE__V_STRUCT: return LAKE_STRUCT;
    case LAKE__V_LIST: return LAKE_LIST;
    case LAKE__V_MAP: return LAKE_MAP;
    case LAKE__V_NONE: break;
    }
    return 0;
}

void lake__source_name(const lake__source *from, char *out, size_t cap) {
    static const char *const units[] = {"s", "ms", "us", "ns", "day"};
    switch (from->kind) {
    case LAKE__V_BOOL: snprintf(out, cap, "bool"); break;
    case LAKE__V_INT: snprintf(out, cap, "%sint%u", from->is_signed ? "" : "u", (unsigned)from->bits); break;
    case LAKE__V_FLOAT: snprintf(out, cap, "float%u", (unsigned)from->bits); break;
    case LAKE__V_DECIMAL: snprintf(out, cap, "decimal(%u,%d)", (unsigned)from->precision, (int)from->scale); break;
    case LAKE__V_TEXT: snprintf(out, cap, "text"); break;
    case LAKE__V_BINARY: snprintf(out, cap, "binary"); break;
    case LAKE__V_TIMESTAMP: snprintf(out, cap, "timestamp[%s]", units[from->unit]); break;
    case LAKE__V_DATE: snprintf(out, cap, from->unit == LAKE__UNIT_MS ? "date[ms]" : "date"); break;
    case LAKE__V_UUID: snprintf(out, cap, "uuid"); break;
    case LAKE__V_KSUID: snprintf(out, cap, "ksuid"); break;
    case LAKE__V_STRUCT: snprintf(out, cap, "struct"); break;
    case LAKE__V_LIST: snprintf(out, cap, "list"); break;
    case LAKE__V_MAP: snprintf(out, cap, "map"); break;
    case LAKE__V_NONE: snprintf(out, cap, "a type lakeorm does not read"); break;
    }
}

int lake__value_error(lake_error *err, const lake_column *c, lake__fit fit) {
    switch (fit) {
    case LAKE__FITS: return LAKE_OK;
    case LAKE__NO_MEMORY: return lake__error(err, LAKE_ENOMEM, "out of memory");
    case LAKE__LOSES_DIGITS:
        return lake__error(err, LAKE_EMISMATCH, "result column \"%s\" has more decimal places than its field "
                           "(DECIMAL(%u,%u))", c->name, c->precision, c->scale);
    case LAKE__BAD_TEXT:
        return lake__error(err, LAKE_EMISMATCH, "result column \"%s\" holds a string that is not %s", c->name,
                           lake__value_type_of(c->type)->what);
    case LAKE__TOO_BIG: break;
    }
    if (c->type == LAKE_DECIMAL)
        return lake__error(err, LAKE_EMISMATCH, "result column \"%s\" holds a value that does not fit its field "
                           "(DECIMAL(%u,%u))", c->name, c->precision, c->scale);
    return lake__error(err, LAKE_EMISMATCH, "result column \"%s\" holds a value that does not fit its %s field",
                       c->name, lake_type_name(c->type));
}

int lake__value_null_error(lake_error *err, const lake_column *c) {
    return lake__error(err, LAKE_EMISMATCH, "NULL in result column \"%s\", but its field is not nullable", c->name);
}

int lake__value_type_error(lake_error *err, const char *name, const lake__source *from, const char *engine_type,
                           const lake_column *c) {
    char what[64];
    lake__source_name(from, what, sizeof what);
    return lake__error(err, LAKE_EMISMATCH, "result column \"%s\" (%s) cannot be read into a %s field", name,
                       from->kind == LAKE__V_NONE ? engine_type : what, lake_type_name(c->type));
}

int lake__value_missing_error(lake_error *err, const lake_schema *s, const char *column, const char *where) {
    return lake__error(err, LAKE_EMISMATCH, "the result has no column \"%s\"%s%s (model %s)", column,
                       *where ? " in " : "", where, s->table);
}
