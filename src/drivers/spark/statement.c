/* SPDX-License-Identifier: MIT */
/* Statements over Spark Connect: SQL relations with bound parameters, run as
 * commands or queries; local Arrow data registered as temporary views. */
#include <stdio.h>
#include <string.h>

#include <lakeorm/schema.h>

#include "arrow/ipc.h"
#include "drivers/spark/session.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/decimal.h"
#include "util/utf8.h"

/* A parameter as a literal of its own type, so that Spark compares and
 * stores it as the column it meets (no CAST in the SQL). */
static int bind_literal(lake__spark_plan *p, lake__spark_arg *a, const lake_param *v, size_t index, lake_error *err) {
    Spark__Connect__Expression__Literal *lit = &a->literal;
    switch (v->type) {
    case LAKE_PARAM_NULL:
        lit->literal_type_case = SPARK__CONNECT__EXPRESSION__LITERAL__LITERAL_TYPE_NULL;
        lit->null = &p->null_type;
        return LAKE_OK;
    case LAKE_PARAM_TEXT: {
        const lake_str *t = &v->v.text;
        if (!t->ptr) {
            lit->literal_type_case = SPARK__CONNECT__EXPRESSION__LITERAL__LITERAL_TYPE_NULL;
            lit->null = &p->null_type;
            return LAKE_OK;
        }
        /* Protobuf strings are UTF-8, and protobuf-c's end at a NUL. */
        if (!lake__utf8_valid(t->ptr, t->len) || memchr(t->ptr, 0, t->len))
            return lake__error(err, LAKE_EINVAL, "parameter %zu is not UTF-8 text without NUL bytes", index + 1);
        if (!p->text && lake_arena_new(&p->text)) return lake__error(err, LAKE_ENOMEM, "out of memory");
        if (!(lit->string = lake__arena_strndup(p->text, t->ptr, t->len))) return lake__error(err, LAKE_ENOMEM, "out of memory");
        lit->literal_type_case = SPARK__CONNECT__EXPRESSION__LITERAL__LITERAL_TYPE_STRING;
        return LAKE_OK;
    }
    case LAKE_PARAM_INT64:
        lit->literal_type_case = SPARK__CONNECT__EXPRESSION__LITERAL__LITERAL_TYPE_LONG;
        lit->long_ = v->v.i64;
        return LAKE_OK;
    case LAKE_PARAM_DOUBLE:
        lit->literal_type_case = SPARK__CONNECT__EXPRESSION__LITERAL__LITERAL_TYPE_DOUBLE;
        lit->double_ = v->v.f64;
        return LAKE_OK;
    case LAKE_PARAM_BOOL:
        lit->literal_type_case = SPARK__CONNECT__EXPRESSION__LITERAL__LITERAL_TYPE_BOOLEAN;
        lit->boolean = v->v.b;
        return LAKE_OK;
    case LAKE_PARAM_TIMESTAMP:
        lit->literal_type_case = SPARK__CONNECT__EXPRESSION__LITERAL__LITERAL_TYPE_TIMESTAMP;
        lit->timestamp = v->v.ts.us;
        return LAKE_OK;
    case LAKE_PARAM_DATE:
        lit->literal_type_case = SPARK__CONNECT__EXPRESSION__LITERAL__LITERAL_TYPE_DATE;
        lit->date = v->v.date.days;
        return LAKE_OK;
    case LAKE_PARAM_DECIMAL: {
        unsigned precision = v->v.dec.precision, scale = v->v.dec.scale;
        if (precision < 1 || precision > 38 || scale > precision)
            return lake__error(err, LAKE_EINVAL, "parameter %zu: decimal(%u,%u): precision is 1-38, scale 0-precision",
                               index + 1, precision, scale);
        Spark__Connect__Expression__Literal__Decimal d = SPARK__CONNECT__EXPRESSION__LITERAL__DECIMAL__INIT;
        a->decimal = d;
        lake__dec_format(lake__dec_get(v->v.dec.value), scale, a->digits);
        a->decimal.value = a->digits;
        a->decimal._precision_case = SPARK__CONNECT__EXPRESSION__LITERAL__DECIMAL___PRECISION_PRECISION;
        a->decimal.precision = (int32_t)precision;
        a->decimal._scale_case = SPARK__CONNECT__EXPRESSION__LITERAL__DECIMAL___SCALE_SCALE;
        a->decimal.scale = (int32_t)scale;
        lit->literal_type_case = SPARK__CONNECT__EXPRESSION__LITERAL__LITERAL_TYPE_DECIMAL;
        lit->decimal = &a->decimal;
        return LAKE_OK;
    }
    case LAKE_PARAM_BYTES:
        if (!v->v.bytes.ptr && v->v.bytes.len)
            return lake__error(err, LAKE_EINVAL, "parameter %zu: bytes with a length and no pointer", index + 1);
        lit->literal_type_case = SPARK__CONNECT__EXPRESSION__LITERAL__LITERAL_TYPE_BINARY;
        lit->binary.data = (uint8_t *)v->v.bytes.ptr; /* borrowed for the call, as the parameter is */
        lit->binary.len = v->v.bytes.len;
        return LAKE_OK;
    }
    return lake__error(err, LAKE_EINVAL, "parameter %zu has unknown type %d", index + 1, (int)v->type);
}

int lake__spark_plan_sql(lake__spark_plan *p, const char *sql, const lake_param *params, size_t nparams,
                         bool as_command, lake_error *err) {
    memset(p, 0, sizeof *p);
    if (nparams && (!(p->args = lake__calloc(nparams, sizeof *p->args)) ||
                    !(p->arg_ptrs = lake__calloc(nparams, sizeof *p->arg_ptrs)))) {
        lake__spark_plan_dispose(p);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    Spark__Connect__DataType null_type = SPARK__CONNECT__DATA_TYPE__INIT;
    Spark__Connect__DataType__NULL null_kind = SPARK__CONNECT__DATA_TYPE__NULL__INIT;
    p->null_type = null_type;
    p->null_kind = null_kind;
    p->null_type.kind_case = SPARK__CONNECT__DATA_TYPE__KIND_NULL;
    p->null_type.null = &p->null_kind;
    Spark__Connect__SQL q = SPARK__CONNECT__SQL__INIT;
    p->sql = q;
    p->sql.query = (char *)sql;
    for (size_t i = 0; i < nparams; i++) { /* `?` markers, bound in order: values never enter the SQL text */
        Spark__Connect__Expression__Literal lit = SPARK__CONNECT__EXPRESSION__LITERAL__INIT;
        Spark__Connect__Expression e = SPARK__CONNECT__EXPRESSION__INIT;
        lake__spark_arg *a = &p->args[i];
        a->literal = lit;
        int rc = bind_literal(p, a, &params[i], i, err);
        if (rc) {
            lake__spark_plan_dispose(p);
            return rc;
        }
        a->expr = e;
        a->expr.expr_type_case = SPARK__CONNECT__EXPRESSION__EXPR_TYPE_LITERAL;
        a->expr.literal = &a->literal;
        p->arg_ptrs[i] = &a->expr;
    }
    p->sql.n_pos_arguments = nparams;
    p->sql.pos_arguments = p->arg_ptrs;
    Spark__Connect__Relation r = SPARK__CONNECT__RELATION__INIT;
    p->relation = r;
    p->relation.rel_type_case = SPARK__CONNECT__RELATION__REL_TYPE_SQL;
    p->relation.sql = &p->sql;
    Spark__Connect__Plan plan = SPARK__CONNECT__PLAN__INIT;
    p->plan = plan;
    if (as_command) {
        Spark__Connect__SqlCommand sc = SPARK__CONNECT__SQL_COMMAND__INIT;
        Spark__Connect__Command c = SPARK__CONNECT__COMMAND__INIT;
        p->sql_command = sc;
        p->sql_command.input = &p->relation;
        p->command = c;
        p->command.command_type_case = SPARK__CONNECT__COMMAND__COMMAND_TYPE_SQL_COMMAND;
        p->command.sql_command = &p->sql_command;
        p->plan.op_type_case = SPARK__CONNECT__PLAN__OP_TYPE_COMMAND;
        p->plan.command = &p->command;
    } else {
        p->plan.op_type_case = SPARK__CONNECT__PLAN__OP_TYPE_ROOT;
        p->plan.root = &p->relation;
    }
    return LAKE_OK;
}

void lake__spark_plan_dispose(lake__spark_plan *p) {
    lake__free(p->args);
    lake__free(p->arg_ptrs);
    lake_arena_free(p->text);
    memset(p, 0, sizeof *p);
}

/* The first column of a command's result: one text column read from Arrow. */
typedef struct first_cell {
    char *out;
    size_t cap;
    bool seen;
} first_cell;

/* What DML answers with (num_affected_rows first); compiled once, cached. */
typedef struct count_row {
    int64_t n;
} count_row;
static const lake_field count_fields[] = {LAKE_FIELD(count_row, n, "num_affected_rows", "")};
static const lake_model count_model = LAKE_MODEL(count_row, "result", count_fields);

static int take_first(void *ctx, const void *record) {
    first_cell *f = ctx;
    if (f->seen) return 0;
    f->seen = true;
    snprintf(f->out, f->cap, "%lld", (long long)((const count_row *)record)->n);
    return 0;
}

int lake__spark_sql(lake__spark *sp, lake__spark_session *s, const char *sql, const lake_param *params,
                    size_t nparams, char *first_value, size_t cap, lake_error *err) {
    lake__spark_plan p;
    int rc = lake__spark_plan_sql(&p, sql, params, nparams, true, err);
    if (rc) return rc;
    if (first_value && cap) first_value[0] = 0;
    lake__spark_exec *ex;
    rc = lake__spark_exec_open(sp, s, &p.plan, &ex, err);
    const Spark__Connect__ExecutePlanResponse *r = NULL;
    while (!rc && !(rc = lake__spark_exec_next(ex, &r, err)) && r) {
        /* A command answers with its output as a local relation: DML reports num_affected_rows there. */
        if (!first_value || r->response_type_case != SPARK__CONNECT__EXECUTE_PLAN_RESPONSE__RESPONSE_TYPE_SQL_COMMAND_RESULT)
            continue;
        const Spark__Connect__Relation *rel = r->sql_command_result->relation;
        if (!rel || rel->rel_type_case != SPARK__CONNECT__RELATION__REL_TYPE_LOCAL_RELATION ||
            rel->local_relation->_data_case != SPARK__CONNECT__LOCAL_RELATION___DATA_DATA)
            continue;
        const lake_schema *one;
        lake_arena *arena = NULL;
        if (lake_schema_of(&one, &count_model, NULL) == LAKE_OK && lake_arena_new(&arena) == LAKE_OK) {
            first_cell f = {first_value, cap, false};
            lake_error ignored = LAKE_ERROR_INIT; /* commands without a count answer something else */
            lake__arrow_read(rel->local_relation->data.data, rel->local_relation->data.len, one, arena, true, take_first,
                             &f, &ignored);
            lake_error_clear(&ignored);
        }
        lake_arena_free(arena);
    }
    lake__spark_exec_close(ex);
    lake__spark_plan_dispose(&p);
    return rc;
}

int lake__spark_view(lake__spark *sp, lake__spark_session *s, const char *name, const void *arrow, size_t len,
                     lake_error *err) {
    Spark__Connect__LocalRelation local = SPARK__CONNECT__LOCAL_RELATION__INIT;
    local._data_case = SPARK__CONNECT__LOCAL_RELATION___DATA_DATA;
    local.data.data = (uint8_t *)arrow;
    local.data.len = len;
    Spark__Connect__Relation input = SPARK__CONNECT__RELATION__INIT;
    input.rel_type_case = SPARK__CONNECT__RELATION__REL_TYPE_LOCAL_RELATION;
    input.local_relation = &local;
    Spark__Connect__CreateDataFrameViewCommand view = SPARK__CONNECT__CREATE_DATA_FRAME_VIEW_COMMAND__INIT;
    view.input = &input;
    view.name = (char *)name;
    view.replace = true;
    Spark__Connect__Command command = SPARK__CONNECT__COMMAND__INIT;
    command.command_type_case = SPARK__CONNECT__COMMAND__COMMAND_TYPE_CREATE_DATAFRAME_VIEW;
    command.create_dataframe_view = &view;
    Spark__Connect__Plan plan = SPARK__CONNECT__PLAN__INIT;
    plan.op_type_case = SPARK__CONNECT__PLAN__OP_TYPE_COMMAND;
    plan.command = &command;
    return lake__spark_run(sp, s, &plan, err);
}
