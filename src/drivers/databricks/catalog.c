/* SPDX-License-Identifier: MIT */
/* A table's columns on a warehouse: DESCRIBE TABLE names them and their
 * types (its Spark SQL answers what information_schema would, and also on a
 * warehouse imitated by a Spark server, as in the tests); DESCRIBE TABLE
 * EXTENDED ... AS JSON says what may be NULL. A Delta table keeps no primary
 * key, so none is reported. */
#include <string.h>

#include "drivers/databricks/session.h"
#include "drivers/describe.h"
#include "error/error.h"
#include "json/scan.h"

/* The JSON document, one row of one column. */
typedef struct json_row {
    lake_str json_metadata;
} json_row;
static const lake_field json_fields[] = {
    LAKE_FIELD(json_row, json_metadata, "json_metadata,nullable", ""),
};
static const lake_model json_model = LAKE_MODEL(json_row, "describe_json", json_fields);

/* Whether another member of the object or array being read follows (its ','
 * read when it is not the first); false at the end (its `close` read) or at
 * a syntax error (j->error). */
static bool more(lake__json *j, bool *first, char close) {
    lake__json_ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        return false;
    }
    if (!*first && !lake__json_expect(j, ',', "expected ','")) return false;
    *first = false;
    return true;
}

static bool key_is(const char *k, size_t n, const char *want) { return n == strlen(want) && !memcmp(k, want, n); }

/* One element of "columns": its "name" and "nullable", other members skipped. */
static bool read_column(lake__json *j, lake_arena *arena, lake__live_columns *l) {
    if (lake__json_peek(j) != LAKE__J_OBJECT) return lake__json_fail(j, "a column is not an object");
    j->p++;
    const char *name = NULL;
    size_t name_len = 0;
    int nullable = -1;
    for (bool first = true; more(j, &first, '}');) {
        const char *k;
        size_t kn;
        if (lake__json_peek(j) != LAKE__J_STRING || !lake__json_string(j, arena, &k, &kn) ||
            !lake__json_expect(j, ':', "expected ':'"))
            return lake__json_fail(j, "expected a key");
        lake__json_kind v = lake__json_peek(j);
        if (key_is(k, kn, "name") && v == LAKE__J_STRING) {
            if (!lake__json_string(j, arena, &name, &name_len)) return false;
        } else if (key_is(k, kn, "nullable") && (v == LAKE__J_TRUE || v == LAKE__J_FALSE)) {
            if (!lake__json_literal(j, v)) return false;
            nullable = v == LAKE__J_TRUE;
        } else if (!lake__json_skip(j, 64)) {
            return false;
        }
    }
    if (!j->error && name && nullable >= 0) lake__live_columns_nullable(l, name, name_len, nullable);
    return !j->error;
}

/* The document's "columns"; its other members are skipped. */
static int read_document(const lake_str *doc, lake__live_columns *l, lake_error *err) {
    lake_arena *arena = NULL;
    if (lake_arena_new(&arena)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__json j;
    lake__json_init(&j, doc->ptr ? doc->ptr : "", doc->len);
    if (lake__json_peek(&j) != LAKE__J_OBJECT) lake__json_fail(&j, "expected an object");
    else j.p++;
    for (bool first = true; !j.error && more(&j, &first, '}');) {
        const char *k;
        size_t kn;
        if (lake__json_peek(&j) != LAKE__J_STRING || !lake__json_string(&j, arena, &k, &kn) ||
            !lake__json_expect(&j, ':', "expected ':'")) {
            lake__json_fail(&j, "expected a key");
        } else if (key_is(k, kn, "columns") && lake__json_peek(&j) == LAKE__J_ARRAY) {
            j.p++;
            for (bool in = true; more(&j, &in, ']') && read_column(&j, arena, l);) continue;
        } else {
            lake__json_skip(&j, 64);
        }
    }
    int rc = j.oom     ? lake__error(err, LAKE_ENOMEM, "out of memory")
             : j.error ? lake__error(err, LAKE_EREMOTE, "databricks: DESCRIBE TABLE ... AS JSON answered no JSON "
                                                        "lakeorm reads: %s at byte %zu", j.error, j.error_offset)
                       : LAKE_OK;
    lake_arena_free(arena);
    return rc;
}

static int take_document(void *ctx, const void *row, lake_error *err) {
    return read_document(&((const json_row *)row)->json_metadata, ctx, err);
}

/* A warehouse before Databricks Runtime 16.2 refuses AS JSON as syntax it
 * does not know: what may be NULL stays unknown (-1) then. */
static int nullability(lake__session *s, const char *table, lake__live_columns *l, lake_error *err) {
    const lake_schema *schema;
    int rc = lake_schema_of(&schema, &json_model, err);
    if (rc) return rc;
    lake__buf sql = LAKE__BUF_INIT;
    s->dbx->dialect->describe_json(&sql, table);
    lake_error own = LAKE_ERROR_INIT;
    rc = sql.failed ? lake__error(&own, LAKE_ENOMEM, "out of memory")
                    : lake__describe_rows(&lake__databricks_driver, s, sql.data, schema, take_document, l, &own);
    lake__buf_dispose(&sql);
    /* Refused as invalid: nothing was read, every column's nullable is still -1. */
    return lake__describe_outcome(rc, &own, LAKE_KIND_INVALID, err);
}

int lake__dbx_columns(lake__session *s, const char *table, lake__live_column **out, size_t *count, lake_error *err) {
    lake__live_columns l = {NULL, 0, 0};
    int rc = lake__describe_columns(&lake__databricks_driver, s, s->dbx->dialect, table, &l, err);
    if (!rc && l.count) rc = nullability(s, table, &l, err);
    return lake__live_columns_give(&l, rc, out, count);
}
