/* SPDX-License-Identifier: MIT */
/* How a failed Spark Connect call is classified, without a server: the
 * google.rpc.Status details Spark attaches (ErrorInfo with errorClass,
 * sqlState and the exception's "classes"), built here as Spark's ErrorUtils
 * sends them, and the gRPC codes the transport ends calls with. */
#include <grpc/status.h>

#include "drivers/spark/grpc.h"
#include "lake_test.h"
#include "rpc_status.pb-c.h"

/* The grpc-status-details-bin bytes for one ErrorInfo; free with free(). */
static uint8_t *details(const char *reason, const char *const *keys, const char *const *values, size_t n, size_t *len) {
    Google__Rpc__ErrorInfo__MetadataEntry entries[4], *ptrs[4];
    for (size_t i = 0; i < n; i++) {
        Google__Rpc__ErrorInfo__MetadataEntry e = GOOGLE__RPC__ERROR_INFO__METADATA_ENTRY__INIT;
        entries[i] = e;
        entries[i].key = (char *)keys[i];
        entries[i].value = (char *)values[i];
        ptrs[i] = &entries[i];
    }
    Google__Rpc__ErrorInfo info = GOOGLE__RPC__ERROR_INFO__INIT;
    info.reason = (char *)reason;
    info.domain = (char *)"org.apache.spark";
    info.n_metadata = n;
    info.metadata = ptrs;
    uint8_t *inner = malloc(google__rpc__error_info__get_packed_size(&info));
    size_t inner_len = google__rpc__error_info__pack(&info, inner);
    Google__Rpc__Any any = GOOGLE__RPC__ANY__INIT, *anys[] = {&any};
    any.type_url = (char *)"type.googleapis.com/google.rpc.ErrorInfo";
    any.value.data = inner;
    any.value.len = inner_len;
    Google__Rpc__Status st = GOOGLE__RPC__STATUS__INIT;
    st.code = 13;
    st.message = (char *)"the status message";
    st.n_details = 1;
    st.details = anys;
    uint8_t *out = malloc(google__rpc__status__get_packed_size(&st));
    *len = google__rpc__status__pack(&st, out);
    free(inner);
    return out;
}

static lake_error_kind kind_of(int code, const char *reason, const char *const *keys, const char *const *values,
                               size_t n, lake__grpc_status *st) {
    memset(st, 0, sizeof *st);
    size_t len;
    uint8_t *bytes = details(reason, keys, values, n, &len);
    char message[256] = "";
    lake__grpc_decode_details(bytes, len, st, message, sizeof message);
    free(bytes);
    st->code = code;
    return lake__grpc_status_kind(st);
}

static void missing_table_is_not_found_by_its_class(void) {
    static const char *const k[] = {"errorClass", "sqlState", "classes"};
    static const char *const v[] = {"TABLE_OR_VIEW_NOT_FOUND", "42P01",
                                    ("[\"org.apache.spark.sql.catalyst.ExtendedAnalysisException\","
                                     "\"org.apache.spark.sql.AnalysisException\",\"java.lang.Exception\"]")};
    lake__grpc_status st;
    CHECK_EQ_INT(kind_of(GRPC_STATUS_INTERNAL, "org.apache.spark.sql.catalyst.ExtendedAnalysisException", k, v, 3, &st),
                 LAKE_KIND_NOT_FOUND);
    CHECK_EQ_STR(st.error_class, "TABLE_OR_VIEW_NOT_FOUND");
    CHECK_EQ_STR(st.sql_state, "42P01");
    CHECK_EQ_INT(st.classes_kind, LAKE_KIND_NONE);
}

/* Delta's commit conflicts carry an error class; an exception without one is
 * known by its class hierarchy, or by its own class name (the reason). */
static void commit_conflicts_by_class_or_exception(void) {
    lake__grpc_status st;
    static const char *const delta_k[] = {"errorClass", "sqlState"};
    static const char *const delta_v[] = {"DELTA_CONCURRENT_APPEND", "2D521"};
    CHECK_EQ_INT(kind_of(GRPC_STATUS_INTERNAL, "io.delta.exceptions.ConcurrentAppendException", delta_k, delta_v, 2, &st),
                 LAKE_KIND_CONFLICT);
    static const char *const classes_k[] = {"classes"};
    static const char *const classes_v[] = {"[\"com.example.WrappedCommitError\",\"java.util.ConcurrentModificationException\","
                                            "\"java.lang.RuntimeException\"]"};
    CHECK_EQ_INT(kind_of(GRPC_STATUS_UNKNOWN, "com.example.WrappedCommitError", classes_k, classes_v, 1, &st),
                 LAKE_KIND_CONFLICT);
    CHECK_EQ_STR(st.error_class, "com.example.WrappedCommitError");
    CHECK_EQ_INT(kind_of(GRPC_STATUS_INTERNAL, "org.apache.iceberg.exceptions.CommitFailedException", NULL, NULL, 0, &st),
                 LAKE_KIND_CONFLICT);
    CHECK_EQ_STR(st.error_class, "org.apache.iceberg.exceptions.CommitFailedException");
    CHECK_EQ_INT(kind_of(GRPC_STATUS_INTERNAL, "org.apache.iceberg.exceptions.ValidationException", NULL, NULL, 0, &st),
                 LAKE_KIND_CONFLICT);
    /* Malformed "classes" from a server: ignored, nothing read past it. */
    static const char *const bad_v[] = {"[\"java.util.ConcurrentModificationException\""};
    CHECK_EQ_INT(kind_of(GRPC_STATUS_INTERNAL, "x.Y", classes_k, bad_v, 1, &st), LAKE_KIND_CONFLICT);
    static const char *const junk_v[] = {"{\"a\": 1}"};
    CHECK_EQ_INT(kind_of(GRPC_STATUS_INTERNAL, "x.Y", classes_k, junk_v, 1, &st), LAKE_KIND_NONE);
}

/* The transport's own codes decide before any class: the server was not
 * reached or shed load (retry), or refused the credentials. */
static void transport_codes_decide_first(void) {
    static const char *const k[] = {"errorClass", "sqlState"};
    static const char *const v[] = {"TABLE_OR_VIEW_NOT_FOUND", "42P01"};
    lake__grpc_status st;
    CHECK_EQ_INT(kind_of(GRPC_STATUS_UNAVAILABLE, "", NULL, NULL, 0, &st), LAKE_KIND_RETRYABLE);
    CHECK_EQ_INT(kind_of(GRPC_STATUS_RESOURCE_EXHAUSTED, "", k, v, 2, &st), LAKE_KIND_RETRYABLE);
    CHECK_EQ_INT(kind_of(GRPC_STATUS_UNAUTHENTICATED, "", NULL, NULL, 0, &st), LAKE_KIND_PERMISSION);
    CHECK_EQ_INT(kind_of(GRPC_STATUS_PERMISSION_DENIED, "", k, v, 2, &st), LAKE_KIND_PERMISSION);
    CHECK_EQ_INT(kind_of(GRPC_STATUS_DEADLINE_EXCEEDED, "", NULL, NULL, 0, &st), LAKE_KIND_NONE);
    /* With no class lakeorm knows, the SQLSTATE decides. */
    static const char *const syntax_v[] = {"SOME_NEW_CLASS", "42601"};
    CHECK_EQ_INT(kind_of(GRPC_STATUS_INTERNAL, "", k, syntax_v, 2, &st), LAKE_KIND_INVALID);
    static const char *const none_v[] = {"INTERNAL_ERROR", "XX000"};
    CHECK_EQ_INT(kind_of(GRPC_STATUS_INTERNAL, "", k, none_v, 2, &st), LAKE_KIND_NONE);
}

int main(void) {
    LAKE_RUN(missing_table_is_not_found_by_its_class);
    LAKE_RUN(commit_conflicts_by_class_or_exception);
    LAKE_RUN(transport_codes_decide_first);
    return lake_test_summary();
}
