/* SPDX-License-Identifier: MIT */
/* The error object and its builders: engine refusals keep their kind, class
 * and SQLSTATE through every re-wrapping; the SQLSTATE and error-class
 * mappings every driver shares; a NULL error object everywhere. */
#include "error/error.h"
#include "lake_test.h"

static void sqlstate_classes_map_to_kinds(void) {
    static const struct {
        const char *state;
        lake_error_kind kind;
    } cases[] = {
        {"40001", LAKE_KIND_CONFLICT},   {"40P01", LAKE_KIND_CONFLICT},   {"40000", LAKE_KIND_CONFLICT},
        {"08006", LAKE_KIND_RETRYABLE},  {"08000", LAKE_KIND_RETRYABLE},  {"57P03", LAKE_KIND_RETRYABLE},
        {"53300", LAKE_KIND_RETRYABLE},  {"28000", LAKE_KIND_PERMISSION}, {"28P01", LAKE_KIND_PERMISSION},
        {"42501", LAKE_KIND_PERMISSION}, {"42P01", LAKE_KIND_NOT_FOUND},  {"42S02", LAKE_KIND_NOT_FOUND},
        {"42704", LAKE_KIND_NOT_FOUND},  {"42703", LAKE_KIND_NOT_FOUND},  {"42883", LAKE_KIND_NOT_FOUND},
        {"3F000", LAKE_KIND_NOT_FOUND},  {"42K03", LAKE_KIND_NOT_FOUND},  {"42601", LAKE_KIND_INVALID},
        {"42P07", LAKE_KIND_INVALID},    {"22003", LAKE_KIND_INVALID},    {"23505", LAKE_KIND_INVALID},
        {"21000", LAKE_KIND_INVALID},    {"0A000", LAKE_KIND_INVALID},    {"XX000", LAKE_KIND_NONE},
        {"53200", LAKE_KIND_NONE},       {"57014", LAKE_KIND_NONE},       {"2D521", LAKE_KIND_NONE},
        /* malformed: wrong length, lower case, punctuation */
        {"", LAKE_KIND_NONE},            {"4200", LAKE_KIND_NONE},        {"420001", LAKE_KIND_NONE},
        {"42p01", LAKE_KIND_NONE},       {"40-01", LAKE_KIND_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (lake__sqlstate_kind(cases[i].state) != cases[i].kind)
            LAKE_FAIL_AT("SQLSTATE \"%s\" is %s, expected %s", cases[i].state,
                         lake_error_kind_name(lake__sqlstate_kind(cases[i].state)), lake_error_kind_name(cases[i].kind));
    CHECK_EQ_INT(lake__sqlstate_kind(NULL), LAKE_KIND_NONE);
}

static void error_classes_and_exceptions_map_to_kinds(void) {
    static const struct {
        const char *cls;
        lake_error_kind kind;
    } cases[] = {
        {"DELTA_CONCURRENT_APPEND", LAKE_KIND_CONFLICT},
        {"DELTA_CONCURRENT_DELETE_READ", LAKE_KIND_CONFLICT},
        {"DELTA_CONCURRENT_APPEND.WITH_PARTITION_HINT", LAKE_KIND_CONFLICT},
        {"DELTA_METADATA_CHANGED", LAKE_KIND_CONFLICT},
        {"DELTA_PROTOCOL_CHANGED", LAKE_KIND_CONFLICT},
        {"org.apache.iceberg.exceptions.CommitFailedException", LAKE_KIND_CONFLICT},
        {"org.apache.iceberg.exceptions.ValidationException", LAKE_KIND_CONFLICT},
        {"io.delta.exceptions.ConcurrentAppendException", LAKE_KIND_CONFLICT},
        {"org.apache.spark.sql.delta.ConcurrentDeleteReadException", LAKE_KIND_CONFLICT},
        {"java.util.ConcurrentModificationException", LAKE_KIND_CONFLICT},
        {"TABLE_OR_VIEW_NOT_FOUND", LAKE_KIND_NOT_FOUND},
        {"UNRESOLVED_COLUMN.WITH_SUGGESTION", LAKE_KIND_NOT_FOUND},
        {"SCHEMA_NOT_FOUND", LAKE_KIND_NOT_FOUND},
        {"PARSE_SYNTAX_ERROR", LAKE_KIND_INVALID},
        /* not a conflict: the commit's outcome is unknown, a retry could write twice */
        {"org.apache.iceberg.exceptions.CommitStateUnknownException", LAKE_KIND_NONE},
        {"javax.validation.ValidationException", LAKE_KIND_NONE},
        {"com.example.ConcurrentAppendException", LAKE_KIND_NONE},
        {"TABLE_OR_VIEW_NOT_FOUND_X", LAKE_KIND_NONE},
        {"DELTA_CONCURRENT", LAKE_KIND_NONE},
        {"", LAKE_KIND_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (lake__error_class_kind(cases[i].cls) != cases[i].kind)
            LAKE_FAIL_AT("class \"%s\" is %s, expected %s", cases[i].cls,
                         lake_error_kind_name(lake__error_class_kind(cases[i].cls)), lake_error_kind_name(cases[i].kind));
    CHECK_EQ_INT(lake__error_class_kind(NULL), LAKE_KIND_NONE);
}

static void engine_error_keeps_class_and_state(void) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_INT(lake__error_engine(&err, LAKE_EREMOTE, LAKE_KIND_NOT_FOUND, "TABLE_OR_VIEW_NOT_FOUND", "42P01",
                                    "table %s is missing", "t"),
                 LAKE_EREMOTE);
    CHECK_EQ_INT(err.code, LAKE_EREMOTE);
    CHECK_EQ_INT(err.kind, LAKE_KIND_NOT_FOUND);
    CHECK_EQ_STR(err.engine_class, "TABLE_OR_VIEW_NOT_FOUND");
    CHECK_EQ_STR(err.sqlstate, "42P01");
    CHECK_EQ_STR(err.message, "table t is missing");
    /* From the network: a malformed state is dropped, a long class cut, control characters shown. */
    char long_class[300];
    memset(long_class, 'A', sizeof long_class - 1);
    long_class[sizeof long_class - 1] = '\0';
    lake__error_engine(&err, LAKE_EREMOTE, LAKE_KIND_NONE, long_class, "4200\n", "x");
    CHECK_EQ_INT(strlen(err.engine_class), sizeof err.engine_class - 1);
    CHECK_EQ_STR(err.sqlstate, "");
    lake__error_engine(&err, LAKE_EREMOTE, LAKE_KIND_NONE, "A\nB\x7f", NULL, "x");
    CHECK_EQ_STR(err.engine_class, "A?B?");
    lake__error_engine(&err, LAKE_EREMOTE, LAKE_KIND_NONE, NULL, "", "x");
    CHECK_EQ_STR(err.engine_class, "");
    /* Any later error replaces the classification; clear resets it. */
    lake__error_engine(&err, LAKE_ECONFLICT, LAKE_KIND_CONFLICT, "DELTA_CONCURRENT_APPEND", "2D521", "x");
    lake__error(&err, LAKE_EINVAL, "plain");
    CHECK_EQ_INT(err.kind, LAKE_KIND_NONE);
    CHECK_EQ_STR(err.engine_class, "");
    CHECK_EQ_STR(err.sqlstate, "");
    lake__error_engine(&err, LAKE_ECONFLICT, LAKE_KIND_CONFLICT, "DELTA_CONCURRENT_APPEND", "2D521", "x");
    lake_error_clear(&err);
    CHECK_EQ_INT(err.code, LAKE_OK);
    CHECK_EQ_INT(err.kind, LAKE_KIND_NONE);
    CHECK_EQ_STR(err.engine_class, "");
    CHECK_EQ_STR(err.sqlstate, "");
    CHECK_EQ_STR(err.message, "");
}

static void forward_prefixes_and_keeps_everything(void) {
    lake_error why = LAKE_ERROR_INIT, err = LAKE_ERROR_INIT;
    lake__error_engine(&why, LAKE_EREMOTE, LAKE_KIND_CONFLICT, "TransactionContext", "40001", "duckdb: Conflict");
    CHECK_EQ_INT(lake__error_forward(&err, &why, "checking keys of %s: ", "t"), LAKE_EREMOTE);
    CHECK_EQ_STR(err.message, "checking keys of t: duckdb: Conflict");
    CHECK_EQ_INT(err.code, LAKE_EREMOTE);
    CHECK_EQ_INT(err.kind, LAKE_KIND_CONFLICT);
    CHECK_EQ_STR(err.engine_class, "TransactionContext");
    CHECK_EQ_STR(err.sqlstate, "40001");
    /* In place: err is why. */
    CHECK_EQ_INT(lake__error_forward(&err, &err, "insert: "), LAKE_EREMOTE);
    CHECK_EQ_STR(err.message, "insert: checking keys of t: duckdb: Conflict");
    CHECK_EQ_STR(err.engine_class, "TransactionContext");
    /* A long message is cut at the object's size, the prefix kept whole. */
    char big[600];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    lake__error(&why, LAKE_EIO, "%s", big);
    lake__error_forward(&err, &why, "prefix: ");
    CHECK_EQ_INT(strlen(err.message), sizeof err.message - 1);
    CHECK(!strncmp(err.message, "prefix: xxx", 11));
    CHECK_EQ_INT(err.kind, LAKE_KIND_NONE);
    /* Validation issues move with it. */
    lake_issues *issues;
    CHECK_OK(lake__issues_new(&issues), NULL);
    CHECK_OK(lake__issues_add(issues, 0, "/a", "a", "min", "1", "too small"), NULL);
    lake__error_issues(&why, issues, "records");
    CHECK_EQ_INT(lake__error_forward(&err, &why, "insert: "), LAKE_EVALIDATION);
    CHECK(why.issues == NULL);
    CHECK_EQ_INT(lake_issues_count(err.issues), 1);
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->rule, "min");
    lake_error_clear(&why);
    lake_error_clear(&err);
}

/* Every builder takes a NULL error object and still returns the status. */
static void null_error_object_is_fine(void) {
    CHECK_EQ_INT(lake__error(NULL, LAKE_EIO, "x"), LAKE_EIO);
    CHECK_EQ_INT(lake__error_engine(NULL, LAKE_EREMOTE, LAKE_KIND_CONFLICT, "C", "40001", "x %d", 1), LAKE_EREMOTE);
    lake_error why = LAKE_ERROR_INIT;
    lake__error_engine(&why, LAKE_EAUTH, LAKE_KIND_PERMISSION, "UNAUTHENTICATED", NULL, "refused");
    CHECK_EQ_INT(lake__error_forward(NULL, &why, "open: "), LAKE_EAUTH);
    CHECK_EQ_STR(why.message, "refused"); /* untouched */
    lake_error_clear(&why);
    lake_error_clear(NULL);
    CHECK_EQ_STR(lake_error_kind_name(LAKE_KIND_NOT_FOUND), "not found");
    CHECK_EQ_STR(lake_error_kind_name((lake_error_kind)99), "unknown");
}

int main(void) {
    LAKE_RUN(sqlstate_classes_map_to_kinds);
    LAKE_RUN(error_classes_and_exceptions_map_to_kinds);
    LAKE_RUN(engine_error_keeps_class_and_state);
    LAKE_RUN(forward_prefixes_and_keeps_everything);
    LAKE_RUN(null_error_object_is_fine);
    return lake_test_summary();
}
