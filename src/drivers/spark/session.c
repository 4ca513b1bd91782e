/* SPDX-License-Identifier: MIT */
#include "drivers/spark/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lakeorm/ids.h>
#include <lakeorm/schema.h>

#include "arrow/ipc.h"
#include "error/error.h"
#include "util/alloc.h"
#include "util/arena.h"

#define SERVICE "/spark.connect.SparkConnectService/"

static int oom(lake_error *err) { return lake__error(err, LAKE_ENOMEM, "out of memory"); }

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Full-jitter exponential back-off: up to 0.1 s, 0.2 s, ... capped at 5 s. */
static void back_off(unsigned attempt) {
    double cap = 0.1 * (double)(1u << (attempt < 6 ? attempt : 6));
    if (cap > 5) cap = 5;
    double pause = cap * ((double)(rand() % 1000) / 1000.0); /* jitter, not security */
    struct timespec ts = {(time_t)pause, (long)((pause - (double)(time_t)pause) * 1e9)};
    nanosleep(&ts, NULL);
}

/* Whether a failure before any answer is worth retrying: the server is not
 * reachable yet, or (Databricks) the cluster is starting. */
static bool transient(int rc, const lake_error *err) {
    if (rc == LAKE_EIO) return true;
    return rc == LAKE_EREMOTE && err && (strstr(err->message, "not ready") || strstr(err->message, "NOT_READY") ||
                                         strstr(err->message, "is starting"));
}

int lake__spark_open(lake__spark *sp, const char *url, size_t pool_size, lake_error *err) {
    memset(sp, 0, sizeof *sp);
    pthread_mutex_init(&sp->lock, NULL);
    int rc = lake__spark_target_parse(url, &sp->target, err);
    if (rc) return rc;
    sp->pool_size = pool_size ? pool_size : 8;
    sp->retry_seconds = 60;
    snprintf(sp->client_type, sizeof sp->client_type, "lakeorm-c/0.1%s%s", sp->target.user_agent[0] ? " " : "",
             sp->target.user_agent);
    if (!(sp->idle = lake__calloc(sp->pool_size, sizeof *sp->idle))) return oom(err);
    lake__grpc_options o = {sp->target.address, sp->target.tls, NULL, sp->target.headers, sp->target.header_count,
                            sp->target.max_message_bytes, sp->client_type};
    return lake__grpc_open(&sp->grpc, &o, err);
}

static void user_context(const lake__spark *sp, Spark__Connect__UserContext *u) {
    Spark__Connect__UserContext init = SPARK__CONNECT__USER_CONTEXT__INIT;
    *u = init;
    u->user_id = (char *)(sp->target.user_id[0] ? sp->target.user_id : "lakeorm");
}

/* A request's bytes and the RPC's path, for either kind of call. */
static int prepare(const char *rpc, const ProtobufCMessage *req, char method[static 128], uint8_t **bytes, size_t *n,
                   lake_error *err) {
    *n = protobuf_c_message_get_packed_size(req);
    if (!(*bytes = lake__malloc(*n ? *n : 1))) return oom(err);
    protobuf_c_message_pack(req, *bytes);
    snprintf(method, 128, SERVICE "%s", rpc);
    return LAKE_OK;
}

/* A unary call with a deadline; the response is unpacked by the caller. */
static int unary(lake__spark *sp, const char *rpc, const ProtobufCMessage *req, double timeout_s, uint8_t **resp,
                 size_t *resp_len, lake_error *err) {
    char method[128];
    uint8_t *bytes;
    size_t n;
    int rc = prepare(rpc, req, method, &bytes, &n, err);
    if (!rc) rc = lake__grpc_unary(sp->grpc, method, bytes, n, timeout_s, resp, resp_len, NULL, err);
    lake__free(bytes);
    return rc;
}

static void interrupt_and_release(lake__spark *sp, const lake__spark_session *s) {
    Spark__Connect__UserContext u;
    user_context(sp, &u);
    uint8_t *resp;
    size_t len;
    lake_error ignored = LAKE_ERROR_INIT;
    Spark__Connect__InterruptRequest ir = SPARK__CONNECT__INTERRUPT_REQUEST__INIT;
    ir.session_id = (char *)s->id;
    ir.user_context = &u;
    ir._client_type_case = SPARK__CONNECT__INTERRUPT_REQUEST___CLIENT_TYPE_CLIENT_TYPE;
    ir.client_type = sp->client_type;
    ir.interrupt_type = SPARK__CONNECT__INTERRUPT_REQUEST__INTERRUPT_TYPE__INTERRUPT_TYPE_ALL;
    /* Closing never waits long on a server that does not answer. */
    if (!unary(sp, "Interrupt", &ir.base, 5, &resp, &len, &ignored)) lake__free(resp);
    Spark__Connect__ReleaseSessionRequest rs = SPARK__CONNECT__RELEASE_SESSION_REQUEST__INIT;
    rs.session_id = (char *)s->id;
    rs.user_context = &u;
    rs._client_type_case = SPARK__CONNECT__RELEASE_SESSION_REQUEST___CLIENT_TYPE_CLIENT_TYPE;
    rs.client_type = sp->client_type;
    if (!unary(sp, "ReleaseSession", &rs.base, 5, &resp, &len, &ignored)) lake__free(resp);
    lake_error_clear(&ignored);
}

void lake__spark_close(lake__spark *sp) {
    if (sp->grpc)
        for (size_t i = 0; i < sp->known_count; i++) interrupt_and_release(sp, &sp->known[i]);
    lake__grpc_close(sp->grpc);
    lake__spark_target_dispose(&sp->target);
    lake__free(sp->idle);
    lake__free(sp->known);
    pthread_mutex_destroy(&sp->lock);
    memset(sp, 0, sizeof *sp);
}

int lake__spark_session_get(lake__spark *sp, lake__spark_session *out, lake_error *err) {
    pthread_mutex_lock(&sp->lock);
    bool pooled = sp->idle_count > 0;
    if (pooled) *out = sp->idle[--sp->idle_count];
    pthread_mutex_unlock(&sp->lock);
    if (pooled) return LAKE_OK;
    memset(out, 0, sizeof *out);
    out->fresh = true;
    if (sp->target.session_id[0]) {
        memcpy(out->id, sp->target.session_id, sizeof out->id);
    } else {
        lake_uuid id;
        if (lake_uuid7_new(&id)) return lake__error(err, LAKE_ERROR, "no randomness for a session id");
        lake_uuid_format(&id, out->id);
    }
    pthread_mutex_lock(&sp->lock);
    int rc = LAKE_OK;
    bool seen = false;
    for (size_t i = 0; i < sp->known_count && !seen; i++) seen = !strcmp(sp->known[i].id, out->id);
    if (!seen) {
        if (sp->known_count == sp->known_cap) {
            size_t cap = sp->known_cap ? sp->known_cap * 2 : 8;
            lake__spark_session *grown = lake__realloc(sp->known, sp->known_cap * sizeof *grown, cap * sizeof *grown);
            if (!grown) rc = oom(err);
            else sp->known = grown, sp->known_cap = cap;
        }
        if (!rc) sp->known[sp->known_count++] = *out;
    }
    pthread_mutex_unlock(&sp->lock);
    return rc;
}

void lake__spark_session_put(lake__spark *sp, const lake__spark_session *s) {
    pthread_mutex_lock(&sp->lock);
    if (sp->idle_count < sp->pool_size) sp->idle[sp->idle_count++] = *s;
    pthread_mutex_unlock(&sp->lock);
}

/* ---- executions */

struct lake__spark_exec {
    lake__spark *sp;
    lake__spark_session *s;
    Spark__Connect__UserContext user;
    char operation_id[LAKE_UUID_TEXT_LEN + 1];
    char last_response[64];
    lake__grpc_call *call;
    Spark__Connect__ExecutePlanResponse *current;
    bool complete;
    bool pending;         /* current was read by open: next hands it out first */
    unsigned reattaches;  /* in a row without a response: bounded */
};

/* A call whose responses stream back. */
static int pack_and_call(lake__spark *sp, const char *rpc, const ProtobufCMessage *req, lake__grpc_call **call,
                         lake_error *err) {
    char method[128];
    uint8_t *bytes;
    size_t n;
    int rc = prepare(rpc, req, method, &bytes, &n, err);
    if (!rc) rc = lake__grpc_call_start(sp->grpc, method, bytes, n, 0, call, err);
    lake__free(bytes);
    return rc;
}

static int reattach(lake__spark_exec *ex, lake_error *err) {
    __atomic_add_fetch(&ex->sp->reattaches, 1, __ATOMIC_RELAXED);
    lake__grpc_call_free(ex->call);
    ex->call = NULL;
    Spark__Connect__ReattachExecuteRequest req = SPARK__CONNECT__REATTACH_EXECUTE_REQUEST__INIT;
    req.session_id = ex->s->id;
    req.user_context = &ex->user;
    req.operation_id = ex->operation_id;
    req._client_type_case = SPARK__CONNECT__REATTACH_EXECUTE_REQUEST___CLIENT_TYPE_CLIENT_TYPE;
    req.client_type = ex->sp->client_type;
    if (ex->last_response[0]) {
        req._last_response_id_case = SPARK__CONNECT__REATTACH_EXECUTE_REQUEST___LAST_RESPONSE_ID_LAST_RESPONSE_ID;
        req.last_response_id = ex->last_response;
    }
    return pack_and_call(ex->sp, "ReattachExecute", &req.base, &ex->call, err);
}

int lake__spark_exec_open(lake__spark *sp, lake__spark_session *s, const Spark__Connect__Plan *plan,
                          lake__spark_exec **out, lake_error *err) {
    *out = NULL;
    lake__spark_exec *ex = lake__calloc(1, sizeof *ex);
    if (!ex) return oom(err);
    ex->sp = sp;
    ex->s = s;
    user_context(sp, &ex->user);
    Spark__Connect__ReattachOptions reattachable = SPARK__CONNECT__REATTACH_OPTIONS__INIT;
    reattachable.reattachable = true;
    Spark__Connect__ExecutePlanRequest__RequestOption option = SPARK__CONNECT__EXECUTE_PLAN_REQUEST__REQUEST_OPTION__INIT;
    option.request_option_case = SPARK__CONNECT__EXECUTE_PLAN_REQUEST__REQUEST_OPTION__REQUEST_OPTION_REATTACH_OPTIONS;
    option.reattach_options = &reattachable;
    Spark__Connect__ExecutePlanRequest__RequestOption *options[] = {&option};
    char *tags[] = {(char *)"lakeorm"};
    double deadline = now_seconds() + sp->retry_seconds;
    int rc;
    for (unsigned attempt = 0;; attempt++) {
        lake_uuid op;
        if (lake_uuid7_new(&op)) {
            lake__free(ex);
            return lake__error(err, LAKE_ERROR, "no randomness for an operation id");
        }
        lake_uuid_format(&op, ex->operation_id);
        Spark__Connect__ExecutePlanRequest req = SPARK__CONNECT__EXECUTE_PLAN_REQUEST__INIT;
        req.session_id = s->id;
        req.user_context = &ex->user;
        req.plan = (Spark__Connect__Plan *)plan;
        req._client_type_case = SPARK__CONNECT__EXECUTE_PLAN_REQUEST___CLIENT_TYPE_CLIENT_TYPE;
        req.client_type = sp->client_type;
        req._operation_id_case = SPARK__CONNECT__EXECUTE_PLAN_REQUEST___OPERATION_ID_OPERATION_ID;
        req.operation_id = ex->operation_id;
        req.n_request_options = 1;
        req.request_options = options;
        req.n_tags = 1;
        req.tags = tags;
        if (s->server_side[0]) {
            req._client_observed_server_side_session_id_case =
                SPARK__CONNECT__EXECUTE_PLAN_REQUEST___CLIENT_OBSERVED_SERVER_SIDE_SESSION_ID_CLIENT_OBSERVED_SERVER_SIDE_SESSION_ID;
            req.client_observed_server_side_session_id = s->server_side;
        }
        rc = pack_and_call(sp, "ExecutePlan", &req.base, &ex->call, err);
        if (rc) break;
        /* The first response tells whether the server took the plan. */
        const Spark__Connect__ExecutePlanResponse *first;
        rc = lake__spark_exec_next(ex, &first, err);
        if (!rc) {
            ex->pending = first != NULL;
            break;
        }
        /* Retried only before the server answered: a plan it took is never sent twice. */
        if (ex->last_response[0] || !transient(rc, err) || now_seconds() > deadline) break;
        lake__grpc_call_free(ex->call);
        ex->call = NULL;
        back_off(attempt);
    }
    if (rc) {
        lake__spark_exec_close(ex);
        return rc;
    }
    *out = ex;
    return LAKE_OK;
}

int lake__spark_exec_next(lake__spark_exec *ex, const Spark__Connect__ExecutePlanResponse **out, lake_error *err) {
    *out = NULL;
    if (ex->pending) {
        ex->pending = false;
        *out = ex->current;
        return LAKE_OK;
    }
    spark__connect__execute_plan_response__free_unpacked(ex->current, NULL);
    ex->current = NULL;
    for (;;) {
        const uint8_t *data;
        size_t len;
        int rc = lake__grpc_call_next(ex->call, &data, &len, err);
        if (rc == LAKE_EIO && ex->last_response[0] && ex->reattaches < 5) {
            /* The stream broke after the server took the plan: pick it up where it was. */
            back_off(ex->reattaches++);
            if ((rc = reattach(ex, err))) return rc;
            continue;
        }
        if (rc) return rc;
        if (!data) {
            if (ex->complete) return LAKE_OK;
            /* A reattachable stream ends without ResultComplete when the server
             * caps a stream's length or duration: the rest comes on a reattach. */
            if (ex->reattaches++ == 5)
                return lake__error(err, LAKE_EREMOTE, "the server ended operation %s's stream five times without "
                                                      "results or completion", ex->operation_id);
            if ((rc = reattach(ex, err))) return rc;
            continue;
        }
        ex->reattaches = 0;
        Spark__Connect__ExecutePlanResponse *r = spark__connect__execute_plan_response__unpack(NULL, len, data);
        if (!r) return lake__error(err, LAKE_EREMOTE, "the server sent an ExecutePlanResponse lakeorm cannot decode");
        if (r->response_id && r->response_id[0])
            snprintf(ex->last_response, sizeof ex->last_response, "%s", r->response_id);
        if (r->server_side_session_id && r->server_side_session_id[0])
            snprintf(ex->s->server_side, sizeof ex->s->server_side, "%s", r->server_side_session_id);
        switch (r->response_type_case) {
        case SPARK__CONNECT__EXECUTE_PLAN_RESPONSE__RESPONSE_TYPE_ARROW_BATCH:
        case SPARK__CONNECT__EXECUTE_PLAN_RESPONSE__RESPONSE_TYPE_SQL_COMMAND_RESULT:
            ex->current = r;
            *out = r;
            return LAKE_OK;
        case SPARK__CONNECT__EXECUTE_PLAN_RESPONSE__RESPONSE_TYPE_RESULT_COMPLETE:
            ex->complete = true;
            break;
        default: break; /* progress, metrics, kinds lakeorm does not know */
        }
        spark__connect__execute_plan_response__free_unpacked(r, NULL);
    }
}

void lake__spark_exec_close(lake__spark_exec *ex) {
    if (!ex) return;
    spark__connect__execute_plan_response__free_unpacked(ex->current, NULL);
    lake__grpc_call_free(ex->call);
    if (ex->last_response[0]) { /* the server buffers a reattachable execution's responses until released */
        Spark__Connect__ReleaseExecuteRequest req = SPARK__CONNECT__RELEASE_EXECUTE_REQUEST__INIT;
        Spark__Connect__ReleaseExecuteRequest__ReleaseAll all = SPARK__CONNECT__RELEASE_EXECUTE_REQUEST__RELEASE_ALL__INIT;
        req.session_id = ex->s->id;
        req.user_context = &ex->user;
        req.operation_id = ex->operation_id;
        req._client_type_case = SPARK__CONNECT__RELEASE_EXECUTE_REQUEST___CLIENT_TYPE_CLIENT_TYPE;
        req.client_type = ex->sp->client_type;
        req.release_case = SPARK__CONNECT__RELEASE_EXECUTE_REQUEST__RELEASE_RELEASE_ALL;
        req.release_all = &all;
        uint8_t *resp;
        size_t len;
        lake_error ignored = LAKE_ERROR_INIT;
        if (!unary(ex->sp, "ReleaseExecute", &req.base, 10, &resp, &len, &ignored)) lake__free(resp);
        lake_error_clear(&ignored);
    }
    lake__free(ex);
}

int lake__spark_run(lake__spark *sp, lake__spark_session *s, const Spark__Connect__Plan *plan, lake_error *err) {
    lake__spark_exec *ex;
    int rc = lake__spark_exec_open(sp, s, plan, &ex, err);
    const Spark__Connect__ExecutePlanResponse *r = NULL;
    while (!rc && !(rc = lake__spark_exec_next(ex, &r, err)) && r) {
    }
    lake__spark_exec_close(ex);
    return rc;
}

int lake__spark_version(lake__spark *sp, char *out, size_t cap, lake_error *err) {
    lake__spark_session s;
    int rc = lake__spark_session_get(sp, &s, err);
    if (rc) return rc;
    Spark__Connect__UserContext u;
    user_context(sp, &u);
    Spark__Connect__AnalyzePlanRequest req = SPARK__CONNECT__ANALYZE_PLAN_REQUEST__INIT;
    Spark__Connect__AnalyzePlanRequest__SparkVersion ask = SPARK__CONNECT__ANALYZE_PLAN_REQUEST__SPARK_VERSION__INIT;
    req.session_id = s.id;
    req.user_context = &u;
    req._client_type_case = SPARK__CONNECT__ANALYZE_PLAN_REQUEST___CLIENT_TYPE_CLIENT_TYPE;
    req.client_type = sp->client_type;
    req.analyze_case = SPARK__CONNECT__ANALYZE_PLAN_REQUEST__ANALYZE_SPARK_VERSION;
    req.spark_version = &ask;
    uint8_t *resp = NULL;
    size_t len = 0;
    double deadline = now_seconds() + sp->retry_seconds;
    for (unsigned attempt = 0;; attempt++) {
        rc = unary(sp, "AnalyzePlan", &req.base, 60, &resp, &len, err);
        if (!rc || !transient(rc, err) || now_seconds() > deadline) break;
        back_off(attempt);
    }
    if (!rc) {
        Spark__Connect__AnalyzePlanResponse *r = spark__connect__analyze_plan_response__unpack(NULL, len, resp);
        if (r && r->result_case == SPARK__CONNECT__ANALYZE_PLAN_RESPONSE__RESULT_SPARK_VERSION && r->spark_version->version)
            snprintf(out, cap, "%s", r->spark_version->version);
        else
            rc = lake__error(err, LAKE_EREMOTE, "the server's AnalyzePlan answer holds no Spark version");
        spark__connect__analyze_plan_response__free_unpacked(r, NULL);
    }
    lake__free(resp);
    lake__spark_session_put(sp, &s);
    return rc;
}

int lake__spark_fields(lake__spark *sp, lake__spark_session *s, const char *sql, lake__spark_field_fn fn, void *ctx,
                       lake_error *err) {
    lake__spark_plan p;
    int rc = lake__spark_plan_sql(&p, sql, NULL, 0, false, err);
    if (rc) return rc;
    Spark__Connect__UserContext u;
    user_context(sp, &u);
    Spark__Connect__AnalyzePlanRequest req = SPARK__CONNECT__ANALYZE_PLAN_REQUEST__INIT;
    Spark__Connect__AnalyzePlanRequest__Schema ask = SPARK__CONNECT__ANALYZE_PLAN_REQUEST__SCHEMA__INIT;
    ask.plan = &p.plan;
    req.session_id = s->id;
    req.user_context = &u;
    req._client_type_case = SPARK__CONNECT__ANALYZE_PLAN_REQUEST___CLIENT_TYPE_CLIENT_TYPE;
    req.client_type = sp->client_type;
    req.analyze_case = SPARK__CONNECT__ANALYZE_PLAN_REQUEST__ANALYZE_SCHEMA;
    req.schema = &ask;
    uint8_t *resp = NULL;
    size_t len = 0;
    rc = unary(sp, "AnalyzePlan", &req.base, 60, &resp, &len, err);
    lake__spark_plan_dispose(&p);
    if (rc) return rc;
    Spark__Connect__AnalyzePlanResponse *r = spark__connect__analyze_plan_response__unpack(NULL, len, resp);
    lake__free(resp);
    const Spark__Connect__DataType *t = r && r->result_case == SPARK__CONNECT__ANALYZE_PLAN_RESPONSE__RESULT_SCHEMA &&
                                                r->schema->schema ? r->schema->schema : NULL;
    if (!t || t->kind_case != SPARK__CONNECT__DATA_TYPE__KIND_STRUCT)
        rc = lake__error(err, LAKE_EREMOTE, "the server's AnalyzePlan answer holds no result schema");
    for (size_t i = 0; !rc && i < t->struct_->n_fields; i++)
        rc = fn(ctx, t->struct_->fields[i]->name, t->struct_->fields[i]->nullable);
    spark__connect__analyze_plan_response__free_unpacked(r, NULL);
    return rc;
}

/* ---- session configuration */

static void config_request(const lake__spark *sp, const lake__spark_session *s, Spark__Connect__UserContext *u,
                           Spark__Connect__ConfigRequest *req, Spark__Connect__ConfigRequest__Operation *op) {
    Spark__Connect__ConfigRequest r = SPARK__CONNECT__CONFIG_REQUEST__INIT;
    Spark__Connect__ConfigRequest__Operation o = SPARK__CONNECT__CONFIG_REQUEST__OPERATION__INIT;
    user_context(sp, u);
    *req = r;
    *op = o;
    req->session_id = (char *)s->id;
    req->user_context = u;
    req->_client_type_case = SPARK__CONNECT__CONFIG_REQUEST___CLIENT_TYPE_CLIENT_TYPE;
    req->client_type = (char *)sp->client_type;
    req->operation = op;
}

/* One Config call; the answer is read only for a get (value non-NULL). */
static int config_call(lake__spark *sp, const Spark__Connect__ConfigRequest *req, char *value, size_t cap,
                       lake_error *err) {
    uint8_t *resp = NULL;
    size_t len = 0;
    int rc = unary(sp, "Config", &req->base, 60, &resp, &len, err);
    if (!rc && value) {
        Spark__Connect__ConfigResponse *r = spark__connect__config_response__unpack(NULL, len, resp);
        if (!r || r->n_pairs != 1) rc = lake__error(err, LAKE_EREMOTE, "the server's Config answer holds no value");
        else snprintf(value, cap, "%s", r->pairs[0]->_value_case ? r->pairs[0]->value : "");
        spark__connect__config_response__free_unpacked(r, NULL);
    }
    lake__free(resp);
    return rc;
}

int lake__spark_conf_list_add(lake__spark *sp, lake__spark_session *s, const char *key, const char *item,
                              lake_error *err) {
    Spark__Connect__UserContext u;
    Spark__Connect__ConfigRequest req;
    Spark__Connect__ConfigRequest__Operation op;
    config_request(sp, s, &u, &req, &op);
    /* GetWithDefault, not Get: Get fails on a key that has no default and is unset. */
    Spark__Connect__KeyValue pair = SPARK__CONNECT__KEY_VALUE__INIT, *pairs[] = {&pair};
    pair.key = (char *)key;
    pair._value_case = SPARK__CONNECT__KEY_VALUE___VALUE_VALUE;
    pair.value = "";
    Spark__Connect__ConfigRequest__GetWithDefault get = SPARK__CONNECT__CONFIG_REQUEST__GET_WITH_DEFAULT__INIT;
    get.n_pairs = 1;
    get.pairs = pairs;
    op.op_type_case = SPARK__CONNECT__CONFIG_REQUEST__OPERATION__OP_TYPE_GET_WITH_DEFAULT;
    op.get_with_default = &get;
    char now[2048], next[2048 + 256];
    int rc = config_call(sp, &req, now, sizeof now, err);
    if (rc) return rc;
    size_t n = strlen(item);
    for (const char *at = now + strspn(now, ", "); *at; at += strspn(at, ", ")) {
        size_t len = strcspn(at, ", ");
        if (len == n && !strncmp(at, item, n)) return LAKE_OK;
        at += len;
    }
    int w = snprintf(next, sizeof next, "%s%s%s", now, *now ? "," : "", item);
    if (w < 0 || (size_t)w >= sizeof next) return lake__error(err, LAKE_EINVAL, "the session's %s is too long to add to", key);
    Spark__Connect__ConfigRequest__Set set = SPARK__CONNECT__CONFIG_REQUEST__SET__INIT;
    pair.value = next;
    set.n_pairs = 1;
    set.pairs = pairs;
    op.op_type_case = SPARK__CONNECT__CONFIG_REQUEST__OPERATION__OP_TYPE_SET;
    op.set = &set;
    return config_call(sp, &req, NULL, 0, err);
}
