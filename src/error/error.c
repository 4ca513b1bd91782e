/* SPDX-License-Identifier: MIT */
#include "error/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *lake_strerror(int status) {
    switch (status) {
    case LAKE_OK: return "success";
    case LAKE_ERROR: return "error";
    case LAKE_ENOMEM: return "out of memory";
    case LAKE_EINVAL: return "invalid argument";
    case LAKE_ESCHEMA: return "invalid schema";
    case LAKE_EVALIDATION: return "validation failed";
    case LAKE_ENOTFOUND: return "not found";
    case LAKE_ENOROWS: return "no rows";
    case LAKE_EIO: return "input/output error";
    case LAKE_ECONFLICT: return "conflict";
    case LAKE_ENOTSUP: return "not supported";
    case LAKE_EREMOTE: return "rejected by the engine";
    case LAKE_ETIMEOUT: return "timed out";
    case LAKE_EAUTH: return "authentication failed";
    case LAKE_EMISMATCH: return "result does not match the model";
    case LAKE_EKEYREUSED: return "idempotency key reused for another request";
    default: return "unknown status";
    }
}

/* The one place a message is set: every builder clears, then formats. */
static void vset(lake_error *err, int code, const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
static void vset(lake_error *err, int code, const char *fmt, va_list ap) {
    lake_error_clear(err);
    err->code = code;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
}

int lake__error(lake_error *err, int code, const char *fmt, ...) {
    if (!err) return code;
    va_list ap;
    va_start(ap, fmt);
    vset(err, code, fmt, ap);
    va_end(ap);
    return code;
}

/* The public face of the same builder, for extensions (backend.h). */
int lake_error_set(lake_error *err, int code, const char *fmt, ...) {
    if (!err) return code;
    va_list ap;
    va_start(ap, fmt);
    vset(err, code, fmt, ap);
    va_end(ap);
    return code;
}

int lake__error_engine(lake_error *err, int code, lake_error_kind kind, const char *engine_class,
                       const char *sqlstate, const char *fmt, ...) {
    if (!err) return code;
    va_list ap;
    va_start(ap, fmt);
    vset(err, code, fmt, ap);
    va_end(ap);
    /* The class and SQLSTATE arrive from servers: kept printable and bounded,
     * so a log line or a switch on them never meets surprises. */
    err->kind = kind;
    size_t n = 0;
    for (; engine_class && engine_class[n] && n + 1 < sizeof err->engine_class; n++) {
        unsigned char c = (unsigned char)engine_class[n];
        err->engine_class[n] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    err->engine_class[n] = '\0';
    snprintf(err->sqlstate, sizeof err->sqlstate, "%s", lake__sqlstate_valid(sqlstate) ? sqlstate : "");
    return code;
}

int lake__error_forward(lake_error *err, lake_error *why, const char *fmt, ...) {
    if (!err) return why->code;
    lake_error keep = *why; /* err may be why; its issues move to err */
    why->issues = NULL;
    char prefix[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    lake_error_clear(err);
    *err = keep;
    /* Cut at the message's size: the prefix whole, then as much of why's text as fits. */
    size_t n = strnlen(prefix, sizeof err->message - 1), m = strnlen(keep.message, sizeof keep.message);
    if (m > sizeof err->message - 1 - n) m = sizeof err->message - 1 - n;
    memcpy(err->message, prefix, n);
    memcpy(err->message + n, keep.message, m);
    err->message[n + m] = '\0';
    return err->code;
}

int lake__error_issues(lake_error *err, lake_issues *issues, const char *what) {
    if (!err) {
        lake__issues_free(issues);
        return LAKE_EVALIDATION;
    }
    size_t n = lake_issues_count(issues);
    lake__error(err, LAKE_EVALIDATION, "%s: %zu problem%s", what, n, n == 1 ? "" : "s");
    if (n) {
        const lake_issue *first = lake_issues_get(issues, 0);
        size_t len = strlen(err->message);
        snprintf(err->message + len, sizeof err->message - len, "; first: %s%s%s", first->path,
                 *first->path ? ": " : "", first->message);
    }
    err->issues = issues;
    return LAKE_EVALIDATION;
}

void lake_error_clear(lake_error *err) {
    if (!err) return;
    lake__issues_free(err->issues);
    err->issues = NULL;
    err->code = LAKE_OK;
    err->message[0] = '\0';
    err->kind = LAKE_KIND_NONE;
    err->engine_class[0] = '\0';
    err->sqlstate[0] = '\0';
}

const char *lake_error_kind_name(lake_error_kind kind) {
    switch (kind) {
    case LAKE_KIND_NONE: return "none";
    case LAKE_KIND_CONFLICT: return "conflict";
    case LAKE_KIND_RETRYABLE: return "retryable";
    case LAKE_KIND_PERMISSION: return "permission";
    case LAKE_KIND_NOT_FOUND: return "not found";
    case LAKE_KIND_INVALID: return "invalid";
    default: return "unknown";
    }
}
