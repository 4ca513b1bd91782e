/* SPDX-License-Identifier: MIT */
#include "drivers/spark/read.h"

#include <stdio.h>
#include <string.h>

#include "arrow/ipc.h"
#include "arrow/records.h"
#include "error/error.h"
#include "schema/schema.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "values/values.h"

struct lake__spark_cursor {
    lake__spark_exec *ex;
    lake__spark_plan plan;
    const lake_schema *schema;
    lake_arena *arena;
    bool reset_arena, ended;
    lake__arrow_records batch; /* the current batch, decoded */
};

int lake__spark_cursor_open(lake__spark *sp, lake__spark_session *s, const lake_schema *schema, const char *sql,
                            const lake_param *params, size_t nparams, lake_arena *arena, bool reset_arena,
                            lake__spark_cursor **out, lake_error *err) {
    *out = NULL;
    lake__spark_cursor *cur = lake__calloc(1, sizeof *cur);
    if (!cur) return lake__error(err, LAKE_ENOMEM, "out of memory");
    cur->schema = schema;
    lake__arrow_records_init(&cur->batch, schema ? lake_schema_record_size(schema) : 1);
    cur->arena = arena;
    cur->reset_arena = reset_arena;
    int rc = lake__spark_plan_sql(&cur->plan, sql, params, nparams, false, err);
    if (!rc) rc = lake__spark_exec_open(sp, s, &cur->plan.plan, &cur->ex, err);
    if (rc) {
        lake__spark_cursor_close(cur);
        return rc;
    }
    *out = cur;
    return LAKE_OK;
}

int lake__spark_cursor_next(lake__spark_cursor *cur, const void **record, lake_error *err) {
    while (!(*record = lake__arrow_records_next(&cur->batch))) {
        if (cur->ended) return LAKE_OK;
        lake__arrow_records_clear(&cur->batch);
        if (cur->reset_arena) lake_arena_reset(cur->arena);
        const Spark__Connect__ExecutePlanResponse *r;
        int rc = lake__spark_exec_next(cur->ex, &r, err);
        if (rc) return rc;
        if (!r) {
            cur->ended = true;
            return LAKE_OK;
        }
        if (r->response_type_case != SPARK__CONNECT__EXECUTE_PLAN_RESPONSE__RESPONSE_TYPE_ARROW_BATCH) continue;
        /* Each batch is a whole IPC stream: its schema binds afresh, so a
         * missing column is reported even for an empty result. */
        rc = lake__arrow_records_fill(&cur->batch, r->arrow_batch->data.data, r->arrow_batch->data.len, cur->schema,
                                      cur->arena, err);
        if (rc) return rc;
        if ((int64_t)cur->batch.count != r->arrow_batch->row_count)
            return lake__error(err, LAKE_EREMOTE, "an Arrow batch said %lld rows and held %zu",
                               (long long)r->arrow_batch->row_count, cur->batch.count);
    }
    return LAKE_OK;
}

const lake_schema *lake__spark_cursor_schema(const lake__spark_cursor *cur) {
    return lake__arrow_records_schema(&cur->batch, cur->schema);
}

void lake__spark_cursor_close(lake__spark_cursor *cur) {
    if (!cur) return;
    lake__spark_exec_close(cur->ex);
    lake__spark_plan_dispose(&cur->plan);
    lake__arrow_records_dispose(&cur->batch);
    lake__free(cur);
}

/* The first column of the first row, read by position whatever its name,
 * as text: a string as it is, other types in their text form (values.h). */
static int first_cell_text(const lake_schema *shape, const void *rec, char *out, size_t cap, lake_error *err) {
    if (!shape || !rec || !lake_schema_column_count(shape)) return LAKE_ENOROWS;
    const lake__column *c = lake__schema_col(shape, 0);
    if (lake__is_null(c, rec)) return LAKE_ENOROWS;
    lake__value v;
    lake__value_get(c, rec, &v);
    if (c->pub.type == LAKE_STRING) {
        snprintf(out, cap, "%.*s", (int)v.s.len, v.s.ptr ? v.s.ptr : "");
        return LAKE_OK;
    }
    char text[LAKE__VALUE_TEXT_MAX];
    if (!lake__value_text(c->pub.type, c->pub.scale, &v, text))
        return lake__error(err, LAKE_EMISMATCH, "the query's first column is %s, which has no text form",
                           lake_type_name(c->pub.type));
    snprintf(out, cap, "%s", text);
    return LAKE_OK;
}

int lake__spark_query_text(lake__spark *sp, lake__spark_session *s, const char *sql, const lake_param *params,
                           size_t nparams, char *out, size_t cap, lake_error *err) {
    lake_arena *arena = NULL;
    int rc = lake_arena_new(&arena) ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
    lake__spark_cursor *cur = NULL;
    if (!rc) rc = lake__spark_cursor_open(sp, s, NULL, sql, params, nparams, arena, false, &cur, err);
    const void *rec = NULL;
    if (!rc) rc = lake__spark_cursor_next(cur, &rec, err);
    if (!rc) rc = first_cell_text(rec ? lake__spark_cursor_schema(cur) : NULL, rec, out, cap, err);
    lake__spark_cursor_close(cur);
    lake_arena_free(arena);
    return rc;
}
