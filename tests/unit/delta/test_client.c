/* SPDX-License-Identifier: MIT */
/* Delta tables kept by lakeorm through the client: the embedded engine with
 * a warehouse, end to end. Independent readers (deltalake, Spark) check the
 * same tables in tests/delta/ and tests/cli/test_delta_cli.py. */
#include <dirent.h>

#include "../client/client_fixture.h"

static char warehouse_dir[64], warehouse_url[96];

static lake_client *open_warehouse(const char *url) {
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging_url;
    o.dialect = "delta";
    o.warehouse = url;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_client_open(&c, &o, &err)) {
        fprintf(stderr, "  %s\n", err.message);
        c = NULL;
    }
    lake_error_clear(&err);
    return c;
}

static bool exists(const char *relative) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", warehouse_dir, relative);
    struct stat st;
    return stat(path, &st) == 0;
}

/* The number of commits in a table's log. */
static int versions(const char *table) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s/_delta_log", warehouse_dir, table);
    DIR *d = opendir(path);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        n += len == 25 && !strcmp(e->d_name + 20, ".json");
    }
    if (d) closedir(d);
    return n;
}

static void appends_and_reads_back(void) {
    lake_client *c = open_warehouse(warehouse_url);
    CHECK(c != NULL);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err); /* nothing to change: no new version */
    CHECK_EQ_INT(versions("orders"), 1);
    static order rows[4000];
    make(rows, 4000, 0);
    lake_insert_options direct = LAKE_INSERT_OPTIONS_INIT, staged = LAKE_INSERT_OPTIONS_INIT;
    direct.path = LAKE_PATH_DIRECT;
    staged.path = LAKE_PATH_STAGED;
    lake_insert_result ra = LAKE_INSERT_RESULT_INIT, rb = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema(), rows, 1000, &direct, &ra, &err), &err);
    CHECK_OK(lake_client_insert(c, schema(), rows + 1000, 3000, &staged, &rb, &err), &err);
    CHECK_EQ_INT(rb.inserted, 3000);
    CHECK(rb.bytes_staged > 0);
    CHECK_EQ_INT(versions("orders"), 3);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 4000);
    CHECK_EQ_INT(scalar(c, "SELECT count(DISTINCT _ingest_id) AS n FROM orders"), 2);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE note IS NULL"), 2000);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE total IS NULL"), 1000);
    CHECK_EQ_INT(scalar(c, "SELECT sum(id) AS n FROM orders"), 3999 * 4000 / 2);
    CHECK_EQ_INT(scalar(c, "SELECT CAST(max(total) * 100 AS BIGINT) AS n FROM orders"), 3999 * 101);
    CHECK_EQ_INT(scalar(c, "SELECT max(epoch_us(placed_at)) AS n FROM orders"), 1700000000000000LL + 3999);
    CHECK(staging_empty());
    CHECK(exists("orders/_delta_log/00000000000000000002.json"));
    /* The primary key holds: a request with a key the table has writes nothing. */
    CHECK_STATUS(lake_client_insert(c, schema(), rows + 3980, 20, NULL, NULL, &err), LAKE_EREMOTE, &err);
    CHECK_CONTAINS(err.message, "primary key");
    CHECK_EQ_INT(versions("orders"), 3);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 4000);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void conflicts_update_and_ignore(void) {
    lake_client *c = open_warehouse(warehouse_url);
    lake_error err = LAKE_ERROR_INIT;
    static order rows[200];
    make(rows, 200, 3900); /* 100 held, 100 new */
    for (size_t i = 0; i < 200; i++) rows[i].note = (lake_str){"late", 4};
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    o.on_conflict = LAKE_CONFLICT_IGNORE;
    CHECK_OK(lake_client_insert(c, schema(), rows, 200, &o, &r, &err), &err);
    CHECK_EQ_INT(r.ignored, 100);
    CHECK_EQ_INT(r.inserted, 100);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 4100);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE note = 'late'"), 100);
    make(rows, 200, 4000); /* 100 held now, 100 new */
    for (size_t i = 0; i < 200; i++) rows[i].note = (lake_str){"updated", 7};
    o.on_conflict = LAKE_CONFLICT_UPDATE;
    CHECK_OK(lake_client_insert(c, schema(), rows, 200, &o, &r, &err), &err);
    CHECK_EQ_INT(r.updated, 100);
    CHECK_EQ_INT(r.inserted, 100);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 4200);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE note = 'updated'"), 200);
    CHECK_EQ_INT(scalar(c, "SELECT count(DISTINCT id) AS n FROM orders"), 4200);
    /* A key twice in one request is refused before anything is written. */
    rows[1].id = rows[0].id;
    CHECK_STATUS(lake_client_insert(c, schema(), rows, 2, &o, NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "more than once");
    lake_client_close(c);
    lake_error_clear(&err);
}

typedef struct customer {
    lake_str email;
    lake_str name;
    lake_opt_i32 visits;
} customer;
static const lake_field customer_fields[] = {
    LAKE_FIELD(customer, email, "email,mergeKey", "required,email"),
    LAKE_FIELD(customer, name, "name", "required"),
    LAKE_FIELD(customer, visits, "visits", ""),
};
static const lake_model customer_model = LAKE_MODEL(customer, "customers", customer_fields);
static const lake_model ghost_model = LAKE_MODEL(customer, "ghosts", customer_fields);

static const lake_schema *customers(void) {
    const lake_schema *s;
    lake_schema_of(&s, &customer_model, NULL);
    return s;
}

static void merges_on_merge_keys(void) {
    lake_client *c = open_warehouse(warehouse_url);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, customers(), &err), &err);
    customer first[] = {{{"a@x.io", 6}, {"Ann", 3}, {1, true}}, {{"b@x.io", 6}, {"Bob", 3}, {1, true}}};
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, customers(), first, 2, NULL, &r, &err), &err);
    CHECK_EQ_INT(r.inserted, 2);
    customer second[] = {{{"b@x.io", 6}, {"Bobby", 5}, {2, true}}, {{"c@x.io", 6}, {"Cy", 2}, {0, false}}};
    CHECK_OK(lake_client_insert(c, customers(), second, 2, NULL, &r, &err), &err);
    CHECK_EQ_INT(r.updated, 1);
    CHECK_EQ_INT(r.inserted, 1);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM customers"), 3);
    CHECK_EQ_INT(scalar(c, "SELECT visits AS n FROM customers WHERE name = 'Bobby'"), 2);
    CHECK_EQ_INT(scalar(c, "SELECT visits AS n FROM customers WHERE name = 'Ann'"), 1);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM customers WHERE visits IS NULL"), 1);
    /* The file Bob was in was rewritten: vacuum finds it once the retention is over. */
    uint64_t before_files = 0;
    lake_vacuum_report v = LAKE_VACUUM_REPORT_INIT;
    CHECK_OK(lake_client_vacuum(c, "customers", 0, true, NULL, NULL, &v, &err), &err);
    before_files = v.files;
    CHECK(before_files >= 1);
    CHECK_OK(lake_client_vacuum(c, "customers", 0, false, NULL, NULL, &v, &err), &err);
    CHECK_EQ_INT(v.files, before_files);
    CHECK_OK(lake_client_vacuum(c, "customers", 0, true, NULL, NULL, &v, &err), &err);
    CHECK_EQ_INT(v.files, 0);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM customers"), 3);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void idempotency_keys_are_txn_actions(void) {
    lake_client *c = open_warehouse(warehouse_url);
    lake_error err = LAKE_ERROR_INIT;
    static order rows[10];
    make(rows, 10, 100000);
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.idempotency_key = "load-2026-12-06";
    lake_insert_result first = LAKE_INSERT_RESULT_INIT, again = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema(), rows, 10, &o, &first, &err), &err);
    int after_first = versions("orders");
    CHECK_OK(lake_client_insert(c, schema(), rows, 10, &o, &again, &err), &err);
    CHECK(again.replayed);
    CHECK(!memcmp(first.ingest_id.b, again.ingest_id.b, 16));
    CHECK_EQ_INT(versions("orders"), after_first);
    rows[3].id = 999999;
    CHECK_STATUS(lake_client_insert(c, schema(), rows, 10, &o, NULL, &err), LAKE_EKEYREUSED, &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE id >= 100000"), 10);
    /* The key is in the log as Delta's txn, which other engines read too. */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "grep -q '\"txn\":{\"appId\":\"load-2026-12-06\"' %s/orders/_delta_log/*.json", warehouse_dir);
    CHECK(system(cmd) == 0);
    lake_client_close(c);
    lake_error_clear(&err);
}

typedef struct order_v2 {
    int64_t id;
    lake_str customer;
    lake_opt_dec128 total;
    lake_ts placed_at;
    lake_str note;
    lake_str channel;
} order_v2;
static const lake_field order_v2_fields[] = {
    LAKE_FIELD(order_v2, id, "id,pk", ""),
    LAKE_FIELD(order_v2, customer, "customer", "required,email"),
    LAKE_DECIMAL(order_v2, total, 12, 2, "total", "gte=0"),
    LAKE_FIELD(order_v2, placed_at, "placed_at", ""),
    LAKE_FIELD(order_v2, note, "note,nullable", "max=20"),
    LAKE_FIELD(order_v2, channel, "channel,nullable", ""),
};
static const lake_model order_v2_model = LAKE_MODEL(order_v2, "orders", order_v2_fields);

static void migrate_adds_nullable_columns_and_assert_compares(void) {
    lake_client *c = open_warehouse(warehouse_url);
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *v1 = schema(), *v2;
    CHECK_OK(lake_schema_of(&v2, &order_v2_model, &err), &err);
    CHECK_OK(lake_client_assert_schema(c, &v1, 1, &err), &err);
    CHECK_STATUS(lake_client_assert_schema(c, &v2, 1, &err), LAKE_EMISMATCH, &err);
    CHECK(err.issues && lake_issues_count(err.issues) == 1 && !strcmp(lake_issues_get(err.issues, 0)->rule, "missing_column"));
    int before = versions("orders");
    CHECK_OK(lake_client_migrate(c, v2, &err), &err);
    CHECK_EQ_INT(versions("orders"), before + 1);
    CHECK_OK(lake_client_assert_schema(c, &v2, 1, &err), &err);
    /* The old model still writes (its rows have no channel), and old rows read as NULL there. */
    static order rows[5];
    make(rows, 5, 200000);
    CHECK_OK(lake_client_insert(c, v1, rows, 5, NULL, NULL, &err), &err);
    order_v2 extra = {300000, {"d@x.io", 6}, {{0, 0}, false}, {1}, {NULL, 0}, {"web", 3}};
    CHECK_OK(lake_client_insert(c, v2, &extra, 1, NULL, NULL, &err), &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE channel IS NULL"),
                 scalar(c, "SELECT count(*) AS n FROM orders") - 1);
    CHECK_EQ_INT(scalar(c, "SELECT id AS n FROM orders WHERE channel = 'web'"), 300000);
    lake_client_close(c);
    lake_error_clear(&err);
}

typedef struct event {
    int64_t id;
    lake_str region;
    lake_date day;
} event;
static const lake_field event_fields[] = {
    LAKE_FIELD(event, id, "id", ""),
    LAKE_FIELD(event, region, "region,partition", ""),
    LAKE_FIELD(event, day, "day,partition", ""),
};
static const lake_model event_model = LAKE_MODEL(event, "events", event_fields);

static void partitions_are_folders_and_checkpoints_come_every_ten(void) {
    lake_client *c = open_warehouse(warehouse_url);
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *s;
    CHECK_OK(lake_schema_of(&s, &event_model, &err), &err);
    CHECK_OK(lake_client_migrate(c, s, &err), &err);
    static const char *regions[] = {"eu", "us west", "a/b"};
    for (int v = 0; v < 11; v++) {
        event rows[30];
        for (int i = 0; i < 30; i++)
            rows[i] = (event){v * 30 + i, {regions[i % 3], strlen(regions[i % 3])}, {19700 + i % 2}};
        CHECK_OK(lake_client_insert(c, s, rows, 30, NULL, NULL, &err), &err);
    }
    CHECK(exists("events/region=eu/day=2023-12-09"));
    CHECK(exists("events/region=a%2Fb"));
    CHECK(exists("events/_delta_log/00000000000000000010.checkpoint.parquet"));
    CHECK(exists("events/_delta_log/_last_checkpoint"));
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), 330);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE region = 'us west' AND day = DATE '2023-12-10'"), 55);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE region = 'a/b'"), 110);
    lake_client_close(c);
    lake_error_clear(&err);
}

/* An update that rewrites a file of more rows than one batch of the
 * rewrite (16,384): every other row comes back with its own values. */
static void a_rewrite_of_many_rows_keeps_every_value(void) {
    lake_client *c = open_warehouse("memory://delta-many");
    CHECK(c != NULL);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    enum { N = 40000 };
    static order rows[N];
    static char notes[N][16];
    make(rows, N, 0);
    for (int i = 0; i < N; i++) rows[i].note = (lake_str){notes[i], (size_t)snprintf(notes[i], 16, "n%d", i)};
    CHECK_OK(lake_client_insert(c, schema(), rows, N, NULL, NULL, &err), &err);
    order changed[1];
    make(changed, 1, N / 2);
    changed[0].note = (lake_str){"changed", 7};
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.on_conflict = LAKE_CONFLICT_UPDATE;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, schema(), changed, 1, &o, &r, &err), &err);
    CHECK_EQ_INT(r.updated, 1);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), N);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE note = 'n' || CAST(id AS VARCHAR)"), N - 1);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE note = 'changed' AND id = 20000"), 1);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE customer = CASE id % 3 WHEN 0 THEN "
                           "'ann@example.com' WHEN 1 THEN 'bob@example.org' ELSE 'chlo\xC3\xA9@example.fr' END"), N);
    CHECK_EQ_INT(scalar(c, "SELECT sum(id) AS n FROM orders"), (int64_t)N * (N - 1) / 2);
    lake_client_close(c);
    lake_error_clear(&err);
}

static void other_warehouses_and_urls(void) {
    lake_error err = LAKE_ERROR_INIT;
    /* A warehouse the engine cannot read in place: files are fetched into the client's cache. */
    lake_client *c = open_warehouse("memory://delta-test");
    CHECK(c != NULL);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    static order rows[300];
    make(rows, 300, 0);
    CHECK_OK(lake_client_insert(c, schema(), rows, 300, NULL, NULL, &err), &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 300);
    lake_client_close(c);

    char url[300];
    snprintf(url, sizeof url, "duckdb://?dialect=delta&warehouse=%s&schema=sales", warehouse_url);
    CHECK_OK(lake_client_open_url(&c, url, NULL, &err), &err);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    CHECK_OK(lake_client_insert(c, schema(), rows, 10, NULL, NULL, &err), &err);
    CHECK(exists("sales/orders/_delta_log/00000000000000000001.json"));
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 10);
    lake_client_close(c);

    /* What a warehouse needs. */
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.warehouse = warehouse_url;
    CHECK_STATUS(lake_client_open(&c, &o, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "dialect");
    o.dialect = "duckdb";
    CHECK_STATUS(lake_client_open(&c, &o, &err), LAKE_ENOTSUP, &err);
    o.dialect = "delta";
    o.default_schema = "cat.sales";
    CHECK_STATUS(lake_client_open(&c, &o, &err), LAKE_EINVAL, &err);
    /* A client without a warehouse vacuums nothing. */
    CHECK_OK(lake_client_open(&c, NULL, &err), &err);
    CHECK_STATUS(lake_client_vacuum(c, "orders", 0, true, NULL, NULL, NULL, &err), LAKE_ENOTSUP, &err);
    lake_client_close(c);
    /* Writing before migrating names the table. */
    c = open_warehouse(warehouse_url);
    const lake_schema *ghosts;
    CHECK_OK(lake_schema_of(&ghosts, &ghost_model, &err), &err);
    customer ghost = {{"g@x.io", 6}, {"Gus", 3}, {0, false}};
    CHECK_STATUS(lake_client_insert(c, ghosts, &ghost, 1, NULL, NULL, &err), LAKE_ENOTFOUND, &err);
    CHECK_CONTAINS(err.message, "ghosts");
    lake_client_close(c);
    lake_error_clear(&err);
}

static void a_caller_built_against_version_1_options(void) {
    /* The struct as version 1 had it: without the warehouse member. */
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.version = 1;
    o.warehouse = "file:///must/not/be/read";
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    /* Read whole, the warehouse would need a dialect, and open would refuse. */
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err); /* a DuckDB table */
    lake_client_close(c);
    lake_error_clear(&err);
}

static void drop_removes_the_table_folder(void) {
    lake_client *c = open_warehouse(warehouse_url);
    CHECK(c != NULL);
    lake_error err = LAKE_ERROR_INIT;
    static order rows[10];
    make(rows, 10, 0);
    CHECK_OK(lake_client_drop(c, schema(), &err), &err); /* the earlier cases' table */
    CHECK(!exists("orders"));
    CHECK_OK(lake_client_drop(c, schema(), &err), &err); /* nothing there: nothing to do */
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err); /* a new table, empty */
    CHECK_EQ_INT(versions("orders"), 1);
    CHECK_OK(lake_client_insert(c, schema(), rows, 10, NULL, NULL, &err), &err); /* its keys are free again */
    CHECK_OK(lake_client_drop(c, schema(), &err), &err);
    CHECK(!exists("orders"));
    lake_client_close(c);
    lake_error_clear(&err);
}

int main(void) {
    fixture_begin();
    snprintf(warehouse_dir, sizeof warehouse_dir, "/tmp/lake_delta_XXXXXX");
    if (!mkdtemp(warehouse_dir)) return 1;
    snprintf(warehouse_url, sizeof warehouse_url, "file://%s", warehouse_dir);
    LAKE_RUN(appends_and_reads_back);
    LAKE_RUN(conflicts_update_and_ignore);
    LAKE_RUN(merges_on_merge_keys);
    LAKE_RUN(idempotency_keys_are_txn_actions);
    LAKE_RUN(migrate_adds_nullable_columns_and_assert_compares);
    LAKE_RUN(partitions_are_folders_and_checkpoints_come_every_ten);
    LAKE_RUN(a_rewrite_of_many_rows_keeps_every_value);
    LAKE_RUN(other_warehouses_and_urls);
    LAKE_RUN(a_caller_built_against_version_1_options);
    LAKE_RUN(drop_removes_the_table_folder);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", warehouse_dir);
    if (system(cmd)) return 1;
    return fixture_end();
}
