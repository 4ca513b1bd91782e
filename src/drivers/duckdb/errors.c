/* SPDX-License-Identifier: MIT */
#include "drivers/duckdb/errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error/error.h"

/* Every duckdb_error_type, by its value (the C API's enum mirrors DuckDB's
 * ExceptionType): DuckDB's name for it, as its messages start ("Catalog
 * Error: ..."; ExceptionTypeToString in DuckDB's exception.cpp), what it means
 * for the caller, and the SQLSTATE that says the same where one does (DuckDB
 * reports none of its own).
 *
 * How the client's cases come out, found with two connections to one database
 * (DuckDB 1.4; tests/unit/drivers/test_duckdb_errors.c proves each):
 * (a) two transactions writing the same row: the second UPDATE or DELETE fails
 *     at once, "Conflict on update!" / "Conflict on tuple deletion!", type
 *     TRANSACTION -> conflict;
 * (b) two transactions inserting the same primary key, both open: both
 *     INSERTs succeed, the second COMMIT fails "Failed to commit: PRIMARY KEY
 *     or UNIQUE constraint violation", type TRANSACTION -> conflict;
 * (c) an INSERT (OR REPLACE) into _lakeorm_ingests of a key a concurrent open
 *     transaction inserted: the same as (b), the COMMIT fails with type
 *     TRANSACTION -> conflict; replacing a committed key another open
 *     transaction replaced fails at the statement, "Conflict on tuple
 *     deletion!", TRANSACTION -> conflict;
 * (d) a key twice in one statement, or a key already committed before the
 *     statement: type CONSTRAINT -> invalid.
 * So DuckDB itself tells (b) from (d) (TRANSACTION at commit, CONSTRAINT at
 * the statement): no guess from where the error happened is needed.
 * TRANSACTION also covers lakeorm's own misuse ("no transaction is active",
 * "transaction is aborted"), which the client never produces; a retry of
 * those would fail again, and retries are bounded.
 *
 * CATALOG covers a missing table, schema, type or function and also an entry
 * that already exists (CREATE without IF NOT EXISTS, a rename onto a taken
 * name): the C API does not tell them apart. lakeorm's own DDL says IF NOT
 * EXISTS, so the CATALOG errors it meets name missing entries: not found.
 * BINDER covers a missing column as well as argument types no function takes:
 * invalid, and no SQLSTATE. SERIALIZATION is DuckDB failing to (de)serialize
 * its own plans or storage, not a transaction's serialization failure. */
static const struct {
    const char *name;
    lake_error_kind kind;
    const char *sqlstate;
} types[] = {
    [DUCKDB_ERROR_INVALID] = {"Invalid", LAKE_KIND_INVALID, ""},
    [DUCKDB_ERROR_OUT_OF_RANGE] = {"Out of Range", LAKE_KIND_INVALID, "22003"},
    [DUCKDB_ERROR_CONVERSION] = {"Conversion", LAKE_KIND_INVALID, "22018"},
    [DUCKDB_ERROR_UNKNOWN_TYPE] = {"Unknown Type", LAKE_KIND_INVALID, ""},
    [DUCKDB_ERROR_DECIMAL] = {"Decimal", LAKE_KIND_INVALID, "22003"},
    [DUCKDB_ERROR_MISMATCH_TYPE] = {"Mismatch Type", LAKE_KIND_INVALID, "42804"},
    [DUCKDB_ERROR_DIVIDE_BY_ZERO] = {"Divide by Zero", LAKE_KIND_INVALID, "22012"},
    [DUCKDB_ERROR_OBJECT_SIZE] = {"Object Size", LAKE_KIND_INVALID, "54000"},
    [DUCKDB_ERROR_INVALID_TYPE] = {"Invalid type", LAKE_KIND_INVALID, ""},
    [DUCKDB_ERROR_SERIALIZATION] = {"Serialization", LAKE_KIND_NONE, ""},
    [DUCKDB_ERROR_TRANSACTION] = {"TransactionContext", LAKE_KIND_CONFLICT, "40001"},
    [DUCKDB_ERROR_NOT_IMPLEMENTED] = {"Not implemented", LAKE_KIND_INVALID, "0A000"},
    [DUCKDB_ERROR_EXPRESSION] = {"Expression", LAKE_KIND_INVALID, ""},
    [DUCKDB_ERROR_CATALOG] = {"Catalog", LAKE_KIND_NOT_FOUND, ""},
    [DUCKDB_ERROR_PARSER] = {"Parser", LAKE_KIND_INVALID, "42601"},
    [DUCKDB_ERROR_PLANNER] = {"Planner", LAKE_KIND_INVALID, ""},
    [DUCKDB_ERROR_SCHEDULER] = {"Scheduler", LAKE_KIND_NONE, ""},
    [DUCKDB_ERROR_EXECUTOR] = {"Executor", LAKE_KIND_NONE, ""},
    [DUCKDB_ERROR_CONSTRAINT] = {"Constraint", LAKE_KIND_INVALID, "23000"},
    [DUCKDB_ERROR_INDEX] = {"Index", LAKE_KIND_NONE, ""},
    [DUCKDB_ERROR_STAT] = {"Stat", LAKE_KIND_NONE, ""},
    [DUCKDB_ERROR_CONNECTION] = {"Connection", LAKE_KIND_RETRYABLE, "08000"},
    [DUCKDB_ERROR_SYNTAX] = {"Syntax", LAKE_KIND_INVALID, "42601"},
    [DUCKDB_ERROR_SETTINGS] = {"Settings", LAKE_KIND_INVALID, ""},
    [DUCKDB_ERROR_BINDER] = {"Binder", LAKE_KIND_INVALID, ""},
    [DUCKDB_ERROR_NETWORK] = {"Network", LAKE_KIND_RETRYABLE, "08000"},
    [DUCKDB_ERROR_OPTIMIZER] = {"Optimizer", LAKE_KIND_NONE, ""},
    [DUCKDB_ERROR_NULL_POINTER] = {"NullPointer", LAKE_KIND_NONE, ""},
    [DUCKDB_ERROR_IO] = {"IO", LAKE_KIND_NONE, "58030"},
    [DUCKDB_ERROR_INTERRUPT] = {"INTERRUPT", LAKE_KIND_NONE, "57014"},
    [DUCKDB_ERROR_FATAL] = {"FATAL", LAKE_KIND_NONE, "XX000"},
    [DUCKDB_ERROR_INTERNAL] = {"INTERNAL", LAKE_KIND_NONE, "XX000"},
    [DUCKDB_ERROR_INVALID_INPUT] = {"Invalid Input", LAKE_KIND_INVALID, ""},
    [DUCKDB_ERROR_OUT_OF_MEMORY] = {"Out of Memory", LAKE_KIND_NONE, "53200"},
    [DUCKDB_ERROR_PERMISSION] = {"Permission", LAKE_KIND_PERMISSION, "42501"},
    [DUCKDB_ERROR_PARAMETER_NOT_RESOLVED] = {"Parameter Not Resolved", LAKE_KIND_INVALID, "42P18"},
    [DUCKDB_ERROR_PARAMETER_NOT_ALLOWED] = {"Parameter Not Allowed", LAKE_KIND_INVALID, ""},
    [DUCKDB_ERROR_DEPENDENCY] = {"Dependency", LAKE_KIND_INVALID, "2BP01"},
    [DUCKDB_ERROR_HTTP] = {"HTTP", LAKE_KIND_NONE, ""},
    [DUCKDB_ERROR_MISSING_EXTENSION] = {"Missing Extension", LAKE_KIND_NONE, ""},
    [DUCKDB_ERROR_AUTOLOAD] = {"Extension Autoloading", LAKE_KIND_NONE, ""},
    [DUCKDB_ERROR_SEQUENCE] = {"Sequence", LAKE_KIND_INVALID, "2200H"},
    [DUCKDB_INVALID_CONFIGURATION] = {"Invalid Configuration", LAKE_KIND_INVALID, ""},
};
enum { TYPE_COUNT = sizeof types / sizeof types[0] };

static bool known(duckdb_error_type t) { return (unsigned)t < TYPE_COUNT && types[t].name; }

lake_error_kind lake__duckdb_error_kind(duckdb_error_type t) { return known(t) ? types[t].kind : LAKE_KIND_NONE; }
const char *lake__duckdb_error_name(duckdb_error_type t) { return known(t) ? types[t].name : ""; }
const char *lake__duckdb_error_sqlstate(duckdb_error_type t) { return known(t) ? types[t].sqlstate : ""; }

__attribute__((format(printf, 5, 0))) static int fail(lake_error *err, bool have_type, duckdb_error_type type,
                                                      const char *why, const char *fmt, va_list ap) {
    if (!err) return LAKE_EREMOTE;
    char prefix[sizeof err->message];
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    bool k = have_type && known(type);
    return lake__error_engine(err, LAKE_EREMOTE, k ? types[type].kind : LAKE_KIND_NONE, k ? types[type].name : NULL,
                              k ? types[type].sqlstate : NULL, "%s%s", prefix, why ? why : "unknown error");
}

int lake__duckdb_fail(lake_error *err, duckdb_error_type type, const char *why, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = fail(err, true, type, why, fmt, ap);
    va_end(ap);
    return rc;
}

int lake__duckdb_fail_result(lake_error *err, duckdb_result *res, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = fail(err, true, duckdb_result_error_type(res), duckdb_result_error(res), fmt, ap);
    va_end(ap);
    return rc;
}

/* DuckDB starts every message it renders with "<type name> Error: " (ErrorData::
 * Message); the C API hands prepare and pending failures over as that text
 * only. The name is DuckDB's structured type, printed in a fixed place. */
static bool type_of_text(const char *why, duckdb_error_type *out) {
    for (unsigned t = 0; why && t < TYPE_COUNT; t++) {
        if (!types[t].name) continue;
        size_t n = strlen(types[t].name);
        if (!strncmp(why, types[t].name, n) && !strncmp(why + n, " Error: ", 8)) {
            *out = (duckdb_error_type)t;
            return true;
        }
    }
    return false;
}

int lake__duckdb_fail_text(lake_error *err, const char *why, const char *fmt, ...) {
    duckdb_error_type type = DUCKDB_ERROR_INVALID;
    bool have = type_of_text(why, &type);
    va_list ap;
    va_start(ap, fmt);
    int rc = fail(err, have, type, why, fmt, ap);
    va_end(ap);
    return rc;
}
