/* SPDX-License-Identifier: MIT */
/* Reading what an Iceberg REST catalog answers (formats/iceberg/rest_response.c),
 * without a server: the configuration's prefix, a table answer, an error
 * document and an OAuth2 token. */
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
    CHECK_OK(lake__iceberg_rest_table_read(json, strlen(json), &where, &metadata, &err), &err);
    CHECK_EQ_STR(where.data, "file:///w/t/metadata/v1.json"); /* Hadoop's file:/ as a URI */
    CHECK_EQ_STR(metadata.data, "{\"format-version\":2,\"location\":\"file:///w/t\"}");
    const char *no_location = "{\"metadata\":{}}";
    CHECK_STATUS(lake__iceberg_rest_table_read(no_location, strlen(no_location), &where, &metadata, &err), LAKE_EREMOTE,
                 &err);
    CHECK_CONTAINS(err.message, "metadata-location");
    CHECK_EQ_INT(where.len, 0);
    lake__buf_dispose(&where);
    lake__buf_dispose(&metadata);
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

int main(void) {
    if (lake_arena_new(&arena)) return 1;
    LAKE_RUN(overrides_win_over_defaults);
    LAKE_RUN(a_prefix_that_leaves_the_path_is_refused);
    LAKE_RUN(a_table_answer_gives_its_location_and_metadata);
    LAKE_RUN(an_error_document_gives_message_and_type);
    LAKE_RUN(a_token_that_could_end_a_header_is_refused);
    lake_arena_free(arena);
    return lake_test_summary();
}
