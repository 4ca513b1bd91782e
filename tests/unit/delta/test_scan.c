/* SPDX-License-Identifier: MIT */
/* Delta scans (formats/delta/scan.c, dialects/compute_scan.c): snapshots
 * built by hand over Parquet files pyarrow wrote (tests/delta/scan_files.py)
 * as other Delta writers write them, read through the DuckDB driver with
 * its session's TimeZone far from UTC, so that no timestamp is read in it. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dialects/compute_scan.h"
#include "dialects/dialect.h"
#include "drivers/driver.h"
#include "formats/delta/delta.h"
#include "lake_test.h"

static char files[256]; /* the folder scan_files.py filled */
static lake_backend *store; /* file:// at files */
static lake__delta delta;

static const lake__driver_ops *ops = &lake__duckdb_driver;
static void *engine;
static lake__session *session;

/* ---- snapshots by hand */

typedef struct snap {
    lake__delta_snapshot s;
    lake__delta_column columns[24];
    lake__delta_file files[8];
} snap;

static void snap_init(snap *n, const char *const *columns, size_t count) {
    memset(n, 0, sizeof *n);
    n->s.version = 3;
    n->s.protocol = (lake__delta_protocol){.reader = 1, .writer = 2};
    n->s.checkpoint_version = -1;
    n->s.columns = n->columns;
    n->s.files = n->files;
    /* name, type JSON, "p" for a partition column */
    for (size_t i = 0; i < count; i++) {
        n->columns[i] = (lake__delta_column){columns[3 * i], columns[3 * i + 1], true, columns[3 * i + 2][0] == 'p'};
    }
    n->s.column_count = count;
}

static void snap_add(snap *n, const char *path, lake__delta_pair *values, size_t count) {
    n->files[n->s.file_count++] = (lake__delta_file){.path = path, .partition_values = values, .partition_count = count,
                                                     .size = 1, .deletion_timestamp = -1, .data_change = true};
}

static lake__delta_table table_at(lake_backend *b, const char *root) {
    lake__delta_table t = {.delta = &delta, .store = b};
    snprintf(t.root, sizeof t.root, "%s", root);
    snprintf(t.name, sizeof t.name, "%.*s", (int)strlen(root) - 1, root);
    return t;
}

/* ---- reading through the driver */

/* The first value of `query` over the scan as t. */
static int ask(const char *scan, const char *query, char *out, size_t cap, lake_error *err) {
    lake__buf sql = LAKE__BUF_INIT;
    lake__buf_printf(&sql, "WITH t AS (%s) %s", scan, query);
    lake__stmt st = {.sql = sql.data};
    int rc = ops->query_text(session, &st, out, cap, err);
    lake__buf_dispose(&sql);
    return rc;
}

static void scan_of(const lake__delta_table *t, const snap *n, lake__buf *sql) {
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__delta_scan_sql(t, &n->s, sql, &err), &err);
}

/* Every column's name and DuckDB type, in order. */
static void check_shape(const char *scan, const char *expected) {
    lake__buf sql = LAKE__BUF_INIT;
    lake__buf_printf(&sql, "SELECT string_agg(column_name || ' ' || column_type, ', ') FROM (DESCRIBE %s)", scan);
    lake__stmt st = {.sql = sql.data};
    char out[2048];
    lake_error err = LAKE_ERROR_INIT;
    int rc = ops->query_text(session, &st, out, sizeof out, &err);
    lake__buf_dispose(&sql);
    CHECK_OK(rc, &err);
    CHECK_EQ_STR(out, expected);
}

static void check_answer(const char *scan, const char *query, const char *expected) {
    char out[4096];
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(ask(scan, query, out, sizeof out, &err), &err);
    CHECK_EQ_STR(out, expected);
}

/* ---- types */

static void check_type(const char *json, const char *expected) {
    lake__buf b = LAKE__BUF_INIT;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake__delta_engine_type(&b, json, &err);
    if (rc) lake__buf_dispose(&b);
    CHECK_OK(rc, &err);
    CHECK_EQ_STR(b.data, expected);
    lake__buf_dispose(&b);
}

static void check_type_refused(const char *json, int code, const char *says) {
    lake__buf b = LAKE__BUF_INIT;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake__delta_engine_type(&b, json, &err);
    size_t left = b.len;
    lake__buf_dispose(&b);
    CHECK_STATUS(rc, code, &err);
    CHECK_CONTAINS(err.message, says);
    CHECK_EQ_INT(left, 0);
}

static void delta_types_map_to_duckdb_types(void) {
    static const char *const pairs[][2] = {
        {"\"boolean\"", "BOOLEAN"}, {"\"byte\"", "TINYINT"}, {"\"short\"", "SMALLINT"}, {"\"integer\"", "INTEGER"},
        {"\"long\"", "BIGINT"}, {"\"float\"", "FLOAT"}, {"\"double\"", "DOUBLE"}, {"\"string\"", "VARCHAR"},
        {"\"binary\"", "BLOB"}, {"\"date\"", "DATE"}, {"\"timestamp\"", "TIMESTAMPTZ"},
        {"\"timestamp_ntz\"", "TIMESTAMP"}, {"\"decimal(10,2)\"", "DECIMAL(10,2)"}, {"\"decimal(38, 0)\"", "DECIMAL(38,0)"},
        {"\"decimal\"", "DECIMAL(10,0)"}, {" \"str\\u0069ng\" ", "VARCHAR"},
        {"{\"type\":\"array\",\"elementType\":\"long\",\"containsNull\":true}", "BIGINT[]"},
        /* members in any order, metadata of any shape, escaped names */
        {"{\"fields\":[{\"name\":\"a\",\"type\":\"integer\",\"nullable\":true,\"metadata\":{}},"
         "{\"metadata\":{\"k\":[{}]},\"type\":{\"type\":\"array\",\"elementType\":\"string\",\"containsNull\":true},"
         "\"nullable\":true,\"name\":\"we\\\"ird \\u00e9\"}],\"type\":\"struct\"}",
         "STRUCT(\"a\" INTEGER, \"we\"\"ird \xC3\xA9\" VARCHAR[])"},
        {"{\"keyType\":\"string\",\"valueType\":{\"type\":\"map\",\"keyType\":\"integer\",\"valueType\":\"double\","
         "\"valueContainsNull\":false},\"valueContainsNull\":true,\"type\":\"map\"}",
         "MAP(VARCHAR, MAP(INTEGER, DOUBLE))"},
        {"{\"type\":\"array\",\"elementType\":{\"type\":\"struct\",\"fields\":[{\"name\":\"t\",\"type\":\"timestamp\","
         "\"nullable\":true,\"metadata\":{}}]},\"containsNull\":true}",
         "STRUCT(\"t\" TIMESTAMPTZ)[]"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) check_type(pairs[i][0], pairs[i][1]);
}

static void unreadable_types_are_refused_by_name(void) {
    check_type_refused("\"variant\"", LAKE_ENOTSUP, "\"variant\"");
    check_type_refused("\"decimal(39,2)\"", LAKE_ENOTSUP, "decimal(39,2)");
    check_type_refused("\"decimal(5,6)\"", LAKE_ENOTSUP, "decimal(5,6)");
    check_type_refused("{\"type\":\"udt\",\"class\":\"x\"}", LAKE_ENOTSUP, "\"udt\"");
    check_type_refused("{\"type\":\"struct\",\"fields\":[]}", LAKE_ENOTSUP, "empty struct");
    check_type_refused("{\"type\":\"array\"}", LAKE_EIO, "malformed");
    check_type_refused("{\"type\":\"struct\",\"fields\":[{\"name\":\"a\"}]}", LAKE_EIO, "without name or type");
    check_type_refused("{\"type\":\"array\",\"elementType\":\"long\"", LAKE_EIO, "malformed");
    check_type_refused("\"long\" 1", LAKE_EIO, "malformed");
    check_type_refused("7", LAKE_EIO, "malformed");
    /* A hostile log cannot recurse without bound. */
    lake__buf deep = LAKE__BUF_INIT;
    for (int i = 0; i < 200; i++) lake__buf_puts(&deep, "{\"type\":\"array\",\"elementType\":");
    lake__buf_puts(&deep, "\"long\"");
    for (int i = 0; i < 200; i++) lake__buf_putc(&deep, '}');
    CHECK(!deep.failed);
    lake__buf b = LAKE__BUF_INIT;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake__delta_engine_type(&b, deep.data, &err);
    lake__buf_dispose(&deep);
    lake__buf_dispose(&b);
    CHECK_STATUS(rc, LAKE_ENOTSUP, &err);
    CHECK_CONTAINS(err.message, "deeper");
}

static void literals_double_quotes_and_refuse_controls(void) {
    lake__buf b = LAKE__BUF_INIT;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__sql_literal(&b, "o'brien \\ caf\xC3\xA9", &err), &err);
    CHECK_EQ_STR(b.data, "'o''brien \\ caf\xC3\xA9'");
    size_t len = b.len;
    CHECK_STATUS(lake__sql_literal(&b, "line\nbreak", &err), LAKE_ENOTSUP, &err);
    CHECK_CONTAINS(err.message, "0x0A");
    CHECK_STATUS(lake__sql_literal(&b, "del\x7F", &err), LAKE_ENOTSUP, &err);
    CHECK_STATUS(lake__sql_literal(&b, "bad \xC3(", &err), LAKE_ENOTSUP, &err);
    CHECK_CONTAINS(err.message, "not UTF-8");
    CHECK_EQ_INT(b.len, len);
    lake__buf_dispose(&b);
}

/* ---- reading files */

static const char *const TYPES[] = {
    "id", "\"long\"", "", "b", "\"boolean\"", "", "i8", "\"byte\"", "", "i16", "\"short\"", "",
    "i32", "\"integer\"", "", "i64", "\"long\"", "", "f32", "\"float\"", "", "f64", "\"double\"", "",
    "s", "\"string\"", "", "bin", "\"binary\"", "", "d", "\"date\"", "", "ts", "\"timestamp\"", "",
    "tsn", "\"timestamp_ntz\"", "", "dec", "\"decimal(10,2)\"", "",
    "st", ("{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"integer\",\"nullable\":true,\"metadata\":{}},"
           "{\"name\":\"b\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}"), "",
    "arr", "{\"type\":\"array\",\"elementType\":\"long\",\"containsNull\":true}", "",
    "m", "{\"type\":\"map\",\"keyType\":\"string\",\"valueType\":\"double\",\"valueContainsNull\":true}", "",
    "deep", ("{\"type\":\"array\",\"elementType\":{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\","
             "\"nullable\":true,\"metadata\":{}},{\"name\":\"b\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]},"
             "\"containsNull\":true}"), "",
};

static void every_type_reads_as_the_tables_type(void) {
    snap n;
    snap_init(&n, TYPES, sizeof TYPES / sizeof *TYPES / 3);
    snap_add(&n, "part-0.parquet", NULL, 0);
    lake__delta_table t = table_at(store, "types/");
    lake__buf sql = LAKE__BUF_INIT;
    scan_of(&t, &n, &sql);
    check_shape(sql.data, "id BIGINT, b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INTEGER, i64 BIGINT, f32 FLOAT, "
                          "f64 DOUBLE, s VARCHAR, bin BLOB, d DATE, ts TIMESTAMP WITH TIME ZONE, tsn TIMESTAMP, "
                          "dec DECIMAL(10,2), st STRUCT(a INTEGER, b VARCHAR), arr BIGINT[], m MAP(VARCHAR, DOUBLE), "
                          "deep STRUCT(a BIGINT, b VARCHAR)[], _ingest_id VARCHAR");
    check_answer(sql.data,
                 "SELECT to_json(list(x ORDER BY id))::VARCHAR FROM "
                 "(SELECT * EXCLUDE (ts, tsn), epoch_us(ts) AS ts_us, tsn::VARCHAR AS tsn FROM t) x",
                 "[{\"id\":1,\"b\":true,\"i8\":-8,\"i16\":-16,\"i32\":-32,\"i64\":-64,\"f32\":1.5,\"f64\":2.25,"
                 "\"s\":\"caf\xC3\xA9 'q'\",\"bin\":\"\\\\x00\\\\x01\",\"d\":\"2024-01-02\","
                 "\"dec\":12345678.91,\"st\":{\"a\":7,\"b\":\"x\"},\"arr\":[1,null,3],\"m\":{\"k\":2.5},"
                 "\"deep\":[{\"a\":1,\"b\":\"y\"}],\"_ingest_id\":null,\"ts_us\":1704164645123456,\"tsn\":\"2024-01-02 03:04:05.000006\"},"
                 "{\"id\":2,\"b\":null,\"i8\":null,\"i16\":null,\"i32\":null,\"i64\":null,\"f32\":null,\"f64\":null,"
                 "\"s\":null,\"bin\":null,\"d\":null,\"dec\":null,\"st\":null,\"arr\":null,\"m\":null,"
                 "\"deep\":[],\"_ingest_id\":null,\"ts_us\":null,\"tsn\":null}]");
    lake__buf_dispose(&sql);
}

static void int96_timestamps_read_as_utc_instants(void) {
    static const char *const cols[] = {
        "id", "\"long\"", "", "ts", "\"timestamp\"", "",
        "st", ("{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},"
               "{\"name\":\"t\",\"type\":\"timestamp\",\"nullable\":true,\"metadata\":{}}]}"), "",
        "lst", "{\"type\":\"array\",\"elementType\":\"timestamp\",\"containsNull\":true}", "",
        "mp", "{\"type\":\"map\",\"keyType\":\"string\",\"valueType\":\"timestamp\",\"valueContainsNull\":true}", "",
        "_ingest_id", "\"string\"", "",
    };
    snap n;
    snap_init(&n, cols, 6);
    snap_add(&n, "part-0.parquet", NULL, 0);
    lake__delta_table t = table_at(store, "int96/");
    lake__buf sql = LAKE__BUF_INIT;
    scan_of(&t, &n, &sql);
    /* The table has its own _ingest_id: none is added. */
    check_shape(sql.data, "id BIGINT, ts TIMESTAMP WITH TIME ZONE, st STRUCT(a BIGINT, t TIMESTAMP WITH TIME ZONE), "
                          "lst TIMESTAMP WITH TIME ZONE[], mp MAP(VARCHAR, TIMESTAMP WITH TIME ZONE), _ingest_id VARCHAR");
    check_answer(sql.data,
                 "SELECT to_json(list([epoch_us(ts), st.a, epoch_us(st.t), epoch_us(lst[1]), len(lst), "
                 "epoch_us(mp['k']), st IS NULL, lst IS NULL, mp IS NULL] ORDER BY id))::VARCHAR FROM t",
                 "[[1704164645123456,1,1704164645123456,1704164645123456,2,1704164645123456,0,0,0],"
                 "[null,null,null,null,null,null,1,1,1]]");
    lake__buf_dispose(&sql);
}

/* A struct field added later: files without it read it as NULL, even when
 * no file of the scan has it. */
static void struct_fields_added_later_read_null(void) {
    static const char *const cols[] = {
        "id", "\"long\"", "",
        "s", ("{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},"
              "{\"name\":\"t\",\"type\":\"timestamp\",\"nullable\":true,\"metadata\":{}}]}"), "",
    };
    snap n;
    snap_init(&n, cols, 2);
    snap_add(&n, "part-old.parquet", NULL, 0);
    lake__delta_table t = table_at(store, "nested/");
    lake__buf sql = LAKE__BUF_INIT;
    scan_of(&t, &n, &sql);
    check_answer(sql.data, "SELECT to_json(list([s.a, epoch_us(s.t)] ORDER BY id))::VARCHAR FROM t", "[[1,null]]");
    lake__buf_dispose(&sql);
    snap_add(&n, "part-new.parquet", NULL, 0);
    lake__buf both = LAKE__BUF_INIT;
    scan_of(&t, &n, &both);
    check_answer(both.data, "SELECT to_json(list([s.a, epoch_us(s.t)] ORDER BY id))::VARCHAR FROM t",
                 "[[1,null],[2,1704164645123456]]");
    lake__buf_dispose(&both);
}

static void columns_added_later_read_null_in_older_files(void) {
    static const char *const cols[] = {
        "id", "\"long\"", "", "we\"ird; --", "\"string\"", "", "extra", "\"long\"", "",
        "never", "\"timestamp\"", "", /* in no file at all */
        "never_s", "{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"date\",\"nullable\":true,\"metadata\":{}}]}", "",
    };
    snap n;
    snap_init(&n, cols, 5);
    snap_add(&n, "part-new.parquet", NULL, 0);
    snap_add(&n, "part-old.parquet", NULL, 0);
    lake__delta_table t = table_at(store, "evolve/");
    lake__buf sql = LAKE__BUF_INIT;
    scan_of(&t, &n, &sql);
    check_shape(sql.data, "id BIGINT, we\"ird; -- VARCHAR, extra BIGINT, never TIMESTAMP WITH TIME ZONE, "
                          "never_s STRUCT(a DATE), _ingest_id VARCHAR");
    check_answer(sql.data, "SELECT to_json(list(t ORDER BY id))::VARCHAR FROM t",
                 "[{\"id\":1,\"we\\\"ird; --\":\"old\",\"extra\":null,\"never\":null,\"never_s\":null,\"_ingest_id\":null},"
                 "{\"id\":2,\"we\\\"ird; --\":\"new\",\"extra\":20,\"never\":null,\"never_s\":null,\"_ingest_id\":null}]");
    lake__buf_dispose(&sql);
}

static const char *const PARTED[] = {
    "id", "\"long\"", "", "day", "\"date\"", "p", "v", "\"string\"", "",
    "at", "\"timestamp\"", "p", "tag", "\"string\"", "p", "n", "\"integer\"", "p",
};

static lake__delta_pair first[] = {{"day", "2024-01-02"}, {"at", "2024-01-02 03:04:05.5"}, {"tag", "o'brien"}, {"n", "7"}};
/* Null as null and as "" (Spark's null partition value), names in another case. */
static lake__delta_pair nulls[] = {{"day", NULL}, {"AT", NULL}, {"tag", NULL}, {"n", ""}};
static lake__delta_pair third[] = {{"day", "2024-01-03"}, {"at", "2024-01-03T01:00:00+01:00"}, {"tag", "plain"}, {"n", "-1"}};

static void parted_snapshot(snap *n) {
    snap_init(n, PARTED, sizeof PARTED / sizeof *PARTED / 3);
    snap_add(n, "day=2024-01-02/b.parquet", first, 4);
    snap_add(n, "day=__HIVE_DEFAULT_PARTITION__/c.parquet", nulls, 4);
    snap_add(n, "day=2024-01-03/with%20space.parquet", third, 4);
    snap_add(n, "day=2024-01-02/a.parquet", first, 4);
}

static size_t occurrences(const char *s, const char *what) {
    size_t k = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what)) k++;
    return k;
}

static void partition_values_come_from_the_log(void) {
    snap n;
    parted_snapshot(&n);
    lake__delta_table t = table_at(store, "parts/");
    lake__buf sql = LAKE__BUF_INIT;
    scan_of(&t, &n, &sql);
    /* Files with the same values share one read. */
    CHECK_EQ_INT(occurrences(sql.data, "read_parquet("), 3);
    check_shape(sql.data, "id BIGINT, day DATE, v VARCHAR, at TIMESTAMP WITH TIME ZONE, tag VARCHAR, n INTEGER, "
                          "_ingest_id VARCHAR");
    check_answer(sql.data,
                 "SELECT to_json(list(x ORDER BY id))::VARCHAR FROM (SELECT * EXCLUDE (\"at\"), epoch_us(\"at\") AS at_us FROM t) x",
                 "[{\"id\":1,\"day\":\"2024-01-02\",\"v\":\"v1\",\"tag\":\"o'brien\",\"n\":7,\"_ingest_id\":null,\"at_us\":1704164645500000},"
                 "{\"id\":2,\"day\":\"2024-01-02\",\"v\":\"v2\",\"tag\":\"o'brien\",\"n\":7,\"_ingest_id\":null,\"at_us\":1704164645500000},"
                 "{\"id\":3,\"day\":\"2024-01-02\",\"v\":\"v3\",\"tag\":\"o'brien\",\"n\":7,\"_ingest_id\":null,\"at_us\":1704164645500000},"
                 "{\"id\":4,\"day\":null,\"v\":\"v4\",\"tag\":null,\"n\":null,\"_ingest_id\":null,\"at_us\":null},"
                 "{\"id\":5,\"day\":\"2024-01-03\",\"v\":\"v5\",\"tag\":\"plain\",\"n\":-1,\"_ingest_id\":null,\"at_us\":1704240000000000}]");
    check_answer(sql.data, "SELECT count(*) FROM t WHERE day = DATE '2024-01-02' AND tag = 'o''brien'", "3");
    /* The folder names do not count: a partition value the log changes wins. */
    snap m;
    parted_snapshot(&m);
    lake__delta_pair other[] = {{"day", "1999-12-31"}, {"at", NULL}, {"tag", NULL}, {"n", NULL}};
    m.files[0].partition_values = other;
    lake__buf sql2 = LAKE__BUF_INIT;
    scan_of(&t, &m, &sql2);
    check_answer(sql2.data, "SELECT day::VARCHAR FROM t WHERE id = 3", "1999-12-31");
    lake__buf_dispose(&sql2);
    lake__buf_dispose(&sql);
}

/* More partitions than DuckDB's parser nests UNION ALLs deep (1000). */
static void a_thousand_partitions_read_as_one_table(void) {
    enum { PARTITIONS = 1200 };
    static const char *const cols[] = {"id", "\"long\"", "", "v", "\"string\"", "", "n", "\"integer\"", "p"};
    lake__delta_snapshot s = {.version = 1, .protocol = {.reader = 1, .writer = 2}, .checkpoint_version = -1};
    lake__delta_column columns[3];
    for (size_t i = 0; i < 3; i++) columns[i] = (lake__delta_column){cols[3 * i], cols[3 * i + 1], true, cols[3 * i + 2][0] == 'p'};
    lake__delta_file *adds = calloc(PARTITIONS, sizeof *adds);
    lake__delta_pair *values = calloc(PARTITIONS, sizeof *values);
    char (*text)[12] = calloc(PARTITIONS, sizeof *text);
    CHECK(adds && values && text);
    for (size_t i = 0; i < PARTITIONS; i++) {
        snprintf(text[i], sizeof text[i], "%zu", i);
        values[i] = (lake__delta_pair){"n", text[i]};
        adds[i] = (lake__delta_file){.path = "day=2024-01-02/a.parquet", .partition_values = &values[i],
                                     .partition_count = 1, .size = 1, .deletion_timestamp = -1};
    }
    s.columns = columns, s.column_count = 3, s.files = adds, s.file_count = PARTITIONS;
    lake__delta_table t = table_at(store, "parts/");
    lake__buf sql = LAKE__BUF_INIT;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake__delta_scan_sql(&t, &s, &sql, &err);
    char out[64] = "";
    if (!rc) rc = ask(sql.data, "SELECT count(*) || ' ' || sum(n) || ' ' || count(*) FILTER (WHERE n = 7) FROM t", out, sizeof out, &err);
    lake__buf_dispose(&sql);
    free(adds);
    free(values);
    free(text);
    CHECK_OK(rc, &err);
    CHECK_EQ_STR(out, "2400 1438800 2");
}

static void an_empty_table_reads_no_rows_of_its_shape(void) {
    snap n;
    parted_snapshot(&n);
    n.s.file_count = 0;
    lake__delta_table t = table_at(store, "parts/");
    lake__buf sql = LAKE__BUF_INIT;
    scan_of(&t, &n, &sql);
    check_shape(sql.data, "id BIGINT, day DATE, v VARCHAR, at TIMESTAMP WITH TIME ZONE, tag VARCHAR, n INTEGER, "
                          "_ingest_id VARCHAR");
    check_answer(sql.data, "SELECT count(*) FROM t", "0");
    lake__buf_dispose(&sql);
}

static void absolute_file_uris_are_read_in_place(void) {
    static const char *const cols[] = {"id", "\"long\"", "", "ts", "\"timestamp\"", ""};
    char uri[512];
    snprintf(uri, sizeof uri, "file://%s/int96/part%%2D0.parquet", files);
    snap n;
    snap_init(&n, cols, 2);
    snap_add(&n, uri, NULL, 0);
    lake__delta_table t = table_at(store, "elsewhere/");
    lake__buf sql = LAKE__BUF_INIT;
    scan_of(&t, &n, &sql);
    check_answer(sql.data, "SELECT epoch_us(ts) FROM t", "1704164645123456");
    lake__buf_dispose(&sql);
}

/* A memory:// warehouse: DuckDB cannot read it, so the files are fetched
 * into the cache folder first, under their keys. */
static void files_of_a_memory_store_are_read_from_the_cache(void) {
    lake_error err = LAKE_ERROR_INIT;
    lake_backend *mem;
    CHECK_OK(lake_backend_open(&mem, "memory://scan", &err), &err);
    char path[512], cache[] = "/tmp/lakeorm-scan-cache-XXXXXX";
    snprintf(path, sizeof path, "%s/parts/day=2024-01-02/a.parquet", files);
    char *bytes = lake_test_read_file(path);
    struct stat st;
    CHECK(bytes && stat(path, &st) == 0);
    CHECK_OK(lake_backend_put_if_absent(mem, "sales/parts/day=2024-01-02/a b%.parquet", bytes, (size_t)st.st_size, &err), &err);
    CHECK_OK(lake_backend_put_if_absent(mem, "sales/parts/abs.parquet", bytes, (size_t)st.st_size, &err), &err);
    free(bytes);
    CHECK(mkdtemp(cache) != NULL);
    delta.cfg.cache_dir = cache;
    snap n;
    snap_init(&n, PARTED, sizeof PARTED / sizeof *PARTED / 3);
    snap_add(&n, "day=2024-01-02/a%20b%25.parquet", first, 4);
    snap_add(&n, "memory://scan/sales/parts/abs.parquet", nulls, 4);
    lake__delta_table t = table_at(mem, "sales/parts/");
    lake__buf sql = LAKE__BUF_INIT;
    int rc = lake__delta_scan_sql(&t, &n.s, &sql, &err);
    delta.cfg.cache_dir = NULL;
    lake_backend_free(mem);
    char fetched[600], out[64] = "";
    snprintf(fetched, sizeof fetched, "%s/sales/parts/day=2024-01-02/a b%%.parquet", cache);
    bool kept = stat(fetched, &st) == 0;
    lake_error why = LAKE_ERROR_INIT;
    int asked = rc ? rc : ask(sql.data, "SELECT count(*) || ' ' || count(tag) || ' ' || sum(id) FROM t", out, sizeof out, &why);
    lake__buf_dispose(&sql);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", cache);
    CHECK_EQ_INT(system(cmd), 0);
    CHECK_OK(rc, &err);
    CHECK(kept);
    CHECK_OK(asked, &why);
    CHECK_EQ_STR(out, "4 2 6");
}

static void scan_refused(const lake__delta_table *t, const snap *n, int code, const char *says) {
    lake__buf sql = LAKE__BUF_INIT;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake__delta_scan_sql(t, &n->s, &sql, &err);
    size_t left = sql.len;
    lake__buf_dispose(&sql);
    CHECK_STATUS(rc, code, &err);
    CHECK_CONTAINS(err.message, says);
    CHECK_EQ_INT(left, 0);
}

static void what_lakeorm_cannot_read_is_refused(void) {
    lake__delta_table t = table_at(store, "parts/");
    snap n;
    parted_snapshot(&n);
    lake__delta_pair mode[] = {{"delta.columnMapping.mode", "name"}};
    n.s.metadata.configuration = mode;
    n.s.metadata.configuration_count = 1;
    scan_refused(&t, &n, LAKE_ENOTSUP, "column mapping (delta.columnMapping.mode = name)");
    mode[0].value = "none"; /* a table that had it switched off reads */
    lake__buf sql = LAKE__BUF_INIT;
    scan_of(&t, &n, &sql);
    lake__buf_dispose(&sql);

    parted_snapshot(&n);
    n.files[1].deletion_vector = true;
    scan_refused(&t, &n, LAKE_ENOTSUP, "deletion vector");

    parted_snapshot(&n);
    const char *features[] = {"timestampNtz", "variantType"};
    n.s.protocol = (lake__delta_protocol){.reader = 3, .writer = 7, .reader_features = features, .reader_feature_count = 2};
    scan_refused(&t, &n, LAKE_ENOTSUP, "reader feature variantType");
    n.s.protocol.reader = 4;
    scan_refused(&t, &n, LAKE_ENOTSUP, "reader version 4");

    parted_snapshot(&n);
    lake__delta_pair newline[] = {{"day", NULL}, {"at", NULL}, {"tag", "two\nlines"}, {"n", NULL}};
    n.files[2].partition_values = newline;
    scan_refused(&t, &n, LAKE_ENOTSUP, "partition column tag");

    parted_snapshot(&n);
    n.files[0].path = "day=2024-01-02/b%2.parquet";
    scan_refused(&t, &n, LAKE_EIO, "malformed data file path");
    n.files[0].path = "s3://elsewhere/b.parquet";
    scan_refused(&t, &n, LAKE_ENOTSUP, "outside the warehouse");

    parted_snapshot(&n);
    n.columns[2].type_json = "\"variant\"";
    scan_refused(&t, &n, LAKE_ENOTSUP, "column v");

    parted_snapshot(&n);
    n.s.version = -1;
    scan_refused(&t, &n, LAKE_ENOTFOUND, "no Delta table parts");
}

/* ---- the whole path: plain SQL names the table, the replacement scan reads it */

typedef struct served {
    lake__delta_table table;
    snap snapshot;
} served;

static int resolve(void *ctx, const char *name, const lake__scan_filter *filter, lake__buf *sql, bool *found,
                   lake_error *err) {
    (void)filter;
    served *s = ctx;
    *found = !strcmp(name, s->table.name);
    return *found ? lake__delta_scan_sql(&s->table, &s->snapshot.s, sql, err) : LAKE_OK;
}

static void plain_sql_reads_a_delta_table_by_name(void) {
    served s = {.table = table_at(store, "parts/")};
    parted_snapshot(&s.snapshot);
    lake__driver_config cfg = {.dialect = &lake__dialect_duckdb, .pool_size = 1, .resolve = resolve, .resolve_ctx = &s};
    void *impl;
    lake__session *ses;
    bool opened;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(ops->open(&cfg, &impl, &err), &err);
    CHECK_OK(ops->session_get(impl, &ses, &opened, &err), &err);
    char out[64];
    lake__stmt q = {.sql = "SELECT count(*) FROM parts WHERE day = DATE '2024-01-02' AND id > 1"};
    int rc = ops->query_text(ses, &q, out, sizeof out, &err);
    /* A table the snapshot cannot be read for fails its statement, with why. */
    s.snapshot.files[1].deletion_vector = true;
    lake_error refused = LAKE_ERROR_INIT;
    char ignored[8];
    lake__stmt again = {.sql = "SELECT count(*) FROM parts"};
    int rc2 = ops->query_text(ses, &again, ignored, sizeof ignored, &refused);
    ops->session_put(impl, ses, false);
    ops->close(impl);
    CHECK_OK(rc, &err);
    CHECK_EQ_STR(out, "2");
    CHECK_STATUS(rc2, LAKE_EREMOTE, &refused);
    CHECK_CONTAINS(refused.message, "deletion vector");
    lake_error_clear(&refused);
}

static int setup(void) {
    snprintf(files, sizeof files, "/tmp/lakeorm-scan-XXXXXX");
    if (!mkdtemp(files)) return -1;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' '%s/tests/delta/scan_files.py' '%s'", LAKE_PYTHON, LAKE_SOURCE_DIR, files);
    if (system(cmd) != 0) return -1;
    char url[300];
    snprintf(url, sizeof url, "file://%s", files);
    lake_error err = LAKE_ERROR_INIT;
    lake__driver_config cfg = {.dialect = &lake__dialect_duckdb, .pool_size = 1};
    bool opened;
    if (lake_backend_open(&store, url, &err) || ops->open(&cfg, &engine, &err) ||
        ops->session_get(engine, &session, &opened, &err)) {
        fprintf(stderr, "setup: %s\n", err.message);
        return -1;
    }
    /* Far from UTC: a timestamp read in the session's zone would show. */
    lake__stmt tz = {.sql = "SET TimeZone = 'America/New_York'"};
    return ops->exec(session, &tz, NULL, &err);
}

int main(void) {
    if (setup()) {
        fprintf(stderr, "cannot write the test's Parquet files with %s\n", LAKE_PYTHON);
        return 1;
    }
    LAKE_RUN(delta_types_map_to_duckdb_types);
    LAKE_RUN(unreadable_types_are_refused_by_name);
    LAKE_RUN(literals_double_quotes_and_refuse_controls);
    LAKE_RUN(every_type_reads_as_the_tables_type);
    LAKE_RUN(int96_timestamps_read_as_utc_instants);
    LAKE_RUN(struct_fields_added_later_read_null);
    LAKE_RUN(columns_added_later_read_null_in_older_files);
    LAKE_RUN(partition_values_come_from_the_log);
    LAKE_RUN(a_thousand_partitions_read_as_one_table);
    LAKE_RUN(an_empty_table_reads_no_rows_of_its_shape);
    LAKE_RUN(absolute_file_uris_are_read_in_place);
    LAKE_RUN(files_of_a_memory_store_are_read_from_the_cache);
    LAKE_RUN(what_lakeorm_cannot_read_is_refused);
    LAKE_RUN(plain_sql_reads_a_delta_table_by_name);
    ops->session_put(engine, session, false);
    ops->close(engine);
    lake_backend_free(store);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", files);
    if (system(cmd) != 0) return 1;
    return lake_test_summary();
}
