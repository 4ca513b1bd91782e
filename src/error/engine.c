/* SPDX-License-Identifier: MIT */
/* What engines' error classes and SQLSTATEs mean for the caller: the
 * vocabulary every driver classifies its engine's refusals with, so that the
 * client decides on lake_error.kind and never on an engine's wording. */
#include <string.h>

#include "error/error.h"

bool lake__sqlstate_valid(const char *s) {
    if (!s || strlen(s) != 5) return false;
    for (int i = 0; i < 5; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z'))) return false;
    return true;
}

/* SQLSTATEs of a missing table, schema, catalog, column, function or path:
 * the standard's and PostgreSQL's (42P01, 42704, 42703, 42883, 3F000, 3D000),
 * ODBC's (42S02, 42S22), and Spark SQL's own (42K03 PATH_NOT_FOUND, 42P08
 * CATALOG_NOT_FOUND; docs/sql-error-conditions-sqlstates in Spark). */
static const char *const not_found[] = {
    "42P01", "42S02", "42704", "42703", "42S22", "42883", "3F000", "3D000", "42K03", "42P08",
};

lake_error_kind lake__sqlstate_kind(const char *s) {
    if (!lake__sqlstate_valid(s)) return LAKE_KIND_NONE;
    /* Specific states before their classes: 42501 and 42P01 are in class 42 (invalid). */
    if (!strcmp(s, "42501")) return LAKE_KIND_PERMISSION; /* insufficient privilege */
    for (size_t i = 0; i < sizeof not_found / sizeof not_found[0]; i++)
        if (!strcmp(s, not_found[i])) return LAKE_KIND_NOT_FOUND;
    /* 57P03 cannot_connect_now (a server starting), 53300 too_many_connections:
     * the server will take the request later. The rest of classes 53 (disk
     * full, out of memory) and 57 (canceled, shut down) would fail again. */
    if (!strcmp(s, "57P03") || !strcmp(s, "53300")) return LAKE_KIND_RETRYABLE;
    static const struct {
        char cls[3];
        lake_error_kind kind;
    } classes[] = {
        {"40", LAKE_KIND_CONFLICT},   /* transaction rollback: serialization failure, deadlock */
        {"08", LAKE_KIND_RETRYABLE},  /* connection exception */
        {"28", LAKE_KIND_PERMISSION}, /* invalid authorization specification */
        {"42", LAKE_KIND_INVALID},    /* syntax error or access rule violation */
        {"22", LAKE_KIND_INVALID},    /* data exception: casts, ranges, formats */
        {"23", LAKE_KIND_INVALID},    /* integrity constraint violation */
        {"21", LAKE_KIND_INVALID},    /* cardinality violation (a MERGE matching a row twice) */
        {"0A", LAKE_KIND_INVALID},    /* feature not supported */
        {"07", LAKE_KIND_INVALID},    /* dynamic SQL error: parameters that do not fit */
        {"2B", LAKE_KIND_INVALID},    /* dependent objects still exist */
        {"44", LAKE_KIND_INVALID},    /* WITH CHECK OPTION violation */
    };
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (!memcmp(s, classes[i].cls, 2)) return classes[i].kind;
    return LAKE_KIND_NONE;
}

/* Spark SQL error classes whose kind their SQLSTATE may not carry (Databricks
 * sends the class in the message even when the SQLSTATE is missing). */
static const struct {
    const char *name;
    lake_error_kind kind;
} spark_classes[] = {
    {"TABLE_OR_VIEW_NOT_FOUND", LAKE_KIND_NOT_FOUND},
    {"SCHEMA_NOT_FOUND", LAKE_KIND_NOT_FOUND},
    {"CATALOG_NOT_FOUND", LAKE_KIND_NOT_FOUND},
    {"UNRESOLVED_COLUMN", LAKE_KIND_NOT_FOUND},
    {"UNRESOLVED_ROUTINE", LAKE_KIND_NOT_FOUND},
    {"PATH_NOT_FOUND", LAKE_KIND_NOT_FOUND},
    {"PARSE_SYNTAX_ERROR", LAKE_KIND_INVALID},
    {"INSUFFICIENT_PERMISSIONS", LAKE_KIND_PERMISSION},
    /* Delta's optimistic commits refused because a concurrent commit changed
     * what this one read, or the table's metadata or protocol under it:
     * nothing was written and the statement can run again. The
     * DELTA_CONCURRENT_* family is matched by its prefix below. */
    {"DELTA_METADATA_CHANGED", LAKE_KIND_CONFLICT},
    {"DELTA_PROTOCOL_CHANGED", LAKE_KIND_CONFLICT},
};

/* The JVM exceptions the table formats refuse a concurrent commit with, by
 * class name: Spark Connect reports an exception that has no Spark error
 * class by its class name (and its superclasses'). Delta's concurrency
 * exceptions all extend java.util.ConcurrentModificationException; Iceberg
 * refuses with CommitFailedException when the table moved under the commit,
 * and with ValidationException when a concurrent commit added or removed
 * files this one's isolation forbids (it also uses ValidationException for
 * some checks that would fail again, so retries must stay bounded). */
static const char *const conflict_exceptions[] = {
    "java.util.ConcurrentModificationException",
    "org.apache.iceberg.exceptions.CommitFailedException",
    "org.apache.iceberg.exceptions.ValidationException",
};
static const char *const delta_packages[] = {"io.delta.exceptions.", "org.apache.spark.sql.delta."};
static const char *const delta_conflicts[] = {
    "ConcurrentAppendException",      "ConcurrentDeleteReadException", "ConcurrentDeleteDeleteException",
    "ConcurrentTransactionException", "ConcurrentWriteException",      "DeltaConcurrentModificationException",
    "MetadataChangedException",       "ProtocolChangedException",
};

/* An error class names its condition and, after a dot, its sub-condition
 * ("UNRESOLVED_COLUMN.WITH_SUGGESTION"): the condition decides. */
static bool same_condition(const char *cls, const char *name) {
    size_t n = strlen(name);
    return !strncmp(cls, name, n) && (cls[n] == '\0' || cls[n] == '.');
}

lake_error_kind lake__error_class_kind(const char *cls) {
    if (!cls || !*cls) return LAKE_KIND_NONE;
    if (!strncmp(cls, "DELTA_CONCURRENT_", 17)) return LAKE_KIND_CONFLICT;
    for (size_t i = 0; i < sizeof spark_classes / sizeof spark_classes[0]; i++)
        if (same_condition(cls, spark_classes[i].name)) return spark_classes[i].kind;
    for (size_t i = 0; i < sizeof conflict_exceptions / sizeof conflict_exceptions[0]; i++)
        if (!strcmp(cls, conflict_exceptions[i])) return LAKE_KIND_CONFLICT;
    for (size_t p = 0; p < sizeof delta_packages / sizeof delta_packages[0]; p++) {
        size_t n = strlen(delta_packages[p]);
        if (strncmp(cls, delta_packages[p], n)) continue;
        for (size_t i = 0; i < sizeof delta_conflicts / sizeof delta_conflicts[0]; i++)
            if (!strcmp(cls + n, delta_conflicts[i])) return LAKE_KIND_CONFLICT;
    }
    return LAKE_KIND_NONE;
}
