/* SPDX-License-Identifier: MIT */
#include "drivers/spark/read.h"

#include <stdio.h>
#include <string.h>

#include "arrow/ipc.h"
#include "arrow/records.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/arena.h"

struct lake__spark_cursor {
    lake__spark_exec *ex;
    lake__spark_plan plan;
    const lake_schema *schema;
    lake_arena *arena;
    bool reset_arena, ended;
    lake__arrow_records batch; /* the current batch, decoded */
};

int lake__spark_cursor_open(lake__spark *sp, lake__spark_session *s, const lake_schema *schema, const char *sql,
                            const char *const *params, size_t nparams, lake_arena *arena, bool reset_arena,
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

/* One nullable text column: what lake__spark_query_text reads. The model's
 * schema is compiled once and cached (lake_schema_of). */
typedef struct text_cell {
    lake_str value;
} text_cell;
static const lake_field text_cell_fields[] = {LAKE_FIELD(text_cell, value, "lake_key,nullable", "")};
static const lake_model text_cell_model = LAKE_MODEL(text_cell, "result", text_cell_fields);

int lake__spark_query_text(lake__spark *sp, lake__spark_session *s, const char *sql, const char *const *params,
                           size_t nparams, char *out, size_t cap, lake_error *err) {
    const lake_schema *schema;
    lake_arena *arena = NULL;
    int rc = lake_schema_of(&schema, &text_cell_model, err);
    if (!rc && lake_arena_new(&arena)) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    lake__spark_cursor *cur = NULL;
    if (!rc) rc = lake__spark_cursor_open(sp, s, schema, sql, params, nparams, arena, false, &cur, err);
    const void *rec = NULL;
    if (!rc) rc = lake__spark_cursor_next(cur, &rec, err);
    if (!rc) {
        const lake_str *v = rec ? &((const text_cell *)rec)->value : NULL;
        if (!v || !v->ptr) rc = LAKE_ENOROWS; /* no row, or NULL */
        else snprintf(out, cap, "%.*s", (int)v->len, v->ptr);
    }
    lake__spark_cursor_close(cur);
    lake_arena_free(arena);
    return rc;
}
