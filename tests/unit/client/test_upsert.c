/* SPDX-License-Identifier: MIT */
/* Upserts on composite merge keys, and the on-conflict strategies on a
 * primary key, through both write paths. */
#include "client_fixture.h"

typedef struct stock {
    lake_str region;
    int32_t sku;
    int64_t qty;
    lake_str batch; /* the ingest id, by lakeorm */
} stock;
static const lake_field stock_fields[] = {
    LAKE_FIELD(stock, region, "region,mergeKey", "required"),
    LAKE_FIELD(stock, sku, "sku,mergeKey", "min=1"),
    LAKE_FIELD(stock, qty, "qty", ""),
    LAKE_FIELD(stock, batch, "batch,auto=ingestID", ""),
};
static const lake_model stock_model = LAKE_MODEL(stock, "stock", stock_fields);

static const lake_schema *stock_schema(void) {
    const lake_schema *s;
    lake_schema_of(&s, &stock_model, NULL);
    return s;
}

static stock item(const char *region, int32_t sku, int64_t qty) {
    return (stock){{region, strlen(region)}, sku, qty, {NULL, 0}};
}

static void merge_keys_upsert_on_both_paths(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, stock_schema(), &err), &err);
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        CHECK_OK(lake_client_exec(c, "DELETE FROM stock", NULL, 0, NULL, &err), &err);
        lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
        o.path = (lake_write_path)path;
        stock first[] = {item("eu", 1, 10), item("eu", 2, 20), item("us", 1, 30)};
        lake_insert_result r1 = LAKE_INSERT_RESULT_INIT, r2 = LAKE_INSERT_RESULT_INIT;
        CHECK_OK(lake_client_insert(c, stock_schema(), first, 3, &o, &r1, &err), &err);
        /* Same composite keys update; ("us", 2) is new; ("eu", 1) stays as it was. */
        stock second[] = {item("eu", 2, 21), item("us", 1, 31), item("us", 2, 40)};
        CHECK_OK(lake_client_insert(c, stock_schema(), second, 3, &o, &r2, &err), &err);
        CHECK_EQ_INT(r2.path, path);
        CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM stock"), 4);
        CHECK_EQ_INT(scalar(c, "SELECT sum(qty) AS n FROM stock"), 10 + 21 + 31 + 40);
        CHECK_EQ_INT(scalar(c, "SELECT qty AS n FROM stock WHERE region = 'eu' AND sku = 1"), 10);
        char sql[200], id[37];
        lake_uuid_format(&r2.ingest_id, id);
        snprintf(sql, sizeof sql, "SELECT count(*) AS n FROM stock WHERE _ingest_id = '%s' AND batch = '%s'", id, id);
        CHECK_EQ_INT(scalar(c, sql), 3); /* updated rows carry the new request's id, in both columns */
        lake_uuid_format(&r1.ingest_id, id);
        snprintf(sql, sizeof sql, "SELECT count(*) AS n FROM stock WHERE _ingest_id = '%s' AND batch = '%s'", id, id);
        CHECK_EQ_INT(scalar(c, sql), 1);
        CHECK(staging_empty());
    }
    /* A key twice in one request is ambiguous: the request fails whole. */
    stock twice[] = {item("ap", 1, 1), item("ap", 1, 2)};
    lake_insert_options staged = LAKE_INSERT_OPTIONS_INIT;
    staged.path = LAKE_PATH_STAGED;
    CHECK_STATUS(lake_client_insert(c, stock_schema(), twice, 2, NULL, NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "merge key (ap, 1) appears more than once");
    CHECK_STATUS(lake_client_insert(c, stock_schema(), twice, 2, &staged, NULL, &err), LAKE_EINVAL, &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM stock WHERE region = 'ap'"), 0);
    CHECK(staging_empty());
    lake_client_close(c);
    lake_error_clear(&err);
}

static void on_conflict_strategies(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, schema(), &err), &err);
    static order rows[20];
    make(rows, 10, 0);
    CHECK_OK(lake_client_insert(c, schema(), rows, 10, NULL, NULL, &err), &err);
    for (int path = LAKE_PATH_DIRECT; path <= LAKE_PATH_STAGED; path++) {
        lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
        o.path = (lake_write_path)path;
        make(rows, 10, 5); /* ids 5..14: 5..9 collide */
        for (int i = 0; i < 10; i++) rows[i].placed_at.us = 42 + path;

        CHECK_STATUS(lake_client_insert(c, schema(), rows, 10, &o, NULL, &err), LAKE_EREMOTE, &err);
        CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders WHERE id >= 10"), 0);

        o.on_conflict = LAKE_CONFLICT_IGNORE;
        CHECK_OK(lake_client_insert(c, schema(), rows, 10, &o, NULL, &err), &err);
        CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 15);
        char sql[120];
        snprintf(sql, sizeof sql, "SELECT count(*) AS n FROM orders WHERE epoch_us(placed_at) = %d", 42 + path);
        CHECK_EQ_INT(scalar(c, sql), 5); /* 10..14 are new; 5..9 kept their values */

        o.on_conflict = LAKE_CONFLICT_UPDATE;
        CHECK_OK(lake_client_insert(c, schema(), rows, 10, &o, NULL, &err), &err);
        CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM orders"), 15);
        CHECK_EQ_INT(scalar(c, sql), 10);
        CHECK(staging_empty());
        CHECK_OK(lake_client_exec(c, "DELETE FROM orders WHERE id >= 10", NULL, 0, NULL, &err), &err);
    }
    /* Without a primary key there is nothing to collide on: asking is a mistake. */
    const lake_schema *one_schema;
    lake_schema_of(&one_schema, &one_model, NULL);
    lake_insert_options o = LAKE_INSERT_OPTIONS_INIT;
    o.on_conflict = LAKE_CONFLICT_IGNORE;
    one x = {1};
    CHECK_STATUS(lake_client_insert(c, one_schema, &x, 1, &o, NULL, &err), LAKE_EINVAL, &err);
    CHECK_CONTAINS(err.message, "needs a primary key");
    lake_client_close(c);
    lake_error_clear(&err);
}

int main(void) {
    fixture_begin();
    LAKE_RUN(merge_keys_upsert_on_both_paths);
    LAKE_RUN(on_conflict_strategies);
    return fixture_end();
}
