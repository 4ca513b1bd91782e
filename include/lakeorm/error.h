/* SPDX-License-Identifier: MIT */
/* lakeorm: status codes, the error object and validation issues. */
#ifndef LAKEORM_ERROR_H
#define LAKEORM_ERROR_H

#include "common.h"

LAKE_BEGIN_DECL

/* Every fallible function returns LAKE_OK or one of these. Values never change. */
typedef enum lake_status {
    LAKE_OK = 0,
    LAKE_ERROR = -1,       /* unclassified failure */
    LAKE_ENOMEM = -2,      /* an allocation failed */
    LAKE_EINVAL = -3,      /* the caller passed an invalid argument */
    LAKE_ESCHEMA = -4,     /* a model or schema file is malformed */
    LAKE_EVALIDATION = -5, /* one or more records were rejected: see issues */
    LAKE_ENOTFOUND = -6,   /* a named thing does not exist */
    LAKE_ENOROWS = -7,     /* a query that must return a row returned none */
    LAKE_EIO = -8,         /* reading or writing bytes failed */
    LAKE_ECONFLICT = -9,   /* a concurrent writer won; retrying may succeed */
    LAKE_ENOTSUP = -10,    /* the combination asked for is not supported */
    LAKE_EREMOTE = -11,    /* the engine or server rejected the request */
    LAKE_ETIMEOUT = -12,   /* a deadline passed */
    LAKE_EAUTH = -13,      /* credentials were missing or refused */
    LAKE_EMISMATCH = -14,  /* query results do not fit the model */
    LAKE_EKEYREUSED = -15, /* an idempotency key already names a different request */
} lake_status;

/* Static text naming a status, e.g. "validation failed". Never NULL, also for
 * unknown codes. */
LAKE_EXTERN const char *lake_strerror(int status);

/* One problem with one field of one record: what a client needs for an HTTP 400.
 * All strings are NUL-terminated and owned by the issue list. */
typedef struct lake_issue {
    size_t record;       /* index in the batch, or the 1-based line for NDJSON */
    const char *path;    /* JSON pointer into the record, e.g. "/publisher/name"; "" for the record */
    const char *column;  /* column name, "" when the problem is not tied to a column */
    const char *rule;    /* stable identifier, e.g. "email", "min", "unknown_key", "syntax" */
    const char *param;   /* the rule's parameter, e.g. "1" for min=1; "" when none */
    const char *message; /* an English sentence for humans */
} lake_issue;

typedef struct lake_issues lake_issues;

LAKE_EXTERN size_t lake_issues_count(const lake_issues *issues);
/* Borrowed; valid until the list is cleared or freed. NULL past the end. */
LAKE_EXTERN const lake_issue *lake_issues_get(const lake_issues *issues, size_t index);
/* Renders issues [first, first+count) as a JSON array of objects with the keys
 * record, path, column, rule, param and message. *out is NUL-terminated; free
 * it with lake_free. */
LAKE_EXTERN int lake_issues_to_json(const lake_issues *issues, size_t first, size_t count,
                                    char **out, size_t *out_len);

/* What an engine's refusal means for the caller, decided by the driver from
 * the engine's own error class or SQLSTATE (never from its wording). */
typedef enum lake_error_kind {
    LAKE_KIND_NONE = 0,   /* not an engine's error, or one no class below fits */
    LAKE_KIND_CONFLICT,   /* a concurrent writer changed what the statement needed; nothing written, retry */
    LAKE_KIND_RETRYABLE,  /* the engine or server was briefly unable (starting, overloaded, unreachable) */
    LAKE_KIND_PERMISSION, /* the credentials may not do this */
    LAKE_KIND_NOT_FOUND,  /* a table, schema, column or function the statement names does not exist */
    LAKE_KIND_INVALID,    /* the statement or its values are wrong: syntax, types, constraints */
} lake_error_kind;

/* The caller-owned error object. Every function taking one accepts NULL; when
 * given, it is filled on failure only. Reuse it freely: each failure replaces
 * its content. Release what it holds with lake_error_clear. */
typedef struct lake_error {
    int code;             /* a lake_status */
    char message[512];    /* what failed and what to do; never holds secrets */
    lake_issues *issues;  /* for LAKE_EVALIDATION: every rejected field; owned */
    /* When an engine refused (code LAKE_EREMOTE, LAKE_ECONFLICT, LAKE_EAUTH ...):
     * its classification, its error class as it names it ("TABLE_OR_VIEW_NOT_FOUND",
     * "Constraint", "DELTA_CONCURRENT_APPEND"; "" when it gives none) and the
     * five-character SQLSTATE ("42P01"; "" when it gives none). */
    lake_error_kind kind;
    char engine_class[96];
    char sqlstate[6];
} lake_error;

#define LAKE_ERROR_INIT {0, {0}, NULL, LAKE_KIND_NONE, {0}, {0}}

/* A static name for a kind ("conflict"); never NULL. */
LAKE_EXTERN const char *lake_error_kind_name(lake_error_kind kind);

/* Frees the issues and resets err to LAKE_ERROR_INIT. NULL is ignored. */
LAKE_EXTERN void lake_error_clear(lake_error *err);

/* Replaces err's content (when err is not NULL) with code and a printf-style
 * message, and returns code: how code outside lakeorm that lakeorm calls
 * (your own backend, backend.h) reports a failure, so that
 * `return lake_error_set(err, LAKE_EIO, "cannot write %s", key);` reads as
 * lakeorm's own. The message is cut at sizeof err->message. */
LAKE_EXTERN int lake_error_set(lake_error *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

LAKE_END_DECL

#endif
