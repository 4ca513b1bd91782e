/* SPDX-License-Identifier: MIT */
/* Reading what an Iceberg REST catalog answers (formats/iceberg/rest_response.c),
 * without a server: the configuration's prefix, a table answer, a list of
 * namespaces, an error document and an OAuth2 token. */
#include "formats/iceberg/rest_response.h"
#include "util/arena.h"
#include "lake_test.h"

static lake_arena *arena;

static int config(const char *json, const char **prefix) {
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake__iceberg_rest_config_read(json, strlen(json), arena, prefix, &err);
    lake_error_clear(&err);
    return rc;
}

static void overrides_win_over_defaults(void) {
    const char *prefix;
    CHECK_EQ_INT(config("{\"defaults\":{\"prefix\":\"d\"},\"overrides\":{\"prefix\":\"o/p\"}}", &prefix), LAKE_OK);
    CHECK_EQ_STR(prefix, "o/p");
    CHECK_EQ_INT(config("{\"overrides\":{},\"defaults\":{\"prefix\":\"d\",\"x\":\"1\"}}", &prefix), LAKE_OK);
    CHECK_EQ_STR(prefix, "d");
    CHECK_EQ_INT(config("{\"defaults\":{},\"overrides\":{},\"endpoints\":[]}", &prefix), LAKE_OK);
    CHECK(prefix == NULL);
}

static void a_prefix_that_leaves_the_path_is_refused(void) {
    const char *prefix;
    const char *bad[] = {"{\"overrides\":{\"prefix\":\"a?b\"}}", "{\"overrides\":{\"prefix\":\"../x\"}}",
                         "{\"overrides\":{\"prefix\":\"a b\"}}", "{\"overrides\":{\"prefix\":\"\"}}",
                         "{\"overrides\":{\"prefix\":1}}", "{\"overrides\":{\"prefix\":\"a\",}}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) CHECK_EQ_INT(config(bad[i], &prefix), LAKE_EREMOTE);
}

static void a_table_answer_gives_its_location_and_metadata(void) {
    const char *json = "{\"metadata-location\":\"file:/w/t/metadata/v1.json\",\"config\":{},"
                       "\"metadata\": {\"format-version\": 2, \"location\":\"file:///w/t\"}}";
    lake__buf where = LAKE__BUF_INIT, metadata = LAKE__BUF_INIT;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__iceberg_rest_table_read(json, strlen(json), &where, &metadata, NULL, NULL, &err), &err);
    CHECK_EQ_STR(where.data, "file:///w/t/metadata/v1.json"); /* Hadoop's file:/ as a URI */
    CHECK_EQ_STR(metadata.data, "{\"format-version\":2,\"location\":\"file:///w/t\"}");
    const char *no_location = "{\"metadata\":{}}";
    CHECK_STATUS(lake__iceberg_rest_table_read(no_location, strlen(no_location), &where, &metadata, NULL, NULL, &err),
                 LAKE_EREMOTE, &err);
    CHECK_CONTAINS(err.message, "metadata-location");
    CHECK_EQ_INT(where.len, 0);
    lake__buf_dispose(&where);
    lake__buf_dispose(&metadata);
    lake_error_clear(&err);
}

/* What a table answer vends for its files, or the status reading it. */
static int vended(const char *json, lake__iceberg_storage *s, lake_error *err) {
    lake__buf where = LAKE__BUF_INIT, metadata = LAKE__BUF_INIT;
    int rc = lake__iceberg_rest_table_read(json, strlen(json), &where, &metadata, arena, s, err);
    lake__buf_dispose(&where);
    lake__buf_dispose(&metadata);
    return rc;
}

static void config_vends_s3_keys_with_client_names_as_fallback(void) {
    lake__iceberg_storage s;
    lake_error err = LAKE_ERROR_INIT;
    const char *json = "{\"metadata-location\":\"s3://b/w/t/metadata/1.json\",\"metadata\":{},\"config\":{"
                       "\"client.access-key-id\":\"CLIENT\",\"s3.access-key-id\":\"AKID\",\"s3.secret-access-key\":\"SK\","
                       "\"client.session-token\":\"TOKEN\",\"client.region\":\"eu-west-1\",\"s3.endpoint\":\"http://h:9000\","
                       "\"s3.path-style-access\":\"true\",\"gcs.oauth2.token\":\"\",\"n\":1,\"token\":\"x\"}}";
    CHECK_OK(vended(json, &s, &err), &err);
    CHECK_EQ_STR(s.access_key, "AKID"); /* s3.* over client.*, in either order */
    CHECK_EQ_STR(s.secret_key, "SK");
    CHECK_EQ_STR(s.session_token, "TOKEN");
    CHECK_EQ_STR(s.region, "eu-west-1");
    CHECK_EQ_STR(s.endpoint, "http://h:9000");
    CHECK_EQ_INT(s.path_style, 1);
    CHECK(s.gcs_token == NULL); /* empty: none */
    const char *none = "{\"metadata-location\":\"s3://b/t/m.json\",\"metadata\":{},\"config\":{}}";
    CHECK_OK(vended(none, &s, &err), &err);
    CHECK(!s.access_key && !s.secret_key && !s.endpoint && s.path_style == -1);
    lake_error_clear(&err);
}

static void the_longest_matching_storage_credential_applies(void) {
    lake__iceberg_storage s;
    lake_error err = LAKE_ERROR_INIT;
    /* Members in any order: the location comes last. */
    const char *json = "{\"metadata\":{},\"config\":{\"s3.access-key-id\":\"CFG\",\"s3.secret-access-key\":\"CFGS\","
                       "\"s3.session-token\":\"CFGT\",\"s3.region\":\"r1\"},\"storage-credentials\":["
                       "{\"prefix\":\"s3://b/\",\"config\":{\"s3.access-key-id\":\"BUCKET\",\"s3.secret-access-key\":\"B\"}},"
                       "{\"config\":{\"s3.access-key-id\":\"TABLE\",\"s3.secret-access-key\":\"T\"},\"prefix\":\"s3://b/w/t\"},"
                       "{\"prefix\":\"s3://b/w/other\",\"config\":{\"s3.access-key-id\":\"OTHER\",\"s3.secret-access-key\":\"O\"}}],"
                       "\"metadata-location\":\"s3://b/w/t/metadata/1.json\"}";
    CHECK_OK(vended(json, &s, &err), &err);
    CHECK_EQ_STR(s.access_key, "TABLE");
    CHECK_EQ_STR(s.secret_key, "T");
    CHECK(s.session_token == NULL); /* the credential's keys come without config's token */
    CHECK_EQ_STR(s.region, "r1");   /* what the credential leaves unset comes from config */
    const char *unmatched = "{\"metadata-location\":\"s3://c/t/m.json\",\"metadata\":{},\"storage-credentials\":["
                            "{\"prefix\":\"s3://b/\",\"config\":{\"s3.access-key-id\":\"B\"}}]}";
    CHECK_OK(vended(unmatched, &s, &err), &err);
    CHECK(s.access_key == NULL);
    const char *no_prefix = "{\"metadata-location\":\"s3://b/m.json\",\"metadata\":{},\"storage-credentials\":["
                            "{\"config\":{}}]}";
    CHECK_STATUS(vended(no_prefix, &s, &err), LAKE_EREMOTE, &err);
    lake_error_clear(&err);
}

static void a_vended_secret_that_could_end_a_header_is_refused_unechoed(void) {
    lake__iceberg_storage s;
    lake_error err = LAKE_ERROR_INIT;
    const char *json = "{\"metadata-location\":\"s3://b/t/m.json\",\"metadata\":{},\"config\":{"
                       "\"s3.access-key-id\":\"AKID\",\"s3.secret-access-key\":\"SECRET\",\"s3.session-token\":\"a\\r\\nX-Evil: 1\"}}";
    CHECK_STATUS(vended(json, &s, &err), LAKE_EREMOTE, &err);
    CHECK(!strstr(err.message, "Evil") && !strstr(err.message, "SECRET") && !strstr(err.message, "AKID"));
    lake_error_clear(&err);
}

static void an_error_document_gives_message_and_type(void) {
    const char *json = "{\"error\":{\"message\":\"Table does not exist: ns.t\",\"type\":\"NoSuchTableException\","
                       "\"code\":404,\"stack\":[\"at x\"]}}";
    const char *message, *type;
    CHECK(lake__iceberg_rest_error_read(json, strlen(json), arena, &message, &type));
    CHECK_EQ_STR(message, "Table does not exist: ns.t");
    CHECK_EQ_STR(type, "NoSuchTableException");
    CHECK(!lake__iceberg_rest_error_read("<html>", 6, arena, &message, &type));
    CHECK(message == NULL && type == NULL);
}

static void a_token_that_could_end_a_header_is_refused(void) {
    const char *token;
    int64_t expires;
    lake_error err = LAKE_ERROR_INIT;
    const char *good = "{\"access_token\":\"abc.def\",\"token_type\":\"bearer\",\"expires_in\":3600}";
    CHECK_OK(lake__iceberg_rest_token_read(good, strlen(good), arena, &token, &expires, &err), &err);
    CHECK_EQ_STR(token, "abc.def");
    CHECK_EQ_INT(expires, 3600);
    const char *bad = "{\"access_token\":\"abc\\r\\nX-Evil: 1\"}";
    CHECK_STATUS(lake__iceberg_rest_token_read(bad, strlen(bad), arena, &token, &expires, &err), LAKE_EAUTH, &err);
    CHECK(!strstr(err.message, "Evil")); /* the answer is never echoed */
    lake_error_clear(&err);
}

static void namespaces_are_listed_with_their_levels_joined(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake__buf names = LAKE__BUF_INIT;
    size_t count;
    const char *next;
    const char *page = "{\"namespaces\":[[\"default\"],[\"a\",\"b\"]],\"next-page-token\":\"t2\"}";
    CHECK_OK(lake__iceberg_rest_namespaces_read(page, strlen(page), arena, &names, &count, &next, &err), &err);
    CHECK_EQ_INT(count, 2);
    CHECK_EQ_STR(names.data, "default");
    CHECK_EQ_STR(names.data + 8, "a.b");
    CHECK_EQ_STR(next, "t2");
    const char *last = "{\"namespaces\":[]}";
    CHECK_OK(lake__iceberg_rest_namespaces_read(last, strlen(last), arena, &names, &count, &next, &err), &err);
    CHECK(count == 0 && next == NULL);
    const char *bad[] = {"{}", "{\"namespaces\":[[]]}", "{\"namespaces\":[[\"\"]]}", "{\"namespaces\":[[1]]}",
                         "{\"namespaces\":[[\"a\\u0000b\"]]}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK_STATUS(lake__iceberg_rest_namespaces_read(bad[i], strlen(bad[i]), arena, &names, &count, &next, &err),
                     LAKE_EREMOTE, &err);
        CHECK(count == 0 && names.len == 0);
    }
    lake__buf_dispose(&names);
    lake_error_clear(&err);
}

int main(void) {
    if (lake_arena_new(&arena)) return 1;
    config_vends_s3_keys_with_client_names_as_fallback();
    the_longest_matching_storage_credential_applies();
    a_vended_secret_that_could_end_a_header_is_refused_unechoed();
    LAKE_RUN(overrides_win_over_defaults);
    LAKE_RUN(a_prefix_that_leaves_the_path_is_refused);
    LAKE_RUN(a_table_answer_gives_its_location_and_metadata);
    LAKE_RUN(an_error_document_gives_message_and_type);
    LAKE_RUN(a_token_that_could_end_a_header_is_refused);
    LAKE_RUN(namespaces_are_listed_with_their_levels_joined);
    lake_arena_free(arena);
    return lake_test_summary();
}
