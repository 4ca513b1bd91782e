/* SPDX-License-Identifier: MIT */
/* The Delta log's actions: lines other engines wrote parse, lines lakeorm
 * renders are Spark's byte for byte and parse back, corrupt lines name
 * their version and line. */
#include "formats/delta/delta.h"
#include "lake_test.h"
#include "util/alloc.h"

/* Two commits as delta-rs 1.6.6 wrote them (a partitioned table, then an
 * overwrite), including fields Spark never writes ("tags":null, ...). */
static const char deltars_v0[] =
    "{\"commitInfo\":{\"timestamp\":1796540109535,\"operation\":\"WRITE\",\"operationParameters\":{\"partitionBy\":"
    "\"[\\\"p\\\"]\",\"mode\":\"ErrorIfExists\"},\"engineInfo\":\"delta-rs:py-1.6.6\",\"operationMetrics\":{\"num_"
    "added_files\":3},\"clientVersion\":\"delta-rs.py-1.6.6\"}}\n"
    "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n"
    "{\"metaData\":{\"id\":\"3893ca1e-7f9e-4939-a786-65d55702852b\",\"name\":null,\"description\":null,\"format\":{"
    "\"provider\":\"parquet\",\"options\":{}},\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{"
    "\\\"name\\\":\\\"p\\\",\\\"type\\\":\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\","
    "\"partitionColumns\":[\"p\"],\"createdTime\":1796540109518,\"configuration\":{\"delta.appendOnly\":\"true\"}}}\n"
    "{\"add\":{\"path\":\"p=a%2520b%253Ac/part-00000-e5.snappy.parquet\",\"partitionValues\":{\"p\":\"a b:c\"},"
    "\"size\":484,\"modificationTime\":1796540109535,\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":1}\","
    "\"tags\":null,\"baseRowId\":null,\"defaultRowCommitVersion\":null,\"clusteringProvider\":null}}\n"
    "{\"add\":{\"path\":\"p=x/part-00000-26.snappy.parquet\",\"partitionValues\":{\"p\":null},\"size\":17,"
    "\"modificationTime\":5,\"dataChange\":false}}";

static const char deltars_v1[] =
    "{\"remove\":{\"path\":\"p=x/part-00000-26.snappy.parquet\",\"dataChange\":true,\"deletionTimestamp\":"
    "1796540109540,\"extendedFileMetadata\":true,\"partitionValues\":{\"p\":\"x\"},\"size\":484}}\n"
    "{\"txn\":{\"appId\":\"app\",\"version\":3,\"lastUpdated\":7}}\n"
    "{\"txn\":{\"appId\":\"other\",\"version\":9}}\n";

static void parses_a_delta_rs_commit(void) {
    lake_arena *arena;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_arena_new(&arena), NULL);
    lake__delta_commit_file c;
    CHECK_OK(lake__delta_parse_commit(deltars_v0, sizeof deltars_v0 - 1, 0, arena, &c, &err), &err);
    CHECK_EQ_INT(c.version, 0);
    CHECK_EQ_INT(c.timestamp, 1796540109535);
    CHECK_EQ_STR(c.operation, "WRITE");
    CHECK(c.lakeorm.ingest_id == NULL);
    CHECK(c.has_protocol && c.protocol.reader == 1 && c.protocol.writer == 2);
    CHECK(c.has_metadata);
    CHECK_EQ_STR(c.metadata.id, "3893ca1e-7f9e-4939-a786-65d55702852b");
    CHECK(c.metadata.name == NULL && c.metadata.description == NULL);
    CHECK_CONTAINS(c.metadata.schema_string, "{\"type\":\"struct\",\"fields\":[{\"name\":\"p\"");
    CHECK_EQ_INT(c.metadata.partition_count, 1);
    CHECK_EQ_STR(c.metadata.partition_columns[0], "p");
    CHECK_EQ_INT(c.metadata.created_time, 1796540109518);
    CHECK_EQ_INT(c.metadata.configuration_count, 1);
    CHECK_EQ_STR(c.metadata.configuration[0].key, "delta.appendOnly");
    CHECK_EQ_STR(c.metadata.configuration[0].value, "true");
    CHECK_EQ_INT(c.add_count, 2);
    CHECK_EQ_STR(c.adds[0].path, "p=a%2520b%253Ac/part-00000-e5.snappy.parquet");
    CHECK_EQ_INT(c.adds[0].partition_count, 1);
    CHECK_EQ_STR(c.adds[0].partition_values[0].value, "a b:c");
    CHECK_EQ_INT(c.adds[0].size, 484);
    CHECK_EQ_INT(c.adds[0].modification_time, 1796540109535);
    CHECK(c.adds[0].data_change);
    CHECK_EQ_STR(c.adds[0].stats, "{\"numRecords\":1}");
    CHECK(!c.adds[0].deletion_vector);
    CHECK(c.adds[1].partition_values[0].value == NULL);
    CHECK(!c.adds[1].data_change);
    CHECK(c.adds[1].stats == NULL);
    CHECK_EQ_INT(c.remove_count, 0);

    CHECK_OK(lake__delta_parse_commit(deltars_v1, sizeof deltars_v1 - 1, 1, arena, &c, &err), &err);
    CHECK(!c.has_protocol && !c.has_metadata);
    CHECK_EQ_INT(c.timestamp, -1);
    CHECK_EQ_INT(c.remove_count, 1);
    CHECK_EQ_INT(c.removes[0].deletion_timestamp, 1796540109540);
    CHECK_EQ_INT(c.removes[0].size, 484);
    CHECK_EQ_INT(c.txn_count, 2);
    CHECK_EQ_STR(c.txns[0].app_id, "app");
    CHECK_EQ_INT(c.txns[0].version, 3);
    CHECK_EQ_INT(c.txns[0].last_updated, 7);
    CHECK_EQ_INT(c.txns[1].last_updated, -1);
    lake_arena_free(arena);
}

/* What a checkpoint row looks like as JSON: every action kind a column,
 * all null but one; nested structs null when absent. */
static void parses_checkpoint_rows(void) {
    lake_arena *arena;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_arena_new(&arena), NULL);
    lake__delta_commit_file c = {.timestamp = -1};
    const char *rows[] = {
        "{\"txn\":null,\"add\":{\"path\":\"a.parquet\",\"partitionValues\":{},\"size\":3,\"modificationTime\":4,"
        "\"dataChange\":false,\"stats\":null,\"tags\":null,\"deletionVector\":null},\"remove\":null,"
        "\"metaData\":null,\"protocol\":null}",
        "{\"txn\":null,\"add\":{\"path\":\"b.parquet\",\"partitionValues\":null,\"size\":5,\"modificationTime\":6,"
        "\"dataChange\":true,\"deletionVector\":{\"storageType\":\"u\",\"pathOrInlineDv\":\"x\",\"offset\":1,"
        "\"sizeInBytes\":36,\"cardinality\":2}},\"remove\":null}",
        "{\"remove\":{\"path\":\"c.parquet\",\"deletionTimestamp\":null,\"dataChange\":null,"
        "\"extendedFileMetadata\":null,\"partitionValues\":null,\"size\":null}}",
        "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"deletionVectors\"],"
        "\"writerFeatures\":[\"deletionVectors\",\"appendOnly\"]},\"add\":null}",
        "{\"domainMetadata\":{\"domain\":\"delta.rowTracking\",\"configuration\":\"{}\",\"removed\":false}}",
        "{\"checkpointMetadata\":{\"version\":3},\"sidecar\":null,\"cdc\":{\"path\":\"x\"},\"future\":[1,{\"a\":[]}]}",
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        CHECK_OK(lake__delta_parse_action(rows[i], strlen(rows[i]), 10, arena, &c, &err), &err);
    CHECK_EQ_INT(c.add_count, 2);
    CHECK_EQ_STR(c.adds[0].path, "a.parquet");
    CHECK(!c.adds[0].deletion_vector);
    CHECK(c.adds[1].deletion_vector);
    CHECK_EQ_INT(c.adds[1].partition_count, 0);
    CHECK_EQ_INT(c.remove_count, 1);
    CHECK_EQ_INT(c.removes[0].size, -1);
    CHECK_EQ_INT(c.removes[0].deletion_timestamp, -1);
    CHECK(c.has_protocol && !c.has_metadata);
    CHECK_EQ_INT(c.protocol.reader_feature_count, 1);
    CHECK_EQ_INT(c.protocol.writer_feature_count, 2);
    CHECK_EQ_STR(c.protocol.writer_features[1], "appendOnly");
    CHECK(c.has_domain_metadata);
    lake_arena_free(arena);
}

static void keeps_many_actions_of_one_commit(void) {
    lake_arena *arena;
    lake_error err = LAKE_ERROR_INIT;
    lake__buf log = LAKE__BUF_INIT;
    CHECK_OK(lake_arena_new(&arena), NULL);
    for (int i = 0; i < 300; i++)
        lake__buf_printf(&log, "{\"add\":{\"path\":\"f%d\",\"partitionValues\":{},\"size\":%d,\"modificationTime\":0,"
                               "\"dataChange\":true}}\n", i, i);
    lake__delta_commit_file c;
    CHECK_OK(lake__delta_parse_commit(log.data, log.len, 2, arena, &c, &err), &err);
    CHECK_EQ_INT(c.add_count, 300);
    for (int i = 0; i < 300; i++) {
        char want[16];
        snprintf(want, sizeof want, "f%d", i);
        CHECK_EQ_STR(c.adds[i].path, want);
        CHECK_EQ_INT(c.adds[i].size, i);
    }
    lake__buf_dispose(&log);
    lake_arena_free(arena);
}

static void check_corrupt(const char *text, const char *message) {
    lake_arena *arena;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_arena_new(&arena), NULL);
    lake__delta_commit_file c;
    CHECK_STATUS(lake__delta_parse_commit(text, strlen(text), 7, arena, &c, &err), LAKE_EIO, &err);
    CHECK_CONTAINS(err.message, message);
    lake_arena_free(arena);
}

static void names_the_version_and_line_of_a_corrupt_commit(void) {
    const char *ok = "{\"txn\":{\"appId\":\"a\",\"version\":1}}\n";
    char text[256];
    snprintf(text, sizeof text, "%s{\"add\":{\"path\":\"x\",\"size\":1", ok); /* truncated mid-write */
    check_corrupt(text, "version 7, line 2");
    snprintf(text, sizeof text, "%s%s{\"add\":{\"path\":\"x\"}}\n", ok, ok);
    check_corrupt(text, "version 7, line 3 has no add.size");
    check_corrupt("{\"protocol\":{\"minReaderVersion\":1}}", "has no protocol.minWriterVersion");
    check_corrupt("{\"metaData\":{\"id\":\"x\"}}", "has no metaData.schemaString");
    check_corrupt("{\"txn\":{\"appId\":\"x\",\"version\":\"1\"}}", "expected a number");
    check_corrupt("{\"add\":{\"path\":\"x\",\"size\":1.5}}", "expected an integer");
    check_corrupt("{\"txn\":{\"version\":1}}", "has no txn.appId");
    check_corrupt("{\"add\":{\"path\":\"x\",\"size\":1}} {}", "text after the action");
    check_corrupt("[]", "expected an action object");
    check_corrupt("", "version 7 is empty");
    check_corrupt("{\"metaData\":{\"id\":\"x\",\"schemaString\":\"{}\",\"format\":{\"provider\":\"orc\"}}}",
                  "not parquet");
}

/* A commit cut at any byte (a writer stopped mid-file) parses whole lines
 * only: at a line's end it is the shorter commit, elsewhere an error. */
static void every_truncation_is_an_error_or_fewer_lines(void) {
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    size_t lines = 0;
    for (size_t len = 1; len < sizeof deltars_v0 - 1; len++) {
        lake_error err = LAKE_ERROR_INIT;
        lake__delta_commit_file c;
        int rc = lake__delta_parse_commit(deltars_v0, len, 5, arena, &c, &err);
        bool at_line_end = deltars_v0[len - 1] == '\n' || deltars_v0[len] == '\n';
        if (at_line_end) {
            CHECK_OK(rc, &err);
            lines += deltars_v0[len] == '\n';
            CHECK_EQ_INT(c.add_count, lines > 3 ? lines - 3 : 0);
        } else {
            CHECK_STATUS(rc, LAKE_EIO, &err);
            CHECK_CONTAINS(err.message, "version 5, line");
        }
        lake_arena_reset(arena);
    }
    CHECK_EQ_INT(lines, 4);
    lake_arena_free(arena);
}

static lake__delta_commit_file parse_line(lake_arena *arena, const lake__buf *line) {
    lake_error err = LAKE_ERROR_INIT;
    lake__delta_commit_file c;
    CHECK(line->len && line->data[line->len - 1] == '\n');
    CHECK_OK(lake__delta_parse_commit(line->data, line->len, 4, arena, &c, &err), &err);
    return c;
}

/* The exact lines Spark 4 / Delta 4.0 writes for these actions. */
static void renders_what_spark_writes(void) {
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    lake__buf b = LAKE__BUF_INIT;

    lake__delta_protocol proto = {1, 2, NULL, NULL, 0, 0};
    CHECK_EQ_INT(lake__delta_render_protocol(&b, &proto), 0);
    CHECK_EQ_STR(b.data, "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n");
    lake__delta_commit_file c = parse_line(arena, &b);
    CHECK(c.has_protocol && c.protocol.reader == 1 && c.protocol.writer == 2);
    b.len = 0;
    const char *rf[] = {"timestampNtz"}, *wf[] = {"appendOnly", "timestampNtz"};
    lake__delta_protocol proto7 = {3, 7, rf, wf, 1, 2};
    CHECK_EQ_INT(lake__delta_render_protocol(&b, &proto7), 0);
    CHECK_EQ_STR(b.data, "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":["
                         "\"timestampNtz\"],\"writerFeatures\":[\"appendOnly\",\"timestampNtz\"]}}\n");
    c = parse_line(arena, &b);
    CHECK_EQ_INT(c.protocol.writer_feature_count, 2);
    CHECK_EQ_STR(c.protocol.writer_features[1], "timestampNtz");

    b.len = 0;
    const char *parts[] = {"day"};
    lake__delta_pair conf[] = {{"delta.appendOnly", "true"}};
    lake__delta_metadata m = {"abc-1", NULL, NULL, "{\"type\":\"struct\",\"fields\":[]}", parts, 1, conf, 1, 1700};
    CHECK_EQ_INT(lake__delta_render_metadata(&b, &m), 0);
    CHECK_EQ_STR(b.data, "{\"metaData\":{\"id\":\"abc-1\",\"format\":{\"provider\":\"parquet\",\"options\":{}},"
                         "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\","
                         "\"partitionColumns\":[\"day\"],\"configuration\":{\"delta.appendOnly\":\"true\"},"
                         "\"createdTime\":1700}}\n");
    c = parse_line(arena, &b);
    CHECK_EQ_STR(c.metadata.schema_string, m.schema_string);
    CHECK_EQ_STR(c.metadata.partition_columns[0], "day");
    CHECK_EQ_STR(c.metadata.configuration[0].value, "true");
    CHECK_EQ_INT(c.metadata.created_time, 1700);

    b.len = 0;
    lake__delta_pair pv[] = {{"day", "2024-01-02"}, {"region", NULL}};
    lake__delta_file add = {.path = "day=2024-01-02/region=__HIVE_DEFAULT_PARTITION__/part-0.parquet",
                            .partition_values = pv, .partition_count = 2, .size = 1234,
                            .modification_time = 1700000000123, .deletion_timestamp = -1, .data_change = true,
                            .stats = "{\"numRecords\":2,\"minValues\":{\"s\":\"a\\\"\"}}"};
    CHECK_EQ_INT(lake__delta_render_add(&b, &add), 0);
    CHECK_EQ_STR(b.data, "{\"add\":{\"path\":\"day=2024-01-02/region=__HIVE_DEFAULT_PARTITION__/part-0.parquet\","
                         "\"partitionValues\":{\"day\":\"2024-01-02\",\"region\":null},\"size\":1234,"
                         "\"modificationTime\":1700000000123,\"dataChange\":true,\"stats\":\"{\\\"numRecords\\\":2,"
                         "\\\"minValues\\\":{\\\"s\\\":\\\"a\\\\\\\"\\\"}}\"}}\n");
    c = parse_line(arena, &b);
    CHECK_EQ_STR(c.adds[0].stats, add.stats);
    CHECK(c.adds[0].partition_values[1].value == NULL);

    b.len = 0;
    lake__delta_file rm = add;
    rm.deletion_timestamp = 1700000000999;
    CHECK_EQ_INT(lake__delta_render_remove(&b, &rm), 0);
    CHECK_EQ_STR(b.data, "{\"remove\":{\"path\":\"day=2024-01-02/region=__HIVE_DEFAULT_PARTITION__/part-0.parquet\","
                         "\"deletionTimestamp\":1700000000999,\"dataChange\":true,\"extendedFileMetadata\":true,"
                         "\"partitionValues\":{\"day\":\"2024-01-02\",\"region\":null},\"size\":1234}}\n");
    c = parse_line(arena, &b);
    CHECK_EQ_INT(c.removes[0].deletion_timestamp, 1700000000999);
    CHECK_EQ_INT(c.removes[0].size, 1234);

    b.len = 0;
    lake__delta_txn txn = {"lakeorm-ingest", 12, 1700};
    CHECK_EQ_INT(lake__delta_render_txn(&b, &txn), 0);
    CHECK_EQ_STR(b.data, "{\"txn\":{\"appId\":\"lakeorm-ingest\",\"version\":12,\"lastUpdated\":1700}}\n");
    c = parse_line(arena, &b);
    CHECK_EQ_INT(c.txns[0].version, 12);

    b.len = 0;
    lake__delta_lakeorm_info info = {"ing-1", "key \"1\"", "fp", "orders"};
    CHECK_EQ_INT(lake__delta_render_commit_info(&b, 1700, "MERGE", "{\"predicate\":\"[]\"}", 11, false, &info), 0);
    CHECK_EQ_STR(b.data, "{\"commitInfo\":{\"timestamp\":1700,\"operation\":\"MERGE\",\"operationParameters\":{"
                         "\"predicate\":\"[]\"},\"readVersion\":11,\"isolationLevel\":\"Serializable\","
                         "\"isBlindAppend\":false,\"engineInfo\":\"lakeorm/" LAKE_VERSION_STRING "\","
                         "\"lakeorm\":{\"ingestId\":\"ing-1\",\"idempotencyKey\":\"key \\\"1\\\"\","
                         "\"fingerprint\":\"fp\",\"table\":\"orders\"}}}\n");
    c = parse_line(arena, &b);
    CHECK_EQ_INT(c.timestamp, 1700);
    CHECK_EQ_STR(c.operation, "MERGE");
    CHECK_EQ_STR(c.lakeorm.idempotency_key, "key \"1\"");
    CHECK_EQ_STR(c.lakeorm.table, "orders");

    b.len = 0;
    lake__delta_lakeorm_info create = {NULL, NULL, NULL, "orders"};
    CHECK_EQ_INT(lake__delta_render_commit_info(&b, 5, "CREATE TABLE", NULL, -1, true, &create), 0);
    CHECK_EQ_STR(b.data, "{\"commitInfo\":{\"timestamp\":5,\"operation\":\"CREATE TABLE\",\"operationParameters\":{},"
                         "\"isolationLevel\":\"Serializable\",\"isBlindAppend\":true,\"engineInfo\":\"lakeorm/"
                         LAKE_VERSION_STRING "\",\"lakeorm\":{\"table\":\"orders\"}}}\n");
    c = parse_line(arena, &b);
    CHECK(c.lakeorm.ingest_id == NULL && c.lakeorm.idempotency_key == NULL);
    lake__buf_dispose(&b);
    lake_arena_free(arena);
}

static void check_path(const char *folder_path, const char *logged) {
    lake__buf b = LAKE__BUF_INIT;
    CHECK_EQ_INT(lake__delta_path_encode(&b, folder_path), 0);
    CHECK_EQ_STR(b.data, logged);
    b.len = 0;
    CHECK_EQ_INT(lake__delta_path_decode(&b, logged), 0);
    CHECK_EQ_STR(b.data, folder_path);
    lake__buf_dispose(&b);
}

/* Partition folders are Hive-escaped ("a b:c" is the folder a%20b%3Ac as
 * delta-rs writes it), then the log URI-encodes the path once more. */
static void encodes_paths_as_the_log_holds_them(void) {
    check_path("p=a%20b%3Ac%2Fd%25e/part-00000-e5.snappy.parquet",
               "p=a%2520b%253Ac%252Fd%2525e/part-00000-e5.snappy.parquet");
    check_path("p=a b%3Ac/part 1.parquet", "p=a%20b%253Ac/part%201.parquet");
    check_path("x=\xc3\xa9/f.parquet", "x=%C3%A9/f.parquet");
    check_path("k=-._~!$&'()*+,;=:@/f", "k=-._~!$&'()*+,;=:@/f");
    check_path("q=?#[]\"<>\\^`{|}", "q=%3F%23%5B%5D%22%3C%3E%5C%5E%60%7B%7C%7D");
    check_path("", "");
    lake__buf b = LAKE__BUF_INIT;
    CHECK(lake__delta_path_decode(&b, "a%2") != 0);
    CHECK(!b.failed);
    b.len = 0;
    CHECK(lake__delta_path_decode(&b, "a%zz") != 0);
    b.len = 0;
    CHECK_EQ_INT(lake__delta_path_decode(&b, "a%2fb%2F"), 0);
    CHECK_EQ_STR(b.data, "a/b/");
    lake__buf_dispose(&b);
}

int main(void) {
    LAKE_RUN(parses_a_delta_rs_commit);
    LAKE_RUN(parses_checkpoint_rows);
    LAKE_RUN(keeps_many_actions_of_one_commit);
    LAKE_RUN(names_the_version_and_line_of_a_corrupt_commit);
    LAKE_RUN(every_truncation_is_an_error_or_fewer_lines);
    LAKE_RUN(renders_what_spark_writes);
    LAKE_RUN(encodes_paths_as_the_log_holds_them);
    return lake_test_summary();
}
