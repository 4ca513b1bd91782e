/* SPDX-License-Identifier: MIT */
#include "drivers/spark/grpc.h"

#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/support/alloc.h>
#include <grpc/support/time.h>
#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "json/scan.h"
#include "rpc_status.pb-c.h"
#include "util/alloc.h"

struct lake__grpc {
    grpc_channel *channel;
    grpc_metadata *metadata;
    size_t metadata_count;
};

struct lake__grpc_call {
    grpc_call *call;
    grpc_completion_queue *cq;
    grpc_metadata_array initial;
    grpc_slice last; /* the message handed out by next */
    bool have_last, ended;
    lake__grpc_status status;
};

int lake__grpc_open(lake__grpc **out, const lake__grpc_options *o, lake_error *err) {
    *out = NULL;
    lake__grpc *g = lake__calloc(1, sizeof *g);
    if (!g || (o->header_count && !(g->metadata = lake__calloc(o->header_count, sizeof *g->metadata)))) {
        lake__free(g);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    grpc_init(); /* reference-counted: each channel holds one */
    for (size_t i = 0; i < o->header_count; i++) {
        g->metadata[i].key = grpc_slice_from_copied_string(o->headers[i].key);
        g->metadata[i].value = grpc_slice_from_copied_string(o->headers[i].value);
    }
    g->metadata_count = o->header_count;
    grpc_arg args[3];
    args[0].type = GRPC_ARG_INTEGER;
    args[0].key = (char *)GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH;
    args[0].value.integer = o->max_receive_bytes > 0 ? o->max_receive_bytes : 128 << 20;
    args[1].type = GRPC_ARG_INTEGER;
    args[1].key = (char *)GRPC_ARG_MAX_SEND_MESSAGE_LENGTH;
    args[1].value.integer = -1; /* the server enforces its own inbound limit, and says so */
    args[2].type = GRPC_ARG_STRING;
    args[2].key = (char *)GRPC_ARG_PRIMARY_USER_AGENT_STRING;
    args[2].value.string = (char *)(o->user_agent ? o->user_agent : "lakeorm");
    grpc_channel_args cargs = {3, args};
    grpc_channel_credentials *creds =
        o->tls ? grpc_ssl_credentials_create(o->roots_pem, NULL, NULL, NULL) : grpc_insecure_credentials_create();
    g->channel = creds ? grpc_channel_create(o->target, creds, &cargs) : NULL;
    if (creds) grpc_channel_credentials_release(creds);
    if (!g->channel) {
        lake__grpc_close(g);
        return lake__error(err, LAKE_EINVAL, "cannot create a gRPC channel to %s", o->target);
    }
    *out = g;
    return LAKE_OK;
}

void lake__grpc_close(lake__grpc *g) {
    if (!g) return;
    if (g->channel) grpc_channel_destroy(g->channel);
    for (size_t i = 0; i < g->metadata_count; i++) {
        grpc_slice_unref(g->metadata[i].key);
        grpc_slice_unref(g->metadata[i].value);
    }
    lake__free(g->metadata);
    lake__free(g);
    grpc_shutdown();
}

/* Runs one batch of operations and waits for it: calls have one batch in
 * flight at a time, so the queue's next event is this batch's. */
static bool run_batch(lake__grpc_call *c, const grpc_op *ops, size_t n) {
    if (grpc_call_start_batch(c->call, ops, n, c, NULL) != GRPC_CALL_OK) return false;
    grpc_event ev = grpc_completion_queue_next(c->cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
    return ev.type == GRPC_OP_COMPLETE && ev.success;
}

int lake__grpc_call_start(lake__grpc *g, const char *method, const void *request, size_t len, double timeout_s,
                          lake__grpc_call **out, lake_error *err) {
    *out = NULL;
    lake__grpc_call *c = lake__calloc(1, sizeof *c);
    if (!c) return lake__error(err, LAKE_ENOMEM, "out of memory");
    c->cq = grpc_completion_queue_create_for_next(NULL);
    grpc_metadata_array_init(&c->initial);
    gpr_timespec deadline =
        timeout_s > 0 ? gpr_time_add(gpr_now(GPR_CLOCK_REALTIME), gpr_time_from_millis((int64_t)(timeout_s * 1000), GPR_TIMESPAN))
                      : gpr_inf_future(GPR_CLOCK_REALTIME);
    grpc_slice path = grpc_slice_from_copied_string(method);
    c->call = grpc_channel_create_call(g->channel, NULL, GRPC_PROPAGATE_DEFAULTS, c->cq, path, NULL, deadline, NULL);
    grpc_slice_unref(path);
    if (!c->call) {
        lake__grpc_call_free(c);
        return lake__error(err, LAKE_ERROR, "gRPC refused to create a call to %s", method);
    }
    grpc_slice body = grpc_slice_from_copied_buffer(request, len);
    grpc_byte_buffer *message = grpc_raw_byte_buffer_create(&body, 1);
    grpc_slice_unref(body);
    grpc_op ops[4];
    memset(ops, 0, sizeof ops);
    ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
    ops[0].data.send_initial_metadata.count = g->metadata_count;
    ops[0].data.send_initial_metadata.metadata = g->metadata;
    ops[1].op = GRPC_OP_SEND_MESSAGE;
    ops[1].data.send_message.send_message = message;
    ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
    ops[3].op = GRPC_OP_RECV_INITIAL_METADATA;
    ops[3].data.recv_initial_metadata.recv_initial_metadata = &c->initial;
    /* A failed send (the server is unreachable) shows in the status the first read collects. */
    run_batch(c, ops, 4);
    grpc_byte_buffer_destroy(message);
    *out = c;
    return LAKE_OK;
}

static int status_error(lake__grpc_call *c, const char *details, lake_error *err) {
    const lake__grpc_status *st = &c->status;
    int code;
    const char *what;
    switch (st->code) {
    case GRPC_STATUS_DEADLINE_EXCEEDED: code = LAKE_ETIMEOUT; what = "deadline exceeded"; break;
    case GRPC_STATUS_UNAUTHENTICATED: code = LAKE_EAUTH; what = "unauthenticated"; break;
    case GRPC_STATUS_PERMISSION_DENIED: code = LAKE_EAUTH; what = "permission denied"; break;
    case GRPC_STATUS_UNAVAILABLE: code = LAKE_EIO; what = "unavailable"; break;
    case GRPC_STATUS_CANCELLED: code = LAKE_ERROR; what = "cancelled"; break;
    default: code = LAKE_EREMOTE; what = "failed"; break;
    }
    char extra[200] = "";
    if (st->error_class[0] || st->sql_state[0])
        snprintf(extra, sizeof extra, " [%s%s%s]", st->error_class, st->error_class[0] && st->sql_state[0] ? ", SQLSTATE " : "",
                 st->sql_state[0] ? st->sql_state : "");
    return lake__error_engine(err, code, lake__grpc_status_kind(st), st->error_class, st->sql_state,
                              "server %s (gRPC %d)%s: %.380s", what, st->code, extra, details);
}

lake_error_kind lake__grpc_status_kind(const lake__grpc_status *st) {
    switch (st->code) {
    case GRPC_STATUS_OK: return LAKE_KIND_NONE;
    /* The server was not reached, or is starting, overloaded or shedding
     * load. RESOURCE_EXHAUSTED is also what gRPC says of a message over the
     * receive limit, which a retry meets again: retries stay bounded. */
    case GRPC_STATUS_UNAVAILABLE:
    case GRPC_STATUS_RESOURCE_EXHAUSTED: return LAKE_KIND_RETRYABLE;
    case GRPC_STATUS_UNAUTHENTICATED:
    case GRPC_STATUS_PERMISSION_DENIED: return LAKE_KIND_PERMISSION;
    /* A deadline or a cancel is the caller's own doing: its code says so. */
    case GRPC_STATUS_DEADLINE_EXCEEDED:
    case GRPC_STATUS_CANCELLED: return LAKE_KIND_NONE;
    default: break;
    }
    lake_error_kind k = lake__error_class_kind(st->error_class);
    if (k == LAKE_KIND_NONE) k = st->classes_kind;
    if (k == LAKE_KIND_NONE) k = lake__sqlstate_kind(st->sql_state);
    return k;
}

static int finish(lake__grpc_call *c, lake_error *err) {
    grpc_metadata_array trailing;
    grpc_metadata_array_init(&trailing);
    grpc_status_code status = GRPC_STATUS_UNKNOWN;
    grpc_slice details = grpc_empty_slice();
    const char *debug = NULL;
    grpc_op op;
    memset(&op, 0, sizeof op);
    op.op = GRPC_OP_RECV_STATUS_ON_CLIENT;
    op.data.recv_status_on_client.trailing_metadata = &trailing;
    op.data.recv_status_on_client.status = &status;
    op.data.recv_status_on_client.status_details = &details;
    op.data.recv_status_on_client.error_string = &debug;
    c->ended = true;
    if (!run_batch(c, &op, 1)) status = GRPC_STATUS_UNKNOWN;
    c->status.code = (int)status;
    char message[1024];
    size_t n = GRPC_SLICE_LENGTH(details) < sizeof message - 1 ? GRPC_SLICE_LENGTH(details) : sizeof message - 1;
    memcpy(message, GRPC_SLICE_START_PTR(details), n);
    message[n] = 0;
    for (size_t i = 0; i < trailing.count; i++)
        if (grpc_slice_str_cmp(trailing.metadata[i].key, "grpc-status-details-bin") == 0)
            lake__grpc_decode_details(GRPC_SLICE_START_PTR(trailing.metadata[i].value),
                                      GRPC_SLICE_LENGTH(trailing.metadata[i].value), &c->status, message, sizeof message);
    if (!message[0] && debug) snprintf(message, sizeof message, "%s", debug);
    grpc_slice_unref(details);
    grpc_metadata_array_destroy(&trailing);
    if (debug) gpr_free((void *)debug);
    return status == GRPC_STATUS_OK ? LAKE_OK : status_error(c, message, err);
}

int lake__grpc_call_next(lake__grpc_call *c, const uint8_t **data, size_t *len, lake_error *err) {
    *data = NULL;
    *len = 0;
    if (c->have_last) {
        grpc_slice_unref(c->last);
        c->have_last = false;
    }
    if (c->ended) return c->status.code ? lake__error(err, LAKE_ERROR, "the call already failed") : LAKE_OK;
    grpc_byte_buffer *message = NULL;
    grpc_op op;
    memset(&op, 0, sizeof op);
    op.op = GRPC_OP_RECV_MESSAGE;
    op.data.recv_message.recv_message = &message;
    if (!run_batch(c, &op, 1) || !message) return finish(c, err);
    grpc_byte_buffer_reader reader;
    if (!grpc_byte_buffer_reader_init(&reader, message)) {
        grpc_byte_buffer_destroy(message);
        return lake__error(err, LAKE_EREMOTE, "a compressed gRPC message lakeorm cannot read");
    }
    c->last = grpc_byte_buffer_reader_readall(&reader);
    c->have_last = true;
    grpc_byte_buffer_reader_destroy(&reader);
    grpc_byte_buffer_destroy(message);
    *data = GRPC_SLICE_START_PTR(c->last);
    *len = GRPC_SLICE_LENGTH(c->last);
    return LAKE_OK;
}

const lake__grpc_status *lake__grpc_call_status(const lake__grpc_call *c) { return &c->status; }

void lake__grpc_call_cancel(lake__grpc_call *c) {
    if (c && c->call) grpc_call_cancel(c->call, NULL);
}

void lake__grpc_call_free(lake__grpc_call *c) {
    if (!c) return;
    if (c->have_last) grpc_slice_unref(c->last);
    if (c->call) {
        if (!c->ended) grpc_call_cancel(c->call, NULL);
        grpc_call_unref(c->call);
    }
    grpc_metadata_array_destroy(&c->initial);
    grpc_completion_queue_shutdown(c->cq);
    while (grpc_completion_queue_next(c->cq, gpr_inf_future(GPR_CLOCK_REALTIME), NULL).type != GRPC_QUEUE_SHUTDOWN) {
    }
    grpc_completion_queue_destroy(c->cq);
    lake__free(c);
}

int lake__grpc_unary(lake__grpc *g, const char *method, const void *request, size_t len, double timeout_s,
                     uint8_t **out, size_t *out_len, lake__grpc_status *status, lake_error *err) {
    *out = NULL;
    *out_len = 0;
    lake__grpc_call *c;
    int rc = lake__grpc_call_start(g, method, request, len, timeout_s, &c, err);
    if (rc) return rc;
    const uint8_t *data;
    size_t n;
    rc = lake__grpc_call_next(c, &data, &n, err);
    if (!rc && data) {
        if (!(*out = lake__malloc(n ? n : 1))) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        else memcpy(*out, data, n), *out_len = n;
        const uint8_t *more;
        size_t ignored;
        if (!rc) rc = lake__grpc_call_next(c, &more, &ignored, err); /* collects the status */
    } else if (!rc) {
        rc = lake__error(err, LAKE_EREMOTE, "%s returned no response", method);
    }
    if (status) *status = c->status;
    if (rc) {
        lake__free(*out);
        *out = NULL;
    }
    lake__grpc_call_free(c);
    return rc;
}

static void copy_text(char *dst, size_t cap, const char *src) {
    snprintf(dst, cap, "%s", src ? src : "");
}

/* The first kind a class of the exception's hierarchy means: "classes" is
 * a JSON array of class names (Spark Connect's ErrorUtils), from the server. */
static lake_error_kind classes_kind(const char *json) {
    lake__json j;
    lake__json_init(&j, json, strlen(json));
    if (!lake__json_expect(&j, '[', "expected an array")) return LAKE_KIND_NONE;
    lake_error_kind k = LAKE_KIND_NONE;
    for (bool first = true; k == LAKE_KIND_NONE; first = false) {
        lake__json_ws(&j);
        if (j.p < j.end && *j.p == ']') break;
        if (!first && !lake__json_expect(&j, ',', "expected ','")) break;
        lake__json_ws(&j);
        const char *name;
        size_t len;
        /* Without an arena an escaped string only validates: class names have no escapes. */
        if (lake__json_peek(&j) != LAKE__J_STRING || !lake__json_string(&j, NULL, &name, &len)) break;
        char one[160];
        if (!name || len >= sizeof one) continue;
        memcpy(one, name, len);
        one[len] = '\0';
        k = lake__error_class_kind(one);
    }
    return k;
}

void lake__grpc_decode_details(const uint8_t *data, size_t len, lake__grpc_status *st, char *message, size_t cap) {
    Google__Rpc__Status *status = google__rpc__status__unpack(NULL, len, data);
    if (!status) return;
    if (!message[0] && status->message) copy_text(message, cap, status->message);
    for (size_t i = 0; i < status->n_details; i++) {
        const Google__Rpc__Any *any = status->details[i];
        if (!any->type_url || !strstr(any->type_url, "google.rpc.ErrorInfo")) continue;
        Google__Rpc__ErrorInfo *info = google__rpc__error_info__unpack(NULL, any->value.len, any->value.data);
        if (!info) continue;
        /* Spark puts the error class in metadata "errorClass" and the exception in reason. */
        for (size_t k = 0; k < info->n_metadata; k++) {
            const char *key = info->metadata[k]->key, *value = info->metadata[k]->value;
            if (!key || !value) continue;
            if (!strcmp(key, "errorClass")) copy_text(st->error_class, sizeof st->error_class, value);
            else if (!strcmp(key, "sqlState")) copy_text(st->sql_state, sizeof st->sql_state, value);
            else if (!strcmp(key, "classes") && st->classes_kind == LAKE_KIND_NONE) st->classes_kind = classes_kind(value);
        }
        if (!st->error_class[0] && info->reason) copy_text(st->error_class, sizeof st->error_class, info->reason);
        google__rpc__error_info__free_unpacked(info, NULL);
    }
    google__rpc__status__free_unpacked(status, NULL);
}
