/* SPDX-License-Identifier: MIT */
/* Both write paths against the real embedded DuckDB: the dialect's DDL, the
 * staged path (Parquet parts from lakeorm's writer, one INSERT ... SELECT FROM
 * read_parquet(?)) and the direct path (the Appender), which must store the
 * very same rows. */
#include <stdlib.h>
#include <unistd.h>

#include "dialects/dialect.h"
#include "drivers/duckdb/append.h"
#include "drivers/duckdb/read.h"
#include "drivers/duckdb/connection.h"
#include "duckdb_query.h"
#include "lake_test.h"

typedef struct place {
    lake_str city;
    lake_opt_i32 zip;
} place;
static const lake_field place_fields[] = {
    LAKE_FIELD(place, city, "city", ""),
    LAKE_FIELD(place, zip, "zip", ""),
};
static const lake_model place_model = LAKE_MODEL(place, "", place_fields);

typedef struct sale {
    lake_uuid id;
    int64_t seq;
    lake_str note; /* a hostile column name */
    lake_opt_dec128 amount;
    lake_ts at;
    lake_date day;
    lake_bytes blob;
    lake_ksuid sid;
    bool flag;
    place where;
} sale;
static const lake_field sale_fields[] = {
    LAKE_FIELD(sale, id, "id,pk", ""),
    LAKE_FIELD(sale, seq, "seq", ""),
    LAKE_FIELD(sale, note, "we\"ird col; --,nullable", ""),
    LAKE_DECIMAL(sale, amount, 38, 10, "amount", ""),
    LAKE_FIELD(sale, at, "at", ""),
    LAKE_FIELD(sale, day, "day", ""),
    LAKE_FIELD(sale, blob, "blob", ""),
    LAKE_FIELD(sale, sid, "sid", ""),
    LAKE_FIELD(sale, flag, "flag", ""),
    LAKE_STRUCT(sale, where, place, place_model, "where", ""),
};
static const lake_model sale_model = LAKE_MODEL(sale, "sales \"2024\"; DROP TABLE x; --", sale_fields);

enum { ROWS = 5000 };
static const char NOTE[] = "caf\xC3\xA9 'quoted' \"double\" \xF0\x9F\x98\x80";

static void make(sale *rows) {
    for (int i = 0; i < ROWS; i++) {
        sale *s = &rows[i];
        memset(s, 0, sizeof *s);
        for (int k = 0; k < 16; k++) s->id.b[k] = (uint8_t)(i >> (k % 4 * 8)) ^ (uint8_t)(k * 37);
        s->seq = i;
        s->note = i % 3 ? (lake_str){NOTE, sizeof NOTE - 1} : (lake_str){NULL, 0};
        s->amount = (lake_opt_dec128){{(uint64_t)(i * 12345678901LL), 0}, i % 5 != 0};
        s->at.us = 1700000000123456LL + i;
        s->day.days = -1000 + i;
        s->blob = (lake_bytes){(const uint8_t *)"\0\1\2", (size_t)(i % 4)};
        lake_ksuid_new(&s->sid);
        s->flag = i % 2;
        s->where = (place){{"Oslo", 4}, {i, i % 7 != 0}};
    }
}

static void staged_insert_round_trips_through_duckdb(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &sale_model, &err), &err);
    lake__duckdb db;
    CHECK_OK(lake__duckdb_open(&db, NULL, &err), &err);
    CHECK_OK(lake__duckdb_exec(&db, "CREATE TABLE x (a INT)", &err), &err);
    lake__buf ddl = LAKE__BUF_INIT, insert = LAKE__BUF_INIT;
    CHECK_OK(lake__dialect_duckdb.create_table(&ddl, s, NULL), NULL);
    CHECK_OK(lake__duckdb_exec(&db, ddl.data, &err), &err);
    CHECK_OK(lake__duckdb_exec(&db, ddl.data, &err), &err); /* idempotent */

    static sale rows[ROWS];
    make(rows);
    char path[] = "/tmp/lake_staged_XXXXXX.parquet";
    int fd = mkstemps(path, 8);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    lake_sink sink = lake_sink_stdio(f);
    lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
    o.ingest_id = "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f";
    lake_parquet_writer *w;
    CHECK_OK(lake_parquet_writer_open(&w, s, &sink, &o, &err), &err);
    CHECK_OK(lake_parquet_writer_append(w, rows, ROWS, &err), &err);
    CHECK_OK(lake_parquet_writer_close(w, &err), &err);
    lake_parquet_writer_free(w);
    fclose(f);

    lake__move plain = {s, NULL, "read_parquet(?)", LAKE__MATCH_NONE, LAKE_CONFLICT_ERROR};
    CHECK_OK(lake__dialect_duckdb.move(&insert, &plain), NULL);
    lake_param params[] = {lake_param_text(path)};
    int64_t n = 0;
    CHECK_OK(query_int(&db, insert.data, params, 1, &n, &err), &err);
    CHECK_EQ_INT(n, ROWS);

    const char *table = "\"sales \"\"2024\"\"; DROP TABLE x; --\"";
    char sql[512];
    struct { const char *where; const char *param; int64_t want; } checks[] = {
        {"TRUE", NULL, ROWS},
        {"\"_ingest_id\" = ?", "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f", ROWS},
        {"\"we\"\"ird col; --\" = ?", NOTE, ROWS - (ROWS + 2) / 3},
        {"\"we\"\"ird col; --\" IS NULL", NULL, (ROWS + 2) / 3},
        {"\"amount\" IS NULL", NULL, ROWS / 5},
        {"\"amount\" = 12345678901 * 7 / 10000000000::DECIMAL(38,10)", NULL, 1},
        {"\"at\" = '2023-11-14 22:13:20.123456+00'::TIMESTAMPTZ", NULL, 1},
        {"\"day\" = DATE '1967-04-07'", NULL, 1},
        {"octet_length(\"blob\") = 3 AND \"blob\" = '\\x00\\x01\\x02'::BLOB", NULL, ROWS / 4},
        {"length(\"sid\") = 27", NULL, ROWS},
        {"\"flag\"", NULL, ROWS / 2},
        {"\"where\".city = 'Oslo' AND \"where\".zip IS NULL", NULL, (ROWS + 6) / 7},
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s", table, checks[i].where);
        lake_param p[] = {lake_param_text(checks[i].param)};
        CHECK_OK(query_int(&db, sql, p, checks[i].param ? 1 : 0, &n, &err), &err);
        if (n != checks[i].want) fprintf(stderr, "  %s: %lld, want %lld\n", checks[i].where, (long long)n, (long long)checks[i].want);
        CHECK_EQ_INT(n, checks[i].want);
    }
    snprintf(sql, sizeof sql, "SELECT sum(seq) FROM %s", table);
    CHECK_OK(query_int(&db, sql, NULL, 0, &n, &err), &err);
    CHECK_EQ_INT(n, (int64_t)ROWS * (ROWS - 1) / 2);

    /* The same parts again break the primary key: the statement fails whole. */
    CHECK_STATUS(query_int(&db, insert.data, params, 1, &n, &err), LAKE_EREMOTE, &err);
    CHECK_CONTAINS(err.message, "onstraint");
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    CHECK_OK(query_int(&db, sql, NULL, 0, &n, &err), &err);
    CHECK_EQ_INT(n, ROWS);
    CHECK_OK(query_int(&db, "SELECT count(*) FROM x", NULL, 0, &n, &err), &err); /* untouched */

    /* NOT NULL where the schema says so. */
    CHECK_OK(query_int(&db, "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND is_nullable = 'NO'",
                       (lake_param[]){lake_param_text("sales \"2024\"; DROP TABLE x; --")}, 1, &n, &err), &err);
    CHECK_EQ_INT(n, 8);
    unlink(path);
    lake__buf_dispose(&ddl);
    lake__buf_dispose(&insert);
    lake__duckdb_close(&db);
    lake_error_clear(&err);
}

static int64_t count(lake__duckdb *db, const char *sql) {
    int64_t n = -1;
    lake_error err = LAKE_ERROR_INIT;
    if (query_int(db, sql, NULL, 0, &n, &err)) fprintf(stderr, "  %s: %s\n", sql, err.message);
    return n;
}

static void direct_and_staged_paths_store_the_same_rows(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &sale_model, &err), &err);
    lake__duckdb db;
    CHECK_OK(lake__duckdb_open(&db, NULL, &err), &err);
    lake__buf sql = LAKE__BUF_INIT;
    const char *tables[] = {"staged", "direct"};
    for (int t = 0; t < 2; t++) {
        sql.len = 0;
        CHECK_OK(lake__dialect_duckdb.create_table(&sql, s, tables[t]), NULL);
        CHECK_OK(lake__duckdb_exec(&db, sql.data, &err), &err);
    }
    static sale rows[ROWS];
    make(rows);
    const char *id = "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f";

    char path[] = "/tmp/lake_paths_XXXXXX.parquet";
    int fd = mkstemps(path, 8);
    FILE *f = fdopen(fd, "wb");
    lake_sink sink = lake_sink_stdio(f);
    lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
    o.ingest_id = id;
    lake_parquet_writer *w;
    CHECK_OK(lake_parquet_writer_open(&w, s, &sink, &o, &err), &err);
    CHECK_OK(lake_parquet_writer_append(w, rows, ROWS, &err), &err);
    CHECK_OK(lake_parquet_writer_close(w, &err), &err);
    lake_parquet_writer_free(w);
    fclose(f);
    sql.len = 0;
    lake__move plain = {s, "staged", "read_parquet(?)", LAKE__MATCH_NONE, LAKE_CONFLICT_ERROR};
    CHECK_OK(lake__dialect_duckdb.move(&sql, &plain), NULL);
    int64_t n;
    CHECK_OK(query_int(&db, sql.data, (lake_param[]){lake_param_text(path)}, 1, &n, &err), &err);
    unlink(path);

    CHECK_OK(lake__duckdb_exec(&db, "BEGIN TRANSACTION", &err), &err);
    CHECK_OK(lake__duckdb_append(&db, s, &(lake__table_ref){NULL, NULL, "direct"}, rows, NULL, ROWS, id, &err), &err);
    CHECK_OK(lake__duckdb_exec(&db, "COMMIT", &err), &err);

    CHECK_EQ_INT(count(&db, "SELECT count(*) FROM direct"), ROWS);
    CHECK_EQ_INT(count(&db, "SELECT count(*) FROM (SELECT * FROM staged EXCEPT ALL SELECT * FROM direct)"), 0);
    CHECK_EQ_INT(count(&db, "SELECT count(*) FROM (SELECT * FROM direct EXCEPT ALL SELECT * FROM staged)"), 0);

    /* A failure inside the transaction leaves the table as it was. */
    CHECK_OK(lake__duckdb_exec(&db, "BEGIN TRANSACTION", &err), &err);
    rows[ROWS - 1].id = rows[0].id; /* a duplicate primary key, last */
    int rc = lake__duckdb_append(&db, s, &(lake__table_ref){NULL, NULL, "direct"}, rows, NULL, ROWS, id, &err);
    if (rc == LAKE_OK) rc = lake__duckdb_exec(&db, "COMMIT", &err);
    CHECK_EQ_INT(rc, LAKE_EREMOTE);
    lake_error ignored = LAKE_ERROR_INIT;
    lake__duckdb_exec(&db, "ROLLBACK", &ignored);
    lake_error_clear(&ignored);
    CHECK_EQ_INT(count(&db, "SELECT count(*) FROM direct"), ROWS);

    lake__buf_dispose(&sql);
    lake__duckdb_close(&db);
    lake_error_clear(&err);
}

typedef struct readback {
    const sale *want;
    size_t seen;
    int bad;
} readback;

static int compare_row(void *ctx, const void *record) {
    readback *rb = ctx;
    const sale *got = record, *w = &rb->want[rb->seen++];
    bool same = !memcmp(got->id.b, w->id.b, 16) && got->seq == w->seq && got->at.us == w->at.us &&
                got->day.days == w->day.days && got->flag == w->flag && !memcmp(got->sid.b, w->sid.b, 20) &&
                got->amount.valid == w->amount.valid &&
                (!w->amount.valid || (got->amount.v.lo == w->amount.v.lo && got->amount.v.hi == w->amount.v.hi)) &&
                (got->note.ptr == NULL) == (w->note.ptr == NULL) &&
                (!w->note.ptr || (got->note.len == w->note.len && !memcmp(got->note.ptr, w->note.ptr, w->note.len))) &&
                got->blob.len == w->blob.len && (!w->blob.len || !memcmp(got->blob.ptr, w->blob.ptr, w->blob.len)) &&
                got->where.city.len == 4 && !memcmp(got->where.city.ptr, "Oslo", 4) &&
                got->where.zip.valid == w->where.zip.valid && (!w->where.zip.valid || got->where.zip.v == w->where.zip.v);
    if (!same && rb->bad++ < 3) fprintf(stderr, "  row %lld differs\n", (long long)w->seq);
    return LAKE_OK;
}

typedef struct brief {
    int8_t seq; /* too narrow for 5,000 rows */
    lake_str missing;
} brief;

static int ignore(void *ctx, const void *record) {
    (void)ctx, (void)record;
    return LAKE_OK;
}

static void typed_reads_decode_every_type(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &sale_model, &err), &err);
    lake__duckdb db;
    CHECK_OK(lake__duckdb_open(&db, NULL, &err), &err);
    lake__buf sql = LAKE__BUF_INIT;
    CHECK_OK(lake__dialect_duckdb.create_table(&sql, s, "t"), NULL);
    CHECK_OK(lake__duckdb_exec(&db, sql.data, &err), &err);
    static sale rows[ROWS];
    make(rows);
    CHECK_OK(lake__duckdb_append(&db, s, &(lake__table_ref){NULL, NULL, "t"}, rows, NULL, ROWS, "id-1", &err), &err);
    lake_arena *arena;
    lake_arena_new(&arena);
    readback rb = {rows, 0, 0};
    /* extra result columns are dropped; names bind without regard to case */
    CHECK_OK(lake__duckdb_read(&db, s, "SELECT *, 42 AS unmapped, \"seq\" AS \"SEQ2\" FROM t ORDER BY seq", NULL, 0,
                               arena, compare_row, &rb, &err), &err);
    CHECK_EQ_INT(rb.seen, ROWS);
    CHECK_EQ_INT(rb.bad, 0);

    rb = (readback){rows + 10, 0, 0};
    CHECK_OK(lake__duckdb_read(&db, s, "SELECT * FROM t WHERE seq >= ? AND seq < 20 ORDER BY seq",
                               (lake_param[]){lake_param_int64(10)}, 1, arena, compare_row, &rb, &err), &err);
    CHECK_EQ_INT(rb.seen, 10);

    static const lake_field brief_fields[] = {LAKE_FIELD(brief, seq, "seq", ""), LAKE_FIELD(brief, missing, "missing", "")};
    lake_model bm = LAKE_MODEL(brief, "t", brief_fields);
    lake_schema *bs;
    CHECK_OK(lake__schema_compile(&bs, &bm, &err), &err);
    CHECK_STATUS(lake__duckdb_read(&db, bs, "SELECT seq FROM t", NULL, 0, arena, ignore, NULL, &err), LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, "no column \"missing\"");
    CHECK_STATUS(lake__duckdb_read(&db, bs, "SELECT seq, 'x' AS missing FROM t ORDER BY seq", NULL, 0, arena, ignore,
                                   NULL, &err), LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, "does not fit");
    CHECK_STATUS(lake__duckdb_read(&db, bs, "SELECT seq, NULL::VARCHAR AS missing FROM t", NULL, 0, arena, ignore, NULL,
                                   &err), LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, "not nullable");
    CHECK_STATUS(lake__duckdb_read(&db, bs, "SELECT 1.5 AS seq, 'x' AS missing", NULL, 0, arena, ignore, NULL, &err),
                 LAKE_EMISMATCH, &err);
    CHECK_CONTAINS(err.message, "cannot be read into a int8 field");
    lake_schema_free(bs);
    lake_arena_free(arena);
    lake__buf_dispose(&sql);
    lake__duckdb_close(&db);
    lake_error_clear(&err);
}

typedef struct narrow {
    int8_t a;
    lake_opt_i16 b;
    float c;
    lake_dec128 d4;
    lake_opt_dec128 d9;
    lake_dec128 d18;
    lake_str text;
} narrow;
static const lake_field narrow_fields[] = {
    LAKE_FIELD(narrow, a, "a", ""),
    LAKE_FIELD(narrow, b, "b", ""),
    LAKE_FIELD(narrow, c, "c", ""),
    LAKE_DECIMAL(narrow, d4, 4, 1, "d4", ""),
    LAKE_DECIMAL(narrow, d9, 9, 3, "d9", ""),
    LAKE_DECIMAL(narrow, d18, 18, 2, "d18", ""),
    LAKE_FIELD(narrow, text, "text", ""),
};
static const lake_model narrow_model = LAKE_MODEL(narrow, "narrow", narrow_fields);

/* Every decimal storage width through the columnar path, and a table whose
 * types are not lakeorm's, which takes the value-by-value path and casts. */
static void columnar_and_casting_appends_agree(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &narrow_model, &err), &err);
    lake__duckdb db;
    CHECK_OK(lake__duckdb_open(&db, NULL, &err), &err);
    lake__buf sql = LAKE__BUF_INIT;
    CHECK_OK(lake__dialect_duckdb.create_table(&sql, s, NULL), NULL);
    CHECK_OK(lake__duckdb_exec(&db, sql.data, &err), &err);
    CHECK_OK(lake__duckdb_exec(&db, "CREATE TABLE wide (a BIGINT, b BIGINT, c DOUBLE, d4 DECIMAL(20,5), "
                                    "d9 VARCHAR, d18 DECIMAL(38,2), text VARCHAR, _ingest_id VARCHAR)", &err), &err);
    static narrow rows[5000];
    for (int i = 0; i < 5000; i++)
        rows[i] = (narrow){(int8_t)(i % 256 - 128), {(int16_t)(i * 7), i % 3 != 0}, (float)i / 4,
                           {(uint64_t)(int64_t)(i % 19999 - 9999), (i % 19999 - 9999) < 0 ? -1 : 0},
                           {{(uint64_t)(i * 1001), 0}, i % 4 != 0}, {(uint64_t)(int64_t)-i * 1000003, -(i > 0)},
                           {"x", 1}};
    for (const char *const *t = (const char *const[]){"narrow", "wide", NULL}; *t; t++) {
        CHECK_OK(lake__duckdb_exec(&db, "BEGIN TRANSACTION", &err), &err);
        CHECK_OK(lake__duckdb_append(&db, s, &(lake__table_ref){NULL, NULL, *t}, rows, NULL, 5000, "id", &err), &err);
        CHECK_OK(lake__duckdb_exec(&db, "COMMIT", &err), &err);
    }
    CHECK_EQ_INT(count(&db, "SELECT count(*) FROM narrow WHERE d4 = -999.9"), 1);
    CHECK_EQ_INT(count(&db, "SELECT count(*) FROM narrow WHERE d9 IS NULL"), 1250);
    CHECK_EQ_INT(count(&db, "SELECT count(*) FROM (SELECT a, b, c, d4, d9::VARCHAR, d18, text, _ingest_id FROM narrow "
                            "EXCEPT ALL SELECT a, b, c, d4, d9, d18, text, _ingest_id FROM wide)"), 0);
    CHECK_EQ_INT(count(&db, "SELECT sum(d18 * 100)::BIGINT FROM wide"), -(int64_t)1000003 * 4999 * 5000 / 2);
    lake__buf_dispose(&sql);
    lake__duckdb_close(&db);
    lake_error_clear(&err);
}

int main(void) {
    LAKE_RUN(staged_insert_round_trips_through_duckdb);
    LAKE_RUN(direct_and_staged_paths_store_the_same_rows);
    LAKE_RUN(typed_reads_decode_every_type);
    LAKE_RUN(columnar_and_casting_appends_agree);
    return lake_test_summary();
}
